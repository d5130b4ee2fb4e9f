"""The JSON API over a real SQLite store of hand-made documents: routes, error shape, auth, limits."""

from __future__ import annotations

import asyncio
import json
import socket
import warnings
from typing import Any

import pytest

from api_docs import DOCS, fill, live_server

with warnings.catch_warnings():  # starlette's TestClient warns about httpx at import
    warnings.simplefilter("ignore")  # starlette asks for httpx2 (a UserWarning)
    from fastapi.testclient import TestClient

from narrascope.api import create_app
from narrascope.corpus.views import VIEWS
from narrascope.model import from_dict

ERROR_KEYS = {"code", "type", "message", "hint"}


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return fill(tmp_path_factory.mktemp("api") / "corpus.db")


@pytest.fixture(scope="module")
def client(store_url: str) -> TestClient:
    with TestClient(create_app(store_url)) as c:
        yield c


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, str]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == ERROR_KEYS
    assert all(isinstance(v, str) and v for v in body["error"].values())
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def test_api_documents_list(client: TestClient) -> None:
    r = client.get("/api/documents", params={"limit": 2})
    assert r.status_code == 200
    data = r.json()
    assert data["total"] == len(DOCS)
    assert len(data["items"]) == 2
    assert {"id", "headline", "outlet", "published", "counts"} <= set(data["items"][0])
    only = client.get("/api/documents", params={"outlet": "Daily A"}).json()["items"]
    assert {d["outlet"] for d in only} == {"Daily A"}


def test_api_document_is_the_document_json(client: TestClient) -> None:
    r = client.get(f"/api/documents/{DOCS[0].id}")
    assert r.status_code == 200
    assert from_dict(r.json()) == DOCS[0]


def test_api_document_404_shape(client: TestClient) -> None:
    err = assert_error(client.get("/api/documents/nope"), 404, "E703")
    assert "nope" in err["message"]
    assert_error(client.get("/api/no/such/route"), 404, "E703")
    assert_error(client.delete("/api/documents/doc001"), 405, "E704")


def test_api_validation_422_shape(client: TestClient) -> None:
    err = assert_error(client.get("/api/documents", params={"limit": 0}), 422, "E701")
    assert "limit" in err["message"]
    assert_error(client.post("/api/analyze", json={"nottext": 1}), 422, "E701")
    assert_error(client.post("/api/analyze", content=b"{not json", headers={"content-type": "application/json"}),
                 422, "E701")


@pytest.mark.parametrize("name", list(VIEWS))
def test_api_views_every_view_answers_json(client: TestClient, name: str) -> None:
    r = client.get(f"/api/views/{name}", params={"q": "minister"} if name == "search" else {})
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["view"] == name
    assert isinstance(data["rows"], list)
    assert all(isinstance(row, dict) for row in data["rows"])


def test_api_views_params_and_errors(client: TestClient) -> None:
    listed = client.get("/api/views").json()["views"]
    assert [v["name"] for v in listed] == list(VIEWS)
    rows = client.get("/api/views/techniques_by_outlet", params={"outlet": "Daily A"}).json()["rows"]
    assert rows and {r["outlet"] for r in rows} == {"Daily A"}
    weekly = client.get("/api/views/narratives_over_time", params={"granularity": "week"}).json()
    assert weekly["params"] == {"granularity": "week"} and weekly["rows"]
    assert_error(client.get("/api/views/no_such_view"), 404, "E703")
    bad = assert_error(client.get("/api/views/narratives_over_time", params={"granularity": "fortnight"}), 422)
    assert "granularity" in bad["message"]


def test_api_search_and_stats(client: TestClient) -> None:
    found = client.get("/api/search", params={"q": "minister"}).json()
    assert found["q"] == "minister" and found["results"]
    assert {"id", "headline", "snippet"} <= set(found["results"][0])
    assert client.get("/api/search").json()["results"] == []
    stats = client.get("/api/stats").json()
    assert stats["count"] == len(DOCS)
    assert {"documents", "duplicates", "failed"} <= set(stats)


def test_api_openapi_lists_routes(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/api/documents", "/api/documents/{doc_id}", "/api/analyze", "/api/views", "/api/search",
            "/api/stats"} <= paths
    assert {f"/api/views/{name}" for name in VIEWS} <= paths
    assert not any(p.startswith("/documents") for p in paths)  # pages stay out of the API spec


