"""The jobs: importing an uploaded file, making an export; and when each is tried again.

A job names an owner and a row (``job_uploads`` or ``job_exports``), never the bytes:
the bytes are in the row, committed with the job itself, so a job can be run again
by any worker, after any crash, and finds them.

**Run again safely.** An import is idempotent by content hash (``services.importing``:
a file whose activities are in the log is reported as a duplicate, not stored again,
and the log's unique key (owner, source hash, index) refuses a second copy even from
two imports at once), so a job interrupted after some batches were written completes
the rest and stores nothing twice. A job whose row is finished already does nothing.

**Retries.** Only a problem that may pass (the database unreachable or restarting, a
lock or serialization conflict, a timeout) is tried again: up to ``retries`` more
times, after ``first_wait_s`` seconds, then twice as long each time. A bad file is not
an exception at all: the importer reports it with its reason, and an upload from which
nothing could be read ends *failed* with those reasons, at once. Any other exception
(a bug) ends the job *failed*, with the exception named, and is not tried again.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import procrastinate
import psycopg
from procrastinate import JobContext, RetryDecision
from procrastinate.jobs import Job
from procrastinate.retry import BaseRetryStrategy
from sqlalchemy import exc as sa_exc

from backstride.adapters.db.database import Database
from backstride.adapters.db.unit_of_work import SqlUnitOfWork
from backstride.adapters.jobs.store import JobStore
from backstride.ingest.archive import declared_entries
from backstride.services import importing
from backstride.services.jobs import ExportFile
from backstride.services.ports import Clock, ConflictError, UnitOfWork

logger = logging.getLogger(__name__)

QUEUE: Final = "backstride"
IMPORT_TASK: Final = "backstride.import_upload"
EXPORT_TASK: Final = "backstride.export_record"
# How often a running import writes its progress (seconds): a page refreshing every 2 s
# sees it move, and a large export does not write a row per activity.
PROGRESS_EVERY_S: Final = 0.5
MAX_REASONS: Final = 5


def import_lock(owner_id: int) -> str:
    """One person's imports run one at a time, in the order sent: the importer decides
    "the same run?" against the log as it stands, so two at once could both store a
    run that two files record."""
    return f"backstride-import-{owner_id}"


# --- retries ---------------------------------------------------------------------------

TRANSIENT: Final = (
    ConflictError,
    sa_exc.OperationalError,
    sa_exc.InterfaceError,
    sa_exc.DisconnectionError,
    sa_exc.TimeoutError,
    psycopg.OperationalError,
    ConnectionError,
    TimeoutError,
)


def is_transient(error: BaseException) -> bool:
    """Whether ``error`` may pass by itself (worth another try)."""
    if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, TRANSIENT)


@dataclass(frozen=True)
class RetryPolicy:
    retries: int = 2
    """Tries after the first (so 3 in all); a job requeued after its worker died has
    used one."""
    first_wait_s: float = 2.0
    """The wait before the first retry; each later one waits twice as long."""


class TransientRetry(BaseRetryStrategy):
    """procrastinate's retry decision: transient problems only, with exponential backoff."""

    def __init__(self, policy: RetryPolicy) -> None:
        self.policy = policy

    def wait_s(self, attempts: int) -> float:
        return float(self.policy.first_wait_s * 2**attempts)

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        if job.attempts >= self.policy.retries or not is_transient(exception):
            return None
        wait = timedelta(seconds=self.wait_s(job.attempts))
        return RetryDecision(retry_at=datetime.now(UTC) + wait)


# --- what the jobs run on ------------------------------------------------------------


@dataclass(frozen=True)
class Runtime:
    """A worker's database, job rows and clock."""

    database: Database
    store: JobStore
    clock: Clock

    def unit_of_work(self, owner_id: int) -> UnitOfWork:
        return SqlUnitOfWork(self.database, owner_id)


