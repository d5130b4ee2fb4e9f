"""`narrascope bench`: write a benchmark's prediction files and score them against gold.

Each task is a module of :mod:`narrascope.bench` with ``predict`` and ``score``; new tasks are
added to :data:`narrascope.bench.TASKS` and to the per-task option handling below.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from narrascope.bench import TASKS
from narrascope.cli import fail
from narrascope.errors import NarrascopeError

bench_app = typer.Typer(
    help="Predict and score the public benchmarks.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)



Opt = Annotated[Path | None, typer.Option()]


@bench_app.command()
def predict(
    task: Annotated[str, typer.Argument(help="The benchmark task: " + ", ".join(sorted(TASKS)) + ".")],
    out: Annotated[Path | None, typer.Option(help="Where to write the predictions (a file or, for polnear, a folder).")] = None,
    texts: Annotated[Path | None, typer.Option(help="polnear: folder of *.txt.")] = None,
    articles: Annotated[Path | None, typer.Option(help="semeval*: folder of article files.")] = None,
    mentions: Annotated[Path | None, typer.Option(help="semeval2025-st1: the entity mentions file.")] = None,
    template: Annotated[Path | None, typer.Option(help="semeval2023-st3, semeval2020-tc: the template file.")] = None,
    sentences: Annotated[Path | None, typer.Option(help="checkthat2024: the sentences TSV.")] = None,
    bodies: Annotated[Path | None, typer.Option(help="fnc1: the bodies CSV.")] = None,
    stances: Annotated[Path | None, typer.Option(help="fnc1: the unlabeled stances CSV.")] = None,
    lang: Annotated[str | None, typer.Option(help="semeval*: the language code (any case).")] = None,
    adapt: Annotated[bool | None, typer.Option("--adapt/--no-adapt", help=(
        "semeval2025-st1: adapt the main roles to the mentions file's own antagonist share, estimated "
        "without labels, in files of 50 mentions or more (off by default; see MODEL_CARD_roles.md)."),
        show_default=False)] = None,
    mix: Annotated[str | None, typer.Option(help=(
        "semeval2023-st1: genre offsets for the file: auto (default; even-mix offsets when the file's "
        "estimated opinion share is far below training), analyzer or even (see MODEL_CARD_semeval2023.md)."))] = None,
) -> None:
    """Run narrascope over a benchmark's inputs and write predictions in the official format."""
    from narrascope import bench

    given = {"out": out, "texts": texts, "articles": articles, "mentions": mentions, "template": template,
             "sentences": sentences, "bodies": bodies, "stances": stances, "lang": lang,
             "adapt": adapt, "mix": mix}
    try:
        module = bench.task(task)
        n = bench.call(module.predict, task, {k: v for k, v in given.items() if v is not None})
    except NarrascopeError as err:
        raise fail(err) from None
    typer.echo(f"{task}: wrote {n} predictions to {out}")


@bench_app.command()
def score(
    task: Annotated[str, typer.Argument(help="The benchmark task: " + ", ".join(sorted(TASKS)) + ".")],
    gold: Annotated[Path | None, typer.Option(help="Gold annotations (a file or a folder, as the task has them).")] = None,
    pred: Annotated[Path | None, typer.Option(help="Predictions written by `predict`.")] = None,
    texts: Annotated[Path | None, typer.Option(help="polnear: folder of the texts (default: next to --gold).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as JSON.")] = False,
) -> None:
    """Score predictions against gold and print the task's official metric."""
    from narrascope import bench

    given = {"gold": gold, "pred": pred, "texts": texts}
    try:
        module = bench.task(task)
        result = bench.call(module.score, task, {k: v for k, v in given.items() if v is not None})
    except NarrascopeError as err:
        raise fail(err) from None
    if as_json:
        typer.echo(json.dumps(result, indent=2, sort_keys=True))
        return
    typer.echo(f"{task} ({result['files']:g} files)" if isinstance(result.get("files"), (int, float)) else task)
    for key, value in result.items():
        if isinstance(value, float):
            typer.echo(f"  {key:<16} {value:.4f}")
