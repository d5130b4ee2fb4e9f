"""HTML files through trafilatura: metadata kept, boilerplate and scripts dropped."""

from __future__ import annotations

import pytest

from narrascope.errors import BinaryInputError, EmptyInputError, NoArticleError
from narrascope.ingest import from_html, load, load_one

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Library opens late on Sundays | The Millbrook Courier</title>
<meta property="og:title" content="Library opens late on Sundays">
<meta property="og:site_name" content="The Millbrook Courier">
<meta name="author" content="Tomas Reyes">
<meta property="article:published_time" content="2023-11-02T08:15:00Z">
<script>window.trackingToken = "SCRIPT_TOKEN_IN_HEAD";</script>
<style>.banner { content: "STYLE_RULE_TEXT"; }</style>
</head><body>
<nav><a href="/">Home</a> | <a href="/local">Local</a> | <a href="/weather">Weather</a> NAVBAR_LINKS</nav>
<article>
<h1>Library opens late on Sundays</h1>
<p>The central library in Millbrook will stay open until eight o'clock on Sunday evenings from
next month, the town's culture office announced on Thursday.</p>
<script>console.log("SCRIPT_TOKEN_IN_BODY");</script>
<p>Librarians said that students had asked for quiet places to study at the weekend, and that
the reading room was often full by mid-afternoon.</p>
<p>The longer hours will be paid for by a small grant from the regional council, which will be
reviewed after one year.</p>
</article>
<footer>Copyright 2023 The Millbrook Courier. FOOTER_LEGAL_TEXT</footer>
</body></html>
"""

NO_ARTICLE = """<!DOCTYPE html><html><head><title>Menu</title>
<script>var articleText = "This script holds a long string that must never be taken for an article body at all.";</script>
</head><body><nav><a href="/">Home</a></nav></body></html>"""


def test_html_keeps_metadata_and_drops_boilerplate(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    doc = load_one(str(path))
    assert doc.title == "Library opens late on Sundays"
    assert doc.author == "Tomas Reyes"
    assert doc.published == "2023-11-02"
    assert doc.outlet == "The Millbrook Courier"
    assert doc.language == "en"
    assert doc.origin == str(path)
    assert "reading room was often full" in doc.text
    for junk in ("SCRIPT_TOKEN", "STYLE_RULE", "NAVBAR_LINKS", "FOOTER_LEGAL", "<p>"):
        assert junk not in doc.text


def test_html_paragraphs_are_blank_line_separated():
    doc = from_html(PAGE)
    assert "\n\n" in doc.text
    assert doc.headline is not None
    assert doc.text[doc.headline.start : doc.headline.end] == "Library opens late on Sundays"


def test_html_headline_override(tmp_path):
    path = tmp_path / "page.htm"
    path.write_text(PAGE, encoding="utf-8")
    doc = load_one(str(path), headline="Sunday hours for the library")
    assert doc.headline_text == "Sunday hours for the library"


def test_html_url_kept():
    doc = from_html(PAGE, url="https://courier.example/library")
    assert doc.url == "https://courier.example/library"


def test_html_no_article(tmp_path):
    path = tmp_path / "menu.html"
    path.write_text(NO_ARTICLE, encoding="utf-8")
    with pytest.raises(NoArticleError) as info:
        load(str(path))
    assert info.value.code == "E105"
    assert info.value.hint and "article" in info.value.hint


def test_html_script_only_page_is_no_article():
    page = (
        "<html><body><script>"
        + "document.write('SCRIPT WORDS ARE NOT NEWS '); " * 50
        + "</script></body></html>"
    )
    with pytest.raises(NoArticleError):
        from_html(page)


def test_html_empty_file(tmp_path):
    path = tmp_path / "empty.html"
    path.write_bytes(b"   \n")
    with pytest.raises(EmptyInputError):
        load(str(path))


def test_html_binary_file(tmp_path):
    path = tmp_path / "image.html"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(BinaryInputError):
        load(str(path))


def test_html_legacy_charset(tmp_path):
    page = PAGE.replace('charset="utf-8"', 'charset="iso-8859-1"').replace(
        "eight o'clock", "eight o'clock, café"
    )
    path = tmp_path / "latin.html"
    path.write_bytes(page.encode("latin-1"))
    assert "café" in load_one(str(path)).text
