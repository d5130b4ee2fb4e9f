"""The body's stance toward the headline (FNC-1 labels: agree, disagree, discuss, unrelated).

Two learned stages (trained on the Fake News Challenge stage-1 data; see
``models/MODEL_CARD_stance.md``), both small multi-layer perceptrons stored as plain arrays:

1. **related or unrelated**, from ~20 similarity features between the headline and the body:
   stem overlap (whole body, lead sentences, best sentence, idf-weighted), bigram and number
   overlap, TF-IDF cosines, USE cosines (body centroid, best sentence, top-3 sentences, lead);
2. **agree, disagree or discuss** for related pairs, from those features plus counts of refuting,
   hedging/reporting and confirming words (headline, body, best-matching sentences), negation
   polarity, and the USE embeddings of the headline and of the best-matching sentences.

``stance`` = ``unrelated`` when P(related) < 0.5, else the best stage-2 class; ``scores`` are
P(unrelated) = 1 − P(related) and P(related) × P(class | related). The evidence is the body
sentences closest to the headline (USE cosine), weight = the cosine. A document without a
headline (or without body sentences, or where the model files are absent) gets ``stance=None``. Inference is numpy over shipped arrays; nothing is downloaded.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from narrascope.model import Document, Evidence, StanceLabel
from narrascope.pipeline import Context, analyzer

VERSION = "1.2"
MODEL_NAME = "stance"
LABELS = ("agree", "disagree", "discuss", "unrelated")
RELATED = ("agree", "disagree", "discuss")
TOP_K = 3
EVIDENCE_K = 3

_SENT = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’)\]]*|\n|$)")
_WORD = re.compile(r"[a-z0-9]+")
_NUM = re.compile(r"\d+(?:[.,]\d+)?")

REFUTE = frozenset("""fake fraud hoax false deny denies denied denying not no never nope doubt doubts doubted
dispute disputes disputed bogus debunk debunks debunked debunking prank pranks retract retracts retracted
reject rejects rejected untrue misleading rumor rumour rumors rumours myth lie lies lied satire satirical
fabricated fiction contrary refute refutes refuted dismiss dismissed wrong incorrect baseless unfounded
unsubstantiated nothing neither nor isn aren wasn weren didn doesn don won cannot""".split())
HEDGE = frozenset("""reportedly allegedly alleged claim claims claimed claiming according report reports
reported reporting may might could possibly possible apparently purportedly rumored rumoured suggest suggests
suggested unconfirmed unverified believed appears appear seems seem said says say sources source told
speculation speculated if whether likely unclear""".split())
CONFIRM = frozenset("""confirm confirms confirmed confirming true indeed official officially announced
revealed reveals shows showed proved proven verified evidence footage video photos pictures
statement acknowledged admitted admits""".split())


def split_body(text: str, min_chars: int = 3) -> list[tuple[int, int]]:
    """Sentence ``(start, end)`` offsets of a body by punctuation and line breaks (fast, no parse)."""
    out: list[tuple[int, int]] = []
    for m in _SENT.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e - s >= min_chars:
            out.append((s, e))
    return out


@functools.cache
def _stop() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(w.lower() for w in STOP_WORDS) - REFUTE


@functools.lru_cache(maxsize=400_000)
def tokens(text: str) -> tuple[str, ...]:
    """Lower-case word tokens (``n't`` read as ``not``)."""
    return tuple(_WORD.findall(text.lower().replace("’", "'").replace("n't", " not")))


@functools.lru_cache(maxsize=400_000)
def stems(text: str) -> tuple[str, ...]:
    """Content-word stems (stopwords out; a 6-character prefix as a crude stemmer)."""
    stop = _stop()
    return tuple(w[:6] for w in tokens(text) if w not in stop and len(w) > 1)


@dataclass(frozen=True)
class Pair:
    """What the features need of one headline–body pair."""

    headline: str
    sentences: Sequence[str]  # body sentences, in order
    h_vec: np.ndarray  # (512,)
    s_vecs: np.ndarray  # (n, 512)


def pairs_for(bodies: Mapping[str, str], pairs: Sequence[tuple[str, str]],
              encode: Callable[[Sequence[str]], np.ndarray]) -> list[Pair]:
    """One :class:`Pair` per ``(headline, body id)``: the body's sentences (:func:`split_body`) with
    their embeddings and the headline's, every distinct sentence list and headline encoded once
    (``encode``: :func:`narrascope.embeddings.encode`, or a cached variant in training)."""
    used = sorted({b for _, b in pairs})
    sents = {b: [bodies[b][s:e] for s, e in split_body(bodies[b])] for b in used}
    heads = sorted({h for h, _ in pairs})
    s_vecs = encode([s for b in used for s in sents[b]])
    h_vecs = np.asarray(encode(heads), dtype=np.float32)
    by_body, k = {}, 0
    for b in used:
        by_body[b] = s_vecs[k : k + len(sents[b])]
        k += len(sents[b])
    h_index = {h: i for i, h in enumerate(heads)}
    return [Pair(h, sents[b], h_vecs[h_index[h]], by_body[b]) for h, b in pairs]


N_SIM = 20
N_LEX = 22


def _idf(idf: dict[str, float], w: str) -> float:
    return idf.get(w, idf.get("<unk>", 8.0))


def _cos_tfidf(a: dict[str, float], b: dict[str, float]) -> float:
    num = sum(v * b.get(k, 0.0) for k, v in a.items())
    den = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return num / den if den else 0.0


def _tf(ws: Sequence[str], idf: dict[str, float]) -> dict[str, float]:
    c: dict[str, int] = {}
    for w in ws:
        c[w] = c.get(w, 0) + 1
    return {w: (1 + math.log(n)) * _idf(idf, w) for w, n in c.items()}


def similarity(pair: Pair, idf: dict[str, float]) -> tuple[list[float], np.ndarray]:
    """Stage-1 features of a pair, and the sentence cosines (for ranking evidence)."""
    h = stems(pair.headline)
    hs = set(h)
    sent_stems = [stems(s) for s in pair.sentences] or [()]
    body = [w for ss in sent_stems for w in ss]
    bs = set(body)
    lead = {w for ss in sent_stems[:2] for w in ss}
    hw = sum(_idf(idf, w) for w in hs) or 1.0
    inter = hs & bs
    per_sent = [sum(_idf(idf, w) for w in hs & set(ss)) / hw for ss in sent_stems]
    hb = {f"{a} {b}" for a, b in zip(h, h[1:], strict=False)}
    bb = {f"{a} {b}" for ss in sent_stems for a, b in zip(ss, ss[1:], strict=False)}
    hn = set(_NUM.findall(pair.headline))
    body_text = " ".join(pair.sentences)
    bn = set(_NUM.findall(body_text))
    th = _tf(h, idf)
    tb = _tf(body, idf)
    tfcos = [_cos_tfidf(th, _tf(ss, idf)) for ss in sent_stems]
    if len(pair.s_vecs):
        cos = pair.s_vecs.astype(np.float32) @ pair.h_vec.astype(np.float32)
        centroid = pair.s_vecs.astype(np.float32).mean(axis=0)
        ccos = float(centroid @ pair.h_vec) / (float(np.linalg.norm(centroid)) or 1.0)
        top = np.sort(cos)[::-1]
        use = [ccos, float(top[0]), float(top[:TOP_K].mean()), float(cos[0]), float(cos[: min(5, len(cos))].max())]
    else:
        cos = np.zeros(0, dtype=np.float32)
        use = [0.0] * 5
    feats = [
        len(inter) / (len(hs | bs) or 1),
        len(inter) / (len(hs) or 1),
        len(hs & lead) / (len(hs) or 1),
        sum(_idf(idf, w) for w in inter) / hw,
        max(per_sent),
        float(np.mean(sorted(per_sent, reverse=True)[:TOP_K])),
        len(hb & bb) / (len(hb) or 1),
        len(hn & bn) / len(hn) if hn else -1.0,
        _cos_tfidf(th, tb),
        max(tfcos),
        float(np.mean(sorted(tfcos, reverse=True)[:TOP_K])),
        *use,
        math.log1p(len(h)),
        math.log1p(len(pair.sentences)),
        math.log1p(len(body)),
        float(len(hs) == 0),
    ]
    assert len(feats) == N_SIM
    return feats, cos


def _counts(ws: Sequence[str]) -> list[float]:
    r = sum(w in REFUTE for w in ws)
    hd = sum(w in HEDGE for w in ws)
    c = sum(w in CONFIRM for w in ws)
    return [math.log1p(r), math.log1p(hd), math.log1p(c)]


def lexical(pair: Pair, cos: np.ndarray) -> list[float]:
    """Stage-2 word-list features (headline, best-matching sentences, lead, whole body)."""
    h = tokens(pair.headline)
    order = np.argsort(-cos, kind="stable")[:TOP_K] if len(cos) else np.zeros(0, dtype=int)
    top_text = [pair.sentences[int(i)] for i in order]
    top = [w for s in top_text for w in tokens(s)]
    body = [w for s in pair.sentences for w in tokens(s)]
    lead = [w for s in pair.sentences[:3] for w in tokens(s)]
    hset = {w for w in h if w not in _stop()}
    # refuting / hedging words within 8 tokens of a headline word, in the whole body
    near_r = near_h = 0
    for i, w in enumerate(body):
        if w in hset:
            window = body[max(0, i - 8) : i + 9]
            near_r += sum(x in REFUTE for x in window)
            near_h += sum(x in HEDGE for x in window)
    neg = {"not", "no", "never", "nothing", "neither", "nor", "cannot"}
    feats = [
        *_counts(h), *_counts(top), *_counts(body), *_counts(lead),
        math.log1p(near_r), math.log1p(near_h),
        float(sum(w in neg for w in h) % 2), float(sum(w in neg for w in top) % 2),
        float("?" in pair.headline),
        sum(w in REFUTE for w in body) / (len(body) or 1) * 100,
        sum(w in HEDGE for w in body) / (len(body) or 1) * 100,
        sum(w in CONFIRM for w in body) / (len(body) or 1) * 100,
        float(any(q in " ".join(pair.sentences) for q in ("“", "\""))),
        math.log1p(sum(s.count("?") for s in pair.sentences)),
    ]
    assert len(feats) == N_LEX
    return feats


def features(pair: Pair, idf: dict[str, float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(stage-1 features, stage-2 features, sentence cosines) of one pair.

    Stage 2 deliberately uses no raw embeddings: with them the model learns the training
    claims' topics, and on unseen claims (the competition setting) it does worse.
    """
    sim, cos = similarity(pair, idf)
    s1 = np.asarray(sim, dtype=np.float32)
    s2 = np.concatenate([s1, np.asarray(lexical(pair, cos), dtype=np.float32)])
    return s1, s2, cos


# --- MLPs as plain arrays ------------------------------------------------------------------------


@dataclass
class MLP:
    """Standardise, ReLU hidden layers, then logistic (one output) or softmax."""

    mean: np.ndarray
    scale: np.ndarray
    weights: list[np.ndarray]
    biases: list[np.ndarray]

    def proba(self, X: np.ndarray) -> np.ndarray:
        a = (np.asarray(X, dtype=np.float32) - self.mean) / self.scale
        for W, b in zip(self.weights[:-1], self.biases[:-1], strict=True):
            a = np.maximum(a @ W + b, 0.0)
        z = a @ self.weights[-1] + self.biases[-1]
        if z.shape[1] == 1:
            p = 1.0 / (1.0 + np.exp(-z[:, 0]))
            return np.stack([1 - p, p], axis=1)
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return np.asarray(e / e.sum(axis=1, keepdims=True))

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        out = {f"{prefix}_mean": self.mean, f"{prefix}_scale": self.scale}
        for i, (W, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            out[f"{prefix}_W{i}"] = W.astype(np.float32)
            out[f"{prefix}_b{i}"] = b.astype(np.float32)
        return out

    @classmethod
    def from_arrays(cls, a: dict[str, np.ndarray], prefix: str) -> MLP:
        n = sum(1 for k in a if k.startswith(f"{prefix}_W"))
        return cls(a[f"{prefix}_mean"], a[f"{prefix}_scale"], [a[f"{prefix}_W{i}"] for i in range(n)],
                   [a[f"{prefix}_b{i}"] for i in range(n)])


@dataclass
class Model:
    idf: dict[str, float]
    related: MLP  # stage 1: P(related)
    classes: MLP  # stage 2: P(agree, disagree, discuss | related)
    threshold: float = 0.5

    def predict(self, pairs: Sequence[Pair]) -> tuple[list[dict[str, float]], list[np.ndarray]]:
        """Per pair the four label probabilities, and the headline–sentence cosines."""
        if not pairs:
            return [], []
        feats = [features(p, self.idf) for p in pairs]
        p_rel = self.related.proba(np.stack([f[0] for f in feats]))[:, 1]
        p_cls = self.classes.proba(np.stack([f[1] for f in feats]))
        scores = []
        for pr, pc in zip(p_rel, p_cls, strict=True):
            d = {lab: float(pr * pc[i]) for i, lab in enumerate(RELATED)}
            d["unrelated"] = float(1 - pr)
            scores.append(d)
        return scores, [f[2] for f in feats]

    def label(self, scores: dict[str, float]) -> str:
        if scores["unrelated"] > 1 - self.threshold:
            return "unrelated"
        return max(RELATED, key=lambda k: scores[k])


def save_model(model: Model, directory: Path, extra: dict[str, object] | None = None) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {**model.related.arrays("related"), **model.classes.arrays("classes")}
    np.savez_compressed(directory / f"{MODEL_NAME}.npz", **arrays)  # type: ignore[arg-type]
    vocab = sorted(model.idf)
    meta = {"version": VERSION, "threshold": model.threshold, "labels": list(LABELS),
            "idf": {w: round(model.idf[w], 4) for w in vocab}, **(extra or {})}
    (directory / f"{MODEL_NAME}.json").write_text(json.dumps(meta, ensure_ascii=False) + "\n", encoding="utf-8")


@functools.cache
def load_model() -> Model | None:
    """The shipped model, or None where its files are absent."""
    from narrascope import models

    loaded = models.load(MODEL_NAME)
    if loaded is None:
        return None
    arrays, meta = loaded
    return Model({str(k): float(v) for k, v in meta["idf"].items()}, MLP.from_arrays(arrays, "related"),
                 MLP.from_arrays(arrays, "classes"), float(meta.get("threshold", 0.5)))


@analyzer(MODEL_NAME, version=VERSION, assigns=("stance",), languages=("en",))
def analyze(doc: Document, ctx: Context) -> Document:
    """The body's stance toward the headline, with the body sentences closest to it as evidence."""
    headline = doc.headline_text
    model = load_model()
    # the body in the units the model was trained on (split_body), not the `sentences` layer's:
    # fed those, the probabilities moved by up to 0.41 on 20 FNC-1 pairs (analyzer 1.2)
    off = doc.body_start
    body = [(off + s, off + e) for s, e in split_body(doc.text[off:])]
    if not headline or not headline.strip() or model is None or not body:
        return doc.with_layers(MODEL_NAME, VERSION, stance=None)
    from narrascope.embeddings import encode

    texts = [doc.text[s:e] for s, e in body]
    vecs = encode([headline, *texts])
    pair = Pair(headline, texts, vecs[0], vecs[1:])
    (scores,), (cos,) = model.predict([pair])
    label = model.label(scores)
    order = np.argsort(-cos, kind="stable")[:EVIDENCE_K]
    evidence = tuple(
        Evidence(start=body[i][0], end=body[i][1], text=texts[i], weight=min(1.0, max(0.0, float(cos[i]))))
        for i in order
    )
    result = StanceLabel(label=label, confidence=min(1.0, max(0.0, scores[label])),  # type: ignore[arg-type]
                         scores={k: round(v, 4) for k, v in scores.items()}, evidence=evidence)
    return doc.with_layers(MODEL_NAME, VERSION, stance=result)
