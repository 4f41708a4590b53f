"""Writers that never lose each other's work, on SQLite and PostgreSQL.

A service that reads, merges and writes back (a day's check-in, the programme
start, shoes) takes a *write lock* on a topic first, in the same transaction:

* PostgreSQL: ``pg_advisory_xact_lock`` on the topic, a lock held until the
  transaction ends. Every later statement (READ COMMITTED) sees what the
  previous holder committed, including rows it inserted, which a
  ``SELECT … FOR UPDATE`` on a row that does not exist yet could not protect.
* SQLite: the transaction starts with ``BEGIN IMMEDIATE``, which takes the
  database's write lock before the first read. SQLite has one writer at a time
  anyway; what matters is that the reads happen under it.

SQLite also runs in WAL mode (readers do not block the writer nor the writer
readers) with a busy timeout, so a second writer waits instead of failing with
"database is locked". Python's sqlite3 module would begin transactions by itself
(and never IMMEDIATE); here the driver is put in autocommit mode and SQLAlchemy's
``begin`` event says BEGIN itself, as SQLAlchemy's documentation recommends.

A conflict the database reports anyway (a lock wait that timed out, a
serialization failure, a deadlock, a unique key raced by a writer that did not
lock) becomes :class:`~backstride.services.ports.ConflictError`, which the
services retry as a whole.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

# How long a writer waits for another one on SQLite before giving up (seconds).
SQLITE_BUSY_TIMEOUT_S = 30.0
BEGIN_OPTION = "backstride_begin"
IMMEDIATE = {BEGIN_OPTION: "IMMEDIATE"}

# PostgreSQL SQLSTATEs worth retrying the whole transaction for.
_RETRYABLE_SQLSTATES = {
    "40001",  # serialization_failure
    "40P01",  # deadlock_detected
    "55P03",  # lock_not_available
    "23505",  # unique_violation: a concurrent insert of the same key
}
_RETRYABLE_SQLITE = ("database is locked", "database is busy", "database table is locked")


def configure_sqlite(engine: Engine, *, wal: bool) -> None:
    """Foreign keys, WAL, a busy timeout and explicit BEGIN [IMMEDIATE] on every connection."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Autocommit at the driver: the "begin" listener below starts transactions.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")
            # Safe with WAL (a power cut may lose the last commit, never corrupt).
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get(BEGIN_OPTION, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def _advisory_key(topic: str) -> int:
    """A stable signed 64-bit key for a topic name."""
    digest = hashlib.sha256(f"backstride:{topic}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def begin_writing(session: Session, topic: str) -> None:
    """Serialize this transaction with every other writer of ``topic``; call it first.

    On SQLite the transaction must not have begun yet (a deferred transaction
    that has read cannot safely become the writer).
    """
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        if session.in_transaction():
            raise RuntimeError("take the write lock before the first query of the transaction")
        session.connection(execution_options=IMMEDIATE)
    elif dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _advisory_key(topic)})


def is_conflict(error: BaseException) -> bool:
    """Whether the database refused the transaction only because of another writer."""
    if isinstance(error, OperationalError | IntegrityError) and isinstance(error, DBAPIError):
        original = error.orig
        sqlstate = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
        if sqlstate in _RETRYABLE_SQLSTATES:
            return True
        message = str(original).lower()
        if any(m in message for m in _RETRYABLE_SQLITE):
            return True
        if isinstance(error, IntegrityError) and "unique constraint failed" in message:
            return True
    return False
