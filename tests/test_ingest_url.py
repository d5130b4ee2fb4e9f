"""URL fetching against a local http.server on 127.0.0.1 (started here; no other network)."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from narrascope.errors import (
    BinaryInputError,
    BlockedAddressError,
    FetchError,
    InputTooLargeError,
    NoArticleError,
)
from narrascope.ingest import fetch, load, load_one
from narrascope.ingest import url as url_mod

pytestmark = pytest.mark.network

PAGE = b"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Bus fares to rise in April | Northfield Daily</title>
<meta property="og:title" content="Bus fares to rise in April">
<meta property="og:site_name" content="Northfield Daily">
<meta name="author" content="Priya Nair">
<meta property="article:published_time" content="2024-01-20T10:00:00Z">
<script>var adSlot = "SCRIPT_TEXT_MUST_NOT_LEAK";</script>
</head><body>
<header><a href="/">Northfield Daily</a> SIGN_IN_BOX Subscribe</header>
<article>
<h1>Bus fares to rise in April</h1>
<p>Single bus fares in Northfield will rise by twenty pence in April, the transport company
confirmed on Saturday, blaming higher fuel and staff costs.</p>
<script>trackPageView("INLINE_SCRIPT_LEAK");</script>
<p>Passenger groups said the increase would hit students and older people hardest, and asked
the company to keep a cheaper weekly ticket.</p>
</article>
<footer>COOKIE_BANNER_FOOTER All rights reserved.</footer>
</body></html>
"""

PLAIN = (
    b"Bus fares to rise in April\n\nSingle bus fares in Northfield will rise by twenty pence in "
    b"April, the transport company confirmed on Saturday."
)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output quiet
        pass

    def _send(
        self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8", **headers: str
    ):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 - http.server's name
        path = self.path
        if path == "/article":
            self._send(200, PAGE)
        elif path == "/plain":
            self._send(200, PLAIN, "text/plain; charset=utf-8")
        elif path == "/menu":
            self._send(200, b"<html><body><nav><a href='/'>Home</a></nav></body></html>")
        elif path == "/pdf":
            self._send(200, b"%PDF-1.7 fake", "application/pdf")
        elif path == "/missing":
            self._send(404, b"not here", "text/plain")
        elif path.startswith("/hop/"):
            n = int(path.rsplit("/", 1)[1])
            target = "/article" if n == 0 else f"/hop/{n - 1}"
            self._send(302, b"", "text/plain", Location=target)
        elif path == "/to-private":
            self._send(302, b"", "text/plain", Location="http://10.1.2.3/secret")
        elif path == "/to-ftp":
            self._send(302, b"", "text/plain", Location="ftp://example.org/x")
        elif path == "/big-declared":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(10_000_000))
            self.end_headers()
        elif path == "/big-streamed":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"more words " * 1000
            try:
                for _ in range(1000):  # 11 MB unless the client hangs up first
                    self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/slow":
            time.sleep(3)
            self._send(200, PLAIN, "text/plain")
        else:
            self._send(404, b"unknown", "text/plain")


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_url_html_page_keeps_metadata(server):
    doc = load_one(f"{server}/article", allow_private=True)
    assert doc.title == "Bus fares to rise in April"
    assert doc.author == "Priya Nair"
    assert doc.published == "2024-01-20"
    assert doc.outlet == "Northfield Daily"
    assert doc.url == f"{server}/article"
    assert doc.origin == f"{server}/article"
    assert doc.language == "en"
    assert "cheaper weekly ticket" in doc.text
    for junk in ("SCRIPT_TEXT", "INLINE_SCRIPT", "SIGN_IN_BOX", "COOKIE_BANNER", "<p>"):
        assert junk not in doc.text


def test_url_plain_text_uses_headline_rule(server):
    doc = load_one(f"{server}/plain", allow_private=True)
    assert doc.headline is not None and doc.headline.text == "Bus fares to rise in April"
    doc = load_one(f"{server}/plain", allow_private=True, headline="Fares go up")
    assert doc.headline_text == "Fares go up"


def test_url_loopback_blocked_by_default(server):
    with pytest.raises(BlockedAddressError) as info:
        load(f"{server}/article")
    exc = info.value
    assert exc.code == "E202"
    assert "loopback" in exc.message and "127.0.0.1" in exc.message
    assert "--allow-private" in exc.hint
    assert isinstance(exc, FetchError)


