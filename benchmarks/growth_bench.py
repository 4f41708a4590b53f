"""Growth benchmark: every page, command and API route as the history grows (issue 14).

    .venv/bin/python benchmarks/growth_bench.py            # --quick: 100 and 1,000 activities,
                                                          # 1 and 365 days of check-ins (~5 min)
    .venv/bin/python benchmarks/growth_bench.py --full     # 100, 1,000 and 5,000 activities,
                                                          # 1, 1,000 and 3,650 days (~1 h)
    .venv/bin/python benchmarks/growth_bench.py --keep DIR # build (or reuse) the databases in DIR
    .venv/bin/python benchmarks/growth_bench.py --full --only checkins
                                                          # one part only (activities, checkins,
                                                          # reimport, throughput; repeatable)

What one run does, all in one process and on one machine:

1. **Builds the histories** from the real files in ``tests/files``: time-shifted copies
   (``corpus.py``) of the FIT, GPX and TCX files, one or two a day going back from
   yesterday, running files three times as often as the others, each at its base
   file's own time of day. The newest copies make the 100-activity history, more of
   them the 1,000 and 5,000 ones, so every history holds the smaller ones. Each is
   imported with the import service into its own SQLite database, which also gets one
   saved assessment (``tests/spec/examples/new-runner-v2.json``), its plan and 90 daily
   check-ins recorded with ``record_checkin``, so Today and Progress are real. The
   check-in histories hold the 100 activities and 1, 365 (1,000, 3,650) days of
   check-ins, each recorded with ``record_checkin`` as a person would, day by day.
   The check-in part also times ``record_checkin``, ``recovery.today`` and
   ``recovery.progress`` through ``whole_diary.WholeDiary`` (every check-in and the
   whole decision log, as they read before issue 14) in the same rounds: the before
   and after of the bounded reads on the same databases.
2. **Times every page, command and API route on every history**, in rounds: each
   round visits every target on every history once (pages and API through FastAPI's
   test client, commands through Typer's runner, both in this process: start-up is
   left out, it is the same whatever the history), and the median over the rounds is
   printed next to the 100-activity (1-day) figure, with the ratio.
3. **Re-imports** the largest history's files (all duplicates) next to reading and
   hashing the same files, round by round.
4. **Measures throughput** of ``backstride serve`` (the largest history) against a
   hello-world FastAPI app served the same way (uvicorn, one process, the same
   options), with a small threaded HTTP client on the same machine: POST
   /api/v1/assessments against a POST with a pydantic body, and the plan page against
   a GET. Rounds alternate the two servers.

Ratios are the figures to read: absolute times move with whatever else the machine
runs, but both sides of a ratio were measured in the same rounds.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import hashlib
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.whole_diary
from corpus import fit_layout, plain_bytes, plain_name, shift_fit, shift_xml
from import_bench import FILES, MALFORMED
from tests.whole_diary import WholeDiary

from backstride.adapters.db.database import open_database
from backstride.adapters.db.unit_of_work import SqlUnitOfWork
from backstride.domain.plan.model import Preferences
from backstride.ingest import Activity, read_file
from backstride.services import assessing, importing, planning, recovery, training
from backstride.services.clock import FixedClock
from backstride.web.drawn_pages import DrawnPages

ROOT = Path(__file__).resolve().parent.parent
INTAKE = ROOT / "tests" / "spec" / "examples" / "new-runner-v2.json"
LOCAL = "http://127.0.0.1"
SEED_CHECKINS = 90
FILES_PER_DAY = 1.4
RUNNING = ("running", "trail_running", "treadmill_running", "track_running")

PAGES = (
    "/",
    "/runs",
    "/progress",
    "/today",
    "/today/card",
    "/checkin",
    "/plan",
    "/plan/1",
    "/plan/1.ics",
    "/plan/1.html",
    "/assess",
    "/assessments",
    "/assessments/1",
)
API = (
    "/api/v1/activities",
    "/api/v1/activities?limit=100",
    "/api/v1/shoes",
    "/api/v1/progress",
    "/api/v1/today",
    "/api/v1/plans/latest",
    "/api/v1/assessments",
)
COMMANDS = (
    ("runs",),
    ("runs", "--format", "json"),
    ("runs", "--limit", "20"),
    # What `runs` and `runs --format json` read and printed before they were paged.
    ("runs", "--all"),
    ("runs", "--all", "--format", "json"),
    ("shoes",),
    ("load",),
    ("load", "--with-pain"),
    ("assess", "--from-runs", "--input", str(INTAKE)),
    ("progress",),
    ("today",),
    ("plan",),
    ("history",),
)
CHECKIN_PAGES = (
    "/",
    "/today",
    "/today/card",
    "/progress",
    "/checkin",
    "/plan/1",
    "/api/v1/today",
    "/api/v1/progress",
)
# Pages kept as drawn (web/drawn_pages.py), also timed drawn afresh.
KEPT_PAGES = ("/", "/plan/1")
CHECKIN_COMMANDS = (("today",), ("progress",))


# --- building the histories ---------------------------------------------------------


@dataclass(frozen=True)
class Base:
    name: str
    data: bytes
    kind: str
    day: dt.date
    activities: int
    running: bool


def bases() -> list[Base]:
    found = []
    for path in sorted(FILES.iterdir()):
        name = plain_name(path)
        kind = name.rsplit(".", 1)[-1]
        if kind not in ("fit", "gpx", "tcx") or name in MALFORMED or not path.stat().st_size:
            continue
        items = [a for a in read_file(name, path.read_bytes()) if isinstance(a, Activity)]
        if not items:
            continue
        first = min(items, key=lambda a: a.start_utc)
        local = first.start_local or first.start_utc.replace(tzinfo=None)
        running = any(a.sport in RUNNING for a in items)
        found.append(Base(name, plain_bytes(path), kind, local.date(), len(items), running))
    return found


def build_files(folder: Path, activities: int, last_day: dt.date) -> list[tuple[Path, int]]:
    """Time-shifted copies, newest first, holding at least ``activities`` activities."""
    folder.mkdir(parents=True, exist_ok=True)
    available = bases()
    # Running files three times as often; one run's FIT, GPX and TCX never on one day
    # (they would be one activity).
    cycle = [b for turn in range(3) for b in available if turn == 0 or b.running]
    layouts = {b.name: fit_layout(b.data) for b in available if b.kind == "fit"}
    files: list[tuple[Path, int]] = []
    total = 0
    index = 0
    turn = 0
    previous: tuple[dt.date, dt.date] | None = None
    while total < activities:
        base = cycle[turn % len(cycle)]
        turn += 1
        day = last_day - dt.timedelta(days=int(index / FILES_PER_DAY))
        if previous == (day, base.day):
            continue
        previous = (day, base.day)
        shift = (day - base.day).days
        if base.kind == "fit":
            data = shift_fit(base.data, layouts[base.name], shift)
        else:
            data = shift_xml(base.data, shift)
        path = folder / f"{index:05d}-{day.isoformat()}-{base.name}"
        if not path.exists():
            path.write_bytes(data)
        files.append((path, base.activities))
        total += base.activities
        index += 1
    return files


def prefix(files: list[tuple[Path, int]], activities: int) -> list[Path]:
    chosen, total = [], 0
    for path, count in files:
        if total >= activities:
            break
        chosen.append(path)
        total += count
    return chosen


def checkin(day: dt.date, pain: int = 2) -> Any:
    return recovery.parse_checkin(
        {
            "schema": "backstride.checkin/1",
            "date": day.isoformat(),
            "pain_now_0_10": pain,
            "worst_24h_0_10": pain + 1,
        }
    )


def at_evening(day: dt.date) -> FixedClock:
    return FixedClock(dt.datetime.combine(day, dt.time(20, 0)).astimezone())


def record_days(url: str, first: dt.date, days: int, progress: str = "") -> None:
    database = open_database(url)
    uow = SqlUnitOfWork(database)
    try:
        for n in range(days):
            day = first + dt.timedelta(days=n)
            recovery.record_checkin(uow, at_evening(day), checkin(day))
            if progress and n and n % 250 == 0:
                print(f"  {progress}: {n:,} of {days:,} check-ins", flush=True)
    finally:
        # Closing every connection checkpoints SQLite's write-ahead log into the file:
        # renamed with the log still open, the last transactions stayed in a
        # "*.partial-wal" the kept database never read.
        database.dispose()


def build_database(
    path: Path, files: list[Path], today: dt.date, checkin_days: int, label: str
) -> str:
    url = f"sqlite:///{path}"
    if path.exists():
        return url
    partial = path.with_suffix(".partial")
    for leftover in ("", "-wal", "-shm"):
        Path(f"{partial}{leftover}").unlink(missing_ok=True)
    partial_url = f"sqlite:///{partial}"
    database = open_database(partial_url)
    uow = SqlUnitOfWork(database)
    started = time.perf_counter()
    summary = importing.import_paths(uow, at_evening(today), files)
    intake = assessing.parse_intake(json.loads(INTAKE.read_text()))
    first = today - dt.timedelta(days=max(checkin_days, 1) - 1)
    made = at_evening(first - dt.timedelta(days=1))
    assessing.assess_and_save(uow, made, intake)
    planned = planning.plan_from_latest(uow, Preferences(start_date=first))
    planning.save_plan(uow, made, planned)
    database.dispose()
    record_days(partial_url, first, checkin_days, label)
    partial.rename(path)
    print(
        f"  {label}: {summary.imported:,} activities ({summary.samples:,} samples), "
        f"{checkin_days:,} check-ins, built in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    return url


# --- timing ---------------------------------------------------------------------------


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


class Targets:
    """Every page, API route and command, runnable against one database."""

    def __init__(self, url: str, today: dt.date) -> None:
        from fastapi.testclient import TestClient
        from typer.testing import CliRunner

        from backstride.web.app import create_app

        self.url = url
        self.client_context = TestClient(
            create_app(url, at_evening(today)), base_url=LOCAL, follow_redirects=False
        )
        self.client = self.client_context.__enter__()
        self.runner = CliRunner()
        from backstride.cli.main import app as cli

        self.cli = cli

    def get(self, path: str) -> Callable[[], object]:
        def run() -> None:
            response = self.client.get(path)
            if response.status_code >= 400:
                raise RuntimeError(f"GET {path}: {response.status_code}")

        return run

    def drawn(self, path: str) -> Callable[[], object]:
        """A kept page (web/drawn_pages.py) drawn afresh: the keep is emptied first."""
        get = self.get(path)

        def run() -> None:
            self.client.app.state.drawn_pages = DrawnPages()  # type: ignore[attr-defined]
            get()

        return run

    def command(self, args: tuple[str, ...]) -> Callable[[], object]:
        def run() -> None:
            result = self.runner.invoke(self.cli, [*args, "--db", self.url])
            if result.exit_code not in (0, 1):  # 1: a care banner some commands exit with
                raise RuntimeError(f"backstride {' '.join(args)}: {result.output[-500:]}")

        return run

    def close(self) -> None:
        self.client_context.__exit__(None, None, None)


def measure(
    rows: list[tuple[str, Callable[[Targets], Callable[[], object]]]],
    levels: dict[int, Targets],
    rounds: int,
) -> dict[str, dict[int, float]]:
    runs = {name: {level: make(t) for level, t in levels.items()} for name, make in rows}
    for by_level in runs.values():  # warm up (caches, first-use imports)
        for run in by_level.values():
            run()
    times: dict[str, dict[int, list[float]]] = {n: {lv: [] for lv in levels} for n in runs}
    for _ in range(rounds):
        for name, by_level in runs.items():
            for level, run in by_level.items():
                times[name][level].append(timed(run))
    return {
        name: {level: statistics.median(values) for level, values in by_level.items()}
        for name, by_level in times.items()
    }


def label(command: tuple[str, ...]) -> str:
    return " ".join(Path(part).name if part.endswith(".json") else part for part in command)


def print_table(title: str, unit: str, results: dict[str, dict[int, float]]) -> None:
    levels = sorted(next(iter(results.values())))
    base, top = levels[0], levels[-1]
    print(f"\n{title}")
    head = "".join(f"{f'{lv:,} {unit}':>16}" for lv in levels)
    print(f"{'':46}{head}{f'{top:,}/{base:,}':>12}")
    for name, by_level in results.items():
        cells = "".join(f"{by_level[lv] * 1000:13.1f} ms" for lv in levels)
        print(f"{name:46}{cells}{by_level[top] / by_level[base]:11.2f}x")


# --- re-import --------------------------------------------------------------------------


def reimport(url: str, files: list[Path], today: dt.date, rounds: int) -> dict[str, float]:
    uow = SqlUnitOfWork(open_database(url))

    def hash_only() -> None:
        for path in files:
            data = path.read_bytes()
            if path.name.endswith(".gz"):
                data = gzip.decompress(data)
            hashlib.sha256(data).digest()

    def again() -> None:
        summary = importing.import_paths(uow, at_evening(today), files)
        if summary.imported or summary.replaced:
            raise RuntimeError("the re-import stored something")

    hashes, imports = [], []
    again()
    for _ in range(rounds):
        hashes.append(timed(hash_only))
        imports.append(timed(again))
    return {
        "files": len(files),
        "hash_s": statistics.median(hashes),
        "reimport_s": statistics.median(imports),
        "ratio": statistics.median(i / h for i, h in zip(imports, hashes, strict=True)),
    }


# --- throughput ---------------------------------------------------------------------------

HELLO = """
import sys
import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel


