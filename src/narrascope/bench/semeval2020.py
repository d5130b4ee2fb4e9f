"""SemEval-2020 Task 11 (Da San Martino et al. 2020): span identification (SI), technique classification (TC).

Formats (an ``id`` is the number in ``article<id>.txt``; offsets are characters, end exclusive,
counting ``\\r``):

- SI prediction / gold: ``id<TAB>start<TAB>end``, one line per span;
- TC template: ``id<TAB>?<TAB>start<TAB>end``; prediction / gold: the same lines with ``?``
  replaced by one of the 14 classes.

Scores (the official definitions):

- SI: the character-overlap F1 of Da San Martino et al. (EMNLP 2019). Per article, with S the
  predicted spans and T the gold spans (overlapping spans of each side merged first, as the
  official scorer requires them disjoint), C(s, t, h) = |s ∩ t| / h;
  P = Σ_s Σ_t C(s, t, |s|) / |S| and R = Σ_t Σ_s C(s, t, |t|) / |T|, numerators and
  denominators summed over all articles; F1 = 2PR / (P + R). Articles of the gold only count.
- TC: micro-F1 over (id, start, end, technique) lines: a predicted line is right when the gold
  has that span with that technique (multiset match, so a span annotated with two techniques
  has two lines); with one prediction per template line this equals accuracy.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from narrascope.bench.semeval2023 import _article_files, _read, _write
from narrascope.errors import DataError


def _rows(path: Path) -> list[list[str]]:
    path = Path(path)
    files = sorted(path.glob("*.txt")) + sorted(path.glob("*.labels")) if path.is_dir() else [path]
    if not files or not all(f.is_file() for f in files):
        raise DataError(f"no span file at {path}", hint="pass the gold/prediction file (or a folder of them)")
    out = []
    for f in files:
        for line in _read(f).split("\n"):
            parts = [p.strip() for p in line.rstrip("\r").split("\t")]
            if len(parts) >= 3 and parts[0]:
                out.append(parts)
    return out


def merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping (or touching) spans merged; empty spans dropped."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(x for x in spans if x[1] > x[0]):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def si_counts(gold: list[tuple[int, int]], pred: list[tuple[int, int]]) -> tuple[float, int, float, int]:
    """(precision numerator, |S|, recall numerator, |T|) of one article."""
    g, p = merge(gold), merge(pred)
    pn = rn = 0.0
    for s0, s1 in p:
        for t0, t1 in g:
            inter = min(s1, t1) - max(s0, t0)
            if inter > 0:
                pn += inter / (s1 - s0)
                rn += inter / (t1 - t0)
    return pn, len(p), rn, len(g)


def si_scores(gold: dict[str, list[tuple[int, int]]], pred: dict[str, list[tuple[int, int]]]) -> dict[str, float]:
    pn = rn = 0.0
    pd = rd = 0
    for aid, g in gold.items():
        a, b, c, d = si_counts(g, pred.get(aid, []))
        pn, pd, rn, rd = pn + a, pd + b, rn + c, rd + d
    p = pn / pd if pd else 0.0
    r = rn / rd if rd else 0.0
    return {"f1": 2 * p * r / (p + r) if p + r else 0.0, "precision": p, "recall": r,
            "articles": float(len(gold)), "gold_spans": float(rd), "pred_spans": float(pd)}


def _spans(path: Path) -> dict[str, list[tuple[int, int]]]:
    """Spans per article id. A folder of per-article ``.labels`` files (the task's gold layout) names
    every article by its file, so an article annotated with no span counts too: the official scorer
    charges a prediction there to precision."""
    from narrascope.training._semeval2023 import article_id

    path = Path(path)
    out: dict[str, list[tuple[int, int]]] = {}
    if path.is_dir():
        out = {article_id(f): [] for f in sorted(path.glob("*.labels"))}
    for parts in _rows(path):
        # SI lines have 3 columns; TC-style lines (id, technique, start, end) are accepted too
        s, e = (parts[1], parts[2]) if len(parts) == 3 else (parts[2], parts[3])
        out.setdefault(parts[0], []).append((int(s), int(e)))
    return out


def score_si(gold: Path, pred: Path) -> dict[str, float]:
    """The official SI span-overlap precision, recall and F1."""
    return si_scores(_spans(gold), _spans(pred))


def _tc(path: Path) -> list[tuple[str, str, int, int]]:
    return [(p[0], p[1], int(p[2]), int(p[3])) for p in _rows(path) if len(p) >= 4]


def score_tc(gold: Path, pred: Path) -> dict[str, float]:
    """Micro-F1 over technique-labelled spans (accuracy when each template line has one prediction)."""
    g = Counter(_tc(gold))
    p = Counter(_tc(pred))
    tp = sum((g & p).values())
    n_g, n_p = sum(g.values()), sum(p.values())
    prec = tp / n_p if n_p else 0.0
    rec = tp / n_g if n_g else 0.0
    return {"micro_f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0, "precision": prec, "recall": rec,
            "gold": float(n_g), "pred": float(n_p)}


# ---------------------------------------------------------------- predict


def predict_si(articles: Path, out: Path) -> int:
    """Write ``id<TAB>start<TAB>end`` for every span found: the token head's and the context model's
    stacked probabilities (``techniques_si_context``) with their cross-validated decoding, or the
    token head alone with its own where the context model is missing."""
    from narrascope.analyzers import techniques as T
    from narrascope.analyzers.frames import encode_text
    from narrascope.errors import ModelError

    model = T.load_hashed("techniques_si")
    if model is None:
        raise ModelError("the techniques_si weights are missing", hint="run `narrascope train techniques --data PATH`")
    context = T.load_si_context()
    cfg = (float(model.meta.get("threshold", 0.5)), int(model.meta.get("max_gap", 0)),
           float(model.meta.get("seed_threshold", 0.0)))
    rows = []
    for aid, p in _article_files(Path(articles)):
        text = _read(p)
        if context is not None:
            toks, probs = T.token_probabilities_in_context(model, context, text, encode_text(text))
            spans = T.decode_spans(text, toks, probs, *context.decode)
        else:
            toks, probs = T.token_probabilities(model, text)
            spans = T.decode_spans(text, toks, probs, *cfg)
        rows += [f"{aid}\t{s}\t{e}" for s, e, _ in spans]
    return _write(Path(out), rows)


def read_tc_template(template: Path) -> list[tuple[str, int, int]]:
    out = []
    for parts in _rows(Path(template)):
        if len(parts) >= 4:
            out.append((parts[0], int(parts[2]), int(parts[3])))
    return out


def predict_tc(articles: Path, template: Path, out: Path) -> int:
    """Write each template line with ``?`` replaced by the technique the TC head gives its span."""
    from narrascope.analyzers import techniques as T
    from narrascope.analyzers.frames import encode_text
    from narrascope.errors import ModelError

    model = T.load_hashed("techniques_tc")
    if model is None:
        raise ModelError("the techniques_tc weights are missing", hint="run `narrascope train techniques --data PATH`")
    files = dict(_article_files(Path(articles)))
    lines = read_tc_template(Path(template))
    by_article: dict[str, list[int]] = {}
    for k, (aid, _, _) in enumerate(lines):
        by_article.setdefault(aid, []).append(k)
    labels: list[str] = ["Loaded_Language"] * len(lines)
    classes = model.meta["labels"]
    for aid, ks in by_article.items():
        if aid not in files:
            continue
        text = _read(files[aid])
        spans = [(lines[k][1], lines[k][2]) for k in ks]
        probs = T.tc_probabilities(model, text, encode_text(text), spans)
        for k, row in zip(ks, probs, strict=True):
            labels[k] = classes[int(row.argmax())]
    return _write(Path(out), [f"{aid}\t{lab}\t{s}\t{e}" for (aid, s, e), lab in zip(lines, labels, strict=True)])
