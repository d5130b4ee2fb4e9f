"""Dates, their ISO resolution and the events they date."""

from __future__ import annotations

import datetime as dt

import pytest

from narrascope.analyzers import timeline
from narrascope.ingest import from_text
from narrascope.model import Document
from narrascope.pipeline import Context, get


def _run(text: str, published: str | None = None) -> Document:
    ctx = Context()
    doc = get("sentences").func(from_text(text, published=published, detect_headline=False), ctx)
    return timeline.analyze(doc, ctx)


@pytest.mark.parametrize(("expr", "iso"), [
    ("2014", "2014"),
    ("in 2014", "2014"),
    ("March 2022", "2022-03"),
    ("February 24, 2022", "2022-02-24"),
    ("24 February 2022", "2022-02-24"),
    ("2021-06-30", "2021-06-30"),
    ("the summer of 1998", "1998"),
])
def test_timeline_resolve_absolute(expr, iso):
    assert timeline.resolve(expr)[0] == iso


def test_timeline_resolve_relative_needs_published():
    base = dt.date(2024, 5, 2)  # a Thursday
    assert timeline.resolve("yesterday", base)[0] == "2024-05-01"
    assert timeline.resolve("last year", base)[0] == "2023"
    assert timeline.resolve("last month", base)[0] == "2024-04"
    assert timeline.resolve("two days ago", base)[0] == "2024-04-30"
    assert timeline.resolve("Tuesday", base)[0] == "2024-04-30"
    assert timeline.resolve("yesterday") is None
    assert timeline.resolve("three years", base) is None  # a duration, not a date


def test_timeline_events_and_order():
    text = (
        "In March 2022, the army crossed the border. The talks collapsed yesterday. "
        "Prices rose after the 2019 election. The war has lasted three years."
    )
    doc = _run(text, published="2024-05-02")
    got = [(e.date, e.text, e.event.text) for e in doc.timeline]
    assert got == [
        ("2019", "2019", "the 2019 election"),
        ("2022-03", "March 2022", "the army crossed the border"),
        ("2024-05-01", "yesterday", "The talks collapsed"),
    ]
    for e in doc.timeline:
        assert doc.text[e.start:e.end] == e.text
        assert doc.text[e.event.start:e.event.end] == e.event.text
        assert 0 < e.confidence <= 1


def test_timeline_relative_dates_skipped_without_publication_date():
    doc = _run("The talks collapsed yesterday.")
    assert doc.timeline == ()


def test_timeline_seed_without_pipeline(seed_text):
    doc = _run(seed_text)
    events = {e.date: e.event.text for e in doc.timeline}
    assert events["2014"] == "the 2014 annexation of Crimea"
    assert events["2022"] == "the 2022 invasion of Ukraine"


def test_timeline_seed(seed_doc):
    events = [(e.date, e.event.text) for e in seed_doc.timeline]
    assert ("2014", "the 2014 annexation of Crimea") in events
    assert ("2022", "the 2022 invasion of Ukraine") in events
    assert [d for d, _ in events] == sorted(d for d, _ in events)
