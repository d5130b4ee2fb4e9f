"""Benchmark tasks: each module offers ``predict(...)`` (write the task's prediction files) and
``score(...)`` (compare them with gold files and return metrics).

Tasks are registered in :data:`TASKS` by name; the CLI (``narrascope bench``) dispatches on it.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from types import ModuleType
from typing import Any

from narrascope.errors import DataError

TASKS: dict[str, str] = {
    "polnear": "narrascope.bench.polnear",
}


def call(func: Callable[..., Any], task: str, options: dict[str, Any]) -> Any:
    """Call a task's ``predict``/``score`` with the CLI options it takes; a missing one is a DataError."""
    params = inspect.signature(func).parameters
    missing = [n for n, p in params.items()
               if p.default is inspect.Parameter.empty and p.kind != p.VAR_KEYWORD and n not in options]
    if missing:
        flags = " ".join(f"--{n.replace('_', '-')} …" for n in missing)
        raise DataError(f"task {task!r} needs {flags}", hint=f"see `narrascope bench predict --help`; pass {flags}")
    extra = [n for n in options if n not in params]
    if extra and not any(p.kind == p.VAR_KEYWORD for p in params.values()):
        raise DataError(f"task {task!r} does not take --{', --'.join(extra)}", hint="drop those options")
    return func(**options)


def task(name: str) -> ModuleType:
    """The module implementing benchmark task ``name``."""
    if name not in TASKS:
        raise DataError(f"unknown benchmark task {name!r}", hint=f"choose from: {', '.join(sorted(TASKS))}")
    return importlib.import_module(TASKS[name])


__all__ = ["TASKS", "call", "task"]
