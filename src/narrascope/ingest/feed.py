"""RSS/Atom feeds → Documents, one per entry (feedparser).

A feed file is parsed from its bytes; a feed URL is fetched with the guarded fetch of
:mod:`narrascope.ingest.url` (feedparser never fetches anything itself). For each entry the
article text is the entry's full content (``content:encoded`` / Atom ``content``) when it has
one; otherwise, when ``fetch_links`` is on, the entry's link is fetched as an article; otherwise
its summary. The entry title is the headline, the feed title the outlet, the entry's date the
publication date. An entry that yields no text becomes a Failure and the others still load.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

from narrascope.errors import InputError, NarrascopeError, NoArticleError
from narrascope.ingest.decoding import DEFAULT_MAX_BYTES
from narrascope.ingest.language import with_language
from narrascope.ingest.text import from_text
from narrascope.model import Document
from narrascope.pipeline import Failure

FEED_SUFFIXES = (".rss", ".atom", ".xml")
_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article"}
_SKIP = {"script", "style", "noscript", "template"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: one paragraph per block element, whitespace collapsed."""
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    blocks = [" ".join(b.split()) for b in re.split(r"\n\s*\n", "".join(parser.parts))]
    return "\n\n".join(b for b in blocks if b)


def looks_like_feed(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head


def _date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            return dt.datetime.fromtimestamp(calendar.timegm(value), dt.UTC).date().isoformat()
    return None


def iter_feed(
    source: str,
    *,
    data: bytes | None = None,
    fetch_links: bool = False,
    allow_private: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    language: str | None = None,
) -> Iterator[Document | Failure]:
    """Documents (and Failures) of the feed at ``source`` (a path or http(s) URL), in feed order.

    ``data`` gives the feed's bytes (``source`` then only names it). Raises when the feed
    itself cannot be read or is not a feed.
    """
    import feedparser

    if data is None:
        if source.lower().startswith(("http://", "https://")):
            from narrascope.ingest.url import fetch

            data = fetch(source, allow_private=allow_private, max_bytes=max_bytes).content
        else:
            from narrascope.ingest.files import read_file

            data = read_file(source, max_bytes=max_bytes)
    parsed = feedparser.parse(data)
    if not parsed.entries and (parsed.get("bozo") or not parsed.get("version")):
        reason = parsed.get("bozo_exception")
        raise InputError(f"{source} is not a readable RSS/Atom feed" + (f": {reason}" if reason else ""),
                         hint="pass an RSS or Atom feed (file or URL)")
    outlet = " ".join((parsed.feed.get("title") or "").split()) or None
    return _entries(source, parsed.entries, outlet, fetch_links=fetch_links, allow_private=allow_private,
                    max_bytes=max_bytes, language=language)


def _entries(
    source: str, entries: list[Any], outlet: str | None, *, fetch_links: bool, allow_private: bool,
    max_bytes: int, language: str | None,
) -> Iterator[Document | Failure]:
    for n, entry in enumerate(entries, 1):
        origin = f"{source}#{entry.get('id') or entry.get('link') or n}"
        title = " ".join((entry.get("title") or "").split()) or None
        link = entry.get("link")
        try:
            contents = entry.get("content") or []
            html = "\n".join(c.get("value", "") for c in contents)
            text = html_to_text(html) if html.strip() else ""
            if not text and fetch_links and link:
                from narrascope.ingest.url import from_url

                doc = from_url(link, headline=title, allow_private=allow_private, max_bytes=max_bytes)
                yield with_language(doc.model_copy(update={
                    "outlet": doc.outlet or outlet, "published": doc.published or _date(entry), "origin": origin,
                }), language)
                continue
            if not text:
                text = html_to_text(entry.get("summary") or "")
            if not text:
                raise NoArticleError(f"feed entry {n} ({title or link or 'untitled'}) has no text",
                                     hint="use a feed with full content, or fetch the links with --fetch-links")
            doc = from_text(text, headline=title, url=link, outlet=outlet, author=entry.get("author") or None,
                            published=_date(entry), origin=origin)
            yield with_language(doc, language)
        except NarrascopeError as exc:
            yield Failure(f"entry {n}", origin, exc)
