"""Train and cross-validate the frames head (SemEval-2023 Task 3 subtask 2, six languages pooled).

::

    narrascope train frames --data PATH [--seed 0] [--folds 5] [--out DIR] [--no-save]

One model for all six languages (the sentence encoder is multilingual; the TF-IDF vocabulary is
shared), one-vs-rest L2 logistic regression; ``C`` is chosen by K-fold cross-validation (folds by
article, each language spread over the folds); then one threshold per language is tuned on the
out-of-fold probabilities. The figures printed (and stored in ``frames.json``) are cross-fitted:
fold k is scored with thresholds tuned on the other folds only. Baseline: the m most frequent
frames of the training folds for every article (m tuned on the training folds).
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Sequence

import numpy as np

from narrascope.analyzers.frames import save_head
from narrascope.training import _semeval2023 as S

CS = (0.5, 2.0, 8.0)


def frequent_baseline(Y: np.ndarray, fold: np.ndarray, langs: np.ndarray) -> np.ndarray:
    pred = np.zeros_like(Y)
    for k in sorted(set(fold.tolist())):
        for lang in sorted(set(langs.tolist())):
            tr = (fold != k) & (langs == lang)
            te = (fold == k) & (langs == lang)
            order = np.argsort(-Y[tr].sum(axis=0))
            best, arg = -1.0, 1
            for m in range(1, 8):
                p = np.zeros_like(Y[tr])
                p[:, order[:m]] = True
                f = S.micro_f1(Y[tr], p)
                if f > best:
                    best, arg = f, m
            pred[np.ix_(te, order[:arg])] = True
    return pred


def heldout(data, langs: Sequence[str] = ("en", "ru"), c: float = 2.0, k: int = 5, seed: int = 0,
            held: int = 0) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Micro-F1 per language on fold ``held`` of a model trained on the other folds of ``langs``.

    Thresholds are the shipped per-language ones (hyper-parameters chosen by cross-validation);
    the weights never see the held-out fold. Used by the ``data`` tests (well under a minute).
    """
    head, arts, Y_te, p = heldout_scores(data, langs, c, k, seed, held)
    lang_of = np.asarray([a.lang for a in arts])
    return {lang: S.micro_f1(Y_te[lang_of == lang], p[lang_of == lang] >= head.thresholds(lang)) for lang in langs}


def heldout_scores(data, langs: Sequence[str] = ("en", "ru"), c: float = 2.0, k: int = 5, seed: int = 0,
                   held: int = 0):  # type: ignore[no-untyped-def]
    """A head trained on the folds of ``langs`` other than ``held`` (with the shipped thresholds), the
    held-out articles, their gold frames (a boolean matrix) and the head's probabilities for them as
    the CV path computes them (:func:`heldout`; the ``data`` tests)."""
    from narrascope.analyzers.frames import load_head

    shipped = load_head("frames")
    labels = S.label_list(data, "frames_subtask2.txt")
    f = S.heldout_fold(data, 2, langs, k, seed, held)
    Y = np.asarray([[lab in g for lab in labels] for g in f.gold], dtype=bool)
    coef, bias = S.fit_ovr(f.Xtr, Y[f.tr], c, seed)
    head = f.head(labels, coef, bias, shipped.meta if shipped is not None else {})
    return head, f.held_out(), Y[f.te], S.predict_ovr(f.Xte, coef, bias)


def main(argv: Sequence[str] | None = None) -> int:
    args = S.base_parser(__doc__ or "").parse_args(argv)
    t0 = time.time()
    labels = S.label_list(args.data, "frames_subtask2.txt")
    arts, gold = S.doc_rows(args.data, 2)
    Y = np.asarray([[lab in g for lab in labels] for g in gold], dtype=bool)
    langs = np.asarray([a.lang for a in arts])
    texts = [a.text for a in arts]
    dense = S.doc_matrix(arts)
    fold = S.folds([f"{a.lang}:{a.id}" for a in arts], args.folds, args.seed)
    print(f"{len(arts)} articles, {len(labels)} frames, {time.time() - t0:.0f}s", file=sys.stderr)

    oof: dict[float, np.ndarray] = {c: np.zeros(Y.shape, dtype=np.float32) for c in CS}
    for k in range(args.folds):
        tr, te = fold != k, fold == k
        Xtr, Xte = S.fold_design(dense, texts, tr, te)
        for c in CS:
            coef, bias = S.fit_ovr(Xtr, Y[tr], c, args.seed)
            oof[c][te] = S.predict_ovr(Xte, coef, bias)
        print(f"fold {k} done, {time.time() - t0:.0f}s", file=sys.stderr)

    def crossfit(p: np.ndarray) -> np.ndarray:
        pred = np.zeros_like(Y)
        for lang in S.LANGS:
            m = langs == lang
            pred[m] = S.cross_fitted(Y[m], p[m], fold[m], per_label=False)
        return pred

    by_c = {c: S.micro_f1(Y, crossfit(oof[c])) for c in CS}
    best_c = max(CS, key=lambda c: by_c[c])
    pred = crossfit(oof[best_c])
    base = frequent_baseline(Y, fold, langs)
    table: dict[str, dict[str, float]] = {}
    for lang in [*S.LANGS, "all"]:
        m = np.ones(len(langs), bool) if lang == "all" else langs == lang
        table[lang] = {"micro_f1": S.micro_f1(Y[m], pred[m]), "baseline": S.micro_f1(Y[m], base[m]),
                       "n": float(m.sum())}
    print(f"C by cross-validation: {by_c} -> {best_c}")
    print(S.fmt_table(table, ["micro_f1", "baseline", "n"]))
    thresholds = {lang: S.tune_global(Y[langs == lang], oof[best_c][langs == lang]) for lang in S.LANGS}
    thresholds["all"] = S.tune_global(Y, oof[best_c])
    if args.no_save:
        return 0
    vocab, idf = S.build_vocab(texts)
    X = S.design(dense, texts, vocab, idf)
    coef, bias = S.fit_ovr(X, Y, best_c, args.seed)
    meta = {"task": "semeval2023-st2", "C": best_c, "thresholds": thresholds, "seed": args.seed,
            "folds": args.folds, "cv": table, "train_counts": dict(Counter(langs.tolist()))}
    save_head("frames", S.models_dir(args.out), labels, coef, bias, idf, vocab, dense.shape[1], meta)
    print(f"saved frames head ({time.time() - t0:.0f}s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
