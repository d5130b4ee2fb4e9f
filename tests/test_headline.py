"""Headline claims checked against the body."""

from __future__ import annotations

from builders import with_statements
from narrascope.analyzers import headline, hedging
from narrascope.model import Document


def _check(text: str, statements: list[tuple[str, str, str]] = (), title: str | None = None) -> Document:
    doc, ctx = with_statements(text, statements, headline=True, title=title)
    doc = hedging.analyze(doc, ctx)
    return headline.analyze(doc, ctx)


def test_headline_supported_in_authors_voice():
    text = "Floods kill 12 in Kenya\n\nFloods killed 12 people in western Kenya on Monday. Rain is expected to continue."
    (c,) = _check(text).headline_check
    assert c.verdict == "supported"
    assert c.claim == "Floods kill 12 in Kenya" and (c.start, c.end) == (0, len(c.claim))
    assert c.evidence and c.evidence[0].text.startswith("Floods killed 12")


def test_headline_attributed_only():
    text = "Minister plans new tax\n\nThe opposition said the minister plans a new tax on fuel. The budget is due in May."
    doc = _check(text, [("The opposition", "said", "the minister plans a new tax on fuel")])
    (c,) = doc.headline_check
    assert c.verdict == "attributed"
    assert "sources" in c.reason


def test_headline_hedged_only():
    text = "Mayor took bribes\n\nThe mayor allegedly took bribes from builders. The council meets on Friday."
    (c,) = _check(text).headline_check
    assert c.verdict == "hedged"


def test_headline_head_noun_missing_is_not_reported():
    text = "Council Decrees Aimed at Cutting Rents: A Win for Tenants\n\nThe council met on Tuesday to discuss rents. Tenants cheered outside."
    checks = _check(text).headline_check
    assert [c.claim for c in checks] == ["Council Decrees Aimed at Cutting Rents", "A Win for Tenants"]
    first = checks[0]
    assert first.verdict == "not_reported"
    assert "Decrees" in first.reason and "never" in first.reason
    for c in checks:
        assert doc_headline(text)[c.start:c.end] == c.claim


def doc_headline(text: str) -> str:
    return text.split("\n", 1)[0]


def test_headline_title_override_and_speech_tag():
    text = "The army withdrew from the town on Sunday, residents said."
    doc = _check(text, title="Army Withdraws From Town, Residents Say")
    (c,) = doc.headline_check
    assert c.claim == "Army Withdraws From Town"
    assert doc.headline_text[c.start:c.end] == c.claim


def test_headline_absent_gives_empty_tuple():
    doc = _check("The council met on Tuesday. Nothing else happened.")
    assert doc.headline_check == ()


def test_headline_seed_directives_not_reported(seed_doc):
    claims = {c.claim: c for c in seed_doc.headline_check}
    directive = next(c for claim, c in claims.items() if "Directives" in claim)
    assert directive.verdict == "not_reported"
    assert "never" in directive.reason and "Directives" in directive.reason
    assert seed_doc.headline_text[directive.start:directive.end] == directive.claim
    for c in seed_doc.headline_check:
        for e in c.evidence:
            assert seed_doc.text[e.start:e.end] == e.text
