"""The CheckThat! 2024 Task 1 benchmark task: formats, the official metric, the pinned floor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from narrascope.bench import checkthat
from narrascope.errors import DataError

ROOT = Path(__file__).resolve().parent.parent


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_bench_checkthat_score_tiny_hand_computed(tmp_path):
    gold = _write(tmp_path / "gold.tsv", "Sentence_id\tText\tclass_label\n"
                  "1\tTaxes rose 5%.\tYes\n2\tHello.\tNo\n3\tCrime fell.\tYes\n4\tI agree.\tNo\n5\tGDP grew.\tYes\n")
    # TP = 1 (1), FP = 1 (2), FN = 2 (3, 5 missing) -> P 1/2, R 1/3, F1 0.4
    pred = _write(tmp_path / "pred.tsv", "1\tYes\n2\tYes\n3\tNo\n4\tNo\n99\tYes\n")
    res = checkthat.score(gold, pred)
    assert res["precision_yes"] == pytest.approx(0.5)
    assert res["recall_yes"] == pytest.approx(1 / 3)
    assert res["f1_yes"] == pytest.approx(0.4)
    assert res["accuracy"] == pytest.approx(2 / 5)
    assert res["n"] == 5


def test_bench_checkthat_reads_quotes_glued_lines_and_header(tmp_path):
    path = _write(tmp_path / "in.tsv", 'Sentence_id\tText\tclass_label\r\n'
                  '7\t"She said ""no"" twice."\tNo\r\n8\tAn "unbalanced quote.\tYes\r\n9\tFirst.\tNo10\tSecond.\tYes\r\n')
    rows = checkthat.read_sentences(path)
    assert rows == [("7", 'She said "no" twice.', "No"), ("8", 'An "unbalanced quote.', "Yes"),
                    ("9", "First.", "No"), ("10", "Second.", "Yes")]
    with pytest.raises(DataError):
        checkthat.read_sentences(_write(tmp_path / "bad.tsv", "1\tText\tMaybe\n"))


def test_bench_checkthat_predict_writes_official_format(tmp_path):
    src = _write(tmp_path / "s.tsv", "Sentence_id\tText\n"
                 "11\tThe deficit doubled to $1.4 trillion in 2009 under President Obama.\n"
                 "12\tThank you very much, it's great to be here.\n")
    out = tmp_path / "out" / "pred.tsv"
    assert checkthat.predict(sentences=src, out=out) == 2
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines == ["Sentence_id\tclass_label", "11\tYes", "12\tNo"]
    assert checkthat.read_predictions(out) == {"11": "Yes", "12": "No"}


@pytest.mark.data
@pytest.mark.parametrize("split", ["dev", "dev-test"])
def test_bench_checkthat_floor_on_held_out_split(data_dir, tmp_path, split):
    gold = data_dir / "checkthat2024-task1-en" / f"CT24_checkworthy_english_{split}.tsv"
    if not gold.exists():
        pytest.skip(f"CheckThat! {split} is absent")
    assert checkthat.predict(sentences=gold, out=tmp_path / "pred.tsv") > 300
    res = checkthat.score(gold, tmp_path / "pred.tsv")
    floors = json.loads((ROOT / "benchmarks" / "floors.json").read_text(encoding="utf-8"))["checkthat2024"]
    assert res["f1_yes"] >= floors[f"f1_yes_{split.replace('-', '_')}"]
