"""Corpus views over a small hand-made corpus (layers built by hand, no ML pipeline)."""

from __future__ import annotations

import pytest

from corpus_stores import store  # noqa: F401 - the parametrized fixture
from narrascope.corpus.views import VIEWS, ViewError, ViewParams, view
from narrascope.ingest import from_text
from narrascope.model import (
    Document,
    FrameLabel,
    NarrativeLabel,
    Source,
    Span,
    Statement,
    TechniqueSpan,
)


def _st(i: int, source_type: str, content: str) -> Statement:
    return Statement(id=f"s{i}", source=Source(text=f"src{i}", type=source_type, confidence=0.9),  # type: ignore[arg-type]
                     cue=None, content=Span(start=0, end=len(content), text=content), kind="indirect",
                     sentence=0, confidence=0.9)


def make(n: int, outlet: str, published: str | None, *, narratives=(), techniques=(), frames=(),
         statements=(), layers: bool = True) -> Document:
    d = from_text(f"Story {n} from {outlet}\n\nBody of story number {n} by {outlet} about the harbour and the ferry.",
                  outlet=outlet, published=published)
    if not layers:
        return d
    return d.model_copy(update={
        "narratives": tuple(NarrativeLabel(taxonomy="semeval2025", narrative=x, confidence=0.8) for x in narratives),
        "techniques": tuple(TechniqueSpan(start=0, end=5, text="Story", technique=t, confidence=0.7) for t in techniques),
        "frames": tuple(FrameLabel(frame=f, confidence=0.6) for f in frames),
        "statements": tuple(_st(i, t, c) for i, (t, c) in enumerate(statements)),
    })


CLAIM_A1 = "the new bridge will open in May next year"
CLAIM_A2 = "the new bridge is set to open next May"
CLAIM_B = "taxes will rise sharply for every family"

CORPUS = [
    # 2024-04-29 is a Monday: days 1-3 fall in one week, day 8 in the next
    make(1, "Alpha", "2024-05-01", narratives=["Blame the West"], techniques=["Loaded_Language", "Loaded_Language"],
         frames=["Economic"], statements=[("vague", CLAIM_A1), ("official", CLAIM_B)]),
    make(2, "Beta", "2024-05-02", narratives=["Blame the West", "Praise Russia"], techniques=["Doubt"],
         frames=["Economic", "Political"], statements=[("vague", CLAIM_A2), ("vague", "people say it is late")]),
    make(3, "Alpha", "2024-05-03", narratives=["Praise Russia"], techniques=["Doubt"], frames=[],
         statements=[("person", "the minister denied every report on Friday")]),
    make(4, "Gamma", "2024-05-08", narratives=["Blame the West"], techniques=[], frames=["Political"],
         statements=[("official", CLAIM_A1), ("person", CLAIM_B)]),
    make(5, "Gamma", None, narratives=["Blame the West"], statements=[("organisation", "the union called a strike for June")]),
    make(6, "Beta", "2024-05-09", layers=False),  # learned layers not computed (None)
]


@pytest.fixture
def corpus(store):  # noqa: F811
    for d in CORPUS:
        assert store.add(d)
    return store


def test_corpus_views_registry_names():
    assert {"narratives_over_time", "techniques_by_outlet", "frames_by_outlet", "source_types_by_outlet",
            "narrative_spread", "repeated_claims", "outlet_sources", "search"} <= set(VIEWS)
    with pytest.raises(ViewError):
        view(None, "nope")  # type: ignore[arg-type]


def test_corpus_narratives_over_time_week_and_day(corpus):
    rows = view(corpus, "narratives_over_time", ViewParams(granularity="week"))
    got = {(r["period"], r["narrative"]): (r["documents"], r["outlets"]) for r in rows}
    assert got == {("2024-04-29", "Blame the West"): (2, 2), ("2024-04-29", "Praise Russia"): (2, 2),
                   ("2024-05-06", "Blame the West"): (1, 1)}
    week1 = next(r for r in rows if r["period"] == "2024-04-29" and r["narrative"] == "Blame the West")
    assert week1["share"] == round(2 / 3, 4)
    days = view(corpus, "narratives_over_time", ViewParams(granularity="day", narrative="Praise Russia"))
    assert [(r["period"], r["documents"]) for r in days] == [("2024-05-02", 1), ("2024-05-03", 1)]


