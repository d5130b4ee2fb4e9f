"""Train (and cross-validate) the check-worthiness model on CLEF CheckThat! 2024 Task 1 (English).

::

    narrascope train checkworthy --data PATH [--seed 0] [--folds 5] [--out DIR]

Reads ``CT24_checkworthy_english_train.tsv`` (and, for reporting only, ``_dev.tsv`` and
``_dev-test.tsv``) from ``PATH`` or ``PATH/checkthat2024-task1-en``. Features are those of
:mod:`narrascope.analyzers.checkworthy` (USE embedding, word and char TF-IDF, readable
features from the spaCy parse). The TF-IDF vocabularies and idf come from the training
sentences (labels unused). ``--folds K``: K-fold stratified cross-validation on train (seeded)
picks the regularisation ``C`` and the decision threshold that maximise the Yes-class F1 of the
out-of-fold probabilities; the model is then refitted on all of train (L2 logistic regression,
liblinear, deterministic) and dev / dev-test Yes-F1 are printed. Writes ``checkworthy.npz`` +
``checkworthy.json`` into ``--out`` (default: the package's ``models/`` folder).
Embeddings and parses are cached under ``$NARRASCOPE_CACHE`` (default /tmp/narrascope-cache).
Needs scikit-learn (``pip install narrascope[train]``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

CACHE = Path(os.environ.get("NARRASCOPE_CACHE", "/tmp/narrascope-cache"))
FOLDER = "checkthat2024-task1-en"
PREFIX = "CT24_checkworthy_english_"
C_GRID = (0.5, 1.0, 2.0)
WORD_MIN_DF, WORD_MAX = 2, 30000
CHAR_MIN_DF, CHAR_MAX = 3, 30000
USE_SCALE = 1.0
READABLE_SCALE = 0.5


def _key(texts: Sequence[str]) -> str:
    return hashlib.sha1("\x1e".join(texts).encode("utf-8")).hexdigest()[:20]


def encode_cached(texts: Sequence[str]) -> np.ndarray:
    """USE embeddings of ``texts``, cached under /tmp (never in the repository)."""
    from narrascope.embeddings import encode

    path = CACHE / f"use-{_key(texts)}-{len(texts)}.npy"
    if path.exists():
        return np.load(path, allow_pickle=False)
    vecs = encode(list(texts)).astype(np.float16)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vecs)
    return vecs


def readable_cached(texts: Sequence[str]) -> np.ndarray:
    """Readable-feature flags (spaCy entities + regexes) of standalone texts, cached under /tmp."""
    from narrascope.analyzers import checkworthy as cw

    path = CACHE / f"readable-{len(cw.READABLE_NAMES)}-{_key(texts)}-{len(texts)}.npy"
    if path.exists():
        return np.load(path, allow_pickle=False)
    flags = np.array([f.flags for f in cw.readable_many(texts)], dtype=np.float32).reshape(len(texts), -1)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, flags)
    return flags


def vocabulary(docs: Sequence[list[str]], min_df: int, max_size: int) -> tuple[dict[str, int], np.ndarray]:
    """Vocabulary (most frequent by document frequency, ties by string) and smooth idf."""
    df: dict[str, int] = {}
    for grams in docs:
        for g in set(grams):
            df[g] = df.get(g, 0) + 1
    kept = sorted((g for g, n in df.items() if n >= min_df), key=lambda g: (-df[g], g))[:max_size]
    kept.sort()
    n = len(docs)
    idf = np.array([np.log((1 + n) / (1 + df[g])) + 1.0 for g in kept], dtype=np.float32)
    return {g: i for i, g in enumerate(kept)}, idf


def sparse_block(docs: Sequence[list[str]], vocab: dict[str, int], idf: np.ndarray) -> Any:
    from scipy.sparse import csr_matrix

    from narrascope.analyzers.checkworthy import tfidf

    rows, cols, vals = [], [], []
    for r, grams in enumerate(docs):
        for j, v in tfidf(grams, vocab, idf).items():
            rows.append(r)
            cols.append(j)
            vals.append(v)
    return csr_matrix((vals, (rows, cols)), shape=(len(docs), len(vocab)), dtype=np.float32)


def load_split(root: Path, split: str) -> tuple[list[str], list[str], np.ndarray]:
    from narrascope.bench.checkthat import read_sentences

    rows = read_sentences(root / f"{PREFIX}{split}.tsv")
    return [r[0] for r in rows], [r[1] for r in rows], np.array([r[2] == "Yes" for r in rows], dtype=int)


class Featurizer:
    def __init__(self, texts: Sequence[str]) -> None:
        from narrascope.analyzers import checkworthy as cw

        self.cw = cw
        self.word_vocab, self.word_idf = vocabulary([cw.word_ngrams(t) for t in texts], WORD_MIN_DF, WORD_MAX)
        self.char_vocab, self.char_idf = vocabulary([cw.char_ngrams(t) for t in texts], CHAR_MIN_DF, CHAR_MAX)

    def matrix(self, texts: Sequence[str]) -> Any:
        from scipy.sparse import csr_matrix, hstack

        use = encode_cached(texts).astype(np.float32) * USE_SCALE
        words = sparse_block([self.cw.word_ngrams(t) for t in texts], self.word_vocab, self.word_idf)
        chars = sparse_block([self.cw.char_ngrams(t) for t in texts], self.char_vocab, self.char_idf)
        flags = readable_cached(texts) * READABLE_SCALE
        return hstack([csr_matrix(use), words, chars, csr_matrix(flags)]).tocsr()

    def model(self, clf: Any, threshold: float) -> Any:
        w = clf.coef_[0].astype(np.float32)
        nu, nw, nc = 512, len(self.word_vocab), len(self.char_vocab)
        return self.cw.Model(
            word_vocab=self.word_vocab, word_idf=self.word_idf, char_vocab=self.char_vocab, char_idf=self.char_idf,
            w_use=w[:nu] * USE_SCALE, w_word=w[nu:nu + nw], w_char=w[nu + nw:nu + nw + nc],
            w_readable=w[nu + nw + nc:], bias=float(clf.intercept_[0]), threshold=threshold,
            readable_scale=READABLE_SCALE,
        )


def best_threshold(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    """The threshold (0.025 steps, 0.2–0.8) with the best Yes-F1, and that F1."""
    best = (0.5, -1.0)
    for t in np.arange(0.2, 0.801, 0.025):
        pred = p >= t
        tp = float(np.sum(pred & (y == 1)))
        f1 = 2 * tp / (float(pred.sum()) + float((y == 1).sum()) or 1.0)
        if f1 > best[1] + 1e-9:
            best = (round(float(t), 3), f1)
    return best


def f1_yes(y: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    tp = float(np.sum((pred == 1) & (y == 1)))
    p = tp / max(1.0, float(pred.sum()))
    r = tp / max(1.0, float(y.sum()))
    return {"f1_yes": 2 * p * r / (p + r) if p + r else 0.0, "precision_yes": p, "recall_yes": r}


def fit(X: Any, y: np.ndarray, C: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(solver="liblinear", C=C, max_iter=1000).fit(X, y)


def main(argv: Sequence[str] | None = None) -> int:
    from narrascope.training import dataset

    ap = argparse.ArgumentParser(prog="narrascope train checkworthy", description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "models")
    ap.add_argument("--c", type=float, default=None, help="skip the C search and use this C")
    args = ap.parse_args(argv)
    root = dataset(args.data, FOLDER, f"{PREFIX}train.tsv")
    t0 = time.time()
    _, texts, y = load_split(root, "train")
    feat = Featurizer(texts)
    X = feat.matrix(texts)
    print(f"train: {len(texts)} sentences, {int(y.sum())} Yes; {X.shape[1]} features ({time.time() - t0:.0f}s)", flush=True)
    report: dict[str, Any] = {"train_sentences": len(texts)}
    grid = (args.c,) if args.c else C_GRID
    C, threshold = grid[0], 0.5
    if args.folds and args.folds > 1:
        from sklearn.model_selection import StratifiedKFold

        folds = list(StratifiedKFold(args.folds, shuffle=True, random_state=args.seed).split(X, y))
        best = (-1.0, C, 0.5)
        for c in grid:
            oof = np.zeros(len(y))
            for tr, te in folds:
                oof[te] = fit(X[tr], y[tr], c).predict_proba(X[te])[:, 1]
            t, f1 = best_threshold(y, oof)
            per_fold = [f1_yes(y[te], (oof[te] >= t).astype(int))["f1_yes"] for _, te in folds]
            print(f"C={c}: CV Yes-F1 {f1:.4f} at threshold {t} (folds {min(per_fold):.3f}–{max(per_fold):.3f}) "
                  f"({time.time() - t0:.0f}s)", flush=True)
            if f1 > best[0]:
                best = (f1, c, t)
        _, C, threshold = best
        report["cv"] = {"folds": args.folds, "seed": args.seed, "C": C, "threshold": threshold, "f1_yes": round(best[0], 4)}
    clf = fit(X, y, C)
    model = feat.model(clf, threshold)
    for split in ("dev", "dev-test"):
        path = root / f"{PREFIX}{split}.tsv"
        if not path.exists():
            continue
        _, t_texts, t_y = load_split(root, split)
        p = 1.0 / (1.0 + np.exp(-(clf.decision_function(feat.matrix(t_texts)))))
        m = f1_yes(t_y, (p >= threshold).astype(int))
        report[split] = {k: round(v, 4) for k, v in m.items()}
        print(f"{split}: Yes-F1 {m['f1_yes']:.4f} (P {m['precision_yes']:.3f}, R {m['recall_yes']:.3f}, n={len(t_y)})", flush=True)
    from narrascope.analyzers.checkworthy import save_model

    save_model(model, args.out, {"trained": report, "C": C})
    print(json.dumps(report))
    print(f"wrote {args.out}/checkworthy.npz, checkworthy.json ({time.time() - t0:.0f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
