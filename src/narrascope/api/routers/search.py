"""``/api/search``: full-text search over the stored documents."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from narrascope.api import deps, service

router = APIRouter(prefix="/api", tags=["search"])


@router.get("/search", summary="Search documents")
def search(
    store: Annotated[Any, Depends(deps.store)],
    q: Annotated[str, Query(max_length=500, description="words to find")] = "",
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> dict[str, Any]:
    """Matching documents (id, headline, snippet), best first; an empty query finds nothing."""
    return service.search(store, q, limit)
