"""The HTTP API (FastAPI): one router per resource, every error in one JSON shape.

::

    from narrascope.api import create_app
    app = create_app("corpus.db", token=None, max_body=5_000_000)

Routes: ``GET /api/documents``, ``GET /api/documents/{id}``, ``POST /api/analyze``,
``GET /api/views``, ``GET /api/views/{name}``, ``GET /api/search``, ``GET /api/stats``; the web
pages (``/``, ``/documents``, ``/documents/{id}``, ``/search``, ``/views/{name}``) are their
HTML twins. ``narrascope serve --db URL`` runs it with uvicorn.
"""

from narrascope.api.app import create_app

__all__ = ["create_app"]
