"""JSONL → Documents, one article per line, streamed in constant memory.

Each line is a JSON object with ``text`` (a non-empty string) and optionally ``headline`` (or
``title``), ``url``, ``outlet``, ``author``, ``published``, ``language`` and ``id`` (strings or
null); other keys are ignored. A bad line becomes a :class:`~narrascope.pipeline.Failure`
(``id="line N"``, ``origin="PATH:N"``) and the remaining lines still load; only a file that
cannot be read at all (missing, empty, binary, unreadable) raises.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from narrascope.errors import (
    EmptyInputError,
    InputError,
    InputNotFoundError,
    MalformedRecordError,
    NarrascopeError,
)
from narrascope.ingest.decoding import DEFAULT_MAX_BYTES, check_binary, decode_utf8, too_large
from narrascope.ingest.language import with_language
from narrascope.ingest.text import from_text
from narrascope.model import Document
from narrascope.pipeline import Failure

OPTIONAL_FIELDS = ("headline", "title", "url", "outlet", "author", "published", "language", "id")
_CHUNK = 65536


def _lines(stream: BinaryIO, max_bytes: int) -> Iterator[tuple[int, int, bytes | None]]:
    """``(line number, byte offset, line)``; ``None`` for a line over ``max_bytes`` (skipped unread)."""
    n, offset = 0, 0
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        n += 1
        start = offset
        offset += len(line)
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while True:  # skip the rest of the over-long line without keeping it
                rest = stream.readline(_CHUNK)
                offset += len(rest)
                if not rest or rest.endswith(b"\n"):
                    break
            yield n, start, None
            continue
        yield n, start, line


def record_to_document(record: object, *, origin: str, language: str | None = None) -> Document:
    """One parsed JSONL record → Document; a bad record → :class:`MalformedRecordError`."""
    if not isinstance(record, dict):
        raise MalformedRecordError(f"expected a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if text is None:
        raise MalformedRecordError("the record has no 'text' field")
    if not isinstance(text, str):
        raise MalformedRecordError(f"'text' must be a string, got {type(text).__name__}")
    if not text.strip():
        raise MalformedRecordError("'text' is empty")
    meta: dict[str, str | None] = {}
    for key in OPTIONAL_FIELDS:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise MalformedRecordError(
                f"{key!r} must be a string or null, got {type(value).__name__}"
            )
        meta[key] = (value.strip() or None) if isinstance(value, str) else None
    doc = from_text(
        text,
        headline=meta["headline"] or meta["title"],
        id=meta["id"],
        url=meta["url"],
        outlet=meta["outlet"],
        author=meta["author"],
        published=meta["published"],
        origin=origin,
    )
    return with_language(doc, language or meta["language"])


def iter_jsonl(
    path: str | Path,
    *,
    stream: BinaryIO | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    language: str | None = None,
) -> Iterator[Document | Failure]:
    """Documents and Failures, one per non-blank line, in file order.

    ``max_bytes`` caps each line, not the file. ``stream`` reads from an open binary stream
    (``path`` then only names it). Raises, before yielding anything, when the file is missing,
    unreadable, empty or binary.
    """
    name = str(path)
    if stream is None:
        try:
            handle: BinaryIO = open(path, "rb", buffering=_CHUNK)  # noqa: SIM115 - closed in the generator below
        except FileNotFoundError:
            raise InputNotFoundError(f"no such file: {name}") from None
        except IsADirectoryError:
            raise InputError(f"{name} is a directory", hint="pass a JSONL file") from None
        except OSError as exc:
            raise InputError(f"cannot read {name}: {exc.strerror or exc}") from None
    else:
        handle = stream
    try:
        head = handle.peek(_CHUNK)[:_CHUNK] if hasattr(handle, "peek") else b""
        if hasattr(handle, "peek") and not head:
            raise EmptyInputError(f"{name} is empty")
        check_binary(head, name)
    except NarrascopeError:
        if stream is None:
            handle.close()
        raise
    return _iter(handle, name, close=stream is None, max_bytes=max_bytes, language=language)


def _iter(
    handle: BinaryIO, name: str, *, close: bool, max_bytes: int, language: str | None
) -> Iterator[Document | Failure]:
    seen_any = False
    try:
        for n, offset, line in _lines(handle, max_bytes):
            origin = f"{name}:{n}"
            if line is None:
                seen_any = True
                yield Failure(
                    f"line {n}", origin, too_large(f"line {n} of {name}", None, max_bytes)
                )
                continue
            if not line.strip():
                continue
            seen_any = True
            try:
                if b"\x00" in line:
                    check_binary(line, f"line {n} of {name}")
                text = decode_utf8(line, f"line {n} of {name}", offset=offset)
                try:
                    record = json.loads(text)
                except json.JSONDecodeError as exc:
                    raise MalformedRecordError(
                        f"not valid JSON: {exc.msg} at column {exc.colno}"
                    ) from None
                yield record_to_document(record, origin=origin, language=language)
            except NarrascopeError as exc:
                yield Failure(f"line {n}", origin, exc)
        if not seen_any:
            raise EmptyInputError(f"{name} has no records")
    finally:
        if close:
            handle.close()
