"""``narrascope serve --db URL``: the web pages and the JSON API over a corpus store, with uvicorn."""

from __future__ import annotations

import ipaddress
import os
from typing import Annotated

import typer

from narrascope.cli import fail
from narrascope.errors import NarrascopeError

TOKEN_ENV = "NARRASCOPE_TOKEN"


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    db: Annotated[str, typer.Option("--db", help="The corpus store: a SQLite path or sqlite:///… / postgresql://… URL.")],
    host: Annotated[str, typer.Option(help="Address to listen on; anything but loopback is reachable by others.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    token: Annotated[str | None, typer.Option(
        help=f"Require `Authorization: Bearer TOKEN` on /api routes (default: ${TOKEN_ENV}, if set).")] = None,
    max_body: Annotated[int, typer.Option(min=1, help="Refuse request bodies over this many bytes (413).")] = 5_000_000,
) -> None:
    """Serve the corpus dashboard, article pages, search and the JSON API (OpenAPI at /openapi.json)."""
    import uvicorn

    from narrascope.api import create_app

    token = token or os.environ.get(TOKEN_ENV) or None
    try:
        app = create_app(db, token=token, max_body=max_body)
    except NarrascopeError as err:
        raise fail(err) from None
    if not _loopback(host) and not token:
        typer.echo(f"warning: serving on {host} without a token; anyone who can reach it can use /api "
                   f"(set --token or ${TOKEN_ENV})", err=True)
    typer.echo(f"narrascope: http://{host}:{port}/  (API: /api, OpenAPI: /openapi.json)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
