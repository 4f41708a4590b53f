"""Where the queue lives in PostgreSQL, and putting procrastinate's schema there.

The queue (procrastinate's tables, types and functions) lives in a PostgreSQL schema
of its own, next to backstride's: ``<schema>_jobs``, where ``<schema>`` is the one
backstride's tables are in (``public_jobs`` for a database used as it comes). Kept
apart, procrastinate's tables are not a person's record and never meet the data
revision's triggers, the owner rules or Alembic's comparisons; two backstride
databases in two schemas of one server have two queues.

The schema is installed by whoever opens the queue first (a worker, or the server
when it starts with a queue), not by an Alembic migration: it is procrastinate's, it
changes with procrastinate's version, and the local app, which has no queue, never
needs it (ADR 14). Installing takes a transaction-scoped advisory lock, so two
processes starting together install it once. The procrastinate version installed is
recorded in the schema (``backstride_queue_version``); after an upgrade of the
package, the SQL migrations procrastinate ships for the versions in between are
applied the same way, in order.
"""

from __future__ import annotations

import importlib.metadata
import re
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict
from sqlalchemy import Connection, Engine, text

SUFFIX = "_jobs"
VERSION_TABLE = "backstride_queue_version"
# pg_advisory_xact_lock key: "backstride queue schema" (any constant would do).
INSTALL_LOCK = 0x6A6F627371756575

Version = tuple[int, int, int]


class QueueUnavailable(Exception):
    """The database cannot hold the queue (not PostgreSQL) or cannot be reached."""


@dataclass(frozen=True)
class QueueLocation:
    """How procrastinate connects: the database, and the queue's schema first in the path."""

    conninfo: str
    schema: str
    data_schema: str
    options: str
    """libpq ``options``: the URL's own, then ``-c search_path=<queue schema>``."""

    def connect_kwargs(self) -> dict[str, str]:
        return {"options": self.options}


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def queue_schema(data_schema: str) -> str:
    return f"{data_schema}{SUFFIX}"


def locate(engine: Engine) -> QueueLocation:
    """The queue of the database behind ``engine``; QueueUnavailable unless PostgreSQL."""
    if engine.dialect.name != "postgresql":
        raise QueueUnavailable(
            "the job queue needs PostgreSQL (it lives in the database, with procrastinate); "
            f"this database is {engine.dialect.name}"
        )
    with engine.connect() as connection:
        data_schema = str(connection.execute(text("SELECT current_schema()")).scalar_one())
    conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    schema = queue_schema(data_schema)
    given = conninfo_to_dict(conninfo).get("options") or ""
    options = f"{given} -c search_path={schema}".strip()
    return QueueLocation(conninfo, schema, data_schema, options)


def procrastinate_version() -> Version:
    return parse_version(importlib.metadata.version("procrastinate"))


def parse_version(text_: str) -> Version:
    parts = [int(p) for p in re.findall(r"\d+", text_)[:3]]
    parts += [0] * (3 - len(parts))
    return parts[0], parts[1], parts[2]


def migrations_path() -> Path:
    from procrastinate.schema import SchemaManager

    return Path(SchemaManager.get_migrations_path())


def migrations_between(installed: Version, wanted: Version, folder: Path) -> list[Path]:
    """procrastinate's migration files that take a schema from ``installed`` to
    ``wanted``, in order (a file ``03.04.00_01_….sql`` belongs to version 3.4.0)."""
    found = []
    for path in sorted(folder.glob("*.sql")):
        version = parse_version(path.name.split("_", 1)[0])
        if installed < version <= wanted:
            found.append(path)
    return found


def install(engine: Engine, location: QueueLocation) -> str:
    """Create or bring up to date the queue's schema; what was done, in a few words."""
    from procrastinate.schema import SchemaManager

    wanted = procrastinate_version()
    with engine.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": INSTALL_LOCK})
        connection.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {quote(location.schema)}")
        # For the rest of this transaction only: create everything in the queue's schema.
        connection.exec_driver_sql(f"SET LOCAL search_path TO {quote(location.schema)}")
        has_jobs = connection.execute(text("SELECT to_regclass('procrastinate_jobs')")).scalar()
        installed = _recorded_version(connection) if has_jobs else None
        if not has_jobs:
            _run_script(connection, SchemaManager.get_schema())
            done = "installed"
        elif installed is None or installed >= wanted:
            done = "current"
        else:
            for path in migrations_between(installed, wanted, migrations_path()):
                _run_script(connection, path.read_text(encoding="utf-8"))
            done = f"upgraded from {'.'.join(map(str, installed))}"
        _record_version(connection, wanted if installed is None else max(installed, wanted))
    return done


def _run_script(connection: Connection, script: str) -> None:
    """Several statements at once, as written: no parameters, so psycopg sends the
    script as it is (its ``%`` signs are not placeholders)."""
    raw = connection.connection.driver_connection
    if not isinstance(raw, psycopg.Connection):
        raise QueueUnavailable("the job queue needs the psycopg 3 driver")
    raw.execute(script.encode())


def _recorded_version(connection: Connection) -> Version | None:
    exists = connection.execute(text(f"SELECT to_regclass('{VERSION_TABLE}')")).scalar()
    if not exists:
        return None
    # S608: VERSION_TABLE is this module's constant, not input.
    found = connection.execute(text(f"SELECT procrastinate FROM {VERSION_TABLE}")).scalar()  # noqa: S608
    return parse_version(found) if found else None


def _record_version(connection: Connection, version: Version) -> None:
    connection.exec_driver_sql(
        f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} ("
        "procrastinate text NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())"
    )
    connection.exec_driver_sql(f"DELETE FROM {VERSION_TABLE}")  # noqa: S608 (a constant)
    connection.execute(
        text(f"INSERT INTO {VERSION_TABLE} (procrastinate) VALUES (:version)"),  # noqa: S608
        {"version": ".".join(map(str, version))},
    )
