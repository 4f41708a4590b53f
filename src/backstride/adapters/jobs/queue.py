"""The queue as the web app uses it: store an upload and defer its job in one transaction.

``open_queue(database_url)`` gives a ``Queue`` (the ``services.jobs.JobQueue`` port).
The app keeps it on ``app.state.jobs`` in multi-user mode; the upload routes then
store each file and defer its import instead of importing in the request.

The upload's row and its job are written in the same PostgreSQL transaction (the job
is deferred on the session's own connection, procrastinate's ``connection=``): a
request either leaves both or neither, so no upload waits for a job that was never
queued and no job looks for an upload that was never stored. The queue's functions
are in their own schema (``schema.py``), put first on the search path for that
statement only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from procrastinate import SyncPsycopgConnector
from procrastinate.types import JSONDict
from sqlalchemy import text
from sqlalchemy.orm import Session

from backstride.adapters.db.database import Database, DatabaseError, open_database
from backstride.adapters.jobs.schema import QueueLocation, QueueUnavailable, install, locate, quote
from backstride.adapters.jobs.store import JobStore
from backstride.adapters.jobs.tasks import EXPORT_TASK, IMPORT_TASK, build_app, import_lock
from backstride.services.clock import SystemClock
from backstride.services.jobs import ExportFile, ExportStatus, JobQueue, UploadStatus
from backstride.services.ports import Clock

RECENT = 20


class Queue:
    """Defers imports and exports and tells how they stand (``services.jobs.JobQueue``)."""

    def __init__(
        self, database: Database, location: QueueLocation, clock: Clock | None = None
    ) -> None:
        self.database = database
        self.location = location
        self.store = JobStore(database)
        self.clock: Clock = clock or SystemClock()
        # Never opened: every job is deferred on the session's connection, so the web
        # app holds no pool of its own for the queue.
        connector = SyncPsycopgConnector(
            conninfo=location.conninfo, kwargs=location.connect_kwargs()
        )
        self.app = build_app(connector)

    @contextmanager
    def _queue_first(self, session: Session) -> Iterator[Any]:
        """The session's driver connection, with the queue's schema first on the search
        path (then as it was: still in this transaction only)."""
        path = session.execute(text("SELECT current_setting('search_path')")).scalar_one()
        session.execute(
            text("SELECT set_config('search_path', :path, true)"),
            {"path": f"{quote(self.location.schema)}, {path}"},
        )
        try:
            yield session.connection().connection.driver_connection
        finally:
            session.execute(text("SELECT set_config('search_path', :path, true)"), {"path": path})

    # --- imports -------------------------------------------------------------------

    def defer_import(self, owner_id: int, name: str, content: bytes) -> int:
        (upload_id,) = self.defer_imports(owner_id, [(name, content)])
        return upload_id

    def defer_imports(self, owner_id: int, files: Iterable[tuple[str, bytes]]) -> list[int]:
        with self.database.session() as session, session.begin():
            ids = JobStore.add_uploads(session, owner_id, files, self.clock.now())
            if not ids:
                return []
            task = self.app.tasks[IMPORT_TASK]
            arguments: list[JSONDict] = [{"owner_id": owner_id, "upload_id": i} for i in ids]
            with self._queue_first(session) as connection:
                job_ids = task.configure(
                    lock=import_lock(owner_id), connection=connection
                ).batch_defer(*arguments)
            JobStore.set_upload_jobs(session, owner_id, dict(zip(ids, job_ids, strict=True)))
        return ids

    def status(self, owner_id: int, upload_id: int) -> UploadStatus | None:
        return self.store.upload(owner_id, upload_id)

    def batch(self, owner_id: int, upload_id: int) -> list[UploadStatus]:
        return self.store.batch(owner_id, upload_id)

    def recent(self, owner_id: int, limit: int = RECENT) -> list[UploadStatus]:
        return self.store.recent(owner_id, limit)

    # --- exports -------------------------------------------------------------------

    def defer_export(
        self, owner_id: int, kind: str, options: Mapping[str, Any] | None = None
    ) -> int:
        with self.database.session() as session, session.begin():
            export_id = JobStore.add_export(session, owner_id, kind, options, self.clock.now())
            with self._queue_first(session) as connection:
                job_id = (
                    self.app.tasks[EXPORT_TASK]
                    .configure(connection=connection)
                    .defer(owner_id=owner_id, export_id=export_id)
                )
            JobStore.set_export_job(session, owner_id, export_id, job_id)
        return export_id

    def export_status(self, owner_id: int, export_id: int) -> ExportStatus | None:
        return self.store.export(owner_id, export_id)

    def export_file(self, owner_id: int, export_id: int) -> ExportFile | None:
        return self.store.export_file(owner_id, export_id)

    def close(self) -> None:
        self.database.dispose()


def prepare(database_url: str | None, *, upgrade: bool = True) -> tuple[Database, QueueLocation]:
    """Open (and migrate) the database, and install or upgrade the queue's schema.

    Raises QueueUnavailable with a sentence a person can act on.
    """
    try:
        database = open_database(database_url, upgrade=upgrade)
    except DatabaseError as error:
        raise QueueUnavailable(str(error)) from error
    try:
        location = locate(database.engine)
        install(database.engine, location)
    except QueueUnavailable:
        database.dispose()
        raise
    except Exception as error:
        database.dispose()
        raise QueueUnavailable(f"cannot prepare the job queue: {error}") from error
    return database, location


def open_queue(database_url: str | None = None, *, upgrade: bool = True) -> Queue:
    """The queue of the database at ``database_url`` (PostgreSQL only), ready to defer.

    Migrates the database unless ``upgrade`` is False, and installs the queue's schema
    if it is not there yet. Raises QueueUnavailable (SQLite, or no database).
    """
    database, location = prepare(database_url, upgrade=upgrade)
    return Queue(database, location)


if TYPE_CHECKING:  # mypy holds the queue to the port the web app is typed against

    def _is_the_port(queue: Queue) -> JobQueue:
        return queue
