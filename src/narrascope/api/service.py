"""The library calls behind each resource, shared by the JSON routes and the web pages.

Every page has a JSON twin because both call these functions: a page renders the same
dictionary its ``/api`` route returns.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
import threading
import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import anyio

from narrascope.api.errors import InvalidRequestError, NotFoundError
from narrascope.errors import NarrascopeError
from narrascope.model import Document, to_dict
from narrascope.pipeline import DEFAULT_ANALYZERS, Pipeline

log = logging.getLogger("narrascope.api")

ViewFn = Callable[[Any, Any], list[dict[str, Any]]]

VIEW_PARAMS = ("granularity", "outlet", "since", "until", "limit", "q", "narrative", "threshold")


@dataclasses.dataclass(frozen=True)
class Views:
    """The corpus views this server answers, and the params type they take."""

    functions: Mapping[str, ViewFn]
    params_type: Callable[..., Any] | None

    @classmethod
    def load(cls) -> Views:
        try:
            from narrascope.corpus.views import VIEWS, ViewParams
        except ImportError as exc:  # the corpus package is missing: serve documents without views
            log.warning("corpus views unavailable (%s); /api/views answers nothing", exc)
            return cls({}, None)
        return cls(dict(VIEWS), ViewParams)

    @property
    def names(self) -> list[str]:
        return list(self.functions)


def list_documents(store: Any, limit: int, offset: int, outlet: str | None, q: str | None) -> dict[str, Any]:
    items = store.list(limit=limit, offset=offset, outlet=outlet, q=q)
    return {"items": items, "total": store.count(), "limit": limit, "offset": offset,
            "outlet": outlet, "q": q}


def get_document(store: Any, doc_id: str) -> Document:
    doc = store.get(doc_id)
    if doc is None:
        raise NotFoundError(f"no document with id {doc_id!r}",
                            hint="list the stored documents with GET /api/documents")
    return doc


def document_json(doc: Document) -> dict[str, Any]:
    return to_dict(doc)


def search(store: Any, q: str, limit: int) -> dict[str, Any]:
    q = q.strip()
    results = store.search(q, limit=limit) if q else []
    return {"q": q, "limit": limit, "results": results}


def stats(store: Any) -> dict[str, Any]:
    return {"count": store.count(), **dict(store.stats())}


def run_view(views: Views, store: Any, name: str, params: Mapping[str, Any]) -> dict[str, Any]:
    fn = views.functions.get(name)
    if fn is None or views.params_type is None:
        raise NotFoundError(f"no view named {name!r}",
                            hint="choose one of: " + (", ".join(views.names) or "(none installed)"))
    given = {k: v for k, v in params.items() if v is not None}
    try:
        vp = views.params_type(**given)
    except (TypeError, ValueError) as exc:
        raise InvalidRequestError(f"bad parameters for view {name!r}: {exc}") from None
    try:
        rows = fn(store, vp)
    except NarrascopeError:
        raise
    except ValueError as exc:
        raise InvalidRequestError(f"view {name!r}: {exc}") from None
    return {"view": name, "params": given, "rows": list(rows)}


# --- analysis --------------------------------------------------------------------------------

_analysis_lock = threading.Lock()


_limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = weakref.WeakKeyDictionary()


def analysis_limiter() -> anyio.CapacityLimiter:
    """One analysis thread per event loop (CPU-bound work; more threads would only share the GIL)."""
    loop = asyncio.get_running_loop()
    limiter = _limiters.get(loop)
    if limiter is None:
        limiter = _limiters[loop] = anyio.CapacityLimiter(1)
    return limiter


@functools.lru_cache(maxsize=8)
def pipeline(names: tuple[str, ...]) -> Pipeline:
    """One pipeline per analyzer list per process; the models load on first use, then stay."""
    return Pipeline(names)


def analyze(text: str, analyzers: Sequence[str] | None = None, **meta: Any) -> Document:
    """Analyse one text with the (cached) pipeline. One analysis at a time per process."""
    from narrascope.ingest import from_text

    names = tuple(analyzers or DEFAULT_ANALYZERS)
    pipe = pipeline(names)  # raises PipelineError (422) for an unknown analyzer
    doc = from_text(text, **meta)
    with _analysis_lock:
        return pipe(doc)
