"""SemEval-2025 Task 10 (Piskorski et al.): multilingual characterisation of narratives in news.

Common helpers (reading the articles of one language folder) and one pair of functions per subtask.

**ST2, narrative classification** (``semeval2025-st2``): ``predict_st2`` writes one line per article,
``id<TAB>narr;narr<TAB>sub;sub`` (the official format; ``id`` = the article's file name, ``Other``
where no narrative applies). ``score_st2`` follows the official scorer: for each article the F1 of
its predicted label set against its gold label set (narratives, then subnarratives, full label
strings such as ``URW: Praise of Russia: Praise of Russian military might``; ``Other`` is a label),
averaged over the gold articles (samples-averaged F1), with the standard deviation of the
per-article F1. An article without a prediction counts as predicted empty (F1 0).
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from narrascope.errors import DataError

LANGUAGES = ("BG", "EN", "HI", "PT", "RU")


# --------------------------------------------------------------------------- common helpers


def read_text(path: Path) -> str:
    """An article's text exactly as on disk (``\\r`` kept: the task's offsets count it)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def language(lang: str) -> str:
    """``lang`` upper-cased, checked against the task's languages (BG, EN, HI, PT, RU)."""
    code = (lang or "").strip().upper()
    if code not in LANGUAGES:
        raise DataError(f"unknown SemEval-2025 language {lang!r}", hint=f"pass --lang one of {', '.join(LANGUAGES)}")
    return code


def article_files(articles: Path, lang: str) -> list[Path]:
    """The ``.txt`` articles of ``lang`` under ``articles``, sorted by file name (the id). Files named
    like the task's articles (``EN_….txt``) come first: in ``raw-documents/``, ``<LANG>/raw-documents/``,
    the folder itself or ``<LANG>/``, else in the folder below it (at most three levels down) holding
    the most of them (a release's ``subtask-2-documents/``, say); only then any ``.txt`` of those four
    folders, so annotation files lying beside the articles are never taken for articles."""
    code = language(lang)
    folders = (articles / "raw-documents", articles / code / "raw-documents", articles, articles / code)
    for pattern in (f"{code}_*.txt", "*.txt"):
        for folder in folders:
            files = sorted(p for p in folder.glob(pattern) if p.is_file()) if folder.is_dir() else []
            if files:
                return files
        if pattern != "*.txt" and articles.is_dir():
            below = Counter(p.parent for depth in ("*", "*/*", "*/*/*") for p in articles.glob(f"{depth}/{pattern}"))
            if below:
                return sorted(max(sorted(below, key=str), key=below.__getitem__).glob(pattern))
    raise DataError(f"no .txt articles for {code} under {articles}",
                    hint="pass --articles with the language's raw-documents folder (or the folder above it)")


def iter_articles(articles: Path, lang: str) -> Iterator[tuple[str, str]]:
    """``(id, text)`` of every article of ``lang``; the id is the file name, e.g. ``EN_UA_DEV_100012.txt``."""
    for path in article_files(articles, lang):
        yield path.name, read_text(path)


def sample_f1(gold: Sequence[set[str]], pred: Sequence[set[str]]) -> tuple[float, float]:
    """Samples-averaged F1 and its (population) standard deviation over paired label sets."""
    scores: list[float] = []
    for g, p in zip(gold, pred, strict=True):
        if not g and not p:
            scores.append(1.0)
            continue
        scores.append(2 * len(g & p) / (len(g) + len(p)))
    if not scores:
        return 0.0, 0.0
    mean = sum(scores) / len(scores)
    std = (sum((s - mean) ** 2 for s in scores) / len(scores)) ** 0.5
    return mean, std


# --------------------------------------------------------------------------- ST2: narratives


def read_st2(path: Path) -> dict[str, tuple[set[str], set[str]]]:
    """``id -> (narratives, subnarratives)`` of an ST2 file (``id<TAB>narr;narr<TAB>sub;sub``)."""
    if not path.is_file():
        raise DataError(f"no ST2 file at {path}", hint="pass the subtask-2 annotation or prediction file")
    out: dict[str, tuple[set[str], set[str]]] = {}
    for n, line in enumerate(read_text(path).splitlines(), 1):
        if not line.strip():
            continue
        parts = line.rstrip("\r\n").split("\t")
        if len(parts) < 2:
            raise DataError(f"{path}:{n}: expected id<TAB>narratives<TAB>subnarratives",
                            hint="one line per article, tab-separated, labels separated by ';'")
        narrs = {x.strip() for x in parts[1].split(";") if x.strip()}
        subs = {x.strip() for x in parts[2].split(";") if x.strip()} if len(parts) > 2 else set()
        out[parts[0].strip()] = (narrs, subs)
    return out


def format_st2(article_id: str, narratives: Sequence[str], subnarratives: Sequence[str]) -> str:
    """One official ST2 line (without the newline)."""
    return f"{article_id}\t{';'.join(narratives) or 'Other'}\t{';'.join(subnarratives) or 'Other'}"


def predict_st2(articles: Path, lang: str, out: Path) -> int:
    """Predict narratives and subnarratives of every ``lang`` article under ``articles`` into ``out``;
    returns the number of articles written."""
    from narrascope.analyzers import narratives as N

    lines = []
    for article_id, text in iter_articles(Path(articles), lang):
        pred = N.predict_text(text)
        lines.append(format_st2(article_id, pred.narratives, pred.subnarratives))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return len(lines)


