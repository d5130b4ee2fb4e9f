"""How well does the ``roles`` analyzer cast the entities SemEval's annotators cast?

``bench predict semeval2025-st1`` is given the annotated mentions; the analyzer is not: it finds the
article's entities itself (the entity layer), scores the :data:`~narrascope.analyzers.roles.MAX_ENTITIES`
most-mentioned ones and casts those whose main-role probability reaches ``min_confidence``. This
script measures that whole path on held-out SemEval-2025 training articles. The articles of each
language are split in 5 folds (``narrascope.training.roles.folds_of``, seed 0). Each fold is analysed
by a head trained on the other four with the shipped settings
(``narrascope.training.roles.head_as_shipped``). Then, for each casting rule, every annotated
mention is looked up among the mentions of the entities the analyzer cast:

* ``found``: the share of annotated mentions that overlap a cast entity's mention;
* ``right``: the share whose cast entity has the annotated main role (recall of the main role);
* ``acc``: ``right`` / ``found``, main-role accuracy where the analyzer casts;
* ``fine``: the share with the main role and the exact fine-role set right;
* ``cast/art``: entities cast per article; ``unannotated``: the share of them no annotated mention
  overlaps (the annotations are not exhaustive, so these are not all errors).

Rules (each at several ``min_confidence``): the calibration of the head's main-role probabilities on or off, the prior correction
(``prior_correction``: 0 keeps the SemEval role priors, 1 treats the roles as equally likely), and
the number of entities scored. ``1.4`` marks the rule of analyzer 1.4 (uncalibrated, 0.5, 8).

    python benchmarks/roles_casting.py --data ../shared/data [--languages EN,RU] [--cache DIR]
"""

from __future__ import annotations

import argparse
import copy
import itertools
import time
from collections import defaultdict
from pathlib import Path

from narrascope.analyzers import roles as R
from narrascope.ingest import from_text
from narrascope.pipeline import Context, Pipeline
from narrascope.training import dataset
from narrascope.training import roles as T

# (label, calibrated, prior correction, entities scored); each scored at every MIN_CONFIDENCES
RULES = [("1.4", False, 0.5, 8)] + [
    (f"cal {a} {n}", True, a, n) for n in (8, 12, 16) for a in (0.0, 0.25, 0.5)]
MIN_CONFIDENCES = (0.4, 0.45, 0.5, 0.55)


def _touches(roles: list, g: T.Row) -> bool:
    """Whether a mention of the cast entity (its ``roles``, one per mention) overlaps annotated ``g``."""
    return any(r.mention.start < g.end and g.start < r.mention.end for r in roles)


def score(docs, gold: dict[str, list[T.Row]], min_confidence: float) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """The figures above for the entities cast at ``min_confidence``."""
    n = found = right = fine = cast = unannotated = 0
    for doc in docs:
        by_entity: dict[str, list] = defaultdict(list)
        for role in doc.roles or ():
            if role.confidence >= min_confidence:
                by_entity[role.entity_id].append(role)
        cast += len(by_entity)
        rows = gold[doc.id]
        for roles in by_entity.values():
            if not any(_touches(roles, g) for g in rows):
                unannotated += 1
        for g in rows:
            n += 1
            hit = next((roles[0] for roles in by_entity.values() if _touches(roles, g)), None)
            if hit is None:
                continue
            found += 1
            if hit.main_role == g.main:
                right += 1
                fine += set(hit.fine_roles) == set(g.fine)
    return {"found": found / n, "right": right / n, "acc": right / max(found, 1), "fine": fine / n,
            "cast/art": cast / len(docs), "unannotated": unannotated / max(cast, 1), "n": n}


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--languages", default="EN,RU")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--cache", type=Path, default=None, help="roles feature cache (as `narrascope train roles`)")
    args = ap.parse_args()
    root = dataset(args.data, "semeval2025-task10", "train")
    shipped = R.load_model()
    for lang in [x.strip().upper() for x in args.languages.split(",") if x.strip()]:
        t0 = time.time()
        setting = shipped.meta["heads"][lang.lower()]  # type: ignore[index]
        d = T.load_language(root, lang, args.cache, setting["context"])
        fold = T.folds_of(d.rows, args.folds, 0)
        results: dict[str, list] = defaultdict(list)
        gold: dict[str, list[T.Row]] = defaultdict(list)
        for r in d.rows:
            gold[r.id].append(r)
        for f in range(args.folds):
            train = fold != f
            head = T.head_as_shipped(d.X[train], [r for r, m in zip(d.rows, train, strict=True) if m], setting)
            plain = copy.copy(head)
            plain.calibration = None
            ids = sorted({r.id for r, fo in zip(d.rows, fold, strict=True) if fo == f})
            docs = [from_text(T.read_text(root / "train" / lang / "raw-documents" / i), id=i,
                              language=lang.lower(), detect_headline=False) for i in ids]
            docs = list(Pipeline(("sentences", "entities")).run_many(docs))
            ctx = Context({})
            for label, calibrated, a, n in RULES:
                # a model of one head: RoleModel.head falls back to "en" for every language
                ctx.config["roles"] = {"model": R.RoleModel({"en": head if calibrated else plain}, {}),
                                       "prior_correction": a, "max_entities": n, "min_confidence": 0.0}
                results[label].extend(R.analyze(doc, ctx) for doc in docs)
        print(f"\n{lang}: {len(gold)} articles, {len(d.rows)} annotated mentions, {args.folds}-fold "
              f"({time.time() - t0:.0f}s)")
        print(f"{'rule':14} {'min':>5} {'found':>6} {'right':>6} {'acc':>6} {'fine':>6} {'cast/art':>9} {'unannotated':>12}")
        for (label, _, _, _), mc in itertools.product(RULES, MIN_CONFIDENCES):
            m = score(results[label], gold, mc)
            print(f"{label:14} {mc:5.2f} {m['found']:6.3f} {m['right']:6.3f} {m['acc']:6.3f} {m['fine']:6.3f} "
                  f"{m['cast/art']:9.1f} {m['unannotated']:12.2f}")
        print(f"shipped (analyzer {R.VERSION}): cal {R.PRIOR_CORRECTION} {R.MAX_ENTITIES} at min {R.MIN_CONFIDENCE}")


if __name__ == "__main__":
    main()
