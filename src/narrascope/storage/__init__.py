"""Where documents are kept: :func:`open_store` picks the backend from a URL.

==================================  =========================================
url                                 store
==================================  =========================================
``path.db``, ``sqlite:///path.db``  SQLite (stdlib), created and migrated on open
``sqlite:///:memory:``              an in-memory SQLite store (tests)
``postgresql://…``                  PostgreSQL (psycopg 3), migrated on open
==================================  =========================================
"""

from __future__ import annotations

from narrascope.errors import InputError
from narrascope.storage.base import SQLStore, Store


class StoreURLError(InputError):
    code = "E109"
    default_hint = "pass --db PATH.db, sqlite:///PATH.db or postgresql://user:password@host/database"


def open_store(url: str) -> Store:
    """The store at ``url`` (see the module docstring), its schema migrated to the newest."""
    url = str(url)
    if url.startswith(("postgresql://", "postgres://")):
        from narrascope.storage.postgres import PostgresStore

        return PostgresStore(url)
    if url.startswith("sqlite://"):
        path = url.removeprefix("sqlite://")
        path = path[1:] if path.startswith("/") else path  # sqlite:///rel.db, sqlite:////abs.db
        if not path:
            raise StoreURLError(f"no database path in {url!r}")
        from narrascope.storage.sqlite import SQLiteStore

        return SQLiteStore(path, url=url)
    if "://" in url:
        scheme = url.split("://", 1)[0]
        raise StoreURLError(f"unknown database scheme {scheme!r} in {url!r}")
    from narrascope.storage.sqlite import SQLiteStore

    return SQLiteStore(url)


__all__ = ["SQLStore", "Store", "StoreURLError", "open_store"]
