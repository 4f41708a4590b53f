"""Uploaded files, read one at a time.

The multipart parser has already spooled each file to a temporary file (past
1 MiB) while the request streamed in, under the request's size limit
(web/security.py). The importer then reads one file into memory, imports it and
lets it go before reading the next, so several large files never sit in memory
together.

On a clinic server the app has a job queue (``app.state.jobs``, a
``services.jobs.JobQueue``; ADR 14): the files are then stored, one at a time, in the
same transaction that queues their import, and a worker process imports them
(`backstride worker`). Without one (the local app), they are imported in the request.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request

from backstride.services.jobs import JobQueue


def uploaded_files(form: FormData, field: str = "files") -> list[UploadFile]:
    """The form's files that have a name (an empty file input sends a nameless part)."""
    return [f for f in form.getlist(field) if isinstance(f, UploadFile) and f.filename]


def read_one_at_a_time(uploads: Sequence[UploadFile]) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of each upload, read only when the importer asks for it.

    Iterate in a worker thread (the reads block).
    """
    for upload in uploads:
        upload.file.seek(0)
        yield upload.filename or "upload", upload.file.read()


def job_queue(request: Request) -> JobQueue | None:
    """The queue imports go to, when the app has one; None: import in the request."""
    found: JobQueue | None = getattr(request.app.state, "jobs", None)
    return found
