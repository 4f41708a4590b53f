"""Alembic environment: runs on the engine backstride hands it, never on a URL in a file."""

from __future__ import annotations

from alembic import context

from backstride.adapters.db import models  # noqa: F401  (registers every table)
from backstride.adapters.db.base import Base

engine = context.config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite alters tables by copying them; batch mode does that for us.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
