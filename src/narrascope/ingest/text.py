"""Plain text → Document. A first line followed by a blank line is the headline."""

from __future__ import annotations

import re
from typing import Any

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
    url: str | None = None,
    outlet: str | None = None,
    author: str | None = None,
    published: str | None = None,
    language: str | None = None,
    origin: str | None = None,
    **meta: Any,
) -> Document:
    """A Document of ``text``; ``headline`` overrides the in-text headline.

    ``text`` is kept exactly as given (``\r`` included), so offsets index it directly.
    Other ``meta`` keywords are passed to :class:`Document` as they are.
    """
    if not text.strip():
        raise EmptyInputError("the article text is empty")
    span = find_headline(text) if detect_headline and headline is None else None
    return Document(
        id=id or content_id(text),
        text=text,
        headline=span,
        title=headline,
        url=url,
        outlet=outlet,
        author=author,
        published=published,
        language=language,
        origin=origin,
        **meta,
    )
