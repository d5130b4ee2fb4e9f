"""The SQLite store (the default): stdlib ``sqlite3``, WAL journal, FTS5 full-text search.

Each write is its own transaction and commits on return; with WAL and ``synchronous=NORMAL`` a
process killed with SIGKILL loses at most the document it was writing, never a committed one.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from narrascope.errors import InputError
from narrascope.model import Document
from narrascope.storage.base import Rows, SQLStore, migration_scripts, now

_TOKEN = re.compile(r"\w+", re.UNICODE)


def fts_query(q: str) -> str:
    """A safe FTS5 query: every word of ``q`` quoted, all required (a trailing ``*`` keeps prefix search)."""
    parts = []
    for m in re.finditer(r"(\w+)(\*?)", q, re.UNICODE):
        parts.append(f'"{m.group(1)}"{m.group(2)}')
    return " ".join(parts)


class SQLiteStore(SQLStore):
    def __init__(self, path: str | Path, url: str | None = None) -> None:
        self.path = str(path)
        self.url = url or f"sqlite:///{self.path}"
        if self.path != ":memory:":
            parent = Path(self.path).parent
            if not parent.exists():
                raise InputError(f"cannot create the database {self.path}: no folder {parent}",
                                 hint="create the folder first, or pass --db in an existing folder")
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=30, check_same_thread=False)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self._depth = 0
            self.migrate()
        except sqlite3.DatabaseError as exc:
            raise InputError(f"cannot open the SQLite database {self.path}: {exc}",
                             hint="pass a SQLite database file made by narrascope, or a new path") from None

    def migrate(self) -> list[str]:
        """Apply the migrations not applied yet; the names applied now."""
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        done = {r[0] for r in self.conn.execute("SELECT name FROM schema_migrations")}
        applied = []
        for name, sql in migration_scripts("sqlite"):
            if name in done:
                continue
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                if self.conn.execute("SELECT 1 FROM schema_migrations WHERE name = ?", (name,)).fetchone():
                    self.conn.execute("ROLLBACK")  # another process applied it meanwhile
                    continue
                for statement in _statements(sql):
                    self.conn.execute(statement)
                self.conn.execute("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)", (name, now()))
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            applied.append(name)
        return applied

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(sql, tuple(params))

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._depth = 0

    def _many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            self.conn.executemany(sql, rows)

    def _insert_document(self, values: dict[str, Any]) -> bool:
        cols = ", ".join(values)
        marks = ", ".join("?" * len(values))
        cur = self.conn.execute(f"INSERT OR IGNORE INTO documents ({cols}) VALUES ({marks})", tuple(values.values()))
        return cur.rowcount == 1

    def _index_text(self, doc: Document, headline: str | None) -> None:
        self.conn.execute(
            "INSERT INTO documents_fts (id, headline, body) VALUES (?, ?, ?)",
            (doc.id, headline or "", doc.text[doc.body_start:].strip()),
        )

    def _match_ids(self, q: str) -> tuple[str, list[Any]]:
        return "SELECT id FROM documents_fts WHERE documents_fts MATCH ?", [fts_query(q) or '""']

    def search(self, q: str, limit: int = 20) -> Rows:
        """Documents matching every word of ``q``, best first: id, headline, outlet, published, snippet."""
        match = fts_query(q)
        if not match:
            return []
        return self.query(
            "SELECT f.id AS id, d.headline AS headline, d.outlet AS outlet, d.published AS published, "
            "snippet(documents_fts, 2, '[', ']', '…', 12) AS snippet "
            "FROM documents_fts f JOIN documents d ON d.id = f.id "
            "WHERE documents_fts MATCH ? ORDER BY bm25(documents_fts, 0.0, 4.0, 1.0) LIMIT ?",
            (match, limit),
        )

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()


def _statements(script: str) -> list[str]:
    """The statements of a migration script (split at ``;`` ending a line; no triggers here)."""
    lines = [line for line in script.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in re.split(r";\s*$", "\n".join(lines), flags=re.M) if s.strip()]
