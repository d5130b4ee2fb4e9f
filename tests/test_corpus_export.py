"""Export of view rows: CSV, JSONL and Parquet round trips."""

from __future__ import annotations

import pytest

from narrascope.corpus.export import ExportError, read, write

ROWS = [
    {"outlet": "Alpha", "documents": 3, "share": 0.5, "outlets": ["Alpha", "Beta"], "first_date": "2024-05-01"},
    {"outlet": "Beta", "documents": 1, "share": 1.0, "outlets": ["Beta"], "first_date": None},
]


def test_corpus_export_jsonl_roundtrip(tmp_path):
    assert read(write(ROWS, tmp_path / "v.jsonl", "jsonl"), "jsonl") == ROWS


def test_corpus_export_parquet_roundtrip(tmp_path):
    pytest.importorskip("pyarrow")
    assert read(write(ROWS, tmp_path / "v.parquet", "parquet"), "parquet") == ROWS


def test_corpus_export_csv_roundtrip(tmp_path):
    import json

    back = read(write(ROWS, tmp_path / "v.csv", "csv"), "csv")
    assert [r["outlet"] for r in back] == ["Alpha", "Beta"]
    assert [int(r["documents"]) for r in back] == [3, 1] and float(back[0]["share"]) == 0.5
    assert json.loads(back[0]["outlets"]) == ["Alpha", "Beta"] and back[1]["first_date"] == ""


def test_corpus_export_unknown_format(tmp_path):
    with pytest.raises(ExportError):
        write(ROWS, tmp_path / "v.xlsx", "xlsx")
