"""Benchmark tasks: each module offers ``predict(...)`` (write the task's prediction files) and
``score(...)`` (compare them with gold files and return metrics).

Tasks are registered in :data:`TASKS` by name; the CLI (``narrascope bench``) dispatches on it.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from narrascope.errors import DataError

TASKS: dict[str, str] = {
    "polnear": "narrascope.bench.polnear",
}


def task(name: str) -> ModuleType:
    """The module implementing benchmark task ``name``."""
    if name not in TASKS:
        raise DataError(f"unknown benchmark task {name!r}", hint=f"choose from: {', '.join(sorted(TASKS))}")
    return importlib.import_module(TASKS[name])


__all__ = ["TASKS", "task"]
