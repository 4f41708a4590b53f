"""How long `backstride --help` takes, next to a bare Typer app doing the same.

The bare app is written to a temporary file: one Typer app with as many commands as
backstride has, each with a one-line docstring and one option, and nothing else
imported. Both print their help through the same interpreter, typer and rich, so
the ratio is what backstride's own start-up adds (its command modules, and anything
they import at load time). Rounds of the two alternate, so both see the same load
on a shared machine; the median (min-max) of each, and of the per-round ratio, is
shown. `backstride --version` is timed the same way.

    .venv/bin/python benchmarks/cli_startup_bench.py             # 15 rounds, about 20 s
    .venv/bin/python benchmarks/cli_startup_bench.py --rounds 31 --json

``--before SRC`` also times ``python -m backstride --help`` from another checkout's
``src`` folder (e.g. a ``git worktree`` of an older commit) beside this one's, the
same way (``git worktree add /tmp/old <commit>``, then ``--before /tmp/old/src``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

COMMAND = Path(sys.executable).parent / "backstride"
BARE_APP = '''
import typer

app = typer.Typer(name="bare", help="A bare Typer app.", no_args_is_help=True, add_completion=False)

for number in range({count}):

    def command(value: int = 1) -> None:
        """A command that does nothing."""

    app.command(f"command-{{number}}")(command)

app()
'''


def _command_count() -> int:
    from typer.main import get_command

    from backstride.cli.main import app

    group = get_command(app)
    return len(group.commands)  # type: ignore[attr-defined]


def _with_path(src: Path) -> list[str]:
    """``python -m backstride --help`` importing backstride from ``src``."""
    code = (
        f"import sys; sys.path.insert(0, {str(src)!r}); import runpy; "
        "sys.argv = ['backstride', '--help']; runpy.run_module('backstride', run_name='__main__')"
    )
    return [sys.executable, "-c", code]


def _time(argv: Sequence[str]) -> float:
    """Wall-clock seconds for one run, from process start to exit."""
    started = time.perf_counter()
    subprocess.run(
        argv,
        check=False,  # --help exits 0; an old checkout's typer may differ
        stdout=subprocess.DEVNULL,
        env={**os.environ, "COLUMNS": "100"},
    )
    return time.perf_counter() - started


def _summary(values: Sequence[float]) -> str:
    return f"{statistics.median(values):.3f} s ({min(values):.3f}-{max(values):.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="Alternating rounds (default 15).")
    parser.add_argument("--json", action="store_true", help="Also print one line of JSON.")
    parser.add_argument(
        "--before", type=Path, metavar="SRC", help="Also time another checkout's src folder."
    )
    options = parser.parse_args()
    if not COMMAND.is_file():
        sys.exit(f"{COMMAND} is not installed: pip install -e .")
    count = _command_count()
    with tempfile.TemporaryDirectory() as folder:
        bare = Path(folder) / "bare_typer.py"
        bare.write_text(BARE_APP.format(count=count), encoding="utf-8")
        runs = {
            "bare Typer app --help": [sys.executable, str(bare), "--help"],
            "backstride --help": [str(COMMAND), "--help"],
            "backstride --version": [str(COMMAND), "--version"],
        }
        if options.before is not None:
            here = str(Path(__file__).resolve().parent.parent / "src")
            runs["-m backstride --help (SRC)"] = _with_path(options.before)
            runs["-m backstride --help (here)"] = _with_path(Path(here))
        for argv in runs.values():  # warm the file cache and the bytecode
            _time(argv)
        times: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(options.rounds):
            for name, argv in runs.items():
                times[name].append(_time(argv))
    bare_times = times["bare Typer app --help"]
    ours = times["backstride --help"]
    ratios = [mine / bare for mine, bare in zip(ours, bare_times, strict=True)]
    print(f"{options.rounds} rounds, {count} commands each, {os.cpu_count()} CPUs")
    for name, values in times.items():
        print(f"  {name:<28} {_summary(values)}")
    print(
        f"  backstride --help / bare      {statistics.median(ratios):.2f}x "
        f"({min(ratios):.2f}-{max(ratios):.2f})"
    )
    if options.json:
        document = {name: statistics.median(values) for name, values in times.items()}
        document["ratio"] = statistics.median(ratios)
        document["rounds"] = options.rounds
        print(json.dumps(document))


if __name__ == "__main__":
    main()
