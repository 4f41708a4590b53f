"""Many check-ins for one day at once: every acknowledged answer is stored, none fails.

The reliability review (D1) sent 13 check-ins for the same day at once, each
answering one warning sign "yes"; about 70 % of the acknowledged "yes" answers
were lost and some requests failed with 500. Here the same race runs on SQLite
and PostgreSQL, through the service layer (threads and processes) and through
the real HTTP server, and every acknowledged "yes" must be in the stored day.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from backstride.adapters.db.database import open_database
from backstride.adapters.db.unit_of_work import SqlUnitOfWork
from backstride.domain.recovery.checkin import WarningSign
from backstride.services import assessing, recovery, training
from tests.builders import checkin_document

pytestmark = pytest.mark.slow

SIGNS = list(WarningSign)  # 13 signs: one "yes" per concurrent request
DAY = dt.date(2026, 3, 1)


class Clock:
    def now(self) -> dt.datetime:
        return dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)

    def today(self) -> dt.date:
        return dt.date(2026, 3, 10)


def checkin(day: dt.date, sign: WarningSign) -> dict[str, Any]:
    """The day's check-in with one warning sign answered yes."""
    return checkin_document(day, warning_signs={sign.value: True})


def record(url: str, document: dict[str, Any]) -> None:
    database = open_database(url, upgrade=False)
    try:
        recovery.record_checkin(SqlUnitOfWork(database), Clock(), recovery.parse_checkin(document))
    finally:
        database.dispose()


def stored_yes(url: str, day: dt.date) -> set[str]:
    database = open_database(url, upgrade=False)
    try:
        document = recovery.stored_checkin(SqlUnitOfWork(database), day)
        assert document is not None
        return {sign.value for sign, yes in (document.warning_signs or {}).items() if yes}
    finally:
        database.dispose()


def programme_rows(url: str) -> int:
    database = open_database(url, upgrade=False)
    try:
        with database.engine.connect() as conn:
            return int(conn.exec_driver_sql("SELECT count(*) FROM programmes").scalar_one())
    finally:
        database.dispose()


def at_once(calls: list[Callable[[], Any]]) -> list[BaseException]:
    """Run every call in its own thread, released together; the exceptions raised."""
    barrier = threading.Barrier(len(calls))
    failures: list[BaseException] = []

    def run(call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            call()
        except BaseException as error:
            failures.append(error)

    with ThreadPoolExecutor(len(calls)) as pool:
        list(pool.map(run, calls))
    return failures


def save_self_care_assessment(url: str) -> None:
    """A saved self-care assessment, so the first check-in starts the programme."""
    from tests.care_support import self_care_intake

    database = open_database(url, upgrade=False)
    try:
        intake = assessing.parse_intake(self_care_intake())
        assessing.assess_and_save(SqlUnitOfWork(database), Clock(), intake)
    finally:
        database.dispose()


def test_simultaneous_checkins_through_the_service_keep_every_yes(database_url: str) -> None:
    open_database(database_url).dispose()
    database = open_database(database_url, upgrade=False)
    days = [DAY + dt.timedelta(days=i) for i in range(3)]
    try:
        calls: list[Callable[[], Any]] = [
            (
                lambda day=day, sign=sign: recovery.record_checkin(
                    SqlUnitOfWork(database), Clock(), recovery.parse_checkin(checkin(day, sign))
                )
            )
            for day in days
            for sign in SIGNS
        ]
        failures = at_once(calls)
    finally:
        database.dispose()
    assert failures == []
    for day in days:
        assert stored_yes(database_url, day) == {s.value for s in SIGNS}, day


def test_the_programme_starts_once_however_many_checkins_race_to_start_it(
    database_url: str,
) -> None:
    open_database(database_url).dispose()
    save_self_care_assessment(database_url)
    database = open_database(database_url, upgrade=False)
    plain = {"schema": "backstride.checkin/1", "pain_now_0_10": 2, "worst_24h_0_10": 3}
    try:
        failures = at_once(
            [
                lambda i=i: recovery.record_checkin(
                    SqlUnitOfWork(database),
                    Clock(),
                    recovery.parse_checkin(
                        {**plain, "date": (DAY + dt.timedelta(days=i % 4)).isoformat()}
                    ),
                )
                for i in range(12)
            ]
        )
    finally:
        database.dispose()
    assert failures == []
    assert programme_rows(database_url) == 1


def test_a_stored_yes_is_never_undone_by_a_later_no(database_url: str) -> None:
    open_database(database_url).dispose()
    record(database_url, checkin(DAY, WarningSign.BLADDER_CHANGE))
    answer_no = checkin(DAY, WarningSign.BLADDER_CHANGE)
    answer_no["warning_signs"] = {sign.value: False for sign in SIGNS}
    failures = at_once([lambda: record(database_url, answer_no) for _ in range(6)])
    assert failures == []
    assert stored_yes(database_url, DAY) == {WarningSign.BLADDER_CHANGE.value}


def _process_checkin(url: str, sign_value: str, barrier: Any) -> None:
    barrier.wait()
    record(url, checkin(DAY, WarningSign(sign_value)))


def test_simultaneous_checkins_from_several_processes(database_url: str) -> None:
    open_database(database_url).dispose()
    context = multiprocessing.get_context("spawn")
    chosen = SIGNS[:6]
    barrier = context.Barrier(len(chosen))
    processes = [
        context.Process(target=_process_checkin, args=(database_url, sign.value, barrier))
        for sign in chosen
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=180)
    assert [p.exitcode for p in processes] == [0] * len(chosen)
    assert stored_yes(database_url, DAY) == {s.value for s in chosen}


def test_simultaneous_shoe_additions_store_each_pair_once(database_url: str) -> None:
    open_database(database_url).dispose()
    database = open_database(database_url, upgrade=False)
    outcomes: list[str] = []

    def add(name: str) -> None:
        try:
            training.add_shoe(SqlUnitOfWork(database), name)
            outcomes.append("added")
        except training.TrainingError:
            outcomes.append("exists")

    try:
        failures = at_once([lambda i=i: add(f"pair {i % 3}") for i in range(12)])
        names = sorted(s.shoe.name for s in training.list_shoes(SqlUnitOfWork(database)))
    finally:
        database.dispose()
    assert failures == []
    assert names == ["pair 0", "pair 1", "pair 2"]
    assert sorted(outcomes) == ["added"] * 3 + ["exists"] * 9


# -- through the HTTP server ---------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[str]:
    """`backstride serve` on a free loopback port, stopped afterwards (by its own pid)."""
    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "backstride", "serve", "--port", str(port), "--db", database_url],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "COLUMNS": "100"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/api/v1/topics", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_simultaneous_checkins_over_http_are_all_stored(server: str) -> None:
    days = [DAY, DAY + dt.timedelta(days=1)]
    statuses: list[int] = []

    def post(document: dict[str, Any]) -> None:
        response = httpx.post(f"{server}/api/v1/checkins", json=document, timeout=120)
        statuses.append(response.status_code)

    failures = at_once([lambda d=d, s=s: post(checkin(d, s)) for d in days for s in SIGNS])
    assert failures == []
    assert statuses == [201] * len(days) * len(SIGNS)
    for day in days:
        read = httpx.post(
            f"{server}/api/v1/checkins",
            json={
                "schema": "backstride.checkin/1",
                "date": day.isoformat(),
                "pain_now_0_10": 3,
                "worst_24h_0_10": 4,
            },
            timeout=60,
        )
        assert read.status_code == 201
        answered = read.json()["checkin"]["warning_signs"]
        assert {k for k, yes in answered.items() if yes} == {s.value for s in SIGNS}
