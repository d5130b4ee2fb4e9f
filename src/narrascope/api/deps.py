"""What the routes share: the store (one connection per server thread) and the token check."""

from __future__ import annotations

import contextlib
import secrets
import threading
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from narrascope.api.errors import UnauthorizedError


class StoreHandle:
    """Opens the store lazily, once per thread (SQLite connections stay in their thread)."""

    def __init__(self, url: str, store: Any = None) -> None:
        self.url = url
        self._shared = store
        self._local = threading.local()
        self._opened: list[Any] = []
        self._lock = threading.Lock()

    def get(self) -> Any:
        if self._shared is not None:
            return self._shared
        if ":memory:" in self.url:  # one in-memory database, shared by every thread
            with self._lock:
                if self._shared is None:
                    from narrascope.storage import open_store

                    self._shared = open_store(self.url)
                    self._opened.append(self._shared)
            return self._shared
        store = getattr(self._local, "store", None)
        if store is None:
            from narrascope.storage import open_store

            store = open_store(self.url)
            self._local.store = store
            with self._lock:
                self._opened.append(store)
        return store

    def check(self) -> None:
        """Open the store once now, so a bad URL or database fails at start-up, not on a request."""
        if self._shared is not None or ":memory:" in self.url:
            self.get()
            return
        from narrascope.storage import open_store

        open_store(self.url).close()

    def close(self) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
        for store in opened:
            with contextlib.suppress(Exception):  # closing at shutdown is best effort
                store.close()


def store(request: Request) -> Any:
    """The corpus store for this request."""
    handle: StoreHandle = request.app.state.store
    return handle.get()


_bearer = HTTPBearer(auto_error=False, description="Needed when the server was started with a token.")


def require_token(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> None:
    """When the app has a token, every /api route needs ``Authorization: Bearer <token>``."""
    token: str | None = request.app.state.token
    if not token:
        return
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise UnauthorizedError("this API needs a bearer token")
    if not secrets.compare_digest(credentials.credentials.encode(), token.encode()):
        raise UnauthorizedError("the bearer token is not valid")
