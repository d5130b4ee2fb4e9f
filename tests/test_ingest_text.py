"""Text files and stdin through ``load``: headline rule, override, offsets, and each bad input."""

from __future__ import annotations

import io
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from narrascope.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingError,
    InputError,
    InputNotFoundError,
    InputTooLargeError,
    NarrascopeError,
)
from narrascope.ingest import find_headline, from_text, load, load_one
from narrascope.ingest.files import from_bytes, kind_of

BODY = (
    "The harbour authority said on Monday that the old ferry terminal would close for repairs "
    "in the spring. Local traders worry that fewer visitors will come to the market while the "
    "work goes on, and some asked the council for help with their rent."
)


def assert_typed(exc: NarrascopeError, cls: type[NarrascopeError], code: str) -> None:
    assert type(exc) is cls
    assert exc.code == code
    assert exc.hint and exc.hint != NarrascopeError.default_hint
    assert f"error[{code}]" in exc.one_line()


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_text_headline_rule(tmp_path):
    path = write(tmp_path, "a.txt", f"Ferry terminal to close\n\n{BODY}\n".encode())
    doc = load_one(path)
    assert doc.headline is not None
    assert doc.headline.text == "Ferry terminal to close"
    assert doc.text[doc.headline.start : doc.headline.end] == "Ferry terminal to close"
    assert doc.title is None
    assert doc.origin == path
    assert doc.language == "en"


def test_text_no_headline_without_blank_line(tmp_path):
    path = write(tmp_path, "a.txt", f"Ferry terminal to close\n{BODY}\n".encode())
    assert load_one(path).headline is None


def test_text_headline_override(tmp_path):
    path = write(tmp_path, "a.txt", f"Ferry terminal to close\n\n{BODY}\n".encode())
    doc = load_one(path, headline="Harbour traders fear for their rent")
    assert doc.headline is None
    assert doc.title == "Harbour traders fear for their rent"
    assert doc.headline_text == "Harbour traders fear for their rent"


def test_text_crlf_offsets_preserved(tmp_path):
    raw = f"Ferry terminal to close\r\n\r\n{BODY}\r\nSecond paragraph here.\r\n"
    doc = load_one(write(tmp_path, "crlf.txt", raw.encode()))
    assert doc.text == raw
    assert "\r" in doc.text
    start = doc.text.index("Second")
    assert doc.span(start, start + 6).text == "Second"
    assert doc.headline is not None and doc.headline.end == len("Ferry terminal to close")


def test_text_bom_stripped(tmp_path):
    doc = load_one(write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + BODY.encode()))
    assert doc.text == BODY


def test_text_stdin():
    doc = load_one("-", stdin=io.BytesIO(f"Ferry terminal to close\n\n{BODY}".encode()))
    assert doc.origin == "<stdin>"
    assert doc.headline is not None and doc.headline.text == "Ferry terminal to close"


def test_text_stdin_too_large():
    with pytest.raises(InputTooLargeError) as info:
        load("-", stdin=io.BytesIO(b"x" * 2000), max_bytes=1000)
    assert_typed(info.value, InputTooLargeError, "E103")
    assert "1000" in info.value.message


def test_text_language_argument_wins(tmp_path):
    doc = load_one(write(tmp_path, "a.txt", BODY.encode()), language="xx")
    assert doc.language == "xx"


def test_text_empty_file(tmp_path):
    with pytest.raises(EmptyInputError) as info:
        load(write(tmp_path, "empty.txt", b""))
    assert_typed(info.value, EmptyInputError, "E101")


def test_text_whitespace_only_file(tmp_path):
    with pytest.raises(EmptyInputError) as info:
        load(write(tmp_path, "blank.txt", b"  \r\n\t\n \n"))
    assert_typed(info.value, EmptyInputError, "E101")


def test_text_unicode_whitespace_only_file(tmp_path):
    with pytest.raises(EmptyInputError):
        load(write(tmp_path, "blank.txt", "\u3000\u00a0\n".encode()))


