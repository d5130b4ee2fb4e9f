"""Frames (SemEval-2023 Task 3, subtask 2): the 14 frames of an article, with the sentences that carry them.

This module also holds the small runtime shared by the ``frames``, ``genre`` and ``techniques``
analyzers (one sentence-encoder call per document, cached by document id; the text features;
the plain-array linear heads), so the three analyzers together encode each document once.

Features of a text unit (the article for frames and genre, a paragraph line for techniques):
the mean of its sentences' embeddings (multilingual USE v3, re-normalised) and an L2-normalised
TF-IDF vector of lower-cased word unigrams and bigrams over a vocabulary fixed at training time.
A head is one-vs-rest logistic regression over those features (``models/<head>.npz``: ``coef``,
``intercept``, ``idf``; ``models/<head>.json``: labels, vocabulary, per-language thresholds and
the cross-validated figures). Training: ``narrascope train frames --data PATH``.

A frame is reported when its probability passes the threshold tuned (by cross-validation on the
training data) for the document's language; its evidence is the sentences whose own embedding
scores highest under the frame's embedding weights.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from narrascope import embeddings
from narrascope.model import Document, Evidence, FrameLabel
from narrascope.pipeline import Context, analyzer, language_code

VERSION = "1.0"
LANGS = ("en", "ru", "fr", "ge", "it", "po")
# ISO codes (Document.language) -> SemEval-2023 language folders
# the languages of the SemEval-2023 heads (frames, genre, techniques), as ISO 639-1 codes
ISO_LANGUAGES = ("en", "ru", "fr", "de", "it", "pl")
ISO_TO_SEMEVAL = {"en": "en", "ru": "ru", "fr": "fr", "de": "ge", "ge": "ge", "it": "it", "pl": "po", "po": "po"}
EVIDENCE_SENTENCES = 3

# ---------------------------------------------------------------- text units

_LINE = re.compile(r"[^\r\n]+")
_BREAK = re.compile(r"[.!?…]+[\"'»”’)\]]*\s+")
_OPENERS = "\"'«“„‘(["
_TOKEN = re.compile(r"\w\w+", re.U)


def lines(text: str) -> list[tuple[int, int, int]]:
    """Non-blank lines as ``(line_number, start, end)``, trimmed; line numbers count from 1 (SemEval's)."""
    out: list[tuple[int, int, int]] = []
    number = 1
    pos = 0
    for raw in text.split("\n"):
        s, e = pos, pos + len(raw)
        pos = e + 1
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((number, s, e))
        number += 1
    return out


def sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]`` (a regex splitter: end punctuation, space, upper-case start)."""
    end = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    for m in _LINE.finditer(text, start, end):
        s = m.start()
        for b in _BREAK.finditer(text, m.start(), m.end()):
            nxt = b.end()
            k = nxt
            while k < m.end() and text[k] in _OPENERS:
                k += 1
            if k < m.end() and (text[k].isupper() or text[k].isdigit()) and nxt - s > 3:
                out.append((s, nxt))
                s = nxt
        out.append((s, m.end()))
    trimmed = []
    for s, e in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return trimmed


def terms(text: str) -> list[str]:
    """Lower-cased word unigrams and bigrams (the TF-IDF terms)."""
    toks = _TOKEN.findall(text.lower())
    return toks + [f"{a} {b}" for a, b in zip(toks, toks[1:], strict=False)]


def mean_vector(emb: np.ndarray) -> np.ndarray:
    """The re-normalised mean of some sentence embeddings (zeros for none)."""
    if len(emb) == 0:
        return np.zeros(emb.shape[1] if emb.ndim == 2 else 512, dtype=np.float32)
    v = emb.mean(axis=0)
    return (v / max(float(np.linalg.norm(v)), 1e-12)).astype(np.float32)


def logistic(z: np.ndarray) -> np.ndarray:
    """Probabilities from log-odds, in ``z``'s dtype (the one-vs-rest heads of frames, techniques and
    their training)."""
    return 1.0 / (1.0 + np.exp(-z))  # type: ignore[no-any-return]


# ---------------------------------------------------------------- the shared encoding

@dataclass(frozen=True)
class Encoded:
    """A document's sentences (spans), their embeddings and its non-blank lines."""

    sentences: list[tuple[int, int]]
    embeddings: np.ndarray
    lines: list[tuple[int, int, int]]
    sentence_line: list[int] = field(default_factory=list)  # index into ``lines`` per sentence

    def vector(self, rows: list[int] | None = None) -> np.ndarray:
        emb = self.embeddings if rows is None else self.embeddings[rows]
        return mean_vector(emb)


_CACHE: OrderedDict[tuple[str, int], Encoded] = OrderedDict()
_CACHE_SIZE = 64
embeddings.on_clear(_CACHE.clear)  # per document: see narrascope.embeddings.clear_cache


def encode_text(text: str) -> Encoded:
    """Split and encode ``text`` (no caching)."""
    from narrascope.embeddings import encode

    lns = lines(text)
    sents: list[tuple[int, int]] = []
    owner: list[int] = []
    for i, (_, s, e) in enumerate(lns):
        for span in sentences(text, s, e):
            sents.append(span)
            owner.append(i)
    emb = encode([text[s:e] for s, e in sents])
    return Encoded(sents, emb, lns, owner)


def encoded(doc: Document) -> Encoded:
    """:func:`encode_text` of ``doc.text``, cached by document id and text (shared by the three analyzers)."""
    key = (doc.id, hash(doc.text))
    hit = _CACHE.get(key)
    if hit is not None:
        _CACHE.move_to_end(key)
        return hit
    enc = encode_text(doc.text)
    _CACHE[key] = enc
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return enc


