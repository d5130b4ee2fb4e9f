"""The JSON report: the document model's own JSON (see ``docs/schema.md``), and JSONL for batches.

A document is ``narrascope.model.to_json`` (its fields plus ``schema_version``). A document the
pipeline could not analyse becomes a failure object of one fixed shape::

    {"schema_version": "1.0", "id": "...", "origin": "...",
     "error": {"code": "E101", "type": "EmptyInputError", "message": "...", "hint": "..."}}

so a JSONL consumer tells the two apart by the ``error`` key. ``python -m
narrascope.report.json --schema`` prints the JSON Schema that ``docs/schema.json`` holds.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from narrascope.model import Document, json_schema, to_dict, to_json
from narrascope.model.serialize import SCHEMA_VERSION
from narrascope.pipeline import Failure

__all__ = ["iter_jsonl", "main", "render", "render_failure", "render_many", "schema_text"]


def render(doc: Document, indent: int | None = 2) -> str:
    """The document as JSON (``schema_version`` first); ``from_json`` reads it back exactly."""
    return to_json(doc, indent=indent)


def render_failure(failure: Failure) -> dict[str, Any]:
    """A failed document as JSON-ready data: id, origin and the error's code, type, message, hint."""
    return {
        "schema_version": SCHEMA_VERSION,
        "id": failure.id,
        "origin": failure.origin,
        "error": failure.error.to_dict(),
    }


def _line(item: Document | Failure) -> str:
    data = to_dict(item) if isinstance(item, Document) else render_failure(item)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def iter_jsonl(items: Iterable[Document | Failure]) -> Iterator[str]:
    """One JSON line (ending in a newline) per document or failure, in order, as they come."""
    for item in items:
        yield _line(item) + "\n"


def render_many(items: Iterable[Document | Failure]) -> str:
    """JSONL: one document or failure per line."""
    return "".join(iter_jsonl(items))


def schema_text() -> str:
    """The JSON Schema of the document JSON, as ``docs/schema.json`` holds it."""
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--schema"]:
        sys.stdout.write(schema_text())
        return 0
    sys.stderr.write("usage: python -m narrascope.report.json --schema > docs/schema.json\n")
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
