"""`narrascope bench`: write a benchmark's prediction files and score them against gold.

Each task is a module of :mod:`narrascope.bench` with ``predict`` and ``score``; new tasks are
added to :data:`narrascope.bench.TASKS` and to the per-task option handling below.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from narrascope.errors import DataError, NarrascopeError

bench_app = typer.Typer(
    help="Predict and score the public benchmarks.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

EXIT_ERROR = 2


def _fail(err: NarrascopeError) -> typer.Exit:
    typer.echo(err.one_line(), err=True)
    return typer.Exit(EXIT_ERROR)


def _need(value: Path | None, option: str, task: str) -> Path:
    if value is None:
        raise DataError(f"task {task!r} needs {option}", hint=f"pass {option} DIR")
    return value


@bench_app.command()
def predict(
    task: Annotated[str, typer.Argument(help="The benchmark task, e.g. polnear.")],
    texts: Annotated[Path | None, typer.Option(help="Folder of the task's input texts (polnear: *.txt).")] = None,
    out: Annotated[Path | None, typer.Option(help="Folder to write the prediction files into.")] = None,
) -> None:
    """Run narrascope over a benchmark's inputs and write its prediction files."""
    from narrascope import bench

    try:
        module = bench.task(task)
        n = module.predict(_need(texts, "--texts", task), _need(out, "--out", task))
    except NarrascopeError as err:
        raise _fail(err) from None
    typer.echo(f"{task}: wrote {n} prediction files to {out}")


@bench_app.command()
def score(
    task: Annotated[str, typer.Argument(help="The benchmark task, e.g. polnear.")],
    gold: Annotated[Path | None, typer.Option(help="Folder of gold annotations (polnear: attributions/).")] = None,
    pred: Annotated[Path | None, typer.Option(help="Folder of prediction files written by `predict`.")] = None,
    texts: Annotated[Path | None, typer.Option(help="Folder of the texts (default: next to --gold).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as JSON.")] = False,
) -> None:
    """Score prediction files against gold and print the metrics."""
    from narrascope import bench

    try:
        module = bench.task(task)
        result = module.score(_need(gold, "--gold", task), _need(pred, "--pred", task), texts)
    except NarrascopeError as err:
        raise _fail(err) from None
    if as_json:
        typer.echo(json.dumps(result, indent=2, sort_keys=True))
        return
    typer.echo(f"{task} ({result.get('files', '?')} files)")
    for key, value in result.items():
        if isinstance(value, float):
            typer.echo(f"  {key:<16} {value:.4f}")
