"""`backstride report summary`: the one-page summary for a GP or physiotherapist, a PDF.

A thin layer: check the options (every problem at once, one `error:` line each, exit
2), gather the summary (``services.summary``), draw it (``adapters/export/summary_pdf.py``)
and write it. The service and the exporter are imported inside the function, so that
registering the command costs nothing (see ``cli/main.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from backstride.cli.common import connect, err, fail, parse_day
from backstride.cli.options import DateOption, DbOption

report_app = typer.Typer(
    name="report",
    help="Reports to hand to someone (a one-page summary for your GP or physiotherapist).",
    no_args_is_help=True,
)


@report_app.command("summary")
def report_summary(
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Write the summary to FILE (a .pdf).", metavar="FILE"),
    ],
    date: DateOption = None,
    db: DbOption = None,
) -> None:
    """A one-page PDF for your GP or physiotherapist: triage and the answers behind it, the
    safety questions, your plan, progress and outcome scores (not a diagnosis)."""
    problems = []
    if out.suffix.lower() != ".pdf":
        problems.append(f"--out: the file must end in .pdf (got {out.name!r})")
    if out.is_dir():
        problems.append(f"--out: {out} is a folder; give a file name")
    elif not out.parent.is_dir():
        problems.append(f"--out: the folder {out.parent} does not exist")
    if problems:
        fail(problems)
    day = parse_day(date)
    from backstride.adapters.export.summary_pdf import render_summary_pdf
    from backstride.services.clock import SystemClock
    from backstride.services.summary import summary

    found = summary(connect(db).unit_of_work(), day)
    data = render_summary_pdf(found, made=SystemClock().now())
    try:
        out.write_bytes(data)
    except OSError as error:
        fail([f"--out: cannot write {out}: {error.strerror or error}"])
    err.print(f"Written {out}", markup=False, soft_wrap=True)
