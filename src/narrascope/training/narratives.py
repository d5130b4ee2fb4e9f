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
C_GRID = (0.5, 1.0)  # 2.0 was never selected (tried with and without the sentence filter)
EMB_SCALE = 2.0
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(2, 13))
RATIOS = (0.4, 0.5, 0.6, 0.7, 0.8, 1.0)
# weights of the prototype-similarity block tried by cross-validation (0: the block is left out)
PROTO_GRID = (0.0, 4.0, 8.0)


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


def sentence_embeddings(articles: Sequence[Article], cache: Path) -> list[np.ndarray]:
    """The embeddings of every sentence (:func:`N.split_sentences`) of every article, cached per
    language in ``cache`` as ``<lang>-<key>-sents.npz`` (all rows, and the first row of each article)."""
    from narrascope import embeddings

    cache.mkdir(parents=True, exist_ok=True)
    out: list[np.ndarray] = [np.zeros((0, 512), np.float32)] * len(articles)
    by_lang: dict[str, list[int]] = {}
    for i, a in enumerate(articles):
        by_lang.setdefault(a.lang, []).append(i)
    for lang, idx in by_lang.items():
        key = hashlib.sha1("\0".join(articles[i].text for i in idx).encode()).hexdigest()[:16]
        path = cache / f"{lang}-{key}-sents.npz"
        sents = [[articles[i].text[s:e] for s, e in N.split_sentences(articles[i].text)] for i in idx]
        offsets = np.cumsum([0] + [len(x) for x in sents])
        if path.is_file():
            with np.load(path, allow_pickle=False) as data:
                emb = data["emb"]
        else:
            print(f"embedding the sentences of {lang} ({len(idx)} articles)…", file=sys.stderr, flush=True)
            flat = [t for x in sents for t in x]
            uniq = list(dict.fromkeys(flat))
            rows = np.vstack([embeddings.encode(uniq[j:j + 4096]) for j in range(0, len(uniq), 4096)])
            where = {t: j for j, t in enumerate(uniq)}
            emb = rows[[where[t] for t in flat]].astype(np.float32)
            np.savez_compressed(path, emb=emb, offsets=offsets)
        for n, i in enumerate(idx):
            out[i] = emb[offsets[n]:offsets[n + 1]]
    return out


def taxonomy_names(root: Path) -> list[str]:
    """The taxonomy's narrative and subnarrative names (``taxonomy/narratives/subtask2_*.txt``),
    without "Other" entries: the texts of the prototypes."""
    folder = next((f for f in (root / "taxonomy" / "narratives", root.parent / "taxonomy" / "narratives")
                   if f.is_dir()), root / "taxonomy" / "narratives")
    names: list[str] = []
    for fn in ("subtask2_narratives.txt", "subtask2_subnarratives.txt"):
        path = folder / fn
        if not path.is_file():
            raise DataError(f"no {path}", hint="the semeval2025-task10 folder holds taxonomy/narratives/")
        for line in path.read_text(encoding="utf-8").splitlines():
            name = line.strip()
            if name and name != N.OTHER and not name.endswith(": Other") and name not in names:
                names.append(name)
    return names


def prototype_text(name: str) -> str:
    """``"URW: Praise of Russia: Praise of Russian President Vladimir Putin"`` ->
    ``"Praise of Russia: Praise of Russian President Vladimir Putin"`` (the domain tag dropped)."""
    return name.split(": ", 1)[1] if name.count(": ") else name


def prototypes(root: Path) -> np.ndarray:
    from narrascope import embeddings

    return embeddings.encode([prototype_text(n) for n in taxonomy_names(root)])