class Body(BaseModel):
    schema_: str | None = None
    answers: dict[str, object] = {}


app = FastAPI()


@app.get("/")
def hello() -> dict[str, str]:
    return {"hello": "world"}


@app.post("/")
def hello_post(body: Body) -> dict[str, str]:
    return {"hello": "world"}


if __name__ == "__main__":
    options = dict(log_level="warning", access_log=False, server_header=False, proxy_headers=False)
    workers = int(sys.argv[2])
    if workers > 1:
        uvicorn.run("hello_app:app", port=int(sys.argv[1]), workers=workers, **options)
    else:
        uvicorn.run(app, port=int(sys.argv[1]), **options)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def server(command: list[str], port: int, cwd: Path, env: dict[str, str]) -> Iterator[None]:
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/")
                connection.getresponse().read()
                break
            if process.poll() is not None:
                raise RuntimeError(f"{command}: {process.stderr.read().decode()[-800:]}")  # type: ignore[union-attr]
            time.sleep(0.5)
        else:
            raise RuntimeError(f"{command} did not start")
        yield
    finally:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(20)
        if process.poll() is None:
            process.kill()


def load_threads(
    port: int, method: str, path: str, body: bytes | None, clients: int, seconds: float
) -> tuple[float, float, float]:
    """Requests per second, median and 99th-percentile latency (ms) over ``seconds``.

    A plain threaded client, for machines without ``hey``: it takes CPU from the
    servers it measures, the same for both, so only the ratio means much.
    """
    latencies: list[list[float]] = [[] for _ in range(clients)]
    stop = time.perf_counter() + seconds
    headers = {"Host": f"127.0.0.1:{port}", "Origin": f"http://127.0.0.1:{port}"}
    if body is not None:
        headers["Content-Type"] = "application/json"

    def client(mine: list[float]) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while (started := time.perf_counter()) < stop:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status >= 400:
                raise RuntimeError(f"{method} {path}: {response.status}")
            mine.append(time.perf_counter() - started)

    threads = [threading.Thread(target=client, args=(mine,)) for mine in latencies]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    every = sorted(x for mine in latencies for x in mine)
    p99 = every[min(len(every) - 1, int(len(every) * 0.99))] if every else float("nan")
    return len(every) / elapsed, statistics.median(every) * 1000, p99 * 1000


