"""Train and cross-validate the technique heads.

::

    narrascope train techniques --data PATH [--seed 0] [--folds 5] [--out DIR] [--parts st3,si,tc] [--no-save]

``--data`` is the data root (holding ``semeval2023-task3/`` and ``semeval2020-task11/``).

- ``st3`` — paragraph head (SemEval-2023 ST3, six languages pooled): one-vs-rest logistic
  regression over ``[line embedding, article embedding]`` + the line's TF-IDF; thresholds per
  language and technique (techniques with < 25 positives in a language share the language's
  global threshold). Figures are cross-fitted (fold k scored with thresholds tuned on the other
  folds). Baselines: ``Loaded_Language,Name_Calling-Labeling`` on every paragraph, as in the task.
- ``si`` — token classifier over hashed features (the token and its window, its place in its
  sentence, the sentence's words and bigrams) on the SemEval-2020 SI spans; the decoding
  (threshold, gap, seed threshold) is chosen by cross-validation on the official span-overlap F1.
  Then the span filter of ``bench predict semeval2020-si`` (:func:`train_span_filter`), trained on
  the token head's out-of-fold probabilities, with cross-fitted figures.
- ``tc`` — softmax span classifier (hashed span features + its sentence's embedding + the span's
  own pooled embedding, its weight chosen by cross-validation) over the 14 classes of SemEval-2020
  TC; accuracy by cross-validation. Baseline: the majority class.

The 2023 English training articles include the 2020 ones, so the heads are not trained on both
(that would only duplicate); the taxonomy mapping used to move between them is
``narrascope.analyzers.techniques.MAP_2020_TO_2023`` (see ``docs/technique-mapping.md``).
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.analyzers import techniques as T
from narrascope.analyzers.frames import save_head
from narrascope.bench import semeval2020 as B20
from narrascope.training import _semeval2023 as S
from narrascope.training import dataset

ST3_C = 1.0
SI_C = (0.5,)
SI_BITS = 20
SI_SENTENCE_SCALE = 1.0  # weight of a sentence's bag of words (divided by sqrt of its size) per token
# decoding (threshold, max_gap, seed threshold) searched by cross-validation
SI_DECODE = [(t, g, sd) for t in (0.12, 0.15, 0.2) for g in (4, 8, 16) for sd in (0.25, 0.3, 0.35)]
TC_C = (0.5,)
# the SI span filter (analyzers.techniques.SpanFilter): the loose decoding its candidates come from,
# its C, and the keep thresholds searched by cross-validation
SPAN_FILTER_CANDIDATES = (0.1, 8, 0.2)
SPAN_FILTER_C = 0.3
SPAN_FILTER_THRESHOLDS = tuple(round(float(t), 2) for t in np.arange(0.1, 0.75, 0.05))
# weight of the span's own pooled embedding next to its sentence's (analyzers.techniques.span_context),
# chosen by cross-validation
TC_SPAN_SCALES = (1.0, 2.0, 3.0)
TC_BITS = 17


def _log(t0: float, msg: str) -> None:
    print(f"[{time.time() - t0:5.0f}s] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- ST3


def st3_rows(data: Path, cache: S.EmbeddingCache, langs_in: Sequence[str] = S.LANGS
             ) -> tuple[list[str], np.ndarray, np.ndarray, list[str], list[str], np.ndarray]:
    """(language, line vector ⊕ article vector, labels, text, article group) per gold paragraph line."""
    langs, vecs, texts, groups, labels = [], [], [], [], []
    for lang in langs_in:
        d = S.lang_dir(data, lang)
        gold = S.read_paragraph_labels(d / "train-labels-subtask-3.txt")
        arts = S.load_subtask(data, lang, 3)
        S.prepare(arts, cache)
        for a in arts:
            enc = a.encoded()
            doc_vec = enc.vector()
            by_line: dict[int, list[int]] = {}
            for si, li in enumerate(enc.sentence_line):
                by_line.setdefault(li, []).append(si)
            number_to = {num: (i, s, e) for i, (num, s, e) in enumerate(enc.lines)}
            for (aid, num), labs in gold.items():
                if aid != a.id or num not in number_to:
                    continue
                i, s, e = number_to[num]
                langs.append(lang)
                vecs.append(np.concatenate([enc.vector(by_line.get(i, [])), doc_vec]))
                texts.append(a.text[s:e])
                groups.append(f"{lang}:{a.id}")
                labels.append(labs)
    return langs, np.vstack(vecs), np.asarray(labels, dtype=object), texts, groups, np.zeros(0)


def train_st3(args, t0: float, cache: S.EmbeddingCache) -> dict:  # type: ignore[no-untyped-def]
    names = S.label_list(args.data, "techniques_subtask3.txt")
    langs_l, dense, labels, texts, groups, _ = st3_rows(args.data, cache)
    langs = np.asarray(langs_l)
    Y = np.asarray([[n in labs for n in names] for labs in labels], dtype=bool)
    fold = S.folds(groups, args.folds, args.seed)
    _log(t0, f"st3: {len(texts)} paragraphs")
    oof = np.zeros(Y.shape, np.float32)
    for k in range(args.folds):
        tr, te = fold != k, fold == k
        tri = np.flatnonzero(tr)
        vocab, idf = S.build_vocab([texts[i] for i in tri], min_df=3, max_terms=15000)
        Xtr = S.design(dense[tr], [texts[i] for i in tri], vocab, idf)
        Xte = S.design(dense[te], [texts[i] for i in np.flatnonzero(te)], vocab, idf)
        coef, bias = S.fit_ovr(Xtr, Y[tr], ST3_C, args.seed)
        oof[te] = S.predict_ovr(Xte, coef, bias)
        _log(t0, f"st3 fold {k}")
    pred = np.zeros_like(Y)
    for lang in S.LANGS:
        m = langs == lang
        pred[m] = S.cross_fitted(Y[m], oof[m], fold[m], per_label=True)
    base = np.zeros_like(Y)
    base[:, [names.index("Loaded_Language"), names.index("Name_Calling-Labeling")]] = True
    table = {}
    for lang in [*S.LANGS, "all"]:
        m = np.ones(len(langs), bool) if lang == "all" else langs == lang
        table[lang] = {"micro_f1": S.micro_f1(Y[m], pred[m]), "baseline": S.micro_f1(Y[m], base[m]),
                       "n": float(m.sum())}
    print("ST3 paragraph techniques (cross-fitted micro-F1):")
    print(S.fmt_table(table, ["micro_f1", "baseline", "n"]))
    thresholds: dict[str, list[float] | float] = {}
    for lang in S.LANGS:
        m = langs == lang
        g = S.tune_global(Y[m], oof[m])
        thresholds[lang] = S.tune_per_label(Y[m], oof[m], g)
    thresholds["all"] = S.tune_global(Y, oof)
    if not args.no_save:
        vocab, idf = S.build_vocab(texts, min_df=3, max_terms=15000)
        X = S.design(dense, texts, vocab, idf)
        coef, bias = S.fit_ovr(X, Y, ST3_C, args.seed)
        meta = {"task": "semeval2023-st3", "C": ST3_C, "thresholds": thresholds, "seed": args.seed,
                "folds": args.folds, "cv": table, "features": "line embedding (512) + article embedding (512) + tf-idf"}
        save_head("techniques_paragraph", S.models_dir(args.out), names, coef, bias, idf, vocab, dense.shape[1], meta)
        _log(t0, "st3 saved")
    return table


# ---------------------------------------------------------------- 2020 data


def ptc(data: Path) -> tuple[list[str], list[str], dict[str, list[tuple[str, int, int]]]]:
    root = dataset(data, "semeval2020-task11", "train-articles")
    ids, texts = [], []
    for p in sorted((root / "train-articles").glob("*.txt")):
        ids.append(S.article_id(p))
        texts.append(S.read_text(p))
    spans: dict[str, list[tuple[str, int, int]]] = {}
    for p in sorted((root / "train-labels-task-flc-tc").glob("*")):
        for line in S.read_text(p).splitlines():
            parts = line.split("\t")
            if len(parts) >= 4:
                spans.setdefault(parts[0], []).append((parts[1], int(parts[2]), int(parts[3])))
    return ids, texts, spans


def hashed_matrix(feats: list[list[str]], bits: int):  # type: ignore[no-untyped-def]
    from scipy.sparse import csr_matrix

    rows = np.repeat(np.arange(len(feats)), [len(fs) for fs in feats])
    cols = T.hashed((f for fs in feats for f in fs), bits)
    m = csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(len(feats), 1 << bits))
    m.sum_duplicates()
    return m


def si_matrix(texts: Sequence[str], toks_of: Sequence[list[tuple[int, int, str]]],
              bits: int = SI_BITS, scale: float = SI_SENTENCE_SCALE):  # type: ignore[no-untyped-def]
    """One row per token of every text: its hashed :func:`~narrascope.analyzers.techniques.si_features`
    (value 1) and its sentence's bag (value ``scale / sqrt(len(bag))``), as the analyzer scores them."""
    from scipy.sparse import csr_matrix

    indices: list[np.ndarray] = []
    data: list[np.ndarray] = []
    lengths: list[np.ndarray] = []
    for text, toks in zip(texts, toks_of, strict=True):
        per_token, sents = T.si_features(text, toks)
        for idx, bag in sents:
            tok = np.vstack([T.hashed(per_token[i], bits) for i in idx])
            b = T.hashed(bag, bits)
            m, n = tok.shape
            indices.append(np.hstack([tok, np.tile(b, (m, 1))]).ravel())
            row = np.concatenate([np.ones(n, np.float32), np.full(len(b), scale / max(len(b), 1) ** 0.5, np.float32)])
            data.append(np.tile(row, m))
            lengths.append(np.full(m, n + len(b)))
    indptr = np.concatenate([[0], np.cumsum(np.concatenate(lengths))])
    X = csr_matrix((np.concatenate(data), np.concatenate(indices), indptr), shape=(len(indptr) - 1, 1 << bits))
    X.sum_duplicates()
    return X


