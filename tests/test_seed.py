"""The canonical example: what `narrascope analyze SEED --json` and `--html` must report."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEED

CLI = Path(sys.executable).with_name("narrascope")

pytestmark = pytest.mark.seed


@pytest.fixture(scope="module")
def seed_json(tmp_path_factory) -> tuple[dict, str]:
    if not SEED.exists():
        pytest.skip("../shared/seed is absent")
    html_path = tmp_path_factory.mktemp("seed") / "seed.html"
    proc = subprocess.run(
        [str(CLI), "analyze", str(SEED), "--json", "--html", str(html_path)],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout), html_path.read_text(encoding="utf-8")


def _by_source(data: dict, needle: str) -> list[dict]:
    return [s for s in data["statements"] if needle.lower() in s["source"]["text"].lower()]


def test_seed_putin_statements(seed_json):
    data, _ = seed_json
    putin = [s for s in data["statements"]
             if s["source"]["type"] == "person" and s["source"]["entity"] == "Vladimir Putin"]
    assert len(putin) >= 4
    contents = " ".join(s["content"]["text"] + " " + (s["cue"] or {}).get("text", "") for s in putin)
    assert "ceasefire" in contents
    assert "defense" in contents


def test_seed_officials_reports_media_and_sceptics(seed_json):
    data, _ = seed_json
    assert any(s["source"]["type"] == "official" for s in _by_source(data, "officials from both nations"))
    chinese = _by_source(data, "Chinese officials")
    assert any(s["source"]["type"] == "official" for s in chinese)
    assert any("new horizons" in s["content"]["text"] for s in chinese)
    assert any(s["source"]["type"] == "vague" for s in _by_source(data, "reports"))
    assert any(s["source"]["type"] == "vague" for s in _by_source(data, "analysts"))
    assert any(s["source"]["type"] == "media" for s in _by_source(data, "state media"))
    sceptics = _by_source(data, "Western governments") + _by_source(data, "Ukrainian officials")
    assert sceptics


def _distanced(data: dict, marker: str) -> list[dict]:
    return [s for s in data["statements"] if any(marker in d["text"] for d in s["distancing"])]


def test_seed_distancing_attached_to_the_statements_it_governs(seed_json):
    data, _ = seed_json
    alleged = _distanced(data, "allegedly")
    assert alleged and all("allegedly" in s["content"]["text"] for s in alleged)
    assert any("reports" in s["source"]["text"].lower() for s in alleged)
    corroborated = _distanced(data, "not officially corroborated")
    assert corroborated
    assert any("analysts" in s["source"]["text"] for s in corroborated)


def test_seed_author_voice_headline_and_timeline(seed_json):
    data, _ = seed_json
    assert any("not merely symbolic" in a["text"] for a in data["assertions"])
    directives = [c for c in data["headline_check"] if "irective" in c["claim"]]
    assert directives and directives[0]["verdict"] == "not_reported"
    dates = {e["date"][:4] for e in data["timeline"]}
    assert {"2014", "2022"} <= dates


def test_seed_html_shows_every_layer(seed_json):
    data, page = seed_json
    for layer in ("source", "cue", "content", "marker", "assertion", "date"):
        assert re.search(rf'class="hl[^"]*\b{layer}\b', page), layer
    for s in data["statements"]:
        assert f'data-statement="{s["id"]}"' in page
    visible = html.unescape(re.sub(r"<[^>]+>", "", page))
    for s in data["statements"]:
        assert s["source"]["text"] in visible and s["content"]["text"] in visible
    assert "NOT REPORTED" in visible and "allegedly" in visible
    assert "2014" in visible and "2022" in visible
