"""The job queue on PostgreSQL: uploads imported by workers, retries, and killed workers.

Workers run in this process (``work(..., wait=False)``: until no job is left) or, to be
killed for real, as ``backstride worker`` subprocesses.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import pytest
import sqlalchemy as sa

from backstride.adapters.jobs import (
    Queue,
    QueueUnavailable,
    RetryPolicy,
    WorkerSettings,
    open_queue,
    work,
)
from backstride.adapters.jobs import tasks as job_tasks
from backstride.adapters.jobs.store import JobStore
from backstride.bootstrap import LOCAL_OWNER
from backstride.services import importing
from tests.builders import gpx
from tests.conftest import FILES, ROOT
from tests.integration.jobs.conftest import run_to_completion

pytestmark = pytest.mark.postgres

FIT_RUN = FILES / "gc_Garmin920_withFirstbeat.fit"
ZIP = FILES / "fittrackee_gpx_test.zip"
BAD = FILES / "togeojson_bad.gpx"
# No wait between tries, so a retried job is fetchable again at once (``wait=False``).
NO_WAIT = RetryPolicy(retries=2, first_wait_s=0)


@pytest.fixture
def queue(pg_url: str) -> Iterator[Queue]:
    opened = open_queue(pg_url)
    yield opened
    opened.close()


def run_worker(url: str, policy: RetryPolicy = NO_WAIT) -> None:
    """A worker in this process, until no job is left."""
    settings = WorkerSettings(wait=False, install_signal_handlers=False, policy=policy)
    run_to_completion(work(url, settings))


def scalar(queue: Queue, sql: str, **params: Any) -> Any:
    with queue.database.engine.connect() as connection:
        return connection.execute(sa.text(sql), params).scalar()


def queue_jobs(queue: Queue) -> list[str]:
    """The statuses of the jobs in procrastinate's table (in the queue's own schema)."""
    jobs = sa.table("procrastinate_jobs", sa.column("status"), schema=queue.location.schema)
    with queue.database.engine.connect() as connection:
        return [str(row[0]) for row in connection.execute(sa.select(jobs.c.status))]


def files(*paths: Any) -> list[tuple[str, bytes]]:
    return [(path.name, path.read_bytes()) for path in paths]


# --- imported by a worker ----------------------------------------------------------------


def test_a_queued_upload_is_imported_by_a_worker_with_its_progress(
    queue: Queue, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = queue.defer_imports(LOCAL_OWNER, files(FIT_RUN, ZIP))
    assert [s.status for s in queue.batch(LOCAL_OWNER, ids[1])] == ["queued", "queued"]
    # The upload and its job were committed together.
    assert queue_jobs(queue) == ["todo", "todo"]

    written: list[tuple[int, int, int | None]] = []
    upload_progress = JobStore.upload_progress

    def spy(store: JobStore, owner: int, upload: int, done: int, total: int | None) -> None:
        written.append((upload, done, total))
        upload_progress(store, owner, upload, done, total)

    monkeypatch.setattr(JobStore, "upload_progress", spy)
    monkeypatch.setattr(job_tasks, "PROGRESS_EVERY_S", 0)
    run_worker(pg_url)

    fit, archive = queue.batch(LOCAL_OWNER, ids[0])
    assert (fit.status, fit.attempts, fit.error, fit.total) == ("done", 1, None, 1)
    assert fit.summary is not None
    assert fit.summary["imported"] == 1
    assert archive.status == "done"
    assert archive.summary is not None
    assert archive.total == 4  # the archive's entries
    assert archive.done == 4  # read: 1 imported, 2 the same run, 1 skipped
    # Progress was written while the archive was read, counting up from 0.
    counts = [done for upload, done, _ in written if upload == archive.id]
    assert counts[0] == 0
    assert counts == sorted(counts)
    assert counts[-1] == 4
    stored = fit.summary["imported"] + archive.summary["imported"]
    assert scalar(queue, "SELECT count(*) FROM activities WHERE owner_id = 1") == stored
    # The bytes are let go once imported; the finished jobs are gone from the queue.
    assert scalar(queue, "SELECT count(*) FROM job_uploads WHERE content IS NOT NULL") == 0
    assert queue_jobs(queue) == []


def test_the_same_file_again_is_reported_as_a_duplicate(queue: Queue, pg_url: str) -> None:
    first = queue.defer_import(LOCAL_OWNER, FIT_RUN.name, FIT_RUN.read_bytes())
    again = queue.defer_import(LOCAL_OWNER, FIT_RUN.name, FIT_RUN.read_bytes())
    run_worker(pg_url)
    done = [queue.status(LOCAL_OWNER, upload) for upload in (first, again)]
    assert [(s.status, s.summary["imported"], s.summary["duplicates"]) for s in done if s] == [
        ("done", 1, 0),
        ("done", 0, 1),
    ]


# --- failures, and which are tried again --------------------------------------------------


def test_a_file_nothing_can_be_read_from_fails_with_the_reason_and_is_not_retried(
    queue: Queue, pg_url: str
) -> None:
    upload = queue.defer_import(LOCAL_OWNER, BAD.name, BAD.read_bytes())
    run_worker(pg_url)
    found = queue.status(LOCAL_OWNER, upload)
    assert found is not None
    assert (found.status, found.attempts) == ("failed", 1)
    assert found.error is not None
    assert found.error.startswith("Nothing could be imported. togeojson_bad.gpx: ")
    assert "not valid numbers" in found.error
    assert found.summary is not None
    assert found.summary["skipped"] == 1


def test_a_bug_fails_the_job_at_once(
    queue: Queue, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    def broken(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        raise ValueError("a bug in the importer")

    monkeypatch.setattr(importing, "import_bytes", broken)
    upload = queue.defer_import(LOCAL_OWNER, FIT_RUN.name, FIT_RUN.read_bytes())
    run_worker(pg_url)
    found = queue.status(LOCAL_OWNER, upload)
    assert found is not None
    assert (found.status, found.attempts, len(calls)) == ("failed", 1, 1)
    assert found.error == "The import stopped: ValueError: a bug in the importer"
    assert queue_jobs(queue) == ["failed"]
    # Kept, to be looked at or queued again.
    assert scalar(queue, "SELECT length(content) FROM job_uploads") == FIT_RUN.stat().st_size


def _passing_problem() -> sa.exc.OperationalError:
    return sa.exc.OperationalError("SELECT 1", {}, Exception("server closed the connection"))


def test_a_passing_problem_is_tried_again(
    queue: Queue, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = importing.import_bytes
    calls = []

    def flaky(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise _passing_problem()
        return real(*args, **kwargs)

    monkeypatch.setattr(importing, "import_bytes", flaky)
    upload = queue.defer_import(LOCAL_OWNER, FIT_RUN.name, FIT_RUN.read_bytes())
    run_worker(pg_url)
    found = queue.status(LOCAL_OWNER, upload)
    assert found is not None
    assert (found.status, found.attempts, found.error, len(calls)) == ("done", 2, None, 2)
    assert scalar(queue, "SELECT count(*) FROM activities") == 1


def test_a_problem_that_does_not_pass_fails_after_the_retries(
    queue: Queue, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(*args: Any, **kwargs: Any) -> Any:
        raise _passing_problem()

    monkeypatch.setattr(importing, "import_bytes", down)
    upload = queue.defer_import(LOCAL_OWNER, FIT_RUN.name, FIT_RUN.read_bytes())
    run_worker(pg_url)
    found = queue.status(LOCAL_OWNER, upload)
    assert found is not None
    assert (found.status, found.attempts) == ("failed", 3)
    assert found.error is not None
    assert found.error.startswith("The import stopped: OperationalError")


def test_retries_wait_longer_each_time() -> None:
    from procrastinate.jobs import Job

    strategy = job_tasks.TransientRetry(RetryPolicy(retries=3, first_wait_s=2))
    assert [strategy.wait_s(n) for n in range(3)] == [2, 4, 8]

    def job(attempts: int) -> Job:
        return Job(id=1, queue="q", lock=None, queueing_lock=None, task_name="t", attempts=attempts)

    assert strategy.get_retry_decision(exception=_passing_problem(), job=job(2)) is not None
    assert strategy.get_retry_decision(exception=_passing_problem(), job=job(3)) is None
    assert strategy.get_retry_decision(exception=ValueError("bug"), job=job(0)) is None


# --- one person's uploads ----------------------------------------------------------------


def test_an_upload_is_seen_by_its_owner_only(queue: Queue, pg_url: str) -> None:
    with queue.database.engine.begin() as connection:
        other = connection.execute(
            sa.text(
                "INSERT INTO users (username, display_name, role, created_at, disabled) "
                "VALUES ('other', 'Other', 'runner', now(), false) RETURNING id"
            )
        ).scalar_one()
    mine = queue.defer_import(LOCAL_OWNER, FIT_RUN.name, FIT_RUN.read_bytes())
    theirs = queue.defer_import(other, FIT_RUN.name, FIT_RUN.read_bytes())
    assert queue.status(other, mine) is None
    assert queue.batch(other, mine) == []
    assert [s.id for s in queue.recent(other)] == [theirs]
    run_worker(pg_url)
    # Each person's import went to their own record: the same file, stored once each.
    owners = "SELECT count(DISTINCT owner_id) FROM activities"
    assert scalar(queue, owners) == 2


def test_the_queue_needs_postgresql(tmp_path: Any) -> None:
    with pytest.raises(QueueUnavailable, match="needs PostgreSQL"):
        open_queue(f"sqlite:///{tmp_path / 'local.sqlite'}")


# --- a worker killed in the middle of a job ----------------------------------------------

RUNS = 600  # three batches of 200: the first is written long before the last


@cache
def many_runs() -> bytes:
    """A zip of RUNS distinct runs (GPX, one every 8 hours)."""
    start = dt.datetime(2024, 1, 1, 6, tzinfo=dt.UTC)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for i in range(RUNS):
            moment = start + dt.timedelta(hours=8 * i)
            archive.writestr(f"runs/run-{i:04d}.gpx", gpx(moment, km=5 + i % 7, minutes=20))
    return buffer.getvalue()


def start_worker(url: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "backstride", "worker", "--db", url, "--stalled-after", "1.5"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "COLUMNS": "100"},
    )


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_a_worker_killed_in_the_middle_of_a_job_loses_nothing(queue: Queue, pg_url: str) -> None:
    upload = queue.defer_import(LOCAL_OWNER, "many-runs.zip", many_runs())
    stored = "SELECT count(*) FROM activities"
    first = start_worker(pg_url)
    try:
        wait_for(lambda: scalar(queue, stored) > 0, 60, "the first batch to be written")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    interrupted = queue.status(LOCAL_OWNER, upload)
    assert interrupted is not None
    assert interrupted.status == "running", "the job finished before the worker was killed"
    assert 0 < scalar(queue, stored) < RUNS

    second = start_worker(pg_url)
    try:
        wait_for(
            lambda: (found := queue.status(LOCAL_OWNER, upload)) is not None and found.finished,
            90,
            "the job to be run again and finish",
        )
    finally:
        second.send_signal(signal.SIGTERM)
        _, errors = second.communicate(timeout=30)
    assert second.returncode == 0, errors.decode()
    done = queue.status(LOCAL_OWNER, upload)
    assert done is not None
    assert (done.status, done.attempts, done.error) == ("done", 2, None)
    # Every run stored, each once: the second run found the first one's as the same file.
    assert scalar(queue, stored) == RUNS
    assert scalar(queue, "SELECT count(DISTINCT source_sha256) FROM activities") == RUNS
    assert done.summary is not None
    assert done.summary["imported"] + done.summary["duplicates"] == RUNS
    assert done.summary["duplicates"] > 0
    assert done.summary["skipped"] == 0


# --- exports -----------------------------------------------------------------------------


def test_exports_are_made_by_a_worker_for_their_owner(queue: Queue, pg_url: str) -> None:
    import json

    queue.defer_import(LOCAL_OWNER, FIT_RUN.name, FIT_RUN.read_bytes())
    record = queue.defer_export(LOCAL_OWNER, "record")
    fhir = queue.defer_export(LOCAL_OWNER, "fhir", {"patient_id": "runner-7"})
    unknown = queue.defer_export(LOCAL_OWNER, "csv")
    queued = queue.export_status(LOCAL_OWNER, record)
    assert queued is not None
    assert (queued.status, queued.size) == ("queued", None)
    assert queue.export_file(LOCAL_OWNER, record) is None
    run_worker(pg_url)

    made = queue.export_file(LOCAL_OWNER, record)
    assert made is not None
    assert made.media_type == "application/zip"
    with zipfile.ZipFile(io.BytesIO(made.content)) as archive:
        names = archive.namelist()
    assert "backstride-export.json" in names
    assert any(name.startswith("files/") for name in names)  # the imported file
    bundle = queue.export_file(LOCAL_OWNER, fhir)
    assert bundle is not None
    assert json.loads(bundle.content)["resourceType"] == "Bundle"
    assert "runner-7" in bundle.content.decode()
    status = queue.export_status(LOCAL_OWNER, unknown)
    assert status is not None
    assert (status.status, status.error) == (
        "failed",
        "No such export: 'csv' (known: fhir, record).",
    )
    # Another account sees none of them.
    assert queue.export_status(LOCAL_OWNER + 1, record) is None
    assert queue.export_file(LOCAL_OWNER + 1, record) is None


def test_finished_exports_and_old_reports_are_forgotten(queue: Queue, pg_url: str) -> None:
    """A finished export (a copy of a whole record) is deleted a day after it was made,
    an upload's report after 30 days; nothing unfinished is touched."""
    from datetime import UTC, datetime, timedelta

    upload = queue.defer_import(LOCAL_OWNER, FIT_RUN.name, FIT_RUN.read_bytes())
    export = queue.defer_export(LOCAL_OWNER, "record")
    run_worker(pg_url)
    waiting = queue.defer_export(LOCAL_OWNER, "record")
    now = datetime.now(UTC)
    assert queue.store.forget_finished(now) == 0
    assert queue.store.forget_finished(now + timedelta(days=2)) == 1
    assert queue.export_status(LOCAL_OWNER, export) is None
    assert queue.export_status(LOCAL_OWNER, waiting) is not None
    assert queue.status(LOCAL_OWNER, upload) is not None
    assert queue.store.forget_finished(now + timedelta(days=31)) == 1
    assert queue.status(LOCAL_OWNER, upload) is None
    assert queue.export_status(LOCAL_OWNER, waiting) is not None
