"""The HTML report: escaping, highlights at the right offsets, legend, self-containment."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from narrascope.model import Assertion, Document, Marker, Source, Span, Statement, TimelineEntry
from narrascope.report import html as html_report
from narrascope.report.html import LAYER_STYLES, statement_marker_ids
from report_docs import EVIL, make_doc, make_evil_doc, parse_report


def check_highlights(doc: Document, page: str) -> None:
    """Every statement part, marker, assertion and date is highlighted exactly over its words."""
    p = parse_report(page)
    assert "".join(p.article_text) == doc.text
    for stmt in doc.statements or ():
        src = stmt.source
        if src.start is not None and src.end is not None and src.end > src.start:
            assert p.highlight_text("source", stmt.id) == doc.text[src.start:src.end]
            assert p.highlight_starts("source", stmt.id)[0] == src.start
        if stmt.cue is not None:
            assert p.highlight_text("cue", stmt.id) == doc.text[stmt.cue.start:stmt.cue.end]
        assert p.highlight_text("content", stmt.id) == doc.text[stmt.content.start:stmt.content.end]
        assert p.highlight_starts("content", stmt.id)[0] == stmt.content.start
    for i, m in enumerate(doc.markers or ()):
        assert p.highlight_text("marker", f"M{i + 1}") == doc.text[m.start:m.end]
    ids = statement_marker_ids(doc)
    for stmt in doc.statements or ():
        for j, m in enumerate(stmt.distancing):
            assert p.highlight_text("marker", ids[(stmt.id, j)]) == doc.text[m.start:m.end]
    for i, a in enumerate(doc.assertions or ()):
        assert p.highlight_text("assertion", f"A{i + 1}") == doc.text[a.start:a.end]
    for i, t in enumerate(doc.timeline or ()):
        assert p.highlight_text("date", f"T{i + 1}") == doc.text[t.start:t.end]


def test_html_highlights_every_statement_and_marker():
    doc = make_doc()
    page = html_report.render(doc)
    check_highlights(doc, page)
    p = parse_report(page)
    kinds = {c for attrs, _ in p.segments for c in (attrs.get("class") or "").split()}
    assert {"hl", "source", "cue", "content", "distancing", "contestation", "booster", "assertion", "evalcue",
            "date", "entity"} <= kinds


def test_html_highlights_carry_label_and_confidence():
    p = parse_report(html_report.render(make_doc()))
    (attrs, _), *_ = [s for s in p.segments if "S2" in (s[0].get("data-source") or "").split()]
    assert "S2 source" in (attrs["title"] or "") and "organisation" in attrs["title"]
    assert "confidence 0.90" in attrs["title"]
    reportedly = [a for a, chunks in p.segments if "".join(chunks) == "reportedly"][0]
    assert "M1 distancing, governs S2" in reportedly["title"]
    assert "distancing" in reportedly["class"].split() and "content" in reportedly["class"].split()


def test_html_escapes_article_and_metadata():
    doc = make_evil_doc()
    page = html_report.render(doc)
    assert EVIL not in page
    assert "<b>agreed" not in page
    p = parse_report(page)
    scripts = [a for tag, a in p.tags if tag == "script"]
    assert len(scripts) == 1 and not scripts[0]  # only our own inline script
    assert "alert" not in "".join(p.script_text)
    assert [tag for tag, _ in p.tags if tag == "b"] == []
    assert "".join(p.article_text) == doc.text  # shown as visible text
    check_highlights(doc, page)
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 6  # title, outlet, author, url, entity, text
    assert "<title>Title &lt;script&gt;" in page


def test_html_legend_and_toggles():
    page = html_report.render(make_doc())
    p = parse_report(page)
    inputs = {a["id"]: a for tag, a in p.tags if tag == "input"}
    labels = {a["for"] for tag, a in p.tags if tag == "label"}
    for layer in LAYER_STYLES:
        assert f"layer-{layer.cls}" in inputs and f"layer-{layer.cls}" in labels
        assert ("checked" in inputs[f"layer-{layer.cls}"]) == layer.on
        assert html.escape(layer.label) in page
        assert f"#layer-{layer.cls}:checked ~ .article .hl.{layer.cls}{{" in page
    assert 'id="legend"' in page


def test_html_is_self_contained():
    doc = make_doc(url="https://news.invalid/a", origin="http://example.invalid/feed")
    page = html_report.render(doc)
    p = parse_report(page)
    for tag, attrs in p.tags:
        for name in ("src", "href", "action", "data", "poster"):
            value = (attrs.get(name) or "").strip().lower()
            assert not re.match(r"^(https?:)?//", value), (tag, name, value)
        assert tag not in ("link", "iframe", "img", "object", "embed")
    assert "@import" not in page and "url(" not in page


def test_html_statement_cards_and_sections():
    doc = make_doc()
    page = html_report.render(doc)
    p = parse_report(page)
    cards = {a.get("data-statement") for tag, a in p.tags if tag == "article"}
    assert cards == {"S1", "S2", "S3", "S4"}
    assert 'id="statement-S2"' in page
    assert "NOT REPORTED in the body" in page and "directives are never described" in page
    assert page.index('id="summary"') < page.index('id="article"') < page.index('id="statements"')
    for section in ("headline-check", "timeline", "entities", "assertions", "markers"):
        assert f'id="{section}"' in page
    assert "white-space: pre-wrap" in page


def test_html_layers_not_computed_or_empty():
    page = html_report.render(Document(id="bare", text="a\r\nb"))
    assert page.count("(not computed)") == 6
    assert "".join(parse_report(page).article_text) == "a\r\nb"
    empty = html_report.render(Document(id="e", text="x", statements=(), markers=(), assertions=(),
                                        headline_check=(), timeline=(), entities=()))
    assert "(not computed)" not in empty.split('id="article"')[1]
    assert "(no attributed statements found)" in empty


KINDS = ("hedge", "distancing", "contestation", "booster")


@st.composite
def docs_with_spans(draw):
    text = draw(st.text(max_size=120))
    n = len(text)

    def span():
        a = draw(st.integers(0, n))
        b = draw(st.integers(a, n))
        return Span(start=a, end=b, text=text[a:b])

    statements = []
    for i in range(draw(st.integers(0, 4))):
        src, content = span(), span()
        cue = draw(st.one_of(st.none(), st.builds(span)))
        statements.append(Statement(
            id=f"S{i + 1}",
            source=Source(text=src.text, start=src.start, end=src.end, type="person", confidence=0.5),
            cue=cue, content=content, kind="direct", sentence=0, confidence=0.5))
    markers = []
    for _ in range(draw(st.integers(0, 4))):
        s = span()
        markers.append(Marker(**s.model_dump(), kind=draw(st.sampled_from(KINDS)), confidence=0.5, sentence=0))
    assertions = []
    for _ in range(draw(st.integers(0, 2))):
        s = span()
        assertions.append(Assertion(**s.model_dump(), sentence=0, cues=(span(),), confidence=0.5))
    timeline = []
    for _ in range(draw(st.integers(0, 2))):
        s = span()
        timeline.append(TimelineEntry(**s.model_dump(), date="2024", event=span(), sentence=0, confidence=0.5))
    return Document(id="h", text=text, statements=tuple(statements), markers=tuple(markers),
                    assertions=tuple(assertions), timeline=tuple(timeline))


@settings(max_examples=150, deadline=None)
@given(docs_with_spans())
def test_html_overlapping_spans_keep_text(doc):
    page = html_report.render(doc)
    p = parse_report(page)
    assert "".join(p.article_text) == doc.text
    for stmt in doc.statements or ():
        assert p.highlight_text("content", stmt.id) == doc.text[stmt.content.start:stmt.content.end]
    for i, m in enumerate(doc.markers or ()):
        assert p.highlight_text("marker", f"M{i + 1}") == doc.text[m.start:m.end]
