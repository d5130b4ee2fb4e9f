"""Check-worthiness of sentences and statements: scores, readable reasons, ordering."""

from __future__ import annotations

import pytest

from builders import with_statements
from narrascope.analyzers import checkworthy
from narrascope.model import CheckworthyScore, Document
from narrascope.pipeline import Context

TEXT = (
    "Thank you all so much for coming tonight, it is lovely to see you. "
    "Unemployment in Ohio fell from 7.2 percent to 4.1 percent after Governor Kasich cut income taxes in 2013. "
    "I think we should all be proud of this city."
)


def _scored(text: str, statements: list[tuple[str, str, str]] = ()) -> dict[tuple[str, str], CheckworthyScore]:
    doc, ctx = with_statements(text, statements)
    doc = checkworthy.analyze(doc, ctx)
    assert doc.checkworthy is not None
    assert doc.analyzers["checkworthy"] == checkworthy.VERSION
    return {(s.target, s.ref): s for s in doc.checkworthy}


def test_checkworthy_factual_sentence_outscores_greeting_and_opinion():
    scores = _scored(TEXT)
    greeting, fact, opinion = (scores[("sentence", str(i))] for i in range(3))
    assert fact.score > greeting.score + 0.3
    assert fact.score > opinion.score + 0.3
    assert fact.span.text.startswith("Unemployment in Ohio")
    joined = " | ".join(fact.reasons)
    assert "states a number" in joined and "percent" in joined
    assert "names an actor" in joined and ("Ohio" in joined or "Kasich" in joined)
    assert all(isinstance(r, str) and r for r in fact.reasons)


def test_checkworthy_model_threshold_separates_the_examples():
    model = checkworthy.load_model()
    assert model is not None, "the shipped check-worthiness model is missing"
    scores = _scored(TEXT)
    assert scores[("sentence", "1")].score >= model.threshold
    assert scores[("sentence", "0")].score < model.threshold


def test_checkworthy_statements_are_scored_on_their_content():
    text = ("The ministry said that 3,400 nurses left the health service in 2023. "
            "Ms Patel said she was happy to be back home.")
    scores = _scored(text, [("The ministry", "said", "3,400 nurses left the health service in 2023"),
                            ("Ms Patel", "said", "she was happy to be back home")])
    nurses, patel = scores[("statement", "st1")], scores[("statement", "st2")]
    assert nurses.span.text == "3,400 nurses left the health service in 2023"
    assert nurses.score > patel.score
    assert any("number" in r for r in nurses.reasons)


def test_checkworthy_ranked_orders_check_these_first():
    scores = _scored(TEXT)
    order = checkworthy.ranked(scores.values(), target="sentence")
    assert order[0].ref == "1"
    assert [s.score for s in order] == sorted((s.score for s in order), reverse=True)


def test_checkworthy_readable_features_fire_on_cues():
    rf = checkworthy.readable("Prices rose 20% because the central bank raised rates?", [("ORG", "the central bank")])
    fired = {n for n, f in zip(checkworthy.READABLE_NAMES, rf.flags, strict=True) if f}
    assert {"number", "quantity", "causal", "change", "actor", "question"} <= fired
    assert rf.evidence["actor"] == "the central bank"
    assert "opinion" not in fired
    assert "opinion" in {n for n, f in zip(checkworthy.READABLE_NAMES, checkworthy.readable("I think so.").flags, strict=True) if f}


def test_checkworthy_no_sentences_scores_nothing():
    doc = Document(id="empty", text=" \n", sentences=(), statements=())
    assert checkworthy.analyze(doc, Context()).checkworthy == ()


@pytest.mark.seed
def test_checkworthy_seed_scores_every_statement_in_order(seed_text):
    import narrascope

    doc = narrascope.analyze(seed_text, [*narrascope.DEFAULT_ANALYZERS, "checkworthy"])
    assert doc.checkworthy is not None and doc.statements
    stated = {s.ref for s in doc.checkworthy if s.target == "statement"}
    assert stated == {st.id for st in doc.statements}
    assert {s.ref for s in doc.checkworthy if s.target == "sentence"} == {
        str(s.index) for s in doc.sentences or () if s.text.strip()}
    order = checkworthy.ranked(doc.checkworthy)
    assert [s.score for s in order] == sorted((s.score for s in order), reverse=True)
    top = order[0]
    assert top.score > 0.5 and top.reasons
