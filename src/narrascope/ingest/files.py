"""One entry point for every input kind: :func:`load` dispatches on the source.

========================  ==============================================================
source                    loaded as
========================  ==============================================================
``-``                     stdin (text, or HTML when it opens like HTML)
``http://`` ``https://``  a guarded fetch (:mod:`narrascope.ingest.url`)
``*.jsonl`` ``*.ndjson``  one article per line (:mod:`narrascope.ingest.jsonl`)
``*.html`` ``*.htm``      HTML (:mod:`narrascope.ingest.html`)
anything else             a UTF-8 text file; sniffed HTML goes to the HTML loader
========================  ==============================================================

Single-document sources raise their typed error from :func:`load` itself; JSONL yields a
:class:`~narrascope.pipeline.Failure` for each bad line and goes on. :func:`load_all` turns
every error into a Failure, for batches over many sources.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from narrascope.errors import InputError, InputNotFoundError, NarrascopeError
from narrascope.ingest.decoding import (
    DEFAULT_MAX_BYTES,
    bytes_to_text,
    check_bytes,
    looks_like_html,
    read_capped,
    too_large,
)
from narrascope.ingest.html import from_html
from narrascope.ingest.jsonl import iter_jsonl
from narrascope.ingest.language import with_language
from narrascope.ingest.text import from_text
from narrascope.ingest.url import DEFAULT_TIMEOUT, from_url
from narrascope.model import Document
from narrascope.pipeline import Failure

JSONL_SUFFIXES = (".jsonl", ".ndjson")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")


def kind_of(source: str) -> str:
    """``"stdin"``, ``"url"``, ``"jsonl"``, ``"html"`` or ``"file"`` (text, or HTML by content)."""
    if source == "-":
        return "stdin"
    if source.lower().startswith(("http://", "https://")):
        return "url"
    suffix = Path(source).suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in HTML_SUFFIXES:
        return "html"
    return "file"


def read_file(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of ``path``; refuses a file over the cap by its size, before reading it."""
    name = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputNotFoundError(f"no such file: {name}") from None
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{name} is a directory", hint="pass a file; to load many, pass each path")
    if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
        raise too_large(name, info.st_size, max_bytes)
    try:
        with open(path, "rb") as f:
            return read_capped(f, max_bytes, name)  # pipes and files that grew: read cap+1 at most
    except FileNotFoundError:
        raise InputNotFoundError(f"no such file: {name}") from None
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror or exc}") from None


def from_bytes(
    data: bytes,
    *,
    origin: str,
    html: bool | None = None,
    headline: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    language: str | None = None,
) -> Document:
    """Checked bytes → Document: HTML when ``html`` (``None``: sniff the content), else text."""
    if html is None:
        html = looks_like_html(data)
    if html:
        check_bytes(data, origin, max_bytes=max_bytes)  # trafilatura finds the page's own encoding
        doc = from_html(data, headline=headline, origin=origin)
    else:
        text = bytes_to_text(data, origin, max_bytes=max_bytes)
        doc = from_text(text, headline=headline, origin=origin)
    return with_language(doc, language)


def load(
    source: str,
    *,
    headline: str | None = None,
    allow_private: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    language: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    stdin: BinaryIO | None = None,
) -> Iterator[Document | Failure]:
    """The Documents of ``source`` (a path, ``-`` for stdin, or an http(s) URL).

    - ``headline`` overrides the headline (single-article sources only).
    - ``allow_private`` lets a URL reach loopback/private/link-local addresses.
    - ``max_bytes`` caps one input: the file, the stdin text, the fetched page, or one JSONL line.
    - ``language`` sets ``Document.language`` instead of detecting it.
    - ``timeout`` is the connect/read timeout of a fetch, in seconds.
    - ``stdin`` replaces ``sys.stdin.buffer`` for ``-``.

    A single-article source raises its :class:`~narrascope.errors.NarrascopeError` here, at
    the call; so does a JSONL file that cannot be read at all. A bad JSONL line is yielded as a
    :class:`~narrascope.pipeline.Failure`, and the lines after it still load.
    """
    kind = kind_of(source)
    if kind == "jsonl":
        if headline is not None:
            raise InputError(
                "a headline can only be given for a single article, not for a JSONL file",
                hint="put each article's headline in its record's 'headline' field",
            )
        return iter_jsonl(source, max_bytes=max_bytes, language=language)
    if kind == "url":
        doc = from_url(
            source,
            headline=headline,
            allow_private=allow_private,
            max_bytes=max_bytes,
            timeout=timeout,
            language=language,
        )
    elif kind == "stdin":
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = read_capped(stream, max_bytes, "stdin")
        doc = from_bytes(
            data, origin="<stdin>", headline=headline, max_bytes=max_bytes, language=language
        )
    else:
        data = read_file(source, max_bytes=max_bytes)
        html = True if kind == "html" else None
        doc = from_bytes(
            data,
            origin=source,
            html=html,
            headline=headline,
            max_bytes=max_bytes,
            language=language,
        )
    return iter((doc,))


def load_one(source: str, **options: object) -> Document:
    """The one Document of a single-article source (the first, for JSONL; a Failure raises)."""
    for item in load(source, **options):  # type: ignore[arg-type]
        if isinstance(item, Failure):
            raise item.error
        return item
    raise InputError(f"{source} holds no article")  # pragma: no cover - load never yields nothing


def load_all(sources: Iterable[str], **options: object) -> Iterator[Document | Failure]:
    """:func:`load` over many sources; a source that raises becomes one Failure, never an exception."""
    for source in sources:
        try:
            yield from load(source, **options)  # type: ignore[arg-type]
        except NarrascopeError as exc:
            yield Failure(source, source, exc)