def test_url_localhost_name_blocked():
    with pytest.raises(BlockedAddressError):
        url_mod.check_url("http://localhost:9/")


@pytest.mark.parametrize(
    "url",
    [
        "http://10.20.30.40/news",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://[::ffff:10.0.0.1]/",
    ],
)
def test_url_private_refused_before_connecting(url, monkeypatch):
    def no_send(*args, **kwargs):
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(httpx.Client, "send", no_send)
    started = time.perf_counter()
    with pytest.raises(BlockedAddressError):
        load(url)
    assert time.perf_counter() - started < 1.0


def test_url_unreachable_is_fetch_error():
    with pytest.raises(FetchError) as info:
        load(f"http://127.0.0.1:{closed_port()}/", allow_private=True, timeout=3)
    assert type(info.value) is FetchError
    assert info.value.code == "E201"
    assert "Connect" in info.value.message


def test_url_unresolvable_host():
    with pytest.raises(FetchError, match="cannot resolve"):
        load("http://no-such-host.invalid/", timeout=2)


def test_url_http_error_status(server):
    with pytest.raises(FetchError, match="404"):
        load(f"{server}/missing", allow_private=True)


def test_url_timeout(server):
    started = time.perf_counter()
    with pytest.raises(FetchError, match="timed out"):
        load(f"{server}/slow", allow_private=True, timeout=0.5)
    assert time.perf_counter() - started < 2.5


def test_url_only_http_schemes():
    with pytest.raises(FetchError, match="only http"):
        url_mod.check_url("file:///etc/passwd")


def test_url_redirects_followed_and_rechecked(server, monkeypatch):
    seen: list[str] = []
    real = url_mod.check_url

    def spy(url, **kwargs):
        seen.append(url)
        return real(url, **kwargs)

    monkeypatch.setattr(url_mod, "check_url", spy)
    doc = load_one(f"{server}/hop/4", allow_private=True)  # /hop/4 → … → /hop/0 → /article
    assert doc.url == f"{server}/article"
    assert doc.origin == f"{server}/hop/4"
    assert len(seen) == 6  # the first request and each of the five redirects


def test_url_redirect_limit(server):
    with pytest.raises(FetchError, match="more than 5"):
        load(f"{server}/hop/5", allow_private=True)  # six redirects


def test_url_redirect_to_private_blocked(server, monkeypatch):
    # Let loopback through (so the test server is reachable) but keep the rest of the guard.
    real = url_mod._blocked_reason

    def loopback_ok(ip):
        return None if ip == ipaddress.ip_address("127.0.0.1") else real(ip)

    monkeypatch.setattr(url_mod, "_blocked_reason", loopback_ok)
    with pytest.raises(BlockedAddressError, match="10.1.2.3"):
        load(f"{server}/to-private")


def test_url_redirect_to_other_scheme_refused(server):
    with pytest.raises(FetchError, match="only http"):
        load(f"{server}/to-ftp", allow_private=True)


def test_url_declared_length_over_cap(server):
    with pytest.raises(InputTooLargeError, match="10000000"):
        fetch(f"{server}/big-declared", allow_private=True, max_bytes=1_000_000)


def test_url_size_cap_while_streaming(server):
    with pytest.raises(InputTooLargeError) as info:
        fetch(f"{server}/big-streamed", allow_private=True, max_bytes=50_000)
    assert info.value.code == "E103"
    assert "50000" in info.value.message


def test_url_page_without_article(server):
    with pytest.raises(NoArticleError):
        load(f"{server}/menu", allow_private=True)


def test_url_non_text_content_type(server):
    with pytest.raises(BinaryInputError, match="application/pdf"):
        load(f"{server}/pdf", allow_private=True)


def test_url_connected_peer_rechecked(server, monkeypatch):
    # The lookup says "public", but the connection lands on loopback: refused before the body.
    monkeypatch.setattr(url_mod, "check_url", lambda url, **kw: httpx.URL(url))
    with pytest.raises(BlockedAddressError, match="connection went to loopback"):
        load(f"{server}/article")
