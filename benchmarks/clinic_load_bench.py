"""Clinic load benchmark: a clinic's server on PostgreSQL under a day's mixed load (issue 15).

    .venv/bin/python benchmarks/clinic_load_bench.py                 # 300 s per server (~12 min)
    .venv/bin/python benchmarks/clinic_load_bench.py --quick         # 20 s per server (~3 min)
    .venv/bin/python benchmarks/clinic_load_bench.py --duration 60 --json clinic.json

What one run does, on one machine, over loopback:

1. **Sets up a clinic** in a fresh PostgreSQL database (a template, dropped at the
   end): 100 runner and 20 clinician accounts (``services.accounts.add_account``; one
   argon2 hash with the server's own costs, made once and given to every account, so
   a login costs what a real one does), each runner assessed (a self-care intake) and
   given a plan that started three weeks ago, and each clinician linked to 5 runners
   by invitation codes (``services.clinic``). The database is migrated and the job
   queue's schema installed before it becomes the template.
2. **For each server in turn**, on its own copy of the template (``CREATE DATABASE
   ... TEMPLATE``, so both start from the same rows):
   (a) one process: ``backstride serve --multi-user --workers 1``, with one
   ``backstride worker`` (a clinic's server queues its imports: without a worker they
   would wait for ever);
   (b) ``backstride serve --multi-user --workers 4`` and 2 ``backstride worker``
   processes.
   Every virtual user logs in once (``GET /login`` for the CSRF token, ``POST
   /login``: the real argon2 verification), then all of them run at once for the
   duration (default 300 s), each with its own cookies and connection:
   - 100 runners: ``POST /api/v1/checkins`` (a valid ``backstride.checkin/1`` for a
     day of the last three weeks, the warning-sign screen answered), a second's
     pause, ``GET /api/v1/today``, then 3-7 s of thinking;
   - 20 clinicians: ``GET /clinic`` (the caseload), 2-4 s, ``GET
     /clinic/runners/{id}`` (one of their 5 runners' records, audited), 2-4 s;
   - 4 importers (runners 0-3, logged in a second time): ``POST /api/v1/activities``
     with a real watch file from ``tests/files`` (FIT, GPX or TCX), time-shifted to a
     day of its own (``corpus.py``) so every upload is a new activity, then 5-10 s.
     The server stores the file and queues its import (202); the importer follows it
     (``GET /api/v1/activities/imports/{id}`` every second) until a job worker has
     imported it, before thinking (an app without a queue imports in the request:
     201, also accepted).
3. **Records** for each kind of request: count, throughput over the window, median
   and 99th-percentile latency, and errors: any status outside 2xx/3xx, any
   exception (timeouts included), a check-in or page that does not say what it
   should, an import that stored nothing or failed. Requests started in the window
   are counted. Logins are reported apart (they happen before the window). The
   servers' own error lines (``... failed: ...``) are collected too, the number of
   database connections is sampled every 5 s, and the CPU time used in the window is
   read from ``/proc``: by the app processes, the job workers, the PostgreSQL backends
   of the database, the load generator and the whole machine (others' work included).

With the pauses above the users ask for about 40 requests a second at most (each runner
two every ~6 s, each clinician two every ~6 s), less as answers slow down: a server that
keeps up serves about that, and its latency says at what cost. ``--think 0.25`` divides
every pause by four, to find what a server serves when it cannot keep up.

The load generator (asyncio + httpx, one process) runs on the same cores as the
servers and PostgreSQL, so absolute figures say what this machine does with all three;
both servers are measured in the same run under the same load.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import math
import os
import random
import re
import resource
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.care_support
from corpus import fit_layout, shift_fit, shift_xml
from growth_bench import Base, bases, free_port, machine
from tests.care_support import self_care_intake

from backstride.adapters.auth.passwords import Argon2Passwords
from backstride.bootstrap import open_storage
from backstride.domain.plan.model import Preferences
from backstride.domain.recovery.checkin import WarningSign
from backstride.services import accounts, assessing, clinic, planning
from backstride.services.clinic_ports import Account, Role
from backstride.services.clock import FixedClock

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PASSWORD = "a long benchmark password"  # noqa: S105 - the benchmark's accounts'
TEMPLATE = "backstride_clinic_bench"
RUNNERS_PER_CLINICIAN = 5
PLAN_DAYS_AGO = 21
CHECKIN_DAYS = 21
REQUEST_TIMEOUT_S = 60.0
IMPORT_WAIT_S = 300.0
LOGINS_AT_ONCE = 8
KEEPALIVE_S = 3.0  # below uvicorn's timeout_keep_alive (5 s)


# --- the clinic ---------------------------------------------------------------------------


class OneHash:
    """The server's argon2 (same costs), hashing the one benchmark password once:
    120 accounts in a fraction of a second, each login as dear as a real one."""

    def __init__(self) -> None:
        self.real = Argon2Passwords()
        self.made: dict[str, str] = {}

    def hash(self, password: str) -> str:
        if password not in self.made:
            self.made[password] = self.real.hash(password)
        return self.made[password]

    def verify(self, password_hash: str, password: str) -> bool:
        return bool(self.real.verify(password_hash, password))

    def needs_rehash(self, password_hash: str) -> bool:
        return bool(self.real.needs_rehash(password_hash))


@dataclass
class Clinic:
    runners: list[Account]
    clinicians: list[Account]
    caseloads: dict[str, list[int]]  # clinician's username -> their runners' ids


def database_url(server: str, name: str) -> str:
    parts = urlsplit(server)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin(server: str) -> psycopg.Connection[Any]:
    url = database_url(server, "postgres").replace("postgresql+psycopg://", "postgresql://")
    return psycopg.connect(url, autocommit=True)


def drop_database(server: str, name: str) -> None:
    with admin(server) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def create_database(server: str, name: str, template: str | None = None) -> str:
    drop_database(server, name)
    with admin(server) as connection:
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        connection.execute(statement)
    return database_url(server, name)


def set_up_clinic(url: str, runners: int, clinicians: int) -> Clinic:
    storage = open_storage(url)  # migrates
    hasher = OneHash()
    start = dt.datetime.now().astimezone().replace(microsecond=0)
    made = FixedClock(start - dt.timedelta(days=PLAN_DAYS_AGO + 1))
    try:

        def add(name: str, role: Role) -> Account:
            return accounts.add_account(
                storage.clinic_unit_of_work(),
                made,
                hasher,
                username=name,
                password=PASSWORD,
                role=role,
                display_name=name.replace("-", " ").title(),
            )

        runner_accounts = [add(f"runner-{n:03d}", Role.RUNNER) for n in range(runners)]
        clinician_accounts = [add(f"physio-{n:02d}", Role.CLINICIAN) for n in range(clinicians)]
        intake = assessing.parse_intake(self_care_intake())
        first_day = made.today() + dt.timedelta(days=1)
        for runner in runner_accounts:
            assessing.assess_and_save(storage.unit_of_work(runner.id), made, intake)
            planned = planning.plan_from_latest(
                storage.unit_of_work(runner.id), Preferences(start_date=first_day)
            )
            planning.save_plan(storage.unit_of_work(runner.id), made, planned)
        caseloads: dict[str, list[int]] = {c.username: [] for c in clinician_accounts}
        for n, runner in enumerate(runner_accounts):
            physio = clinician_accounts[(n // RUNNERS_PER_CLINICIAN) % len(clinician_accounts)]
            code = clinic.create_invitation(storage.clinic_unit_of_work(), made, physio)
            clinic.accept_invitation(storage.clinic_unit_of_work(), made, runner, code)
            caseloads[physio.username].append(runner.id)
    finally:
        storage.dispose()
    with contextlib.suppress(ImportError):  # the job queue's schema, once, in the template
        from backstride.adapters.jobs import open_queue

        open_queue(url).close()
    return Clinic(runner_accounts, clinician_accounts, caseloads)


# --- the servers -------------------------------------------------------------------------


@dataclass
class Processes:
    server: subprocess.Popen[bytes]
    workers: list[subprocess.Popen[bytes]]
    logs: list[Path]


def start(command: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(process: subprocess.Popen[bytes], first: int = signal.SIGTERM) -> None:
    if process.poll() is not None:
        return
    process.send_signal(first)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # its own session: the process and its children
        process.wait(10)


@contextlib.contextmanager
def running(
    url: str, port: int, workers: int, job_workers: int, folder: Path
) -> Iterator[Processes]:
    env = {**os.environ, "BACKSTRIDE_SECRET_KEY": secrets.token_hex(32)}
    backstride = [sys.executable, "-m", "backstride"]
    serve = [*backstride, "serve", "--multi-user", "--port", str(port), "--db", url]
    serve += ["--workers", str(workers)]
    log = folder / f"serve-{workers}.log"
    server = start(serve, log, env)
    processes = Processes(server, [], [log])
    try:
        for n in range(job_workers):
            job_log = folder / f"{log.stem}-job-worker-{n}.log"
            processes.logs.append(job_log)
            processes.workers.append(start([*backstride, "worker", "--db", url], job_log, env))
        deadline = time.monotonic() + 120
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                    break
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start: {log.read_text()[-2000:]}")
            time.sleep(0.5)
        for worker, job_log in zip(processes.workers, processes.logs[1:], strict=True):
            if worker.poll() is not None:
                raise RuntimeError(f"a job worker stopped: {job_log.read_text()[-2000:]}")
        yield processes
    finally:
        for worker in processes.workers:
            stop(worker, signal.SIGINT)
        stop(server)


def server_problems(logs: list[Path]) -> list[str]:
    """The servers' and job workers' error lines: the app's "... failed: ..." (web/security.py),
    tracebacks, and lines logged at ERROR or WARNING."""
    found = []
    for log in logs:
        for line in log.read_text(errors="replace").splitlines():
            if re.search(r"failed:|Traceback|\b(ERROR|WARNING|CRITICAL)\b", line):
                found.append(f"{log.name}: {line.strip()[:300]}")
    return found


# --- the load ----------------------------------------------------------------------------


@dataclass
class Recorder:
    window_start: float = 0.0
    window_end: float = float("inf")
    think: float = 1.0  # every pause is multiplied by this
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    outcomes: Counter[str] = field(default_factory=Counter)

    def counts(self, started: float) -> bool:
        return self.window_start <= started < self.window_end

    def ok(self, kind: str, seconds: float) -> None:
        self.latencies[kind].append(seconds)

    def error(self, kind: str, what: str) -> None:
        self.errors[kind][what[:400]] += 1
        self.latencies.setdefault(kind, [])


class Failed(Exception):
    """A response that is not what it should be (recorded as an error)."""


class User:
    """One virtual user: its own cookies and connection."""

    def __init__(self, base: str, recorder: Recorder, username: str) -> None:
        # An idle connection is dropped by the client before uvicorn drops it (after 5 s,
        # its keep-alive timeout): a request sent on a connection the server is closing at
        # that moment fails with a ReadError that says nothing about the app.
        limits = httpx.Limits(keepalive_expiry=KEEPALIVE_S)
        self.client = httpx.AsyncClient(
            base_url=base, timeout=REQUEST_TIMEOUT_S, follow_redirects=False, limits=limits
        )
        self.recorder = recorder
        self.username = username

    async def call(
        self,
        kind: str,
        method: str,
        path: str,
        *,
        check: Callable[[httpx.Response], str | None] | None = None,
        always: bool = False,
        **options: Any,
    ) -> httpx.Response | None:
        """The response, timed and recorded under ``kind`` if it started in the window
        (``always``: whenever it started); None after an error (recorded): a status
        outside 2xx/3xx, an exception, or ``check`` saying what is wrong with it."""
        started = time.perf_counter()
        counted = always or self.recorder.counts(started)
        try:
            response = await self.client.request(method, path, **options)
        except httpx.HTTPError as error:
            if counted:
                self.recorder.error(kind, f"{method} {path}: {type(error).__name__}: {error}")
            return None
        elapsed = time.perf_counter() - started
        problem = None
        if response.status_code >= 400:
            body = response.text.strip().replace("\n", " ")
            problem = f"{method} {path} -> {response.status_code}: {body}"
        elif check is not None:
            wrong = check(response)
            problem = f"{method} {path} -> {response.status_code}: {wrong}" if wrong else None
        if problem is not None:
            if counted:
                self.recorder.error(kind, problem)
            return None
        if counted:
            self.recorder.ok(kind, elapsed)
        return response

    async def pause(self, rng: random.Random, low: float, high: float) -> None:
        """Think for a while (scaled by ``--think``)."""
        await asyncio.sleep(rng.uniform(low, high) * self.recorder.think)

    async def log_in(self) -> bool:
        page = await self.call("login (GET /login)", "GET", "/login", always=True)
        if page is None:
            return False
        found = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text)
        if not found:
            self.recorder.error("login (GET /login)", "no csrf-token meta on /login")
            return False
        form = {"username": self.username, "password": PASSWORD, "csrf_token": found.group(1)}
        done = await self.call("login (POST /login)", "POST", "/login", data=form, always=True)
        if done is None:
            return False
        if done.status_code != 303 or "backstride_session" not in self.client.cookies:
            self.recorder.error("login (POST /login)", f"{done.status_code}, no session cookie")
            return False
        return True

    async def close(self) -> None:
        await self.client.aclose()


NO_SIGNS = {sign.value: False for sign in WarningSign}


def json_has(key: str, value: object = None) -> Callable[[httpx.Response], str | None]:
    """A check: the JSON answer has ``key`` (equal to ``value`` when given)."""

    def check(response: httpx.Response) -> str | None:
        try:
            found = response.json()
        except ValueError:
            return f"not JSON: {response.text[:200]}"
        if key not in found or (value is not None and found[key] != value):
            return f"no {key}={value!r} in {response.text[:300]}"
        return None

    return check


def page_has(marker: str, at_least: int = 1) -> Callable[[httpx.Response], str | None]:
    def check(response: httpx.Response) -> str | None:
        if response.text.count(marker) < at_least:
            return f"{marker!r} fewer than {at_least} times in the page"
        return None

    return check


async def runner_user(user: User, rng: random.Random, today: dt.date, stop_at: float) -> None:
    await user.pause(rng, 0, 5)  # not all in step
    while time.perf_counter() < stop_at:
        day = today - dt.timedelta(days=rng.randrange(CHECKIN_DAYS))
        pain = rng.choice((1, 2, 2, 3))
        document = {
            "schema": "backstride.checkin/1",
            "date": day.isoformat(),
            "pain_now_0_10": pain,
            "worst_24h_0_10": pain + rng.choice((0, 1)),
            "warning_signs": NO_SIGNS,
        }
        await user.call(
            "POST /api/v1/checkins",
            "POST",
            "/api/v1/checkins",
            json=document,
            check=json_has("date", day.isoformat()),
        )
        await user.pause(rng, 0.5, 1.5)
        await user.call("GET /api/v1/today", "GET", "/api/v1/today", check=json_has("care"))
        await user.pause(rng, 3, 7)


async def clinician_user(
    user: User, rng: random.Random, runner_ids: list[int], stop_at: float
) -> None:
    await user.pause(rng, 0, 4)
    caseload = page_has("data-runner=", len(runner_ids))
    while time.perf_counter() < stop_at:
        await user.call("GET /clinic", "GET", "/clinic", check=caseload)
        await user.pause(rng, 2, 4)
        runner = rng.choice(runner_ids)
        await user.call("GET /clinic/runners/{id}", "GET", f"/clinic/runners/{runner}")
        await user.pause(rng, 2, 4)


@dataclass
class Uploads:
    """Time-shifted copies of the real files, one new day for every upload."""

    files: list[Base]
    today: dt.date
    layouts: dict[str, Any] = field(default_factory=dict)

    def copy(self, number: int) -> tuple[str, bytes]:
        base = self.files[number % len(self.files)]
        day = self.today - dt.timedelta(days=1 + number)
        shift = (day - base.day).days
        if base.kind == "fit":
            if base.name not in self.layouts:
                self.layouts[base.name] = fit_layout(base.data)
            data = shift_fit(base.data, self.layouts[base.name], shift)
        else:
            data = shift_xml(base.data, shift)
        return f"{day.isoformat()}-{base.name}", data


async def importer_user(
    user: User, rng: random.Random, uploads: Uploads, first: int, every: int, stop_at: float
) -> None:
    await user.pause(rng, 0, 5)
    number = first
    kind = "POST /api/v1/activities"

    def stored(response: httpx.Response) -> str | None:
        if response.status_code == 201 and not response.json().get("imported"):
            return f"nothing imported: {response.text[:300]}"
        if response.status_code not in (201, 202):
            return f"neither imported (201) nor queued (202): {response.text[:300]}"
        return None

    while time.perf_counter() < stop_at:
        name, data = await asyncio.to_thread(uploads.copy, number)
        number += every
        started = time.perf_counter()
        files = {"files": (name, data, "application/octet-stream")}
        response = await user.call(kind, "POST", "/api/v1/activities", files=files, check=stored)
        if response is not None and response.status_code == 201:
            user.recorder.outcomes["imported in the request (201)"] += 1
        elif response is not None and response.status_code == 202:
            user.recorder.outcomes["queued (202)"] += 1
            await follow_import(user, response, name, started)
        await user.pause(rng, 5, 10)


async def follow_import(user: User, response: httpx.Response, name: str, started: float) -> None:
    """Poll a queued import until it is done; time it from the upload."""
    kind = "import queued -> done"
    where = response.headers["location"]
    counted = user.recorder.counts(started)
    while time.perf_counter() - started < IMPORT_WAIT_S:
        await asyncio.sleep(1.0)
        status = await user.call(
            "GET /api/v1/activities/imports/{id}", "GET", where, check=json_has("status")
        )
        if status is None:
            continue
        state = status.json()
        if state["status"] == "done":
            if counted:
                summary = state.get("summary") or {}
                if summary.get("imported"):
                    user.recorder.ok(kind, time.perf_counter() - started)
                else:
                    user.recorder.error(kind, f"{name}: nothing imported: {state}")
            return
        if state["status"] == "failed":
            if counted:
                user.recorder.error(kind, f"{name}: failed: {state.get('error')}")
            return
    if counted:
        user.recorder.error(kind, f"{name}: not done after {IMPORT_WAIT_S:.0f} s")


class CpuTracker:
    """CPU seconds used in the window by groups of processes, read from ``/proc``.

    The groups: each session given (a process started in a session of its own, with
    all its children: the app's uvicorn workers), and the PostgreSQL backends serving
    ``database``. Each process is followed by its id, sampled every second, from what
    it had used at the window's start (or from nothing, if it started later) to the
    last sample: a backend that ends in the window (the app's pool closes the
    connections it opened beyond its size) keeps what it used up to its last sample.
    Also this process (the load generator) and the whole machine, from start to end.
    """

    def __init__(self, sessions: dict[str, list[int]], database: str) -> None:
        self.of_session = {pid: name for name, pids in sessions.items() for pid in pids}
        self.groups = [*sessions, "postgres"]
        self.database = database
        self.tick = os.sysconf("SC_CLK_TCK")
        self.first: dict[int, tuple[str, float]] = {}
        self.last: dict[int, float] = {}
        self.started = False
        self.machine_start = self.machine()
        self.self_start = self.own()

    def machine(self) -> tuple[float, float]:
        """(busy, total) CPU seconds of the whole machine since boot."""
        jiffies = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
        return (sum(jiffies) - jiffies[3] - jiffies[4]) / self.tick, sum(jiffies) / self.tick

    @staticmethod
    def own() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    def sample(self) -> None:
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError, ValueError):
                pid = int(entry.name)
                stat = Path(entry.path, "stat").read_text()
                fields = stat[stat.rindex(")") + 2 :].split()
                group = self.of_session.get(int(fields[3]))
                if group is None:
                    title = Path(entry.path, "cmdline").read_bytes().replace(b"\0", b" ")
                    if not title.startswith(b"postgres:") or (
                        f" {self.database} ".encode() not in title
                    ):
                        continue
                    group = "postgres"
                used = (int(fields[11]) + int(fields[12])) / self.tick
                if pid not in self.first:
                    self.first[pid] = (group, used if not self.started else 0.0)
                self.last[pid] = used
        self.started = True

    def result(self) -> dict[str, float]:
        used = dict.fromkeys(self.groups, 0.0)
        for pid, (group, first) in self.first.items():
            used[group] += self.last[pid] - first
        busy, total = self.machine()
        used["load generator"] = self.own() - self.self_start
        used["machine busy"] = busy - self.machine_start[0]
        used["machine total"] = total - self.machine_start[1]
        return used


async def sample_connections(server: str, name: str, stop_at: float, found: list[int]) -> None:
    def count() -> int:
        with admin(server) as connection:
            row = connection.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (name,)
            ).fetchone()
            return int(row[0]) if row else 0

    while time.perf_counter() < stop_at:
        with contextlib.suppress(psycopg.Error):
            found.append(await asyncio.to_thread(count))
        await asyncio.sleep(5)


async def drive(
    base: str,
    clinic_made: Clinic,
    uploads: Uploads,
    importers: int,
    duration: float,
    pg_server: str,
    database: str,
    sessions: dict[str, list[int]],
    think: float,
) -> dict[str, Any]:
    recorder = Recorder(think=think)
    runners = [User(base, recorder, r.username) for r in clinic_made.runners]
    physios = [User(base, recorder, c.username) for c in clinic_made.clinicians]
    importing = [User(base, recorder, r.username) for r in clinic_made.runners[:importers]]
    everyone = [*runners, *physios, *importing]
    try:
        began = time.perf_counter()
        # A few at a time: each login is an argon2 verification (64 MiB, ~0.1-0.5 s of
        # a core), as when people arrive over the morning, not all in the same second.
        gate = asyncio.Semaphore(LOGINS_AT_ONCE)

        async def log_in(user: User) -> bool:
            async with gate:
                return await user.log_in()

        logged = await asyncio.gather(*(log_in(u) for u in everyone))
        login_s = time.perf_counter() - began
        if not all(logged):
            raise RuntimeError(f"logins failed: {dict(recorder.errors)}")
        recorder.window_start = time.perf_counter()
        recorder.window_end = recorder.window_start + duration
        stop_at = recorder.window_end
        today = dt.datetime.now().astimezone().date()
        connections: list[int] = []
        tasks = [
            runner_user(u, random.Random(f"runner{n}"), today, stop_at)
            for n, u in enumerate(runners)
        ]
        tasks += [
            clinician_user(
                u, random.Random(f"physio{n}"), clinic_made.caseloads[u.username], stop_at
            )
            for n, u in enumerate(physios)
        ]
        tasks += [
            importer_user(u, random.Random(f"importer{n}"), uploads, n, importers, stop_at)
            for n, u in enumerate(importing)
        ]
        tasks.append(sample_connections(pg_server, database, stop_at, connections))
        tracker = CpuTracker(sessions, database)
        cpu: dict[str, float] = {}

        async def measure_cpu() -> None:
            while time.perf_counter() < stop_at:
                tracker.sample()
                await asyncio.sleep(min(1.0, max(0.0, stop_at - time.perf_counter())))
            tracker.sample()
            cpu.update(tracker.result())

        tasks.append(measure_cpu())
        await asyncio.gather(*tasks)
        drained = time.perf_counter() - stop_at
    finally:
        await asyncio.gather(*(u.close() for u in everyone))
    return {
        "recorder": recorder,
        "login_s": login_s,
        "drain_s": drained,
        "connections_max": max(connections, default=0),
        "connections_median": statistics.median(connections) if connections else 0,
        "cpu_s": cpu,
    }


# --- the report --------------------------------------------------------------------------


def percentile(ordered: list[float], fraction: float) -> float:
    """Nearest rank."""
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered), max(1, math.ceil(fraction * len(ordered)))) - 1]


def rows_of(recorder: Recorder, duration: float) -> list[dict[str, Any]]:
    rows = []
    for kind in sorted(set(recorder.latencies) | set(recorder.errors)):
        ordered = sorted(recorder.latencies.get(kind, []))
        errors = sum(recorder.errors.get(kind, Counter()).values())
        login = kind.startswith("login")
        rows.append(
            {
                "kind": kind,
                "count": len(ordered) + errors,
                "rps": None if login else (len(ordered) + errors) / duration,
                "p50_ms": percentile(ordered, 0.50) * 1000,
                "p99_ms": percentile(ordered, 0.99) * 1000,
                "max_ms": (ordered[-1] * 1000) if ordered else float("nan"),
                "errors": errors,
            }
        )
    return rows


def print_table(title: str, rows: list[dict[str, Any]]) -> None:
    print(f"\n{title}")
    print(f"{'':34}{'count':>8}{'req/s':>9}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}{'errors':>8}")
    for row in rows:
        rps = "" if row["rps"] is None else f"{row['rps']:.1f}"
        print(
            f"{row['kind']:34}{row['count']:8d}{rps:>9}{row['p50_ms']:10.0f}"
            f"{row['p99_ms']:10.0f}{row['max_ms']:10.0f}{row['errors']:8d}"
        )


@dataclass(frozen=True)
class Server:
    label: str
    workers: int
    job_workers: int

    @property
    def command(self) -> str:
        shown = f"backstride serve --multi-user --workers {self.workers}"
        return f"{shown}; {self.job_workers} x backstride worker"


def run_one(
    spec: Server,
    pg_server: str,
    clinic_made: Clinic,
    uploads: Uploads,
    args: argparse.Namespace,
    folder: Path,
) -> dict[str, Any]:
    label, workers, job_workers = spec.label, spec.workers, spec.job_workers
    name = f"{TEMPLATE}_{workers}"
    url = create_database(pg_server, name, TEMPLATE)
    port = free_port()
    print(f"\n{label}: {spec.command}", flush=True)
    try:
        with running(url, port, workers, job_workers, folder) as processes:
            base = f"http://127.0.0.1:{port}"
            sessions = {
                "app processes": [processes.server.pid],
                "job workers": [w.pid for w in processes.workers],
            }
            driven = asyncio.run(
                drive(
                    base,
                    clinic_made,
                    uploads,
                    args.importers,
                    args.duration,
                    pg_server,
                    name,
                    sessions,
                    args.think,
                )
            )
            alive = processes.server.poll() is None
        problems = server_problems(processes.logs)
    finally:
        if not args.keep:
            drop_database(pg_server, name)
    recorder: Recorder = driven["recorder"]
    rows = rows_of(recorder, args.duration)
    window = [r for r in rows if r["rps"] is not None]
    total = {
        "requests": sum(r["count"] for r in window if not r["kind"].startswith("import queued")),
        "errors": sum(r["errors"] for r in rows),
    }
    every = sorted(
        x
        for kind, values in recorder.latencies.items()
        if not kind.startswith(("login", "import queued"))
        for x in values
    )
    total["rps"] = total["requests"] / args.duration
    total["p50_ms"] = percentile(every, 0.50) * 1000
    total["p99_ms"] = percentile(every, 0.99) * 1000
    print_table(f"{label}, {args.duration:.0f} s window", rows)
    print(
        f"{'all requests in the window':34}{total['requests']:8d}{total['rps']:9.1f}"
        f"{total['p50_ms']:10.0f}{total['p99_ms']:10.0f}{'':10}{total['errors']:8d}"
    )
    print(
        f"logins: {len(clinic_made.runners) + len(clinic_made.clinicians) + args.importers} "
        f"in {driven['login_s']:.1f} s; last requests drained {driven['drain_s']:.1f} s "
        f"after the window; database connections: median {driven['connections_median']}, "
        f"max {driven['connections_max']}; imports: {dict(recorder.outcomes) or 'none'}"
    )
    cpu = driven["cpu_s"]
    cores = {k: v / args.duration for k, v in cpu.items()}
    others = cores["machine busy"] - sum(
        cores[k] for k in ("app processes", "job workers", "postgres", "load generator")
    )
    print(
        "CPU in the window, in cores: "
        + ", ".join(
            f"{k} {cores[k]:.2f}"
            for k in ("app processes", "job workers", "postgres", "load generator")
        )
        + f", everything else on the machine {max(others, 0.0):.2f}; the machine "
        f"{cores['machine busy']:.2f} busy of {cores['machine total']:.2f}"
    )
    for kind, errors in recorder.errors.items():
        for what, count in errors.most_common(10):
            print(f"  ERROR {kind} x{count}: {what}")
    if not alive:
        print("  ERROR the server had stopped by the end of the window")
    for line in problems[:20]:
        print(f"  SERVER {line}")
    return {
        "label": label,
        "command": spec.command,
        "workers": workers,
        "job_workers": job_workers,
        "rows": rows,
        "total": total,
        "errors": {k: dict(v) for k, v in recorder.errors.items()},
        "server_problems": problems,
        "server_alive": alive,
        "imports": dict(recorder.outcomes),
        "login_s": driven["login_s"],
        "drain_s": driven["drain_s"],
        "connections_max": driven["connections_max"],
        "connections_median": driven["connections_median"],
        "cpu_cores": cores,
        "think": args.think,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=300.0, help="seconds per server")
    parser.add_argument("--quick", action="store_true", help="a 20 s window per server")
    parser.add_argument("--runners", type=int, default=100)
    parser.add_argument("--clinicians", type=int, default=20)
    parser.add_argument("--importers", type=int, default=4, help="runners also uploading files")
    parser.add_argument("--workers", type=int, default=4, help="app processes of the second")
    parser.add_argument("--job-workers", type=int, default=2)
    parser.add_argument(
        "--single-job-workers",
        type=int,
        default=1,
        help="job workers beside the single process (it queues imports: at least 1)",
    )
    parser.add_argument(
        "--only",
        choices=("single", "multi"),
        action="append",
        help="measure only this server (repeat for both)",
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BACKSTRIDE_TEST_POSTGRES_URL")
        or "postgresql://postgres@127.0.0.1:5432/postgres",
        help="a PostgreSQL server (any database on it): the benchmark makes its own",
    )
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="multiply every pause by this (0.25: four times the load)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    args = parser.parse_args()
    if args.quick:
        args.duration = 20.0
    if args.runners < args.clinicians * RUNNERS_PER_CLINICIAN:
        parser.error(f"--runners: at least {RUNNERS_PER_CLINICIAN} per clinician")
    started = dt.datetime.now().astimezone()
    print(f"clinic load benchmark, {started:%Y-%m-%d %H:%M %Z}, {machine()}")
    print(
        f"{args.runners} runners, {args.clinicians} clinicians, {args.importers} importers, "
        f"{args.duration:.0f} s per server, pauses x{args.think:g}"
    )
    folder = Path(tempfile.mkdtemp(prefix="clinic-load-"))
    results: dict[str, Any] = {
        "machine": machine(),
        "started": started.isoformat(),
        "duration_s": args.duration,
        "runners": args.runners,
        "clinicians": args.clinicians,
        "importers": args.importers,
        "servers": [],
    }
    try:
        began = time.perf_counter()
        url = create_database(args.postgres, TEMPLATE)
        clinic_made = set_up_clinic(url, args.runners, args.clinicians)
        print(f"clinic set up in {time.perf_counter() - began:.1f} s", flush=True)
        files = [b for b in bases() if b.kind in ("fit", "gpx", "tcx")]
        uploads = Uploads(files, dt.datetime.now().astimezone().date())
        single = f"1 app process + {args.single_job_workers} job worker"
        multi = f"{args.workers} app workers + {args.job_workers} job workers"
        servers = {
            "single": Server(single, 1, args.single_job_workers),
            "multi": Server(multi, args.workers, args.job_workers),
        }
        chosen = args.only or ["single", "multi"]
        for key in chosen:
            results["servers"].append(
                run_one(servers[key], args.postgres, clinic_made, uploads, args, folder)
            )
    finally:
        if not args.keep:
            drop_database(args.postgres, TEMPLATE)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str))
    errors = sum(s["total"]["errors"] for s in results["servers"])
    alive = all(s["server_alive"] for s in results["servers"])
    print(f"\nerrors: {errors}; server logs and the job workers' in {folder}")
    return 0 if errors == 0 and alive else 1


if __name__ == "__main__":
    sys.exit(main())
