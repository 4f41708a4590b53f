"""What the recovery rules look up in the check-ins, kept beside each row.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

The check-in and care rules read a window of recent days, plus a few rows from any
time: the last runs, the first and latest PSFS scores, and every emergency or
urgent warning sign (they hold until cleared). Three columns let the database find
those rows without decoding every document: ``session_kind`` (the day's session),
``has_psfs`` and ``holds`` (an emergency or urgent sign answered yes or not sure).
Progress shows each escalation once, from the first of the consecutive check-ins that
raised it: ``fired`` (`` X4:soon X6:soon ``) lets the database find where a run began.
Each decision of the programme keeps its ``event``, so the last session judged is
found the same way. Existing rows are filled from their documents.
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# The emergency and urgent warning signs (escalation.WARNING_SIGN_RULES) as of this
# revision: every sign but new numbness, which is "soon".
_HOLDING = frozenset(
    {
        "neuro.saddle_numbness",
        "neuro.bladder_change",
        "neuro.bowel_change",
        "neuro.sexual_change",
        "neuro.symptoms_both_legs",
        "general.chest_pain_or_breathless",
        "general.faint_or_collapse",
        "general.pulsating_abdomen",
        "neuro.getting_worse",
        "neuro.leg_drags_or_trips",
        "neuro.new_weakness",
        "general.fever_or_chills",
    }
)


def _loaded(value: Any) -> dict[str, Any]:
    if isinstance(value, str):  # SQLite hands JSON back as text through a raw select
        import json

        return dict(json.loads(value))
    return dict(value or {})


def upgrade() -> None:
    with op.batch_alter_table("checkins") as batch:
        batch.add_column(sa.Column("session_kind", sa.String(16), nullable=True))
        batch.add_column(
            sa.Column("has_psfs", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("holds", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("fired", sa.String(160), nullable=True))
    with op.batch_alter_table("programme_decisions") as batch:
        batch.add_column(sa.Column("event", sa.String(32), nullable=True))

    bind = op.get_bind()
    checkins = sa.table(
        "checkins",
        sa.column("id", sa.Integer()),
        sa.column("document", sa.JSON()),
        sa.column("session_kind", sa.String()),
        sa.column("has_psfs", sa.Boolean()),
        sa.column("holds", sa.Boolean()),
        sa.column("outcome", sa.JSON()),
        sa.column("fired", sa.String()),
    )
    query = sa.select(checkins.c.id, checkins.c.document, checkins.c.outcome)
    for row_id, raw, outcome in bind.execute(query).all():
        document = _loaded(raw)
        escalations = _loaded(outcome).get("escalations") or []
        by_rule = {e["rule_id"]: e["level"] for e in escalations}  # per rule, the last one
        fired = "".join(f" {rule}:{level}" for rule, level in by_rule.items())
        session = document.get("session") or None
        signs = document.get("warning_signs") or {}
        holding = any(
            path in _HOLDING and (answer is True or answer == "not_sure")
            for path, answer in signs.items()
        )
        bind.execute(
            checkins.update()
            .where(checkins.c.id == row_id)
            .values(
                session_kind=session.get("kind") if session else None,
                has_psfs=bool(document.get("psfs")),
                holds=holding,
                fired=f"{fired} " if fired else None,
            )
        )
    decisions = sa.table(
        "programme_decisions",
        sa.column("id", sa.Integer()),
        sa.column("decision", sa.JSON()),
        sa.column("event", sa.String()),
    )
    for row_id, raw in bind.execute(sa.select(decisions.c.id, decisions.c.decision)).all():
        bind.execute(
            decisions.update()
            .where(decisions.c.id == row_id)
            .values(event=_loaded(raw).get("event"))
        )

    op.create_index(op.f("ix_checkins_session_kind"), "checkins", ["session_kind", "day"])
    op.create_index(op.f("ix_checkins_has_psfs"), "checkins", ["has_psfs", "day"])
    op.create_index(op.f("ix_checkins_holds"), "checkins", ["holds", "day"])


def downgrade() -> None:
    op.drop_index(op.f("ix_checkins_holds"), table_name="checkins")
    op.drop_index(op.f("ix_checkins_has_psfs"), table_name="checkins")
    op.drop_index(op.f("ix_checkins_session_kind"), table_name="checkins")
    with op.batch_alter_table("programme_decisions") as batch:
        batch.drop_column("event")
    with op.batch_alter_table("checkins") as batch:
        batch.drop_column("fired")
        batch.drop_column("holds")
        batch.drop_column("has_psfs")
        batch.drop_column("session_kind")
