"""Plain text → Document. A first line followed by a blank line is the headline."""

from __future__ import annotations

import re

from narrascope.errors import EmptyInputError
from narrascope.ingest.identity import content_id
from narrascope.model import Document, Span

_HEADLINE = re.compile(r"\A[ \t]*(?P<h>[^\r\n]{1,400}?)[ \t]*\r?\n[ \t]*\r?\n(?=\s*\S)")


def find_headline(text: str) -> Span | None:
    """The headline span, when the text opens with one line followed by a blank line."""
    m = _HEADLINE.match(text)
    if not m:
        return None
    return Span(start=m.start("h"), end=m.end("h"), text=m.group("h"))


def from_text(
    text: str,
    *,
    headline: str | None = None,
    id: str | None = None,
    detect_headline: bool = True,
    **meta: str | None,
) -> Document:
    """A Document of ``text``; ``headline`` overrides the in-text headline."""
    if not text.strip():
        raise EmptyInputError("the article text is empty")
    span = find_headline(text) if detect_headline and headline is None else None
    return Document(id=id or content_id(text), text=text, headline=span, title=headline, **meta)
