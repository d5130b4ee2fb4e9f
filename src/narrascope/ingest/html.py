"""HTML → Document with trafilatura: boilerplate removed, title/author/date/site kept.

The article text is trafilatura's main text with its blocks joined by blank lines, so the
``sentences`` analyzer sees one paragraph per block. When the first block is the page title, it
becomes the headline span inside the text; the title is also kept in ``Document.title``.
``<script>``, ``<style>``, ``<noscript>`` and ``<template>`` are pruned before the text is
extracted (metadata such as JSON-LD is read before that), so their contents never become text.
"""

from __future__ import annotations

from narrascope.errors import NoArticleError
from narrascope.ingest.identity import content_id
from narrascope.model import Document, Span

MIN_ARTICLE_CHARS = 40
"""Fewer non-blank characters than this after extraction means there is no article."""

_PRUNE = ["//script", "//style", "//noscript", "//template"]


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def from_html(
    html: str | bytes,
    *,
    url: str | None = None,
    headline: str | None = None,
    origin: str | None = None,
    language: str | None = None,
    id: str | None = None,
) -> Document:
    """A Document of the article in ``html``; no article text → :class:`NoArticleError`.

    ``url`` is the page's address (a fetched page's final URL wins over the page's canonical
    link); ``headline`` overrides the page title. ``language`` is stored as given (``None``:
    left for the caller to detect).
    """
    import trafilatura

    where = origin or url or "the HTML"
    extracted = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        prune_xpath=_PRUNE,
    )
    raw = getattr(extracted, "text", None) if extracted is not None else None
    blocks = [" ".join(line.split()) for line in (raw or "").splitlines()]
    blocks = [b for b in blocks if b]
    text = "\n\n".join(blocks)
    if len("".join(text.split())) < MIN_ARTICLE_CHARS:
        raise NoArticleError(f"no article text could be extracted from {where}")

    title = _clean(getattr(extracted, "title", None))
    span = None
    if title and blocks[0] == title and len(blocks) > 1:
        span = Span(start=0, end=len(title), text=title)
    outlet = _clean(getattr(extracted, "sitename", None)) or _clean(
        getattr(extracted, "hostname", None)
    )
    return Document(
        id=id or content_id(text),
        text=text,
        headline=span,
        title=_clean(headline) or title,
        url=url or _clean(getattr(extracted, "url", None)),
        outlet=outlet,
        author=_clean(getattr(extracted, "author", None)),
        published=_clean(getattr(extracted, "date", None)),
        language=language,
        origin=origin or url,
    )
