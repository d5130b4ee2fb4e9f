"""The Store protocol, and the SQL both backends share.

A store keeps each document's full JSON (``model.serialize``) plus indexed columns (id,
headline, url, outlet, published, language, added_at, dup_group) and normalised rows for the
corpus views (statements with their source type, source text and content — the claims —,
techniques, frames, narratives; genre is a column). Writing a document is one transaction:
the row, its layer rows, its near-duplicate band keys and its full-text entry land together
or not at all, so a run killed at any point leaves every document stored once or not yet.

:class:`SQLStore` holds the SQL that is the same on SQLite and PostgreSQL; placeholders are
written ``?`` and the PostgreSQL store rewrites them.
"""

from __future__ import annotations

import builtins
import datetime as dt
import email.utils
import json
from collections.abc import Sequence
from importlib import resources
from types import TracebackType
from typing import Any, Protocol, Self, runtime_checkable

from narrascope.corpus import duplicates
from narrascope.errors import NarrascopeError
from narrascope.model import Document
from narrascope.model.serialize import from_json, to_json

Row = dict[str, Any]
Rows = list[Row]


@runtime_checkable
class Store(Protocol):
    """What every storage backend offers (SQLite and PostgreSQL)."""

    url: str

    def add(self, doc: Document, analyzers: dict[str, str] | None = None) -> bool: ...
    def add_failure(self, origin: str, error: NarrascopeError) -> None: ...
    def get(self, id: str) -> Document | None: ...
    def has(self, id: str) -> bool: ...
    def list(self, limit: int = 50, offset: int = 0, outlet: str | None = None, q: str | None = None) -> Rows: ...
    def count(self) -> int: ...
    def stats(self) -> dict[str, Any]: ...
    def search(self, q: str, limit: int = 20) -> Rows: ...
    def query(self, sql: str, params: Sequence[Any] = ()) -> Rows: ...
    def failures(self, limit: int = 100) -> Rows: ...
    def close(self) -> None: ...
    def migrate(self) -> builtins.list[str]: ...
    def _match_ids(self, q: str) -> tuple[str, builtins.list[Any]]: ...
    def __enter__(self) -> Self: ...
    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...


def iso_date(value: str | None) -> str | None:
    """``published`` as an ISO date (YYYY-MM-DD), or None when it cannot be read as one.

    Reads ISO dates and datetimes (``2024-05-01``, ``2024-05-01T10:00:00Z``) and RFC 2822 dates
    (``Wed, 01 May 2024 10:00:00 GMT``, as in RSS). A bare month or year is not a date.
    """
    if not value:
        return None
    value = value.strip()
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def week_of(day: str | None) -> str | None:
    """The ISO date of the Monday of ``day``'s week."""
    if day is None:
        return None
    d = dt.date.fromisoformat(day)
    return (d - dt.timedelta(days=d.weekday())).isoformat()


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def migration_scripts(backend: str) -> builtins.list[tuple[str, str]]:
    """``(name, sql)`` of the backend's migrations, in name order (``0001_initial`` …)."""
    folder = resources.files("narrascope.storage") / "migrations" / backend
    scripts = [(p.name.removesuffix(".sql"), p.read_text(encoding="utf-8"))
               for p in folder.iterdir() if p.name.endswith(".sql")]
    return sorted(scripts)