def dense_features(articles: Sequence[Article], sent_emb: Sequence[np.ndarray], protos: np.ndarray | None,
                   proto_scale: float, min_words: int = N.MIN_SENTENCE_WORDS,
                   max_sentences: int = N.MAX_SENTENCES) -> np.ndarray:
    """Per article, what the analyzer computes: :func:`N.doc_features` of its selected sentences."""
    rows = []
    for a, emb in zip(articles, sent_emb, strict=True):
        spans = N.split_sentences(a.text)
        keep = set(N.select_sentences(a.text, spans, min_words, max_sentences))
        sel = emb[[j for j, sp in enumerate(spans) if sp in keep]] if len(spans) else emb
        rows.append(N.doc_features(sel, protos if proto_scale else None, proto_scale))
    return np.stack(rows).astype(np.float32)


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
    d = emb.shape[1]
    return N.NarrativeModel(labels=tuple(labels), vocab=vocab, idf=idf, w_emb=W[:d], w_tfidf=W[d:],
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
    d = emb.shape[1]
    return N.NarrativeModel(labels=tuple(labels), vocab=vocab, idf=idf, w_emb=W[:d], w_tfidf=W[d:],
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


def setting_key(C: float, proto_scale: float) -> str:
    return f"C={C},proto={proto_scale}"


def cross_validate(articles: Sequence[Article], dense: dict[float, np.ndarray], toks: Sequence[list[str]], k: int,
                   seed: int, grid: Sequence[float] = C_GRID, method: str = "ridge"
                   ) -> tuple[float, float, dict[str, Any]]:
    """Best ``(C, prototype weight)`` and the CV report (thresholds per setting, figures per language).
    ``dense`` maps each prototype weight to the articles' dense features (:func:`dense_features`)."""
    fold = np.array(folds_of(articles, k, seed))
    labels = label_set(articles)
    report: dict[str, Any] = {}
    best: tuple[float, float, float] = (-1.0, grid[0], min(dense))
    for proto_scale, emb in sorted(dense.items()):
        for C in grid:
            probs = np.zeros((len(articles), len(labels)), dtype=np.float32)
            for f in range(k):
                tr, te = np.where(fold != f)[0], np.where(fold == f)[0]
                model = FITTERS[method]([articles[i] for i in tr], emb[tr], [toks[i] for i in tr], C, labels)
                probs[te] = predict_probs(model, emb[te], [toks[i] for i in te])
            score, tn, ts, ratio = tune(articles, labels, probs)
            res = evaluate(articles, labels, probs, tn, ts, ratio)
            key = setting_key(C, proto_scale)
            report[key] = {"score": round(score, 4), "C": C, "proto_scale": proto_scale, "narrative_threshold": tn,
                           "sub_threshold": ts, "ratio": ratio, "languages": res}
            print(json.dumps({key: report[key]}), file=sys.stderr, flush=True)
            if score > best[0] + 1e-9:
                best = (score, C, proto_scale)
    return best[1], best[2], report


def heldout_model(articles: Sequence[Article], fold: Sequence[int], cache: Path,
                  model_dir: Path = N.MODEL_DIR) -> tuple[N.NarrativeModel, list[int], list[tuple[list[str], list[str]]]]:
    """A model fitted with the shipped model's ``C``, prototypes, sentence selection and thresholds on
    the articles outside fold 0, the indices of fold 0 and their decoded labels, computed as in
    cross-validation (the training path's features)."""
    info = json.loads((model_dir / f"{N.MODEL_NAME}.json").read_text(encoding="utf-8"))
    shipped = N.load(model_dir)
    emb = dense_features(articles, sentence_embeddings(articles, cache), shipped.prototypes, shipped.proto_scale,
                         shipped.min_words, shipped.max_sentences)
    toks = [N.tokens(a.text) for a in articles]
    tr = [i for i, f in enumerate(fold) if f != 0]
    te = [i for i, f in enumerate(fold) if f == 0]
    train = [articles[i] for i in tr]
    labels = label_set(train)
    fitted = FITTERS[str(info.get("method", "ridge"))](train, emb[tr], [toks[i] for i in tr], float(info["C"]), labels)
    model = dataclasses.replace(
        fitted, narrative_threshold=float(info["narrative_threshold"]), sub_threshold=float(info["sub_threshold"]),
        ratio=float(info.get("ratio", 1.0)), prototypes=shipped.prototypes, proto_scale=shipped.proto_scale,
        min_words=shipped.min_words, max_sentences=shipped.max_sentences)
    probs = predict_probs(model, emb[te], [toks[i] for i in te])
    preds = [N.decode(labels, p, model.narrative_threshold, model.sub_threshold, model.ratio) for p in probs]
    return model, te, preds


def heldout_check(articles: Sequence[Article], fold: Sequence[int], cache: Path,
                  model_dir: Path = N.MODEL_DIR) -> dict[str, float]:
    """Fit with the shipped model's ``C`` and thresholds on the articles outside fold 0, score fold 0."""
    _, te, preds = heldout_model(articles, fold, cache, model_dir)
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
    parser.add_argument("--proto", type=float, nargs="*", default=list(PROTO_GRID),
                        help="weights of the prototype-similarity features to try (0: without them)")
    parser.add_argument("--min-words", type=int, default=N.MIN_SENTENCE_WORDS,
                        help="sentences shorter than this are not read (in training and by the analyzer)")
    parser.add_argument("--max-sentences", type=int, default=N.MAX_SENTENCES,
                        help="at most this many sentences of an article are read (the first ones)")
    args = parser.parse_args(argv)

    root = dataset(args.data, "semeval2025-task10", "train")
    articles = load(root)
    sent_emb = sentence_embeddings(articles, args.cache)
    protos = prototypes(root)
    dense = {float(p): dense_features(articles, sent_emb, protos, float(p), args.min_words, args.max_sentences)
             for p in args.proto}
    toks = [N.tokens(a.text) for a in articles]
    random.seed(args.seed)
    np.random.seed(args.seed)
    C, proto_scale, report = cross_validate(articles, dense, toks, max(2, args.folds), args.seed, args.alpha,
                                            args.method)
    best = report[setting_key(C, proto_scale)]
    tn, ts, ratio = float(best["narrative_threshold"]), float(best["sub_threshold"]), float(best["ratio"])
    print(json.dumps({"selected": {"C": C, "proto_scale": proto_scale, "narrative_threshold": tn,
                                   "sub_threshold": ts, "ratio": ratio}, "cv": best["languages"]}, indent=1))
    labels = label_set(articles)
    model = FITTERS[args.method](articles, dense[proto_scale], toks, C, labels)
    model = dataclasses.replace(model, narrative_threshold=tn, sub_threshold=ts, ratio=ratio,
                                prototypes=protos if proto_scale else None, proto_scale=proto_scale,
                                min_words=args.min_words, max_sentences=args.max_sentences)
    meta = {"trained_on": {lang: sum(a.lang == lang for a in articles) for lang in bench.LANGUAGES},
            "method": args.method, "C": C, "seed": args.seed, "folds": args.folds, "cv": best["languages"],
            "prototype_names": taxonomy_names(root) if proto_scale else [],
            "grid": {k: {"score": v["score"], **{lg: [r["narrative_f1"], r["subnarrative_f1"]]
                                                 for lg, r in v["languages"].items()}} for k, v in report.items()},
            "command": "narrascope train narratives --data PATH --seed "
                       f"{args.seed} --folds {args.folds} --method {args.method} --alpha {' '.join(map(str, args.alpha))}"
                       f" --proto {' '.join(map(str, args.proto))} --min-words {args.min_words}"
                       f" --max-sentences {args.max_sentences}"}
    N.save(model, args.out, meta)
    print(f"wrote {args.out / (N.MODEL_NAME + '.npz')} and .json", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