def language(doc: Document, ctx: Context | None = None) -> str:
    """The SemEval language folder for the document (config ``lang`` first, then ``doc.language``; default en)."""
    if ctx is not None:
        lang = ctx.config.get("semeval_lang")
        if isinstance(lang, str) and lang in LANGS:
            return lang
    return ISO_TO_SEMEVAL.get(language_code(doc.language), "en")


# ---------------------------------------------------------------- linear heads

@dataclass(frozen=True)
class Head:
    """One-vs-rest (or softmax) logistic regression over ``[embedding, tf-idf]``."""

    labels: list[str]
    coef: np.ndarray  # (L, dims + V)
    intercept: np.ndarray  # (L,)
    idf: np.ndarray  # (V,)
    vocab: dict[str, int]
    dims: int
    meta: dict[str, Any]

    def tfidf(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        counts: dict[int, int] = {}
        for t in terms(text):
            j = self.vocab.get(t)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        idx = np.fromiter(counts, dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        val = (1.0 + np.log(tf)) * self.idf[idx]
        return idx, (val / max(float(np.linalg.norm(val)), 1e-12)).astype(np.float32)

    def scores(self, vector: np.ndarray, text: str, extra: np.ndarray | None = None) -> np.ndarray:
        """Raw decision values, one per label."""
        idx, val = self.tfidf(text)
        z = self.coef[:, : self.dims] @ (vector if extra is None else np.concatenate([vector, extra]))
        if len(idx):
            z = z + self.coef[:, self.dims + idx] @ val
        return z + self.intercept

    def probabilities(self, vector: np.ndarray, text: str, extra: np.ndarray | None = None) -> np.ndarray:
        z = self.scores(vector, text, extra)
        if self.meta.get("softmax"):
            e = np.exp(z - z.max())
            return e / e.sum()
        return logistic(z)

    def thresholds(self, lang: str) -> np.ndarray:
        table = self.meta.get("thresholds", {})
        t = table.get(lang, table.get("all", 0.5))
        return np.asarray(t if isinstance(t, list) else [t] * len(self.labels), dtype=np.float32)


def save_head(name: str, out: Any, labels: list[str], coef: np.ndarray, intercept: np.ndarray,
              idf: np.ndarray, vocab: list[str], dims: int, meta: dict[str, Any]) -> None:
    """Write ``<name>.npz`` (float16 weights) and ``<name>.json`` into folder ``out``."""
    from pathlib import Path

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out / f"{name}.npz", coef=np.asarray(coef, dtype=np.float16),
                        intercept=np.asarray(intercept, dtype=np.float32), idf=np.asarray(idf, dtype=np.float32))
    body = {**meta, "labels": labels, "dims": dims, "vocab": vocab}
    (out / f"{name}.json").write_text(json.dumps(body, ensure_ascii=False) + "\n", encoding="utf-8")


@functools.cache
def load_head(name: str) -> Head | None:
    """The shipped head ``models/<name>.{npz,json}``, or None where it is missing."""
    from narrascope import models

    loaded = models.load(name)
    if loaded is None:
        return None
    arrays, meta = loaded
    coef = arrays["coef"].astype(np.float32)
    intercept = arrays["intercept"].astype(np.float32)
    idf = arrays["idf"].astype(np.float32)
    vocab = {t: i for i, t in enumerate(meta.pop("vocab"))}
    labels = list(meta.pop("labels"))
    dims = int(meta.pop("dims"))
    return Head(labels, coef, intercept, idf, vocab, dims, meta)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))


# ---------------------------------------------------------------- the analyzer

def predict(head: Head, enc: Encoded, text: str, lang: str) -> list[tuple[str, float]]:
    """Frames above their thresholds, with probabilities (most probable first)."""
    probs = head.probabilities(enc.vector(), text)
    thr = head.thresholds(lang)
    picked = [(head.labels[i], float(probs[i])) for i in np.argsort(-probs) if probs[i] >= thr[i]]
    return picked


@analyzer("frames", version=VERSION, assigns=("frames",), languages=ISO_LANGUAGES)
def analyze(doc: Document, ctx: Context) -> Document:
    """Frames of the article (14, multi-label), each with the sentences that carry it."""
    head = load_head("frames")
    if head is None:
        return doc.with_layers("frames", VERSION, frames=())
    enc = encoded(doc)
    if not enc.sentences:
        return doc.with_layers("frames", VERSION, frames=())
    lang = language(doc, ctx)
    out = []
    w_emb = head.coef[:, : head.dims]
    sent_scores = enc.embeddings @ w_emb.T  # (S, L)
    for label, p in predict(head, enc, doc.text, lang):
        ev = evidence_sentences(doc.text, enc, sent_scores[:, head.labels.index(label)])
        out.append(FrameLabel(frame=label, confidence=round(min(max(p, 0.0), 1.0), 4), evidence=ev))
    return doc.with_layers("frames", VERSION, frames=tuple(out))


def evidence_sentences(text: str, enc: Encoded, col: np.ndarray, k: int = EVIDENCE_SENTENCES,
                       positive_only: bool = False) -> tuple[Evidence, ...]:
    """The ``k`` sentences scoring highest in ``col`` (one score per sentence of ``enc``), in text
    order, weighted by how far each stands above the article's median sentence; with
    ``positive_only``, only sentences scoring above 0 (those that push towards the label)."""
    order = [i for i in np.argsort(-col)[:k].tolist() if not positive_only or col[i] > 0]
    centre = float(np.median(col))
    ev = []
    for i in sorted(order):
        s, e = enc.sentences[i]
        ev.append(Evidence(start=s, end=e, text=text[s:e], weight=round(_sigmoid(4.0 * float(col[i] - centre)), 4)))
    return tuple(ev)