def score_st2(gold: Path, pred: Path) -> dict[str, float]:
    """Official ST2 figures: samples-averaged F1 (and std) of narratives and of subnarratives."""
    g, p = read_st2(Path(gold)), read_st2(Path(pred))
    ids = sorted(g)
    empty: tuple[set[str], set[str]] = (set(), set())
    f1n, sdn = sample_f1([g[i][0] for i in ids], [p.get(i, empty)[0] for i in ids])
    f1s, sds = sample_f1([g[i][1] for i in ids], [p.get(i, empty)[1] for i in ids])
    return {"narrative_f1": f1n, "narrative_f1_std": sdn, "subnarrative_f1": f1s, "subnarrative_f1_std": sds,
            "articles": float(len(ids))}


# --------------------------------------------------------------------------- ST1: entity framing
# ``semeval2025-st1``: ``predict_st1`` writes, for every line of the mentions file (``id<TAB>mention
# <TAB>start<TAB>end[<TAB>…]``, end inclusive, extra columns ignored), the official line
# ``id<TAB>mention<TAB>start<TAB>end<TAB>main<TAB>fine[<TAB>fine…]`` with the offsets as given.
# In an article, mentions with the same surface string (and its other occurrences) form one entity,
# joined in English and Russian with the entity-layer entity they overlap (``training.roles.targets``);
# the features are those the language's head was trained on (its ``context``).
# ``score_st1`` follows the official scorer: main-role accuracy, exact match ratio of the fine-role
# sets, and fine-role micro precision/recall/F1 (for information); rows match on (id, start, end)
# and a gold row without a prediction counts as wrong.


# Optional label-shift adaptation of the main roles over the whole mentions file (``--adapt``): the
# strength and the smallest file it is used on. ``benchmarks/roles_label_shift.py`` measures it
# (MODEL_CARD_roles.md): it gains where a file has far more antagonists than training (English at
# 90 %: main accuracy 0.900 -> 0.918), little at the English dev split's 80 % (0.843 / 0.293 ->
# 0.847 / 0.289, fine exact match lower), and costs a little near the training shares, so it is off
# unless asked for.
LABEL_SHIFT_STRENGTH = 0.5
MIN_ADAPT_BATCH = 50


def _st1_article(articles: Path, lang: str, article_id: str) -> Path:
    code = language(lang)
    names = (article_id,) if article_id.endswith(".txt") else (article_id, article_id + ".txt")
    for name in names:
        for folder in (articles, articles / "raw-documents", articles / code / "raw-documents", articles / code):
            if (folder / name).is_file():
                return folder / name
        for depth in ("*", "*/*", "*/*/*"):  # a release's own layout (EN/subtask-1-documents/, say)
            found = sorted(p for p in articles.glob(f"{depth}/{name}") if p.is_file())
            if found:
                return found[0]
    raise DataError(f"article {article_id} of the mentions file is not under {articles}",
                    hint="pass --articles with the language's raw-documents folder (or the folder above it)")


def predict_st1(articles: Path, mentions: Path, lang: str, out: Path, adapt: bool = False) -> int:
    """Predict the main and fine roles of every mention of ``mentions`` into ``out``; returns the
    number of lines written. With ``adapt`` (and at least :data:`MIN_ADAPT_BATCH` mentions) the
    main-role probabilities move towards the batch's own antagonist share, estimated without labels
    (:func:`narrascope.analyzers.roles.adapt_to_batch`; ``benchmarks/roles_label_shift.py``)."""
    from narrascope.analyzers import roles as R
    from narrascope.training import roles as T

    code = language(lang)
    rows = T.read_rows(Path(mentions))
    by_id: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        by_id.setdefault(r.id, []).append(i)
    head = R.load_model().head(code)
    order: list[int] = []
    main_p, fine_p = [], []
    for article_id, idx in by_id.items():
        text = read_text(_st1_article(Path(articles), code, article_id))
        mine = [rows[i] for i in idx]
        cues, words, grammar = T.cue_strengths(text, mine, code) if head.reads_parse else (None, None, None)
        X = T.article_features(text, mine, head.context, code)  # the contexts the head was trained on
        main_p.append(head.main_adjusted(X, 0.0, cues, grammar))
        fine_p.append(head.fine_adjusted(X, words))
        order += idx
    P = np.vstack(main_p) if main_p else np.zeros((0, len(R.MAIN_ROLES)))
    if adapt and len(P) >= MIN_ADAPT_BATCH:
        share = R.batch_antagonist_share(P, head.antagonist_rates)  # a typed error where none are recorded
        print(f"semeval2025-st1 ({code}, {len(P)} mentions): adapted to an antagonist share estimated at "
              f"{share:.2f} (training {head.priors[R.MAIN_ROLES.index('Antagonist')]:.2f})", file=sys.stderr)
        P = R.adapt_to_batch(P, head.priors, LABEL_SHIFT_STRENGTH, head.antagonist_rates)
    elif adapt:
        print(f"semeval2025-st1 ({code}, {len(P)} mentions): not adapted (fewer than {MIN_ADAPT_BATCH} mentions)",
              file=sys.stderr)
    decoded = R.decode(P, np.vstack(fine_p), R.MAIN_ROLES, head.fine_roles, head.fine_parent,
                       head.threshold) if fine_p else []
    preds = {i: (p.main_role, p.fine_roles) for i, p in zip(order, decoded, strict=True)}
    lines = []
    for i, r in enumerate(rows):
        main, fine = preds[i]
        lines.append("\t".join([r.id, r.mention, str(r.start), str(r.end - 1), main, *fine]))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return len(lines)


def score_st1(gold: Path, pred: Path) -> dict[str, float]:
    """Official ST1 figures: main-role accuracy, fine-role exact match ratio, fine-role micro P/R/F1."""
    from narrascope.training import roles as T

    return {k: float(v) for k, v in T.metrics(T.read_rows(Path(gold)), T.read_rows(Path(pred))).items()}
