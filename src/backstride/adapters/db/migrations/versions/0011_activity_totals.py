"""The run log's size, kept: one row the activity repository updates with every write.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

The run log is shown a page at a time, with how many activities it holds. Counting
them (``count(*)`` over the start-time index) grew with the log: 0.5 ms at 100
activities, 0.7 ms at 5,000 on SQLite, most of what still grew on /runs. The
repository now adds each batch it inserts and subtracts each activity it deletes in
``activity_totals`` (one row, id 1) in the same transaction, with an UPDATE that adds
(so concurrent writers never lose each other's change); the total is one row read.
Filled here from the activities already stored. Like every table, it moves the data
revision (migration 0010).
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# As in migration 0010: every write to the table raises the data revision.
BUMP = "UPDATE data_revision SET revision = revision + 1 WHERE id = 1"
EVENTS = ("insert", "update", "delete")


def upgrade() -> None:
    op.create_table(
        "activity_totals",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("activities", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_totals")),
    )
    op.execute("INSERT INTO activity_totals (id, activities) SELECT 1, count(*) FROM activities")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TRIGGER activity_totals_data_revision AFTER INSERT OR UPDATE OR DELETE "
            "OR TRUNCATE ON activity_totals FOR EACH STATEMENT EXECUTE FUNCTION "
            "bump_data_revision()"
        )
        return
    for event in EVENTS:
        op.execute(
            f"CREATE TRIGGER activity_totals_data_revision_{event} AFTER {event.upper()} "
            f"ON activity_totals BEGIN {BUMP}; END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER activity_totals_data_revision ON activity_totals")
    else:
        for event in EVENTS:
            op.execute(f"DROP TRIGGER activity_totals_data_revision_{event}")
    op.drop_table("activity_totals")
