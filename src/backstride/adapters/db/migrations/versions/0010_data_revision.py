"""One number that changes with every committed write: the data revision.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07

A page drawn from the database and the day (the plan page) is the same page for as
long as nothing is written. ``data_revision`` holds a single counter that a trigger
on every table raises, in the writing transaction, for each insert, update and
delete; a page kept under the revision it was drawn at is current while the
counter has not moved. Triggers, not the application, so that no write path (the
ORM, a bulk insert, a migration, a hand-run statement) can change the data without
moving the number.

SQLite has row triggers only; PostgreSQL gets one statement trigger per table.
On PostgreSQL the update takes the counter row's lock until commit, so writers
queue on it for the rest of their transaction: fine for the one-person app, where
writes are a person's own; per-account counters come with accounts (issue 15).
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# Every table at this revision. A later migration that adds a table must add its
# triggers (tests/integration/test_data_revision.py checks that every table has them).
TABLES = (
    "activities",
    "activity_streams",
    "assessments",
    "checkins",
    "plans",
    "programme_decisions",
    "programmes",
    "shoes",
)
EVENTS = ("insert", "update", "delete")
BUMP = "UPDATE data_revision SET revision = revision + 1 WHERE id = 1"


def upgrade() -> None:
    op.execute("CREATE TABLE data_revision (id INTEGER PRIMARY KEY, revision BIGINT NOT NULL)")
    op.execute("INSERT INTO data_revision (id, revision) VALUES (1, 0)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION bump_data_revision() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {BUMP}; RETURN NULL; END $$"
        )
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_data_revision AFTER INSERT OR UPDATE OR DELETE "
                f"OR TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION bump_data_revision()"
            )
        return
    for table in TABLES:
        for event in EVENTS:
            # Table and event names from the constants above, no input.
            op.execute(
                f"CREATE TRIGGER {table}_data_revision_{event} AFTER {event.upper()} ON {table} "
                f"BEGIN {BUMP}; END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER {table}_data_revision ON {table}")
        op.execute("DROP FUNCTION bump_data_revision()")
    else:
        for table in TABLES:
            for event in EVENTS:
                op.execute(f"DROP TRIGGER {table}_data_revision_{event}")
    op.execute("DROP TABLE data_revision")
