"""Ingest sources into a store: streamed, idempotent and resumable.

Sources are folders (their .txt/.html/.jsonl/feed/WARC files, recursively, in name order),
JSONL files, RSS/Atom feeds (file or URL), WARC archives, text/HTML files and article URLs.
Every document has a content-hash id; ids already in the store (or seen earlier in this run)
are skipped *before* analysis, so a re-run does no work for what is stored. Each analysed
document is committed on its own, so a run killed at any point and run again ends with every
document stored exactly once. Near-duplicates are grouped by the store as they are added;
failures are recorded with their reason and the run goes on.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from narrascope.errors import NarrascopeError, PipelineError
from narrascope.ingest.decoding import DEFAULT_MAX_BYTES
from narrascope.model import Document
from narrascope.pipeline import DEFAULT_ANALYZERS, Failure, Pipeline
from narrascope.storage.base import Store

ENGINES = ("local", "dask")
FILE_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".xhtml", ".jsonl", ".ndjson",
                 ".rss", ".atom", ".xml", ".warc", ".warc.gz")


@dataclass
class IngestSummary:
    stored: int = 0
    skipped_existing: int = 0
    duplicates: int = 0
    """Stored documents that are near-duplicates of an earlier one (grouped, still stored)."""
    failed: list[tuple[str, str, str]] = field(default_factory=list)
    """``(origin, code, message)`` of each document or source that failed."""

    def to_dict(self) -> dict[str, Any]:
        return {"stored": self.stored, "skipped_existing": self.skipped_existing,
                "duplicates": self.duplicates, "failed": len(self.failed)}


def expand(sources: Iterable[str]) -> Iterator[str]:
    """Each source, with folders replaced by their loadable files (recursively, in name order)."""
    for source in sources:
        path = Path(source)
        if not source.lower().startswith(("http://", "https://")) and path.is_dir():
            for f in sorted(p for p in path.rglob("*") if p.is_file()):
                if f.name.lower().endswith(FILE_SUFFIXES) and not f.name.startswith("."):
                    yield str(f)
        else:
            yield source


def _is_feed(source: str) -> bool:
    from narrascope.ingest.feed import FEED_SUFFIXES, looks_like_feed

    lower = source.lower()
    if lower.startswith(("http://", "https://")):
        tail = lower.split("?")[0].rstrip("/")
        return tail.endswith(FEED_SUFFIXES) or tail.rsplit("/", 1)[-1] in ("feed", "rss", "atom")
    if lower.endswith((".rss", ".atom")):
        return True
    if lower.endswith(".xml"):
        try:
            with open(source, "rb") as f:
                return looks_like_feed(f.read(2048))
        except OSError:
            return False
    return False


def load_source(source: str, **options: Any) -> Iterator[Document | Failure]:
    """Documents of one source of any kind; raises when the source itself cannot be read."""
    from narrascope.ingest.warc import is_warc, iter_warc

    max_bytes = options.get("max_bytes", DEFAULT_MAX_BYTES)
    language = options.get("language")
    if is_warc(source):
        return iter_warc(source, max_bytes=max_bytes, language=language)
    if _is_feed(source):
        from narrascope.ingest.feed import iter_feed

        return iter_feed(source, fetch_links=options.get("fetch_links", False),
                         allow_private=options.get("allow_private", False), max_bytes=max_bytes, language=language)
    from narrascope.ingest.files import load

    return load(source, allow_private=options.get("allow_private", False), max_bytes=max_bytes, language=language)


def load_sources(sources: Iterable[str], **options: Any) -> Iterator[Document | Failure]:
    """:func:`load_source` over every (expanded) source; an unreadable source becomes a Failure."""
    for source in expand(sources):
        try:
            yield from load_source(source, **options)
        except NarrascopeError as exc:
            yield Failure(source, source, exc)


def engine_run(engine: str) -> Any:
    """The ``run(docs, analyzers, workers)`` function of ``engine``."""
    if engine == "local":
        from narrascope.engines import local

        return local.run
    if engine == "dask":
        if importlib.util.find_spec("narrascope.engines.dask") is None:
            raise PipelineError("the dask engine is not available in this installation",
                                hint='pip install "narrascope[dask]", or use --engine local')
        return importlib.import_module("narrascope.engines.dask").run
    raise PipelineError(f"unknown engine {engine!r}", hint=f"choose from: {', '.join(ENGINES)}")


def ingest(
    sources: list[str],
    store: Store,
    analyzers: Sequence[str] = DEFAULT_ANALYZERS,
    engine: str = "local",
    workers: int = 1,
    progress: bool = True,
    **options: Any,
) -> IngestSummary:
    """Load, analyse and store every document of ``sources``; see the module docstring.

    ``options`` go to the loaders: ``allow_private``, ``max_bytes``, ``language``, ``fetch_links``.
    ``progress`` shows a rich progress line on stderr when it is a terminal.
    """
    Pipeline(analyzers)  # a mis-wired analyzer list fails here, before anything is read
    run = engine_run(engine)
    scheduler = options.pop("scheduler", None)
    if scheduler:
        if engine != "dask":
            raise PipelineError("--scheduler needs --engine dask", hint="add --engine dask, or drop --scheduler")
        run = functools.partial(run, address=scheduler)
    summary = IngestSummary()
    seen: set[str] = set()

    def todo() -> Iterator[Document | Failure]:
        for item in load_sources(sources, **options):
            if isinstance(item, Document):
                if item.id in seen or store.has(item.id):
                    summary.skipped_existing += 1
                    continue
                seen.add(item.id)
            yield item

    bar = _progress() if progress and sys.stderr.isatty() else None
    task = bar.add_task("ingest", total=None, info="") if bar else None
    try:
        if bar:
            bar.start()
        for item in run(todo(), list(analyzers), workers):
            if isinstance(item, Failure):
                origin = item.origin or item.id
                store.add_failure(origin, item.error)
                summary.failed.append((origin, item.error.code, item.error.message))
            elif store.add(item):
                summary.stored += 1
                if store.query("SELECT dup_group FROM documents WHERE id = ?", (item.id,))[0]["dup_group"] != item.id:
                    summary.duplicates += 1
            else:
                summary.skipped_existing += 1
            if bar is not None and task is not None:
                bar.update(task, advance=1, info=f"stored {summary.stored} · skipped {summary.skipped_existing} "
                                                 f"· near-dup {summary.duplicates} · failed {len(summary.failed)}")
    finally:
        if bar:
            bar.stop()
    return summary


def _progress() -> Any:
    from rich.console import Console
    from rich.progress import (
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(SpinnerColumn(), TextColumn("{task.description}"), MofNCompleteColumn(),
                    TextColumn("{task.fields[info]}"), TimeElapsedColumn(),
                    console=Console(stderr=True), transient=False)
