"""SemEval-2020 Task 11 scorers on tiny hand-made files (expected values computed by hand)."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrascope.bench import semeval2020 as B


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_semeval2020_si_overlap_f1_by_hand(tmp_path):
    gold = _write(tmp_path / "g.txt", "1\t10\t20\n1\t30\t40\n2\t0\t10\n")
    pred = _write(tmp_path / "p.txt", "1\t15\t25\n1\t30\t40\n")
    s = B.score_si(gold, pred)
    # P = (5/10 + 10/10) / 2 = 0.75; R = (5/10 + 10/10 + 0) / 3 = 0.5
    assert s["precision"] == pytest.approx(0.75)
    assert s["recall"] == pytest.approx(0.5)
    assert s["f1"] == pytest.approx(0.6)


def test_semeval2020_si_overlapping_predictions_are_merged(tmp_path):
    gold = _write(tmp_path / "g.txt", "1\t10\t30\n")
    pred = _write(tmp_path / "p.txt", "1\t10\t20\n1\t15\t30\n")
    s = B.score_si(gold, pred)
    assert s["pred_spans"] == 1
    assert s["f1"] == pytest.approx(1.0)


def test_semeval2020_si_gold_folder_counts_articles_without_spans(tmp_path):
    """The task's gold is a folder of per-article files; an empty one still names an article whose
    predicted spans are all false positives (as in the official scorer)."""
    gold = tmp_path / "gold"
    gold.mkdir()
    _write(gold / "article1.task-si.labels", "1\t10\t20\n")
    _write(gold / "article2.task-si.labels", "")
    pred = _write(tmp_path / "p.txt", "1\t10\t20\n2\t0\t10\n")
    s = B.score_si(gold, pred)
    assert s["articles"] == 2
    assert s["precision"] == pytest.approx(0.5)  # the span in article 2 overlaps no gold span
    assert s["recall"] == pytest.approx(1.0)


def test_semeval2020_tc_micro_f1_multiset(tmp_path):
    gold = _write(tmp_path / "g.txt", "1\tLoaded_Language\t0\t5\n1\tName_Calling,Labeling\t10\t15\n"
                                      "1\tDoubt\t10\t15\n2\tLoaded_Language\t3\t8\n")
    pred = _write(tmp_path / "p.txt", "1\tLoaded_Language\t0\t5\n1\tName_Calling,Labeling\t10\t15\n"
                                      "1\tName_Calling,Labeling\t10\t15\n2\tRepetition\t3\t8\n")
    assert B.score_tc(gold, pred)["micro_f1"] == pytest.approx(0.5)  # 2 of 4 lines right


def test_semeval2020_merge_joins_touching_spans():
    assert B.merge([(5, 9), (0, 3), (3, 4), (20, 20)]) == [(0, 4), (5, 9)]


def test_semeval2020_tc_prediction_keeps_template_lines(tmp_path):
    from narrascope.analyzers.techniques import load_hashed

    if load_hashed("techniques_tc") is None:
        pytest.skip("no techniques_tc weights")
    arts = tmp_path / "arts"
    arts.mkdir()
    text = "Title\n\nThese traitors are destroying our great nation, and the corrupt media applauds.\n"
    _write(arts / "article9.txt", text)
    s = text.index("traitors")
    template = _write(tmp_path / "t.txt", f"9\t?\t{s}\t{s + 8}\n9\t?\t0\t5\n")
    out = tmp_path / "o.txt"
    B.predict_tc(arts, template, out)
    rows = [ln.split("\t") for ln in out.read_text(encoding="utf-8").splitlines()]
    assert [(r[0], r[2], r[3]) for r in rows] == [("9", str(s), str(s + 8)), ("9", "0", "5")]
    assert all(r[1] != "?" for r in rows)


def test_semeval2020_si_prediction_writes_spans_inside_each_article(tmp_path):
    from narrascope.analyzers.techniques import load_hashed, load_si_context

    if load_hashed("techniques_si") is None or load_si_context() is None:
        pytest.skip("no techniques_si weights")
    arts = tmp_path / "arts"
    arts.mkdir()
    texts = {"7": "Traitors everywhere\n\nThese corrupt, lying traitors are destroying our great nation, and the "
                  "spineless media applauds their disgusting betrayal.\n",
             "8": "Council meets\n\nThe council met on Tuesday to discuss the budget for next year.\n"}
    for aid, text in texts.items():
        _write(arts / f"article{aid}.txt", text)
    out = tmp_path / "si.txt"
    B.predict_si(arts, out)
    rows = [ln.split("\t") for ln in out.read_text(encoding="utf-8").splitlines()]
    assert rows and {r[0] for r in rows} <= set(texts)
    for aid, s, e in rows:
        assert 0 <= int(s) < int(e) <= len(texts[aid])
    # the loaded language is found; the plain report is left alone
    found = " ".join(texts[aid][int(s):int(e)] for aid, s, e in rows if aid == "7")
    assert any(w in found for w in ("corrupt", "lying", "traitors", "spineless", "disgusting"))
    assert not [r for r in rows if r[0] == "8"]
