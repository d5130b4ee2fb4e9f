"""Reproducible training per benchmark; each trainer is a module with ``main(argv) -> int``.

``narrascope train NAME --data PATH …`` runs ``TRAINERS[NAME]``. ``--data`` may be the data root
(``../shared/data``) or the benchmark's own folder; :func:`dataset` resolves either.
"""

from __future__ import annotations

from pathlib import Path

from narrascope.errors import DataError

TRAINERS: dict[str, str] = {
    "attribution": "narrascope.training.polnear",
    "narratives": "narrascope.training.narratives",
    "roles": "narrascope.training.roles",
    "techniques": "narrascope.training.techniques",
    "frames": "narrascope.training.frames",
    "genre": "narrascope.training.genre",
    "checkworthy": "narrascope.training.checkworthy",
    "stance": "narrascope.training.stance",
}


def dataset(data: Path, folder: str, marker: str) -> Path:
    """``data`` itself when it holds ``marker``, else ``data/folder``; a DataError otherwise."""
    for candidate in (data, data / folder):
        if (candidate / marker).exists():
            return candidate
    raise DataError(
        f"no {folder} data under {data} (looked for {marker})",
        hint=f"pass --data with the benchmark root (holding {folder}/) or the {folder} folder itself",
    )
