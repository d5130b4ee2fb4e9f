"""Train (and cross-validate) the SemEval-2025 Task 10 narrative classifier (subtask 2).

::

    narrascope train narratives --data PATH [--seed 0] [--folds 5] [--out DIR] [--cache DIR]

Reads ``train/{BG,EN,HI,PT,RU}/raw-documents`` and ``subtask-2-annotations.txt`` under ``--data``
(the data root or the ``semeval2025-task10`` folder). Every article becomes the mean and max of its
sentence embeddings (cached under ``--cache``, default ``/tmp/narrascope-narratives``) and a TF-IDF
vector of its words. One ridge regression per label (``--method ridge``, the default: one n×n solve
for all labels) or L2 logistic regression (``--method logreg``, liblinear), all languages jointly;
both deterministic. ``--folds K`` cross-validates (folds by article, shuffled with ``--seed``,
stratified by language): the regularisation (``--alpha``) and the decoding thresholds are the ones with
the best cross-validated score (mean over languages of narrative and subnarrative F1), and the
per-language figures are printed next to the "Other"-everywhere baseline. Then the model is
trained on all articles and written to ``--out`` (default: the package's ``models/`` folder).
Needs scikit-learn.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import math
import random
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.analyzers import narratives as N
from narrascope.bench import semeval2025 as bench
from narrascope.errors import DataError
from narrascope.training import dataset

MIN_DF = 3
MAX_VOCAB = 20000
MIN_LABEL_COUNT = 3
C_GRID = (0.5, 1.0, 2.0)
EMB_SCALE = 2.0
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(2, 13))
RATIOS = (0.4, 0.5, 0.6, 0.7, 0.8, 1.0)


@dataclass
class Article:
    lang: str
    id: str
    text: str
    narratives: set[str]
    subnarratives: set[str]


def load(root: Path) -> list[Article]:
    """Every annotated training article of the five languages."""
    out: list[Article] = []
    for lang in bench.LANGUAGES:
        folder = root / "train" / lang
        ann = folder / "subtask-2-annotations.txt"
        if not ann.is_file():
            continue
        gold = bench.read_st2(ann)
        for aid in sorted(gold):
            path = folder / "raw-documents" / aid
            if path.is_file():
                narrs, subs = gold[aid]
                out.append(Article(lang, aid, bench.read_text(path), narrs, subs))
    if not out:
        raise DataError(f"no SemEval-2025 ST2 training articles under {root}",
                        hint="pass --data with the semeval2025-task10 folder (holding train/EN/...)")
    return out


def embed(articles: Sequence[Article], cache: Path) -> np.ndarray:
    """Pooled sentence embeddings per article, ``(N, 1024)``, cached per language in ``cache``."""
    from narrascope import embeddings

    cache.mkdir(parents=True, exist_ok=True)
    out = np.zeros((len(articles), 1024), dtype=np.float32)
    by_lang: dict[str, list[int]] = {}
    for i, a in enumerate(articles):
        by_lang.setdefault(a.lang, []).append(i)
    for lang, idx in by_lang.items():
        key = hashlib.sha1("\0".join(articles[i].text for i in idx).encode()).hexdigest()[:16]
        path = cache / f"{lang}-{key}.npy"
        if path.is_file():
            out[idx] = np.load(path, allow_pickle=False)
            continue
        print(f"embedding {lang} ({len(idx)} articles)…", file=sys.stderr, flush=True)
        rows = []
        for i in idx:
            text = articles[i].text
            spans = N.split_sentences(text)
            rows.append(N.pooled(embeddings.encode([text[s:e] for s, e in spans])))
        arr = np.stack(rows)
        np.save(path, arr, allow_pickle=False)
        out[idx] = arr
    return out


def vocabulary(docs: Sequence[list[str]]) -> tuple[dict[str, int], np.ndarray]:
    """Tokens with document frequency ≥ MIN_DF (the MAX_VOCAB most frequent), and their idf."""
    df: Counter[str] = Counter()
    for toks in docs:
        df.update(set(toks))
    kept = sorted((t for t, n in df.items() if n >= MIN_DF), key=lambda t: (-df[t], t))[:MAX_VOCAB]
    kept.sort()
    n = len(docs)
    idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in kept], dtype=np.float32)
    return {t: i for i, t in enumerate(kept)}, idf


def tfidf_matrix(docs: Sequence[list[str]], vocab: dict[str, int], idf: np.ndarray) -> Any:
    from scipy.sparse import csr_matrix

    rows, cols, vals = [], [], []
    for r, toks in enumerate(docs):
        counts = Counter(t for t in toks if t in vocab)
        if not counts:
            continue
        idx = np.array([vocab[t] for t in counts])
        val = np.array([1.0 + math.log(c) for c in counts.values()]) * idf[idx]
        val /= np.linalg.norm(val)
        rows.extend([r] * len(idx))
        cols.extend(idx.tolist())
        vals.extend(val.tolist())
    return csr_matrix((np.array(vals, dtype=np.float32), (rows, cols)), shape=(len(docs), len(vocab)))


def label_set(articles: Sequence[Article]) -> list[str]:
    """Narratives (with "Other") then subnarratives seen ≥ MIN_LABEL_COUNT times ("N: Other" excluded)."""
    cn: Counter[str] = Counter()
    cs: Counter[str] = Counter()
    for a in articles:
        cn.update(a.narratives)
        cs.update(s for s in a.subnarratives if s != N.OTHER and not s.endswith(": Other"))
    narr = sorted(n for n, c in cn.items() if c >= MIN_LABEL_COUNT)
    subs = sorted(s for s, c in cs.items() if c >= MIN_LABEL_COUNT and N.parent(s) in narr)
    return narr + subs


def fit(articles: Sequence[Article], emb: np.ndarray, toks: Sequence[list[str]], C: float,
        labels: Sequence[str]) -> N.NarrativeModel:
    """One logistic regression per label over ``[emb * EMB_SCALE, tfidf]``."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.linear_model import LogisticRegression

    vocab, idf = vocabulary(toks)
    X = hstack([csr_matrix(emb * EMB_SCALE), tfidf_matrix(toks, vocab, idf)]).tocsr()
    W = np.zeros((X.shape[1], len(labels)), dtype=np.float32)
    b = np.zeros(len(labels), dtype=np.float32)
    for j, lab in enumerate(labels):
        y = np.array([lab in a.narratives or lab in a.subnarratives for a in articles], dtype=int)
        if y.sum() == 0:
            b[j] = -10.0
            continue
        clf = LogisticRegression(C=C, solver="liblinear", max_iter=200)
        clf.fit(X, y)
        W[:, j] = clf.coef_[0]
        b[j] = clf.intercept_[0]
    return N.NarrativeModel(labels=tuple(labels), vocab=vocab, idf=idf, w_emb=W[:1024], w_tfidf=W[1024:],
                            bias=b, emb_scale=EMB_SCALE, narrative_threshold=0.3, sub_threshold=0.3)


