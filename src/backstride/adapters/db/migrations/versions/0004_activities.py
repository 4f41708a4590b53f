"""Activities (imported and manual runs, streams as one blob per row) and shoes.

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-23

A branch beside 0003 (check-ins): the two touch different tables, and
`alembic upgrade heads` applies both.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None

DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "shoes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("started_km", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shoes")),
        sa.UniqueConstraint("name", name=op.f("uq_shoes_name")),
    )
    op.create_table(
        "activities",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sport", sa.String(24), nullable=False),
        sa.Column("start_utc", sa.DateTime(timezone=True), nullable=False),
        sa.Column("utc_offset_s", sa.Integer(), nullable=True),
        sa.Column("elapsed_s", sa.Float(), nullable=False),
        sa.Column("moving_s", sa.Float(), nullable=False),
        sa.Column("timer_s", sa.Float(), nullable=True),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("ascent_m", sa.Float(), nullable=True),
        sa.Column("avg_hr", sa.Float(), nullable=True),
        sa.Column("max_hr", sa.Float(), nullable=True),
        sa.Column("avg_cadence_spm", sa.Float(), nullable=True),
        sa.Column("device", sa.String(120), nullable=True),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("gear", sa.String(120), nullable=True),
        sa.Column("source_format", sa.String(8), nullable=False),
        sa.Column("source_sha256", sa.String(64), nullable=True),
        sa.Column("source_name", sa.String(500), nullable=False),
        sa.Column("source_index", sa.Integer(), nullable=False),
        sa.Column("richness", sa.Integer(), nullable=False),
        sa.Column("samples", sa.Integer(), nullable=False),
        sa.Column("warnings", DOCUMENT, nullable=False),
        sa.Column("streams", sa.LargeBinary(), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("manual", sa.Boolean(), nullable=False),
        sa.Column("surface", sa.String(16), nullable=True),
        sa.Column("pain_0_10", sa.Integer(), nullable=True),
        sa.Column("shoe_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["shoe_id"],
            ["shoes.id"],
            name=op.f("fk_activities_shoe_id_shoes"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities")),
        sa.UniqueConstraint(
            "source_sha256", "source_index", name=op.f("uq_activities_source_sha256")
        ),
    )
    op.create_index(op.f("ix_activities_start_utc"), "activities", ["start_utc"])
    op.create_index(op.f("ix_activities_shoe_id"), "activities", ["shoe_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_activities_shoe_id"), table_name="activities")
    op.drop_index(op.f("ix_activities_start_utc"), table_name="activities")
    op.drop_table("activities")
    op.drop_table("shoes")
