"""Unattributed evaluative assertions in the author's voice."""

from __future__ import annotations

from builders import with_statements
from narrascope.analyzers import evaluation
from narrascope.model import Document
from narrascope.pipeline import Context


def _doc(text: str, statements: list[tuple[str, str, str]] = (), headline: bool = False) -> tuple[Document, Context]:
    return with_statements(text, statements, headline=headline)


def test_evaluation_neutral_reporting_is_not_an_assertion():
    doc, ctx = _doc("The ministry published the figures on Tuesday. The council meets in the town hall.")
    assert evaluation.analyze(doc, ctx).assertions == ()


def test_evaluation_finds_evaluative_sentence_with_cues():
    text = "The ministry published the figures on Tuesday. The reform is a devastating failure that could undermine the recovery."
    doc, ctx = _doc(text)
    out = evaluation.analyze(doc, ctx)
    assert len(out.assertions) == 1
    a = out.assertions[0]
    assert a.sentence == 1 and a.text.startswith("The reform")
    cues = [c.text for c in a.cues]
    assert "devastating" in cues and "could undermine" in cues
    for c in a.cues:
        assert out.text[c.start:c.end] == c.text
    assert out.text[a.start:a.end] == a.text


def test_evaluation_confidence_grows_with_evidence():
    text = "The plan is a crucial step. The plan is a crucial, unprecedented and decisive step that could transform the region."
    doc, ctx = _doc(text)
    a, b = evaluation.analyze(doc, ctx).assertions
    assert b.confidence > a.confidence


def test_evaluation_ignores_attributed_content():
    text = "The mayor said the decision was a disastrous, shameful betrayal."
    doc, ctx = _doc(text, [("The mayor", "said", "the decision was a disastrous, shameful betrayal")])
    assert evaluation.analyze(doc, ctx).assertions == ()


def test_evaluation_seed_not_merely_symbolic_without_attribution(seed_text):
    doc, ctx = _doc(seed_text, headline=True)
    out = evaluation.analyze(doc, ctx)
    hit = [a for a in out.assertions if a.text.startswith("The joint exercises and patrols are not merely symbolic")]
    assert hit and {"not merely", "tangible"} <= {c.text for c in hit[0].cues}
    assert all(a.start >= out.body_start for a in out.assertions)


def test_evaluation_seed_assertion(seed_doc):
    hit = [a for a in seed_doc.assertions if "not merely symbolic" in a.text]
    assert len(hit) == 1
    assert hit[0].text.startswith("The joint exercises and patrols")
    assert hit[0].confidence >= 0.8
    assert any(c.text == "tangible" for c in hit[0].cues)
