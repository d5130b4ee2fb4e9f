"""Train (and cross-validate) the attribution cue head on PolNeAR.

::

    python -m narrascope.training.polnear --data PATH/polnear [--seed 0] [--folds 5] [--out DIR]

``PATH/polnear/train/{text,attributions}`` is read (first annotator per text, as in the
benchmark). Every verb token becomes one example: positive when it lies inside a gold cue span.
Features are :func:`narrascope.analyzers.attribution.verb_features`; the model is an L2 logistic
regression (liblinear, deterministic). ``--folds K`` first reports K-fold cross-validated
benchmark figures (folds by file, shuffled with ``--seed``), then trains on all files and writes
``attribution_cue.npz`` (``weights``, ``bias``) and ``attribution_cue.json`` (feature names)
into ``--out`` (default: the package's ``models/`` folder). Needs scikit-learn.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from narrascope.analyzers import attribution as A
from narrascope.bench import polnear as bench
from narrascope.errors import DataError
from narrascope.training import dataset

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc

MIN_COUNT = 2
C = 0.5


def load(split_dir: Path) -> tuple[list[str], list[SpacyDoc], list[Path]]:
    """Stems, parses and gold files of a PolNeAR split folder (``text/`` + ``attributions/``)."""
    from narrascope import nlp

    texts_dir, gold_dir = split_dir / "text", split_dir / "attributions"
    if not texts_dir.is_dir() or not gold_dir.is_dir():
        raise DataError(f"no PolNeAR split at {split_dir}", hint="pass --data PATH/polnear (with train/text, train/attributions)")
    golds = bench.gold_files(gold_dir)
    stems = [p.stem for p in sorted(texts_dir.glob("*.txt")) if p.stem in golds]
    docs = list(nlp.parse_many(bench.read_text(texts_dir / f"{s}.txt") for s in stems))
    return stems, docs, [golds[s] for s in stems]


def examples(docs: Sequence[SpacyDoc], golds: Sequence[Path]) -> tuple[list[list[str]], list[int]]:
    X: list[list[str]] = []
    y: list[int] = []
    for doc, gpath in zip(docs, golds, strict=True):
        rels, _ = bench.read_ann(gpath)
        cue_chars: set[int] = set()
        for r in rels:
            for s, e in r.cue:
                cue_chars.update(range(s, e))
        for tok in doc:
            if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("aux", "auxpass"):
                X.append(A.verb_features(tok))
                y.append(int(tok.idx in cue_chars))
    return X, y


def fit(X: list[list[str]], y: list[int], seed: int = 0) -> A.CueModel:
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts: dict[str, int] = {}
    for feats in X:
        for f in set(feats):
            counts[f] = counts.get(f, 0) + 1
    names = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    index = {f: i for i, f in enumerate(names)}
    rows, cols = [], []
    for r, feats in enumerate(X):
        for c in sorted({index[f] for f in feats if f in index}):
            rows.append(r)
            cols.append(c)
    mat = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(X), len(names)))
    clf = LogisticRegression(C=C, solver="liblinear", random_state=seed, max_iter=1000)
    clf.fit(mat, np.asarray(y))
    return A.CueModel(index, clf.coef_[0].astype("float32"), float(clf.intercept_[0]))


def save(model: A.CueModel, out: Path, meta: dict[str, Any]) -> None:
    import numpy as np

    out.mkdir(parents=True, exist_ok=True)
    names = sorted(model.index, key=model.index.__getitem__)
    np.savez(out / "attribution_cue.npz", weights=np.asarray(model.weights, dtype="float32"),
             bias=np.asarray([model.bias], dtype="float32"))
    (out / "attribution_cue.json").write_text(json.dumps({**meta, "features": names}, indent=0) + "\n",
                                              encoding="utf-8")


def evaluate(model: A.CueModel | None, stems: Sequence[str], docs: Sequence[SpacyDoc],
             gold_dir: Path, texts_dir: Path) -> dict[str, object]:
    """Benchmark figures of the extractor with ``model`` on the given files."""
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp)
        for stem, doc in zip(stems, docs, strict=True):
            raws = A.extract(doc, model, A.THRESHOLD, relative_pronoun_source=True)
            lines = []
            t = 0
            for k, r in enumerate(raws, start=1):
                ids = []
                for role, sp in (("Source", r.source), ("Cue", r.cue), ("Content", r.content), ("Attribution", r.cue)):
                    if sp is None:
                        continue
                    t += 1
                    lines.append(f"T{t}\t{role} {sp[0]} {sp[1]}\t{doc.text[sp[0]:sp[1]]!s}".replace("\n", " "))
                    ids.append(f"{role}:T{t}")
                lines.append(f"E{k}\t{' '.join(ids)}")
            (pred / f"{stem}.ann").write_text("".join(f"{ln}\n" for ln in lines), encoding="utf-8")
        return bench.score(gold_dir, pred, texts_dir, only=set(stems))


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="the polnear folder (with train/ and dev/)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--folds", type=int, default=5, help="cross-validation folds (0: none)")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "models")
    args = ap.parse_args(argv)
    args.data = dataset(args.data, "polnear", "train/attributions")
    train = args.data / "train"
    stems, docs, golds = load(train)
    if args.folds > 1:
        order = list(range(len(stems)))
        random.Random(args.seed).shuffle(order)
        pooled: list[dict[str, object]] = []
        for k in range(args.folds):
            held = set(order[k :: args.folds])
            X, y = examples([docs[i] for i in range(len(docs)) if i not in held],
                            [golds[i] for i in range(len(docs)) if i not in held])
            model = fit(X, y, args.seed)
            res = evaluate(model, [stems[i] for i in sorted(held)], [docs[i] for i in sorted(held)],
                           train / "attributions", train / "text")
            pooled.append(res)
            print(f"fold {k}: source_f1={res['source_f1']:.4f} content_f1={res['content_f1']:.4f} "
                  f"cue_f1={res['cue_f1']:.4f}", flush=True)
        for key in ("source_f1", "content_f1", "cue_f1"):
            vals = [float(r[key]) for r in pooled]  # type: ignore[arg-type]
            print(f"cv mean {key}={sum(vals) / len(vals):.4f}")
    X, y = examples(docs, golds)
    model = fit(X, y, args.seed)
    meta = {"data": "PolNeAR train (first annotator per text)", "examples": len(y), "positives": sum(y),
            "seed": args.seed, "C": C, "min_count": MIN_COUNT}
    save(model, args.out, meta)
    print(f"wrote {args.out / 'attribution_cue.npz'} ({len(model.index)} features)")
    dev = args.data / "dev"
    if dev.is_dir():
        dstems, ddocs, _ = load(dev)
        res = evaluate(model, dstems, ddocs, dev / "attributions", dev / "text")
        print(f"dev: source_f1={res['source_f1']:.4f} content_f1={res['content_f1']:.4f} cue_f1={res['cue_f1']:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
