"""Shared pieces of the command line: consoles, options, error exits."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from backstride.adapters.db.database import Database, DatabaseError, open_database
from backstride.services.limits import capped
from backstride.services.validation import InvalidDocument, Problem, parse_json_text

# Reports go to stdout; problems go to stderr so that stdout stays clean JSON.
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

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


def print_json(document: Any) -> None:
    """Plain JSON on stdout, exactly the document and nothing else."""
    typer.echo(json.dumps(document, indent=2, ensure_ascii=False))


def fail(problems: list[Problem] | list[str], *, source: str | None = None) -> NoReturn:
    """Exit with status 2, one line per problem on stderr, nothing on stdout.

    At most MAX_PROBLEMS_SHOWN lines, then one saying how many more there were.
    """
    prefix = f"{source}: " if source else ""
    for line in capped([str(problem) for problem in problems]):
        err.print(f"error: {prefix}{line}", markup=False, soft_wrap=True)
    raise typer.Exit(code=2)


def check_format(value: str, allowed: tuple[str, ...]) -> str:
    lowered = value.lower()
    if lowered not in allowed:
        fail([f"--format must be one of {', '.join(allowed)} (got {value!r})"])
    return lowered


def read_json_input(location: str) -> tuple[Any, str]:
    """Read and decode a JSON document from a file path or '-' (stdin)."""
    if location == "-":
        text, name = sys.stdin.read(), "<stdin>"
    else:
        path = Path(location)
        name = str(path)
        if not path.is_file():
            fail([f"{location}: no such file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            fail([f"{location}: cannot read the file ({error})"])
    try:
        return parse_json_text(text), name
    except InvalidDocument as invalid:
        fail(invalid.problems, source=name)


def connect(url: str | None) -> Database:
    try:
        return open_database(url)
    except DatabaseError as error:
        fail([str(error)])
