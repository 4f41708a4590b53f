"""The composition root: where the ports meet the adapters that implement them.

This is the only module outside ``adapters/`` that knows the database adapter (an
import-linter contract in ``pyproject.toml`` holds the web app and the command line
to it). Routes, commands and services are typed against ``services.ports``; tests
swap in the in-memory fakes of ``tests/fakes.py`` by handing a different
``unit_of_work`` factory to the same services.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from backstride.adapters.auth.passwords import Argon2Passwords
from backstride.adapters.db.base import LOCAL_OWNER
from backstride.adapters.db.database import (
    ENV_VAR as DATABASE_URL_VAR,
)
from backstride.adapters.db.database import (
    Database,
    DatabaseError,
    open_database,
    resolve_url,
)
from backstride.adapters.db.unit_of_work import SqlUnitOfWork
from backstride.adapters.jobs import QueueUnavailable
from backstride.adapters.jobs import open_queue as _open_queue
from backstride.services.clinic_ports import ClinicUnitOfWork, PasswordHasher
from backstride.services.export import ExportSummary, RestoreSummary
from backstride.services.jobs import JobQueue
from backstride.services.ports import UnitOfWork

__all__ = [
    "DATABASE_URL_VAR",
    "LOCAL_OWNER",
    "QueueUnavailable",
    "Storage",
    "StorageError",
    "UnitOfWorkFactory",
    "open_job_queue",
    "open_storage",
    "password_hasher",
    "resolve_database_url",
]

UnitOfWorkFactory = Callable[[], UnitOfWork]

StorageError = DatabaseError
"""The database URL is unusable or the database cannot be reached."""


def resolve_database_url(explicit: str | None = None) -> str:
    """The ``--db`` value, else ``$BACKSTRIDE_DATABASE_URL``, else SQLite in the data folder."""
    return resolve_url(explicit)


@dataclass(frozen=True)
class Storage:
    """An open database, handing out units of work typed as the port."""

    database: Database

    def unit_of_work(self, owner: int = LOCAL_OWNER) -> UnitOfWork:
        """A unit of work over ``owner``'s record (the local person's by default)."""
        return SqlUnitOfWork(self.database, owner)

    def clinic_unit_of_work(self, owner: int = LOCAL_OWNER) -> ClinicUnitOfWork:
        """The same, with the accounts and the clinic's tables (``uow.accounts``,
        ``uow.clinic``) that only the multi-user mode's services use."""
        return SqlUnitOfWork(self.database, owner)

    def export_record(
        self, out: BinaryIO, owner: int = LOCAL_OWNER, *, exported_at: datetime
    ) -> ExportSummary:
        """Write ``owner``'s whole record to ``out`` as a zip (``services.export``)."""
        from backstride.adapters.db.record_export import export_record

        return export_record(self.database, out, owner, exported_at=exported_at)

    def restore_record(
        self, archive: bytes, *, owner_username: str | None = None, link_clinicians: bool = False
    ) -> RestoreSummary:
        """Read an export into an empty record (the local account's unless named);
        ``services.export.RestoreRefused`` with every problem, and nothing written."""
        from backstride.adapters.db.record_export import restore_record

        return restore_record(
            self.database,
            archive,
            owner_username=owner_username,
            link_clinicians=link_clinicians,
        )

    def table_names(self) -> list[str]:
        return self.database.table_names()

    def dispose(self) -> None:
        self.database.dispose()


def open_storage(url: str | None = None, *, upgrade: bool = True) -> Storage:
    """Connect to the database at ``url`` (resolved as above) and migrate it unless told not to.

    Raises ``StorageError`` with a sentence a person can act on.
    """
    return Storage(open_database(url, upgrade=upgrade))


def password_hasher() -> PasswordHasher:
    """argon2id with its recommended costs (adapters/auth/passwords.py)."""
    return Argon2Passwords()


def open_job_queue(url: str | None = None) -> JobQueue:
    """The job queue in the database at ``url`` (PostgreSQL; adapters/jobs, ADR 14): imports
    and exports then run in ``backstride worker`` processes. Raises QueueUnavailable."""
    return _open_queue(url, upgrade=False)
