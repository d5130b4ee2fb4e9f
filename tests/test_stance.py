"""The body's stance toward the headline: disagree, unrelated, related, evidence, no headline."""

from __future__ import annotations

from builders import with_statements
from narrascope.analyzers import stance
from narrascope.model import Document

HEADLINE = "Apple agrees to buy Tesla for $75 billion"
DENIAL = (
    f"{HEADLINE}\n\n"
    "Reports that Apple has agreed to buy Tesla for $75 billion are false, both companies said on Monday. "
    "An Apple spokeswoman denied the story, calling it a baseless rumour with no truth to it. "
    "Tesla also dismissed the report as fake and said no talks had taken place. "
    "The claim first appeared on an anonymous blog."
)
CONFIRM = (
    f"{HEADLINE}\n\n"
    "Apple has agreed to buy Tesla for $75 billion, the two companies announced on Monday. "
    "The deal, confirmed in a joint statement, is the largest in Apple's history. "
    "Tesla shares rose 12 percent after the announcement."
)
UNRELATED = (
    f"{HEADLINE}\n\n"
    "Heavy rain flooded villages in western Kenya overnight, killing at least twelve people. "
    "Rescue teams used boats to reach families stranded on rooftops. "
    "The Kenya Meteorological Department expects more rain this week."
)


def _stance(text: str) -> Document:
    doc, ctx = with_statements(text, headline=True)
    assert doc.headline_text == HEADLINE
    return stance.analyze(doc, ctx)


def test_stance_denial_is_disagree():
    st = _stance(DENIAL).stance
    assert st is not None
    assert st.label != "agree" and st.label != "unrelated"
    assert st.label == "disagree"
    assert set(st.scores) == set(stance.LABELS)
    assert abs(sum(st.scores.values()) - 1.0) < 1e-3


def test_stance_confirmation_is_related_not_disagree():
    st = _stance(CONFIRM).stance
    assert st is not None and st.label in ("agree", "discuss")
    assert st.scores["agree"] > st.scores["disagree"]


def test_stance_unrelated_body_is_unrelated():
    st = _stance(UNRELATED).stance
    assert st is not None and st.label == "unrelated"
    assert st.scores["unrelated"] > 0.5


def test_stance_evidence_is_body_sentences_best_first():
    doc = _stance(DENIAL)
    st = doc.stance
    assert st is not None and 1 <= len(st.evidence) <= stance.EVIDENCE_K
    for ev in st.evidence:
        assert doc.text[ev.start : ev.end] == ev.text
        assert ev.start >= doc.body_start
    assert [e.weight for e in st.evidence] == sorted((e.weight for e in st.evidence), reverse=True)
    assert "Apple" in st.evidence[0].text


def test_stance_without_headline_is_none():
    doc, ctx = with_statements("Apple has agreed to buy Tesla. The deal was announced on Monday.")
    assert doc.headline_text is None
    out = stance.analyze(doc, ctx)
    assert out.stance is None and out.analyzers["stance"] == stance.VERSION


def test_stance_split_body_offsets():
    text = "First one.  Second one?\n\nThird \"quoted.\" Last"
    spans = stance.split_body(text)
    assert [text[s:e] for s, e in spans] == ["First one.", "Second one?", 'Third "quoted."', "Last"]