def _si_labels(text: str, toks: list[tuple[int, int, str]], gold: list[tuple[int, int]]) -> list[int]:
    marks = np.zeros(len(text) + 1, bool)
    for s, e in gold:
        marks[s:e] = True
    return [int(marks[s:e].any()) for s, e, _ in toks]


def train_si(args, t0: float) -> dict:  # type: ignore[no-untyped-def]
    from sklearn.linear_model import LogisticRegression

    ids, texts, spans = ptc(args.data)
    root = dataset(args.data, "semeval2020-task11", "train-articles")
    si_gold = B20._spans(root / "train-labels-task-si")
    y: list[int] = []
    owner: list[int] = []
    toks_of = []
    for a, text in enumerate(texts):
        toks = T.tokens(text)
        toks_of.append(toks)
        y += _si_labels(text, toks, si_gold.get(ids[a], []))
        owner += [a] * len(toks)
    X = si_matrix(texts, toks_of)
    yy = np.asarray(y)
    own = np.asarray(owner)
    fold_a = S.folds([f"en:{i}" for i in ids], args.folds, args.seed)
    fold = fold_a[own]
    _log(t0, f"si: {len(y)} tokens, {yy.mean():.3f} inside spans")
    gold = {i: si_gold.get(i, []) for i in ids}
    starts = np.searchsorted(own, np.arange(len(texts)))

    def decode(a: int, oof: np.ndarray, cfg: tuple[float, int, float]) -> list[tuple[int, int]]:
        lo = starts[a]
        return [(s, e) for s, e, _ in T.decode_spans(texts[a], toks_of[a], oof[lo:lo + len(toks_of[a])], *cfg)]

    def best_cfg(oof: np.ndarray, arts: Sequence[int]) -> tuple[float, tuple[float, int, float]]:
        best: tuple[float, tuple[float, int, float]] = (-1.0, SI_DECODE[0])
        for cfg in SI_DECODE:
            f = B20.si_scores({ids[a]: gold[ids[a]] for a in arts}, {ids[a]: decode(a, oof, cfg) for a in arts})["f1"]
            if f > best[0]:
                best = (f, cfg)
        return best

    by_c = {}
    for c in SI_C:
        oof = np.zeros(len(yy), np.float32)
        for k in range(args.folds):
            tr, te = fold != k, fold == k
            clf = LogisticRegression(C=c, solver="liblinear", random_state=args.seed, max_iter=300)
            clf.fit(X[tr], yy[tr])
            oof[te] = clf.predict_proba(X[te])[:, 1]
            _log(t0, f"si C={c} fold {k}")
        by_c[c] = (best_cfg(oof, range(len(texts))), oof)
    c = max(SI_C, key=lambda x: by_c[x][0][0])
    (f1, (thr, gap, seed)), oof_best = by_c[c]
    # cross-fitted: fold k decoded with the configuration chosen on the other folds
    cf_pred: dict[str, list[tuple[int, int]]] = {}
    for k in range(args.folds):
        _, cfg = best_cfg(oof_best, [a for a in range(len(texts)) if fold_a[a] != k])
        for a in range(len(texts)):
            if fold_a[a] == k:
                cf_pred[ids[a]] = decode(a, oof_best, cfg)
    cf = B20.si_scores(gold, cf_pred)
    print(f"SI: C={c} threshold={thr:.2f} gap={gap} seed={seed:.2f}: CV F1 {f1:.3f}; cross-fitted "
          f"F1 {cf['f1']:.3f} (P {cf['precision']:.3f} R {cf['recall']:.3f})")
    an = B20.si_scores(gold, {ids[a]: decode(a, oof_best, T.ANALYZER_DECODE) for a in range(len(texts))})
    print(f"SI analyzer decoding {T.ANALYZER_DECODE}: F1 {an['f1']:.3f} (P {an['precision']:.3f} R {an['recall']:.3f})")
    table: dict[str, Any] = {"f1": cf["f1"], "precision": cf["precision"], "recall": cf["recall"],
                             "f1_tuned_on_oof": f1}
    probs_of = [oof_best[starts[a]:starts[a] + len(toks_of[a])] for a in range(len(texts))]
    filt_cv, filt_arrays, filt_meta = train_span_filter(texts, toks_of, probs_of, ids, gold, fold_a, args.seed)
    print(f"SI span filter (candidates {SPAN_FILTER_CANDIDATES}, keep >= {filt_meta['threshold']}): cross-fitted "
          f"F1 {filt_cv['f1']:.3f} (P {filt_cv['precision']:.3f} R {filt_cv['recall']:.3f})")
    table["span_filter"] = filt_cv
    if not args.no_save:
        out = S.models_dir(args.out)
        out.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(out / "techniques_si_filter.npz", **filt_arrays)  # type: ignore[arg-type]
        (out / "techniques_si_filter.json").write_text(
            json.dumps({**filt_meta, "seed": args.seed, "folds": args.folds, "cv": filt_cv}) + "\n", encoding="utf-8")
        clf = LogisticRegression(C=c, solver="liblinear", random_state=args.seed, max_iter=300)
        clf.fit(X, yy)
        T.save_hashed("techniques_si", out, clf.coef_.astype(np.float32), clf.intercept_,
                      SI_BITS, {"task": "semeval2020-si", "threshold": thr, "max_gap": gap, "seed_threshold": seed, "C": c,
                                "features": T.SI_FEATURES, "sentence_scale": SI_SENTENCE_SCALE,
                                "seed": args.seed, "folds": args.folds, "cv": table})
        _log(t0, "si saved")
    return table


