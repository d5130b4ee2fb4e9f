"""PolNeAR (Newell, Margolin and Ruths, LREC 2018): attribution relations in political news.

``predict`` runs ``sentences, entities, attribution`` over PolNeAR-style ``.txt`` files and writes
one brat standoff file per text, in the layout of the corpus' ``attributions/*.ann``::

    T1  Source s e  text          (absent for the author's own voice)
    T2  Cue s e     text
    T3  Content s e text
    T4  Attribution s e text      (the cue span)
    E1  Attribution:T4 Content:T3 Cue:T2 Source:T1

``score`` compares a prediction folder with a gold folder:

* **source exact F1**: source spans, trimmed of spaces, quotes and punctuation on both sides,
  as sets of ``(file, start, end)``; micro over all files;
* **content overlap F1**: token level (tokens are ``\\w+`` runs); precision is the share of
  predicted content tokens inside some gold content span of the same file, recall the share of
  gold content tokens inside some predicted content span; micro over all files;
* **cue exact F1** and **cue overlap F1**, for information.

Gold files are named ``<stem>_<annotator>.ann``; where several annotators annotated one text,
the text is scored against **one** annotator only, the first in sorted file-name order.
A text with a gold file but no prediction file counts as predicted empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from narrascope.errors import DataError

ANALYZERS = ("sentences", "entities", "attribution")

_TLINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)$")
_ELINE = re.compile(r"^(E\d+)\t(.*)$")
_WORD = re.compile(r"\w+")
_TRIM = " \t\r\n\u00a0\"'“”‘’«»`.,;:!?()[]{}-–—…"


@dataclass
class Relation:
    """One attribution relation of a brat file: spans as lists of ``(start, end)`` segments."""

    source: list[tuple[int, int]] = field(default_factory=list)
    cue: list[tuple[int, int]] = field(default_factory=list)
    content: list[tuple[int, int]] = field(default_factory=list)


def read_text(path: Path) -> str:
    """A PolNeAR text, with ``\\r`` kept (the corpus' offsets count it)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def read_ann(path: Path) -> tuple[list[Relation], dict[tuple[int, int], str]]:
    """The relations of a brat file, and the text of every span (keyed by segment)."""
    spans: dict[str, tuple[str, list[tuple[int, int]], str]] = {}
    relations: list[Relation] = []
    texts: dict[tuple[int, int], str] = {}
    events: list[dict[str, str]] = []
    for line in read_text(path).split("\n"):
        line = line.rstrip("\r")
        m = _TLINE.match(line)
        if m:
            tid, label, offsets, text = m.groups()
            segs = [(int(a), int(b)) for a, b in (s.split() for s in offsets.split(";"))]
            spans[tid] = (label, segs, text)
            if len(segs) == 1:
                texts[segs[0]] = text
            else:  # brat joins discontinuous segments' texts with one space
                pos = 0
                for s, e in segs:
                    texts[(s, e)] = text[pos : pos + e - s]
                    pos += e - s + 1
            continue
        m = _ELINE.match(line)
        if m:
            events.append(dict(a.split(":", 1) for a in m.group(2).split() if ":" in a))
    for ev in events:
        rel = Relation()
        for role, tid in ev.items():
            if tid not in spans:
                continue
            segs = spans[tid][1]
            if role.startswith("Source"):
                rel.source += segs
            elif role.startswith("Cue"):
                rel.cue += segs
            elif role.startswith("Content"):
                rel.content += segs
        relations.append(rel)
    return relations, texts


def _text_files(texts_dir: Path) -> list[Path]:
    if not texts_dir.is_dir():
        raise DataError(
            f"no folder of texts at {texts_dir}",
            hint="pass the folder of PolNeAR .txt files, e.g. --texts polnear/dev/text",
        )
    files = sorted(texts_dir.glob("*.txt"))
    if not files:
        raise DataError(f"no .txt files in {texts_dir}", hint="pass the folder of PolNeAR .txt files")
    return files


def predict(texts: Path, out: Path, batch_size: int = 16) -> int:
    texts_dir, out_dir = texts, out
    """Write ``out_dir/<stem>.ann`` for every ``texts_dir/*.txt``; return the number of files written."""
    from narrascope.ingest import from_text
    from narrascope.pipeline import Failure, Pipeline

    files = _text_files(Path(texts_dir))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pipe = Pipeline(list(ANALYZERS), config={"attribution": {"relative_pronoun_source": True}})

    def docs() -> Iterator[object]:
        for p in files:
            text = read_text(p)
            if not text.strip():
                yield Failure(p.stem, str(p), DataError(f"empty text {p}"))
                continue
            yield from_text(text, detect_headline=False, id=p.stem, origin=str(p))

    n = 0
    for p, result in zip(files, pipe.run_many(docs(), batch_size=batch_size), strict=True):  # type: ignore[arg-type]
        lines = [] if isinstance(result, Failure) else to_brat(result)
        (out / f"{p.stem}.ann").write_text("".join(f"{ln}\n" for ln in lines), encoding="utf-8")
        n += 1
    return n


def _clean(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ").replace("\t", " ")


def to_brat(doc: object) -> list[str]:
    """The brat lines of a Document's statements."""
    lines: list[str] = []
    t = 0
    for i, st in enumerate(getattr(doc, "statements", None) or (), start=1):
        if st.cue is None:
            continue
        ids: dict[str, str] = {}
        src = st.source
        if src.type != "author" and src.start is not None and src.end is not None:
            t += 1
            ids["Source"] = f"T{t}"
            lines.append(f"T{t}\tSource {src.start} {src.end}\t{_clean(src.text)}")
        for role, span in (("Cue", st.cue), ("Content", st.content), ("Attribution", st.cue)):
            t += 1
            ids[role] = f"T{t}"
            lines.append(f"T{t}\t{role} {span.start} {span.end}\t{_clean(span.text)}")
        args = [f"Attribution:{ids['Attribution']}", f"Content:{ids['Content']}", f"Cue:{ids['Cue']}"]
        if "Source" in ids:
            args.append(f"Source:{ids['Source']}")
        lines.append(f"E{i}\t{' '.join(args)}")
    return lines


# ---------------------------------------------------------------------------------------------
# scoring


def _trim(seg: tuple[int, int], text: str | None) -> tuple[int, int] | None:
    s, e = seg
    if text is None or len(text) != e - s:
        return (s, e) if e > s else None
    left = len(text) - len(text.lstrip(_TRIM))
    right = len(text) - len(text.rstrip(_TRIM))
    if left + right >= len(text):
        return None
    return (s + left, e - right)


def _span_key(segs: list[tuple[int, int]], texts: dict[tuple[int, int], str], full: str | None):
    """A trimmed span: a discontinuous span keeps all its trimmed segments."""
    out = []
    for seg in segs:
        txt = full[seg[0] : seg[1]] if full is not None else texts.get(seg)
        tr = _trim(seg, txt)
        if tr:
            out.append(tr)
    return tuple(out) or None


def _tokens(segs: list[tuple[int, int]], texts: dict[tuple[int, int], str], full: str | None) -> set[int]:
    toks: set[int] = set()
    for s, e in segs:
        txt = full[s:e] if full is not None else texts.get((s, e))
        if txt is None or len(txt) != e - s:
            continue
        toks.update(s + m.start() for m in _WORD.finditer(txt))
    return toks


@dataclass
class _Counts:
    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0
    p_hits: int = 0  # overlap: predicted tokens inside gold
    g_hits: int = 0  # overlap: gold tokens inside predicted

    def exact(self) -> dict[str, float]:
        p = self.tp / self.n_pred if self.n_pred else 0.0
        r = self.tp / self.n_gold if self.n_gold else 0.0
        return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}

    def overlap(self) -> dict[str, float]:
        p = self.p_hits / self.n_pred if self.n_pred else 0.0
        r = self.g_hits / self.n_gold if self.n_gold else 0.0
        return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def gold_files(gold_dir: Path) -> dict[str, Path]:
    """``stem -> gold .ann``: the first annotator's file (sorted by name) for each text."""
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise DataError(
            f"no folder of gold annotations at {gold_dir}",
            hint="pass the PolNeAR attributions folder, e.g. --gold polnear/dev/attributions",
        )
    chosen: dict[str, Path] = {}
    for p in sorted(gold_dir.glob("*.ann")):
        stem = p.stem.rsplit("_", 1)[0] if "_" in p.stem else p.stem
        chosen.setdefault(stem, p)
    if not chosen:
        raise DataError(f"no .ann files in {gold_dir}", hint="pass the PolNeAR attributions folder")
    return chosen


def score(
    gold: Path, pred: Path, texts: Path | None = None, only: set[str] | None = None
) -> dict[str, object]:
    """Source exact F1, content token-overlap F1 and cue F1 of ``pred_dir`` against ``gold_dir``.

    ``texts_dir`` (default: ``gold_dir/../text`` when it exists) gives the texts; without it the
    span texts of the ``.ann`` files are used. ``only`` restricts scoring to those stems.
    """
    gold_dir, pred_dir, texts_dir = Path(gold), Path(pred), texts
    if not pred_dir.is_dir():
        raise DataError(f"no folder of predictions at {pred_dir}", hint="run `narrascope bench predict polnear` first")
    golds = gold_files(Path(gold_dir))
    if only is not None:
        golds = {k: v for k, v in golds.items() if k in only}
    if texts_dir is None:
        guess = Path(gold_dir).parent / "text"
        texts_dir = guess if guess.is_dir() else None
    src, cue, con, cue_tok = _Counts(), _Counts(), _Counts(), _Counts()
    for stem, gpath in golds.items():
        full = None
        if texts_dir is not None and (Path(texts_dir) / f"{stem}.txt").exists():
            full = read_text(Path(texts_dir) / f"{stem}.txt")
        grels, gtexts = read_ann(gpath)
        ppath = pred_dir / f"{stem}.ann"
        prels, ptexts = read_ann(ppath) if ppath.exists() else ([], {})
        for counts, role in ((src, "source"), (cue, "cue")):
            g = {k for r in grels if (k := _span_key(getattr(r, role), gtexts, full))}
            p = {k for r in prels if (k := _span_key(getattr(r, role), ptexts, full))}
            counts.tp += len(g & p)
            counts.n_gold += len(g)
            counts.n_pred += len(p)
        for counts, role in ((con, "content"), (cue_tok, "cue")):
            gt: set[int] = set()
            pt: set[int] = set()
            for r in grels:
                gt |= _tokens(getattr(r, role), gtexts, full)
            for r in prels:
                pt |= _tokens(getattr(r, role), ptexts, full)
            counts.n_gold += len(gt)
            counts.n_pred += len(pt)
            counts.p_hits += len(pt & gt)
            counts.g_hits += len(gt & pt)
    return {
        "task": "polnear",
        "files": len(golds),
        "gold_annotator": "first in sorted file-name order per text",
        "source_f1": src.exact()["f1"],
        "content_f1": con.overlap()["f1"],
        "cue_f1": cue.exact()["f1"],
        "source": {**src.exact(), "gold": src.n_gold, "predicted": src.n_pred},
        "content": {**con.overlap(), "gold_tokens": con.n_gold, "predicted_tokens": con.n_pred},
        "cue": {**cue.exact(), "gold": cue.n_gold, "predicted": cue.n_pred},
        "cue_overlap_f1": cue_tok.overlap()["f1"],
    }
