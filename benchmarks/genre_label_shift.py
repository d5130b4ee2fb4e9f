"""How the genre decisions of ``bench predict semeval2023-st1`` fare on files whose genre mix is far
from training (``narrascope.analyzers.genre.batch_offsets``).

SemEval's evaluation splits are not mixed like its training splits: the English task quotes a
trivial baseline of 0.13 on its dev split, which puts opinion at about a quarter of it, against
88 % of the English training articles. This script takes out-of-fold scores of the shipped head
setting (``genre.json``: balance, C) over three assignments of folds, decides each article with
offsets tuned on the other folds (the analyzer's, and the even-mix ones where the language has
them), draws files of ``--n`` articles at several genre mixes, and prints macro-F1 for the analyzer's
offsets, the even-mix offsets and the ``auto`` rule that chooses between them per file. The rule's
rates (how often opinion and other articles are called opinion) come from the same cross-fitted
decisions, as ``narrascope train genre`` computes them. Nothing here is tuned on evaluation data:
the mixes are scenarios.

    python benchmarks/genre_label_shift.py --data ../shared/data [--languages en,ru] [--n 80]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from narrascope.analyzers.frames import load_head
from narrascope.analyzers.genre import far_from_training
from narrascope.label_shift import decision_rates
from narrascope.training import _semeval2023 as S
from narrascope.training import genre as G

# opinion / reporting / satire; None is the language's training mix
MIXES: dict[str, list[float] | None] = {
    "training": None, "60/30/10": [0.6, 0.3, 0.1], "40/45/15": [0.4, 0.45, 0.15], "even": [1 / 3, 1 / 3, 1 / 3],
    "24/38/38": [0.24, 0.38, 0.38], "24/60/16": [0.24, 0.6, 0.16], "24/70/6": [0.24, 0.7, 0.06]}


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="the data root (holding semeval2023-task3/)")
    ap.add_argument("--languages", default=",".join(S.LANGS))
    ap.add_argument("--n", type=int, default=80, help="articles per file")
    ap.add_argument("--batches", type=int, default=300)
    args = ap.parse_args()
    head = load_head("genre")
    if head is None:
        raise SystemExit("no genre weights: run `narrascope train genre --data PATH`")
    meta = head.meta
    arts, gold = S.doc_rows(args.data, 1)
    y = np.asarray([G.LABELS.index(g[0]) for g in gold])
    langs = np.asarray([a.lang for a in arts])
    texts = [a.text for a in arts]
    dense = S.doc_matrix(arts)
    setting = (str(meta["balance"]), float(meta["C"]))
    runs = []
    for r in range(int(meta.get("repeats", 3))):
        fold = S.folds([f"{a.lang}:{a.id}" for a in arts], 5, int(meta["seed"]) + r)
        runs.append((fold, G.out_of_fold_scores(dense, texts, y, langs, fold, 5, [setting], int(meta["seed"]))[setting]))
    print(f"files of {args.n} articles, {args.batches} per mix, {len(runs)} assignments of folds; macro-F1 "
          "with the analyzer's offsets / the even-mix offsets / the auto rule (files switched)")
    for lang in [x.strip() for x in args.languages.split(",") if x.strip()]:
        m = langs == lang
        yl = y[m]
        even = meta.get("batch", {}).get("setting", {}).get(lang)
        table: dict[str, list[np.ndarray]] = {name: [] for name in MIXES}
        for r, (fold, z) in enumerate(runs):
            fl, zl = fold[m], z[m]
            ana = G.crossfitted(yl, zl, fl, 5, float(meta["prior_correction"]), float(meta["offset_penalty"]))
            evn = ana if even is None else G.crossfitted(yl, zl, fl, 5, even["prior_correction"],
                                                          even["offset_penalty"], G.even_f1_grid)
            rates = {"share": float((yl == 0).mean()), **decision_rates(yl == 0, ana == 0)}
            rng = np.random.default_rng(r)
            by_genre = [np.flatnonzero(yl == c) for c in range(len(G.LABELS))]
            for name, shares in MIXES.items():
                mix = np.bincount(yl, minlength=len(G.LABELS)) / len(yl) if shares is None else np.asarray(shares)
                rows = []
                for _ in range(args.batches):
                    counts = rng.multinomial(args.n, mix)
                    idx = np.concatenate([rng.choice(by_genre[c], counts[c]) for c in range(len(G.LABELS)) if counts[c]])
                    switch = far_from_training(float((ana[idx] == 0).mean()), rates)[0]
                    rows.append((G.macro_f1(yl[idx], ana[idx]), G.macro_f1(yl[idx], evn[idx]),
                                 G.macro_f1(yl[idx], evn[idx] if switch else ana[idx]), float(switch)))
                table[name].append(np.mean(rows, axis=0))
        print(f"{lang}" + ("" if even else " (no even-mix offsets: the rule keeps the analyzer's)"))
        for name, got in table.items():
            a, e, auto, switched = np.mean(got, axis=0)
            print(f"  {name:>9}: {a:.3f} / {e:.3f} / {auto:.3f} ({switched:.0%})")


if __name__ == "__main__":
    main()
