"""The FNC-1 benchmark task: the official score, CSV formats and order, the pinned floor."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from narrascope.bench import fnc1
from narrascope.errors import DataError

ROOT = Path(__file__).resolve().parent.parent


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def test_bench_fnc1_score_tiny_hand_computed(tmp_path):
    head = ["Headline", "Body ID", "Stance"]
    gold = _csv(tmp_path / "gold.csv", [head, ["a", "1", "agree"], ["b", "1", "disagree"], ["c", "2", "unrelated"],
                                        ["d", "2", "discuss"], ["e", "3", "unrelated"]])
    pred = _csv(tmp_path / "pred.csv", [head, ["a", "1", "agree"], ["b", "1", "discuss"], ["c", "2", "unrelated"],
                                        ["d", "2", "unrelated"], ["e", "3", "agree"]])
    res = fnc1.score(gold, pred)
    # 1.0 (agree right) + 0.25 (related, wrong class) + 0.25 (unrelated right) + 0 + 0 = 1.5 of 3.5
    assert res["fnc_score"] == pytest.approx(1.5)
    assert res["max_score"] == pytest.approx(3.5)
    assert res["relative_score"] == pytest.approx(1.5 / 3.5)
    assert res["f1_agree"] == pytest.approx(2 / 3)
    assert res["f1_unrelated"] == pytest.approx(0.5)
    assert res["f1_disagree"] == 0.0 and res["f1_discuss"] == 0.0
    assert res["macro_f1"] == pytest.approx((2 / 3 + 0.5) / 4)


def test_bench_fnc1_score_rejects_misaligned_files(tmp_path):
    head = ["Headline", "Body ID", "Stance"]
    gold = _csv(tmp_path / "gold.csv", [head, ["a", "1", "agree"], ["b", "2", "unrelated"]])
    with pytest.raises(DataError):
        fnc1.score(gold, _csv(tmp_path / "short.csv", [head, ["a", "1", "agree"]]))
    with pytest.raises(DataError):
        fnc1.score(gold, _csv(tmp_path / "swap.csv", [head, ["b", "2", "unrelated"], ["a", "1", "agree"]]))
    with pytest.raises(DataError):
        fnc1.score(gold, _csv(tmp_path / "lab.csv", [head, ["a", "1", "agreed"], ["b", "2", "unrelated"]]))


def test_bench_fnc1_predict_keeps_order_and_quoting(tmp_path):
    bodies = _csv(tmp_path / "bodies.csv", [
        ["Body ID", "articleBody"],
        ["7", "Apple has agreed to buy Tesla for $75 billion, the companies said.\n\nThe deal was confirmed on Monday."],
        ["3", "Heavy rain flooded villages in western Kenya, killing twelve people.\nRescuers used boats."],
    ])
    heads = ['Apple to buy Tesla, "sources" say', "Floods kill 12 in Kenya", "Apple buys Tesla for $75 billion"]
    stances = _csv(tmp_path / "stances.csv", [["Headline", "Body ID"], [heads[0], "7"], [heads[1], "7"], [heads[2], "3"]])
    out = tmp_path / "pred.csv"
    assert fnc1.predict(bodies=bodies, stances=stances, out=out) == 3
    raw = out.read_text(encoding="utf-8")
    assert raw.splitlines()[0] == "Headline,Body ID,Stance"
    assert raw.splitlines()[1].startswith('"Apple to buy Tesla, ""sources"" say",7,')
    rows = fnc1.read_stances(out)
    assert [(h, b) for h, b, _ in rows] == [(heads[0], "7"), (heads[1], "7"), (heads[2], "3")]
    labels = [s for _, _, s in rows]
    assert all(s in fnc1.LABELS for s in labels)
    assert labels[0] != "unrelated" and labels[1] == "unrelated" and labels[2] == "unrelated"


def test_bench_fnc1_predict_unknown_body_is_data_error(tmp_path):
    bodies = _csv(tmp_path / "bodies.csv", [["Body ID", "articleBody"], ["1", "Text."]])
    stances = _csv(tmp_path / "stances.csv", [["Headline", "Body ID"], ["A headline", "2"]])
    with pytest.raises(DataError):
        fnc1.predict(bodies=bodies, stances=stances, out=tmp_path / "out.csv")


@pytest.mark.data
def test_bench_fnc1_floor_on_held_out_bodies(data_dir, tmp_path):
    from narrascope.training.stance import holdout_bodies

    root = data_dir / "fnc-1"
    if not (root / "train_stances.csv").exists():
        pytest.skip("FNC-1 is absent")
    texts = fnc1.read_bodies(root / "train_bodies.csv")
    held = holdout_bodies(sorted(texts))  # never seen in training (CV or the shipped model)
    rows = [r for r in fnc1.read_stances(root / "train_stances.csv") if r[1] in held]
    bodies = _csv(tmp_path / "bodies.csv", [["Body ID", "articleBody"], *([b, texts[b]] for b in sorted(held))])
    gold = _csv(tmp_path / "gold.csv", [["Headline", "Body ID", "Stance"], *([h, b, s or ""] for h, b, s in rows)])
    stances = _csv(tmp_path / "stances.csv", [["Headline", "Body ID"], *([h, b] for h, b, _ in rows)])
    assert fnc1.predict(bodies=bodies, stances=stances, out=tmp_path / "pred.csv") == len(rows)
    res = fnc1.score(gold, tmp_path / "pred.csv")
    floors = json.loads((ROOT / "benchmarks" / "floors.json").read_text(encoding="utf-8"))["fnc1"]
    assert res["relative_score"] >= floors["relative_score"]
    assert res["macro_f1"] >= floors["macro_f1"]