def train_span_filter(texts: Sequence[str], toks_of: Sequence[list[tuple[int, int, str]]],
                      probs_of: Sequence[np.ndarray], ids: Sequence[str], gold: dict[str, list[tuple[int, int]]],
                      fold_a: np.ndarray, seed: int) -> tuple[dict[str, float], dict[str, np.ndarray], dict[str, Any]]:
    """The SI span filter (:class:`T.SpanFilter`) from the token head's out-of-fold probabilities
    ``probs_of``: a candidate is positive when it overlaps a gold span. Its out-of-fold scores come from
    the same folds by article. The keep threshold for fold k is chosen on the other folds, so the SI
    figures are cross-fitted. Returns those figures, the arrays and the metadata to save (the threshold
    chosen on all folds)."""
    from sklearn.linear_model import LogisticRegression

    from narrascope.analyzers.frames import encode_text

    feats, art, spans, label = [], [], [], []
    for a, text in enumerate(texts):
        cands = T.decode_spans(text, toks_of[a], probs_of[a], *SPAN_FILTER_CANDIDATES)
        if not cands:
            continue
        feats.append(T.span_filter_features(text, encode_text(text), toks_of[a], probs_of[a], cands))
        for s, e, _ in cands:
            art.append(a)
            spans.append((s, e))
            label.append(any(min(e, ge) > max(s, gs) for gs, ge in gold[ids[a]]))
    F, arts, y = np.vstack(feats), np.asarray(art), np.asarray(label, int)
    mean, std = F[:, :4].mean(axis=0), F[:, :4].std(axis=0) + 1e-6
    X = np.hstack([(F[:, :4] - mean) / std, F[:, 4:]])
    fold = fold_a[arts]
    q = np.zeros(len(y))
    for k in sorted(set(fold_a.tolist())):
        clf = LogisticRegression(C=SPAN_FILTER_C, max_iter=3000, random_state=seed).fit(X[fold != k], y[fold != k])
        q[fold == k] = clf.predict_proba(X[fold == k])[:, 1]

    def kept(tau: float, articles: Sequence[int]) -> dict[str, list[tuple[int, int]]]:
        pred: dict[str, list[tuple[int, int]]] = {ids[a]: [] for a in articles}
        for j in np.flatnonzero((q >= tau) & np.isin(arts, articles)):
            pred[ids[arts[j]]].append(spans[j])
        return pred

    def best_tau(articles: Sequence[int]) -> float:
        truth = {ids[a]: gold[ids[a]] for a in articles}
        return max(SPAN_FILTER_THRESHOLDS, key=lambda t: B20.si_scores(truth, kept(t, articles))["f1"])

    crossfit: dict[str, list[tuple[int, int]]] = {}
    for k in sorted(set(fold_a.tolist())):
        held = [a for a in range(len(texts)) if fold_a[a] == k]
        crossfit.update(kept(best_tau([a for a in range(len(texts)) if fold_a[a] != k]), held))
    scores = B20.si_scores({i: gold[i] for i in ids}, crossfit)
    tau = best_tau(range(len(texts)))
    clf = LogisticRegression(C=SPAN_FILTER_C, max_iter=3000, random_state=seed).fit(X, y)
    arrays = {"weights": clf.coef_[0].astype(np.float32), "bias": np.float32(clf.intercept_[0]),
              "mean": mean.astype(np.float32), "std": std.astype(np.float32)}
    meta = {"task": "semeval2020-si", "candidates": list(SPAN_FILTER_CANDIDATES), "threshold": tau, "C": SPAN_FILTER_C}
    return ({"f1": scores["f1"], "precision": scores["precision"], "recall": scores["recall"]}, arrays, meta)


