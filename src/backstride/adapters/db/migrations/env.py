"""Alembic environment: runs on the engine backstride hands it, never on a URL in a file."""

from __future__ import annotations

from alembic import context

from backstride.adapters.db import models  # noqa: F401  (registers every table)
from backstride.adapters.db.base import Base
from backstride.adapters.db.locking import IMMEDIATE

engine = context.config.attributes["engine"]

with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # A batch alteration copies a table and drops the old one; with foreign keys on,
        # that drop would cascade to (or null) the rows referring to it. The driver is in
        # autocommit (adapters/db/locking.py), so the pragma takes effect here, before
        # the migration's transaction begins.
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        # The migration takes the database's write lock before its first read, so a
        # second process starting at the same time waits for it (busy timeout) and then
        # finds the schema current, instead of failing to upgrade a read lock.
        connection = connection.execution_options(**IMMEDIATE)
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite alters tables by copying them; batch mode does that for us.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    try:
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"the migration broke foreign keys: {broken[:5]}")
        connection.commit()
    finally:
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")
