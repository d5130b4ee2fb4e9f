"""`narrascope ingest` and `narrascope corpus …`: fill a store, then read it.

``ingest_cmd`` is mounted as ``narrascope ingest`` and ``corpus_app`` as ``narrascope corpus``
by :mod:`narrascope.cli.main`; ``python -m narrascope.cli.corpus`` runs both on their own.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from narrascope.cli import EXIT_ERROR, EXIT_PARTIAL, fail
from narrascope.errors import NarrascopeError
from narrascope.pipeline import DEFAULT_ANALYZERS

DEFAULT_DB = "narrascope.db"

DbOption = Annotated[str, typer.Option("--db", help="Store: PATH.db, sqlite:///PATH.db or postgresql://… URL.")]


def _open(db: str) -> Any:
    from narrascope.storage import open_store

    try:
        return open_store(db)
    except NarrascopeError as err:
        raise fail(err) from None


def ingest_cmd(
    sources: Annotated[list[str], typer.Argument(help="Folders, text/HTML/JSONL files, RSS/Atom feeds (file or URL), WARC files, URLs.")],
    db: DbOption = DEFAULT_DB,
    workers: Annotated[int, typer.Option(min=1, help="Processes (local engine) or workers (dask).")] = 1,
    engine: Annotated[str, typer.Option(help="local or dask.")] = "local",
    scheduler: Annotated[str | None, typer.Option(help="dask: address of a running scheduler (tcp://host:8786) for a multi-node cluster.")] = None,
    analyzers: Annotated[str, typer.Option(help="Comma-separated analyzers to run, in order.")] = ",".join(DEFAULT_ANALYZERS),
    allow_private: Annotated[bool, typer.Option(help="Allow URLs on loopback, private or link-local addresses.")] = False,
    fetch_links: Annotated[bool, typer.Option(help="Fetch the article of a feed entry that has no full content.")] = False,
    language: Annotated[str | None, typer.Option(help="Skip detection and treat every text as this language.")] = None,
    max_bytes: Annotated[int, typer.Option(help="Refuse inputs (files, pages, JSONL lines) larger than this.")] = 5_000_000,
    progress: Annotated[bool, typer.Option(help="Show a progress line on a terminal.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Analyse articles and keep them in a store. Re-running skips what is stored; a killed run
    resumes where it stopped."""
    from narrascope.corpus.ingest import ingest

    names = [a.strip() for a in analyzers.split(",") if a.strip()]
    with _open(db) as store:
        try:
            summary = ingest(sources, store, analyzers=names, engine=engine, workers=workers, progress=progress,
                             allow_private=allow_private, fetch_links=fetch_links, language=language,
                             max_bytes=max_bytes, scheduler=scheduler)
        except NarrascopeError as err:
            raise fail(err) from None
        for origin, code, message in summary.failed:
            typer.echo(f"{origin}: error[{code}] {' '.join(message.split())}", err=True)
        if as_json:
            typer.echo(json.dumps(summary.to_dict()))
        else:
            typer.echo(f"{summary.stored} stored ({summary.duplicates} near-duplicates), "
                       f"{summary.skipped_existing} already stored, {len(summary.failed)} failed; "
                       f"{store.count()} documents in {db}")
    if summary.failed:
        raise typer.Exit(EXIT_PARTIAL if summary.stored or summary.skipped_existing else EXIT_ERROR)


corpus_app = typer.Typer(help="Read a store: counts, views across documents, search.", no_args_is_help=True)


@corpus_app.command()
def stats(
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Documents, near-duplicate copies, failures and more."""
    with _open(db) as store:
        data = store.stats()
    if as_json:
        typer.echo(json.dumps(data))
    else:
        for k, v in data.items():
            typer.echo(f"{k}: {v}")


def _render(rows: list[dict[str, Any]], fmt: str, out: Path | None, title: str) -> None:
    from narrascope.corpus import export

    if out is not None:
        f = "jsonl" if fmt in ("json", "table") else fmt
        export.write(rows, out, f)
        typer.echo(f"{len(rows)} rows written to {out}", err=True)
        return
    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "jsonl":
        for r in rows:
            typer.echo(json.dumps(r, ensure_ascii=False))
    elif fmt == "csv":
        import csv
        import sys

        writer = csv.DictWriter(sys.stdout, fieldnames=export.columns(rows))
        writer.writeheader()
        for r in rows:
            writer.writerow({k: export._cell(v) for k, v in r.items()})
    elif fmt == "parquet":
        raise fail(export.ExportError("parquet needs a file", hint="pass --out FILE.parquet"))
    else:
        from rich.console import Console
        from rich.markup import escape
        from rich.table import Table

        table = Table(title=title)
        for c in export.columns(rows):
            table.add_column(c)
        for r in rows:
            table.add_row(*(escape("" if r.get(c) is None else ", ".join(map(str, r[c])) if isinstance(r.get(c), list)
                                   else str(r[c])) for c in export.columns(rows)))
        Console().print(table)


FORMATS = ("table", "json", "csv", "jsonl", "parquet")


@corpus_app.command("view")
def view_cmd(
    name: Annotated[str, typer.Argument(help="narratives_over_time, narrative_spread, techniques_by_outlet, "
                                             "frames_by_outlet, source_types_by_outlet, outlet_sources, "
                                             "repeated_claims, duplicates, search.")],
    db: DbOption = DEFAULT_DB,
    granularity: Annotated[str | None, typer.Option(help="day or week.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Only this outlet.")] = None,
    since: Annotated[str | None, typer.Option(help="First publication date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Last publication date (YYYY-MM-DD).")] = None,
    narrative: Annotated[str | None, typer.Option(help="Only this narrative.")] = None,
    q: Annotated[str | None, typer.Option("--q", help="Only documents matching this full-text query.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many rows (where the view ranks).")] = 100,
    threshold: Annotated[float, typer.Option(help="Cosine similarity for repeated_claims.")] = 0.8,
    fmt: Annotated[str, typer.Option("--format", help="table, json, csv, jsonl or parquet.")] = "table",
    out: Annotated[Path | None, typer.Option(help="Write the rows to this file (csv, jsonl or parquet).")] = None,
) -> None:
    """Aggregate the stored layers across documents."""
    from narrascope.corpus.export import ExportError
    from narrascope.corpus.views import ViewParams, view

    if fmt not in FORMATS:
        raise fail(ExportError(f"unknown format {fmt!r}", hint=f"use one of: {', '.join(FORMATS)}"))
    params = ViewParams(granularity=granularity, outlet=outlet, since=since, until=until, limit=limit,  # type: ignore[arg-type]
                        q=q, narrative=narrative, threshold=threshold)
    with _open(db) as store:
        try:
            rows = view(store, name, params)
        except NarrascopeError as err:
            raise fail(err) from None
    _render(rows, fmt, out, name)


@corpus_app.command("search")
def search_cmd(
    query: Annotated[str, typer.Argument(help="Words that must all appear.")],
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option(min=1)] = 20,
    fmt: Annotated[str, typer.Option("--format", help="table, json, csv or jsonl.")] = "table",
) -> None:
    """Full-text search over headlines and bodies."""
    with _open(db) as store:
        rows = store.search(query, limit=limit)
    _render(rows, fmt, None, f"search: {query}")


def _standalone() -> typer.Typer:
    app = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
    app.command("ingest")(ingest_cmd)
    app.add_typer(corpus_app, name="corpus")
    return app


if __name__ == "__main__":  # pragma: no cover - `python -m narrascope.cli.corpus`
    _standalone()()
