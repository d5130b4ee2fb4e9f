"""JSONL: one article per line; bad lines become Failures and the good ones still load."""

from __future__ import annotations

import json

import pytest

from narrascope.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingError,
    InputError,
    InputNotFoundError,
    InputTooLargeError,
    MalformedRecordError,
)
from narrascope.ingest import iter_jsonl, load
from narrascope.model import Document
from narrascope.pipeline import Failure

GOOD_A = {
    "text": "The bakery on Elm Street won a regional prize for its rye bread, the owners said on Friday.",
    "headline": "Elm Street bakery wins bread prize",
    "url": "https://news.example/bakery",
    "outlet": "Elm Gazette",
    "published": "2024-05-03",
    "id": "bakery-1",
}
GOOD_B = {
    "text": "Rain is expected across the valley this weekend, with cooler air arriving on Sunday night."
}
GOOD_C = {
    "text": "Le marché de Noël ouvrira ses portes vendredi sur la place principale de la ville.",
    "language": "fr",
}


def write_lines(tmp_path, lines: list[bytes], name: str = "batch.jsonl") -> str:
    path = tmp_path / name
    path.write_bytes(b"\n".join(lines) + b"\n")
    return str(path)


def dump(obj: object) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


def test_jsonl_good_records(tmp_path):
    path = write_lines(tmp_path, [dump(GOOD_A), b"", dump(GOOD_B), dump(GOOD_C)], name="b.ndjson")
    items = list(load(path))
    assert all(isinstance(i, Document) for i in items)
    a, b, c = items
    assert a.id == "bakery-1"
    assert a.title == "Elm Street bakery wins bread prize"
    assert (a.url, a.outlet, a.published) == (
        "https://news.example/bakery",
        "Elm Gazette",
        "2024-05-03",
    )
    assert a.origin == f"{path}:1"
    assert b.origin == f"{path}:3"
    assert b.language == "en"
    assert c.language == "fr"
    assert len(b.id) == 16


def test_jsonl_malformed_lines_among_good(tmp_path):
    lines = [
        dump(GOOD_A),
        b"{not json",
        b"[1, 2, 3]",
        dump({"headline": "no text here"}),
        dump({"text": "   "}),
        dump({"text": 42}),
        dump(GOOD_B),
        dump({"text": "fine text but a bad url field", "url": 7}),
        b'{"text": "Caf\xe9"}',
        dump(GOOD_C),
    ]
    path = write_lines(tmp_path, lines)
    items = list(load(path))
    assert len(items) == 10
    docs = [i for i in items if isinstance(i, Document)]
    failures = [i for i in items if isinstance(i, Failure)]
    assert [d.origin for d in docs] == [f"{path}:1", f"{path}:7", f"{path}:10"]
    assert [f.id for f in failures] == [
        "line 2",
        "line 3",
        "line 4",
        "line 5",
        "line 6",
        "line 8",
        "line 9",
    ]
    for f in failures:
        assert f.origin == f"{path}:{f.id.split()[1]}"
        assert isinstance(f.error, MalformedRecordError | EncodingError)
        assert f.error.hint
        assert f.to_dict()["code"] in ("E106", "E104")
    assert all(f.error.code == "E106" for f in failures[:-1])
    assert isinstance(failures[-1].error, EncodingError)
    offset = sum(len(x) + 1 for x in lines[:8]) + len(b'{"text": "Caf')
    assert f"byte offset {offset}" in failures[-1].error.message


def test_jsonl_overlong_line_is_a_failure(tmp_path):
    big = dump({"text": "word " * 5000})
    path = write_lines(tmp_path, [dump(GOOD_B), big, dump(GOOD_B)])
    items = list(load(path, max_bytes=1000))
    assert isinstance(items[0], Document) and isinstance(items[2], Document)
    assert isinstance(items[1], Failure) and isinstance(items[1].error, InputTooLargeError)


def test_jsonl_streams_lazily(tmp_path):
    path = write_lines(tmp_path, [dump(GOOD_B)] * 3 + [b"{broken"])
    it = load(path)
    first = next(it)
    assert isinstance(first, Document)


def test_jsonl_language_argument_overrides(tmp_path):
    path = write_lines(tmp_path, [dump(GOOD_C)])
    (doc,) = load(path, language="en")
    assert doc.language == "en"


def test_jsonl_missing_file(tmp_path):
    with pytest.raises(InputNotFoundError):
        load(str(tmp_path / "missing.jsonl"))


def test_jsonl_empty_file(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    with pytest.raises(EmptyInputError):
        load(str(path))


def test_jsonl_blank_lines_only(tmp_path):
    path = tmp_path / "blank.jsonl"
    path.write_bytes(b"\n\n  \n")
    with pytest.raises(EmptyInputError):
        list(load(str(path)))


def test_jsonl_binary_file(tmp_path):
    path = tmp_path / "data.jsonl"
    path.write_bytes(b"\x1f\x8b\x08\x00\x00\x00\x00\x00" * 20)
    with pytest.raises(BinaryInputError):
        load(str(path))


def test_jsonl_headline_option_refused(tmp_path):
    path = write_lines(tmp_path, [dump(GOOD_B)])
    with pytest.raises(InputError, match="single article"):
        load(path, headline="One headline for all")


def test_jsonl_iter_from_stream(tmp_path):
    import io

    stream = io.BufferedReader(io.BytesIO(dump(GOOD_B) + b"\n" + dump(GOOD_A)))
    items = list(iter_jsonl("<stdin>", stream=stream))
    assert [i.origin for i in items] == ["<stdin>:1", "<stdin>:2"]