def fit_ridge(articles: Sequence[Article], emb: np.ndarray, toks: Sequence[list[str]], alpha: float,
              labels: Sequence[str]) -> N.NarrativeModel:
    """Ridge regression on 0/1 targets for all labels at once (dual form: n x n solve), bias unpenalised."""
    from scipy.sparse import csr_matrix, hstack

    vocab, idf = vocabulary(toks)
    X = hstack([csr_matrix(emb * EMB_SCALE), tfidf_matrix(toks, vocab, idf)]).tocsr()
    Y = np.array([[lab in a.narratives or lab in a.subnarratives for lab in labels] for a in articles], dtype=np.float64)
    mu_x = np.asarray(X.mean(axis=0)).ravel()
    mu_y = Y.mean(axis=0)
    K = np.asarray((X @ X.T).todense(), dtype=np.float64)
    ones = np.ones(X.shape[0])
    # kernel of the centred X: (X - 1 mu)(X - 1 mu)^T
    xm = np.asarray(X @ mu_x).ravel()
    Kc = K - xm[:, None] - xm[None, :] + float(mu_x @ mu_x) * np.outer(ones, ones)
    A = np.linalg.solve(Kc + alpha * np.eye(len(Kc)), Y - mu_y)
    W = (np.asarray(X.T @ A) - np.outer(mu_x, A.sum(axis=0))).astype(np.float32)
    b = (mu_y - mu_x @ W).astype(np.float32)
    return N.NarrativeModel(labels=tuple(labels), vocab=vocab, idf=idf, w_emb=W[:1024], w_tfidf=W[1024:],
                            bias=b, emb_scale=EMB_SCALE, narrative_threshold=0.3, sub_threshold=0.3,
                            link="identity")


