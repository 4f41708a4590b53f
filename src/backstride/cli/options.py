"""The options several commands share, as ``Annotated`` aliases.

Only typer here: this module is imported when the command line starts, before any
command runs, so it must stay light (see ``cli/main.py``).
"""

from __future__ import annotations

from typing import Annotated

import typer

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (default: $BACKSTRIDE_DATABASE_URL, else SQLite in your data folder).",
        metavar="URL",
    ),
]
FormatOption = Annotated[
    str,
    typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
]
DateOption = Annotated[
    str | None,
    typer.Option("--date", help="The day, as YYYY-MM-DD (default: today).", metavar="DATE"),
]
