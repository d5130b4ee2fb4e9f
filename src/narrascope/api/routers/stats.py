"""``/api/stats``: corpus size, duplicates and failures."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from narrascope.api import deps, service

router = APIRouter(prefix="/api", tags=["stats"])


@router.get("/stats", summary="Corpus statistics")
def stats(store: Annotated[Any, Depends(deps.store)]) -> dict[str, Any]:
    """``count`` and the store's own figures (documents, duplicates, failed, …)."""
    return service.stats(store)
