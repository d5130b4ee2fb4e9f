"""Offsets are the truth: every span points at its text, and JSON round trips are exact."""

from __future__ import annotations

from collections.abc import Iterator

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

import narrascope
from narrascope.model import Document, Span, from_json, to_json

WORDS = ["The", "minister", "said", "that", "Maria", "Lopez", "allegedly", "met", "officials", "in",
         "Paris", "on", "Monday", ",", "according", "to", "reports", ".", "“", "”", "he", "argued",
         "\n\n", "2021", "denied", "clearly", "Reuters", "'", "\r\n", "é", "—"]


def spans(obj: object) -> Iterator[Span]:
    if isinstance(obj, Span):
        yield obj
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from spans(getattr(obj, name))
    elif isinstance(obj, tuple | list):
        for item in obj:
            yield from spans(item)


def check(doc: Document) -> None:
    for span in spans(doc):
        assert 0 <= span.start <= span.end <= len(doc.text), span
        assert doc.text[span.start : span.end] == span.text, span
    for st_ in doc.statements or ():
        if st_.source.start is not None:
            assert doc.text[st_.source.start : st_.source.end] == st_.source.text
    assert from_json(to_json(doc)) == doc


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=60))
def test_model_every_span_is_inside_the_text(words):
    text = " ".join(words)
    if not text.strip():
        return
    check(narrascope.analyze(text))


def test_model_seed_spans_and_round_trip(seed_doc):
    check(seed_doc)


def test_model_schema_version_mismatch_is_refused():
    import pytest

    from narrascope.errors import SchemaError
    from narrascope.model import from_dict

    with pytest.raises(SchemaError):
        from_dict({"schema_version": "99.0", "id": "x", "text": "t"})
