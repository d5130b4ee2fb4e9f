"""Write view rows to CSV, JSONL or Parquet.

Rows are flat dicts; a list or dict value (e.g. ``outlets`` of ``narrative_spread``) is written
as JSON text in CSV, and as a list column in Parquet where all its items are strings. Parquet
needs pyarrow: ``pip install "narrascope[parquet]"``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from narrascope.errors import InputError

FORMATS = ("csv", "jsonl", "parquet")


class ExportError(InputError):
    code = "E112"
    default_hint = "use --format csv, jsonl or parquet"


def columns(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Every key of the rows, in first-seen order."""
    return list(dict.fromkeys(k for r in rows for k in r))


def _cell(value: Any) -> Any:
    if isinstance(value, list | dict | tuple):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


def write(rows: Iterable[dict[str, Any]], path: str | Path, format: str) -> Path:
    """Write ``rows`` to ``path`` as ``format`` (csv, jsonl or parquet); the path written."""
    rows = list(rows)
    path = Path(path)
    if format == "jsonl":
        with path.open("w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    elif format == "csv":
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=columns(rows))
            writer.writeheader()
            for r in rows:
                writer.writerow({k: _cell(v) for k, v in r.items()})
    elif format == "parquet":
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise ExportError("writing Parquet needs pyarrow, which is not installed",
                              hint='pip install "narrascope[parquet]"  (or: pip install "pyarrow>=17")') from None
        cols = columns(rows)
        table = pa.table({c: [r.get(c) for r in rows] for c in cols}) if rows else pa.table({})
        pq.write_table(table, path)
    else:
        raise ExportError(f"unknown export format {format!r}")
    return path


def read(path: str | Path, format: str) -> list[dict[str, Any]]:
    """Rows back from a file written by :func:`write` (CSV values come back as strings)."""
    path = Path(path)
    if format == "jsonl":
        with path.open(encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    if format == "csv":
        with path.open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))
    if format == "parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path).to_pylist()  # type: ignore[no-any-return]
    raise ExportError(f"unknown export format {format!r}")
