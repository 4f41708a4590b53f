"""Activity streams in a table of their own.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07

The per-second streams blob (about 19 kB an activity) moves out of the activity row
into ``activity_streams``, one row per activity that has streams. Listing and load
queries then read only the summary rows: on SQLite a row's columns stored after a
large blob sit on its overflow pages, so every summary read walked them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


FOREIGN_KEY = "fk_activity_streams_activity_id_activities"


def upgrade() -> None:
    # The foreign key comes last: SQLite drops a column by copying the table and
    # dropping the old one, and with the key in place that drop would cascade to
    # the blobs just copied.
    op.create_table(
        "activity_streams",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("streams", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("activity_id", name=op.f("pk_activity_streams")),
    )
    op.execute(
        "INSERT INTO activity_streams (activity_id, streams) "
        "SELECT id, streams FROM activities WHERE streams IS NOT NULL"
    )
    with op.batch_alter_table("activities") as batch:
        batch.drop_column("streams")
    with op.batch_alter_table("activity_streams") as batch:
        batch.create_foreign_key(
            op.f(FOREIGN_KEY), "activities", ["activity_id"], ["id"], ondelete="CASCADE"
        )


def downgrade() -> None:
    op.add_column("activities", sa.Column("streams", sa.LargeBinary(), nullable=True))
    op.execute(
        "UPDATE activities SET streams = (SELECT s.streams FROM activity_streams s "
        "WHERE s.activity_id = activities.id)"
    )
    op.drop_table("activity_streams")
