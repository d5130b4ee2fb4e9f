"""Train (and cross-validate) the headline–body stance model on FNC-1.

::

    narrascope train stance --data PATH [--seed 0] [--folds 5] [--out DIR]

Reads ``train_bodies.csv`` and ``train_stances.csv`` from ``PATH`` or ``PATH/fnc-1``. Bodies
are split into sentences (:func:`narrascope.analyzers.stance.split_body`) and embedded with USE
(cached under ``$NARRASCOPE_CACHE``, default /tmp/narrascope-cache). The stem idf comes from
the bodies (labels unused). Features are :func:`narrascope.analyzers.stance.features`.

``--folds K``: K-fold cross-validation **split by Body ID** (bodies shuffled with ``--seed``;
the official test set has unseen bodies); the out-of-fold predictions give the FNC relative
score and macro-F1 (:func:`narrascope.bench.fnc1.metrics`). Then both stages are refitted on
all pairs and written as ``stance.npz`` + ``stance.json`` into ``--out`` (default: the
package's ``models/`` folder).

Stage 1 (related?) is an MLP (32 ReLU units) on the similarity features; stage 2 an MLP
(16 ReLU units, L2 ``alpha``) on the related pairs, with sample weights that balance the three
classes partly (``weight ∝ (n / n_class) ** BALANCE``). scikit-learn's ``MLPClassifier``
(Adam, fixed ``random_state``) does the fitting; the weights are exported as plain arrays.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

FOLDER = "fnc-1"
H1, H2 = (32,), (16,)
ALPHA1, ALPHA2 = 1e-3, 1e-2
ITER1, ITER2 = 200, 80
BALANCE = 0.5
STAGE2_LABELS = ("agree", "disagree", "discuss")
HOLDOUT_SHARE = 0.05
HOLDOUT_SEED = 20240601


def holdout_bodies(body_ids: Sequence[str], share: float = HOLDOUT_SHARE) -> set[str]:
    """A fixed slice of bodies kept out of training (CV and the shipped model) for the tests."""
    ids = sorted(body_ids, key=lambda b: (len(b), b))
    random.Random(HOLDOUT_SEED).shuffle(ids)
    return set(ids[: round(len(ids) * share)])


def body_idf(bodies: dict[str, str]) -> dict[str, float]:
    from narrascope.analyzers.stance import stems

    df: dict[str, int] = {}
    for text in bodies.values():
        for w in set(stems(text)):
            df[w] = df.get(w, 0) + 1
    n = len(bodies)
    idf = {w: math.log((1 + n) / (1 + c)) + 1.0 for w, c in df.items() if c >= 2}
    idf["<unk>"] = math.log(1 + n) + 1.0
    return idf


def load(root: Path) -> tuple[list[tuple[str, str, str]], list[Any]]:
    """The labelled pairs and their :class:`Pair` (embeddings cached)."""
    from narrascope.analyzers.stance import pairs_for
    from narrascope.bench.fnc1 import read_bodies, read_stances
    from narrascope.training.checkworthy import encode_cached

    bodies = read_bodies(root / "train_bodies.csv")
    rows = [(h, b, s or "") for h, b, s in read_stances(root / "train_stances.csv")]
    return rows, pairs_for(bodies, [(h, b) for h, b, _ in rows], encode_cached)


def to_mlp(scaler: Any, clf: Any) -> Any:
    from narrascope.analyzers.stance import MLP

    return MLP(scaler.mean_.astype(np.float32), np.maximum(scaler.scale_, 1e-6).astype(np.float32),
               [w.astype(np.float32) for w in clf.coefs_], [b.astype(np.float32) for b in clf.intercepts_])


def fit_stage1(X: np.ndarray, y: np.ndarray, seed: int) -> Any:
    from sklearn.neural_network import MLPClassifier
    from sklearn.preprocessing import StandardScaler

    sc = StandardScaler().fit(X)
    clf = MLPClassifier(H1, alpha=ALPHA1, max_iter=ITER1, random_state=seed, early_stopping=False)
    clf.fit(sc.transform(X), y)
    return to_mlp(sc, clf)


def fit_stage2(X: np.ndarray, y: np.ndarray, seed: int) -> Any:
    from sklearn.neural_network import MLPClassifier
    from sklearn.preprocessing import StandardScaler

    counts = np.bincount(y, minlength=3).astype(float)
    w = ((len(y) / (3 * np.maximum(counts, 1))) ** BALANCE)[y]
    sc = StandardScaler().fit(X)
    clf = MLPClassifier(H2, alpha=ALPHA2, max_iter=ITER2, random_state=seed, batch_size=128)
    clf.fit(sc.transform(X), y, sample_weight=w / w.mean())
    return to_mlp(sc, clf)


def combine(p_rel: np.ndarray, p_cls: np.ndarray, threshold: float = 0.5) -> list[str]:
    return ["unrelated" if pr < threshold else STAGE2_LABELS[int(np.argmax(pc))]
            for pr, pc in zip(p_rel, p_cls, strict=True)]


def claim_clusters(rows: Sequence[tuple[str, str, str]]) -> tuple[dict[str, str], dict[str, str]]:
    """Claim clusters: connected components of headlines and bodies joined by *related* pairs.

    FNC-1's competition test holds new claims (new headlines and bodies); folds by cluster
    imitate that, where folds by body alone still share every headline between train and test.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for h, b, g in rows:
        find("h:" + h)
        find("b:" + b)
        if g != "unrelated":
            parent[find("h:" + h)] = find("b:" + b)
    return ({h: find("h:" + h) for h, _, _ in rows}, {b: find("b:" + b) for _, b, _ in rows})


