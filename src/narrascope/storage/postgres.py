"""The PostgreSQL store: psycopg 3, ``tsvector`` full-text search (the ``simple`` configuration,
so every language is indexed alike), migrations under an advisory lock.

psycopg is optional: ``pip install "narrascope[postgres]"``. Every write is its own
transaction. Placeholders in the shared SQL are written ``?`` and rewritten to ``%s`` here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

from narrascope.errors import InputError
from narrascope.storage.base import Rows, SQLStore, migration_scripts, now

_LOCK = 7_446_175_001  # advisory lock id for migrations


def _connect(url: str) -> Any:
    try:
        import psycopg
    except ImportError:
        raise InputError(
            "PostgreSQL needs the psycopg driver, which is not installed",
            hint='pip install "narrascope[postgres]"  (or: pip install "psycopg[binary]>=3.2,<4")',
            code="E110",
        ) from None
    try:
        return psycopg.connect(url, autocommit=True)
    except psycopg.Error as exc:
        msg = " ".join(str(exc).split())
        raise InputError(f"cannot connect to PostgreSQL: {msg}",
                         hint="check the --db URL (postgresql://user:password@host:port/database) and that the server runs",
                         code="E110") from None


class PostgresStore(SQLStore):
    def __init__(self, url: str) -> None:
        self.url = url
        self.conn = _connect(url)
        self._depth = 0
        self.migrate()

    def migrate(self) -> list[str]:
        applied = []
        with self.conn.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            done = {r[0] for r in self.conn.execute("SELECT name FROM schema_migrations").fetchall()}
            for name, sql in migration_scripts("postgres"):
                if name in done:
                    continue
                self.conn.execute(sql)
                self.conn.execute("INSERT INTO schema_migrations (name, applied_at) VALUES (%s, %s)", (name, now()))
                applied.append(name)
        return applied

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(sql.replace("?", "%s"), tuple(params))

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        with self.conn.transaction():
            yield

    def _many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            with self.conn.cursor() as cur:
                cur.executemany(sql.replace("?", "%s"), rows)

    def _insert_document(self, values: dict[str, Any]) -> bool:
        cols = ", ".join(values)
        marks = ", ".join(["%s"] * len(values))
        cur = self.conn.execute(
            f"INSERT INTO documents ({cols}) VALUES ({marks}) ON CONFLICT (id) DO NOTHING", tuple(values.values())
        )
        return cur.rowcount == 1

    def _index_text(self, doc: Any, headline: str | None) -> None:
        # the tsvector column is generated from headline and body
        self.conn.execute("UPDATE documents SET body = %s WHERE id = %s", (doc.text[doc.body_start:].strip(), doc.id))

    def _match_ids(self, q: str) -> tuple[str, list[Any]]:
        return "SELECT id FROM documents WHERE tsv @@ websearch_to_tsquery('simple', ?)", [q]

    def search(self, q: str, limit: int = 20) -> Rows:
        """Documents matching ``q`` (web-search syntax), best first: id, headline, outlet, published, snippet."""
        if not q.strip():
            return []
        return self.query(
            "SELECT id, headline, outlet, published, "
            "ts_headline('simple', body, query, 'StartSel=[, StopSel=], MaxWords=20, MinWords=8') AS snippet "
            "FROM documents, websearch_to_tsquery('simple', ?) AS query "
            "WHERE tsv @@ query ORDER BY ts_rank(tsv, query) DESC, id LIMIT ?",
            (q, limit),
        )
