"""Frozen, typed document model and its JSON form."""

from narrascope.model.document import (
    LAYERS,
    Assertion,
    Document,
    Entity,
    HeadlineClaim,
    Marker,
    Mention,
    Paragraph,
    Sentence,
    SentenceEvidence,
    Source,
    Span,
    Statement,
    TimelineEntry,
)
from narrascope.model.serialize import (
    SCHEMA_VERSION,
    from_dict,
    from_json,
    json_schema,
    to_dict,
    to_json,
)

__all__ = [
    "LAYERS",
    "SCHEMA_VERSION",
    "Assertion",
    "Document",
    "Entity",
    "HeadlineClaim",
    "Marker",
    "Mention",
    "Paragraph",
    "Sentence",
    "SentenceEvidence",
    "Source",
    "Span",
    "Statement",
    "TimelineEntry",
    "from_dict",
    "from_json",
    "json_schema",
    "to_dict",
    "to_json",
]