def cross_validate(rows: Sequence[tuple[str, str, str]], X1: np.ndarray, X2: np.ndarray, y1: np.ndarray,
                   y2: np.ndarray, split: str, folds: int, seed: int, t0: float) -> dict[str, Any]:
    """Out-of-fold metrics. ``body``: folds by Body ID (every pair scored). ``claim``: folds by
    claim cluster; a pair is trained on / scored only when its headline and body fall in the
    same side (pairs across the cut are left out)."""
    from narrascope.bench.fnc1 import metrics

    if split == "body":
        units = sorted({b for _, b, _ in rows})
        random.Random(seed).shuffle(units)
        fold_of = {u: k % folds for k, u in enumerate(units)}
        fh = fb = np.array([fold_of[b] for _, b, _ in rows])
    elif split == "claim":
        hc, bc = claim_clusters(rows)
        units = sorted(set(hc.values()) | set(bc.values()))
        random.Random(seed).shuffle(units)
        fold_of = {u: k % folds for k, u in enumerate(units)}
        fh = np.array([fold_of[hc[h]] for h, _, _ in rows])
        fb = np.array([fold_of[bc[b]] for _, b, _ in rows])
    else:
        raise ValueError(f"unknown split {split!r} (body or claim)")
    gold = [g for _, _, g in rows]
    golds: list[str] = []
    preds: list[str] = []
    per_fold = []
    for k in range(folds):
        tr, te = (fh != k) & (fb != k), (fh == k) & (fb == k)
        m1 = fit_stage1(X1[tr], y1[tr], seed)
        rel = tr & (y2 >= 0)
        m2 = fit_stage2(X2[rel], y2[rel], seed)
        g = [x for x, t in zip(gold, te, strict=True) if t]
        p = combine(m1.proba(X1[te])[:, 1], m2.proba(X2[te]))
        golds += g
        preds += p
        per_fold.append(metrics(g, p))
        print(f"{split} fold {k}: {len(g)} pairs, relative {per_fold[-1]['relative_score']:.4f} "
              f"macro-F1 {per_fold[-1]['macro_f1']:.4f} ({time.time() - t0:.0f}s)", flush=True)
    m = metrics(golds, preds)
    out = {"folds": folds, "seed": seed, "split": split, **{k: round(v, 4) for k, v in m.items()},
           "relative_min": round(min(f["relative_score"] for f in per_fold), 4),
           "macro_f1_min": round(min(f["macro_f1"] for f in per_fold), 4)}
    print(f"CV by {split} (out-of-fold): " + json.dumps(out), flush=True)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    from narrascope.analyzers import stance as S
    from narrascope.bench.fnc1 import metrics
    from narrascope.training import dataset

    ap = argparse.ArgumentParser(prog="narrascope train stance", description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "models")
    ap.add_argument("--holdout", type=float, default=HOLDOUT_SHARE,
                    help="share of bodies kept out of training entirely (a fixed slice; 0 for none)")
    ap.add_argument("--split", default="body,claim",
                    help="CV splits to report, comma-separated: body (by Body ID), claim (by claim cluster)")
    args = ap.parse_args(argv)
    root = dataset(args.data, FOLDER, "train_stances.csv")
    t0 = time.time()
    from narrascope.bench.fnc1 import read_bodies

    idf = body_idf(read_bodies(root / "train_bodies.csv"))
    rows, pairs = load(root)
    print(f"{len(rows)} pairs, {len({b for _, b, _ in rows})} bodies ({time.time() - t0:.0f}s)", flush=True)
    from narrascope.training.checkworthy import CACHE

    cache = CACHE / f"stance-features-{S.VERSION}-{S.N_SIM}-{S.N_LEX}-{len(rows)}.npz"
    if cache.exists():
        with np.load(cache, allow_pickle=False) as a:
            X1, X2 = a["X1"], a["X2"]
    else:
        feats = [S.features(p, idf) for p in pairs]
        X1 = np.stack([f[0] for f in feats])
        X2 = np.stack([f[1] for f in feats]).astype(np.float16)
        del feats
        CACHE.mkdir(parents=True, exist_ok=True)
        np.savez(cache, X1=X1, X2=X2)
    X2 = X2.astype(np.float32)
    X1_all, X2_all = X1, X2
    held = holdout_bodies(sorted({b for _, b, _ in rows}), args.holdout)
    keep = np.array([b not in held for _, b, _ in rows])
    held_rows = [r for r, k in zip(rows, keep, strict=True) if not k]
    rows = [r for r, k in zip(rows, keep, strict=True) if k]
    X1, X2 = X1[keep], X2[keep]
    print(f"held out {len(held)} bodies ({len(held_rows)} pairs) for tests; training on {len(rows)} pairs", flush=True)
    gold = [s for _, _, s in rows]
    y1 = np.array([g != "unrelated" for g in gold], dtype=int)
    y2 = np.array([STAGE2_LABELS.index(g) if g in STAGE2_LABELS else -1 for g in gold])
    print(f"features {X1.shape[1]} + {X2.shape[1]} ({time.time() - t0:.0f}s)", flush=True)
    report: dict[str, Any] = {"pairs": len(rows)}
    if args.folds and args.folds > 1:
        for split in args.split.split(","):
            report[f"cv_{split}"] = cross_validate(rows, X1, X2, y1, y2, split, args.folds, args.seed, t0)
    m1 = fit_stage1(X1, y1, args.seed)
    m2 = fit_stage2(X2[y2 >= 0], y2[y2 >= 0], args.seed)
    model = S.Model(idf, m1, m2)
    if held_rows:
        hk = ~keep
        p1 = m1.proba(X1_all[hk])[:, 1]
        p2 = m2.proba(X2_all[hk].astype(np.float32))
        m = metrics([s for _, _, s in held_rows], combine(p1, p2))
        report["holdout"] = {"bodies": len(held), **{k: round(v, 4) for k, v in m.items()}}
        print("held-out slice: " + json.dumps(report["holdout"]), flush=True)
    S.save_model(model, args.out, {"trained": report})
    print(f"wrote {args.out}/stance.npz, stance.json ({time.time() - t0:.0f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