def _describe(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__


def _entries(name: str, content: bytes) -> int | None:
    """How many files the upload holds: an archive's declared entries, else 1."""
    if content[:4] == b"PK\x03\x04" or name.lower().endswith(".zip"):
        found = declared_entries(content)
        return found[0] if found else None
    return 1


class _Progress:
    """Writes the import's progress at most every PROGRESS_EVERY_S seconds."""

    def __init__(self, store: JobStore, owner_id: int, upload_id: int, total: int | None) -> None:
        self.store, self.owner_id, self.upload_id, self.total = store, owner_id, upload_id, total
        self.done = 0
        self._written = time.monotonic()

    def __call__(self, progress: importing.ImportProgress) -> None:
        self.done = progress.imported + progress.replaced + progress.duplicates + progress.skipped
        now = time.monotonic()
        if now - self._written >= PROGRESS_EVERY_S:
            self._written = now
            self.store.upload_progress(self.owner_id, self.upload_id, self.done, self.total)


def _nothing_read(summary: importing.ImportSummary) -> str | None:
    """Why the upload failed, when nothing in it could be imported; None otherwise."""
    if summary.stored or summary.duplicates or not summary.skipped:
        return None
    reasons = [f"{item.name}: {item.reason}" for item in summary.skipped[:MAX_REASONS]]
    more = len(summary.skipped) - len(reasons)
    if more:
        reasons.append(f"and {more} more")
    return "Nothing could be imported. " + "; ".join(reasons)


def run_import(runtime: Runtime, owner_id: int, upload_id: int) -> str:
    """Import one upload under its owner's unit of work, writing progress as it goes."""
    store, clock = runtime.store, runtime.clock
    started = store.start_upload(owner_id, upload_id, clock.now())
    if started is None:
        return "nothing to do: finished already"
    total = _entries(started.name, started.content)
    store.upload_progress(owner_id, upload_id, 0, total)
    progress = _Progress(store, owner_id, upload_id, total)
    summary = importing.import_bytes(
        runtime.unit_of_work(owner_id), clock, started.name, started.content, progress=progress
    )
    failed = _nothing_read(summary)
    store.finish_upload(
        owner_id,
        upload_id,
        clock.now(),
        summary=importing.summary_document(summary),
        error=failed,
        done=progress.done,
        keep_content=False,
    )
    return f"{summary.imported} imported, {len(summary.skipped)} skipped"


# --- exports ---------------------------------------------------------------------------

Exporter = Callable[[Runtime, int, Mapping[str, Any]], ExportFile]


def _record(runtime: Runtime, owner_id: int, options: Mapping[str, Any]) -> ExportFile:
    """The whole record as one zip (ADR 13), as ``backstride export all`` writes it."""
    from backstride.adapters.db.record_export import export_record
    from backstride.services.export import export_file_name

    out = io.BytesIO()
    export_record(runtime.database, out, owner_id, exported_at=runtime.clock.now())
    name = export_file_name(runtime.clock.today())
    return ExportFile(name, "application/zip", out.getvalue())


def _fhir(runtime: Runtime, owner_id: int, options: Mapping[str, Any]) -> ExportFile:
    """The records as a FHIR R4 bundle (ADR 11), as ``backstride export fhir`` writes it."""
    from backstride.adapters.export.fhir import fhir_bundle, fhir_json
    from backstride.services.records import PatientDescriptor, gather_records

    patient = PatientDescriptor(str(options.get("patient_id") or "local"), options.get("name"))
    records = gather_records(runtime.unit_of_work(owner_id), runtime.clock.today())
    data = fhir_json(fhir_bundle(patient, records))
    return ExportFile("backstride-records.fhir.json", "application/fhir+json", data)


EXPORTERS: Final[dict[str, Exporter]] = {"record": _record, "fhir": _fhir}


def run_export(runtime: Runtime, owner_id: int, export_id: int) -> str:
    store, clock = runtime.store, runtime.clock
    started = store.start_export(owner_id, export_id, clock.now())
    if started is None:
        return "nothing to do: finished already"
    kind, options = started
    exporter = EXPORTERS.get(kind)
    if exporter is None:
        known = ", ".join(sorted(EXPORTERS))
        store.finish_export(
            owner_id,
            export_id,
            clock.now(),
            file=None,
            error=f"No such export: {kind!r} (known: {known}).",
        )
        return "unknown export"
    made = exporter(runtime, owner_id, options)
    store.finish_export(owner_id, export_id, clock.now(), file=made, error=None)
    return f"{len(made.content)} bytes"


# --- the procrastinate app -------------------------------------------------------------


class _Holder:
    """The runtime, set in a worker; the web app's copy defers only and never runs a job."""

    def __init__(self, runtime: Runtime | None) -> None:
        self.runtime = runtime

    def get(self) -> Runtime:
        if self.runtime is None:
            raise RuntimeError("this queue only defers jobs: run them with `backstride worker`")
        return self.runtime


def _on_error(
    runtime: Runtime,
    strategy: TransientRetry,
    context: JobContext,
    kind: str,
    owner_id: int,
    row_id: int,
    error: BaseException,
) -> None:
    """Record in the row how the job ended, before procrastinate retries or fails it."""
    reason = _describe(error)
    retrying = strategy.get_retry_decision(exception=error, job=context.job) is not None
    try:
        if retrying:
            wait = strategy.wait_s(context.job.attempts)
            runtime.store.requeue(
                kind,
                owner_id,
                row_id,
                f"Stopped by a passing problem ({reason}); trying again in {wait:g} s.",
            )
        elif kind == "upload":
            runtime.store.finish_upload(
                owner_id,
                row_id,
                runtime.clock.now(),
                summary=None,
                error=f"The import stopped: {reason}",
                done=0,
                keep_content=True,
            )
        else:
            runtime.store.finish_export(
                owner_id, row_id, runtime.clock.now(), file=None, error=f"Stopped: {reason}"
            )
    except Exception:  # the database may be what failed: the row is set on the next try
        logger.warning("could not record how job %s ended", context.job.id, exc_info=True)


def build_app(
    connector: Any, runtime: Runtime | None = None, policy: RetryPolicy | None = None
) -> procrastinate.App:
    """A procrastinate app with backstride's two tasks, on ``connector``."""
    app = procrastinate.App(connector=connector)
    holder = _Holder(runtime)
    strategy = TransientRetry(policy or RetryPolicy())

    @app.task(name=IMPORT_TASK, queue=QUEUE, retry=strategy, pass_context=True)
    def import_upload(context: JobContext, owner_id: int, upload_id: int) -> str:
        runtime = holder.get()
        try:
            return run_import(runtime, owner_id, upload_id)
        except Exception as error:
            _on_error(runtime, strategy, context, "upload", owner_id, upload_id, error)
            raise

    @app.task(name=EXPORT_TASK, queue=QUEUE, retry=strategy, pass_context=True)
    def export_record(context: JobContext, owner_id: int, export_id: int) -> str:
        runtime = holder.get()
        try:
            return run_export(runtime, owner_id, export_id)
        except Exception as error:
            _on_error(runtime, strategy, context, "export", owner_id, export_id, error)
            raise

    return app