@dataclass(frozen=True)
class TCData:
    """The 2020 spans as TC reads them: hashed span features ``H``, the dense block ``E`` of
    :func:`T.span_context` at span scale 1 (sentence, then span), classes ``y`` and the article of
    each span (``groups``, for folds by article)."""

    H: Any
    E: np.ndarray
    y: np.ndarray
    groups: list[str]

    def design(self, scale: float):  # type: ignore[no-untyped-def]
        """The design matrix with the span's own embedding times ``scale``."""
        from scipy.sparse import csr_matrix, hstack

        dim = self.E.shape[1] // 2
        return hstack([self.H, csr_matrix(self.E[:, :dim]), csr_matrix(scale * self.E[:, dim:])]).tocsr()


def tc_data(data: Path, cache: S.EmbeddingCache | None = None) -> TCData:
    ids, texts, spans = ptc(data)
    arts = [S.Article("en", i, t) for i, t in zip(ids, texts, strict=True)]
    S.prepare(arts, cache)
    feats, ctx, y, groups = [], [], [], []
    classes = list(T.TECHNIQUES_2020)
    for a in arts:
        rows = spans.get(a.id, [])
        if not rows:
            continue
        sp = [(s, e) for _, s, e in rows]
        ctx.append(T.span_context(a.text, a.encoded(), sp, 1.0))
        for tech, s, e in rows:
            feats.append(T.span_text_features(a.text, s, e, T.repeats_of(a.text, s, e)))
            y.append(classes.index(tech))
            groups.append(f"en:{a.id}")
    return TCData(hashed_matrix(feats, TC_BITS), np.vstack(ctx), np.asarray(y), groups)


