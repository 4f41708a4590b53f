"""`backstride progress`: the recovery so far, in the terminal, as JSON or as a chart file.

The command only: the services, the chart writer and the view in
``cli/progress_view.py`` are imported when it runs (see ``cli/main.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from backstride.cli.common import check_format, connect, err, fail, parse_day, print_json
from backstride.cli.options import DateOption, DbOption, FormatOption


def progress(
    date: DateOption = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="First day of the report (default: your first check-in, at most 90 days back).",
            metavar="DATE",
        ),
    ] = None,
    chart: Annotated[
        Path | None,
        typer.Option(
            "--chart", help="Also draw the chart to FILE.png or FILE.svg.", metavar="FILE"
        ),
    ] = None,
    format: FormatOption = "text",
    db: DbOption = None,
) -> None:
    """Your recovery so far: pain trend, activities, exercises done, running stage over time."""
    chosen = check_format(format, ("text", "json"))
    end = parse_day(date)
    start = parse_day(since, "--from") if since else None
    if chart is not None and chart.suffix.lower() not in (".png", ".svg"):
        fail([f"--chart: the file must end in .png or .svg (got {chart.name!r})"])
    from backstride.adapters.export.progress_chart import ChartError, write_chart
    from backstride.services import recovery

    try:
        report = recovery.progress(connect(db).unit_of_work(), end, start)
    except recovery.RecoveryError as error:
        fail([f"--from: {error}"])
    if chart is not None:
        try:
            write_chart(report, chart)
        except ChartError as error:
            fail([f"--chart: {error}"])
    if chosen == "json":
        print_json(report.to_document())
    else:
        from backstride.cli.progress_view import show_progress

        show_progress(report)
    if chart is not None:
        err.print(f"Chart written to {chart}", markup=False, soft_wrap=True)