FITTERS = {"ridge": fit_ridge, "logreg": fit}


def predict_probs(model: N.NarrativeModel, emb: np.ndarray, toks: Sequence[list[str]]) -> np.ndarray:
    tf = tfidf_matrix(toks, model.vocab, model.idf)
    z = (emb * model.emb_scale) @ model.w_emb + np.asarray(tf @ model.w_tfidf) + model.bias
    return model.squash(np.asarray(z))


def folds_of(articles: Sequence[Article], k: int, seed: int) -> list[int]:
    """Fold number per article: shuffled with ``seed`` within each language, dealt round-robin."""
    fold = [0] * len(articles)
    rng = random.Random(seed)
    for lang in bench.LANGUAGES:
        idx = [i for i, a in enumerate(articles) if a.lang == lang]
        rng.shuffle(idx)
        for n, i in enumerate(idx):
            fold[i] = n % k
    return fold


def evaluate(articles: Sequence[Article], labels: Sequence[str], probs: np.ndarray, tn: float,
             ts: float, ratio: float = 1.0) -> dict[str, dict[str, float]]:
    """Per language: narrative and subnarrative F1, and the "Other"-everywhere baseline."""
    res: dict[str, dict[str, float]] = {}
    preds = [N.decode(labels, probs[i], tn, ts, ratio) for i in range(len(articles))]
    for lang in bench.LANGUAGES:
        idx = [i for i, a in enumerate(articles) if a.lang == lang]
        if not idx:
            continue
        fn, _ = bench.sample_f1([articles[i].narratives for i in idx], [set(preds[i][0]) for i in idx])
        fs, _ = bench.sample_f1([articles[i].subnarratives for i in idx], [set(preds[i][1]) for i in idx])
        on, _ = bench.sample_f1([articles[i].narratives for i in idx], [{N.OTHER} for _ in idx])
        os_, _ = bench.sample_f1([articles[i].subnarratives for i in idx], [{N.OTHER} for _ in idx])
        res[lang] = {"narrative_f1": round(fn, 4), "subnarrative_f1": round(fs, 4),
                     "other_narrative_f1": round(on, 4), "other_subnarrative_f1": round(os_, 4),
                     "articles": len(idx)}
    return res


def objective(res: dict[str, dict[str, float]]) -> float:
    return float(np.mean([(r["narrative_f1"] + r["subnarrative_f1"]) / 2 for r in res.values()]))


def tune(articles: Sequence[Article], labels: Sequence[str], probs: np.ndarray
         ) -> tuple[float, float, float, float]:
    """Best ``(score, narrative threshold, sub threshold, ratio)`` on out-of-fold scores."""
    best = (-1.0, 0.3, 0.3, 1.0)
    for tn in THRESHOLDS:
        for ts in THRESHOLDS:
            score = objective(evaluate(articles, labels, probs, tn, ts))
            if score > best[0] + 1e-9:
                best = (score, tn, ts, 1.0)
    for ratio in RATIOS:
        score = objective(evaluate(articles, labels, probs, best[1], best[2], ratio))
        if score > best[0] + 1e-9:
            best = (score, best[1], best[2], ratio)
    return best


