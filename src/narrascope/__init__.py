"""narrascope: how a news story persuades — who claims what, on whose authority, how surely.

The public API::

    import narrascope
    doc = narrascope.analyze("Headline\\n\\nBody text ...")
    doc.statements, doc.headline_check, doc.timeline
"""

from __future__ import annotations

from collections.abc import Sequence

from narrascope.errors import NarrascopeError
from narrascope.ingest import from_text
from narrascope.model import Document, from_json, json_schema, to_dict, to_json
from narrascope.pipeline import DEFAULT_ANALYZERS, Failure, Pipeline

__version__ = "0.1.0"


def analyze(text_or_document: str | Document, analyzers: Sequence[str] = DEFAULT_ANALYZERS) -> Document:
    """Analyse one article (text, with an optional headline line, or a Document)."""
    doc = text_or_document if isinstance(text_or_document, Document) else from_text(text_or_document)
    return Pipeline(analyzers)(doc)


__all__ = [
    "DEFAULT_ANALYZERS",
    "Document",
    "Failure",
    "NarrascopeError",
    "Pipeline",
    "__version__",
    "analyze",
    "from_json",
    "from_text",
    "json_schema",
    "to_dict",
    "to_json",
]