def load_hey(
    port: int, method: str, path: str, body: bytes | None, clients: int, seconds: float
) -> tuple[float, float, float]:
    """The same with ``hey`` (Debian package), a Go load generator that costs less CPU."""
    command = ["hey", "-z", f"{seconds}s", "-c", str(clients), "-m", method]
    command += ["-host", f"127.0.0.1:{port}", "-H", f"Origin: http://127.0.0.1:{port}"]
    with tempfile.NamedTemporaryFile() as payload:
        if body is not None:
            payload.write(body)
            payload.flush()
            command += ["-T", "application/json", "-D", payload.name]
        command.append(f"http://127.0.0.1:{port}{path}")
        report = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    codes = report.split("Status code distribution:", 1)[-1]
    if not any(f"[{code}]" in codes for code in (200, 201)) or any(
        f"[{code}]" in codes for code in range(400, 600)
    ):
        raise RuntimeError(f"{method} {path}: {report[-600:]}")

    def figure(label: str) -> float:
        for line in report.splitlines():
            if line.strip().startswith(label):
                return float(line.split(label, 1)[1].split()[0])
        return float("nan")  # too few requests for that percentile

    return figure("Requests/sec:"), figure("50% in") * 1000, figure("99% in") * 1000


def throughput(
    url: str, rounds: int, seconds: float, clients: int, workers: int
) -> list[dict[str, Any]]:
    folder = Path(tempfile.mkdtemp(prefix="hello-"))
    (folder / "hello_app.py").write_text(HELLO)
    ours_port, hello_port = free_port(), free_port()
    env = {**os.environ, "PYTHONPATH": str(folder)}
    intake = INTAKE.read_bytes()
    hello_body = json.dumps({"answers": json.loads(intake).get("answers", {})}).encode()
    cases = [
        ("POST /api/v1/assessments", "POST", "/api/v1/assessments", intake, "POST /", hello_body),
        ("GET /plan/1 (plan page)", "GET", "/plan/1", None, "GET /", None),
        ("GET / (home page)", "GET", "/", None, "GET /", None),
    ]
    ours = [
        sys.executable,
        "-m",
        "backstride",
        "serve",
        "--port",
        str(ours_port),
        "--db",
        url,
        "--workers",
        str(workers),
    ]
    hello = [sys.executable, str(folder / "hello_app.py"), str(hello_port), str(workers)]
    results: list[dict[str, Any]] = []
    try:
        with server(ours, ours_port, ROOT, env), server(hello, hello_port, folder, env):
            load = load_hey if shutil.which("hey") else load_threads
            for name, method, path, body, hello_name, hello_payload in cases:
                hello_method, hello_path = hello_name.split(" ")
                load(ours_port, method, path, body, clients, 1.0)  # warm up
                load(hello_port, hello_method, hello_path, hello_payload, clients, 1.0)
                pairs = []
                for _ in range(rounds):
                    a = load(ours_port, method, path, body, clients, seconds)
                    b = load(hello_port, hello_method, hello_path, hello_payload, clients, seconds)
                    pairs.append((a, b))
                results.append(
                    {
                        "route": name,
                        "ceiling": f"hello-world {hello_name}",
                        "rps": statistics.median(a[0] for a, _ in pairs),
                        "p50_ms": statistics.median(a[1] for a, _ in pairs),
                        "p99_ms": statistics.median(a[2] for a, _ in pairs),
                        "hello_rps": statistics.median(b[0] for _, b in pairs),
                        "ratio": statistics.median(a[0] / b[0] for a, b in pairs),
                    }
                )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return results


