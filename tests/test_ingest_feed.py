"""RSS/Atom feeds: entries become Documents; a feed ingests into a store."""

from __future__ import annotations

from narrascope.corpus.ingest import ingest
from narrascope.ingest.feed import html_to_text, iter_feed
from narrascope.model import Document
from narrascope.pipeline import Failure
from narrascope.storage import open_store

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Coast News</title><link>https://coast.example/</link>
<item><title>Ferry terminal to open</title><link>https://coast.example/ferry</link>
<guid>ferry-1</guid><pubDate>Wed, 01 May 2024 10:00:00 GMT</pubDate>
<content:encoded><![CDATA[<p>The harbour authority said the terminal will open in spring.</p>
<p>Traders welcomed the news &amp; residents worry about traffic.</p><script>evil()</script>]]></content:encoded>
</item>
<item><title>Council approves budget</title><link>https://coast.example/budget</link>
<guid>budget-2</guid><pubDate>Thu, 02 May 2024 09:00:00 GMT</pubDate>
<description>The council approved the budget for schools and roads after a long debate.</description>
</item>
<item><title>Photo of the day</title><link>https://coast.example/photo</link><guid>photo-3</guid></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>River Times</title>
<entry><title>Flood warning lifted</title><id>urn:1</id><link href="https://river.example/flood"/>
<updated>2024-05-03T08:00:00Z</updated>
<content type="html">&lt;p&gt;The river fell overnight and the flood warning was lifted on Friday morning.&lt;/p&gt;</content>
</entry></feed>
"""


def test_ingest_feed_rss_entries(tmp_path):
    path = tmp_path / "coast.rss"
    path.write_text(RSS, encoding="utf-8")
    items = list(iter_feed(str(path), language="en"))
    docs = [i for i in items if isinstance(i, Document)]
    fails = [i for i in items if isinstance(i, Failure)]
    assert [d.title for d in docs] == ["Ferry terminal to open", "Council approves budget"]
    first = docs[0]
    assert first.outlet == "Coast News" and first.published == "2024-05-01"
    assert first.url == "https://coast.example/ferry" and first.origin == f"{path}#ferry-1"
    assert first.text == ("The harbour authority said the terminal will open in spring.\n\n"
                          "Traders welcomed the news & residents worry about traffic.")
    assert docs[1].text.startswith("The council approved")  # summary when there is no full content
    assert len(fails) == 1 and fails[0].error.code == "E105"


def test_ingest_feed_atom_and_html_to_text(tmp_path):
    path = tmp_path / "river.xml"  # .xml: recognised as a feed by its content
    path.write_text(ATOM, encoding="utf-8")
    with open_store(str(tmp_path / "c.db")) as s:
        summary = ingest([str(path)], s, analyzers=["sentences"], progress=False)
        assert summary.stored == 1
        (row,) = s.list()
        assert (row["outlet"], row["published"], row["headline"]) == ("River Times", "2024-05-03", "Flood warning lifted")
    assert html_to_text("<p>a <b>b</b></p><p>c</p>") == "a b\n\nc"


def test_ingest_feed_into_store_twice(tmp_path):
    path = tmp_path / "coast.rss"
    path.write_text(RSS, encoding="utf-8")
    with open_store(str(tmp_path / "c.db")) as s:
        first = ingest([str(path)], s, analyzers=["sentences"], progress=False)
        again = ingest([str(path)], s, analyzers=["sentences"], progress=False)
        assert (first.stored, len(first.failed)) == (2, 1)
        assert (again.stored, again.skipped_existing) == (0, 2)
        assert s.stats()["failed"] == 1
        assert s.search("terminal")[0]["headline"] == "Ferry terminal to open"
