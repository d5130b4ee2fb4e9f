"""CLEF CheckThat! 2024 Task 1 (English): check-worthiness of sentences.

Formats, as the task's:

* input ``Sentence_id<TAB>Text[<TAB>class_label]`` with a header line;
* output ``Sentence_id<TAB>Yes|No`` (``predict`` writes a header ``Sentence_id<TAB>class_label``;
  ``score`` accepts prediction files with or without one).

``score`` returns the official metric, **F1 of the Yes class**, with its precision and recall,
accuracy, and the number of sentences scored. A gold sentence without a prediction counts as
``No``; predictions for sentences not in the gold file are ignored.

Lines are read by hand (not with :mod:`csv`): a text may hold unbalanced quote marks, and a
field wholly wrapped in double quotes is unwrapped (``""`` becomes ``"``), as pandas would.
"""

from __future__ import annotations

import re
from pathlib import Path

from narrascope.errors import DataError

LABELS = ("Yes", "No")
_GLUED = re.compile(r"^(Yes|No)(\d+)$")  # a line whose newline was lost: "No29286"


def _unquote(field: str) -> str:
    if len(field) >= 2 and field.startswith('"') and field.endswith('"'):
        return field[1:-1].replace('""', '"')
    return field


def read_sentences(path: Path) -> list[tuple[str, str, str | None]]:
    """``(sentence_id, text, label or None)`` of a CheckThat! TSV (header line skipped)."""
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            lines = fh.read().splitlines()
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc}", hint="pass an existing CheckThat! TSV file") from exc
    rows: list[tuple[str, str, str | None]] = []
    for n, line in enumerate(lines):
        if not line.strip():
            continue
        parts = line.split("\t")
        if n == 0 and not parts[0].strip().isdigit() and parts[0].strip().lower().startswith("sentence"):
            continue  # header
        if len(parts) < 2:
            raise DataError(f"{path}:{n + 1}: expected Sentence_id<TAB>Text", hint="check the file's format")
        # a record glued to the next one: id, text, "No<id>", text, label
        while len(parts) >= 5 and _GLUED.match(parts[2].strip()):
            m = _GLUED.match(parts[2].strip())
            assert m is not None
            rows.append((parts[0].strip(), _unquote(parts[1]), m.group(1)))
            parts = [m.group(2), *parts[3:]]
        label = parts[2].strip() if len(parts) >= 3 and parts[2].strip() else None
        if label is not None and label not in LABELS:
            raise DataError(f"{path}:{n + 1}: label {label!r} is not Yes/No", hint="labels are Yes or No")
        rows.append((parts[0].strip(), _unquote(parts[1]), label))
    return rows


def read_predictions(path: Path) -> dict[str, str]:
    """``Sentence_id -> Yes|No`` of a prediction file (header optional; extra columns ignored)."""
    out: dict[str, str] = {}
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            lines = fh.read().splitlines()
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc}", hint="pass an existing prediction file") from exc
    for n, line in enumerate(lines):
        parts = [p.strip() for p in line.split("\t")]
        if not parts[0]:
            continue
        label = parts[-1]
        if label not in LABELS:
            if n == 0:
                continue  # header
            raise DataError(f"{path}:{n + 1}: label {label!r} is not Yes/No",
                            hint="write Sentence_id<TAB>Yes|No per line")
        out[parts[0]] = label
    return out


def predict(sentences: Path, out: Path) -> int:
    """Label every sentence of ``sentences`` Yes/No with the shipped check-worthiness model."""
    from narrascope.analyzers import checkworthy

    rows = read_sentences(Path(sentences))
    model = checkworthy.load_model()
    if model is None:
        raise DataError("the check-worthiness model is not installed",
                        hint="run `narrascope train checkworthy --data PATH` or reinstall narrascope")
    probs = model.predict_proba([r[1] for r in rows], checkworthy.readable_many([r[1] for r in rows]))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="") as fh:
        fh.write("Sentence_id\tclass_label\n")
        for (sid, _, _), p in zip(rows, probs, strict=True):
            fh.write(f"{sid}\t{'Yes' if p >= model.threshold else 'No'}\n")
    return len(rows)


def metrics(gold: list[str], pred: list[str]) -> dict[str, float]:
    """Yes-class precision, recall and F1, and accuracy, of parallel label lists."""
    tp = sum(g == "Yes" and p == "Yes" for g, p in zip(gold, pred, strict=True))
    fp = sum(g != "Yes" and p == "Yes" for g, p in zip(gold, pred, strict=True))
    fn = sum(g == "Yes" and p != "Yes" for g, p in zip(gold, pred, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    acc = sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold) if gold else 0.0
    return {"f1_yes": f1, "precision_yes": precision, "recall_yes": recall, "accuracy": acc,
            "n": float(len(gold))}


def score(gold: Path, pred: Path) -> dict[str, float]:
    """The official metric (F1 of Yes) of ``pred`` against the labelled ``gold`` TSV."""
    rows = [r for r in read_sentences(Path(gold)) if r[2] is not None]
    if not rows:
        raise DataError(f"{gold} holds no labelled sentences", hint="pass the labelled TSV as --gold")
    predicted = read_predictions(Path(pred))
    return metrics([r[2] or "No" for r in rows], [predicted.get(r[0], "No") for r in rows])
