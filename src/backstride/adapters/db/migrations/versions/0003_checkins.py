"""Check-ins, the return-to-run programme and its decision log.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("level", sa.String(16), nullable=True),
        sa.Column("document", DOCUMENT, nullable=False),
        sa.Column("outcome", DOCUMENT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
    )
    op.create_index(op.f("ix_checkins_day"), "checkins", ["day"], unique=True)
    op.create_index(op.f("ix_checkins_level"), "checkins", ["level"])

    op.create_table(
        "programmes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("start_state", DOCUMENT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programmes")),
    )
    op.create_index(op.f("ix_programmes_started_on"), "programmes", ["started_on"])

    op.create_table(
        "programme_decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("session_day", sa.Date(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("from_stage", sa.String(32), nullable=False),
        sa.Column("to_stage", sa.String(32), nullable=False),
        sa.Column("decision", DOCUMENT, nullable=False),
        sa.Column("state_after", DOCUMENT, nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_programme_decisions_programme_id_programmes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_decisions")),
        sa.UniqueConstraint(
            "programme_id", "session_day", name=op.f("uq_programme_decisions_programme_id")
        ),
    )
    op.create_index(
        op.f("ix_programme_decisions_programme_id"), "programme_decisions", ["programme_id"]
    )
    op.create_index(
        op.f("ix_programme_decisions_session_day"), "programme_decisions", ["session_day"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_programme_decisions_session_day"), table_name="programme_decisions")
    op.drop_index(op.f("ix_programme_decisions_programme_id"), table_name="programme_decisions")
    op.drop_table("programme_decisions")
    op.drop_index(op.f("ix_programmes_started_on"), table_name="programmes")
    op.drop_table("programmes")
    op.drop_index(op.f("ix_checkins_level"), table_name="checkins")
    op.drop_index(op.f("ix_checkins_day"), table_name="checkins")
    op.drop_table("checkins")