def cross_validate(articles: Sequence[Article], emb: np.ndarray, toks: Sequence[list[str]], k: int, seed: int,
                   grid: Sequence[float] = C_GRID, method: str = "ridge") -> tuple[float, float, float, dict[str, Any]]:
    """Best ``(C, narrative threshold, sub threshold)`` and the CV report."""
    fold = np.array(folds_of(articles, k, seed))
    labels = label_set(articles)
    report: dict[str, Any] = {}
    best: tuple[float, float, float, float] = (-1.0, grid[0], 0.3, 0.3)
    for C in grid:
        probs = np.zeros((len(articles), len(labels)), dtype=np.float32)
        for f in range(k):
            tr, te = np.where(fold != f)[0], np.where(fold == f)[0]
            model = FITTERS[method]([articles[i] for i in tr], emb[tr], [toks[i] for i in tr], C, labels)
            probs[te] = predict_probs(model, emb[te], [toks[i] for i in te])
        score, tn, ts, ratio = tune(articles, labels, probs)
        res = evaluate(articles, labels, probs, tn, ts, ratio)
        report[f"C={C}"] = {"score": round(score, 4), "narrative_threshold": tn, "sub_threshold": ts,
                            "ratio": ratio, "languages": res}
        print(json.dumps({f"C={C}": report[f"C={C}"]}), file=sys.stderr, flush=True)
        if score > best[0] + 1e-9:
            best = (score, C, tn, ts)
    return best[1], best[2], best[3], report


def heldout_check(articles: Sequence[Article], fold: Sequence[int], cache: Path,
                  model_dir: Path = N.MODEL_DIR) -> dict[str, float]:
    """Fit with the shipped model's ``C`` and thresholds on the articles outside fold 0, score fold 0."""
    info = json.loads((model_dir / f"{N.MODEL_NAME}.json").read_text(encoding="utf-8"))
    emb = embed(articles, cache)
    toks = [N.tokens(a.text) for a in articles]
    tr = [i for i, f in enumerate(fold) if f != 0]
    te = [i for i, f in enumerate(fold) if f == 0]
    train = [articles[i] for i in tr]
    labels = label_set(train)
    model = FITTERS[str(info.get("method", "ridge"))](train, emb[tr], [toks[i] for i in tr], float(info["C"]), labels)
    probs = predict_probs(model, emb[te], [toks[i] for i in te])
    preds = [N.decode(labels, p, float(info["narrative_threshold"]), float(info["sub_threshold"]),
                      float(info.get("ratio", 1.0))) for p in probs]
    fn, _ = bench.sample_f1([articles[i].narratives for i in te], [set(p[0]) for p in preds])
    fs, _ = bench.sample_f1([articles[i].subnarratives for i in te], [set(p[1]) for p in preds])
    return {"narrative_f1": fn, "subnarrative_f1": fs, "articles": float(len(te))}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="narrascope train narratives", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="data root or the semeval2025-task10 folder")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--folds", type=int, default=5, help="CV folds for model selection (≥ 2)")
    parser.add_argument("--out", type=Path, default=N.MODEL_DIR)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/narrascope-narratives"))
    parser.add_argument("--alpha", type=float, nargs="*", default=list(C_GRID),
                        help="regularisation values to try (ridge alpha; C for --method logreg)")
    parser.add_argument("--method", choices=sorted(FITTERS), default="ridge")
    args = parser.parse_args(argv)

    root = dataset(args.data, "semeval2025-task10", "train")
    articles = load(root)
    emb = embed(articles, args.cache)
    toks = [N.tokens(a.text) for a in articles]
    random.seed(args.seed)
    np.random.seed(args.seed)
    C, tn, ts, report = cross_validate(articles, emb, toks, max(2, args.folds), args.seed, args.alpha,
                                    args.method)
    best = report[f"C={C}"]
    ratio = float(best["ratio"])
    print(json.dumps({"selected": {"C": C, "narrative_threshold": tn, "sub_threshold": ts, "ratio": ratio},
                      "cv": best["languages"]}, indent=1))
    labels = label_set(articles)
    model = FITTERS[args.method](articles, emb, toks, C, labels)
    model = dataclasses.replace(model, narrative_threshold=tn, sub_threshold=ts, ratio=ratio)
    meta = {"trained_on": {lang: sum(a.lang == lang for a in articles) for lang in bench.LANGUAGES},
            "method": args.method, "C": C, "seed": args.seed, "folds": args.folds, "cv": best["languages"],
            "command": "narrascope train narratives --data PATH --seed "
                       f"{args.seed} --folds {args.folds} --method {args.method} --alpha {' '.join(map(str, args.alpha))}"}
    N.save(model, args.out, meta)
    print(f"wrote {args.out / (N.MODEL_NAME + '.npz')} and .json", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
