"""Peak memory of `backstride import` on hostile archives, side by side with a baseline.

The bombs of the reliability review (D3) are made here, deterministically, into a
cache folder (benchmarks/bombs/, ignored by git; about 100 MB):

* ``zeros-3g.fit.gz``: 3 GiB of zeros in about 3 MB of gzip;
* ``zeros-1g.fit.gz``: 1 GiB of zeros in about 1 MB;
* ``zip-bomb.zip``: one member of 1 GiB of zeros in about 1 MB of zip;
* ``entries-1m.zip``: a central directory of 1,000,000 empty entries (about 50 MB).

Each is imported by a fresh ``python -m backstride import FILE`` into a fresh SQLite
database, once with each source tree given, and the child's peak resident set
size (``ru_maxrss``) and wall time are printed as a Markdown table.

    python benchmarks/bombs.py --tree current=src --tree baseline=/tmp/base/src

A baseline tree is any checkout's ``src`` folder, for example
``git archive 46c64b4 src | tar -x -C /tmp/base``.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import zipfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / "bombs"
MiB = 1 << 20


def _gzip_zeros(path: Path, mib: int) -> None:
    deflate = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(MiB)
    with path.open("wb") as out:
        for _ in range(mib):
            out.write(deflate.compress(block))
        out.write(deflate.flush())


def _zip_bomb(path: Path) -> None:
    block = bytes(MiB)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("run.fit", "w", force_zip64=True) as member,
    ):
        for _ in range(1024):
            member.write(block)


def _many_entries(path: Path, count: int) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for i in range(count):
            archive.writestr(zipfile.ZipInfo(f"{i}"), b"")
    path.write_bytes(buffer.getvalue())


BOMBS = {
    "zeros-3g.fit.gz": lambda p: _gzip_zeros(p, 3 * 1024),
    "zeros-1g.fit.gz": lambda p: _gzip_zeros(p, 1024),
    "zip-bomb.zip": _zip_bomb,
    "entries-1m.zip": lambda p: _many_entries(p, 1_000_000),
}


def bomb(name: str) -> Path:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / name
    if not path.exists():
        partial = path.with_suffix(path.suffix + ".part")
        BOMBS[name](partial)
        partial.rename(path)
    return path


_MEASURE = """
import resource, subprocess, sys, time
started = time.monotonic()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True, check=False)
wall = time.monotonic() - started
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(peak_kib, f"{wall:.2f}", done.returncode)
print(done.stdout[-2000:], file=sys.stderr)
"""


def measure(src: str, file: Path) -> tuple[float, float, int]:
    """(peak RSS in MiB, wall seconds, exit code) of one import in a fresh process."""
    with tempfile.TemporaryDirectory() as folder:
        db = f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        command = [sys.executable, "-m", "backstride", "import", str(file), "--db", db]
        command += ["--format", "json"]
        env = {**os.environ, "PYTHONPATH": str(Path(src).resolve())}
        done = subprocess.run(
            [sys.executable, "-c", _MEASURE, *command],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
    peak_kib, wall, code = done.stdout.split()
    return int(peak_kib) / 1024, float(wall), int(code)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--tree", action="append", required=True, help="NAME=PATH of a source tree's src folder"
    )
    parser.add_argument("--only", action="append", help="bomb names to run (default: all)")
    args = parser.parse_args()
    trees = [tuple(item.split("=", 1)) for item in args.tree]
    names = args.only or list(BOMBS)
    header = "| file | size | " + " | ".join(f"{n} peak RSS | {n} wall" for n, _ in trees) + " |"
    print(header)
    print("|" + " --- |" * (2 + 2 * len(trees)))
    for name in names:
        path = bomb(name)
        cells = [f"`{name}`", f"{path.stat().st_size / MiB:.1f} MiB"]
        for _, src in trees:
            peak, wall, code = measure(src, path)
            status = "" if code == 0 else f" (exit {code})"
            cells += [f"{peak:,.0f} MiB", f"{wall:.1f} s{status}"]
        print("| " + " | ".join(cells) + " |", flush=True)
    print(f"\nPython {sys.version.split()[0]}, {os.cpu_count()} CPUs; ru_maxrss of the child.")


if __name__ == "__main__":
    main()
