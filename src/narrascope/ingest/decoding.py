"""Raw bytes → checked text: size cap, empty, binary, UTF-8 (with the byte offset of a bad byte).

Shared by every loader that reads bytes (files, stdin, fetched pages, JSONL lines). ``\\r``
characters are kept as they are, so character offsets count them.
"""

from __future__ import annotations

import codecs
import re
from typing import BinaryIO

from narrascope.errors import BinaryInputError, EmptyInputError, EncodingError, InputTooLargeError

DEFAULT_MAX_BYTES = 5_000_000
"""The default cap on one input (a file, a page, one JSONL line): 5 MB."""

_SNIFF = 8192
# C0 controls that never appear in text (tab, LF, VT, FF, CR and ESC are allowed), and DEL.
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)) + b"\x7f"
_HTML_START = re.compile(
    rb"\A(?:\s|<!--.*?-->)*<(?:!doctype\s+html|html|head|body|meta|title|article)\b",
    re.IGNORECASE | re.DOTALL,
)


def human_size(n: int) -> str:
    """``5000000`` → ``'5.0 MB'`` (decimal units, as the cap is given)."""
    if n < 1000:
        return f"{n} bytes"
    size, unit = float(n), "bytes"
    for unit in ("kB", "MB", "GB"):  # noqa: B007 - the last unit tried is the one shown
        size /= 1000
        if size < 1000:
            break
    return f"{size:.1f} {unit}"


def too_large(what: str, size: int | None, max_bytes: int) -> InputTooLargeError:
    """The error for an input over the cap; ``size=None`` when only "more than the cap" is known."""
    got = (
        f"{human_size(size)} ({size} bytes)" if size is not None else f"more than {max_bytes} bytes"
    )
    return InputTooLargeError(
        f"{what} is {got}, over the cap of {human_size(max_bytes)} ({max_bytes} bytes)",
        hint=f"split the input into articles, or raise the cap with --max-bytes (now {max_bytes})",
    )


def read_capped(stream: BinaryIO, max_bytes: int, what: str) -> bytes:
    """Read at most ``max_bytes + 1`` bytes; more than the cap → :class:`InputTooLargeError`."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise too_large(what, None, max_bytes)
    return data


def looks_like_html(data: bytes | str) -> bool:
    """True when the content opens like an HTML document (after a BOM, blanks and comments)."""
    head = data[:_SNIFF]
    if isinstance(head, str):
        head = head.encode("utf-8", "replace")
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]
    return bool(_HTML_START.match(head))


def check_binary(data: bytes, what: str) -> None:
    """NUL bytes anywhere, or many control bytes in the opening → :class:`BinaryInputError`."""
    nul = data.find(b"\x00")
    if nul >= 0:
        raise BinaryInputError(f"{what} looks binary: it has a NUL byte at offset {nul}")
    sample = data[:_SNIFF]
    if sample:
        controls = len(sample) - len(sample.translate(None, _CONTROL))
        if controls / len(sample) > 0.05:
            raise BinaryInputError(
                f"{what} looks binary: {controls} of its first {len(sample)} bytes are control bytes"
            )


_COMMON_ENCODINGS = {
    "cp1252": "CP1252",
    "latin_1": "LATIN1",
    "iso8859_15": "ISO-8859-15",
    "cp1251": "CP1251",
    "koi8_r": "KOI8-R",
    "utf_16": "UTF-16",
    "utf_16_le": "UTF-16LE",
    "utf_16_be": "UTF-16BE",
    "cp1250": "CP1250",
    "iso8859_2": "ISO-8859-2",
    "shift_jis": "SHIFT_JIS",
    "gb18030": "GB18030",
    "big5": "BIG5",
    "euc_kr": "EUC-KR",
    "mac_roman": "MACINTOSH",
}


def _guess_encoding(data: bytes) -> str | None:
    """A likely legacy encoding (iconv's name) for a hint; ``None`` when unsure."""
    if len(data) < 64:
        return None
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a trafilatura dependency, normally present
        return None
    best = from_bytes(data[:65536]).best()
    return _COMMON_ENCODINGS.get(best.encoding) if best is not None else None


def decode_utf8(data: bytes, what: str, *, offset: int = 0) -> str:
    """Strict UTF-8 (a leading BOM is dropped); a bad byte → :class:`EncodingError` with its offset.

    ``offset`` is added to the reported byte offset (the position of ``data`` in a larger file).
    """
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        at = offset + bom + exc.start
        bad = data[bom + exc.start : bom + exc.end]
        line = data.count(b"\n", 0, bom + exc.start) + 1
        guess = _guess_encoding(data)
        hint = None
        if guess:
            hint = f"it looks like {guess}; re-encode it as UTF-8, e.g. `iconv -f {guess} -t UTF-8 FILE`"
        raise EncodingError(
            f"{what} is not valid UTF-8: byte 0x{bad[:1].hex().upper()} at byte offset {at} "
            f"(line {line}) ({exc.reason})",
            hint=hint,
        ) from None


def check_bytes(data: bytes, what: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """The checks before decoding, in order: cap, empty/whitespace-only, binary."""
    if len(data) > max_bytes:
        raise too_large(what, len(data), max_bytes)
    if not data.strip():
        raise EmptyInputError(f"{what} is empty" if not data else f"{what} holds only whitespace")
    check_binary(data, what)


def bytes_to_text(data: bytes, what: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """All checks (:func:`check_bytes`), then strict UTF-8, then whitespace-only once decoded."""
    check_bytes(data, what, max_bytes=max_bytes)
    text = decode_utf8(data, what)
    if not text.strip():
        raise EmptyInputError(f"{what} holds only whitespace")
    return text
