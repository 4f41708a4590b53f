"""Run `backstride` in this process, as the installed command would, for the CLI tests.

``invoke(...)`` answers like ``subprocess.run`` (``returncode``, ``stdout``,
``stderr``), so a test reads the same whichever way the command ran. The
consoles are 100 columns wide, as in ``tests.conftest.run_cli`` and the
pseudo-terminal tests. The installed entry point itself is proven once per
command by ``test_installed_command.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from typer.testing import CliRunner

from backstride.cli.common import err, out
from backstride.cli.main import app

WIDTH = 100
_runner = CliRunner()


@dataclass(frozen=True)
class Ran:
    """What a command did: its exit status and the text on stdout and stderr."""

    returncode: int
    stdout: str
    stderr: str


@contextmanager
def _width(columns: int) -> Iterator[None]:
    before = out.width, err.width
    out.width = err.width = columns
    try:
        yield
    finally:
        out.width, err.width = before


def invoke(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Ran:
    """`backstride ARGS` in-process, with ``stdin`` as its input and ``env`` set meanwhile.

    An exception the command did not turn into an exit status fails the test, as a
    traceback from the installed command would.
    """
    environment = {"COLUMNS": str(WIDTH), **(env or {})}
    with _width(WIDTH):
        result = _runner.invoke(app, list(args), input=stdin, env=environment)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Ran(result.exit_code, result.stdout, result.stderr)
