"""Shared pieces of the command line: consoles, error exits, dates, storage.

Imported when the command line starts, so it imports nothing heavy at module
level: the services, the models and the database come in inside the functions
that need them (``backstride --help`` stays fast; see ``cli/main.py``).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from rich.console import Console

from backstride.services.limits import capped, day_problem

if TYPE_CHECKING:
    from backstride.bootstrap import Storage
    from backstride.services.ports import UnitOfWork
    from backstride.services.validation import Problem

# Reports go to stdout; problems go to stderr so that stdout stays clean JSON.
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


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


def parse_day(value: str | None, option: str = "--date") -> dt.date:
    """A ``YYYY-MM-DD`` option within the supported years; today when not given."""
    if value is None:
        from backstride.services.clock import SystemClock

        return SystemClock().today()
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        fail([f"{option}: expected a date like 2026-03-14 (got {value!r})"])
    problem = day_problem(day)
    if problem is not None:
        fail([f"{option}: {problem}"])
    return day


def read_json_input(location: str) -> tuple[Any, str]:
    """Read and decode a JSON document from a file path or '-' (stdin)."""
    from backstride.services.validation import InvalidDocument, parse_json_text

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


def connect(url: str | None) -> Storage:
    """The database at ``--db`` (or the default), migrated; exit 2 when it is unusable."""
    from backstride.bootstrap import StorageError, open_storage

    try:
        return open_storage(url)
    except StorageError as error:
        fail([str(error)])


def unit_of_work(url: str | None) -> UnitOfWork:
    """A unit of work on the database at ``--db``, typed as the port."""
    return connect(url).unit_of_work()
