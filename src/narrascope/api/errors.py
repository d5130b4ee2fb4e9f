"""Every API error in one JSON shape: ``{"error": {"code", "type", "message", "hint"}}``.

Library errors (:class:`~narrascope.errors.NarrascopeError`) are answered with their own
``to_dict()``; HTTP-level failures are typed here, in the E7xx range, so they share the shape::

    NarrascopeError
    └── APIError                    E700  a request the API cannot answer
        ├── InvalidRequestError     E701  422: bad query, body or parameters
        ├── UnauthorizedError       E702  401: missing or wrong bearer token
        ├── NotFoundError           E703  404: no such document, view or route
        ├── MethodNotAllowedError   E704  405
        └── InternalError           E705  500: a bug; the details go to the server log

A body over the size limit is the library's own :class:`~narrascope.errors.InputTooLargeError`
(E103) with status 413.
"""

from __future__ import annotations

import html
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from narrascope.errors import (
    InputError,
    InputTooLargeError,
    NarrascopeError,
    PipelineError,
)

log = logging.getLogger("narrascope.api")


class APIError(NarrascopeError):
    code = "E700"
    status = 400
    default_hint = "see /docs or /openapi.json for the routes and their parameters"


class InvalidRequestError(APIError):
    code = "E701"
    status = 422
    default_hint = "fix the request's parameters or body; /openapi.json lists what each route takes"


class UnauthorizedError(APIError):
    code = "E702"
    status = 401
    default_hint = "send the header `Authorization: Bearer <token>` with the token the server was started with"


class NotFoundError(APIError):
    code = "E703"
    status = 404
    default_hint = "list what exists with GET /api/documents, /api/views or /openapi.json"


class MethodNotAllowedError(APIError):
    code = "E704"
    status = 405


class InternalError(APIError):
    code = "E705"
    status = 500
    default_hint = "this is a bug: report it with the request that caused it (the server log has the details)"


def status_of(err: NarrascopeError) -> int:
    """The HTTP status for a library or API error."""
    if isinstance(err, APIError):
        return err.status
    if isinstance(err, InputTooLargeError):
        return 413
    if isinstance(err, InputError | PipelineError):
        return 422
    return 500


def error_body(err: NarrascopeError) -> dict[str, Any]:
    return {"error": err.to_dict()}


def error_response(err: NarrascopeError, status: int | None = None) -> JSONResponse:
    status = status or status_of(err)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(error_body(err), status_code=status, headers=headers)


def _for(request: Request, err: NarrascopeError, status: int | None = None) -> Response:
    """JSON for the API; a page route asked for by a browser gets the same fields as HTML."""
    status = status or status_of(err)
    if not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", ""):
        d = {k: html.escape(v) for k, v in err.to_dict().items()}
        page = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{status} — narrascope'
                f'</title></head><body><main class="error"><h1>{status}: {d["message"]}</h1>'
                f'<p>error[{d["code"]}] {d["type"]}</p><p>Hint: {d["hint"]}</p><p><a href="/">Dashboard</a>'
                "</p></main></body></html>")
        return HTMLResponse(page, status_code=status)
    return error_response(err, status)


def _from_http(exc: StarletteHTTPException) -> NarrascopeError:
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if exc.status_code == 404:
        return NotFoundError(detail if detail != "Not Found" else "no such route")
    if exc.status_code == 405:
        return MethodNotAllowedError(detail)
    if exc.status_code == 401:
        return UnauthorizedError(detail)
    if exc.status_code == 413:
        return InputTooLargeError(detail)
    if exc.status_code >= 500:
        return InternalError(detail)
    err = APIError(detail)
    err.status = exc.status_code
    return err


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for e in exc.errors()[:5]:
        where = ".".join(str(x) for x in e.get("loc", ()) if x != "body") or "request"
        parts.append(f"{where}: {e.get('msg', 'invalid')}")
    return "invalid request — " + "; ".join(parts)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into the one JSON shape."""

    async def on_library(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, NarrascopeError)
        return _for(request, exc)

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        err = _from_http(exc)
        response = _for(request, err, exc.status_code)
        for k, v in (exc.headers or {}).items():
            response.headers.setdefault(k, v)
        return response

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return _for(request, InvalidRequestError(_validation_message(exc)))

    async def on_any(request: Request, exc: Exception) -> Response:
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return _for(request, InternalError(f"internal error ({type(exc).__name__})"))

    app.add_exception_handler(NarrascopeError, on_library)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(Exception, on_any)
