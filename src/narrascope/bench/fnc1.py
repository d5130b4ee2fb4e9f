"""Fake News Challenge stage 1 (FNC-1): the stance of a body toward a headline.

Formats, as the challenge's:

* ``--bodies``: ``Body ID,articleBody`` (CSV, quoted as FNC-1's ``*_bodies.csv``);
* ``--stances``: ``Headline,Body ID`` (an unlabeled stances CSV; a ``Stance`` column is ignored);
* output: ``Headline,Body ID,Stance`` in input order, written with :mod:`csv` (fields quoted
  where they need it, as the challenge's files are).

``score`` returns the official **FNC score** (per pair: +0.25 when related/unrelated is right;
+0.75 more when the related class is right), the **relative score** (that score over the best
possible: 0.25 per gold unrelated pair, 1.0 per gold related pair), **macro-F1** over the four
classes, and per-class F1. Gold and prediction rows are matched by position, as the official
scorer does; the files must have the same number of rows.
"""

from __future__ import annotations

import csv
from pathlib import Path

from narrascope.errors import DataError

LABELS = ("agree", "disagree", "discuss", "unrelated")
RELATED = frozenset({"agree", "disagree", "discuss"})


def _rows(path: Path) -> list[dict[str, str]]:
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc}", hint="pass an existing FNC-1 CSV file") from exc


def read_bodies(path: Path) -> dict[str, str]:
    """``Body ID -> articleBody`` of an FNC-1 ``*_bodies.csv``."""
    rows = _rows(Path(path))
    if rows and not {"Body ID", "articleBody"} <= set(rows[0]):
        raise DataError(f"{path} lacks the columns 'Body ID,articleBody'", hint="pass FNC-1's *_bodies.csv")
    return {r["Body ID"].strip(): r["articleBody"] for r in rows}


def read_stances(path: Path) -> list[tuple[str, str, str | None]]:
    """``(Headline, Body ID, Stance or None)`` of a stances CSV, in file order."""
    rows = _rows(Path(path))
    if rows and not {"Headline", "Body ID"} <= set(rows[0]):
        raise DataError(f"{path} lacks the columns 'Headline,Body ID'", hint="pass FNC-1's *_stances*.csv")
    return [(r["Headline"], r["Body ID"].strip(), (r.get("Stance") or "").strip() or None) for r in rows]


def write_stances(path: Path, rows: list[tuple[str, str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Headline", "Body ID", "Stance"])
        w.writerows(rows)


def predict(bodies: Path, stances: Path, out: Path) -> int:
    """Label every ``Headline,Body ID`` pair of ``stances`` with the shipped stance model."""
    from narrascope.analyzers import stance
    from narrascope.embeddings import encode

    model = stance.load_model()
    if model is None:
        raise DataError("the stance model is not installed",
                        hint="run `narrascope train stance --data PATH` or reinstall narrascope")
    texts = read_bodies(Path(bodies))
    pairs_in = read_stances(Path(stances))
    missing = sorted({b for _, b, _ in pairs_in if b not in texts})
    if missing:
        raise DataError(f"Body ID {', '.join(missing[:5])} not in {bodies}", hint="pass the bodies file of these stances")
    pairs = stance.pairs_for(texts, [(h, b) for h, b, _ in pairs_in], encode)
    labels: list[str] = []
    batch = 2000
    for i in range(0, len(pairs), batch):
        scores, _ = model.predict(pairs[i : i + batch])
        labels.extend(model.label(s) for s in scores)
    write_stances(Path(out), [(h, b, lab) for (h, b, _), lab in zip(pairs_in, labels, strict=True)])
    return len(labels)


def metrics(gold: list[str], pred: list[str]) -> dict[str, float]:
    """FNC score, relative score, macro-F1 and per-class F1 of parallel label lists."""
    score = best = 0.0
    for g, p in zip(gold, pred, strict=True):
        best += 1.0 if g in RELATED else 0.25
        if g == p:
            score += 0.25
            if g != "unrelated":
                score += 0.50
        if g in RELATED and p in RELATED:
            score += 0.25
    out = {"fnc_score": score, "max_score": best, "relative_score": score / best if best else 0.0}
    f1s = []
    for lab in LABELS:
        tp = sum(g == lab and p == lab for g, p in zip(gold, pred, strict=True))
        npred = sum(p == lab for p in pred)
        ngold = sum(g == lab for g in gold)
        f1 = 2 * tp / (npred + ngold) if npred + ngold else 0.0
        out[f"f1_{lab}"] = f1
        f1s.append(f1)
    out["macro_f1"] = sum(f1s) / len(f1s)
    out["accuracy"] = sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold) if gold else 0.0
    out["n"] = float(len(gold))
    return out


def score(gold: Path, pred: Path) -> dict[str, float]:
    """Official FNC-1 metrics of ``pred`` (``Headline,Body ID,Stance``) against labelled ``gold``."""
    g = read_stances(Path(gold))
    p = read_stances(Path(pred))
    if len(g) != len(p):
        raise DataError(f"{pred} has {len(p)} rows, {gold} has {len(g)}", hint="predict every pair of the gold file, in order")
    if any(s is None for _, _, s in g):
        raise DataError(f"{gold} has rows without a Stance", hint="pass the labelled stances file as --gold")
    bad = sorted({s or "" for _, _, s in p} - set(LABELS))
    if bad:
        raise DataError(f"{pred} has labels {bad}", hint=f"labels are {', '.join(LABELS)}")
    for i, ((gh, gb, _), (ph, pb, _)) in enumerate(zip(g, p, strict=True)):
        if gb != pb or gh.strip() != ph.strip():
            raise DataError(f"row {i + 2}: ({ph!r}, {pb}) where the gold has ({gh!r}, {gb})",
                            hint="keep the input order")
    return metrics([s or "" for _, _, s in g], [s or "" for _, _, s in p])
