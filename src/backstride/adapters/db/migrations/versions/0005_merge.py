"""Join the check-in and activity branches into one line of history.

Revision ID: 0005
Revises: 0003, 0004
Create Date: 2026-11-21
"""

revision = "0005"
down_revision = ("0003", "0004")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: the two branches touch different tables."""


def downgrade() -> None:
    """Nothing to change."""
