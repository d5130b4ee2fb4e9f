"""WARC archives → Documents, one per archived HTML page (warcio).

``response`` records with a 2xx HTML payload and ``resource`` records of HTML or plain text
become Documents through the HTML and text loaders; the record's target URI is the document's
URL and its origin is ``PATH#record-id``. Other records (requests, metadata, images, redirects)
are passed over silently; a page with no article text becomes a Failure and the archive goes
on. Records are streamed, so an archive of any size loads in constant memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from narrascope.errors import InputError, InputNotFoundError, NarrascopeError
from narrascope.ingest.decoding import DEFAULT_MAX_BYTES, bytes_to_text, too_large
from narrascope.ingest.html import from_html
from narrascope.ingest.language import with_language
from narrascope.ingest.text import from_text
from narrascope.model import Document
from narrascope.pipeline import Failure

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
_HTML = ("text/html", "application/xhtml+xml")


def is_warc(source: str) -> bool:
    return source.lower().endswith(WARC_SUFFIXES)


def iter_warc(
    path: str, *, max_bytes: int = DEFAULT_MAX_BYTES, language: str | None = None
) -> Iterator[Document | Failure]:
    """Documents and Failures of the archive at ``path``, in record order."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed by the generator
    except FileNotFoundError:
        raise InputNotFoundError(f"no such file: {path}") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if not _looks_like_warc(handle):
        handle.close()
        raise InputError(f"{path} is not a WARC archive (it does not start with a WARC record)",
                         hint="pass a .warc or .warc.gz file written by a web archiver")
    return _records(handle, path, max_bytes=max_bytes, language=language)


def _looks_like_warc(handle: Any) -> bool:
    import zlib

    head = handle.read(512)
    handle.seek(0)
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
        except zlib.error:
            return False
    return head.lstrip().startswith((b"WARC/", b"filedesc://"))


def _content_type(record: Any) -> str:
    if record.rec_type == "response":
        if record.http_headers is None:
            return ""
        status = record.http_headers.get_statuscode() or ""
        if not status.startswith("2"):
            return ""
        value = record.http_headers.get_header("Content-Type") or ""
    else:
        value = record.rec_headers.get_header("Content-Type") or ""
    return value.split(";")[0].strip().lower()


def _records(handle: Any, path: str, *, max_bytes: int, language: str | None) -> Iterator[Document | Failure]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        for n, record in enumerate(ArchiveIterator(handle), 1):
            if record.rec_type not in ("response", "resource"):
                continue
            ctype = _content_type(record)
            if ctype not in _HTML and ctype != "text/plain":
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            rid = record.rec_headers.get_header("WARC-Record-ID") or str(n)
            origin = f"{path}#{rid.strip('<>')}"
            try:
                data = record.content_stream().read(max_bytes + 1)
                if len(data) > max_bytes:
                    raise too_large(f"record {rid} of {path}", None, max_bytes)
                if ctype == "text/plain":
                    doc = from_text(bytes_to_text(data, origin, max_bytes=max_bytes), url=url, origin=origin)
                else:
                    doc = from_html(data, url=url, origin=origin)
                yield with_language(doc, language)
            except NarrascopeError as exc:
                yield Failure(f"record {n}", origin, exc)
    except ArchiveLoadFailed as exc:
        raise InputError(f"{path} is not a readable WARC archive: {exc}",
                         hint="pass a .warc or .warc.gz file written by a web archiver") from None
    finally:
        handle.close()
