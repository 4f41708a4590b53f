"""The `backstride` command: a thin layer over the services.

Every command is registered here, explicitly, from a module that imports only
typer, rich and the standard library at load time. The services, the models,
the database and the exporters (pydantic, SQLAlchemy, numpy, fpdf, FastAPI) are
imported inside the command functions, so `backstride --help` and
`backstride --version` load none of them (benchmarks/cli_startup_bench.py).
"""

from __future__ import annotations

from typing import Annotated

import typer

from backstride import __version__
from backstride.cli import (
    assess,
    backup,
    checkin,
    library,
    plan,
    progress,
    records,
    runs,
    serve,
    summary,
    today,
    users,
    worker,
)

app = typer.Typer(
    name="backstride",
    help="Lower back pain after running: assess, treat, recover, prevent.",
    no_args_is_help=True,
    add_completion=False,
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"backstride {__version__}")
        raise typer.Exit


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print the version and exit.",
            callback=_print_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Lower back pain after running: assess, treat, recover, prevent."""


# In the order `backstride --help` lists them. Assess:
app.command()(assess.assess)
app.command()(assess.history)
app.command()(assess.schema)
# Treat:
app.command("exercises")(library.list_exercises)
app.command("exercise")(library.show_exercise)
app.command("learn")(library.learn)
app.command()(plan.plan)
# Recover:
app.command()(checkin.checkin)
app.command()(today.today)
app.command()(progress.progress)
# Prevent:
app.command("import")(runs.import_files)
app.command()(runs.runs)
app.command()(runs.load)
# The web app:
app.command()(serve.serve)
app.command()(worker.worker)
# Back up and move a whole record (`export all` is in the export group below):
app.command()(backup.restore)
# Groups of commands (typer lists them after the commands):
app.add_typer(runs.run_app)
app.add_typer(runs.shoes_app)
app.add_typer(records.export_app)
records.export_app.command("all")(backup.export_all)
app.add_typer(summary.report_app)
app.add_typer(users.user_app)


def run() -> None:
    app()
