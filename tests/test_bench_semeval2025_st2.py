"""SemEval-2025 Task 10 subtask 2 (narratives): prediction format and the official metric."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from narrascope.bench import semeval2025 as B
from narrascope.errors import DataError

ROOT = Path(__file__).resolve().parent.parent


def test_bench_semeval2025_st2_score_hand_computed(tmp_path: Path) -> None:
    gold = tmp_path / "gold.txt"
    pred = tmp_path / "pred.txt"
    gold.write_text(
        "a.txt\tURW: Praise of Russia;URW: Discrediting Ukraine\tURW: Praise of Russia: Other;"
        "URW: Discrediting Ukraine: Discrediting Ukrainian military\n"
        "b.txt\tOther\tOther\n"
        "c.txt\tCC: Downplaying climate change\tCC: Downplaying climate change: Other\n",
        encoding="utf-8",
    )
    pred.write_text(
        "a.txt\tURW: Praise of Russia\tURW: Praise of Russia: Other\n"
        "b.txt\tOther\tOther\n",  # c.txt missing: counts as predicted empty
        encoding="utf-8",
    )
    res = B.score_st2(gold=gold, pred=pred)
    # narratives: a = 2*1/(2+1) = 2/3, b = 1, c = 0 -> mean 5/9
    assert res["narrative_f1"] == pytest.approx(5 / 9)
    # subnarratives: a = 2/3, b = 1, c = 0 -> 5/9 as well
    assert res["subnarrative_f1"] == pytest.approx(5 / 9)
    scores = [2 / 3, 1.0, 0.0]
    mean = sum(scores) / 3
    assert res["narrative_f1_std"] == pytest.approx((sum((s - mean) ** 2 for s in scores) / 3) ** 0.5)
    assert res["articles"] == 3


def test_bench_semeval2025_st2_format_line() -> None:
    assert B.format_st2("x.txt", ["A: b"], ["A: b: c", "A: b: Other"]) == "x.txt\tA: b\tA: b: c;A: b: Other"
    assert B.format_st2("y.txt", [], []) == "y.txt\tOther\tOther"


def test_bench_semeval2025_st2_language_any_case_and_unknown(tmp_path: Path) -> None:
    assert B.language("en") == "EN" and B.language(" Ru ") == "RU"
    with pytest.raises(DataError):
        B.language("xx")
    with pytest.raises(DataError):
        B.article_files(tmp_path, "EN")


def test_bench_semeval2025_article_files_finds_the_articles_of_other_layouts(tmp_path: Path) -> None:
    """Articles are the files named like the task's (``EN_….txt``): beside annotation files in the folder
    given, or in a subfolder of another name (a release's ``EN/subtask-2-documents/``)."""
    lang_dir = tmp_path / "EN"
    docs = lang_dir / "subtask-2-documents"
    docs.mkdir(parents=True)
    for name in ("EN_UA_DEV_2.txt", "EN_CC_DEV_1.txt"):
        (docs / name).write_text("A headline\n\nA body.\n", encoding="utf-8")
    (lang_dir / "subtask-1-entity-mentions.txt").write_text("EN_UA_DEV_2.txt\tA\t0\t0\n", encoding="utf-8")
    for given in (tmp_path, lang_dir, docs):
        assert [p.name for p in B.article_files(given, "en")] == ["EN_CC_DEV_1.txt", "EN_UA_DEV_2.txt"]
    (docs / "notes.txt").write_text("not an article", encoding="utf-8")
    assert [p.name for p in B.article_files(docs, "EN")] == ["EN_CC_DEV_1.txt", "EN_UA_DEV_2.txt"]
    assert B._st1_article(lang_dir, "EN", "EN_UA_DEV_2.txt") == docs / "EN_UA_DEV_2.txt"
    assert B._st1_article(lang_dir, "EN", "EN_UA_DEV_2") == docs / "EN_UA_DEV_2.txt"  # an id without .txt
    with pytest.raises(DataError, match="not under"):
        B._st1_article(lang_dir, "EN", "EN_UA_DEV_3.txt")


def test_bench_semeval2025_st2_predict_writes_official_format(tmp_path: Path) -> None:
    arts = tmp_path / "EN" / "raw-documents"
    arts.mkdir(parents=True)
    (arts / "EN_UA_DEV_1.txt").write_text(
        "Russian troops advance heroically\n\nThe invincible Russian army liberated another town, "
        "showing the world the unmatched courage and might of Russian soldiers.\n", encoding="utf-8")
    (arts / "EN_CC_DEV_2.txt").write_text(
        "Recipe of the week\n\nMix flour, butter and sugar, then bake the cake for forty minutes.\n", encoding="utf-8")
    out = tmp_path / "pred.txt"
    assert B.predict_st2(articles=tmp_path, lang="en", out=out) == 2
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [line.split("\t")[0] for line in lines] == ["EN_CC_DEV_2.txt", "EN_UA_DEV_1.txt"]
    for line in lines:
        _, narrs, subs = line.split("\t")
        for sub in subs.split(";"):
            assert sub == "Other" or any(sub.startswith(n + ": ") for n in narrs.split(";"))
    assert lines[1].split("\t")[1].startswith("URW: ")


@pytest.mark.data
def test_bench_semeval2025_st2_heldout_english_floor(data_dir: Path) -> None:
    """Train on the other English folds of the CV split, predict ~40 held-out articles, check the floor."""
    from narrascope.training import narratives as T

    floors = json.loads((ROOT / "benchmarks" / "floors.json").read_text(encoding="utf-8"))["semeval2025-st2"]
    root = data_dir / "semeval2025-task10"
    articles = [a for a in T.load(root) if a.lang == "EN"]
    fold = T.folds_of(articles, 10, seed=0)
    res = T.heldout_check(articles, fold, Path("/tmp/narrascope-narratives"))
    assert res["articles"] >= 35
    assert res["narrative_f1"] >= floors["heldout_en_narrative_f1"]
    assert res["subnarrative_f1"] >= floors["heldout_en_subnarrative_f1"]


@pytest.mark.data
def test_bench_semeval2025_st2_writes_the_labels_of_the_cv_path(data_dir: Path, tmp_path: Path, monkeypatch) -> None:
    """Given the held-out fold's model, ``bench predict semeval2025-st2`` writes, article for article,
    the labels the cross-validation path decodes from the training features."""
    import shutil

    from narrascope.analyzers import narratives as N
    from narrascope.training import narratives as T

    root = data_dir / "semeval2025-task10"
    articles = [a for a in T.load(root) if a.lang == "EN"]
    model, te, expected = T.heldout_model(articles, T.folds_of(articles, 10, seed=0), Path("/tmp/narrascope-narratives"))
    docs = tmp_path / "EN" / "raw-documents"
    docs.mkdir(parents=True)
    for i in te:
        shutil.copyfile(root / "train" / "EN" / "raw-documents" / articles[i].id, docs / articles[i].id)
    monkeypatch.setattr(N, "load", lambda *a, **k: model)
    out = tmp_path / "pred.txt"
    assert B.predict_st2(articles=tmp_path, lang="EN", out=out) == len(te)
    written = B.read_st2(out)
    for i, (narrs, subs) in zip(te, expected, strict=True):
        assert written[articles[i].id] == (set(narrs) or {"Other"}, set(subs) or {"Other"}), articles[i].id
