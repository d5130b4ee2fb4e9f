"""WARC archives: archived HTML pages become Documents (a WARC written with warcio)."""

from __future__ import annotations

from io import BytesIO

import pytest

from narrascope.corpus.ingest import ingest
from narrascope.errors import InputError
from narrascope.ingest.warc import iter_warc
from narrascope.model import Document
from narrascope.pipeline import Failure
from narrascope.storage import open_store

PAGE = (b"<html><head><title>Storm closes coast road</title></head><body><nav>Home | News</nav>"
        b"<article><h1>Storm closes coast road</h1><p>A storm closed the coast road on Sunday, the police "
        b"said, and several villages were cut off for hours.</p><p>Repairs will take at least a week, "
        b"according to the council.</p></article></body></html>")


def write_warc(path) -> None:  # type: ignore[no-untyped-def]
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as f:
        w = WARCWriter(f, gzip=True)

        def response(url: str, status: str, ctype: str, body: bytes) -> None:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(url, "response", payload=BytesIO(body), http_headers=headers))

        w.write_record(w.create_warc_record("https://news.example/storm", "request",
                                            payload=BytesIO(b"GET /storm HTTP/1.1\r\n\r\n")))
        response("https://news.example/storm", "200 OK", "text/html; charset=utf-8", PAGE)
        response("https://news.example/logo.png", "200 OK", "image/png", b"\x89PNG....")
        response("https://news.example/gone", "404 Not Found", "text/html", b"<html>gone</html>")
        response("https://news.example/empty", "200 OK", "text/html", b"<html><body><p>Hi</p></body></html>")


def test_ingest_warc_records(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    write_warc(path)
    items = list(iter_warc(str(path), language="en"))
    docs = [i for i in items if isinstance(i, Document)]
    fails = [i for i in items if isinstance(i, Failure)]
    assert len(docs) == 1 and len(fails) == 1  # the page, and the page with no article
    assert docs[0].url == "https://news.example/storm"
    assert "storm closed the coast road" in docs[0].text and docs[0].origin.startswith(f"{path}#urn:uuid:")
    assert fails[0].error.code == "E105"


def test_ingest_warc_into_store(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    write_warc(path)
    with open_store(str(tmp_path / "c.db")) as s:
        summary = ingest([str(path)], s, analyzers=["sentences"], progress=False)
        assert summary.stored == 1 and len(summary.failed) == 1
        assert s.search("villages")[0]["headline"] == "Storm closes coast road"


def test_ingest_warc_not_an_archive(tmp_path):
    path = tmp_path / "bad.warc"
    path.write_bytes(b"this is not a warc file at all\n")
    with pytest.raises(InputError):
        list(iter_warc(str(path)))
