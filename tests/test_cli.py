"""The command line: typed one-line errors, batches that survive bad lines, and the reports."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLE

CLI = Path(sys.executable).with_name("narrascope")


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CLI), *args], capture_output=True, text=True, input=stdin, timeout=120)


def assert_one_line_error(proc: subprocess.CompletedProcess[str], code: str) -> None:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert any(f"error[{code}]" in line and "hint:" in line for line in lines), proc.stderr
    assert len(lines) <= 2, proc.stderr


def test_cli_empty_file(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_text("   \n")
    assert_one_line_error(run("analyze", str(p)), "E101")


def test_cli_binary_file(tmp_path):
    p = tmp_path / "blob.bin"
    p.write_bytes(bytes(range(256)) * 64)
    assert_one_line_error(run("analyze", str(p)), "E102")


def test_cli_fifty_megabyte_text(tmp_path):
    p = tmp_path / "huge.txt"
    with p.open("w") as fh:
        line = "The council met again and talked about the budget for a long time.\n"
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            fh.write(line)
    assert_one_line_error(run("analyze", str(p)), "E103")


def test_cli_invalid_utf8(tmp_path):
    p = tmp_path / "latin1.txt"
    p.write_bytes("Caf\xe9 owners said prices would rise.".encode("latin-1"))
    assert_one_line_error(run("analyze", str(p)), "E104")


def test_cli_html_without_article(tmp_path):
    p = tmp_path / "empty.html"
    p.write_text("<html><head><title>x</title></head><body><nav><a href='/'>Home</a></nav></body></html>")
    assert_one_line_error(run("analyze", str(p)), "E105")


def test_cli_missing_file():
    assert_one_line_error(run("analyze", "no/such/file.txt"), "E108")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_cli_unreachable_url():
    proc = run("analyze", f"http://127.0.0.1:{_closed_port()}/story", "--allow-private")
    assert_one_line_error(proc, "E201")


def test_cli_loopback_url_refused_without_allow_private():
    assert_one_line_error(run("analyze", "http://127.0.0.1/story"), "E202")


def test_cli_jsonl_batch_reports_bad_lines_and_analyses_the_rest(tmp_path):
    p = tmp_path / "batch.jsonl"
    good = {"id": "a1", "text": "The mayor said the bridge would reopen in May 2024, according to the city."}
    lines = [json.dumps(good), "{not json", json.dumps({"id": "a3", "headline": "no text"}),
             json.dumps({"id": "a4", "text": "Officials have reportedly denied the claims."})]
    p.write_text("\n".join(lines) + "\n")
    proc = run("analyze", str(p), "--json")
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    ids = [o["id"] for o in out if "text" in o]
    assert ids == ["a1", "a4"]
    errors = [o["error"] for o in out if "error" in o]
    assert len(errors) == 2 and all(e["code"] == "E106" for e in errors)
    assert proc.stderr.count("E106") == 2


def test_cli_script_renders_as_text_in_html(tmp_path):
    src = tmp_path / "xss.txt"
    src.write_text("Alert <script>alert('x')</script> Headline\n\n"
                   "The minister said <script>alert(1)</script> was a test, according to aides.\n")
    out = tmp_path / "xss.html"
    proc = run("analyze", str(src), "--html", str(out))
    assert proc.returncode == 0, proc.stderr
    page = out.read_text()
    assert "<script>alert" not in page
    visible = re.sub(r"<[^>]+>", "", page)  # the text is split into highlight segments
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in visible


def test_cli_example_terminal_report_has_summary_first():
    proc = run("analyze", str(EXAMPLE))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Helen Ortiz" in out
    assert "not reported" in out.lower() or "not_reported" in out.lower()


def test_cli_stdin_and_headline_override():
    proc = run("analyze", "-", "--json", "--headline", "Mayor promises tax cuts",
               stdin="The mayor said the bridge would reopen next year.\n")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["title"] == "Mayor promises tax cuts"
    assert any(c["verdict"] == "not_reported" for c in data["headline_check"])


def test_cli_analyzers_lists_requirements():
    proc = run("analyzers")
    assert proc.returncode == 0
    assert "entities" in proc.stdout and "requires sentences" in proc.stdout
    lines = {line.split()[0]: line for line in proc.stdout.splitlines()}
    assert "reads en." in lines["attribution"] and "reads en, ru, bg, pt, hi." in lines["narratives"]


@pytest.mark.parametrize("args", [["analyze", "--analyzers", "entities"], ["analyze", "--analyzers", "nope"]])
def test_cli_bad_analyzer_list(args, tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Some text here.")
    assert_one_line_error(run(*args, str(p)), "E301")


def test_cli_russian_article_gets_the_layers_that_read_russian(tmp_path):
    from test_pipeline import RUSSIAN_ARTICLE

    path = tmp_path / "ru.txt"
    path.write_text(RUSSIAN_ARTICLE, encoding="utf-8")
    proc = run("analyze", str(path), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["language"] == "ru"
    assert data["narratives"] and data["frames"] and data["genre"]["label"] in ("opinion", "reporting", "satire")
    assert data["statements"] is None and data["entities"] and data["roles"] is not None
    assert "'ru' is not read by attribution, hedging" in proc.stderr  # says what was left out
    path.write_text("Болницата ще открие ново детско отделение догодина, каза директорът.", encoding="utf-8")
    proc = run("analyze", str(path), "--analyzers", "main", "--language", "bg")
    assert_one_line_error(proc, "E107")  # no layer of the main job reads Bulgarian
