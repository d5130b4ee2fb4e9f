"""Train (and cross-validate) the entity-role heads on SemEval-2025 Task 10, subtask 1.

::

    narrascope train roles --data PATH [--seed 0] [--folds 5] [--out DIR] [--cache DIR]

``PATH`` is the data root or ``semeval2025-task10`` (its ``train/{BG,EN,HI,PT,RU}`` folders are
read: ``raw-documents/*.txt`` and ``subtask-1-annotations.txt``, end offsets inclusive).
Features are :func:`narrascope.analyzers.roles.features`; in an article, mentions with the same
surface string (case-insensitive), and every other occurrence of that string, form one entity, joined
in English and Russian with the named mentions of the entity-layer entity they overlap (as in the
``roles`` analyzer).
One head per language, each trained on that language only (pooling languages did worse in CV).

``--folds K`` cross-validates each language first (folds by article, shuffled with ``--seed``)
over a small grid of regularisation strengths and fine-role thresholds, picks the setting with
the best sum of main-role accuracy and fine-role exact match (in English, then the weights of the
parse's role cues, ``cue_bias``, and of the fine-role words, ``fine_cue_bias``, the same way; then,
in every language, whether to calibrate the main-role probabilities, in English with the parse's
grammar features, ``grammar``), prints per-language figures
next to the majority baselines, then trains on everything and writes ``roles.npz`` (plain
arrays) and ``roles.json`` (names, setting, CV figures) into ``--out`` (default: the package's
``models/``). Deterministic given the seed (lbfgs, no random state in the solver).
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import itertools
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from narrascope.analyzers import roles as R
from narrascope.errors import DataError
from narrascope.label_shift import decision_rates
from narrascope.model import Entity
from narrascope.training import dataset

LANGS = ("BG", "EN", "HI", "PT", "RU")
GRID_C = (0.3, 1.0, 3.0)
GRID_THRESHOLD = (0.5, 0.7, 0.9, 1.01)
FEATURE_VERSION = "f5"  # f4: entities pooled by the entity layer (EN, RU); f5: narratives.split_sentences
# mention contexts tried per language (see narrascope.analyzers.roles.features). The encoded
# "window" (a text per mention) can be asked for with --context; it is not tried by default since
# stop 20: with the entity layer's groups it beat the pooled window by 0.026 in the first grid (main
# accuracy + fine exact match, before cues and calibration), which the rule below would take, but
# the finished English heads differ by 0.002 / 0.009 (0.778 / 0.290 against 0.776 / 0.281), and the
# windows would cost the analyzer ~26 ms per article, more than the speed budget of narratives and
# roles leaves (MODEL_CARD_roles.md)
CONTEXT_GRID = ("sentence", "pooled")
# contexts that encode nothing new (the article's sentences are encoded anyway): the others, which
# encode texts per mention (+20 % on the pipeline's time), are chosen only when their CV objective
# (main accuracy + fine exact match) beats the best free one by more than COST_MARGIN, about one
# standard error of an accuracy on 700 mentions
FREE_CONTEXTS = frozenset({"sentence", "pooled"})
COST_MARGIN = 0.02
# log-odds added to each main role per unit of its parse cues (narrascope.analyzers.roles.role_cues;
# Antagonist, Innocent, Protagonist), chosen together by cross-validation at the selected C and
# threshold; languages with an English parse only
CUE_BIAS_GRID = (0.0, 1.0, 2.0, 3.0, 4.0)
# weight of the fine-role words (narrascope.analyzers.roles.fine_cues), chosen after the cue biases
FINE_CUE_GRID = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0)
CUE_LANGS = frozenset({"EN"})
# L2 penalties tried for the grammar features' weights, fitted with the calibration
# (narrascope.analyzers.roles.grammar_features; English only, like the cues)
GRAMMAR_L2 = (0.003, 0.01, 0.03)


# --------------------------------------------------------------------------- data
@dataclass(frozen=True)
class Row:
    """One line of a subtask-1 file; ``end`` is exclusive here (the file's end + 1)."""

    id: str
    mention: str
    start: int
    end: int
    main: str = ""
    fine: tuple[str, ...] = ()


def read_text(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def read_rows(path: Path) -> list[Row]:
    """The lines of a subtask-1 file with at least 4 columns (roles optional), end made exclusive."""
    rows = []
    for n, line in enumerate(read_text(path).split("\n"), 1):
        line = line.rstrip("\r").lstrip("\ufeff") if n == 1 else line.rstrip("\r")  # a byte-order mark
        if not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) < 4:
            raise DataError(f"{path}:{n}: expected at least 4 tab-separated columns, got {len(cols)}",
                            hint="lines are id<TAB>mention<TAB>start<TAB>end[<TAB>main<TAB>fine…]")
        if n == 1 and not (cols[2].strip().isdigit() or cols[3].strip().isdigit()):
            continue  # a header line ("id<TAB>mention<TAB>start<TAB>end")
        try:
            start, end = int(cols[2]), int(cols[3]) + 1
        except ValueError as exc:
            raise DataError(f"{path}:{n}: start/end are not integers", hint="check the columns") from exc
        main = cols[4].strip() if len(cols) > 4 else ""
        fine = tuple(c.strip() for c in cols[5:] if c.strip())
        rows.append(Row(cols[0].strip(), cols[1], start, end, main, fine))
    return rows


# languages whose articles the entity layer reads (the `entities` analyzer: spaCy for English,
# natasha for Russian); elsewhere a mention's entity is its surface string alone
ENTITY_LANGS = frozenset({"EN", "RU"})


@functools.lru_cache(maxsize=4)
def article_entities(text: str, lang: str) -> tuple[Entity, ...]:
    """The entities the ``entities`` analyzer finds in ``text`` (names, aliases, nominals, pronouns),
    as the ``roles`` analyzer sees them; ``()`` for a language the entity layer does not read, or where
    ingest would change the text (its offsets would no longer be the task's)."""
    from narrascope.ingest import from_text

    if lang.upper() not in ENTITY_LANGS:
        return ()
    doc = _entity_pipeline()(from_text(text, language=lang.lower()))
    return tuple(doc.entities or ()) if doc.text == text else ()


@functools.cache
def _entity_pipeline() -> Any:
    from narrascope.pipeline import Pipeline

    return Pipeline(("sentences", "entities"))


def targets(text: str, rows: Sequence[Row], entities: Sequence[Entity] = ()) -> list[R.Target]:
    """One target per row; its entity = rows and text occurrences with the same surface string, and,
    where one of ``entities`` (:func:`article_entities`) has a mention overlapping the row, that
    entity's other named mentions (aliases and nominals: "Putin", "the Russian president"; no
    pronouns), as the ``roles`` analyzer groups them."""
    by_surface: dict[str, set[tuple[int, int]]] = {}
    for r in rows:
        key = r.mention.strip().lower()
        if key in by_surface:
            continue
        spans = {(x.start, x.end) for x in rows if x.mention.strip().lower() == key}
        surf = r.mention.strip()
        if surf:
            pat = re.compile(r"(?<!\w)" + re.escape(surf) + r"(?!\w)", re.IGNORECASE)
            spans.update((m.start(), m.end()) for m in pat.finditer(text))
        by_surface[key] = spans
    out = []
    for r in rows:
        group = set(by_surface[r.mention.strip().lower()])
        overlap = [(min(m.end, r.end) - max(m.start, r.start), -n, e)
                   for n, e in enumerate(entities) for m in e.mentions if m.start < r.end and r.start < m.end]
        if overlap:
            entity = max(overlap, key=lambda x: x[:2])[2]
            group.update((m.start, m.end) for m in entity.mentions if m.kind != "pronoun")
        out.append(R.Target(r.start, r.end, tuple(sorted(group)), r.mention.strip()))
    return out


def article_features(text: str, rows: Sequence[Row], context: str, lang: str) -> np.ndarray:
    """The head features of ``rows`` in one article, in the mention ``context`` and with the entity
    groups of language ``lang`` that the head is trained on (both required: a default let the
    benchmark build other features than the heads had learned, before stop 20)."""
    entities = article_entities(text, lang)
    return R.features(text, R.split_sentences(text), targets(text, rows, entities), context=context)[0]


def cue_strengths(text: str, rows: Sequence[Row], lang: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row, how strongly the English parse casts it in each main role (:func:`R.role_cues`), its
    fine-role words (:func:`R.fine_cues`) and its grammar features (:func:`R.grammar_features`), the
    rows grouped into entities as for :func:`article_features`."""
    from narrascope import nlp

    entities = article_entities(text, lang)
    reading = R.parse_cues(nlp.parse(text), text, R.split_sentences(text), targets(text, rows, entities),
                           fine_labels()[0])
    return reading.strengths, reading.words, reading.grammar


def language_cue_strengths(root: Path, lang: str, rows: Sequence[Row]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`cue_strengths` of every row of ``rows``, in their order (each article parsed once)."""
    folder = root / "train" / lang
    by_id: dict[str, list[int]] = {}
    for n, r in enumerate(rows):
        by_id.setdefault(r.id, []).append(n)
    main = np.zeros((len(rows), len(R.MAIN_ROLES)), np.float32)
    fine = np.zeros((len(rows), len(fine_labels()[0])), np.float32)
    grammar = np.zeros((len(rows), len(R.GRAMMAR_FEATURES)), np.float32)
    for doc_id, idx in by_id.items():
        main[idx], fine[idx], grammar[idx] = cue_strengths(read_text(folder / "raw-documents" / doc_id),
                                                           [rows[n] for n in idx], lang)
    return main, fine, grammar


def tune_cue_bias(d: LangData, strengths: np.ndarray, words: np.ndarray, C: float, threshold: float, k: int,
                  seed: int) -> dict[str, Any]:
    """CV figures per triple of cue biases (one per :data:`R.CUE_ROLES` role, at ``C`` and ``threshold``)
    and the best triple (ties: the smaller sum); then, at that triple, per weight of the fine-role words
    ``words`` and the best weight (ties: the smaller)."""
    fold = folds_of(d.rows, k, seed)
    heads = [to_head(fit(d.X[fold != f], [r for r, fo in zip(d.rows, fold, strict=True) if fo != f], C), threshold)
             for f in range(k)]
    gold = [d.rows[i] for f in range(k) for i in np.flatnonzero(fold == f)]
    cued = [R.MAIN_ROLES.index(role) for role in R.CUE_ROLES]
    print(f"{d.lang} mentions with cues: " + ", ".join(f"{role} {int((strengths[:, j] > 0).sum())}"
                                                       for role, j in zip(R.CUE_ROLES, cued, strict=True)),
          file=sys.stderr, flush=True)

    def cv_metrics(biases: tuple[float, ...], w: float) -> dict[str, float]:
        pred: list[Row] = []
        for f, head in enumerate(heads):
            te = np.flatnonzero(fold == f)
            head.cue_bias[cued] = biases
            head.fine_cue_bias = w
            pred += predictions(head, d.X[te], [d.rows[i] for i in te], threshold, strengths[te], words[te])
        return metrics(gold, pred)

    by_bias = {}
    for biases in itertools.product(CUE_BIAS_GRID, repeat=len(cued)):
        m = by_bias[biases] = cv_metrics(biases, 0.0)
        print(f"{d.lang} cue bias " + " ".join(f"{role} {b}" for role, b in zip(R.CUE_ROLES, biases, strict=True))
              + f": main {m['main_accuracy']:.3f} fine EM {m['fine_exact_match']:.3f}", file=sys.stderr, flush=True)
    best = max(by_bias, key=lambda b: (score(by_bias[b]), -sum(b)))
    by_fine = {}
    for w in FINE_CUE_GRID:
        m = by_fine[w] = cv_metrics(best, w)
        print(f"{d.lang} fine-role words weight {w}: main {m['main_accuracy']:.3f} fine EM {m['fine_exact_match']:.3f}",
              file=sys.stderr, flush=True)
    best_w = max(FINE_CUE_GRID, key=lambda w: (score(by_fine[w]), -w))
    return {"bias": dict(zip(R.CUE_ROLES, best, strict=True)), "fine_bias": best_w, "metrics": by_fine[best_w],
            "grid": {",".join(map(str, b)): m for b, m in by_bias.items()},
            "fine_grid": {str(w): m for w, m in by_fine.items()}}


@dataclass
class LangData:
    lang: str
    rows: list[Row]
    X: np.ndarray
    context: str = R.CONTEXT


def load_language(root: Path, lang: str, cache: Path | None, context: str) -> LangData:
    folder = root / "train" / lang
    ann = folder / "subtask-1-annotations.txt"
    if not ann.exists():
        raise DataError(f"no {ann}", hint="pass --data with the semeval2025-task10 folder or the data root")
    rows = read_rows(ann)
    by_id: dict[str, list[Row]] = {}
    for r in rows:
        by_id.setdefault(r.id, []).append(r)
    digest = hashlib.sha1(ann.read_bytes() + FEATURE_VERSION.encode() + context.encode()
                          + str(R.features.__code__.co_code).encode()
                          + str(R.pooled_windows.__code__.co_code).encode()
                          + str(targets.__code__.co_code).encode()).hexdigest()[:12]
    cpath = cache / f"roles_{lang}_{digest}.npy" if cache else None
    ordered = [r for i in sorted(by_id) for r in by_id[i]]
    if cpath is not None and cpath.exists():
        return LangData(lang, ordered, np.load(cpath, allow_pickle=False), context)
    parts = []
    for doc_id in sorted(by_id):
        text = read_text(folder / "raw-documents" / doc_id)
        parts.append(article_features(text, by_id[doc_id], context, lang))
    X = np.vstack(parts)
    if cpath is not None:
        cpath.parent.mkdir(parents=True, exist_ok=True)
        np.save(cpath, X)
    return LangData(lang, ordered, X, context)


# --------------------------------------------------------------------------- metrics
def metrics(gold: Sequence[Row], pred: Sequence[Row]) -> dict[str, float]:
    """The official subtask-1 figures: main-role accuracy, exact match ratio of fine-role sets,
    fine-role micro P/R/F1; rows are matched by ``(id, start, end)``, a missing prediction is wrong."""
    by_key = {(p.id, p.start, p.end): p for p in pred}
    n = len(gold)
    main_ok = exact = 0
    tp = n_pred = n_gold = 0
    for g in gold:
        p = by_key.get((g.id, g.start, g.end))
        gset = set(g.fine)
        pset = set(p.fine) if p else set()
        main_ok += int(p is not None and p.main == g.main)
        exact += int(p is not None and gset == pset)
        tp += len(gset & pset)
        n_pred += len(pset)
        n_gold += len(gset)
    prec = tp / n_pred if n_pred else 0.0
    rec = tp / n_gold if n_gold else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {
        "n": n,
        "main_accuracy": main_ok / n if n else 0.0,
        "fine_exact_match": exact / n if n else 0.0,
        "fine_micro_precision": prec,
        "fine_micro_recall": rec,
        "fine_micro_f1": f1,
    }


def baseline(train: Sequence[Row], test: Sequence[Row]) -> dict[str, float]:
    """The majority main role and the majority fine-role set of the training rows, for every row."""
    main = Counter(r.main for r in train).most_common(1)[0][0]
    fine = Counter(tuple(sorted(r.fine)) for r in train).most_common(1)[0][0]
    return metrics(test, [Row(r.id, r.mention, r.start, r.end, main, fine) for r in test])


# --------------------------------------------------------------------------- fitting
def fine_labels() -> tuple[list[str], list[str]]:
    names, parents = [], []
    for main in R.MAIN_ROLES:
        for f in R.FINE_ROLES[main]:
            names.append(f)
            parents.append(main)
    return names, parents


def fit(X: np.ndarray, rows: Sequence[Row], C: float) -> dict[str, np.ndarray]:
    """Standardiser, main-role multinomial LR and per-fine-role binary LRs (on their main role's rows)."""
    from sklearn.linear_model import LogisticRegression

    Z = X
    y = np.array([R.MAIN_ROLES.index(r.main) for r in rows])
    main = LogisticRegression(C=C, max_iter=2000, solver="lbfgs")
    main.fit(Z, y)
    main_w = np.zeros((len(R.MAIN_ROLES), X.shape[1]), np.float32)
    main_b = np.full(len(R.MAIN_ROLES), -30.0, np.float32)
    for i, cls in enumerate(main.classes_):
        if len(main.classes_) == 2:  # binary: sklearn keeps one row
            w = main.coef_[0] * (1 if i == 1 else -1) / 2
            b = main.intercept_[0] * (1 if i == 1 else -1) / 2
        else:
            w, b = main.coef_[i], main.intercept_[i]
        main_w[cls], main_b[cls] = w, b
    names, parents = fine_labels()
    fine_w = np.zeros((len(names), X.shape[1]), np.float32)
    fine_b = np.zeros(len(names), np.float32)
    for j, (name, parent) in enumerate(zip(names, parents, strict=True)):
        idx = [i for i, r in enumerate(rows) if r.main == parent]
        yj = np.array([int(name in rows[i].fine) for i in idx])
        pos = int(yj.sum())
        if pos == 0 or pos == len(yj):
            prior = (pos + 0.5) / (len(yj) + 1.0)
            fine_b[j] = float(np.log(prior / (1 - prior)))
            continue
        clf = LogisticRegression(C=C, max_iter=2000, solver="lbfgs")
        clf.fit(Z[idx], yj)
        fine_w[j], fine_b[j] = clf.coef_[0], clf.intercept_[0]
    return {"main_w": main_w, "main_b": main_b, "fine_w": fine_w, "fine_b": fine_b}


def to_head(arrays: dict[str, np.ndarray], threshold: float, **options: Any) -> R.LanguageHead:
    """A head of fitted arrays; ``options`` as :func:`narrascope.analyzers.roles.head_options` gives them."""
    names, parents = fine_labels()
    return R.LanguageHead(arrays["main_w"], arrays["main_b"], arrays["fine_w"], arrays["fine_b"], threshold,
                          names, parents, **options)


def main_priors(rows: Sequence[Row]) -> list[float]:
    """The share of each main role (in :data:`R.MAIN_ROLES` order) among ``rows``."""
    counts = Counter(r.main for r in rows)
    return [counts[m] / max(len(rows), 1) for m in R.MAIN_ROLES]


def head_as_shipped(X: np.ndarray, rows: Sequence[Row], setting: dict[str, Any]) -> R.LanguageHead:
    """A head fitted on ``X``/``rows`` with a shipped language's settings (``roles.json``'s ``heads``
    entry: C, threshold, cue biases, calibration, context), its main-role priors those of ``rows``: for
    held-out checks and benchmarks (the analyzer's prior correction and features need both)."""
    return to_head(fit(X, rows, setting["C"]), setting["threshold"], priors=main_priors(rows),
                   context=str(setting.get("context", "window")), **R.head_options(setting))


def out_of_fold_probabilities(d: LangData, setting: dict[str, Any], cues: np.ndarray | None,
                              words: np.ndarray | None, k: int, seed: int,
                              grammar: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold main-role probabilities (parse cues, calibration and grammar features as in
    ``setting``) and fine-role scores of every row of ``d``, heads fitted with :func:`head_as_shipped`
    (folds by article)."""
    fold = folds_of(d.rows, k, seed)
    P = np.zeros((len(d.rows), len(R.MAIN_ROLES)))
    F = np.zeros((len(d.rows), len(fine_labels()[0])))
    for f in range(k):
        head = head_as_shipped(d.X[fold != f], [r for r, fo in zip(d.rows, fold, strict=True) if fo != f], setting)
        te = np.flatnonzero(fold == f)
        P[te] = head.main_adjusted(d.X[te], 0.0, None if cues is None else cues[te],
                                   None if grammar is None else grammar[te])
        F[te] = head.fine_adjusted(d.X[te], None if words is None else words[te])
    return P, F


def fit_calibration(P: np.ndarray, y: np.ndarray) -> list[float]:
    """[T, bias per main role] (the first bias 0) that minimise the negative log-likelihood of
    :func:`narrascope.analyzers.roles.calibrate` of ``P`` for the gold roles ``y`` (Nelder-Mead,
    deterministic)."""
    from scipy.optimize import minimize

    def nll(theta: np.ndarray) -> float:
        if theta[0] <= 0.05:
            return 1e9
        Q = R.calibrate(P, [theta[0], 0.0, *theta[1:]])
        return float(-np.log(np.maximum(Q[np.arange(len(y)), y], 1e-12)).mean())

    res = minimize(nll, np.r_[1.0, np.zeros(len(R.MAIN_ROLES) - 1)], method="Nelder-Mead",
                   options={"xatol": 1e-4, "fatol": 1e-7, "maxiter": 2000})
    return [round(float(res.x[0]), 4), 0.0, *(round(float(v), 4) for v in res.x[1:])]


def fit_grammar_calibration(P: np.ndarray, y: np.ndarray, G: np.ndarray, l2: float) -> tuple[list[float], dict[str, Any]]:
    """:func:`fit_calibration` with the grammar features ``G`` (:func:`R.grammar_features`, one row per
    row of ``P``) inside the softmax: [T, bias per main role] and, per main role, weights on the
    standardised features (Antagonist's 0), fitted together by likelihood with an L2 penalty ``l2`` on
    the weights (L-BFGS-B, deterministic). Returns the calibration and the head's ``grammar`` setting."""
    from scipy.optimize import minimize

    mean, scale = G.mean(axis=0), G.std(axis=0) + 1e-6
    Z = (G - mean) / scale
    n_roles, n_feat = len(R.MAIN_ROLES), G.shape[1]

    def unpack(theta: np.ndarray) -> tuple[list[float], np.ndarray]:
        weights = np.vstack([np.zeros(n_feat), theta[n_roles:].reshape(n_roles - 1, n_feat)])
        return [float(theta[0]), 0.0, *map(float, theta[1:n_roles])], weights

    def nll(theta: np.ndarray) -> float:
        cal, weights = unpack(theta)
        Q = R.calibrate(P, cal, Z @ weights.T)
        return float(-np.log(np.maximum(Q[np.arange(len(y)), y], 1e-12)).mean() + l2 * np.sum(theta[n_roles:] ** 2))

    x0 = np.r_[1.0, np.zeros(n_roles - 1), np.zeros((n_roles - 1) * n_feat)]
    res = minimize(nll, x0, method="L-BFGS-B", bounds=[(0.05, None)] + [(None, None)] * (len(x0) - 1))
    cal, weights = unpack(res.x)
    return [round(v, 4) for v in cal], {
        "features": list(R.GRAMMAR_FEATURES), "l2": l2, "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale], "weights": [[round(float(v), 4) for v in w] for w in weights]}


def choose_calibration(d: LangData, setting: dict[str, Any], cues: np.ndarray | None, words: np.ndarray | None,
                       k: int, seed: int, grammar: np.ndarray | None = None
                       ) -> tuple[dict[str, Any], dict[str, dict[str, float]], str, np.ndarray, np.ndarray]:
    """Whether calibrating the main-role probabilities (:func:`fit_calibration`) helps the selection
    criterion in CV, and whether the ``grammar`` features (:func:`fit_grammar_calibration`, at each
    penalty of :data:`GRAMMAR_L2`) help more: the calibration of fold f is fitted on the other folds'
    out-of-fold probabilities. Returns the settings of the best option, fitted on all of them (``{}``
    when none beats no calibration; else ``calibration`` and, with the grammar features, ``grammar``),
    the CV figures of every option ("without", "with", "grammar <l2>"), the name of the best, its
    cross-fitted main-role probabilities, and the out-of-fold fine-role scores they were decoded with."""
    P, F = out_of_fold_probabilities(d, setting, cues, words, k, seed)
    y = np.array([R.MAIN_ROLES.index(r.main) for r in d.rows])
    fold = folds_of(d.rows, k, seed)
    probs = {"without": P, "with": np.zeros_like(P)}
    for f in range(k):
        probs["with"][fold == f] = R.calibrate(P[fold == f], fit_calibration(P[fold != f], y[fold != f]))
    penalties = {f"grammar {l2}": l2 for l2 in (GRAMMAR_L2 if grammar is not None else ())}
    for name, l2 in penalties.items():
        assert grammar is not None
        probs[name] = np.zeros_like(P)
        for f in range(k):
            cal, g = fit_grammar_calibration(P[fold != f], y[fold != f], grammar[fold != f], l2)
            probs[name][fold == f] = R.calibrate(P[fold == f], cal, R.grammar_log_odds(g, grammar[fold == f]))
    figures = {name: metrics(d.rows, decoded_rows(Q, F, d.rows, setting["threshold"])) for name, Q in probs.items()}
    best = max(figures, key=lambda name: score(figures[name]) - 1e-9 * list(figures).index(name))  # ties: the simpler
    if best == "without":
        return {}, figures, best, probs[best], F
    if best == "with":
        return {"calibration": fit_calibration(P, y)}, figures, best, probs[best], F
    assert grammar is not None
    cal, g = fit_grammar_calibration(P, y, grammar, penalties[best])
    return {"calibration": cal, "grammar": g}, figures, best, probs[best], F


def folds_of(rows: Sequence[Row], k: int, seed: int) -> np.ndarray:
    """Fold index per row; folds by article, articles shuffled with ``seed``."""
    ids = sorted({r.id for r in rows})
    random.Random(seed).shuffle(ids)
    fold = {d: i % k for i, d in enumerate(ids)}
    return np.array([fold[r.id] for r in rows])


def decoded_rows(main_p: np.ndarray, fine_p: np.ndarray, rows: Sequence[Row], threshold: float) -> list[Row]:
    """``rows`` with the roles :func:`narrascope.analyzers.roles.decode` gives their probabilities."""
    names, parents = fine_labels()
    preds = R.decode(main_p, fine_p, R.MAIN_ROLES, names, parents, threshold)
    return [Row(r.id, r.mention, r.start, r.end, p.main_role, p.fine_roles) for r, p in zip(rows, preds, strict=True)]


def predictions(head: R.LanguageHead, X: np.ndarray, rows: Sequence[Row], threshold: float,
                cues: np.ndarray | None = None, words: np.ndarray | None = None,
                grammar: np.ndarray | None = None) -> list[Row]:
    return decoded_rows(head.main_adjusted(X, 0.0, cues, grammar), head.fine_adjusted(X, words), rows, threshold)


def cross_validate(d: LangData, k: int, seed: int) -> dict[str, Any]:
    """CV figures of one language per (C, threshold), and its majority baseline."""
    fold = folds_of(d.rows, k, seed)
    base: list[Row] = []
    for f in range(k):
        tr = [r for r, fo in zip(d.rows, fold, strict=True) if fo != f]
        main = Counter(r.main for r in tr).most_common(1)[0][0]
        fine = Counter(tuple(sorted(r.fine)) for r in tr).most_common(1)[0][0]
        base += [Row(r.id, r.mention, r.start, r.end, main, fine) for r, fo in zip(d.rows, fold, strict=True) if fo == f]
    gold_base = [r for f in range(k) for r, fo in zip(d.rows, fold, strict=True) if fo == f]
    out: dict[str, Any] = {"grid": {}, "baseline": metrics(gold_base, base)}
    for C in GRID_C:
        per_t: dict[float, list[Row]] = {t: [] for t in GRID_THRESHOLD}
        gold: list[Row] = []
        for f in range(k):
            tr = fold != f
            head = to_head(fit(d.X[tr], [r for r, m in zip(d.rows, tr, strict=True) if m], C), 1.0)
            te = np.where(~tr)[0]
            gold += [d.rows[i] for i in te]
            for t in GRID_THRESHOLD:
                per_t[t] += predictions(head, d.X[te], [d.rows[i] for i in te], t)
        for t in GRID_THRESHOLD:
            m = metrics(gold, per_t[t])
            out["grid"][f"C={C},t={t}"] = {"C": C, "threshold": t, "metrics": m}
            print(f"{d.lang} C={C} t={t}: main {m['main_accuracy']:.3f} fine EM {m['fine_exact_match']:.3f}",
                  file=sys.stderr, flush=True)
    return out


def score(m: dict[str, float]) -> float:
    """The selection criterion: main-role accuracy + fine-role exact match."""
    return float(m["main_accuracy"] + m["fine_exact_match"])


def objective(entry: dict[str, Any]) -> float:
    return score(entry["metrics"])


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="narrascope train roles", description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--out", type=Path, default=R.MODEL_DIR)
    ap.add_argument("--cache", type=Path, default=None, help="folder to cache article features in")
    ap.add_argument("--languages", default=",".join(LANGS))
    ap.add_argument("--context", choices=R.CONTEXTS, nargs="+", default=list(CONTEXT_GRID),
                    help="mention contexts to try (per language, cross-validation picks one; one that encodes "
                         f"texts per mention only when better by more than {COST_MARGIN}): the mention's "
                         "sentence, a window of tokens pooled from the sentences, or a window of words")
    args = ap.parse_args(argv)
    root = dataset(args.data, "semeval2025-task10", "train")
    random.seed(args.seed)
    np.random.seed(args.seed)
    langs = [lg.strip().upper() for lg in args.languages.split(",") if lg.strip()]
    names, parents = fine_labels()
    meta: dict[str, Any] = {
        "main_roles": list(R.MAIN_ROLES), "fine_roles": names, "fine_parent": parents, "seed": args.seed,
        "folds": args.folds, "analyzer_version": R.VERSION, "feature_version": FEATURE_VERSION, "heads": {},
    }
    arrays: dict[str, np.ndarray] = {}
    table = []
    for lg in langs:
        C, threshold = GRID_C[-1], GRID_THRESHOLD[-1]
        context = args.context[0]
        d = load_language(root, lg, args.cache, context)
        setting: dict[str, Any] = {"n_train": len(d.rows), "n_articles": len({r.id for r in d.rows})}
        if args.folds >= 2:
            chosen: tuple[float, LangData, dict[str, Any], dict[str, Any]] | None = None
            tried: dict[str, dict[str, float]] = {}
            for ctx in sorted(args.context, key=lambda c: c not in FREE_CONTEXTS):  # free ones first
                dc = load_language(root, lg, args.cache, ctx) if ctx != context or chosen else d
                cv = cross_validate(dc, args.folds, args.seed)
                best = cv["grid"][max(cv["grid"], key=lambda key: objective(cv["grid"][key]))]
                tried[ctx] = {k: round(float(best["metrics"][k]), 4) for k in ("main_accuracy", "fine_exact_match")}
                margin = COST_MARGIN if chosen is not None and ctx not in FREE_CONTEXTS else 0.0
                if chosen is None or objective(best) > chosen[0] + margin + 1e-9:
                    chosen = (objective(best), dc, best, cv)
            assert chosen is not None
            _, d, best, cv = chosen
            context = d.context
            C, threshold = best["C"], best["threshold"]
            cues = words = grammar = None
            if lg in CUE_LANGS:
                cues, words, grammar = language_cue_strengths(root, lg, d.rows)
                cb = tune_cue_bias(d, cues, words, C, threshold, args.folds, args.seed)
                setting["cue_bias"] = cb["bias"]
                setting["fine_cue_bias"] = cb["fine_bias"]
                for key in ("grid", "fine_grid"):
                    setting[f"cv_cue_{key}"] = {b: {k: round(float(m[k]), 4) for k in ("main_accuracy", "fine_exact_match")}
                                                for b, m in cb[key].items()}
                best = {**best, "metrics": cb["metrics"]}
            cal, figures, chosen_name, crossfitted, _ = choose_calibration(
                d, {**setting, "C": C, "threshold": threshold}, cues, words, args.folds, args.seed, grammar)
            print(f"{lg} calibration: " + ", ".join(
                f"{name} main {m['main_accuracy']:.3f} fine EM {m['fine_exact_match']:.3f}" for name, m in figures.items())
                + f" -> {cal.get('calibration', 'none')}" + (" with grammar features" if "grammar" in cal else ""),
                file=sys.stderr, flush=True)
            setting["cv_calibration"] = {name: {k: round(float(m[k]), 4) for k in ("main_accuracy", "fine_exact_match")}
                                         for name, m in figures.items()}
            # for `bench predict semeval2025-st1 --adapt` (analyzers.roles.adapt_to_batch)
            antagonist = R.MAIN_ROLES.index("Antagonist")
            setting["antagonist_rates"] = decision_rates(
                np.array([r.main == "Antagonist" for r in d.rows]), crossfitted.argmax(axis=1) == antagonist)
            if cal:
                setting.update(cal)
                best = {**best, "metrics": figures[chosen_name]}
            setting["cv"] = {k: round(float(v), 4) for k, v in best["metrics"].items()}
            setting["cv_baseline"] = {k: round(float(v), 4) for k, v in cv["baseline"].items()}
            setting["cv_contexts"] = tried
            table.append((lg, best["metrics"], cv["baseline"]))
        setting["context"] = context
        setting.update({"C": C, "threshold": threshold, "priors": [round(p, 4) for p in main_priors(d.rows)]})
        for key, value in fit(d.X, d.rows, C).items():
            arrays[f"{lg.lower()}_{key}"] = value.astype(np.float16 if key.endswith("_w") else np.float32)
        meta["heads"][lg.lower()] = setting
        meta["feature_dim"] = int(d.X.shape[1])
    if table:
        print(f"{'lang':5} {'main acc':>9} {'fine EM':>8} {'fine F1':>8} | {'base acc':>9} {'base EM':>8}")
        for lg, m, b in table:
            print(f"{lg:5} {m['main_accuracy']:9.3f} {m['fine_exact_match']:8.3f} {m['fine_micro_f1']:8.3f} | "
                  f"{b['main_accuracy']:9.3f} {b['fine_exact_match']:8.3f}")
    args.out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out / "roles.npz", **arrays)  # type: ignore[arg-type]
    (args.out / "roles.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out / 'roles.npz'} and roles.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
