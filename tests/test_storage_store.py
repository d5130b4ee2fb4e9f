"""The Store contract, on SQLite and (when NARRASCOPE_TEST_PG is set) PostgreSQL."""

from __future__ import annotations

import pytest

from corpus_stores import store  # noqa: F401 - the parametrized fixture
from narrascope.errors import InputError, NoArticleError
from narrascope.ingest import from_text
from narrascope.model import Document
from narrascope.storage import StoreURLError, open_store
from narrascope.storage.base import iso_date, week_of
from narrascope.storage.sqlite import SQLiteStore, fts_query

BODY = ("The harbour authority said on Monday that the new ferry terminal will open in the spring, "
        "after two years of delays. Local traders welcomed the news, but some residents worry about "
        "traffic on the coast road during the summer months.")


def doc(headline: str = "Ferry terminal to open", body: str = BODY, **meta: str) -> Document:
    return from_text(f"{headline}\n\n{body}", **meta)


def test_storage_add_get_roundtrip(store):  # noqa: F811
    d = doc(outlet="Coast News", published="2024-03-05", url="https://example.org/a")
    assert store.add(d) is True
    assert store.has(d.id) and not store.has("nope")
    assert store.get(d.id) == d
    assert store.get("nope") is None
    assert store.count() == 1


def test_storage_add_existing_id_returns_false(store):  # noqa: F811
    d = doc()
    assert store.add(d) is True
    assert store.add(d) is False
    assert store.count() == 1


def test_storage_list_summaries_filters(store):  # noqa: F811
    store.add(doc("One", BODY, outlet="A", published="2024-03-01"))
    store.add(doc("Two", "A completely different story about the city budget and new schools for children.",
                  outlet="B", published="2024-03-02"))
    rows = store.list()
    assert [r["headline"] for r in rows] == ["Two", "One"]  # newest first
    assert set(rows[0]) >= {"id", "headline", "outlet", "published", "counts"}
    assert [r["headline"] for r in store.list(outlet="A")] == ["One"]
    assert [r["headline"] for r in store.list(q="schools")] == ["Two"]
    assert len(store.list(limit=1, offset=1)) == 1


def test_storage_search_finds_a_word(store):  # noqa: F811
    d = doc(outlet="A")
    store.add(d)
    store.add(doc("Budget", "The council approved the budget for new schools and roads in the district."))
    hits = store.search("terminal")
    assert [h["id"] for h in hits] == [d.id]
    assert "terminal" in hits[0]["snippet"].lower()
    assert store.search("ferry traders")[0]["id"] == d.id
    assert store.search("zeppelin") == []
    assert store.search('"; DROP TABLE documents; --') == []  # quoted safely
    assert store.count() == 2


def test_storage_near_duplicates_grouped(store):  # noqa: F811
    body = BODY + (" The terminal will have room for four ferries at once, and the authority expects "
                   "passenger numbers to double within five years. A new bus line will link it to the "
                   "station, and parking for three hundred cars is planned on the old rail yard.")
    original = doc("Ferry terminal to open", body, outlet="A")
    # a syndicated copy: another headline, one word changed, a credit line added
    copy = doc("Ferry terminal opens in spring, authority says",
               body.replace("on Monday", "on Tuesday") + " (Reporting by Coast Wire.)", outlet="B")
    other = doc("Budget", "The council approved the budget for new schools and roads in the district, "
                "and the mayor promised lower taxes next year.", outlet="C")
    for d in (original, copy, other):
        assert store.add(d)
    groups = {r["id"]: r["dup_group"] for r in store.list()}
    assert groups[copy.id] == original.id == groups[original.id]
    assert groups[other.id] == other.id
    s = store.stats()
    assert (s["documents"], s["duplicates"], s["failed"]) == (3, 1, 0)


def test_storage_failures_recorded_once_and_cleared(store):  # noqa: F811
    err = NoArticleError("no article text could be extracted")
    store.add_failure("feed.xml#1", err)
    store.add_failure("feed.xml#1", err)  # a re-run records the same failure once
    store.add_failure("page.html", InputError("unreadable"))
    assert store.stats()["failed"] == 2
    assert {f["origin"] for f in store.failures()} == {"feed.xml#1", "page.html"}
    store.add(doc(origin="page.html"))  # it loads now: its failure goes
    assert store.stats()["failed"] == 1


def test_storage_stores_layer_rows(store):  # noqa: F811
    from builders import with_statements

    d, _ = with_statements("Ana Lopez said the bridge will open in May. Officials said costs rose.",
                           [("Ana Lopez", "said", "the bridge will open in May")])
    store.add(d)
    rows = store.query("SELECT source_type, source_text, content FROM statements WHERE doc_id = ?", (d.id,))
    assert rows == [{"source_type": "person", "source_text": "Ana Lopez", "content": "the bridge will open in May"}]
    assert store.list()[0]["counts"]["statements"] == 1


def test_storage_migrations_recorded(store):  # noqa: F811
    names = [r["name"] for r in store.query("SELECT name FROM schema_migrations ORDER BY name")]
    assert names[0] == "0001_initial"
    assert store.migrate() == []  # type: ignore[attr-defined]


def test_storage_context_manager_and_reopen(tmp_path):
    path = tmp_path / "x.db"
    with open_store(f"sqlite:///{path}") as s:
        s.add(doc())
    with open_store(str(path)) as s:
        assert isinstance(s, SQLiteStore) and s.count() == 1
        assert s.stats()["documents"] == 1


def test_storage_unknown_scheme_is_typed_error():
    with pytest.raises(StoreURLError) as info:
        open_store("mysql://localhost/db")
    assert isinstance(info.value, InputError) and info.value.code and info.value.hint


def test_storage_missing_folder_is_typed_error(tmp_path):
    with pytest.raises(InputError):
        open_store(str(tmp_path / "no" / "such" / "x.db"))


def test_storage_dates_and_fts_query():
    assert iso_date("2024-05-01T10:00:00Z") == "2024-05-01"
    assert iso_date("Wed, 01 May 2024 10:00:00 GMT") == "2024-05-01"
    assert iso_date("last spring") is None and iso_date(None) is None
    assert week_of("2024-05-01") == "2024-04-29"
    assert fts_query('bridge "OR" x*') == '"bridge" "OR" "x"*'
