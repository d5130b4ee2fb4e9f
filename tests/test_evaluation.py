"""Unattributed evaluative assertions in the author's voice."""

from __future__ import annotations

import pytest

from narrascope.analyzers import evaluation
from narrascope.errors import PipelineError
from narrascope.ingest import from_text
from narrascope.model import Document, Source, Span, Statement
from narrascope.pipeline import Context, get


def _doc(text: str, statements: list[tuple[str, str, str]] = (), headline: bool = False) -> tuple[Document, Context]:
    ctx = Context()
    doc = get("sentences").func(from_text(text, detect_headline=headline), ctx)
    sts = []
    for n, (source, cue, content) in enumerate(statements, 1):
        cs, ss, cu = text.index(content), text.index(source), text.index(cue)
        sts.append(Statement(
            id=f"st{n}", source=Source(text=source, start=ss, end=ss + len(source), type="person", confidence=0.9),
            cue=Span(start=cu, end=cu + len(cue), text=cue), content=Span(start=cs, end=cs + len(content), text=content),
            kind="indirect", sentence=doc.sentence_at(cs).index, confidence=0.9,
        ))
    return doc.with_layers("test", "0", statements=tuple(sts)), ctx


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


@pytest.fixture(scope="module")
def seed(request):
    try:
        return request.getfixturevalue("seed_doc")
    except PipelineError as exc:
        pytest.skip(f"default pipeline not ready: {exc}")


def test_evaluation_seed_assertion(seed):
    hit = [a for a in seed.assertions if "not merely symbolic" in a.text]
    assert len(hit) == 1
    assert hit[0].text.startswith("The joint exercises and patrols")
    assert hit[0].confidence >= 0.8
    assert any(c.text == "tangible" for c in hit[0].cues)
