"""The command-line shells. Shared here: the exit codes and the one-line error exit."""

from __future__ import annotations

import typer

from narrascope.errors import NarrascopeError

EXIT_ERROR = 2  # the input or the set-up is wrong; nothing was done
EXIT_PARTIAL = 3  # a batch where some documents failed and the others were processed


def fail(err: NarrascopeError) -> typer.Exit:
    """Print ``err`` as one line on stderr; the Exit to raise (code 2, no traceback)."""
    typer.echo(err.one_line(), err=True)
    return typer.Exit(EXIT_ERROR)