class SQLStore:
    """The SQL shared by the backends. Subclasses set ``conn`` and the backend-specific parts."""

    url: str
    conn: Any

    # -- backend hooks -------------------------------------------------------------------------
    def migrate(self) -> builtins.list[str]:
        """Apply the migrations not applied yet; the names applied now."""
        raise NotImplementedError

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        raise NotImplementedError

    def _insert_document(self, values: dict[str, Any]) -> bool:
        raise NotImplementedError

    def _index_text(self, doc: Document, headline: str | None) -> None:
        """Add the document to the full-text index (inside the open transaction)."""

    def _transaction(self) -> Any:
        raise NotImplementedError

    def search(self, q: str, limit: int = 20) -> Rows:
        raise NotImplementedError

    def _match_ids(self, q: str) -> tuple[str, builtins.list[Any]]:
        """SQL selecting the ids of documents that match ``q``, with its parameters."""
        raise NotImplementedError

    # -- shared --------------------------------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        """Rows of a read-only query as dicts (``?`` placeholders)."""
        cur = self._execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def _scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self._execute(sql, params).fetchone()
        return row[0] if row else None

    def has(self, id: str) -> bool:
        return self._scalar("SELECT 1 FROM documents WHERE id = ?", (id,)) is not None

    def count(self) -> int:
        return int(self._scalar("SELECT COUNT(*) FROM documents") or 0)

    def get(self, id: str) -> Document | None:
        text = self._scalar("SELECT doc_json FROM documents WHERE id = ?", (id,))
        return from_json(text) if text is not None else None

    def _dup_group(self, doc: Document, sig: Any, keys: builtins.list[str]) -> str:
        marks = ",".join("?" * len(keys))
        rows = self.query(
            f"SELECT DISTINCT d.id, d.dup_group, d.minhash FROM dup_bands b JOIN documents d ON d.id = b.doc_id "
            f"WHERE b.key IN ({marks}) ORDER BY d.id",
            keys,
        )
        best: tuple[float, str] | None = None
        for row in rows:
            sim = duplicates.similarity(sig, duplicates.from_bytes(row["minhash"]))
            if sim >= duplicates.THRESHOLD and (best is None or sim > best[0]):
                best = (sim, row["dup_group"])
        return best[1] if best else doc.id

    def add(self, doc: Document, analyzers: dict[str, str] | None = None) -> bool:
        """Store ``doc`` with its layers; False (and nothing written) when its id is stored."""
        sig = duplicates.signature(duplicates.body(doc.text, doc.body_start))
        keys = duplicates.band_keys(sig)
        headline = doc.headline_text
        day = iso_date(doc.published)
        with self._transaction():
            if self.has(doc.id):
                return False
            values = {
                "id": doc.id, "headline": headline, "url": doc.url, "outlet": doc.outlet,
                "published": day, "week": week_of(day), "language": doc.language,
                "origin": doc.origin, "genre": doc.genre.label if doc.genre else None,
                "added_at": now(), "dup_group": self._dup_group(doc, sig, keys),
                "minhash": duplicates.to_bytes(sig),
                "analyzers": json.dumps(analyzers if analyzers is not None else doc.analyzers),
                "n_statements": _n(doc.statements), "n_techniques": _n(doc.techniques),
                "n_narratives": _n(doc.narratives), "n_frames": _n(doc.frames),
                "doc_json": to_json(doc, indent=None),
            }
            if not self._insert_document(values):
                return False
            self._insert_layers(doc, keys)
            self._index_text(doc, headline)
            if doc.origin:
                self._execute("DELETE FROM failures WHERE origin = ?", (doc.origin,))
        return True

    def _many(self, sql: str, rows: builtins.list[tuple[Any, ...]]) -> None:
        for row in rows:
            self._execute(sql, row)

    def _insert_layers(self, doc: Document, keys: builtins.list[str]) -> None:
        self._many(
            "INSERT INTO statements (doc_id, idx, source_type, source_text, content, kind, status) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(doc.id, i, s.source.type, s.source.text, s.content.text, s.kind, s.status)
             for i, s in enumerate(doc.statements or ())],
        )
        self._many(
            "INSERT INTO techniques (doc_id, idx, technique, confidence) VALUES (?, ?, ?, ?)",
            [(doc.id, i, t.technique, t.confidence) for i, t in enumerate(doc.techniques or ())],
        )
        self._many(
            "INSERT INTO frames (doc_id, idx, frame, confidence) VALUES (?, ?, ?, ?)",
            [(doc.id, i, f.frame, f.confidence) for i, f in enumerate(doc.frames or ())],
        )
        self._many(
            "INSERT INTO narratives (doc_id, idx, taxonomy, narrative, subnarrative, confidence) VALUES (?, ?, ?, ?, ?, ?)",
            [(doc.id, i, n.taxonomy, n.narrative, n.subnarrative, n.confidence)
             for i, n in enumerate(doc.narratives or ())],
        )
        self._many("INSERT INTO dup_bands (key, doc_id) VALUES (?, ?)", [(k, doc.id) for k in keys])

    def add_failure(self, origin: str, error: NarrascopeError) -> None:
        """Record why ``origin`` failed; the same origin and code again replaces the record."""
        with self._transaction():
            self._execute("DELETE FROM failures WHERE origin = ? AND code = ?", (origin, error.code))
            self._execute(
                "INSERT INTO failures (origin, code, type, message, hint, added_at) VALUES (?, ?, ?, ?, ?, ?)",
                (origin, error.code, type(error).__name__, error.message, error.hint, now()),
            )

    def failures(self, limit: int = 100) -> Rows:
        return self.query(
            "SELECT origin, code, type, message, hint, added_at FROM failures ORDER BY added_at, origin LIMIT ?",
            (limit,),
        )

    def list(self, limit: int = 50, offset: int = 0, outlet: str | None = None, q: str | None = None) -> Rows:
        """Summaries, newest publication first: id, headline, outlet, published, url, dup_group, counts."""
        where, params = [], []
        if outlet is not None:
            where.append("outlet = ?")
            params.append(outlet)
        if q:
            sub, sub_params = self._match_ids(q)
            where.append(f"id IN ({sub})")
            params.extend(sub_params)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        rows = self.query(
            "SELECT id, headline, outlet, published, url, language, genre, dup_group, added_at, "
            "n_statements, n_techniques, n_narratives, n_frames FROM documents "
            f"{clause} ORDER BY published IS NULL, published DESC, added_at DESC, id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        out = []
        for r in rows:
            counts = {k: r.pop(f"n_{k}") for k in ("statements", "techniques", "narratives", "frames")}
            out.append({**r, "counts": counts})
        return out

    def stats(self) -> dict[str, Any]:
        """documents (distinct stored articles), duplicates (near-duplicate copies, i.e. stored
        documents grouped under an earlier one), dup_groups (groups with copies), failed (failure
        records), outlets, first and last publication date."""
        row = self.query(
            "SELECT COUNT(*) AS documents, "
            "SUM(CASE WHEN dup_group <> id THEN 1 ELSE 0 END) AS duplicates, "
            "COUNT(DISTINCT CASE WHEN dup_group <> id THEN dup_group END) AS dup_groups, "
            "COUNT(DISTINCT outlet) AS outlets, MIN(published) AS first_published, "
            "MAX(published) AS last_published FROM documents"
        )[0]
        row["duplicates"] = int(row["duplicates"] or 0)
        row["failed"] = int(self._scalar("SELECT COUNT(*) FROM failures") or 0)
        row["statements"] = int(self._scalar("SELECT COUNT(*) FROM statements") or 0)
        return {k: (int(v) if isinstance(v, int) else v) for k, v in row.items()}

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _n(layer: tuple[Any, ...] | None) -> int | None:
    return None if layer is None else len(layer)