def test_corpus_techniques_and_frames_by_outlet(corpus):
    rows = view(corpus, "techniques_by_outlet", ViewParams())
    got = {(r["outlet"], r["technique"]): (r["documents"], r["spans"], r["share"]) for r in rows}
    assert got == {("Alpha", "Loaded_Language"): (1, 2, 0.5), ("Alpha", "Doubt"): (1, 1, 0.5),
                   ("Beta", "Doubt"): (1, 1, 1.0)}
    weekly = view(corpus, "techniques_by_outlet", ViewParams(granularity="week", outlet="Alpha"))
    assert {r["period"] for r in weekly} == {"2024-04-29"}
    frames = {(r["outlet"], r["frame"]): r["documents"] for r in view(corpus, "frames_by_outlet", ViewParams())}
    assert frames == {("Alpha", "Economic"): 1, ("Beta", "Economic"): 1, ("Beta", "Political"): 1,
                      ("Gamma", "Political"): 1}


def test_corpus_source_types_and_outlet_sources(corpus):
    rows = view(corpus, "source_types_by_outlet", ViewParams())
    got = {(r["outlet"], r["source_type"]): (r["statements"], r["share"]) for r in rows}
    assert got[("Beta", "vague")] == (2, 1.0)
    assert got[("Alpha", "vague")] == (1, round(1 / 3, 4))
    lean = view(corpus, "outlet_sources", ViewParams())
    assert [r["outlet"] for r in lean] == ["Beta", "Alpha", "Gamma"]
    assert lean[0]["vague_share"] == 1.0 and lean[0]["statements"] == 2 and lean[0]["documents"] == 1
    assert lean[2]["vague_share"] == 0.0 and lean[2]["official_share"] == round(1 / 3, 4)


def test_corpus_narrative_spread(corpus):
    rows = {r["narrative"]: r for r in view(corpus, "narrative_spread", ViewParams())}
    west = rows["Blame the West"]
    assert (west["first_date"], west["first_outlet"], west["last_date"]) == ("2024-05-01", "Alpha", "2024-05-08")
    assert west["outlets"] == ["Alpha", "Beta", "Gamma"] and west["n_outlets"] == 3 and west["documents"] == 3
    assert rows["Praise Russia"]["outlets"] == ["Beta", "Alpha"]


def test_corpus_repeated_claims_by_meaning(corpus):
    rows = view(corpus, "repeated_claims", ViewParams())
    bridge = next(r for r in rows if "bridge" in r["claim"])
    # two wordings of the same claim, grouped by the sentence encoder (not by string equality)
    assert bridge["variants"] == 2 and bridge["outlets"] == 3 and bridge["documents"] == 3
    assert bridge["first_outlet"] == "Alpha" and bridge["claim"] == CLAIM_A1
    taxes = next(r for r in rows if "taxes" in r["claim"])
    assert taxes["outlets"] == 2 and taxes["variants"] == 1
    assert not any("strike" in r["claim"] for r in rows)  # said once: not repeated
    assert rows[0] is bridge  # most outlets first


def test_corpus_search_view_and_filters(corpus):
    hits = view(corpus, "search", ViewParams(q="story number 3"))
    assert hits and hits[0]["headline"] == "Story 3 from Alpha"
    with pytest.raises(ViewError):
        view(corpus, "search", ViewParams())
    only_beta = view(corpus, "techniques_by_outlet", ViewParams(q="Beta"))
    assert {r["outlet"] for r in only_beta} == {"Beta"}
    since = view(corpus, "narrative_spread", ViewParams(since="2024-05-04"))
    assert [r["narrative"] for r in since] == ["Blame the West"]


def test_corpus_views_on_store_without_learned_layers(store):  # noqa: F811
    store.add(make(9, "Delta", "2024-05-01", layers=False))
    for name in VIEWS:
        if name != "search":
            assert view(store, name, ViewParams(granularity="week")) == []


def test_corpus_views_rows_are_flat_json(corpus):
    import json

    for name in VIEWS:
        params = ViewParams(q="harbour") if name == "search" else ViewParams()
        for row in view(corpus, name, params):
            json.dumps(row)
            assert all(not isinstance(v, dict) for v in row.values())