def test_text_binary_nul(tmp_path):
    with pytest.raises(BinaryInputError) as info:
        load(write(tmp_path, "file.txt", b"%PDF-1.7\n\x00\x01\x02binary stuff"))
    assert_typed(info.value, BinaryInputError, "E102")
    assert "NUL" in info.value.message


def test_text_binary_control_bytes(tmp_path):
    data = bytes(range(1, 9)) * 200 + b"some words"
    with pytest.raises(BinaryInputError):
        load(write(tmp_path, "noise.dat", data))


def test_text_too_large_refused_by_size(tmp_path):
    path = tmp_path / "huge.txt"
    line = b"All work and no play makes a very long article indeed.\n" * 1000
    with open(path, "wb") as f:
        while f.tell() < 50_000_000:
            f.write(line)
    started = time.perf_counter()
    with pytest.raises(InputTooLargeError) as info:
        load(str(path))
    assert time.perf_counter() - started < 1.0
    assert_typed(info.value, InputTooLargeError, "E103")
    size = path.stat().st_size
    assert str(size) in info.value.message
    assert "5000000" in info.value.message


def test_text_max_bytes_option(tmp_path):
    path = write(tmp_path, "a.txt", BODY.encode())
    with pytest.raises(InputTooLargeError):
        load(path, max_bytes=100)
    assert load_one(path, max_bytes=len(BODY)).text == BODY


def test_text_invalid_utf8_names_offset(tmp_path):
    data = b"Line one\r\nCaf\xe9 au lait\r\n"
    with pytest.raises(EncodingError) as info:
        load(write(tmp_path, "latin.txt", data))
    assert_typed(info.value, EncodingError, "E104")
    assert "byte offset 13" in info.value.message
    assert "line 2" in info.value.message
    assert "0xE9" in info.value.message


def test_text_invalid_utf8_offset_counts_bom(tmp_path):
    with pytest.raises(EncodingError) as info:
        load(write(tmp_path, "bom.txt", b"\xef\xbb\xbfabc\xff"))
    assert "byte offset 6" in info.value.message


def test_text_missing_file(tmp_path):
    with pytest.raises(InputNotFoundError) as info:
        load(str(tmp_path / "nope.txt"))
    assert_typed(info.value, InputNotFoundError, "E108")


def test_text_directory(tmp_path):
    with pytest.raises(InputError) as info:
        load(str(tmp_path))
    assert "directory" in info.value.message


def test_text_sniffed_html_goes_to_html(tmp_path):
    html = f"<!DOCTYPE html><html><head><title>Ferry</title></head><body><article><p>{BODY}</p></article></body></html>"
    doc = load_one(write(tmp_path, "page.txt", html.encode()))
    assert "<p>" not in doc.text
    assert "harbour authority" in doc.text


def test_text_kind_of_dispatch():
    assert kind_of("-") == "stdin"
    assert kind_of("https://example.org/a") == "url"
    assert kind_of("HTTP://example.org/a") == "url"
    assert kind_of("x/a.JSONL") == "jsonl"
    assert kind_of("a.ndjson") == "jsonl"
    assert kind_of("a.htm") == "html"
    assert kind_of("a.txt") == "file"


def test_text_from_text_signature_kept():
    doc = from_text(f"Head\n\n{BODY}", url="https://example.org/x")
    assert doc.headline is not None and doc.url == "https://example.org/x"
    assert find_headline("no headline here") is None


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufeff")
    | st.sampled_from("\r\n\t"),
    min_size=1,
    max_size=300,
).filter(lambda s: s.strip() and not s.lstrip().startswith("<"))


@settings(max_examples=60, deadline=None)
@given(_TEXT)
def test_text_round_trip_is_exact(text):
    doc = from_bytes(text.encode("utf-8"), origin="t", language="en")
    assert doc.text == text
    if doc.headline:
        assert doc.text[doc.headline.start : doc.headline.end] == doc.headline.text
