"""Content-hash document ids: the same article text always gets the same id."""

from __future__ import annotations

import hashlib
import unicodedata


def content_id(text: str) -> str:
    """A 16-hex-digit id from the NFC-normalised, whitespace-collapsed text."""
    norm = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=8).hexdigest()