def train_tc(args, t0: float, cache: S.EmbeddingCache) -> dict:  # type: ignore[no-untyped-def]
    from sklearn.linear_model import LogisticRegression

    d = tc_data(args.data, cache)
    classes = list(T.TECHNIQUES_2020)
    yy = d.y
    fold = S.folds(d.groups, args.folds, args.seed)
    _log(t0, f"tc: {len(yy)} spans")
    acc = {}
    for c in TC_C:
        for scale in TC_SPAN_SCALES:
            X = d.design(scale)
            pred = np.zeros_like(yy)
            for k in range(args.folds):
                tr, te = fold != k, fold == k
                clf = LogisticRegression(C=c, max_iter=1000, random_state=args.seed)
                clf.fit(X[tr], yy[tr])
                pred[te] = clf.classes_[np.argmax(clf.decision_function(X[te]), axis=1)]
            acc[c, scale] = float((pred == yy).mean())
            _log(t0, f"tc C={c} span scale {scale}: {acc[c, scale]:.3f}")
    best_c, best_scale = max(acc, key=lambda k: (acc[k], -k[1]))
    base = np.zeros_like(yy)
    for k in range(args.folds):
        base[fold == k] = Counter(yy[fold != k].tolist()).most_common(1)[0][0]
    table = {"micro_f1": acc[best_c, best_scale], "baseline": float((base == yy).mean()), "n": float(len(yy))}
    print("TC: C, span scale by CV " + ", ".join(f"{c}/{sc}: {v:.4f}" for (c, sc), v in acc.items())
          + f" -> {best_c}/{best_scale}; micro-F1 {table['micro_f1']:.3f} (majority baseline {table['baseline']:.3f})")
    if not args.no_save:
        X = d.design(best_scale)
        clf = LogisticRegression(C=best_c, max_iter=1000, random_state=args.seed)
        clf.fit(X, yy)
        W = np.zeros((len(classes), X.shape[1]), np.float32)
        b = np.full(len(classes), -8.0, np.float32)
        for i, cls in enumerate(clf.classes_):
            W[int(cls)] = clf.coef_[i]
            b[int(cls)] = clf.intercept_[i]
        out = S.models_dir(args.out)
        T.save_hashed("techniques_tc", out, W[:, : 1 << TC_BITS], b, TC_BITS,
                      {"task": "semeval2020-tc", "labels": classes, "C": best_c, "span_scale": best_scale, "seed": args.seed,
                       "folds": args.folds, "cv": table})
        np.savez_compressed(out / "techniques_tc_emb.npz", weights=W[:, 1 << TC_BITS:].astype(np.float16))
        _log(t0, "tc saved")
    return table


