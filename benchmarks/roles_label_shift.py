"""Does adapting the role heads to a batch's own role shares help when those shares differ from
training? (``narrascope.analyzers.roles.adapt_to_batch``, used by ``bench predict semeval2025-st1``.)

SemEval's evaluation splits are not balanced like its training splits: the English task quotes a
majority baseline of 0.80 on its dev split, where 69.5 % of the English training mentions are
antagonists. This script takes each language's out-of-fold probabilities (5-fold CV by article,
the shipped settings of ``roles.json``: context, C, threshold, role cues; the calibration
cross-fitted), draws batches of
mentions with a chosen antagonist share (the other roles keep their training proportions), and
prints main-role accuracy and fine exact match with and without the adaptation, for several
strengths. Nothing here is tuned on evaluation data: the shares are scenarios.

    python benchmarks/roles_label_shift.py --data ../shared/data [--languages EN,RU] [--n 180]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from narrascope.analyzers import roles as R
from narrascope.training import dataset
from narrascope.training import roles as T


def out_of_fold(root: Path, lang: str, setting: dict, cache: Path | None,
                reads_parse: bool) -> tuple[list[T.Row], np.ndarray, np.ndarray]:
    """Out-of-fold main-role probabilities and fine-role scores (5 folds, seed 0). The calibration is
    cross-fitted, as training chooses it (the calibration of fold f fitted on the other folds'
    out-of-fold probabilities): the shipped one was fitted on all of them, these very rows, which made
    the figures of stops 13-19 optimistic by up to 0.01."""
    d = T.load_language(root, lang, cache, setting["context"])
    cues = words = grammar = None
    if reads_parse:
        cues, words, grammar = T.language_cue_strengths(root, lang, d.rows)
    base = {k: v for k, v in setting.items() if k not in ("calibration", "grammar")}
    _, _, _, P = T.choose_calibration(d, base, cues, words, 5, 0, grammar)
    _, F = T.out_of_fold_probabilities(d, base, cues, words, 5, 0)
    return d.rows, P, F


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--languages", default="BG,EN,HI,PT,RU")
    ap.add_argument("--n", type=int, default=180, help="mentions per batch")
    ap.add_argument("--batches", type=int, default=300)
    ap.add_argument("--cache", type=Path, default=None)
    args = ap.parse_args()
    root = dataset(args.data, "semeval2025-task10", "train")
    model = R.load_model()
    names, parents = T.fine_labels()
    strengths = (0.0, 0.5, 1.0)
    print(f"{'lang':4} {'antagonists':>11} " + " ".join(f"{'λ=' + str(s):>13}" for s in strengths)
          + "   (main acc / fine EM, mean of batches)")
    for lang in [x.strip().upper() for x in args.languages.split(",") if x.strip()]:
        setting = model.meta["heads"][lang.lower()]  # type: ignore[index]
        rows, P, F = out_of_fold(root, lang, setting, args.cache, model.head(lang).reads_parse)
        y = np.array([R.MAIN_ROLES.index(r.main) for r in rows])
        priors = np.asarray(setting["priors"], np.float64)
        rates = setting.get("antagonist_rates")
        gold_sets = [set(r.fine) for r in rows]
        train_share = float((y == 0).mean())
        rng = np.random.default_rng(0)
        for share in sorted({round(train_share, 3), *(round(train_share + d, 2) for d in (-0.1, 0.1, 0.2))}):
            if not 0.05 < share < 0.97:
                continue
            acc = {s: [] for s in strengths}
            em = {s: [] for s in strengths}
            for _ in range(args.batches):
                k = rng.binomial(args.n, share)
                idx = np.concatenate([rng.choice(np.flatnonzero(y == 0), k),
                                      rng.choice(np.flatnonzero(y != 0), args.n - k)])
                for s in strengths:
                    preds = R.decode(R.adapt_to_batch(P[idx], priors, s, rates), F[idx], R.MAIN_ROLES, names, parents,
                                     setting["threshold"])
                    acc[s].append(np.mean([R.MAIN_ROLES.index(p.main_role) == y[i] for p, i in zip(preds, idx, strict=True)]))
                    em[s].append(np.mean([set(p.fine_roles) == gold_sets[i] for p, i in zip(preds, idx, strict=True)]))
            print(f"{lang:4} {share:11.3f} " + " ".join(f"{np.mean(acc[s]):6.3f} / {np.mean(em[s]):.3f}" for s in strengths),
                  flush=True)


if __name__ == "__main__":
    main()
