"""The job queue as the web app sees it: a port, and the documents it answers with.

On a clinic server (`backstride serve --multi-user` on PostgreSQL), imports and exports
run as jobs in worker processes of their own (`backstride worker`; ADR 14). The app
keeps the queue on ``app.state.jobs``; the local one-person app has none and imports in
the request, as before. The queue is implemented by ``adapters/jobs``.

Every call names the owner: a person sees only their own uploads and exports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

QUEUED = "queued"
RUNNING = "running"
DONE = "done"
FAILED = "failed"


@dataclass(frozen=True, slots=True)
class UploadStatus:
    """One uploaded file and where its import stands."""

    id: int
    batch_id: int
    """The first upload of the request it came with (its own id when it came alone)."""
    name: str
    size: int
    status: str
    """queued, running, done or failed."""
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    attempts: int
    """How many times a worker started it (more than 1: it was interrupted or retried)."""
    done: int
    """Items read so far: activities imported or found already there, files skipped."""
    total: int | None
    """Files the upload holds: 1, an archive's entries (which may include folders), or
    unknown (None)."""
    error: str | None
    """Why it failed; while queued again, why the last try stopped."""
    summary: Mapping[str, Any] | None
    """``services.importing.summary_document`` of the finished import."""

    @property
    def finished(self) -> bool:
        return self.status in (DONE, FAILED)


@dataclass(frozen=True, slots=True)
class ExportStatus:
    """One export asked for and where it stands."""

    id: int
    kind: str
    status: str
    created_at: datetime
    finished_at: datetime | None
    attempts: int
    error: str | None
    file_name: str | None
    media_type: str | None
    size: int | None

    @property
    def finished(self) -> bool:
        return self.status in (DONE, FAILED)


@dataclass(frozen=True, slots=True)
class ExportFile:
    file_name: str
    media_type: str
    content: bytes


class JobQueue(Protocol):
    """Defers imports and exports to the workers and tells how they stand."""

    def defer_import(self, owner_id: int, name: str, content: bytes) -> int:
        """Store one uploaded file and queue its import, in one transaction; its id."""
        ...

    def defer_imports(self, owner_id: int, files: Iterable[tuple[str, bytes]]) -> list[int]:
        """The same for several files sent together (one batch), in one transaction.

        ``files`` is read one at a time, so large uploads are never all in memory.
        """
        ...

    def status(self, owner_id: int, upload_id: int) -> UploadStatus | None:
        """The upload, if it is ``owner_id``'s; otherwise None."""
        ...

    def batch(self, owner_id: int, upload_id: int) -> list[UploadStatus]:
        """The uploads sent with ``upload_id`` (it included), in the order sent."""
        ...

    def recent(self, owner_id: int, limit: int = 20) -> list[UploadStatus]:
        """The owner's latest uploads, newest first."""
        ...

    def defer_export(
        self, owner_id: int, kind: str, options: Mapping[str, Any] | None = None
    ) -> int:
        """Queue an export of the owner's record; its id."""
        ...

    def export_status(self, owner_id: int, export_id: int) -> ExportStatus | None: ...

    def export_file(self, owner_id: int, export_id: int) -> ExportFile | None:
        """The finished export's file, if it is done and ``owner_id``'s."""
        ...

    def close(self) -> None: ...


def upload_document(status: UploadStatus) -> dict[str, Any]:
    """An upload as JSON (the API): its status, progress and, once done, the summary."""
    return {
        "id": status.id,
        "batch_id": status.batch_id,
        "name": status.name,
        "size": status.size,
        "status": status.status,
        "created_at": status.created_at.isoformat(),
        "started_at": status.started_at.isoformat() if status.started_at else None,
        "finished_at": status.finished_at.isoformat() if status.finished_at else None,
        "attempts": status.attempts,
        "done": status.done,
        "total": status.total,
        "error": status.error,
        "summary": dict(status.summary) if status.summary is not None else None,
    }
