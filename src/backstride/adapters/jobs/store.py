"""Reading and writing the job rows, always for one owner.

Every statement filters on ``owner_id``: an upload id from another person's record
reads as absent (tests/integration/jobs/test_queue.py checks it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import RowMapping, delete, func, select, update
from sqlalchemy.orm import Session

from backstride.adapters.db.database import Database
from backstride.adapters.jobs.tables import (
    DONE,
    FAILED,
    FINISHED,
    QUEUED,
    RUNNING,
    JobExportRow,
    JobUploadRow,
)
from backstride.services.jobs import ExportFile, ExportStatus, UploadStatus

NAME_LIMIT = 500
ERROR_LIMIT = 2000


def _name(text: str) -> str:
    return text if len(text) <= NAME_LIMIT else text[: NAME_LIMIT - 1] + "…"


def _error(text: str) -> str:
    return text if len(text) <= ERROR_LIMIT else text[: ERROR_LIMIT - 1] + "…"


def _upload_status(row: RowMapping) -> UploadStatus:
    return UploadStatus(
        id=row["id"],
        batch_id=row["batch_id"] or row["id"],
        name=row["name"],
        size=row["size"],
        status=row["status"],
        created_at=row["created_at"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        attempts=row["attempts"],
        done=row["done"],
        total=row["total"],
        error=row["error"],
        summary=row["summary"],
    )


def _export_status(row: RowMapping) -> ExportStatus:
    return ExportStatus(
        id=row["id"],
        kind=row["kind"],
        status=row["status"],
        created_at=row["created_at"],
        finished_at=row["finished_at"],
        attempts=row["attempts"],
        error=row["error"],
        file_name=row["file_name"],
        media_type=row["media_type"],
        size=row["size"],
    )


# Everything but the bytes: a status read never loads an upload's content.
_UPLOAD_COLUMNS = [c for c in JobUploadRow.__table__.columns if c.name != "content"]


@dataclass(frozen=True)
class Started:
    """An upload a worker has just started: its bytes and how often it was started."""

    name: str
    content: bytes
    attempts: int


# How long a finished export and a finished upload's report are kept.
EXPORT_KEPT = timedelta(days=1)
UPLOAD_KEPT = timedelta(days=30)


class JobStore:
    """The job rows of one database."""

    def __init__(self, database: Database) -> None:
        self.database = database

    # --- uploads, as the web app writes and reads them -------------------------------

    @staticmethod
    def add_uploads(
        session: Session, owner_id: int, files: Iterable[tuple[str, bytes]], now: datetime
    ) -> list[int]:
        """Insert one row per file (flushed one at a time, so the bytes can go); in the
        caller's transaction. The first file's id is the batch's."""
        ids: list[int] = []
        for name, content in files:
            row = JobUploadRow(
                owner_id=owner_id,
                batch_id=ids[0] if ids else None,
                created_at=now,
                name=_name(name),
                size=len(content),
                content=content,
                status=QUEUED,
                attempts=0,
                done=0,
                total=None,
            )
            session.add(row)
            session.flush()
            ids.append(row.id)
            session.expunge(row)  # the session would otherwise keep every file's bytes
        if ids:
            session.execute(
                update(JobUploadRow)
                .where(JobUploadRow.owner_id == owner_id, JobUploadRow.id == ids[0])
                .values(batch_id=ids[0])
            )
        return ids

    @staticmethod
    def set_upload_jobs(session: Session, owner_id: int, jobs: Mapping[int, int]) -> None:
        for upload_id, job_id in jobs.items():
            session.execute(
                update(JobUploadRow)
                .where(JobUploadRow.owner_id == owner_id, JobUploadRow.id == upload_id)
                .values(job_id=job_id)
            )

    def upload(self, owner_id: int, upload_id: int) -> UploadStatus | None:
        with self.database.session() as session:
            row = session.execute(
                select(*_UPLOAD_COLUMNS).where(
                    JobUploadRow.owner_id == owner_id, JobUploadRow.id == upload_id
                )
            ).one_or_none()
        return _upload_status(row._mapping) if row is not None else None

    def batch(self, owner_id: int, upload_id: int) -> list[UploadStatus]:
        first = self.upload(owner_id, upload_id)
        if first is None:
            return []
        with self.database.session() as session:
            rows = session.execute(
                select(*_UPLOAD_COLUMNS)
                .where(JobUploadRow.owner_id == owner_id, JobUploadRow.batch_id == first.batch_id)
                .order_by(JobUploadRow.id)
            ).all()
        return [_upload_status(row._mapping) for row in rows] or [first]

    def recent(self, owner_id: int, limit: int) -> list[UploadStatus]:
        with self.database.session() as session:
            rows = session.execute(
                select(*_UPLOAD_COLUMNS)
                .where(JobUploadRow.owner_id == owner_id)
                .order_by(JobUploadRow.id.desc())
                .limit(limit)
            ).all()
        return [_upload_status(row._mapping) for row in rows]

    # --- uploads, as a worker moves them along ---------------------------------------

    def start_upload(self, owner_id: int, upload_id: int, now: datetime) -> Started | None:
        """Mark the upload running (one more attempt) and hand over its bytes; None when
        it is finished already (a job run again after its work was done) or gone."""
        with self.database.session() as session, session.begin():
            row = session.execute(
                select(JobUploadRow)
                .where(JobUploadRow.owner_id == owner_id, JobUploadRow.id == upload_id)
                .with_for_update()
            ).scalar_one_or_none()
            if row is None or row.status in FINISHED or row.content is None:
                return None
            row.status = RUNNING
            row.attempts += 1
            row.started_at = now
            row.done = 0
            row.error = None
            return Started(row.name, row.content, row.attempts)

    def upload_progress(self, owner_id: int, upload_id: int, done: int, total: int | None) -> None:
        with self.database.session() as session, session.begin():
            session.execute(
                update(JobUploadRow)
                .where(
                    JobUploadRow.owner_id == owner_id,
                    JobUploadRow.id == upload_id,
                    JobUploadRow.status == RUNNING,
                )
                .values(done=done, total=total)
            )

    def finish_upload(
        self,
        owner_id: int,
        upload_id: int,
        now: datetime,
        *,
        summary: Mapping[str, Any] | None,
        error: str | None,
        done: int,
        keep_content: bool,
    ) -> None:
        """Done (``error`` None) or failed. The bytes are let go unless ``keep_content``:
        once read, the activities (and their source files) are in the record, and a file
        that could not be read is reported; an import stopped by a bug keeps them, to be
        looked at or queued again."""
        values: dict[str, Any] = {
            "status": DONE if error is None else FAILED,
            "finished_at": now,
            "summary": dict(summary) if summary is not None else None,
            "error": _error(error) if error is not None else None,
            "done": done,
        }
        if not keep_content:
            values["content"] = None
        with self.database.session() as session, session.begin():
            session.execute(
                update(JobUploadRow)
                .where(JobUploadRow.owner_id == owner_id, JobUploadRow.id == upload_id)
                .values(**values)
            )

    # --- exports ---------------------------------------------------------------------

    @staticmethod
    def add_export(
        session: Session,
        owner_id: int,
        kind: str,
        options: Mapping[str, Any] | None,
        now: datetime,
    ) -> int:
        row = JobExportRow(
            owner_id=owner_id,
            created_at=now,
            kind=kind,
            options=dict(options) if options else None,
            status=QUEUED,
            attempts=0,
        )
        session.add(row)
        session.flush()
        return row.id

    @staticmethod
    def set_export_job(session: Session, owner_id: int, export_id: int, job_id: int) -> None:
        session.execute(
            update(JobExportRow)
            .where(JobExportRow.owner_id == owner_id, JobExportRow.id == export_id)
            .values(job_id=job_id)
        )

    def export(self, owner_id: int, export_id: int) -> ExportStatus | None:
        columns = [c for c in JobExportRow.__table__.columns if c.name != "content"]
        with self.database.session() as session:
            row = session.execute(
                select(*columns, func.length(JobExportRow.content).label("size")).where(
                    JobExportRow.owner_id == owner_id, JobExportRow.id == export_id
                )
            ).one_or_none()
        return _export_status(row._mapping) if row is not None else None

    def export_file(self, owner_id: int, export_id: int) -> ExportFile | None:
        with self.database.session() as session:
            row = session.execute(
                select(JobExportRow).where(
                    JobExportRow.owner_id == owner_id,
                    JobExportRow.id == export_id,
                    JobExportRow.status == DONE,
                )
            ).scalar_one_or_none()
            if row is None or row.content is None:
                return None
            return ExportFile(row.file_name or "export", row.media_type or "", row.content)

    def start_export(
        self, owner_id: int, export_id: int, now: datetime
    ) -> tuple[str, dict[str, Any]] | None:
        with self.database.session() as session, session.begin():
            row = session.execute(
                select(JobExportRow)
                .where(JobExportRow.owner_id == owner_id, JobExportRow.id == export_id)
                .with_for_update()
            ).scalar_one_or_none()
            if row is None or row.status in FINISHED:
                return None
            row.status = RUNNING
            row.attempts += 1
            row.started_at = now
            row.error = None
            return row.kind, dict(row.options or {})

    def finish_export(
        self,
        owner_id: int,
        export_id: int,
        now: datetime,
        *,
        file: ExportFile | None,
        error: str | None,
    ) -> None:
        values: dict[str, Any] = {
            "status": DONE if error is None else FAILED,
            "finished_at": now,
            "error": _error(error) if error is not None else None,
        }
        if file is not None:
            values |= {
                "file_name": file.file_name,
                "media_type": file.media_type,
                "content": file.content,
            }
        with self.database.session() as session, session.begin():
            session.execute(
                update(JobExportRow)
                .where(JobExportRow.owner_id == owner_id, JobExportRow.id == export_id)
                .values(**values)
            )

    def forget_finished(self, now: datetime) -> int:
        """Delete finished exports after ``EXPORT_KEPT`` (each is a copy of a whole health
        record, kept only to be downloaded) and finished uploads after ``UPLOAD_KEPT``
        (their bytes are cleared once imported; the row is the import's report). For
        every owner: housekeeping run by the job workers, not a read of anyone's record."""
        with self.database.session() as session, session.begin():
            exports = session.execute(
                delete(JobExportRow).where(
                    JobExportRow.status.in_(FINISHED),
                    JobExportRow.finished_at < now - EXPORT_KEPT,
                )
            )
            uploads = session.execute(
                delete(JobUploadRow).where(
                    JobUploadRow.status.in_(FINISHED),
                    JobUploadRow.finished_at < now - UPLOAD_KEPT,
                )
            )
        return int(getattr(exports, "rowcount", 0) or 0) + int(getattr(uploads, "rowcount", 0) or 0)

    def requeue(self, task: str, owner_id: int, row_id: int, reason: str) -> None:
        """Put an unfinished upload or export (by the task that works on it) back in the
        queue, with why: an interrupted or retried job."""
        table = JobUploadRow if task == "upload" else JobExportRow
        with self.database.session() as session, session.begin():
            session.execute(
                update(table)
                .where(
                    table.owner_id == owner_id,
                    table.id == row_id,
                    table.status.not_in(FINISHED),
                )
                .values(status=QUEUED, error=_error(reason))
            )
