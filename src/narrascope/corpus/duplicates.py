"""Near-duplicate detection: MinHash over word shingles of the body, banded for lookup (LSH).

Syndicated copies of one article (the same body under another outlet's headline, with a changed
sentence or two) share most of their 5-word shingles. Each document gets a fixed-seed MinHash
signature of :data:`PERMUTATIONS` 32-bit values; the signature is cut into :data:`BANDS` bands,
and two documents that share any band are candidates, confirmed when the signatures agree on at
least :data:`THRESHOLD` of their values (an estimate of the Jaccard similarity of the shingle
sets). The signature and band keys are stored with the document, so grouping survives restarts
and works across ingest runs. With 16 bands of 8 rows a pair at Jaccard 0.8 is a candidate with
probability ~0.997, a pair at 0.5 with ~0.06.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np

PERMUTATIONS = 128
BANDS = 16
ROWS = PERMUTATIONS // BANDS
SHINGLE = 5
THRESHOLD = 0.8
"""Estimated Jaccard similarity at and above which two bodies are near-duplicates."""

_rng = np.random.default_rng(20250505)  # fixed: signatures must be the same in every run
_A = _rng.integers(1, 2**63, size=PERMUTATIONS, dtype=np.uint64) | np.uint64(1)
_B = _rng.integers(0, 2**63, size=PERMUTATIONS, dtype=np.uint64)
_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    """Lower-cased word ``k``-grams of ``text`` (the whole text as one shingle when shorter)."""
    words = _WORD.findall(unicodedata.normalize("NFC", text).lower())
    if len(words) <= k:
        return {" ".join(words)}
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


def signature(text: str) -> np.ndarray:
    """The MinHash signature of ``text``: ``PERMUTATIONS`` uint32 values."""
    hashed = np.fromiter(
        (int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=4).digest(), "little")
         for s in shingles(text)),
        dtype=np.uint64,
    )
    # multiply-shift hashing: ((a*x + b) mod 2^64) >> 32, one (a, b) per permutation
    with np.errstate(over="ignore"):
        values = (hashed[:, None] * _A[None, :] + _B[None, :]) >> np.uint64(32)
    return values.min(axis=0).astype(np.uint32)


def band_keys(sig: np.ndarray) -> list[str]:
    """One lookup key per band: ``"band:hex"``."""
    raw = sig.astype("<u4").tobytes()
    step = ROWS * 4
    return [
        f"{b}:{hashlib.blake2b(raw[b * step : (b + 1) * step], digest_size=8).hexdigest()}"
        for b in range(BANDS)
    ]


def to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype="<u4")


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.mean(a == b))


def body(text: str, body_start: int = 0) -> str:
    """The part of a document's text that is compared: everything after the in-text headline."""
    return text[body_start:]
