"""Headless Chromium renders the served pages: the dashboard's JS-drawn SVG chart and heat table,
and the article page's highlights, in the DOM after scripts ran."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from api_docs import DOCS, EVIL, fill, live_server
from narrascope.api import create_app

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.network,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is absent"),
]


def dump_dom(url: str) -> str:
    profile = tempfile.mkdtemp(prefix="narrascope-chromium-")
    try:
        out = subprocess.run(
            [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--virtual-time-budget=3000",
             "--dump-dom", url],
            capture_output=True, text=True, timeout=90, check=False,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = fill(tmp_path_factory.mktemp("browser") / "corpus.db")
    with live_server(create_app(url)) as base_url:
        yield base_url


def test_web_browser_dashboard_draws_charts(base: str) -> None:
    dom = dump_dom(base + "/")
    chart = dom[dom.index('id="narratives-chart"'):]
    assert '<svg viewBox="0 0 720 280" class="chart line-chart"' in chart  # drawn by the inline JS
    assert chart.count('<g class="series"') >= 2
    assert "<path" in chart and "<circle" in chart
    assert 'data-series="Economy: taxes hurt families"' in chart
    assert dom.count('<td class="heat num"') >= 4
    assert EVIL not in dom


def test_web_browser_article_page_highlights(base: str) -> None:
    dom = dump_dom(f"{base}/documents/{DOCS[0].id}")
    assert '<span class="hl source" data-source="S1"' in dom
    assert 'class="hl marker distancing' in dom
    assert 'class="hl content"' in dom or 'class="hl content ' in dom
    evil = dump_dom(f"{base}/documents/{DOCS[-1].id}")
    assert EVIL not in evil and "&lt;script&gt;alert" in evil
