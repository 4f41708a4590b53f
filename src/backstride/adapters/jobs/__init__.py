"""The job queue: imports and exports run by worker processes (procrastinate; ADR 14).

- ``open_queue(database_url)``: the web app's side (``services.jobs.JobQueue``): store
  an upload and defer its import, tell how it stands; the same for exports.
- ``run_worker(database_url, WorkerSettings(...))``: ``backstride worker``.

PostgreSQL only: the queue lives in the database, in a schema of its own
(``schema.py``). Both raise ``QueueUnavailable`` with a sentence a person can act on.
"""

from backstride.adapters.jobs.queue import Queue, open_queue
from backstride.adapters.jobs.schema import QueueLocation, QueueUnavailable
from backstride.adapters.jobs.tasks import RetryPolicy
from backstride.adapters.jobs.worker import WorkerSettings, run_worker, work

__all__ = [
    "Queue",
    "QueueLocation",
    "QueueUnavailable",
    "RetryPolicy",
    "WorkerSettings",
    "open_queue",
    "run_worker",
    "work",
]