def main(argv: Sequence[str] | None = None) -> int:
    ap = S.base_parser(__doc__ or "")
    ap.add_argument("--parts", default="st3,si,tc", help="comma-separated: st3, si, tc")
    args = ap.parse_args(argv)
    t0 = time.time()
    parts = {p.strip() for p in args.parts.split(",") if p.strip()}
    cache = S.EmbeddingCache()
    if "st3" in parts:
        train_st3(args, t0, cache)
    if "tc" in parts:
        train_tc(args, t0, cache)
    if "si" in parts:
        train_si(args, t0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def heldout_st3(data: Path, langs: Sequence[str] = ("ru",), k: int = 5, seed: int = 0, held: int = 0) -> dict[str, float]:
    """ST3 micro-F1 per language on fold ``held`` of a head trained on the other folds of ``langs``
    only (a smaller model than the shipped, six-language one), with the shipped per-language
    thresholds. Used by the ``data`` tests."""
    from narrascope.analyzers.frames import load_head

    head = load_head("techniques_paragraph")
    table = head.meta["thresholds"] if head is not None else {}
    names = S.label_list(data, "techniques_subtask3.txt")
    rows = [r for r in zip(*st3_rows(data, S.EmbeddingCache(), langs)[:5], strict=True)]
    langs_a = np.asarray([r[0] for r in rows])
    dense = np.vstack([r[1] for r in rows])
    Y = np.asarray([[n in r[2] for n in names] for r in rows], dtype=bool)
    texts = [r[3] for r in rows]
    fold = S.folds([r[4] for r in rows], k, seed)
    tr, te = fold != held, fold == held
    tri, tei = np.flatnonzero(tr), np.flatnonzero(te)
    vocab, idf = S.build_vocab([texts[i] for i in tri], min_df=3, max_terms=15000)
    coef, bias = S.fit_ovr(S.design(dense[tr], [texts[i] for i in tri], vocab, idf), Y[tr], ST3_C, seed)
    p = S.predict_ovr(S.design(dense[te], [texts[i] for i in tei], vocab, idf), coef, bias)
    out = {}
    for lang in langs:
        m = langs_a[te] == lang
        thr = np.asarray(table.get(lang, 0.5), dtype=np.float32)
        out[lang] = S.micro_f1(Y[te][m], p[m] >= thr)
    return out


def _heldout_ptc(data: Path, k: int, seed: int, held: int):  # type: ignore[no-untyped-def]
    ids, texts, spans = ptc(data)
    return ids, texts, spans, S.folds([f"en:{i}" for i in ids], k, seed)


def heldout_si(data: Path, k: int = 5, seed: int = 0, held: int = 0) -> float:
    """SI F1 on fold ``held`` of the 2020 articles, token head trained on the other folds, decoded
    with the shipped threshold, gap and seed threshold. Used by the ``data`` tests."""
    from sklearn.linear_model import LogisticRegression

    si_model = T.load_hashed("techniques_si")
    meta = si_model.meta if si_model else {}
    cfg = (float(meta.get("threshold", 0.2)), int(meta.get("max_gap", 0)), float(meta.get("seed_threshold", 0.0)))
    ids, texts, _, fold_a = _heldout_ptc(data, k, seed, held)
    si_gold = B20._spans(dataset(data, "semeval2020-task11", "train-articles") / "train-labels-task-si")
    train = [a for a in range(len(texts)) if fold_a[a] != held]
    toks_of = [T.tokens(texts[a]) for a in train]
    y = [v for a, toks in zip(train, toks_of, strict=True) for v in _si_labels(texts[a], toks, si_gold.get(ids[a], []))]
    clf = LogisticRegression(C=float(meta.get("C", SI_C[0])), solver="liblinear", random_state=seed, max_iter=300)
    clf.fit(si_matrix([texts[a] for a in train], toks_of), np.asarray(y))
    model = T.HashedLinear(clf.coef_.astype(np.float32), clf.intercept_.astype(np.float32), SI_BITS,
                           {"features": T.SI_FEATURES, "sentence_scale": SI_SENTENCE_SCALE})
    pred = {}
    for a in range(len(texts)):
        if fold_a[a] == held:
            toks, probs = T.token_probabilities(model, texts[a])
            pred[ids[a]] = [(s, e) for s, e, _ in T.decode_spans(texts[a], toks, probs, *cfg)]
    return B20.si_scores({i: si_gold.get(i, []) for i in pred}, pred)["f1"]


def heldout_tc(data: Path, k: int = 5, seed: int = 0, held: int = 0) -> float:
    """TC accuracy on fold ``held`` of the 2020 spans (folds by article, as in training), the
    classifier trained on the other folds with the shipped C and span scale. Used by the ``data`` tests."""
    from sklearn.linear_model import LogisticRegression

    tc = T.load_hashed("techniques_tc")
    meta = tc.meta if tc is not None else {}
    d = tc_data(data)
    X = d.design(float(meta.get("span_scale", TC_SPAN_SCALES[0])))
    te = S.folds(d.groups, k, seed) == held
    clf = LogisticRegression(C=float(meta.get("C", TC_C[0])), max_iter=1000, random_state=seed).fit(X[~te], d.y[~te])
    return float((clf.predict(X[te]) == d.y[te]).mean())
