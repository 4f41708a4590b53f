"""The job queue's own rows: uploads waiting to be imported, and exports (issue 15, ADR 14).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08

* ``job_uploads``: each uploaded file, its bytes kept until the import job that reads
  them has finished (so a worker that dies loses nothing: the job runs again on the
  same bytes), its status (queued, running, done, failed), progress counts, the
  import summary, the reason it failed, and how many times it was started.
* ``job_exports``: an export asked for, its status and, once made, the file.

Both are a person's record (``owner_id``, like every table since migration 0012) and
move their owner's data revision like the tables of migration 0012. The queue itself
(procrastinate's tables and functions) is not made here: it lives in a PostgreSQL
schema of its own, installed by ``adapters/jobs/schema.py`` when a worker or the
server opens the queue (ADR 14). On SQLite these tables exist too, so both databases
keep one schema, but nothing writes them: the local app imports in the request.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
WHEN = sa.DateTime(timezone=True)
TABLES = ("job_uploads", "job_exports")
EVENTS = ("insert", "update", "delete")


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _owner() -> sa.Column[int]:
    return sa.Column("owner_id", sa.Integer(), nullable=False)


def _owner_key(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["owner_id"], ["users.id"], name=op.f(f"fk_{table}_owner_id_users"), ondelete="CASCADE"
    )


def _job_columns() -> list[sa.Column[object]]:
    """What every job row has: where it stands, why it failed, how often it started."""
    return [
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.BigInteger(), nullable=True),
        sa.Column("started_at", WHEN, nullable=True),
        sa.Column("finished_at", WHEN, nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "job_uploads",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _owner(),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        *_job_columns(),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("summary", DOCUMENT, nullable=True),
        _owner_key("job_uploads"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_uploads")),
    )
    op.create_index("ix_job_uploads_owner_id_id", "job_uploads", ["owner_id", "id"])
    op.create_index("ix_job_uploads_owner_id_batch_id", "job_uploads", ["owner_id", "batch_id"])
    op.create_table(
        "job_exports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _owner(),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("options", DOCUMENT, nullable=True),
        *_job_columns(),
        sa.Column("file_name", sa.String(200), nullable=True),
        sa.Column("media_type", sa.String(80), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        _owner_key("job_exports"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_exports")),
    )
    op.create_index("ix_job_exports_owner_id_id", "job_exports", ["owner_id", "id"])
    _create_triggers()


# As migration 0012's tables: a write moves the data revision of the owners it touched.
def _create_triggers() -> None:
    if _postgresql():
        for table in TABLES:
            for event, rows in (("insert", "NEW"), ("update", "NEW"), ("delete", "OLD")):
                op.execute(
                    f"CREATE TRIGGER {table}_data_revision_{event} AFTER {event.upper()} "
                    f"ON {table} REFERENCING {rows} TABLE AS {rows.lower()}_rows "
                    "FOR EACH STATEMENT EXECUTE FUNCTION bump_owner_revision()"
                )
            op.execute(
                f"CREATE TRIGGER {table}_data_revision_truncate AFTER TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION bump_owner_revision()"
            )
        return
    for table in TABLES:
        for event, row in (("insert", "NEW"), ("update", "NEW"), ("delete", "OLD")):
            op.execute(
                f"CREATE TRIGGER {table}_data_revision_{event} AFTER {event.upper()} ON {table} "
                "BEGIN UPDATE data_revision SET revision = revision + 1 "
                f"WHERE owner_id = {row}.owner_id; END"
            )


def _drop_triggers() -> None:
    for table in TABLES:
        if _postgresql():
            for event in (*EVENTS, "truncate"):
                op.execute(f"DROP TRIGGER {table}_data_revision_{event} ON {table}")
        else:
            for event in EVENTS:
                op.execute(f"DROP TRIGGER {table}_data_revision_{event}")


def downgrade() -> None:
    _drop_triggers()
    op.drop_index("ix_job_exports_owner_id_id", table_name="job_exports")
    op.drop_table("job_exports")
    op.drop_index("ix_job_uploads_owner_id_batch_id", table_name="job_uploads")
    op.drop_index("ix_job_uploads_owner_id_id", table_name="job_uploads")
    op.drop_table("job_uploads")
