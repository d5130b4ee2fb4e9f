"""``/api/views``: every corpus view (``narrascope.corpus.views.VIEWS``) as JSON rows.

Each view gets its own route, ``GET /api/views/{name}``, so ``/openapi.json`` lists them all;
all take the same query parameters (those of ``ViewParams``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from narrascope.api import deps, service


class ViewQuery:
    """The query parameters every view takes; unset ones keep the view's defaults."""

    def __init__(
        self,
        granularity: Annotated[str | None, Query(max_length=20, description="day or week")] = None,
        outlet: Annotated[str | None, Query(max_length=500)] = None,
        since: Annotated[str | None, Query(max_length=40, description="ISO date, inclusive")] = None,
        until: Annotated[str | None, Query(max_length=40, description="ISO date, inclusive")] = None,
        limit: Annotated[int | None, Query(ge=1, le=10000)] = None,
        q: Annotated[str | None, Query(max_length=500)] = None,
        narrative: Annotated[str | None, Query(max_length=500)] = None,
        threshold: Annotated[float | None, Query(ge=0, le=1, description="claim similarity (repeated_claims)")] = None,
    ) -> None:
        self.params = {"granularity": granularity, "outlet": outlet, "since": since, "until": until,
                       "limit": limit, "q": q, "narrative": narrative, "threshold": threshold}


def build(views: service.Views) -> APIRouter:
    router = APIRouter(prefix="/api/views", tags=["views"])

    @router.get("", summary="List the corpus views")
    def index() -> dict[str, Any]:
        """The view names, each answered at ``/api/views/{name}``."""
        return {"views": [{"name": n, "url": f"/api/views/{n}"} for n in views.names],
                "params": list(service.VIEW_PARAMS)}

    for name in views.names:
        router.add_api_route(f"/{name}", _endpoint(views, name), methods=["GET"], summary=f"View: {name}",
                             description=(getattr(views.functions[name], "__doc__", None) or name).strip(),
                             name=f"view_{name}")

    @router.get("/{name}", include_in_schema=False)
    def unknown(name: str, request: Request) -> dict[str, Any]:
        return service.run_view(views, None, name, {})

    return router


def _endpoint(views: service.Views, name: str) -> Any:
    def endpoint(
        store: Annotated[Any, Depends(deps.store)], query: Annotated[ViewQuery, Depends()]
    ) -> dict[str, Any]:
        return service.run_view(views, store, name, query.params)

    endpoint.__name__ = f"view_{name}"
    return endpoint
