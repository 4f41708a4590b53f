"""The `backstride` command: a thin layer over the services."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="backstride",
    help="Lower back pain after running: assess, treat, recover, prevent.",
    no_args_is_help=True,
    add_completion=False,
)


def run() -> None:
    app()


# Commands register themselves on `app` when their module is imported.
from backstride.cli import assess as _assess  # noqa: E402,F401
from backstride.cli import library as _library  # noqa: E402,F401
from backstride.cli import plan as _plan  # noqa: E402,F401
from backstride.cli import recover as _recover  # noqa: E402,F401
from backstride.cli import runs as _runs  # noqa: E402,F401
from backstride.cli import serve as _serve  # noqa: E402,F401