def test_api_auth_needs_the_bearer_token(store_url: str) -> None:
    with TestClient(create_app(store_url, token="s3cret")) as c:
        err = assert_error(c.get("/api/stats"), 401, "E702")
        assert "token" in err["message"]
        assert c.get("/api/stats").headers["www-authenticate"] == "Bearer"
        assert_error(c.get("/api/stats", headers={"Authorization": "Bearer wrong"}), 401, "E702")
        assert_error(c.get("/api/views/narratives_over_time"), 401, "E702")
        assert_error(c.post("/api/analyze", json={"text": "x"}), 401, "E702")
        ok = c.get("/api/stats", headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200 and ok.json()["count"] == len(DOCS)
        assert c.get("/openapi.json").status_code == 200
        assert "bearer" in json.dumps(c.get("/openapi.json").json()["components"]).lower()


def test_api_500_has_the_same_shape(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from narrascope.api import service

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(service, "stats", boom)
    with TestClient(create_app(store_url), raise_server_exceptions=False) as c:
        err = assert_error(c.get("/api/stats"), 500, "E705")
        assert "secret internals" not in err["message"]


def test_api_413_for_a_declared_20mb_body(client: TestClient) -> None:
    body = b"x" * 20_000_000
    err = assert_error(client.post("/api/analyze", content=body, headers={"content-type": "application/json"}),
                       413, "E103")
    assert "5000000" in err["message"]


def test_api_413_counts_a_streamed_body_without_reading_it_all(store_url: str) -> None:
    """A chunked 20 MB body with no Content-Length: refused after the first bytes past the limit."""
    app = create_app(store_url, max_body=1_000_000)
    chunk = b"x" * 100_000
    read = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal read
        read += 1
        return {"type": "http.request", "body": chunk, "more_body": read < 200}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": "/api/analyze", "raw_path": b"/api/analyze", "query_string": b"",
             "root_path": "", "headers": [(b"content-type", b"application/json"), (b"transfer-encoding", b"chunked")],
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 413
    assert read <= 11  # 1 MB limit in 100 kB chunks: stopped at the 11th, not the 200th
    assert json.loads(sent[1]["body"])["error"]["code"] == "E103"


@pytest.mark.network
def test_api_413_on_a_real_server_before_the_body_is_sent(store_url: str) -> None:
    """Only the headers of a 20 MB POST are sent: the server answers 413 without waiting for the body."""
    with live_server(create_app(store_url)) as base:
        port = int(base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(b"POST /api/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                         b"Content-Length: 20000000\r\n\r\n")  # and not one byte of the body
            reply = b""
            while b"\r\n\r\n" not in reply:
                part = sock.recv(65536)
                if not part:
                    break
                reply += part
        assert reply.startswith(b"HTTP/1.1 413"), reply[:200]


def test_api_analyze_returns_a_document_with_statements(client: TestClient) -> None:
    text = ("Minister defends tax plan\n\n"
            "The finance minister said on Monday that taxes would rise next year. "
            "Critics claimed the plan would hurt families.")
    r = client.post("/api/analyze", json={"text": text, "outlet": "Daily A"})
    assert r.status_code == 200, r.text
    doc = from_dict(r.json())
    assert doc.text == text and doc.outlet == "Daily A"
    assert doc.statements, "expected at least one attributed statement"
    assert any("taxes would rise" in s.content.text for s in doc.statements)
    bad = assert_error(client.post("/api/analyze", json={"text": text, "analyzers": ["nope"]}), 422, "E301")
    assert "nope" in bad["message"]
    assert_error(client.post("/api/analyze", json={"text": "   "}), 422, "E101")


def test_api_bad_store_url_fails_at_start() -> None:
    import typer
    from typer.testing import CliRunner

    from narrascope.cli.serve import serve
    from narrascope.errors import NarrascopeError

    with pytest.raises(NarrascopeError) as info:
        create_app("nosuch://x")
    assert info.value.code == "E109"
    app = typer.Typer()
    app.command("serve")(serve)
    app.command("other")(lambda: None)
    result = CliRunner().invoke(app, ["serve", "--db", "nosuch://x"])
    assert result.exit_code == 2 and "error[E109]" in result.output
