"""Shared training helpers for the SemEval-2023 Task 3 heads (frames, genre, techniques).

Reading the data, encoding sentences once (cached under ``$NARRASCOPE_CACHE`` or
``/tmp/narrascope-cache``, never in the repository), TF-IDF vocabularies built exactly as
:class:`narrascope.analyzers.frames.Head` reads them, folds by article, and threshold tuning
that is *cross-fitted*: the threshold applied to fold k is tuned on the out-of-fold
predictions of the other folds, so the quoted figures are not tuned on their own answers.
"""

from __future__ import annotations

import hashlib
import math
import os
import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from narrascope.analyzers import frames as F
from narrascope.training import dataset

LANGS = F.LANGS
_ID = re.compile(r"(\d+)")


def cache_dir() -> Path:
    d = Path(os.environ.get("NARRASCOPE_CACHE", "/tmp/narrascope-cache"))
    d.mkdir(parents=True, exist_ok=True)
    return d


def read_text(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def article_id(path: Path) -> str:
    m = _ID.search(path.name)
    return m.group(1) if m else path.stem


def read_articles(folder: Path) -> dict[str, str]:
    return {article_id(p): read_text(p) for p in sorted(folder.glob("*.txt"))}


def read_doc_labels(path: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in read_text(path).splitlines():
        parts = line.rstrip("\r").split("\t")
        if len(parts) >= 2 and parts[0]:
            out[parts[0]] = [x for x in parts[1].split(",") if x]
        elif parts[0]:
            out[parts[0]] = []
    return out


def read_paragraph_labels(path: Path) -> dict[tuple[str, int], list[str]]:
    out: dict[tuple[str, int], list[str]] = {}
    for line in read_text(path).splitlines():
        parts = line.rstrip("\r").split("\t")
        if len(parts) >= 2 and parts[0]:
            out[(parts[0], int(parts[1]))] = [x for x in (parts[2] if len(parts) > 2 else "").split(",") if x]
    return out


def root(data: Path) -> Path:
    """The SemEval-2023 Task 3 folder (holding ``en/`` …) for ``--data`` = data root, task folder or a language folder."""
    if (data / "train-labels-subtask-1.txt").exists():
        return data.parent
    return dataset(data, "semeval2023-task3", "en")


def lang_dir(data: Path, lang: str) -> Path:
    return root(data) / lang


def label_list(data: Path, name: str) -> list[str]:
    root = lang_dir(data, "en").parent
    return [x.strip() for x in read_text(root / name).splitlines() if x.strip()]


# ---------------------------------------------------------------- sentence-embedding cache

class EmbeddingCache:
    """Sentence text -> USE embedding, persisted as one ``.npz`` (keys = SHA-1 of the text) in :func:`cache_dir`."""

    def __init__(self) -> None:
        self.path = cache_dir() / "use3-sentences.npz"
        self.keys: dict[str, int] = {}
        self.rows: list[np.ndarray] = []
        if self.path.exists():
            with np.load(self.path, allow_pickle=False) as z:
                keys = z["keys"].tolist()
                emb = z["emb"]
            self.keys = {k: i for i, k in enumerate(keys)}
            self.rows = [emb]
        self._emb: np.ndarray | None = None

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]

    def matrix(self) -> np.ndarray:
        if self._emb is None or len(self._emb) != len(self.keys):
            self._emb = np.vstack(self.rows) if self.rows else np.zeros((0, 512), np.float32)
            self.rows = [self._emb]
        return self._emb

    def get(self, texts: Sequence[str]) -> np.ndarray:
        from narrascope.embeddings import encode

        missing = sorted({t for t in texts if self.key(t) not in self.keys})
        if missing:
            new = encode(missing)
            base = len(self.keys)
            for i, t in enumerate(missing):
                self.keys[self.key(t)] = base + i
            self.rows.append(new)
            self._emb = None
            mat = self.matrix()
            np.savez(self.path, keys=np.asarray(sorted(self.keys, key=self.keys.__getitem__)), emb=mat)
        mat = self.matrix()
        return mat[[self.keys[self.key(t)] for t in texts]] if texts else np.zeros((0, 512), np.float32)


@dataclass
class Article:
    lang: str
    id: str
    text: str
    sentences: list[tuple[int, int]] = field(default_factory=list)
    sentence_line: list[int] = field(default_factory=list)
    lines: list[tuple[int, int, int]] = field(default_factory=list)
    emb: np.ndarray | None = None

    def encoded(self) -> F.Encoded:
        assert self.emb is not None
        return F.Encoded(self.sentences, self.emb, self.lines, self.sentence_line)


def prepare(articles: Sequence[Article], cache: EmbeddingCache | None = None) -> None:
    """Split every article into lines and sentences (as the runtime does) and attach embeddings."""
    cache = cache or EmbeddingCache()
    texts: list[str] = []
    for a in articles:
        a.lines = F.lines(a.text)
        a.sentences, a.sentence_line = [], []
        for i, (_, s, e) in enumerate(a.lines):
            for span in F.sentences(a.text, s, e):
                a.sentences.append(span)
                a.sentence_line.append(i)
        texts.extend(a.text[s:e] for s, e in a.sentences)
    emb = cache.get(texts)
    k = 0
    for a in articles:
        n = len(a.sentences)
        a.emb = emb[k : k + n]
        k += n


def load_subtask(data: Path, lang: str, subtask: int) -> list[Article]:
    d = lang_dir(data, lang)
    arts = read_articles(d / f"train-articles-subtask-{subtask}")
    return [Article(lang, i, t) for i, t in sorted(arts.items())]


# ---------------------------------------------------------------- tf-idf

def build_vocab(texts: Sequence[str], min_df: int = 3, max_terms: int = 20000) -> tuple[list[str], np.ndarray]:
    df: Counter[str] = Counter()
    for t in texts:
        df.update(set(F.terms(t)))
    kept = [w for w, c in df.items() if c >= min_df]
    kept.sort(key=lambda w: (-df[w], w))
    vocab = sorted(kept[:max_terms])
    n = len(texts)
    idf = np.asarray([math.log((1 + n) / (1 + df[w])) + 1.0 for w in vocab], dtype=np.float32)
    return vocab, idf


def tfidf_matrix(texts: Sequence[str], vocab: list[str], idf: np.ndarray):  # type: ignore[no-untyped-def]
    from scipy.sparse import csr_matrix

    head = F.Head([], np.zeros((0, 0)), np.zeros(0), idf, {w: i for i, w in enumerate(vocab)}, 0, {})
    rows, cols, vals = [], [], []
    for r, t in enumerate(texts):
        idx, val = head.tfidf(t)
        rows.extend([r] * len(idx))
        cols.extend(idx.tolist())
        vals.extend(val.tolist())
    return csr_matrix((vals, (rows, cols)), shape=(len(texts), len(vocab)), dtype=np.float32)


def design(dense: np.ndarray, texts: Sequence[str], vocab: list[str], idf: np.ndarray):  # type: ignore[no-untyped-def]
    from scipy.sparse import csr_matrix, hstack

    return hstack([csr_matrix(dense.astype(np.float32)), tfidf_matrix(texts, vocab, idf)]).tocsr()


def fold_design(dense: np.ndarray, texts: Sequence[str], tr: np.ndarray, te: np.ndarray):  # type: ignore[no-untyped-def]
    """The design matrices of the training rows ``tr`` and the test rows ``te`` (boolean masks), the
    TF-IDF vocabulary built from the training rows only."""
    train_texts = [texts[int(i)] for i in np.flatnonzero(tr)]
    vocab, idf = build_vocab(train_texts)
    return (design(dense[tr], train_texts, vocab, idf),
            design(dense[te], [texts[int(i)] for i in np.flatnonzero(te)], vocab, idf))


# ---------------------------------------------------------------- folds, thresholds, metrics

def folds(groups: Sequence[str], k: int, seed: int) -> np.ndarray:
    """Fold number per row; rows sharing a group (an article) share a fold, languages spread evenly."""
    uniq = sorted(set(groups))
    rng = random.Random(seed)
    by_lang: dict[str, list[str]] = {}
    for g in uniq:
        by_lang.setdefault(g.split(":")[0], []).append(g)
    assign: dict[str, int] = {}
    for _, gs in sorted(by_lang.items()):
        rng.shuffle(gs)
        for i, g in enumerate(gs):
            assign[g] = i % k
    return np.asarray([assign[g] for g in groups])


def micro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    tp = float((y & pred).sum())
    fp = float((~y & pred).sum())
    fn = float((y & ~pred).sum())
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


GRID = np.round(np.arange(0.05, 0.9, 0.025), 3)


def tune_global(y: np.ndarray, p: np.ndarray) -> float:
    """The single threshold maximising micro-F1."""
    best, arg = -1.0, 0.5
    for t in GRID:
        f = micro_f1(y, p >= t)
        if f > best:
            best, arg = f, float(t)
    return arg


def tune_per_label(y: np.ndarray, p: np.ndarray, base: float, min_pos: int = 25) -> list[float]:
    """Per-label thresholds maximising micro-F1 (coordinate ascent from ``base``); labels with few positives keep ``base``."""
    thr = np.full(y.shape[1], base)
    for _ in range(2):
        for j in range(y.shape[1]):
            if y[:, j].sum() < min_pos:
                continue
            best, arg = -1.0, thr[j]
            for t in GRID:
                thr[j] = t
                f = micro_f1(y, p >= thr)
                if f > best + 1e-9:
                    best, arg = f, t
            thr[j] = arg
    return [float(x) for x in thr]


def cross_fitted(y: np.ndarray, p: np.ndarray, fold: np.ndarray, per_label: bool) -> np.ndarray:
    """Predictions where fold k uses thresholds tuned on the other folds' out-of-fold scores."""
    pred = np.zeros_like(y)
    for k in sorted(set(fold.tolist())):
        tr, te = fold != k, fold == k
        t = tune_global(y[tr], p[tr])
        thr = np.asarray(tune_per_label(y[tr], p[tr], t)) if per_label else np.full(y.shape[1], t)
        pred[te] = p[te] >= thr
    return pred


def fit_ovr(X, Y: np.ndarray, C: float, seed: int) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    """One-vs-rest L2 logistic regression (liblinear); labels never seen get a large negative bias."""
    from sklearn.linear_model import LogisticRegression

    coef = np.zeros((Y.shape[1], X.shape[1]), dtype=np.float32)
    bias = np.full(Y.shape[1], -8.0, dtype=np.float32)
    for j in range(Y.shape[1]):
        yj = Y[:, j]
        if yj.sum() == 0 or yj.sum() == len(yj):
            continue
        clf = LogisticRegression(C=C, solver="liblinear", random_state=seed, max_iter=200)
        clf.fit(X, yj)
        coef[j] = clf.coef_[0]
        bias[j] = clf.intercept_[0]
    return coef, bias


def predict_ovr(X, coef: np.ndarray, bias: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    return F.logistic(np.asarray(X @ coef.T) + bias)


def doc_rows(data: Path, subtask: int, cache: EmbeddingCache | None = None,
             langs: Sequence[str] = LANGS) -> tuple[list[Article], list[list[str]]]:
    """The articles of subtask 1 or 2 with their labels (articles without labels dropped)."""
    arts: list[Article] = []
    labels: list[list[str]] = []
    for lang in langs:
        gold = read_doc_labels(lang_dir(data, lang) / f"train-labels-subtask-{subtask}.txt")
        for a in load_subtask(data, lang, subtask):
            if a.id in gold:
                arts.append(a)
                labels.append(gold[a.id])
    prepare(arts, cache)
    return arts, labels


@dataclass
class HeldoutFold:
    """One fold held out of the articles of subtask 1 or 2 (:func:`heldout_fold`): the articles and
    labels, the masks, the design matrices and the training rows' TF-IDF vocabulary."""

    arts: list[Article]
    gold: list[list[str]]
    tr: np.ndarray
    te: np.ndarray
    Xtr: object
    Xte: object
    vocab: list[str]
    idf: np.ndarray
    dims: int

    def held_out(self) -> list[Article]:
        return [a for a, m in zip(self.arts, self.te, strict=True) if m]

    def head(self, labels: Sequence[str], coef: np.ndarray, bias: np.ndarray, meta: dict) -> F.Head:  # type: ignore[type-arg]
        """The head of weights fitted on this fold's training rows, as the analyzers and the benchmark
        commands load one (its vocabulary the training rows')."""
        return F.Head(list(labels), np.asarray(coef, np.float32), np.asarray(bias, np.float32), self.idf,
                      {t: i for i, t in enumerate(self.vocab)}, self.dims, dict(meta))


def heldout_fold(data: Path, subtask: int, langs: Sequence[str], k: int, seed: int, held: int) -> HeldoutFold:
    """Fold ``held`` of ``k`` (articles grouped per language, ``seed``) of the labelled articles of
    ``langs``, with the design matrices of the other folds and of it (the data tests' held-out checks)."""
    arts, gold = doc_rows(data, subtask, langs=langs)
    texts = [a.text for a in arts]
    dense = doc_matrix(arts)
    fold = folds([f"{a.lang}:{a.id}" for a in arts], k, seed)
    tr, te = fold != held, fold == held
    Xtr, Xte = fold_design(dense, texts, tr, te)
    vocab, idf = build_vocab([texts[int(i)] for i in np.flatnonzero(tr)])
    return HeldoutFold(arts, gold, tr, te, Xtr, Xte, vocab, idf, dense.shape[1])


def doc_matrix(arts: Sequence[Article]) -> np.ndarray:
    return np.vstack([a.encoded().vector() for a in arts])


def fmt_table(rows: dict[str, dict[str, float]], cols: Sequence[str]) -> str:
    head = "lang  " + "  ".join(f"{c:>10}" for c in cols)
    body = [f"{k:<5} " + "  ".join(f"{v.get(c, float('nan')):>10.3f}" for c in cols) for k, v in rows.items()]
    return "\n".join([head, *body])


def base_parser(description: str):  # type: ignore[no-untyped-def]
    import argparse

    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--data", type=Path, required=True, help="data root (holding semeval2023-task3/) or that folder")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--out", type=Path, default=None, help="folder for the weights (default: the package's models/)")
    ap.add_argument("--no-save", action="store_true", help="cross-validate only")
    return ap


def models_dir(out: Path | None) -> Path:
    if out is not None:
        return out
    return Path(__file__).resolve().parent.parent / "models"
