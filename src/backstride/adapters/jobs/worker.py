"""A worker process: runs the queue's jobs, and requeues those of workers that died.

procrastinate's worker registers itself and sends a heartbeat every third of
``stalled_after_s``. A job whose worker has sent none for ``stalled_after_s`` (it was
killed, its machine lost power) is *stalled*: it stays "doing" in the queue and would
never finish. Each worker looks for stalled jobs when it starts and then every half
``stalled_after_s``, and puts them back in the queue (procrastinate's
``get_stalled_jobs`` and ``retry_job``; the row says the job was interrupted). The job
then runs again from its row's bytes, and the import's dedup by content hash makes
the second run complete the first without storing anything twice.

A worker asked to stop (Ctrl+C, SIGTERM) finishes the jobs it is running first.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import procrastinate
from procrastinate import PsycopgConnector

from backstride.adapters.jobs.queue import prepare
from backstride.adapters.jobs.schema import QueueLocation
from backstride.adapters.jobs.store import JobStore
from backstride.adapters.jobs.tasks import (
    EXPORT_TASK,
    IMPORT_TASK,
    QUEUE,
    RetryPolicy,
    Runtime,
    build_app,
)
from backstride.services.clock import SystemClock
from backstride.services.ports import Clock

logger = logging.getLogger(__name__)

STALLED_AFTER_S = 30.0
INTERRUPTED = "The worker running it stopped before it finished; queued again."


@dataclass(frozen=True)
class WorkerSettings:
    concurrency: int = 1
    stalled_after_s: float = STALLED_AFTER_S
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    wait: bool = True
    """False: stop once no job is left (tests); True: wait for jobs until stopped."""
    install_signal_handlers: bool = True


def connector_for(location: QueueLocation, concurrency: int) -> PsycopgConnector:
    # One connection listens for new jobs; the others fetch, finish and beat.
    return PsycopgConnector(
        conninfo=location.conninfo,
        kwargs=location.connect_kwargs(),
        min_size=1,
        max_size=concurrency + 3,
    )


async def recover_stalled(app: procrastinate.App, store: JobStore, stalled_after_s: float) -> int:
    """Put the jobs of dead workers back in the queue; how many."""
    stalled = await app.job_manager.get_stalled_jobs(
        queue=QUEUE, seconds_since_heartbeat=stalled_after_s
    )
    requeued = 0
    for job in stalled:
        try:
            await app.job_manager.retry_job(job)
        except Exception:  # another worker requeued it first
            logger.debug("stalled job %s was requeued elsewhere", job.id)
            continue
        requeued += 1
        logger.warning("requeued job %s of a worker that stopped", job.id)
        kwargs = job.task_kwargs
        kind = {IMPORT_TASK: "upload", EXPORT_TASK: "export"}.get(job.task_name)
        row = kwargs.get("upload_id", kwargs.get("export_id"))
        owner = kwargs.get("owner_id")
        if kind and isinstance(row, int) and isinstance(owner, int):
            await asyncio.to_thread(store.requeue, kind, owner, row, INTERRUPTED)
    return requeued


# How often a worker deletes finished exports and old upload reports (JobStore.
# forget_finished): a scan of the job tables, so not at the stalled-job cadence.
HOUSEKEEPING_S = 600.0


async def _keep_recovering(app: procrastinate.App, store: JobStore, stalled_after_s: float) -> None:
    cleaned = 0.0  # monotonic time of the last housekeeping; 0: not yet
    while True:
        await asyncio.sleep(stalled_after_s / 2)
        try:
            await recover_stalled(app, store, stalled_after_s)
            if not cleaned or time.monotonic() - cleaned >= HOUSEKEEPING_S:
                cleaned = time.monotonic()
                await asyncio.to_thread(store.forget_finished, datetime.now(UTC))
        except Exception:  # the database may be away for a moment; try again later
            logger.warning("could not look for stalled jobs", exc_info=True)


async def work(
    database_url: str | None,
    settings: WorkerSettings,
    *,
    clock: Clock | None = None,
    ready: Callable[[QueueLocation], None] | None = None,
) -> None:
    """Run a worker on the database's queue until stopped (or, without ``wait``, until
    no job is left)."""
    database, location = await asyncio.to_thread(prepare, database_url)
    store = JobStore(database)
    runtime = Runtime(database, store, clock or SystemClock())
    app = build_app(connector_for(location, settings.concurrency), runtime, settings.policy)
    try:
        async with app.open_async():
            await recover_stalled(app, store, settings.stalled_after_s)
            if ready is not None:
                ready(location)
            recovering = asyncio.create_task(_keep_recovering(app, store, settings.stalled_after_s))
            try:
                await app.run_worker_async(
                    queues=[QUEUE],
                    concurrency=settings.concurrency,
                    wait=settings.wait,
                    update_heartbeat_interval=settings.stalled_after_s / 3,
                    stalled_worker_timeout=settings.stalled_after_s,
                    delete_jobs="successful",
                    install_signal_handlers=settings.install_signal_handlers,
                    name="backstride",
                )
            finally:
                recovering.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await recovering
    finally:
        database.dispose()


def run_worker(
    database_url: str | None,
    settings: WorkerSettings,
    *,
    ready: Callable[[QueueLocation], None] | None = None,
) -> None:
    asyncio.run(work(database_url, settings, ready=ready))
