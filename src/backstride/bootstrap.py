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
from backstride.services.clinic_ports import ClinicUnitOfWork
from backstride.services.ports import UnitOfWork

__all__ = [
    "DATABASE_URL_VAR",
    "LOCAL_OWNER",
    "Storage",
    "StorageError",
    "UnitOfWorkFactory",
    "open_storage",
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

    def table_names(self) -> list[str]:
        return self.database.table_names()

    def dispose(self) -> None:
        self.database.dispose()


def open_storage(url: str | None = None, *, upgrade: bool = True) -> Storage:
    """Connect to the database at ``url`` (resolved as above) and migrate it unless told not to.

    Raises ``StorageError`` with a sentence a person can act on.
    """
    return Storage(open_database(url, upgrade=upgrade))
