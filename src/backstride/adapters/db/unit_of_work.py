"""A unit of work over one SQLAlchemy session, for one person (the owner).

Every repository of a person's record (assessments, plans, check-ins, the
programme, activities, shoes, sources, alerts) reads and writes only the owner's
rows; the local one-person app is ``LOCAL_OWNER``. ``accounts`` and ``clinic`` are
not a person's record: they name the accounts they are about in every call.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from types import TracebackType
from typing import Self

from sqlalchemy import text
from sqlalchemy.orm import Session

from backstride.adapters.db.accounts import SqlAccountRepository
from backstride.adapters.db.activities import (
    SqlActivityRepository,
    SqlActivitySourceRepository,
    SqlShoeRepository,
)
from backstride.adapters.db.assessments import SqlAssessmentRepository
from backstride.adapters.db.base import LOCAL_OWNER
from backstride.adapters.db.checkins import SqlCheckinRepository, SqlProgrammeRepository
from backstride.adapters.db.clinic import SqlClinicRepository
from backstride.adapters.db.database import Database
from backstride.adapters.db.locking import begin_writing, is_conflict
from backstride.adapters.db.plans import SqlPlanRepository
from backstride.services.ports import ConflictError

_REVISION = text("SELECT revision FROM data_revision WHERE owner_id = :owner")


class SqlUnitOfWork:
    """Repositories sharing one transaction. Leaving without commit() rolls back."""

    def __init__(self, database: Database, owner: int = LOCAL_OWNER) -> None:
        self._database = database
        self._owner = owner
        self._session: Session | None = None

    @property
    def owner_id(self) -> int:
        return self._owner

    def __enter__(self) -> Self:
        self._session = self._database.sessions()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self._require_session()
        try:
            session.rollback()
        finally:
            session.close()
            self._session = None
        if exc is not None and is_conflict(exc):
            raise ConflictError(type(exc).__name__) from exc

    def _require_session(self) -> Session:
        if self._session is None:
            raise RuntimeError("use the unit of work in a with-block")
        return self._session

    @property
    def session(self) -> Session:
        return self._require_session()

    @property
    def assessments(self) -> SqlAssessmentRepository:
        return SqlAssessmentRepository(self._require_session(), self._owner)

    @property
    def plans(self) -> SqlPlanRepository:
        return SqlPlanRepository(self._require_session(), self._owner)

    @property
    def checkins(self) -> SqlCheckinRepository:
        return SqlCheckinRepository(self._require_session(), self._owner)

    @property
    def programmes(self) -> SqlProgrammeRepository:
        return SqlProgrammeRepository(self._require_session(), self._owner)

    @property
    def activities(self) -> SqlActivityRepository:
        return SqlActivityRepository(self._require_session(), self._owner)

    @property
    def shoes(self) -> SqlShoeRepository:
        return SqlShoeRepository(self._require_session(), self._owner)

    @property
    def sources(self) -> SqlActivitySourceRepository:
        return SqlActivitySourceRepository(self._require_session(), self._owner)

    @property
    def accounts(self) -> SqlAccountRepository:
        return SqlAccountRepository(self._require_session())

    @property
    def clinic(self) -> SqlClinicRepository:
        return SqlClinicRepository(self._require_session())

    def alert_clinicians(
        self, day: date, kind: str, level: str, rules: Sequence[str], now: datetime
    ) -> int:
        """Raise an alert for each clinician linked to the owner (none in the local app)."""
        return self.clinic.raise_alerts(self._owner, day, kind, level, rules, now)

    def lock(self, topic: str) -> None:
        """Serialize this transaction with every other writer of the owner's ``topic``
        (call it first); other people's writers go on."""
        begin_writing(self._require_session(), f"{topic}/{self._owner}")

    def revision(self) -> int:
        """The owner's data revision: a number every committed write of theirs raises
        (migrations 0010, 0012).

        Inside the with-block it is read in the unit of work's transaction; outside, on
        a connection of its own, without the cost of a session (kept pages ask on every
        request).
        """
        if self._session is not None:
            found = self._session.execute(_REVISION, {"owner": self._owner}).scalar()
        else:
            with self._database.engine.connect() as connection:
                found = connection.execute(_REVISION, {"owner": self._owner}).scalar()
        return int(found or 0)

    def commit(self) -> None:
        self._require_session().commit()

    def rollback(self) -> None:
        self._require_session().rollback()
