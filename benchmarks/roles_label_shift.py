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

For the languages of ``--series`` (English by default) it then prints the same out-of-fold figures
without any resampling, per *ID series* of the articles: the ID up to the first digit of its number,
``EN_UA_0`` for ``EN_UA_003579.txt``. The English training release joins batches whose antagonist
shares differ: 0.58 in the 324 mentions of ``EN_UA_0``, 0.72-0.87 in the four other series of 39
mentions or more. It also pools the series whose own antagonist share is at least the dev split's
quoted majority baseline (``--dev-share``) minus 0.1: a dev-like part of the training data, chosen by
the mix of its labels rather than by the head's accuracy, and scored with its natural mix of roles.
``--fold-seeds`` repeats everything over several assignments of folds.

    python benchmarks/roles_label_shift.py --data ../shared/data [--languages EN,RU] [--n 180]
"""

from __future__ import annotations

import argparse
import re
from collections import defaultdict
from pathlib import Path

import numpy as np

from narrascope.analyzers import roles as R
from narrascope.training import dataset
from narrascope.training import roles as T


def language_data(root: Path, lang: str, setting: dict, cache: Path | None,
                  reads_parse: bool) -> tuple[T.LangData, tuple[np.ndarray | None, ...]]:
    """A language's training rows and features, and (heads that read the English parse) its cue
    strengths: read once, whatever the number of fold seeds."""
    d = T.load_language(root, lang, cache, setting["context"])
    return d, (T.language_cue_strengths(root, lang, d.rows) if reads_parse else (None, None, None))


def out_of_fold(d: T.LangData, cues: tuple[np.ndarray | None, ...], setting: dict,
                seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold main-role probabilities and fine-role scores (5 folds by article, ``seed``). The calibration is
    cross-fitted, as training chooses it (the calibration of fold f fitted on the other folds'
    out-of-fold probabilities): the shipped one was fitted on all of them, these very rows, which made
    the figures of stops 13-19 optimistic by up to 0.01."""
    strengths, words, grammar = cues
    base = {k: v for k, v in setting.items() if k not in ("calibration", "grammar")}
    _, _, _, P, F = T.choose_calibration(d, base, strengths, words, 5, seed, grammar)
    return P, F


_SERIES = re.compile(r"^\D*\d")


def series_of(article_id: str) -> str:
    """An article's ID series: its ID up to the first digit of its number (``EN_UA_003579.txt`` ->
    ``EN_UA_0``, ``EN_CC_200134.txt`` -> ``EN_CC_2``, ``EN_UA_DEV_26.txt`` -> ``EN_UA_DEV_2``)."""
    m = _SERIES.match(article_id)
    return m.group(0) if m else article_id


def by_series(gold: list[T.Row], pred: list[T.Row], dev_share: float) -> list[str]:
    """Lines of main accuracy / fine exact match (:func:`narrascope.training.roles.metrics`) per ID
    series (natural mix, no resampling), then pooled over the series whose antagonist share is at
    least ``dev_share`` - 0.1."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(gold):
        groups[series_of(r.id)].append(i)

    def share(idx: list[int]) -> float:
        return float(np.mean([gold[i].main == "Antagonist" for i in idx]))

    def figures(idx: list[int]) -> str:
        m = T.metrics([gold[i] for i in idx], [pred[i] for i in idx])
        return f"{m['main_accuracy']:.3f} / {m['fine_exact_match']:.3f}"

    lines, dev_like = [], []
    for name, idx in sorted(groups.items()):
        lines.append(f"  {name:12} {len(idx):4} mentions, antagonists {share(idx):.2f}: {figures(idx)}")
        if share(idx) >= dev_share - 0.1:
            dev_like += idx
    if dev_like:
        lines.append(f"  dev-like series (antagonists >= {dev_share - 0.1:.2f}): {len(dev_like)} mentions, "
                     f"antagonists {share(dev_like):.3f}: {figures(dev_like)}")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--languages", default="BG,EN,HI,PT,RU")
    ap.add_argument("--n", type=int, default=180, help="mentions per batch")
    ap.add_argument("--batches", type=int, default=300)
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--fold-seeds", default="0", help="assignments of folds, e.g. 0,1,2")
    ap.add_argument("--series", default="EN", help="languages whose ID series are scored apart")
    ap.add_argument("--dev-share", type=float, default=0.80,
                    help="the dev split's antagonist share (English: its quoted majority baseline)")
    args = ap.parse_args()
    series_langs = {x.strip().upper() for x in args.series.split(",") if x.strip()}
    root = dataset(args.data, "semeval2025-task10", "train")
    model = R.load_model()
    names, parents = T.fine_labels()
    strengths = (0.0, 0.5, 1.0)
    print(f"{'lang':4} {'antagonists':>11} " + " ".join(f"{'λ=' + str(s):>13}" for s in strengths)
          + "   (main acc / fine EM, mean of batches)")
    seeds = [int(x) for x in args.fold_seeds.split(",") if x.strip()]
    for lang in [x.strip().upper() for x in args.languages.split(",") if x.strip()]:
        setting = model.meta["heads"][lang.lower()]  # type: ignore[index]
        d, cues = language_data(root, lang, setting, args.cache, model.head(lang).reads_parse)
        rows = d.rows
        y = np.array([R.MAIN_ROLES.index(r.main) for r in rows])
        priors = np.asarray(setting["priors"], np.float64)
        rates = setting.get("antagonist_rates")
        gold_sets = [set(r.fine) for r in rows]
        train_share = float((y == 0).mean())
        for seed in seeds:
            P, F = out_of_fold(d, cues, setting, seed)
            tag = lang if len(seeds) == 1 else f"{lang}/{seed}"
            rng = np.random.default_rng(0)
            for share in sorted({round(train_share, 3), *(round(train_share + delta, 2) for delta in (-0.1, 0.1, 0.2))}):
                if not 0.05 < share < 0.97:
                    continue
                acc: dict[float, list[float]] = {s: [] for s in strengths}
                em: dict[float, list[float]] = {s: [] for s in strengths}
                for _ in range(args.batches):
                    k = rng.binomial(args.n, share)
                    idx = np.concatenate([rng.choice(np.flatnonzero(y == 0), k),
                                          rng.choice(np.flatnonzero(y != 0), args.n - k)])
                    for s in strengths:
                        preds = R.decode(R.adapt_to_batch(P[idx], priors, s, rates), F[idx], R.MAIN_ROLES, names,
                                         parents, setting["threshold"])
                        acc[s].append(np.mean([R.MAIN_ROLES.index(p.main_role) == y[i]
                                               for p, i in zip(preds, idx, strict=True)]))
                        em[s].append(np.mean([set(p.fine_roles) == gold_sets[i] for p, i in zip(preds, idx, strict=True)]))
                print(f"{tag:4} {share:11.3f} " + " ".join(f"{np.mean(acc[s]):6.3f} / {np.mean(em[s]):.3f}"
                                                          for s in strengths), flush=True)
            if lang in series_langs:
                print(f"{tag} by ID series, out of fold, no resampling (main acc / fine EM):")
                pred = T.decoded_rows(P, F, rows, setting["threshold"])
                print("\n".join(by_series(rows, pred, args.dev_share)), flush=True)


if __name__ == "__main__":
    main()
