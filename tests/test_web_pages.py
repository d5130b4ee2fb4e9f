"""The server-rendered pages: dashboard, documents, article, search, views — and their escaping."""

from __future__ import annotations

import re
import warnings

import pytest

from api_docs import DOCS, EVIL, fill
from narrascope.api import create_app
from narrascope.corpus.views import VIEWS

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette asks for httpx2 (a UserWarning)
    from fastapi.testclient import TestClient



@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    url = fill(tmp_path_factory.mktemp("web") / "corpus.db")
    with TestClient(create_app(url, token="tok")) as c:  # the token guards /api only
        yield c


def assert_escaped(html: str) -> None:
    assert EVIL not in html
    assert "<script>alert" not in html


def test_web_dashboard_has_charts_data_and_heat_table(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    assert 'id="narratives-chart" data-chart="narratives-data"' in html
    assert '<script type="application/json" id="narratives-data">' in html
    assert "Economy: taxes hurt families" in html
    assert re.search(r'<table class="heat" aria-label="outlets × techniques">', html)
    assert html.count('<td class="heat num"') >= 4
    assert '<link rel="alternate" type="application/json" href="/api/stats">' in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")  # nothing fetched from elsewhere
    assert_escaped(html)
    assert "Outlet &lt;script&gt;" in html
    assert '"use strict";' in html and "&#34;" not in html.split("<script>")[-1]  # the JS is verbatim


def test_web_article_page_highlights_the_text(client: TestClient) -> None:
    doc = DOCS[0]
    html = client.get(f"/documents/{doc.id}").text
    assert '<span class="hl source" data-source="S1"' in html
    assert 'class="hl cue"' in html and "hl content" in html
    assert 'class="hl marker distancing' in html
    assert 'id="layer-source" checked' in html  # the layer toggles of the report
    assert "#layer-source:checked ~ .article .hl.source{background:#c5dcff}" in html
    assert "Loaded_Language" in html and "Economy: taxes hurt families" in html
    assert f'href="/api/documents/{doc.id}"' in html


def test_web_article_page_escapes_article_strings(client: TestClient) -> None:
    html = client.get(f"/documents/{DOCS[-1].id}").text
    assert_escaped(html)
    assert "Evil headline &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    report = client.get(f"/documents/{DOCS[-1].id}/report").text
    assert_escaped(report)


def test_web_documents_search_and_view_pages(client: TestClient) -> None:
    listing = client.get("/documents").text
    assert all(f"/documents/{d.id}" in listing for d in DOCS)
    assert_escaped(listing)
    found = client.get("/search", params={"q": "minister"}).text
    assert "/documents/doc001" in found
    evil = client.get("/search", params={"q": EVIL}).text
    assert_escaped(evil)
    for name in VIEWS:
        r = client.get(f"/views/{name}", params={"q": "minister"} if name == "search" else {})
        assert r.status_code == 200, name
        assert f'href="/api/views/{name}"' in r.text
        assert_escaped(r.text)


def test_web_missing_page_is_html_for_browsers_json_otherwise(client: TestClient) -> None:
    r = client.get("/documents/nope", headers={"accept": "text/html"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "E703" in r.text
    assert client.get("/documents/nope").json()["error"]["code"] == "E703"


def test_web_pages_allow_only_their_own_scripts(client: TestClient) -> None:
    for path in ("/", f"/documents/{DOCS[0].id}", f"/documents/{DOCS[0].id}/report", "/search?q=x"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'sha256-" in csp, path
        assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";")[0]
        assert r.headers["x-content-type-options"] == "nosniff"


def test_web_document_ids_with_slashes(tmp_path) -> None:
    from narrascope.storage import open_store

    doc = DOCS[0].model_copy(update={"id": "feed/2024/a b"})
    with open_store(str(tmp_path / "c.db")) as store:
        store.add(doc)
    with TestClient(create_app(str(tmp_path / "c.db"))) as c:
        assert c.get("/api/documents/feed%2F2024%2Fa%20b").json()["id"] == doc.id
        assert c.get("/documents/feed/2024/a%20b").status_code == 200
        assert c.get("/documents/feed/2024/a%20b/report").status_code == 200
        listing = c.get("/documents").text
        assert "/documents/feed/2024/a%20b" in listing
