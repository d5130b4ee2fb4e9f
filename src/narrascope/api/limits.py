"""The request size limit, enforced before any route reads the body.

A declared ``Content-Length`` over the limit is refused at once with 413, nothing read. A body
without one (chunked) is read only up to the limit: the first byte past it ends the request with
413, so a 20 MB upload never sits in memory. The answer closes the connection, since the rest of
the body is left unread.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from narrascope.api.errors import error_body
from narrascope.errors import InputTooLargeError


async def send_too_large(send: Send, max_body: int, what: str) -> None:
    err = InputTooLargeError(
        f"request body {what} is over the limit of {max_body} bytes",
        hint=f"send at most {max_body} bytes (split the text, or start the server with a higher limit)",
    )
    body = json.dumps(error_body(err)).encode()
    await send({"type": "http.response.start", "status": 413, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware:
    """Pure ASGI middleware: refuse request bodies over ``max_body`` bytes with 413."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared: Any = None
        for key, value in scope.get("headers", ()):
            if key == b"content-length":
                declared = value
                break
        if declared is not None:
            try:
                size = int(declared)
            except ValueError:
                size = self.max_body + 1
            if size > self.max_body:
                await send_too_large(send, self.max_body, f"of {declared.decode('latin-1')} bytes")
                return
        # stream-count: read at most max_body bytes, then replay them to the app
        chunks: list[bytes] = []
        received = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # client went away
                await self.app(scope, _replay([message], receive), send)
                return
            body = message.get("body", b"")
            received += len(body)
            if received > self.max_body:
                await send_too_large(send, self.max_body, f"of more than {self.max_body} bytes")
                return
            chunks.append(body)
            more = message.get("more_body", False)
        first: Message = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        await self.app(scope, _replay([first], receive), send)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    queue = list(messages)

    async def replay() -> Message:
        if queue:
            return queue.pop(0)
        return await receive()

    return replay
