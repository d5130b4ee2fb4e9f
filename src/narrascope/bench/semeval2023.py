"""SemEval-2023 Task 3 (Piskorski et al. 2023): genre (ST1), frames (ST2), persuasion techniques (ST3).

Formats (those of the task; an ``id`` is the number in ``article<id>.txt``):

- ST1: ``id<TAB>opinion|reporting|satire``, one line per article;
- ST2: ``id<TAB>Frame,Frame``, one line per article (empty list allowed);
- ST3: ``id<TAB>paragraph<TAB>Tech,Tech``, one line per line of the template
  (``id<TAB>paragraph<TAB>text``; ``paragraph`` is the 1-based line number in the article).

Scores (the official definitions):

- ST1: macro-F1 over the genre labels occurring in gold or prediction (sklearn's
  ``f1_score(average="macro")``), micro-F1 (= accuracy) alongside;
- ST2: micro-F1 over (article, frame) pairs, macro-F1 over frames alongside;
- ST3: micro-F1 over (article, paragraph, technique) triples, macro-F1 over techniques alongside.

Only gold rows count; a gold row without a prediction is predicted empty (ST1: wrong).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from pathlib import Path

from narrascope.errors import DataError

LANGS = ("en", "ru", "fr", "ge", "it", "po")


def _read(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def _article_files(articles: Path) -> list[tuple[str, Path]]:
    from narrascope.training._semeval2023 import article_id

    if not articles.is_dir():
        raise DataError(f"no article folder at {articles}", hint="pass --articles DIR holding article<id>.txt files")
    files = sorted(articles.glob("*.txt"))
    if not files:
        raise DataError(f"no .txt articles in {articles}", hint="pass --articles DIR holding article<id>.txt files")
    return [(article_id(p), p) for p in files]


def _check_lang(lang: str) -> str:
    lang = lang.strip().lower()
    if lang not in LANGS:
        raise DataError(f"unknown language {lang!r}", hint=f"--lang takes {', '.join(LANGS)}")
    return lang


def _write(out: Path, rows: Iterable[str]) -> int:
    """Write the lines; return how many."""
    out.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        for r in rows:
            fh.write(r + "\n")
            n += 1
    return n


def _head(name: str):  # type: ignore[no-untyped-def]
    from narrascope.analyzers.frames import load_head
    from narrascope.errors import ModelError

    head = load_head(name)
    if head is None:
        raise ModelError(f"the {name} weights are missing", hint=f"run `narrascope train {name.split('_')[0]} --data PATH`")
    return head


# ---------------------------------------------------------------- predict

def predict_st1(articles: Path, lang: str, out: Path, mix: str = "auto") -> int:
    """Write ``id<TAB>genre`` for every article. The file is decided as a whole: ``mix`` picks the
    genre offsets (:func:`narrascope.analyzers.genre.batch_offsets`; ``auto`` switches to the
    even-mix offsets when the file's estimated opinion share is far below the training share), and
    the choice is printed on stderr."""
    import sys

    import numpy as np

    from narrascope.analyzers.frames import encode_text
    from narrascope.analyzers.genre import batch_offsets, scores

    lang = _check_lang(lang)
    head = _head("genre")
    files = _article_files(Path(articles))
    z = np.vstack([scores(head, encode_text(text), text) for text in (_read(p) for _, p in files)])
    offsets, why = batch_offsets(head, lang, z, mix)
    print(f"semeval2023-st1 ({lang}, {len(files)} articles): {why}", file=sys.stderr)
    labels = np.argmax(z + offsets, axis=1)
    return _write(Path(out), [f"{aid}\t{head.labels[int(i)]}" for (aid, _), i in zip(files, labels, strict=True)])


def predict_st2(articles: Path, lang: str, out: Path) -> int:
    """Write ``id<TAB>Frame,Frame`` for every article."""
    from narrascope.analyzers.frames import encode_text, predict

    lang = _check_lang(lang)
    head = _head("frames")
    rows = []
    for aid, p in _article_files(Path(articles)):
        text = _read(p)
        rows.append(f"{aid}\t{','.join(f for f, _ in predict(head, encode_text(text), text, lang))}")
    return _write(Path(out), rows)


def read_template(template: Path, ids: Collection[str] = ()) -> list[tuple[str, int]]:
    """(id, paragraph) of every template line (``id<TAB>paragraph<TAB>text``), in order.

    Some of the task's templates glue an article's first line to the last line of the article before
    it, where that article's text has no final newline: ``…text.24101<TAB>1<TAB>title``. With the
    ``ids`` of the articles at hand, such a line yields both rows: the glued id is the longest run
    of digits ending the text that names one of them (the text may end in digits of its own)."""
    out = []
    for n, line in enumerate(_read(Path(template)).lstrip("\ufeff").split("\n")):
        parts = line.rstrip("\r").split("\t")
        if n == 0 and len(parts) >= 2 and not parts[1].strip().isdigit():
            continue  # a header line
        while len(parts) >= 2 and parts[0].strip():
            try:
                out.append((parts[0].strip(), int(parts[1])))
            except ValueError as exc:
                raise DataError(f"{template}: a template line's paragraph is not a number: {line[:80]!r}",
                                hint="pass the task's .template file (id<TAB>paragraph<TAB>text)") from exc
            if len(parts) < 5:
                break
            tail = re.search(r"\d+$", parts[2])
            digits = tail.group() if tail else ""
            glued = next((digits[k:] for k in range(len(digits)) if digits[k:] in ids), None)
            if glued is None:
                break
            parts = [glued, *parts[3:]]
    return out


def predict_st3(articles: Path, template: Path, lang: str, out: Path) -> int:
    """Write ``id<TAB>paragraph<TAB>Tech,Tech`` for every template line."""
    from narrascope.analyzers.frames import encode_text
    from narrascope.analyzers.techniques import paragraph_techniques

    lang = _check_lang(lang)
    head = _head("techniques_paragraph")
    files = dict(_article_files(Path(articles)))
    cache: dict[str, dict[int, list[str]]] = {}
    rows = []
    for aid, para in read_template(Path(template), files):
        if aid not in cache:
            if aid in files:
                text = _read(files[aid])
                enc = encode_text(text)
                cache[aid] = {num: [t for t, _ in labs]
                              for num, labs in paragraph_techniques(head, enc, text, lang).items()}
            else:
                cache[aid] = {}
        rows.append(f"{aid}\t{para}\t{','.join(cache[aid].get(para, []))}")
    return _write(Path(out), rows)


# ---------------------------------------------------------------- score

def _labels_file(path: Path, key_cols: int) -> dict[tuple[str, ...], list[str]]:
    """Rows of a label file (or of every ``*.txt`` in a folder): key columns -> label list."""
    path = Path(path)
    files = sorted(path.glob("*.txt")) if path.is_dir() else [path]
    if not files or not all(f.is_file() for f in files):
        raise DataError(f"no label file at {path}", hint="pass the gold/prediction file (or a folder of them)")
    out: dict[tuple[str, ...], list[str]] = {}
    for f in files:
        for line in _read(f).split("\n"):
            parts = line.rstrip("\r").split("\t")
            if len(parts) < key_cols or not parts[0].strip():
                continue
            key = tuple(p.strip() for p in parts[:key_cols])
            labels = parts[key_cols] if len(parts) > key_cols else ""
            out[key] = [x.strip() for x in labels.split(",") if x.strip()]
    return out


def _f1(tp: int, fp: int, fn: int) -> float:
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def multilabel_scores(gold: dict[tuple[str, ...], list[str]],
                      pred: dict[tuple[str, ...], list[str]]) -> dict[str, float]:
    """Micro- and macro-F1 of label sets over the gold rows (macro over labels seen in gold or prediction)."""
    tp = fp = fn = 0
    per: dict[str, list[int]] = {}
    for key, g in gold.items():
        gs, ps = set(g), set(pred.get(key, []))
        for lab in gs | ps:
            c = per.setdefault(lab, [0, 0, 0])
            if lab in gs and lab in ps:
                c[0] += 1
            elif lab in ps:
                c[1] += 1
            else:
                c[2] += 1
        tp += len(gs & ps)
        fp += len(ps - gs)
        fn += len(gs - ps)
    micro = _f1(tp, fp, fn)
    macro = sum(_f1(*c) for c in per.values()) / len(per) if per else 0.0
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"micro_f1": micro, "macro_f1": macro, "precision": p, "recall": r, "rows": float(len(gold))}


def score_st1(gold: Path, pred: Path) -> dict[str, float]:
    """Macro-F1 (official) and accuracy of the genre labels."""
    g = {k: v[0] if v else "" for k, v in _labels_file(gold, 1).items()}
    p = {k: v[0] if v else "" for k, v in _labels_file(pred, 1).items()}
    labels = sorted({x for x in g.values() if x} | {p[k] for k in g if p.get(k)})
    f1s = []
    for lab in labels:
        tp = sum(1 for k in g if g[k] == lab and p.get(k) == lab)
        fp = sum(1 for k in g if g[k] != lab and p.get(k) == lab)
        fn = sum(1 for k in g if g[k] == lab and p.get(k) != lab)
        f1s.append(_f1(tp, fp, fn))
    acc = sum(1 for k in g if p.get(k) == g[k]) / len(g) if g else 0.0
    return {"macro_f1": sum(f1s) / len(f1s) if f1s else 0.0, "micro_f1": acc, "rows": float(len(g))}


def score_st2(gold: Path, pred: Path) -> dict[str, float]:
    """Micro-F1 over (article, frame) pairs (official), macro-F1 alongside."""
    return multilabel_scores(_labels_file(gold, 1), _labels_file(pred, 1))


def score_st3(gold: Path, pred: Path) -> dict[str, float]:
    """Micro-F1 over (article, paragraph, technique) triples (official), macro-F1 alongside."""
    return multilabel_scores(_labels_file(gold, 2), _labels_file(pred, 2))
