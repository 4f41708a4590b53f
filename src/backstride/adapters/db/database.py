"""Where the database is, and bringing it to the current schema."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from backstride.adapters.db.locking import configure_sqlite

ENV_VAR = "BACKSTRIDE_DATABASE_URL"
MIGRATIONS = Path(__file__).parent / "migrations"


class DatabaseError(Exception):
    """The database URL is unusable or the database cannot be reached."""


def default_url() -> str:
    folder = Path(user_data_dir("backstride", appauthor=False))
    return f"sqlite:///{folder / 'backstride.sqlite'}"


def resolve_url(explicit: str | None = None) -> str:
    """The --db option, else $BACKSTRIDE_DATABASE_URL, else SQLite in the user data folder."""
    url = explicit or os.environ.get(ENV_VAR) or default_url()
    # Plain postgresql:// would pick psycopg2; backstride ships psycopg 3.
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def create_database_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise DatabaseError(f"not a database URL: {url!r}") from error
    on_disk = parsed.database not in (None, "", ":memory:") and "mode=memory" not in str(parsed)
    if parsed.get_backend_name() == "sqlite" and on_disk:
        Path(parsed.database or "").expanduser().parent.mkdir(parents=True, exist_ok=True)
    try:
        # hide_parameters: an error message (and so a server log) never carries the
        # values of a statement, which are health data.
        # pool_pre_ping on PostgreSQL: a pooled connection is checked before use, so a
        # database failover or restart costs a reconnect, not a failed request.
        engine = create_engine(
            parsed,
            future=True,
            hide_parameters=True,
            pool_pre_ping=parsed.get_backend_name() == "postgresql",
        )
    except Exception as error:  # unknown driver, missing module
        raise DatabaseError(f"cannot use database {parsed.render_as_string()}: {error}") from error
    if parsed.get_backend_name() == "sqlite":
        configure_sqlite(engine, wal=on_disk)
    return engine


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


# Every process of a clinic's server (app workers, job workers, `backstride user`) may
# start at once against an older schema: one migrates, the others wait, then find it done.
_MIGRATION_LOCK = 0x6261636B73747269  # "backstri"


@contextmanager
def _one_migrator(engine: Engine) -> Iterator[None]:
    """On PostgreSQL, a session advisory lock held while migrating; SQLite's own write
    lock does this for a file."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _MIGRATION_LOCK})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _MIGRATION_LOCK})
            connection.commit()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision of every branch (one process at a time)."""
    try:
        with _one_migrator(engine):
            command.upgrade(alembic_config(engine), "heads")
    except Exception as error:
        raise DatabaseError(f"cannot prepare the database: {error}") from error


@dataclass(frozen=True)
class Database:
    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.sessions() as session:
            yield session

    def table_names(self) -> list[str]:
        return inspect(self.engine).get_table_names()

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str | None = None, *, upgrade: bool = True) -> Database:
    """Connect, migrate to the current schema, and return a handle."""
    engine = create_database_engine(resolve_url(url))
    if upgrade:
        migrate(engine)
    return Database(engine, sessionmaker(engine, expire_on_commit=False))
