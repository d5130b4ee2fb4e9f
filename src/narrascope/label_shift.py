"""A file's class shares, estimated from a classifier's decisions on it (adjusted count).

The benchmark commands decide a whole evaluation file at once, and such a file can be mixed very
differently from the training data (SemEval's English genre dev split is about a quarter opinion,
training 88 %; its English roles dev split about 80 % antagonists, training 69.5 %). The share of
the file a classifier calls class c is biased towards the training mix; correcting it with the
rates at which the classifier, in cross-validation, calls members and non-members c gives an
unbiased estimate (Forman, "Quantifying counts and costs via classification", Data Mining and
Knowledge Discovery 2008). Written here because it is one line of arithmetic; the libraries that
offer it (QuaPy) bring a much larger stack. Users: ``narrascope.analyzers.genre.batch_offsets`` and
``narrascope.analyzers.roles.adapt_to_batch``.
"""

from __future__ import annotations

import numpy as np


def decision_rates(member: np.ndarray, called: np.ndarray) -> dict[str, float]:
    """How often the members of a class are called it (``tpr``) and the others are (``fpr``), from
    cross-validated decisions: boolean arrays, one entry per item."""
    member, called = np.asarray(member, bool), np.asarray(called, bool)
    return {"tpr": round(float(called[member].mean()) if member.any() else 1.0, 4),
            "fpr": round(float(called[~member].mean()) if (~member).any() else 0.0, 4)}


def adjusted_count(called: float, rates: dict[str, float]) -> float:
    """The estimated share of a class in a file of which the classifier calls a share ``called`` that
    class, given its :func:`decision_rates`; clipped to [0, 1]."""
    spread = max(rates["tpr"] - rates["fpr"], 1e-3)
    return min(max((called - rates["fpr"]) / spread, 0.0), 1.0)
