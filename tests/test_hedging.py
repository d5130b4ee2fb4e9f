"""Hedges, distancing, contestation and boosters, and the statements they govern."""

from __future__ import annotations

from builders import with_statements
from narrascope.analyzers import hedging
from narrascope.model import Document, Statement
from narrascope.pipeline import Context


def _doc(text: str, statements: list[tuple[str, str, str]] = (), headline: bool = False) -> tuple[Document, Context]:
    return with_statements(text, statements, headline=headline)


def _kinds(doc: Document) -> dict[str, str]:
    return {m.text.lower(): m.kind for m in doc.markers}


def test_hedging_finds_each_kind():
    text = (
        "The mayor allegedly took bribes, and the so-called reform may fail. "
        "The report, which has not been independently verified, was denied by the council. "
        "This is clearly a turning point, critics say."
    )
    doc, ctx = _doc(text)
    out = hedging.analyze(doc, ctx)
    kinds = _kinds(out)
    assert kinds["allegedly"] == "hedge"
    assert kinds["may"] == "hedge"
    assert kinds["so-called"] == "distancing"
    assert kinds["not been independently verified"] == "distancing"
    assert kinds["denied"] == "contestation"
    assert kinds["critics say"] == "contestation"
    assert kinds["clearly"] == "booster"
    for m in out.markers:
        assert out.text[m.start:m.end] == m.text
        assert 0 < m.confidence <= 1


def test_hedging_is_negation_aware():
    text = "The minister did not deny the report. The results are not clearly better. The claim was not corroborated."
    doc, ctx = _doc(text)
    kinds = _kinds(hedging.analyze(doc, ctx))
    assert "deny" not in kinds
    assert "clearly" not in kinds
    assert kinds.get("not corroborated") == "distancing"


def test_hedging_marker_governs_smallest_statement():
    text = "Officials said that the general claimed the army allegedly retreated."
    doc, ctx = _doc(text, [
        ("Officials", "said", "that the general claimed the army allegedly retreated"),
        ("the general", "claimed", "the army allegedly retreated"),
    ])
    out = hedging.analyze(doc, ctx)
    m = next(m for m in out.markers if m.text == "allegedly")
    assert m.statement == "st2"
    st = {s.id: s for s in out.statements}
    assert st["st2"].status == "hedged" and m in st["st2"].distancing
    assert st["st1"].status in ("attributed", "hedged")


def test_hedging_contestation_after_statement_governs_it():
    text = "The president promised lower taxes, though his promises were met with skepticism by economists."
    doc, ctx = _doc(text, [("The president", "promised", "lower taxes")])
    out = hedging.analyze(doc, ctx)
    m = next(m for m in out.markers if m.kind == "contestation")
    assert m.text == "met with skepticism"
    assert m.statement == "st1"
    assert out.statements[0].status == "contested"


def test_hedging_labelling_act_becomes_statement():
    text = "The drills, which have been dubbed 'iron shield' by defence officials, began on Monday."
    doc, ctx = _doc(text)
    out = hedging.analyze(doc, ctx)
    m = next(m for m in out.markers if m.text == "dubbed")
    st = next(s for s in out.statements if s.id == m.statement)
    assert "iron shield" in st.content.text
    assert st.source.text == "defence officials"
    assert st.source.type == "official"
    assert st.status == "hedged"


def test_hedging_sentence_evidence():
    text = "The economy grew. It reportedly shrank later. Analysts said it would recover. It undoubtedly will."
    doc, ctx = _doc(text, [("Analysts", "said", "it would recover")])
    out = hedging.analyze(doc, ctx)
    status = [e.status for e in out.evidence]
    assert status == ["asserted", "hedged", "attributed", "boosted"]
    assert out.evidence[2].attributed and not out.evidence[0].attributed


def test_hedging_skips_headline_and_handles_no_statements():
    text = "Allegedly a scandal\n\nThe council met on Tuesday."
    doc, ctx = _doc(text, headline=True)
    out = hedging.analyze(doc, ctx)
    assert out.markers == ()
    assert out.statements == ()


def test_hedging_on_seed_text_without_attribution(seed_text):
    doc, ctx = _doc(seed_text, headline=True)
    out = hedging.analyze(doc, ctx)
    kinds = _kinds(out)
    assert kinds["allegedly"] == "hedge"
    assert kinds["though not officially corroborated"] == "distancing"
    assert kinds["what he describes as"] == "distancing"
    assert kinds["dubbed"] == "distancing"
    assert kinds["met with skepticism"] == "contestation"
    assert kinds["not merely"] == "booster"


def _governed(doc: Document, text: str) -> Statement:
    m = next(m for m in doc.markers if m.text == text)
    assert m.statement is not None, f"{text!r} governs no statement"
    st = next(s for s in doc.statements if s.id == m.statement)
    assert m in st.distancing
    return st


def test_hedging_seed_allegedly(seed_doc):
    st = _governed(seed_doc, "allegedly")
    assert "three pivotal moments" in st.content.text and "allegedly averted" in st.content.text
    assert st.status == "hedged"


def test_hedging_seed_not_officially_corroborated(seed_doc):
    st = _governed(seed_doc, "though not officially corroborated")
    lo = min(st.content.start, st.source.start or st.content.start)
    hi = max(st.content.end, st.source.end or st.content.end)
    assert "Chinese analysts and commentators" in seed_doc.text[lo:hi]
    assert "These accounts" in seed_doc.text[lo:hi]


def test_hedging_seed_what_he_describes_as(seed_doc):
    st = _governed(seed_doc, "what he describes as")
    assert "Putin" in (st.source.entity or st.source.text) or st.source.text == "he"
    assert "destabilizing legacy" in st.content.text


def test_hedging_seed_dubbed(seed_doc):
    st = _governed(seed_doc, "dubbed")
    assert "new horizons" in st.content.text
    assert "Chinese officials" in st.source.text


def test_hedging_seed_met_with_skepticism(seed_doc):
    m = next(m for m in seed_doc.markers if m.text == "met with skepticism")
    assert m.kind == "contestation"
    st = _governed(seed_doc, "met with skepticism")
    assert "ceasefire" in st.content.text
    assert st.status == "contested"
    ev = seed_doc.evidence[m.sentence]
    assert ev.status == "contested"
