"""A unit of work over one SQLAlchemy session."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import text
from sqlalchemy.orm import Session

from backstride.adapters.db.activities import SqlActivityRepository, SqlShoeRepository
from backstride.adapters.db.assessments import SqlAssessmentRepository
from backstride.adapters.db.checkins import SqlCheckinRepository, SqlProgrammeRepository
from backstride.adapters.db.database import Database
from backstride.adapters.db.locking import begin_writing, is_conflict
from backstride.adapters.db.plans import SqlPlanRepository
from backstride.services.ports import ConflictError

_REVISION = text("SELECT revision FROM data_revision WHERE id = 1")


class SqlUnitOfWork:
    """Repositories sharing one transaction. Leaving without commit() rolls back."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._session: Session | None = None

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
        return SqlAssessmentRepository(self._require_session())

    @property
    def plans(self) -> SqlPlanRepository:
        return SqlPlanRepository(self._require_session())

    @property
    def checkins(self) -> SqlCheckinRepository:
        return SqlCheckinRepository(self._require_session())

    @property
    def programmes(self) -> SqlProgrammeRepository:
        return SqlProgrammeRepository(self._require_session())

    @property
    def activities(self) -> SqlActivityRepository:
        return SqlActivityRepository(self._require_session())

    @property
    def shoes(self) -> SqlShoeRepository:
        return SqlShoeRepository(self._require_session())

    def lock(self, topic: str) -> None:
        """Serialize this transaction with every other writer of ``topic`` (call it first)."""
        begin_writing(self._require_session(), topic)

    def revision(self) -> int:
        """The data revision: a number every committed write raises (migration 0010).

        Inside the with-block it is read in the unit of work's transaction; outside, on
        a connection of its own, without the cost of a session (kept pages ask on every
        request).
        """
        if self._session is not None:
            return int(self._session.execute(_REVISION).scalar_one())
        with self._database.engine.connect() as connection:
            return int(connection.execute(_REVISION).scalar_one())

    def commit(self) -> None:
        self._require_session().commit()

    def rollback(self) -> None:
        self._require_session().rollback()
