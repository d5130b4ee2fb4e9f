"""The `narrascope` command line: a thin shell over the library.

Each command parses its options, calls one library function and renders. Library errors are
printed as one line (``error[E101] …  (hint: …)``) with a non-zero exit and no traceback.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from narrascope.cli import EXIT_ERROR, EXIT_PARTIAL, fail
from narrascope.errors import NarrascopeError
from narrascope.pipeline import DEFAULT_ANALYZERS, Failure, Pipeline, resolve

app = typer.Typer(
    name="narrascope",
    help="Show how a news story persuades: who claims what, on whose authority and how surely.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)



def _documents(sources: list[str], **options: object) -> Iterator[object]:
    """Documents from every source; a source that cannot be read becomes a Failure."""
    from narrascope.ingest.files import load

    for source in sources:
        try:
            yield from load(source, **options)  # type: ignore[arg-type]
        except NarrascopeError as err:
            yield Failure(id=source, origin=source, error=err)


@app.command()
def analyze(
    sources: Annotated[
        list[str] | None,
        typer.Argument(help="Text, HTML or JSONL files, URLs, or '-' for stdin (the default)."),
    ] = None,
    headline: Annotated[str | None, typer.Option(help="Headline to check, overriding the text's first line.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the versioned JSON (JSONL for several documents).")] = False,
    html: Annotated[Path | None, typer.Option(help="Write a self-contained HTML report here (a folder for several documents).")] = None,
    allow_private: Annotated[bool, typer.Option(help="Allow URLs on loopback, private or link-local addresses.")] = False,
    language: Annotated[str | None, typer.Option(help="Skip detection and treat the text as this language (e.g. en).")] = None,
    max_bytes: Annotated[int, typer.Option(help="Refuse inputs larger than this many bytes.")] = 5_000_000,
    analyzers: Annotated[str, typer.Option(help="Comma-separated analyzers to run, in order; 'main' = the main job "
                                                 "only (fastest), 'all' = every layer.")] = "all",
    catalogue: Annotated[Path | None, typer.Option(help="Also match the articles to your own narrative catalogue (TOML).")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Processes for a batch (the local engine).")] = 1,
) -> None:
    """Analyse articles: statements and their sources, hedges, the author's own assertions,
    the headline check and a timeline."""
    from rich.console import Console

    from narrascope.report import html as html_report
    from narrascope.report import json as json_report
    from narrascope.report import terminal

    names = resolve(analyzers)
    config: dict[str, object] = {}
    if catalogue is not None:
        names.append("catalogue")
        config["catalogue"] = str(catalogue)
    try:
        pipe = Pipeline(names, config)
    except NarrascopeError as err:
        raise fail(err) from None
    sources = sources or ["-"]
    stream = _documents(sources, headline=headline, allow_private=allow_private, language=language, max_bytes=max_bytes)
    console = Console()
    failures: list[Failure] = []
    done = 0
    # several documents: JSONL on stdout, one HTML file each in the --html folder
    several = len(sources) > 1 or any(s.endswith((".jsonl", ".ndjson")) for s in sources)
    if html and several:
        html.mkdir(parents=True, exist_ok=True)
    from narrascope.engines import local

    for item in local.run(stream, names, workers=workers, config=config):  # type: ignore[arg-type]
        if isinstance(item, Failure):
            failures.append(item)
            typer.echo(f"{item.origin or item.id}: {item.error.one_line()}", err=True)
            if as_json and several:
                typer.echo(json.dumps(json_report.render_failure(item), ensure_ascii=False))
            continue
        done += 1
        left_out = pipe.skipped(item.language)
        if left_out:
            typer.echo(f"{item.origin or item.id}: {item.language!r} is not read by "
                       + ", ".join(left_out) + "; the other layers are reported", err=True)
        if as_json:
            typer.echo(json_report.render(item, indent=None if several else 2))
        else:
            if several:
                console.rule(item.origin or item.id)
            terminal.render(item, console)
        if html:
            target = html / f"{item.id}.html" if several else html
            target.write_text(html_report.render(item), encoding="utf-8")
            if not as_json:
                console.print(f"HTML report written to {target}")
    if failures:
        typer.echo(f"{done} analysed, {len(failures)} failed", err=True)
        raise typer.Exit(EXIT_PARTIAL if done else EXIT_ERROR)


@app.command("analyzers")
def list_analyzers() -> None:
    """List the analyzers: what each requires and assigns, and the languages it reads."""
    from narrascope import pipeline

    for name in (*DEFAULT_ANALYZERS, "catalogue"):
        spec = pipeline.get(name)
        summary = (spec.doc.strip().splitlines() or [""])[0]
        typer.echo(f"{spec.name} {spec.version}: requires {', '.join(spec.requires) or '-'}; "
                   f"assigns {', '.join(spec.assigns)}; reads {', '.join(spec.languages or ('any language',))}. "
                   f"{summary}")


@app.command()
def schema() -> None:
    """Print the JSON Schema of `analyze --json` output."""
    from narrascope.model import json_schema

    typer.echo(json.dumps(json_schema(), indent=2))


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def train(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="What to train: attribution, and the learned layers added later.")],
) -> None:
    """Train a model reproducibly from the benchmark data: `narrascope train NAME --data PATH [--seed N]`.

    The options after NAME go to the trainer (`narrascope train NAME --help` lists them).
    """
    import importlib

    from narrascope.errors import DataError
    from narrascope.training import TRAINERS

    if name not in TRAINERS:
        raise fail(DataError(f"unknown model {name!r}", hint=f"choose from: {', '.join(sorted(TRAINERS))}"))
    try:
        code = importlib.import_module(TRAINERS[name]).main(list(ctx.args))
    except NarrascopeError as err:
        raise fail(err) from None
    raise typer.Exit(code or 0)


def _mount() -> None:
    """The sub-commands that live in their own modules (bench, ingest, corpus, serve)."""
    from narrascope.cli.bench import bench_app
    from narrascope.cli.corpus import corpus_app, ingest_cmd

    app.add_typer(bench_app, name="bench", help="Predict and score the public benchmarks.")
    app.command("ingest")(ingest_cmd)
    app.add_typer(corpus_app, name="corpus", help="Read a corpus store: counts, views, search, export.")
    try:
        from narrascope.cli.serve import serve
    except ImportError:  # the web shell not installed in this build
        return
    app.command("serve")(serve)


_mount()


def main() -> None:  # pragma: no cover - console entry point
    """Console entry point: typed errors become one line and exit 2, never a traceback."""
    try:
        app()
    except NarrascopeError as err:
        typer.echo(err.one_line(), err=True)
        sys.exit(EXIT_ERROR)
    except Exception as exc:  # noqa: BLE001 - a bug: still one line; NARRASCOPE_DEBUG=1 shows it
        if os.environ.get("NARRASCOPE_DEBUG"):
            raise
        typer.echo(f"error[E999] {type(exc).__name__}: {exc} (hint: re-run with NARRASCOPE_DEBUG=1 "
                   "and report the traceback)", err=True)
        sys.exit(1)
