"""What Progress draws of each check-in, kept beside its row.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

Progress draws, for every day it shows, the pain now, the session (its kind, minutes
and distance, and whether it names a run-log activity), the exercises done and the
escalations raised (``fired``, migration 0007). Decoding and validating each stored
document for that cost about 0.1 ms a check-in, so a window of a few hundred days was
several times day one. These columns let the database hand over those values
directly: ``pain_now``, ``session_minutes``, ``session_km``, ``session_logged`` (the
session has an ``activity_id``) and ``exercises`` (`` slug slug ``; exercise slugs have
no spaces). Existing rows are filled from their documents.

An escalation already raised on the first day shown is shown from the day its run of
consecutive check-ins began; finding that day scanned back through the run (years, for
a runner who kept checking in while it held). ``fired_since`` keeps, for each rule of
``fired`` (`` X4:2017-01-07 ``), where its run began; existing rows are filled in date
order, each from the one before it.
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _loaded(value: Any) -> dict[str, Any]:
    if isinstance(value, str):  # SQLite hands JSON back as text through a raw select
        import json

        return dict(json.loads(value))
    return dict(value or {})


def upgrade() -> None:
    with op.batch_alter_table("checkins") as batch:
        batch.add_column(sa.Column("pain_now", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("session_minutes", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("session_km", sa.Float(), nullable=True))
        batch.add_column(
            sa.Column("session_logged", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("exercises", sa.Text(), nullable=True))
        batch.add_column(sa.Column("fired_since", sa.String(160), nullable=True))

    bind = op.get_bind()
    checkins = sa.table(
        "checkins",
        sa.column("id", sa.Integer()),
        sa.column("document", sa.JSON()),
        sa.column("pain_now", sa.Integer()),
        sa.column("session_minutes", sa.Integer()),
        sa.column("session_km", sa.Float()),
        sa.column("session_logged", sa.Boolean()),
        sa.column("exercises", sa.Text()),
        sa.column("day", sa.Date()),
        sa.column("fired", sa.String()),
        sa.column("fired_since", sa.String()),
    )
    for row_id, raw in bind.execute(sa.select(checkins.c.id, checkins.c.document)).all():
        document = _loaded(raw)
        session = document.get("session") or {}
        done = document.get("exercises_done") or []
        bind.execute(
            checkins.update()
            .where(checkins.c.id == row_id)
            .values(
                pain_now=document.get("pain_now_0_10"),
                session_minutes=session.get("minutes"),
                session_km=session.get("distance_km"),
                session_logged=session.get("activity_id") is not None,
                exercises=f" {' '.join(done)} " if done else None,
            )
        )
    # Each run of a rule at one level began where the check-in before did not raise it so.
    query = sa.select(checkins.c.id, checkins.c.day, checkins.c.fired).order_by(checkins.c.day)
    before: dict[str, tuple[str, str]] = {}  # rule -> (level, the day its run began)
    for row_id, day, fired in bind.execute(query).all():
        raised = [part.partition(":") for part in (fired or "").split()]
        now = {
            rule: (level, before[rule][1] if before.get(rule, ("", ""))[0] == level else str(day))
            for rule, _, level in raised
        }
        since = "".join(f" {rule}:{began}" for rule, (_, began) in now.items())
        bind.execute(
            checkins.update()
            .where(checkins.c.id == row_id)
            .values(fired_since=f"{since} " if since else None)
        )
        before = now


def downgrade() -> None:
    with op.batch_alter_table("checkins") as batch:
        batch.drop_column("fired_since")
        batch.drop_column("exercises")
        batch.drop_column("session_logged")
        batch.drop_column("session_km")
        batch.drop_column("session_minutes")
        batch.drop_column("pain_now")
