"""View rows (flat dicts) into chart data: series over time and an outlet × label matrix.

Rows come from ``narrascope.corpus.views``; the key names are looked up among a few likely ones,
so a view may call its period ``period``, ``bucket`` or ``date``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

TIME_KEYS = ("period", "bucket", "date", "day", "week", "month", "year", "time")
VALUE_KEYS = ("count", "documents", "articles", "n", "value", "total", "share")
SERIES_KEYS = ("narrative", "subnarrative", "label", "name")
ROW_KEYS = ("outlet", "source", "site")
COLUMN_KEYS = ("technique", "frame", "source_type", "type", "label", "name")


def _key(rows: Sequence[dict[str, Any]], candidates: Iterable[str], numeric: bool = False,
         exclude: Sequence[str] = ()) -> str | None:
    if not rows:
        return None
    keys = [k for k in rows[0] if k not in exclude]
    for c in candidates:
        if c in keys:
            return c
    for k in keys:  # fall back on the first key of the right kind
        v = rows[0][k]
        if numeric and isinstance(v, int | float) and not isinstance(v, bool):
            return k
        if not numeric and isinstance(v, str):
            return k
    return None


def _num(v: Any) -> float:
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else 0.0


def series_over_time(rows: Sequence[dict[str, Any]], max_series: int = 8) -> dict[str, Any]:
    """``{"x": [periods], "series": [{"name", "values"}]}``: the biggest ``max_series`` series."""
    tk = _key(rows, TIME_KEYS)
    vk = _key(rows, VALUE_KEYS, numeric=True)
    sk = _key(rows, SERIES_KEYS, exclude=[k for k in (tk, vk) if k])
    if not rows or tk is None or vk is None:
        return {"x": [], "series": []}
    xs = sorted({str(r.get(tk)) for r in rows})
    totals: dict[str, dict[str, float]] = {}
    for r in rows:
        name = str(r.get(sk)) if sk else "documents"
        per = totals.setdefault(name, {})
        per[str(r.get(tk))] = per.get(str(r.get(tk)), 0.0) + _num(r.get(vk))
    biggest = sorted(totals, key=lambda n: (-sum(totals[n].values()), n))[:max_series]
    return {"x": xs, "series": [{"name": n, "values": [totals[n].get(x, 0.0) for x in xs]} for n in biggest],
            "keys": {"x": tk, "series": sk, "value": vk}}


def matrix(rows: Sequence[dict[str, Any]], max_rows: int = 20, max_cols: int = 16,
           value: str | None = None) -> dict[str, Any]:
    """``{"rows", "cols", "cells", "max"}``: outlets × labels, the largest first; ``value`` names
    the number to show (default: the first of :data:`VALUE_KEYS` the rows have)."""
    rk = _key(rows, ROW_KEYS)
    vk = value if rows and value in rows[0] else _key(rows, VALUE_KEYS, numeric=True)
    ck = _key(rows, COLUMN_KEYS, exclude=[k for k in (rk, vk) if k])
    if not rows or rk is None or ck is None:
        return {"rows": [], "cols": [], "cells": [], "max": 0}
    grid: dict[tuple[str, str], float] = {}
    for r in rows:
        key = (str(r.get(rk)), str(r.get(ck)))
        grid[key] = grid.get(key, 0.0) + (_num(r.get(vk)) if vk else 1.0)
    row_tot: dict[str, float] = {}
    col_tot: dict[str, float] = {}
    for (a, b), v in grid.items():
        row_tot[a] = row_tot.get(a, 0.0) + v
        col_tot[b] = col_tot.get(b, 0.0) + v
    out_rows = sorted(row_tot, key=lambda k: (-row_tot[k], k))[:max_rows]
    out_cols = sorted(col_tot, key=lambda k: (-col_tot[k], k))[:max_cols]
    cells = [[grid.get((a, b), 0.0) for b in out_cols] for a in out_rows]
    top = max((v for row in cells for v in row), default=0.0)
    return {"rows": out_rows, "cols": out_cols, "cells": cells, "max": top,
            "keys": {"row": rk, "col": ck, "value": vk}}


def columns(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Every key of the rows, in first-seen order (a view table's header)."""
    seen: dict[str, None] = {}
    for r in rows:
        for k in r:
            seen.setdefault(k, None)
    return list(seen)
