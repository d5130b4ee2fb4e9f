"""The FastAPI application: JSON API under ``/api``, web pages at ``/``, OpenAPI at ``/openapi.json``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI

import narrascope
from narrascope.api import deps, errors, service
from narrascope.api.limits import BodyLimitMiddleware
from narrascope.api.routers import analyze, documents, search, stats, views


def create_app(
    store_url: str,
    token: str | None = None,
    max_body: int = 5_000_000,
    *,
    store: Any = None,
) -> FastAPI:
    """The app over the corpus store at ``store_url`` (SQLite path or URL, ``postgresql://…``).

    ``token``: when given, every ``/api`` route needs ``Authorization: Bearer <token>``.
    ``max_body``: request bodies over this many bytes are refused with 413 before they are read.
    ``store``: an already open store to use instead of opening ``store_url`` (tests, embedding).
    Every error, from any route, is ``{"error": {"code", "type", "message", "hint"}}``.
    """
    handle = deps.StoreHandle(store_url, store)
    handle.check()  # raises the store's own error (e.g. StoreURLError) for a bad URL
    corpus_views = service.Views.load()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        handle.close()

    app = FastAPI(
        title="narrascope",
        version=narrascope.__version__,
        description="How news articles persuade: stored documents, their layers and corpus views. "
        "Every error is `{\"error\": {\"code\", \"type\", \"message\", \"hint\"}}`.",
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.store = handle
    app.state.token = token or None
    app.state.views = corpus_views
    app.state.max_body = max_body
    errors.install(app)
    app.add_middleware(BodyLimitMiddleware, max_body=max_body)

    protected = [Depends(deps.require_token)]
    app.include_router(documents.router, dependencies=protected)
    app.include_router(analyze.router, dependencies=protected)
    app.include_router(views.build(corpus_views), dependencies=protected)
    app.include_router(search.router, dependencies=protected)
    app.include_router(stats.router, dependencies=protected)

    from narrascope.web import pages

    app.include_router(pages.build(corpus_views))
    return app
