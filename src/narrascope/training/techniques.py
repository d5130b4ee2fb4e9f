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
  Then the context model of ``bench predict semeval2020-si``: a logistic regression over each token's
  embedding in context (pooled from the encoder's token features), stacked with the token head on
  out-of-fold decisions; its decoding chosen again; figures cross-fitted.
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
from collections.abc import Collection, Sequence
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
# the SI context model (analyzers.techniques.ContextSI): encoder tokens either side of a word pooled
# for its embedding in context (2 beat 0 and 5 in cross-validation), its C, and the C of the stack
SI_CONTEXT_TOKENS = 2
SI_CONTEXT_C = 1.0
SI_STACK_C = 10.0
# weight of the span's own pooled embedding next to its sentence's (analyzers.techniques.span_context),
# chosen by cross-validation
TC_SPAN_SCALES = (1.0, 2.0, 3.0)
TC_BITS = 17


def _log(t0: float, msg: str) -> None:
    print(f"[{time.time() - t0:5.0f}s] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- ST3


def st3_rows(data: Path, cache: S.EmbeddingCache, langs_in: Sequence[str] = S.LANGS
             ) -> tuple[list[str], np.ndarray, np.ndarray, list[str], list[str], list[int]]:
    """(language, line vector ⊕ article vector, labels, text, article group, line number) per gold
    paragraph line."""
    langs, vecs, texts, groups, labels, numbers = [], [], [], [], [], []
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
                numbers.append(num)
    return langs, np.vstack(vecs), np.asarray(labels, dtype=object), texts, groups, numbers


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


@dataclass(frozen=True)
class SIData:
    """The 2020 articles as the SI heads read them: ids, texts, word tokens, gold spans per article
    (articles without spans included), the token labels, each token's article and each article's fold."""

    ids: list[str]
    texts: list[str]
    toks_of: list[list[tuple[int, int, str]]]
    gold: dict[str, list[tuple[int, int]]]
    y: np.ndarray
    owner: np.ndarray
    fold_a: np.ndarray

    @property
    def fold(self) -> np.ndarray:
        return self.fold_a[self.owner]

    def of(self, a: int, values: np.ndarray) -> np.ndarray:
        """The rows of ``values`` (one per token of all articles) that belong to article ``a``."""
        lo = int(np.searchsorted(self.owner, a))
        return values[lo:lo + len(self.toks_of[a])]

    def spans(self, a: int, probs: np.ndarray, cfg: tuple[float, int, float],
              trim: Collection[str] = ()) -> list[tuple[int, int]]:
        return [(s, e) for s, e, _ in T.decode_spans(self.texts[a], self.toks_of[a], self.of(a, probs), *cfg, trim=trim)]

    def f1(self, arts: Sequence[int], probs: np.ndarray, cfg: tuple[float, int, float]) -> float:
        return B20.si_scores({self.ids[a]: self.gold[self.ids[a]] for a in arts},
                             {self.ids[a]: self.spans(a, probs, cfg) for a in arts})["f1"]

    def best_decoding(self, arts: Sequence[int], probs: np.ndarray) -> tuple[float, tuple[float, int, float]]:
        return max(((self.f1(arts, probs, cfg), cfg) for cfg in SI_DECODE), key=lambda t: t[0])

    def cross_fitted(self, probs: np.ndarray) -> dict[str, float]:
        """Official overlap scores, fold k decoded with the decoding chosen on the other folds."""
        pred: dict[str, list[tuple[int, int]]] = {}
        for k in sorted(set(self.fold_a.tolist())):
            _, cfg = self.best_decoding(np.flatnonzero(self.fold_a != k).tolist(), probs)
            pred.update({self.ids[a]: self.spans(a, probs, cfg) for a in np.flatnonzero(self.fold_a == k).tolist()})
        return B20.si_scores(self.gold, pred)


def si_data(data: Path, folds: int, seed: int) -> SIData:
    ids, texts, _ = ptc(data)
    si_gold = B20._spans(dataset(data, "semeval2020-task11", "train-articles") / "train-labels-task-si")
    toks_of = [T.tokens(t) for t in texts]
    y = [v for a, t in enumerate(texts) for v in _si_labels(t, toks_of[a], si_gold.get(ids[a], []))]
    owner = np.repeat(np.arange(len(texts)), [len(t) for t in toks_of])
    return SIData(ids, texts, toks_of, {i: si_gold.get(i, []) for i in ids}, np.asarray(y), owner,
                  S.folds([f"en:{i}" for i in ids], folds, seed))


def si_context_matrix(d: SIData) -> np.ndarray:
    """:func:`T.token_context` of every token of every article (what the context model reads)."""
    from narrascope.analyzers.frames import encode_text

    return np.vstack([T.token_context(text, encode_text(text), toks, SI_CONTEXT_TOKENS)
                      for text, toks in zip(d.texts, d.toks_of, strict=True)])


def fit_context(Xc: np.ndarray, y: np.ndarray, seed: int):  # type: ignore[no-untyped-def]
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=SI_CONTEXT_C, max_iter=1000, random_state=seed).fit(Xc, y)


def fit_stack(z_head: np.ndarray, z_context: np.ndarray, y: np.ndarray) -> np.ndarray:
    """(head weight, context weight, intercept) of the logistic regression that stacks the two
    models' out-of-fold decisions."""
    from sklearn.linear_model import LogisticRegression

    m = LogisticRegression(C=SI_STACK_C, max_iter=1000).fit(np.column_stack([z_head, z_context]), y)
    return np.asarray([m.coef_[0][0], m.coef_[0][1], m.intercept_[0]], np.float64)


def train_si(args, t0: float) -> dict:  # type: ignore[no-untyped-def]
    from sklearn.linear_model import LogisticRegression

    d = si_data(args.data, args.folds, args.seed)
    X = si_matrix(d.texts, d.toks_of)
    fold, yy = d.fold, d.y
    _log(t0, f"si: {len(yy)} tokens, {yy.mean():.3f} inside spans")
    by_c = {}
    for c in SI_C:
        oof = np.zeros(len(yy))
        for k in range(args.folds):
            tr, te = fold != k, fold == k
            clf = LogisticRegression(C=c, solver="liblinear", random_state=args.seed, max_iter=300)
            clf.fit(X[tr], yy[tr])
            oof[te] = clf.decision_function(X[te])
            _log(t0, f"si C={c} fold {k}")
        by_c[c] = (d.best_decoding(range(len(d.texts)), T.logistic(oof)), oof)
    c = max(SI_C, key=lambda x: by_c[x][0][0])
    (f1, (thr, gap, seed)), z_head = by_c[c]
    head_p = T.logistic(z_head)
    cf = d.cross_fitted(head_p)
    print(f"SI token head: C={c} threshold={thr:.2f} gap={gap} seed={seed:.2f}: CV F1 {f1:.3f}; cross-fitted "
          f"F1 {cf['f1']:.3f} (P {cf['precision']:.3f} R {cf['recall']:.3f})")
    an = B20.si_scores(d.gold, {d.ids[a]: d.spans(a, head_p, T.ANALYZER_DECODE) for a in range(len(d.texts))})
    print(f"SI analyzer decoding {T.ANALYZER_DECODE}: F1 {an['f1']:.3f} (P {an['precision']:.3f} R {an['recall']:.3f})")
    table: dict[str, Any] = {"f1": cf["f1"], "precision": cf["precision"], "recall": cf["recall"],
                             "f1_tuned_on_oof": f1}
    # the context model, its out-of-fold decisions, and the stack of both (cross-fitted: the stack and
    # the decoding of fold k chosen on the other folds)
    Xc = si_context_matrix(d)
    z_ctx = np.zeros(len(yy))
    for k in range(args.folds):
        z_ctx[fold == k] = fit_context(Xc[fold != k], yy[fold != k], args.seed).decision_function(Xc[fold == k])
    _log(t0, "si context model out of fold")
    stacked = np.zeros(len(yy))
    for k in range(args.folds):
        w = fit_stack(z_head[fold != k], z_ctx[fold != k], yy[fold != k])
        stacked[fold == k] = w[0] * z_head[fold == k] + w[1] * z_ctx[fold == k] + w[2]
    stacked_p = T.logistic(stacked)
    ccf = d.cross_fitted(stacked_p)
    weights = fit_stack(z_head, z_ctx, yy)
    whole = weights[0] * z_head + weights[1] * z_ctx + weights[2]
    _, decode = d.best_decoding(range(len(d.texts)), T.logistic(whole))
    print(f"SI + context model (window {SI_CONTEXT_TOKENS}, stack {np.round(weights, 3).tolist()}, decoding {decode}): "
          f"cross-fitted F1 {ccf['f1']:.3f} (P {ccf['precision']:.3f} R {ccf['recall']:.3f})")
    table["context"] = {"f1": ccf["f1"], "precision": ccf["precision"], "recall": ccf["recall"]}
    # what the analyzer reads: in context from the floor up, its own decoding, function words trimmed
    read = np.where(head_p >= T.CONTEXT_FLOOR, stacked_p, head_p)
    an = B20.si_scores(d.gold, {d.ids[a]: d.spans(a, read, T.ANALYZER_DECODE, T.edge_words()) for a in range(len(d.texts))})
    table["analyzer"] = {"f1": an["f1"], "precision": an["precision"], "recall": an["recall"],
                         "read_in_context": float((head_p >= T.CONTEXT_FLOOR).mean())}
    print(f"SI analyzer: context model from {T.CONTEXT_FLOOR} ({table['analyzer']['read_in_context']:.2f} of the tokens), "
          f"decoding {T.ANALYZER_DECODE}, function words trimmed: F1 {an['f1']:.3f} (P {an['precision']:.3f} "
          f"R {an['recall']:.3f})")
    if not args.no_save:
        out = S.models_dir(args.out)
        out.mkdir(parents=True, exist_ok=True)
        ctx = fit_context(Xc, yy, args.seed)
        np.savez_compressed(out / "techniques_si_context.npz", weights=ctx.coef_[0].astype(np.float32),
                            bias=np.float32(ctx.intercept_[0]), stack=weights.astype(np.float32))
        (out / "techniques_si_context.json").write_text(json.dumps(
            {"task": "semeval2020-si", "window": SI_CONTEXT_TOKENS, "C": SI_CONTEXT_C, "stack_C": SI_STACK_C,
             "decode": list(decode), "seed": args.seed, "folds": args.folds, "cv": table["context"],
             "analyzer": table["analyzer"]}) + "\n",
            encoding="utf-8")
        clf = LogisticRegression(C=c, solver="liblinear", random_state=args.seed, max_iter=300)
        clf.fit(X, yy)
        T.save_hashed("techniques_si", out, clf.coef_.astype(np.float32), clf.intercept_,
                      SI_BITS, {"task": "semeval2020-si", "threshold": thr, "max_gap": gap, "seed_threshold": seed, "C": c,
                                "features": T.SI_FEATURES, "sentence_scale": SI_SENTENCE_SCALE,
                                "seed": args.seed, "folds": args.folds, "cv": table})
        _log(t0, "si saved")
    return table


@dataclass(frozen=True)
class TCData:
    """The 2020 spans as TC reads them: hashed span features ``H``, the dense block ``E`` of
    :func:`T.span_context` at span scale 1 (sentence, then span), classes ``y`` and the article of
    each span (``groups``, for folds by article)."""

    H: Any
    E: np.ndarray
    y: np.ndarray
    groups: list[str]
    spans: list[tuple[str, int, int]]  # (article id, start, end)

    def design(self, scale: float):  # type: ignore[no-untyped-def]
        """The design matrix with the span's own embedding times ``scale``."""
        from scipy.sparse import csr_matrix, hstack

        dim = self.E.shape[1] // 2
        return hstack([self.H, csr_matrix(self.E[:, :dim]), csr_matrix(scale * self.E[:, dim:])]).tocsr()


def tc_data(data: Path, cache: S.EmbeddingCache | None = None) -> TCData:
    ids, texts, spans = ptc(data)
    arts = [S.Article("en", i, t) for i, t in zip(ids, texts, strict=True)]
    S.prepare(arts, cache)
    feats, ctx, y, groups, where = [], [], [], [], []
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
            where.append((a.id, s, e))
    return TCData(hashed_matrix(feats, TC_BITS), np.vstack(ctx), np.asarray(y), groups, where)


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


@dataclass(frozen=True)
class HeldoutST3:
    """Fold ``held`` of the ST3 paragraphs (:func:`heldout_st3_fold`): the head fitted on the other
    folds (as the analyzer and ``bench predict semeval2023-st3`` load one, with the shipped
    thresholds), and per held-out paragraph its language, article id, line number, gold labels and
    the CV path's probabilities."""

    head: Any
    langs: list[str]
    ids: list[str]
    paragraphs: list[int]
    gold: np.ndarray
    probabilities: np.ndarray


def heldout_st3_fold(data: Path, langs: Sequence[str] = ("ru",), k: int = 5, seed: int = 0, held: int = 0) -> HeldoutST3:
    """A head trained on the other folds of ``langs`` only (a smaller model than the shipped,
    six-language one), with its out-of-fold probabilities for fold ``held``."""
    from narrascope.analyzers.frames import Head, load_head

    shipped = load_head("techniques_paragraph")
    table = shipped.meta["thresholds"] if shipped is not None else {}
    names = S.label_list(data, "techniques_subtask3.txt")
    langs_l, dense, labels, texts, groups, numbers = st3_rows(data, S.EmbeddingCache(), langs)
    Y = np.asarray([[n in labs for n in names] for labs in labels], dtype=bool)
    fold = S.folds(groups, k, seed)
    tr, te = fold != held, fold == held
    tri, tei = np.flatnonzero(tr), np.flatnonzero(te)
    vocab, idf = S.build_vocab([texts[i] for i in tri], min_df=3, max_terms=15000)
    coef, bias = S.fit_ovr(S.design(dense[tr], [texts[i] for i in tri], vocab, idf), Y[tr], ST3_C, seed)
    p = S.predict_ovr(S.design(dense[te], [texts[i] for i in tei], vocab, idf), coef, bias)
    head = Head(list(names), np.asarray(coef, np.float32), np.asarray(bias, np.float32), np.asarray(idf, np.float32),
                {t: i for i, t in enumerate(vocab)}, dense.shape[1], {"thresholds": table})
    return HeldoutST3(head, [langs_l[i] for i in tei], [groups[i].split(":", 1)[1] for i in tei],
                      [numbers[i] for i in tei], Y[te], p)


def heldout_st3(data: Path, langs: Sequence[str] = ("ru",), k: int = 5, seed: int = 0, held: int = 0) -> dict[str, float]:
    """ST3 micro-F1 per language on fold ``held`` (:func:`heldout_st3_fold`), with the shipped
    per-language thresholds. Used by the ``data`` tests."""
    fold = heldout_st3_fold(data, langs, k, seed, held)
    out = {}
    langs_a = np.asarray(fold.langs)
    for lang in langs:
        m = langs_a == lang
        out[lang] = S.micro_f1(fold.gold[m], fold.probabilities[m] >= fold.head.thresholds(lang))
    return out


@dataclass(frozen=True)
class HeldoutSI:
    """Fold ``held`` of the 2020 articles (:func:`heldout_si_fold`): the token head and the context
    model fitted on the other folds (stacked and decoded as shipped), and the spans the CV path finds
    in each held-out article."""

    head: T.HashedLinear
    context: T.ContextSI
    spans: dict[str, list[tuple[int, int]]]
    gold: dict[str, list[tuple[int, int]]]

    def f1(self) -> float:
        return B20.si_scores(self.gold, self.spans)["f1"]


def heldout_si_fold(data: Path, k: int = 5, seed: int = 0, held: int = 0) -> HeldoutSI:
    """The SI token head and context model trained on the other folds of the 2020 articles with the
    shipped C, stack weights and decoding, and the spans they find in fold ``held`` by the training's
    own path (design matrices, stacked decisions). Used by the ``data`` tests."""
    from sklearn.linear_model import LogisticRegression

    si_model = T.load_hashed("techniques_si")
    shipped = T.load_si_context()
    if si_model is None or shipped is None:
        raise FileNotFoundError("the techniques_si and techniques_si_context weights are needed")
    d = si_data(data, k, seed)
    fold = d.fold
    tr, te = fold != held, fold == held
    arts = np.flatnonzero(d.fold_a != held).tolist()
    X = si_matrix([d.texts[a] for a in arts], [d.toks_of[a] for a in arts])
    clf = LogisticRegression(C=float(si_model.meta["C"]), solver="liblinear", random_state=seed, max_iter=300)
    clf.fit(X, d.y[tr])
    head = T.HashedLinear(clf.coef_.astype(np.float32), clf.intercept_.astype(np.float32), SI_BITS,
                          {"features": T.SI_FEATURES, "sentence_scale": SI_SENTENCE_SCALE})
    Xc = si_context_matrix(d)
    ctx = fit_context(Xc[tr], d.y[tr], seed)
    context = T.ContextSI(ctx.coef_[0].astype(np.float32), float(ctx.intercept_[0]), shipped.stack, shipped.window,
                          shipped.decode)
    held_arts = np.flatnonzero(d.fold_a == held).tolist()
    z_head = np.asarray(clf.decision_function(si_matrix([d.texts[a] for a in held_arts], [d.toks_of[a] for a in held_arts])))
    w = shipped.stack
    probs = np.zeros(len(d.y))
    probs[te] = T.logistic(w[0] * z_head + w[1] * ctx.decision_function(Xc[te]) + w[2])
    return HeldoutSI(head, context, {d.ids[a]: d.spans(a, probs, shipped.decode) for a in held_arts},
                     {d.ids[a]: d.gold[d.ids[a]] for a in held_arts})


@dataclass(frozen=True)
class HeldoutTC:
    """Fold ``held`` of the 2020 TC spans (:func:`heldout_tc_fold`): the classifier fitted on the other
    folds, split as the shipped files are (``model``: hashed span words, ``embedding_weights``: the
    dense block), and per held-out span its article, offsets, gold class and the CV path's class."""

    model: T.HashedLinear
    embedding_weights: np.ndarray
    spans: list[tuple[str, int, int]]
    gold: np.ndarray
    predicted: np.ndarray


def heldout_tc_fold(data: Path, k: int = 5, seed: int = 0, held: int = 0) -> HeldoutTC:
    """The TC classifier trained on the other folds (folds by article, as in training) with the
    shipped C and span scale, and its classes for fold ``held``."""
    from sklearn.linear_model import LogisticRegression

    tc = T.load_hashed("techniques_tc")
    meta = dict(tc.meta) if tc is not None else {"span_scale": TC_SPAN_SCALES[0], "C": TC_C[0]}
    d = tc_data(data)
    X = d.design(float(meta["span_scale"]))
    te = S.folds(d.groups, k, seed) == held
    clf = LogisticRegression(C=float(meta["C"]), max_iter=1000, random_state=seed).fit(X[~te], d.y[~te])
    classes = list(T.TECHNIQUES_2020)
    W = np.zeros((len(classes), X.shape[1]), np.float32)
    b = np.full(len(classes), -8.0, np.float32)
    for i, cls in enumerate(clf.classes_):
        W[int(cls)], b[int(cls)] = clf.coef_[i], clf.intercept_[i]
    meta["labels"] = classes
    model = T.HashedLinear(W[:, : 1 << TC_BITS], b, TC_BITS, meta)
    return HeldoutTC(model, W[:, 1 << TC_BITS:], [sp for sp, m in zip(d.spans, te, strict=True) if m], d.y[te],
                     clf.classes_[np.argmax(clf.decision_function(X[te]), axis=1)])


def heldout_tc(data: Path, k: int = 5, seed: int = 0, held: int = 0) -> float:
    """TC accuracy on fold ``held`` of the 2020 spans (:func:`heldout_tc_fold`). Used by the ``data`` tests."""
    fold = heldout_tc_fold(data, k, seed, held)
    return float((fold.predicted == fold.gold).mean())
