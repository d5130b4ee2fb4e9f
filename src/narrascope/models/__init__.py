"""Shipped weights: plain arrays (``NAME.npz``, never pickles) with a JSON sidecar (``NAME.json``).

:func:`load` is the one reader every analyzer uses; a missing pair gives ``None`` so an analyzer
can fall back or say so.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import numpy as np


def load(name: str, meta: bool = True) -> tuple[dict[str, np.ndarray], dict[str, Any]] | None:
    """The arrays of ``NAME.npz`` and the parsed ``NAME.json`` (``{}`` when ``meta`` is False),
    or None when a file is missing."""
    base = resources.files("narrascope.models")
    npz, sidecar = base / f"{name}.npz", base / f"{name}.json"
    if not npz.is_file() or (meta and not sidecar.is_file()):
        return None
    with resources.as_file(npz) as path, np.load(path, allow_pickle=False) as archive:
        arrays = {key: archive[key] for key in archive.files}
    return arrays, (json.loads(sidecar.read_text(encoding="utf-8")) if meta else {})
