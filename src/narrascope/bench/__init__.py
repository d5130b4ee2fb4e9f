"""Benchmark tasks: each module offers ``predict(...)`` (write the task's prediction files) and
``score(...)`` (compare them with gold files and return metrics).

Tasks are registered in :data:`TASKS` by name; the CLI (``narrascope bench``) dispatches on it.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from types import ModuleType, SimpleNamespace
from typing import Any

from narrascope.errors import DataError

# task name -> "module" (functions predict/score) or "module:suffix" (predict_suffix/score_suffix)
TASKS: dict[str, str] = {
    "polnear": "narrascope.bench.polnear",
    "semeval2025-st1": "narrascope.bench.semeval2025:st1",
    "semeval2025-st2": "narrascope.bench.semeval2025:st2",
    "semeval2023-st1": "narrascope.bench.semeval2023:st1",
    "semeval2023-st2": "narrascope.bench.semeval2023:st2",
    "semeval2023-st3": "narrascope.bench.semeval2023:st3",
    "semeval2020-si": "narrascope.bench.semeval2020:si",
    "semeval2020-tc": "narrascope.bench.semeval2020:tc",
    "checkthat2024": "narrascope.bench.checkthat",
    "fnc1": "narrascope.bench.fnc1",
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


def task(name: str) -> SimpleNamespace:
    """``predict`` and ``score`` of benchmark task ``name``."""
    if name not in TASKS:
        raise DataError(f"unknown benchmark task {name!r}", hint=f"choose from: {', '.join(sorted(TASKS))}")
    module_name, _, suffix = TASKS[name].partition(":")
    try:
        module: ModuleType = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        raise DataError(f"benchmark task {name!r} is not available in this build", hint="update narrascope") from exc
    tail = f"_{suffix}" if suffix else ""
    return SimpleNamespace(predict=getattr(module, f"predict{tail}"), score=getattr(module, f"score{tail}"))


__all__ = ["TASKS", "call", "task"]
