"""The page routes. Each renders the dictionary of its ``/api`` twin through a Jinja2 template."""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from narrascope.api import deps, service
from narrascope.errors import NarrascopeError
from narrascope.report import html as report_html
from narrascope.web import charts

Store = Annotated[Any, Depends(deps.store)]


@functools.cache
def _env() -> Environment:
    env = Environment(loader=PackageLoader("narrascope.web", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    # our own CSS/JS go into <style>/<script> verbatim: entities are not decoded there
    env.globals["asset"] = lambda name: Markup(_asset(name))
    env.globals["layer_css"] = lambda doc=None: Markup(report_html.layer_css(doc))
    env.globals["LAYER_STYLES"] = report_html.LAYER_STYLES
    env.filters["num"] = _fmt_num
    return env


@functools.cache
def _asset(name: str) -> str:
    package = "narrascope.report" if name.startswith("report.") else "narrascope.web.static"
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


def _fmt_num(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.0f}" if v.is_integer() else f"{v:.2f}"
    return str(v)


_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def secure(html: str) -> HTMLResponse:
    """The page with a Content-Security-Policy that lets only its own inline scripts run.

    Every ``<script>`` without a type is ours (article strings are escaped, so they cannot open
    one); each is allowed by its hash. JSON data blocks (``type="application/json"``) never run.
    """
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(m.group(1).encode()).digest()).decode() + "'"
        for m in _SCRIPT.finditer(html)
    )
    scripts = hashes or "'none'"
    csp = (f"default-src 'none'; script-src {scripts}; style-src 'unsafe-inline'; "
           "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
    return HTMLResponse(html, headers={"Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff",
                                       "Referrer-Policy": "no-referrer"})


def page(template: str, **context: Any) -> HTMLResponse:
    return secure(_env().get_template(template).render(**context))


def _view_or_none(views: service.Views, store: Any, name: str, params: dict[str, Any]) -> dict[str, Any] | None:
    if name not in views.functions:
        return None
    try:
        return service.run_view(views, store, name, params)
    except NarrascopeError:
        return None


def build(views: service.Views) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/", response_class=HTMLResponse)
    def dashboard(store: Store,
                  granularity: Annotated[str | None, Query(max_length=20)] = None) -> HTMLResponse:
        stats = service.stats(store)
        over_time = _view_or_none(views, store, "narratives_over_time", {"granularity": granularity})
        techniques = _view_or_none(views, store, "techniques_by_outlet", {})
        frames = _view_or_none(views, store, "frames_by_outlet", {})
        sources = _view_or_none(views, store, "source_types_by_outlet", {})
        recent = service.list_documents(store, 10, 0, None, None)
        return page(
            "dashboard.html", title="Corpus dashboard", twin="/api/stats", stats=stats,
            over_time=charts.series_over_time(over_time["rows"]) if over_time else None,
            techniques=charts.matrix(techniques["rows"]) if techniques else None,
            frames=charts.matrix(frames["rows"]) if frames else None,
            sources=charts.matrix(sources["rows"], value="statements") if sources else None,
            recent=recent["items"], views=views.names, granularity=granularity,
        )

    @router.get("/documents", response_class=HTMLResponse)
    def documents(store: Store, limit: Annotated[int, Query(ge=1, le=1000)] = 50,
                  offset: Annotated[int, Query(ge=0)] = 0,
                  outlet: Annotated[str | None, Query(max_length=500)] = None,
                  q: Annotated[str | None, Query(max_length=500)] = None) -> HTMLResponse:
        data = service.list_documents(store, limit, offset, outlet, q)
        return page("documents.html", title="Documents", twin="/api/documents", data=data)

    @router.get("/documents/{doc_id:path}/report", response_class=HTMLResponse)
    def report(doc_id: str, store: Store) -> HTMLResponse:
        """The standalone single-article report (``narrascope analyze --html``)."""
        return secure(report_html.render(service.get_document(store, doc_id)))

    @router.get("/documents/{doc_id:path}", response_class=HTMLResponse)
    def article(doc_id: str, store: Store) -> HTMLResponse:
        doc = service.get_document(store, doc_id)
        return page("article.html", title=doc.headline_text or doc.id, twin=f"/api/documents/{doc.id}",
                    doc=doc, article=report_html.article_html(doc))

    @router.get("/search", response_class=HTMLResponse)
    def search(store: Store, q: Annotated[str, Query(max_length=500)] = "",
               limit: Annotated[int, Query(ge=1, le=200)] = 20) -> HTMLResponse:
        data = service.search(store, q, limit)
        return page("search.html", title="Search", twin="/api/search", data=data)

    @router.get("/views/{name}", response_class=HTMLResponse)
    def view(name: str, store: Store,
             granularity: Annotated[str | None, Query(max_length=20)] = None,
             outlet: Annotated[str | None, Query(max_length=500)] = None,
             since: Annotated[str | None, Query(max_length=40)] = None,
             until: Annotated[str | None, Query(max_length=40)] = None,
             limit: Annotated[int | None, Query(ge=1, le=10000)] = None,
             q: Annotated[str | None, Query(max_length=500)] = None,
             narrative: Annotated[str | None, Query(max_length=500)] = None) -> HTMLResponse:
        params = {"granularity": granularity, "outlet": outlet, "since": since, "until": until,
                  "limit": limit, "q": q, "narrative": narrative}
        data = service.run_view(views, store, name, params)
        return page("view.html", title=f"View: {name}", twin=f"/api/views/{name}", data=data,
                    columns=charts.columns(data["rows"]), views=views.names)

    return router