# --- the run ------------------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load_avg = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{os.cpu_count()} CPUs ({cpu}), Python {sys.version.split()[0]}, "
        f"load average {load_avg:.1f} at the start"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="the default: a small run")
    size.add_argument("--full", action="store_true", help="5,000 activities, 3,650 check-ins")
    parser.add_argument("--keep", type=Path, help="build (or reuse) the databases here")
    parser.add_argument("--rounds", type=int, help="timing rounds (default 3 quick, 5 full)")
    parser.add_argument("--workers", type=int, default=1, help="serve workers for throughput")
    parser.add_argument("--no-throughput", action="store_true")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    parser.add_argument("--levels", help="activity histories instead, e.g. 20,50 (a try-out)")
    parser.add_argument("--checkins", help="check-in histories instead, e.g. 1,10")
    parser.add_argument(
        "--only",
        choices=("activities", "checkins", "reimport", "throughput"),
        action="append",
        help="run only these parts (repeat the option for several); default: all",
    )
    args = parser.parse_args()
    full = bool(args.full)
    levels: tuple[int, ...] = (100, 1_000, 5_000) if full else (100, 1_000)
    checkin_levels: tuple[int, ...] = (1, 1_000, 3_650) if full else (1, 365)
    if args.levels:
        levels = tuple(int(n) for n in args.levels.split(","))
    if args.checkins:
        checkin_levels = tuple(int(n) for n in args.checkins.split(","))
    rounds = args.rounds or (5 if full else 3)
    parts = set(args.only or ("activities", "checkins", "reimport", "throughput"))
    if args.no_throughput:
        parts.discard("throughput")
    if not parts & {"activities", "reimport", "throughput"}:
        levels = levels[:1]  # the check-in histories hold the smallest activity history
    today = dt.datetime.now().astimezone().date()
    yesterday = today - dt.timedelta(days=1)

    folder = args.keep or Path(tempfile.mkdtemp(prefix="growth-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"growth benchmark, {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, {machine()}")
    print(f"histories in {folder} ({'full' if full else 'quick'} run, {rounds} rounds)")
    try:
        files = build_files(folder / "files", levels[-1], yesterday)
        urls = {}
        if parts & {"activities", "reimport", "throughput"}:
            urls = {
                level: build_database(
                    folder / f"activities-{level}.sqlite",
                    prefix(files, level),
                    today,
                    SEED_CHECKINS,
                    f"{level:,} activities",
                )
                for level in levels
            }
        checkin_urls = {}
        if "checkins" in parts:
            checkin_urls = {
                days: build_database(
                    folder / f"checkins-{days}.sqlite",
                    prefix(files, levels[0]),
                    today,
                    days,
                    f"{days:,} days of check-ins",
                )
                for days in checkin_levels
            }
        figures: dict[str, Any] = {"machine": machine(), "levels": levels, "rounds": rounds}
        if "activities" in parts:
            run_activities(urls, today, rounds, figures)
        if "checkins" in parts:
            run_checkins(checkin_urls, today, rounds, levels[0], figures)
        if "reimport" in parts:
            largest = prefix(files, levels[-1])
            again = reimport(urls[levels[-1]], largest, today, rounds)
            print(
                f"\nRe-import of the {levels[-1]:,}-activity history's {again['files']:,} files "
                f"(all already stored): {again['reimport_s']:.2f} s; reading and hashing them: "
                f"{again['hash_s']:.2f} s; ratio {again['ratio']:.1f}x"
            )
            figures["reimport"] = again
        if "throughput" in parts:
            run_throughput(urls[levels[-1]], full, rounds, args.workers, figures, levels[-1])
        if args.json:
            args.json.write_text(json.dumps(figures, indent=1, default=str))
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


def run_activities(
    urls: dict[int, str], today: dt.date, rounds: int, figures: dict[str, Any]
) -> None:
    targets = {level: Targets(url, today) for level, url in urls.items()}
    rows: list[tuple[str, Callable[[Targets], Callable[[], object]]]] = []
    rows += [(f"page {p}", lambda t, p=p: t.get(p)) for p in PAGES]
    rows += [(f"page {p} (drawn afresh)", lambda t, p=p: t.drawn(p)) for p in KEPT_PAGES]
    rows += [(f"api {p}", lambda t, p=p: t.get(p)) for p in API]
    rows += [(f"backstride {label(c)}", lambda t, c=c: t.command(c)) for c in COMMANDS]
    rows += [
        ("page /runs + the whole log (as before)", whole_log(lambda t: t.get("/runs"))),
        ("api activities + the whole log (as before)", whole_log(whole_documents)),
    ]
    results = measure(rows, targets, rounds)
    for t in targets.values():
        t.close()
    print_table("Activities (each history also holds 90 check-ins)", "act.", results)
    figures["activities"] = results


def whole_log(
    also: Callable[[Targets], Callable[[], object]],
) -> Callable[[Targets], Callable[[], object]]:
    """``also`` plus reading the whole run log, as /runs and the API did before they
    were paged (issue 14): the before of the bounded reads, in the same rounds."""

    def make(t: Targets) -> Callable[[], object]:
        uow = SqlUnitOfWork(open_database(t.url))
        run = also(t)

        def both() -> None:
            run()
            training.list_runs(uow)

        return both

    return make


def whole_documents(t: Targets) -> Callable[[], object]:
    """The former GET /api/v1/activities beyond the page: every activity as a document,
    encoded (the page itself is timed through the route, beside it)."""
    page = t.get("/api/v1/activities")
    uow = SqlUnitOfWork(open_database(t.url))

    def run() -> None:
        page()
        json.dumps([training.activity_document(a) for a in training.list_runs(uow)])

    return run


def run_checkins(
    urls: dict[int, str], today: dt.date, rounds: int, activities: int, figures: dict[str, Any]
) -> None:
    """Every check-in target on every check-in history; the services also through
    ``WholeDiary`` (every check-in and the whole decision log, as they read before
    issue 14), in the same rounds."""
    by_days = {days: Targets(url, today) for days, url in urls.items()}
    next_day = today + dt.timedelta(days=1)

    def record(whole: bool) -> Callable[[Targets], Callable[[], object]]:
        def make(t: Targets) -> Callable[[], object]:
            database = open_database(t.url)
            uow: Any = WholeDiary(database) if whole else SqlUnitOfWork(database)
            return lambda: recovery.record_checkin(uow, at_evening(next_day), checkin(next_day))

        return make

    def service(name: str, whole: bool) -> Callable[[Targets], Callable[[], object]]:
        def make(t: Targets) -> Callable[[], object]:
            database = open_database(t.url)
            uow: Any = WholeDiary(database) if whole else SqlUnitOfWork(database)
            run = getattr(recovery, name)
            return lambda: run(uow, today)

        return make

    check_rows: list[tuple[str, Callable[[Targets], Callable[[], object]]]] = [
        ("record_checkin (one more day)", record(False)),
        ("  the same, whole diary (as before)", record(True)),
        ("recovery.today", service("today", False)),
        ("  the same, whole diary (as before) ", service("today", True)),
        ("recovery.progress", service("progress", False)),
        ("  the same, whole diary (as before)  ", service("progress", True)),
    ]
    check_rows += [(f"page {p}", lambda t, p=p: t.get(p)) for p in CHECKIN_PAGES]
    check_rows += [(f"page {p} (drawn afresh)", lambda t, p=p: t.drawn(p)) for p in KEPT_PAGES]
    check_rows += [
        (f"backstride {label(c)}", lambda t, c=c: t.command(c)) for c in CHECKIN_COMMANDS
    ]
    check_results = measure(check_rows, by_days, rounds)
    for t in by_days.values():
        t.close()
    title = f"Check-ins (each history also holds {activities:,} activities)"
    print_table(title, "days", check_results)
    figures["checkins"] = check_results


def run_throughput(
    url: str, full: bool, rounds: int, workers: int, figures: dict[str, Any], level: int
) -> None:
    seconds = 5.0 if full else 3.0
    clients = 4
    served = throughput(url, max(2, rounds - 1), seconds, clients, 1)
    if workers > 1:
        served += [
            {**row, "route": f"{row['route']}, {workers} workers"}
            for row in throughput(url, max(2, rounds - 1), seconds, clients, workers)
        ]
    print(
        f"\nThroughput, {clients} clients on this machine, {seconds:.0f} s rounds, "
        f"{level:,}-activity history"
    )
    for row in served:
        print(
            f"{row['route']:44} {row['rps']:8.0f} req/s  p50 {row['p50_ms']:6.1f} ms  "
            f"p99 {row['p99_ms']:6.1f} ms   {row['ceiling']}: {row['hello_rps']:6.0f} "
            f"req/s   ratio {row['ratio']:.2f}"
        )
    figures["throughput"] = served


if __name__ == "__main__":
    sys.exit(main())
