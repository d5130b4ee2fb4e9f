"""Ingest into a store: kill -9 and resume, idempotence, near-duplicates, failures, engines."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus_stores import store  # noqa: F401 - the parametrized fixture
from narrascope.corpus import ingest as ingest_mod
from narrascope.corpus.ingest import ingest
from narrascope.errors import PipelineError
from narrascope.storage import open_store

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("harbour ferry council budget school river bridge minister election market farmer price "
         "storm flood museum library train station doctor hospital nurse teacher student police "
         "court judge mayor village city road tunnel airport pilot engine factory worker union "
         "strike wage tax bank loan house rent garden forest lake mountain coast island festival "
         "concert artist painter writer novel film cinema theatre stadium match player coach").split()


def article(i: int, rng: random.Random, words: int = 70) -> dict[str, str]:
    body = " ".join(rng.choice(WORDS) for _ in range(words))
    return {"text": f"Report number {i}\n\n{body.capitalize()}.", "outlet": f"Outlet {i % 7}",
            "published": f"2024-05-{1 + i % 28:02d}"}


def write_corpus(path: Path, n: int = 300) -> dict[str, int]:
    """n distinct articles, 3 exact copies, 3 near-duplicates and one bad line."""
    rng = random.Random(5)
    records = [article(i, rng) for i in range(n)]
    exact = [dict(records[i]) for i in (10, 20, 30)]
    near = []
    for i in (40, 50, 60):
        r = dict(records[i])
        head, body = r["text"].split("\n\n", 1)
        r["text"] = f"Syndicated: {head}\n\n{body} Reporting by Wire."
        r["outlet"] = "Wire Service"
        near.append(r)
    lines = [json.dumps(r) for r in records[:150] + exact + near + records[150:]]
    lines.insert(100, "{not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"documents": n + len(near), "duplicates": len(near), "failed": 1}


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "narrascope.cli.corpus", *args]


def test_corpus_ingest_kill9_and_rerun_stores_each_once(store, tmp_path):  # noqa: F811
    src = tmp_path / "articles.jsonl"
    expected = write_corpus(src)
    url = store.url
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = cli("ingest", str(src), "--db", url, "--analyzers", "sentences", "--no-progress")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while store.count() < 40 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    killed_at = store.count()
    assert 0 < killed_at < expected["documents"], "the run was not killed part-way"

    rerun = subprocess.run(cmd + ["--json"], env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 3, rerun.stderr  # finished, with the one bad line failed
    summary = json.loads(rerun.stdout.strip().splitlines()[-1])
    assert summary["stored"] == expected["documents"] - killed_at
    out = subprocess.run(cli("corpus", "stats", "--db", url, "--json"), env=env, capture_output=True,
                         text=True, timeout=120)
    stats = json.loads(out.stdout)
    assert {k: stats[k] for k in expected} == expected
    # every stored document is whole: its bands and full-text entry were committed with it
    n = stats["documents"]
    assert store.query("SELECT COUNT(*) AS n FROM dup_bands")[0]["n"] == 16 * n
    assert store.query("SELECT COUNT(DISTINCT id) AS n FROM documents")[0]["n"] == n
    assert len(store.search("report")) == 20


def test_corpus_ingest_rerun_analyses_nothing(tmp_path, monkeypatch):
    src = tmp_path / "a.jsonl"
    rng = random.Random(1)
    src.write_text("\n".join(json.dumps(article(i, rng)) for i in range(5)) + "\n", encoding="utf-8")
    analysed: list[str] = []

    def fake_engine(name):  # type: ignore[no-untyped-def]
        def run(docs, analyzers, workers):  # type: ignore[no-untyped-def]
            for d in docs:
                analysed.append(d.id)
                yield d
        return run

    monkeypatch.setattr(ingest_mod, "engine_run", fake_engine)
    with open_store(str(tmp_path / "c.db")) as s:
        first = ingest([str(src)], s, analyzers=["sentences"], progress=False)
        assert (first.stored, first.skipped_existing, len(analysed)) == (5, 0, 5)
        second = ingest([str(src), str(src)], s, analyzers=["sentences"], progress=False)
        assert (second.stored, second.skipped_existing, len(analysed)) == (0, 10, 5)


def test_corpus_ingest_folder_of_files(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("Bridge opens\n\nThe minister said the bridge will open in May.", encoding="utf-8")
    (folder / "sub" / "b.html").write_text(
        "<html><head><title>Budget vote</title></head><body><article><h1>Budget vote</h1><p>The council "
        "approved the budget on Tuesday after a long debate about schools and roads.</p></article></body></html>",
        encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "notes.bin").write_bytes(b"\x00\x01")  # not a loadable kind: passed over
    with open_store(str(tmp_path / "c.db")) as s:
        summary = ingest([str(folder)], s, analyzers=["sentences"], progress=False)
        assert summary.stored == 2 and [f[1] for f in summary.failed] == ["E101"]
        assert s.stats()["failed"] == 1


def test_corpus_ingest_dask_engine_missing_is_typed(monkeypatch, tmp_path):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "narrascope.engines.dask" else real(name, *a))
    with open_store(str(tmp_path / "c.db")) as s, pytest.raises(PipelineError) as info:
        ingest([], s, analyzers=["sentences"], engine="dask", progress=False)
    assert "pip install" in info.value.hint
    with open_store(str(tmp_path / "c.db")) as s, pytest.raises(PipelineError):
        ingest([], s, analyzers=["sentences"], engine="ray", progress=False)


def test_corpus_cli_view_and_search(tmp_path):
    from typer.testing import CliRunner

    from narrascope.cli.corpus import _standalone

    db = str(tmp_path / "c.db")
    src = tmp_path / "a.jsonl"
    rng = random.Random(2)
    src.write_text("\n".join(json.dumps(article(i, rng)) for i in range(3)) + "\n", encoding="utf-8")
    runner = CliRunner()
    app = _standalone()
    r = runner.invoke(app, ["ingest", str(src), "--db", db, "--analyzers", "sentences", "--no-progress"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["corpus", "stats", "--db", db, "--json"])
    assert json.loads(r.output)["documents"] == 3
    r = runner.invoke(app, ["corpus", "search", "report", "--db", db, "--format", "json"])
    assert len(json.loads(r.output)) == 3
    out = tmp_path / "v.csv"
    r = runner.invoke(app, ["corpus", "view", "source_types_by_outlet", "--db", db, "--out", str(out), "--format", "csv"])
    assert r.exit_code == 0 and out.exists()
    r = runner.invoke(app, ["corpus", "view", "nope", "--db", db])
    assert r.exit_code == 2
    r = runner.invoke(app, ["corpus", "stats", "--db", "mysql://x/y"])
    assert r.exit_code == 2
