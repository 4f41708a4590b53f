"""The run log's order as one index: start time, then id.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07

Pages of the run log are keyset pages, newest first: ``ORDER BY start_utc DESC, id
DESC`` after the last activity shown. An index on ``(start_utc, id)`` serves the order
and the range on every database (SQLite added the rowid to the old one-column index,
PostgreSQL did not), so a page reads its rows and no others. It replaces
``ix_activities_start_utc``, its leading column, which windows by start time keep
using.
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_activities_start_utc_id", "activities", ["start_utc", "id"])
    op.drop_index(op.f("ix_activities_start_utc"), table_name="activities")


def downgrade() -> None:
    op.create_index(op.f("ix_activities_start_utc"), "activities", ["start_utc"])
    op.drop_index("ix_activities_start_utc_id", table_name="activities")
