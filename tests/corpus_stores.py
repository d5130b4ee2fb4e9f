"""Stores for the storage and corpus tests: SQLite in tmp_path, and PostgreSQL in a fresh
schema when NARRASCOPE_TEST_PG is set (skipped otherwise)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from narrascope.storage import open_store
from narrascope.storage.base import Store

PG_ENV = "NARRASCOPE_TEST_PG"
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


def pg_url(schema: str) -> str:
    base = os.environ[PG_ENV]
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options={quote(f'-csearch_path={schema}')}"


def make_store(backend: str, tmp_path) -> Iterator[Store]:  # type: ignore[no-untyped-def]
    if backend == "sqlite":
        store = open_store(str(tmp_path / "corpus.db"))
        try:
            yield store
        finally:
            store.close()
        return
    if not os.environ.get(PG_ENV):
        pytest.skip(f"{PG_ENV} is not set")
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(os.environ[PG_ENV], autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
        try:
            store = open_store(pg_url(schema))
            try:
                yield store
            finally:
                store.close()
        finally:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path) -> Iterator[Store]:  # type: ignore[no-untyped-def]
    yield from make_store(request.param, tmp_path)
