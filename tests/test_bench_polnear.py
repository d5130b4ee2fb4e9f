"""The PolNeAR benchmark task: scoring on hand-written brat files, and the pinned quality floor."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from narrascope.bench import polnear
from narrascope.errors import DataError

ROOT = Path(__file__).resolve().parent.parent

TEXT = "Ann said that the vote was close. Bob wrote the plan."


def _write(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{ln}\n" for ln in lines), encoding="utf-8")


def test_bench_polnear_score_tiny(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "a.txt").write_text(TEXT, encoding="utf-8")
    gold = [
        "T1\tSource 0 3\tAnn",
        "T2\tCue 4 8\tsaid",
        "T3\tContent 9 32\tthat the vote was close",
        "T4\tAttribution 4 8\tsaid",
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        "T5\tSource 34 37\tBob",
        "T6\tCue 38 43\twrote",
        "T7\tContent 44 52\tthe plan",
        "T8\tAttribution 38 43\twrote",
        "E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5",
    ]
    _write(tmp_path / "gold" / "a_0001.ann", gold)
    _write(tmp_path / "gold" / "a_0002.ann", ["T1\tSource 0 1\tA"])  # a second annotator: ignored
    pred = [
        'T1\tSource 0 4\tAnn ',  # trailing space is trimmed away
        "T2\tCue 4 8\tsaid",
        "T3\tContent 14 32\tthe vote was close",
        "T4\tAttribution 4 8\tsaid",
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        "T5\tSource 9 13\tthat",
        "T6\tCue 38 43\twrote",
        "T7\tContent 44 52\tthe plan",
        "T8\tAttribution 38 43\twrote",
        "E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5",
    ]
    _write(tmp_path / "pred" / "a.ann", pred)
    res = polnear.score(tmp_path / "gold", tmp_path / "pred")
    assert res["files"] == 1
    assert res["source"]["precision"] == pytest.approx(0.5)
    assert res["source"]["recall"] == pytest.approx(0.5)
    # gold content tokens: that the vote was close the plan (7); predicted: 6, all inside gold
    assert res["content"]["precision"] == pytest.approx(1.0)
    assert res["content"]["recall"] == pytest.approx(6 / 7)
    assert res["cue_f1"] == pytest.approx(1.0)


def test_bench_polnear_missing_prediction_counts_as_empty(tmp_path):
    _write(tmp_path / "gold" / "a_0001.ann", ["T1\tSource 0 3\tAnn", "T2\tCue 4 8\tsaid",
                                              "T3\tContent 9 12\tthat", "E1\tContent:T3 Cue:T2 Source:T1"])
    (tmp_path / "pred").mkdir()
    res = polnear.score(tmp_path / "gold", tmp_path / "pred")
    assert res["source_f1"] == 0.0 and res["source"]["gold"] == 1


def test_bench_polnear_missing_folders_raise_data_error(tmp_path):
    with pytest.raises(DataError):
        polnear.score(tmp_path / "nope", tmp_path)
    with pytest.raises(DataError):
        polnear.predict(tmp_path / "nope", tmp_path / "out")


def test_bench_polnear_predict_writes_brat(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "x.txt").write_bytes(b"Title\r\n\r\nThe mayor said that taxes would rise.\r\n")
    assert polnear.predict(tmp_path / "text", tmp_path / "out") == 1
    lines = (tmp_path / "out" / "x.ann").read_text(encoding="utf-8").splitlines()
    text = (tmp_path / "text" / "x.txt").read_bytes().decode()
    spans = [ln.split("\t") for ln in lines if ln.startswith("T")]
    assert {s[1].split()[0] for s in spans} == {"Source", "Cue", "Content", "Attribution"}
    for _, mid, txt in spans:
        _, a, b = mid.split()
        assert text[int(a) : int(b)] == txt
    assert any(ln.startswith("E1\tAttribution:") and "Source:" in ln for ln in lines)


def test_bench_polnear_cli_unknown_task(tmp_path):
    from typer.testing import CliRunner

    from narrascope.cli.bench import bench_app

    res = CliRunner().invoke(bench_app, ["score", "nosuchtask", "--gold", str(tmp_path), "--pred", str(tmp_path)])
    assert res.exit_code == 2
    assert "polnear" in res.output


@pytest.mark.data
def test_bench_polnear_floor_on_dev(data_dir, tmp_path):
    dev = data_dir / "polnear" / "dev"
    if not dev.is_dir():
        pytest.skip("PolNeAR dev is absent")
    texts = tmp_path / "text"
    texts.mkdir()
    for p in sorted((dev / "text").glob("*.txt"))[:40]:
        shutil.copy(p, texts / p.name)
    assert polnear.predict(texts, tmp_path / "pred") == 40
    res = polnear.score(dev / "attributions", tmp_path / "pred", texts, only={p.stem for p in texts.glob("*.txt")})
    floors = json.loads((ROOT / "benchmarks" / "floors.json").read_text(encoding="utf-8"))["polnear"]
    assert res["source_f1"] >= floors["source_f1"]
    assert res["content_f1"] >= floors["content_f1"]
