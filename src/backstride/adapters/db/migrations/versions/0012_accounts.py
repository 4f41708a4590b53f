"""Accounts: every row of a person's record has an owner (issue 15).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

* ``users``, with the local one-person app as account 1 (no password: it cannot
  log in). Everything stored before this migration is that account's.
* ``owner_id`` on every table of a person's record, filled with 1, then NOT NULL
  with no default (a row never falls to somebody by omission) and a foreign key.
  The unique keys and the indexes the repositories read through start with it:
  one check-in per person and day, a file stored once per person, shoe names
  unique per person.
* The data revision per account (``data_revision.owner_id``): a write moves only
  its owner's number, so one runner's check-in neither expires another's kept
  pages nor queues behind their writes on the counter row. An account's counter and
  run-log total are made by a trigger when the account is.
* The clinic's tables (``user_sessions``, ``login_attempts``, ``care_links``,
  ``invitations``, ``audit_log``, ``care_alerts``, ``clinician_changes``) and
  ``activity_sources``, the original files a person's export carries.

SQLite alters a table by copying it; foreign keys are off while it does
(migrations/env.py), so copying ``activities`` or ``shoes`` does not cascade.

Downgrading is refused while any account other than the local one owns a row: it
would pour several people's records into one.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
WHEN = sa.DateTime(timezone=True)
LOCAL = 1

# The tables of a person's record before this migration.
OWNED = (
    "assessments",
    "plans",
    "checkins",
    "programmes",
    "programme_decisions",
    "activities",
    "activity_streams",
    "shoes",
)
# Tables whose writes move their owner's data revision (kept pages read them).
REVISED = (
    *OWNED,
    "activity_totals",
    "activity_sources",
    "care_links",
    "care_alerts",
    "clinician_changes",
)
EVENTS = ("insert", "update", "delete")

# Indexes replaced by ones that start with the owner: (table, old name, old columns,
# old unique, new name, new columns, new unique).
INDEXES = (
    (
        "assessments",
        "ix_assessments_created_at",
        ["created_at"],
        False,
        "ix_assessments_owner_id_created_at",
        ["owner_id", "created_at"],
        False,
    ),
    (
        "plans",
        "ix_plans_created_at",
        ["created_at"],
        False,
        "ix_plans_owner_id_created_at",
        ["owner_id", "created_at"],
        False,
    ),
    (
        "checkins",
        "ix_checkins_day",
        ["day"],
        True,
        "ix_checkins_owner_id_day",
        ["owner_id", "day"],
        True,
    ),
    (
        "checkins",
        "ix_checkins_session_kind",
        ["session_kind", "day"],
        False,
        "ix_checkins_session_kind",
        ["owner_id", "session_kind", "day"],
        False,
    ),
    (
        "checkins",
        "ix_checkins_has_psfs",
        ["has_psfs", "day"],
        False,
        "ix_checkins_has_psfs",
        ["owner_id", "has_psfs", "day"],
        False,
    ),
    (
        "checkins",
        "ix_checkins_holds",
        ["holds", "day"],
        False,
        "ix_checkins_holds",
        ["owner_id", "holds", "day"],
        False,
    ),
    (
        "activities",
        "ix_activities_start_utc_id",
        ["start_utc", "id"],
        False,
        "ix_activities_start_utc_id",
        ["owner_id", "start_utc", "id"],
        False,
    ),
)
# Unique constraints replaced: (table, old name, old columns, new name, new columns).
UNIQUES = (
    (
        "activities",
        "uq_activities_source_sha256",
        ["source_sha256", "source_index"],
        "uq_activities_owner_id",
        ["owner_id", "source_sha256", "source_index"],
    ),
    ("shoes", "uq_shoes_name", ["name"], "uq_shoes_owner_id", ["owner_id", "name"]),
)


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


# --- the data revision's triggers, old (0010, 0011) and new ----------------------------

OLD_BUMP = "UPDATE data_revision SET revision = revision + 1 WHERE id = 1"


def _drop_old_triggers() -> None:
    old = (*OWNED, "activity_totals")
    if _postgresql():
        for table in old:
            op.execute(f"DROP TRIGGER {table}_data_revision ON {table}")
        op.execute("DROP FUNCTION bump_data_revision()")
        return
    for table in old:
        for event in EVENTS:
            op.execute(f"DROP TRIGGER {table}_data_revision_{event}")


def _create_old_triggers() -> None:
    old = (*OWNED, "activity_totals")
    if _postgresql():
        op.execute(
            "CREATE FUNCTION bump_data_revision() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {OLD_BUMP}; RETURN NULL; END $$"
        )
        for table in old:
            op.execute(
                f"CREATE TRIGGER {table}_data_revision AFTER INSERT OR UPDATE OR DELETE "
                f"OR TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION bump_data_revision()"
            )
        return
    for table in old:
        for event in EVENTS:
            op.execute(
                f"CREATE TRIGGER {table}_data_revision_{event} AFTER {event.upper()} ON {table} "
                f"BEGIN {OLD_BUMP}; END"
            )


# PostgreSQL: one trigger per table and event, each statement moving the revision of
# the owners it touched once (transition tables), not once per row.
PG_BUMP = """
CREATE FUNCTION bump_owner_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    UPDATE data_revision SET revision = revision + 1
     WHERE owner_id IN (SELECT DISTINCT owner_id FROM old_rows);
  ELSIF TG_OP = 'TRUNCATE' THEN
    UPDATE data_revision SET revision = revision + 1;
  ELSE
    UPDATE data_revision SET revision = revision + 1
     WHERE owner_id IN (SELECT DISTINCT owner_id FROM new_rows);
  END IF;
  RETURN NULL;
END $$
"""
PG_START_ACCOUNT = """
CREATE FUNCTION start_account() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO data_revision (owner_id, revision) VALUES (NEW.id, 0);
  INSERT INTO activity_totals (owner_id, activities) VALUES (NEW.id, 0);
  RETURN NULL;
END $$
"""


def _create_owner_triggers() -> None:
    if _postgresql():
        op.execute(PG_BUMP)
        op.execute(PG_START_ACCOUNT)
        for table in REVISED:
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
        op.execute(
            "CREATE TRIGGER users_start_account AFTER INSERT ON users "
            "FOR EACH ROW EXECUTE FUNCTION start_account()"
        )
        return
    for table in REVISED:
        for event, row in (("insert", "NEW"), ("update", "NEW"), ("delete", "OLD")):
            op.execute(
                f"CREATE TRIGGER {table}_data_revision_{event} AFTER {event.upper()} ON {table} "
                "BEGIN UPDATE data_revision SET revision = revision + 1 "
                f"WHERE owner_id = {row}.owner_id; END"
            )
    op.execute(
        "CREATE TRIGGER users_start_account AFTER INSERT ON users BEGIN "
        "INSERT INTO data_revision (owner_id, revision) VALUES (NEW.id, 0); "
        "INSERT INTO activity_totals (owner_id, activities) VALUES (NEW.id, 0); END"
    )


def _drop_owner_triggers() -> None:
    if _postgresql():
        op.execute("DROP TRIGGER users_start_account ON users")
        for table in REVISED:
            for event in (*EVENTS, "truncate"):
                op.execute(f"DROP TRIGGER {table}_data_revision_{event} ON {table}")
        op.execute("DROP FUNCTION start_account()")
        op.execute("DROP FUNCTION bump_owner_revision()")
        return
    op.execute("DROP TRIGGER users_start_account")
    for table in REVISED:
        for event in EVENTS:
            op.execute(f"DROP TRIGGER {table}_data_revision_{event}")


# --- upgrade -------------------------------------------------------------------------


def upgrade() -> None:
    bind = op.get_bind()
    revision_now = bind.execute(sa.text("SELECT revision FROM data_revision WHERE id = 1"))
    carried = int(revision_now.scalar() or 0)
    _drop_old_triggers()
    op.execute("DROP TABLE data_revision")

    users = op.create_table(
        "users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(80), nullable=False),
        sa.Column("display_name", sa.String(120), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.bulk_insert(
        users,
        [
            {
                "id": LOCAL,
                "username": "local",
                "display_name": "You",
                "role": "runner",
                "password_hash": None,
                "created_at": datetime(2026, 12, 7, tzinfo=UTC),
                "disabled": False,
            }
        ],
    )
    if _postgresql():
        op.execute("SELECT setval(pg_get_serial_sequence('users', 'id'), 1)")

    for table in OWNED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
        op.execute(f"UPDATE {table} SET owner_id = {LOCAL}")
        with op.batch_alter_table(table) as batch:
            batch.alter_column("owner_id", existing_type=sa.Integer(), nullable=False)
            batch.create_foreign_key(
                f"fk_{table}_owner_id_users", "users", ["owner_id"], ["id"], ondelete="CASCADE"
            )
            for unique in (u for u in UNIQUES if u[0] == table):
                batch.drop_constraint(unique[1], type_="unique")
                batch.create_unique_constraint(unique[3], unique[4])
            for old in (i for i in INDEXES if i[0] == table):
                batch.drop_index(old[1])
                batch.create_index(old[4], old[5], unique=old[6])
    op.create_index("ix_programmes_owner_id_id", "programmes", ["owner_id", "id"])

    # The run log's total, per owner (was one row, id 1).
    op.drop_table("activity_totals")
    op.create_table(
        "activity_totals",
        sa.Column("owner_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("activities", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_activity_totals_owner_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("owner_id", name=op.f("pk_activity_totals")),
    )
    op.execute(
        "INSERT INTO activity_totals (owner_id, activities) "
        f"SELECT {LOCAL}, count(*) FROM activities"
    )
    op.create_table(
        "data_revision",
        sa.Column("owner_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_data_revision_owner_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("owner_id", name=op.f("pk_data_revision")),
    )
    op.execute(f"INSERT INTO data_revision (owner_id, revision) VALUES ({LOCAL}, {carried})")

    _create_clinic_tables()
    _create_owner_triggers()


def _create_clinic_tables() -> None:
    op.create_table(
        "activity_sources",
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("stored_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_activity_sources_owner_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("owner_id", "sha256", name=op.f("pk_activity_sources")),
    )
    op.create_table(
        "user_sessions",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_user_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_sessions")),
    )
    op.create_index("ix_user_sessions_user_id", "user_sessions", ["user_id"])
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(80), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempts")),
    )
    op.create_index("ix_login_attempts_username_at", "login_attempts", ["username", "at"])
    op.create_index("ix_login_attempts_address_at", "login_attempts", ["address", "at"])
    op.create_table(
        "care_links",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=False),
        sa.Column("linked_at", WHEN, nullable=False),
        sa.Column("ended_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_care_links_owner_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["clinician_id"],
            ["users.id"],
            name=op.f("fk_care_links_clinician_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_links")),
    )
    op.create_index(
        "ix_care_links_clinician_id_ended_at", "care_links", ["clinician_id", "ended_at"]
    )
    op.create_table(
        "invitations",
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.Column("used_at", WHEN, nullable=True),
        sa.Column("used_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["clinician_id"],
            ["users.id"],
            name=op.f("fk_invitations_clinician_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["used_by"],
            ["users.id"],
            name=op.f("fk_invitations_used_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("code_hash", name=op.f("pk_invitations")),
    )
    op.create_index("ix_invitations_clinician_id", "invitations", ["clinician_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("runner_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("detail", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_runner_id_at", "audit_log", ["runner_id", "at"])
    op.create_table(
        "care_alerts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.Column("rules", sa.String(160), nullable=False),
        sa.Column("acknowledged_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_care_alerts_owner_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["clinician_id"],
            ["users.id"],
            name=op.f("fk_care_alerts_clinician_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_alerts")),
    )
    op.create_index(
        "ix_care_alerts_clinician_id_acknowledged_at",
        "care_alerts",
        ["clinician_id", "acknowledged_at"],
    )
    op.create_table(
        "clinician_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("exercise", sa.String(80), nullable=True),
        sa.Column("replacement", sa.String(80), nullable=True),
        sa.Column("dose", DOCUMENT, nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("withdrawn_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_clinician_changes_owner_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["clinician_id"],
            ["users.id"],
            name=op.f("fk_clinician_changes_clinician_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinician_changes")),
    )
    op.create_index(
        "ix_clinician_changes_owner_id_withdrawn_at",
        "clinician_changes",
        ["owner_id", "withdrawn_at"],
    )


# --- downgrade -----------------------------------------------------------------------

CLINIC_TABLES = (
    "clinician_changes",
    "care_alerts",
    "audit_log",
    "invitations",
    "care_links",
    "login_attempts",
    "user_sessions",
    "activity_sources",
)


def downgrade() -> None:
    bind = op.get_bind()
    for table in OWNED:
        others = bind.execute(sa.text(f"SELECT count(*) FROM {table} WHERE owner_id <> {LOCAL}"))
        if others.scalar():
            raise RuntimeError(
                f"cannot downgrade below 0012: {table} holds rows of accounts other than the "
                "local one, and the older schema has room for one person only"
            )
    revision_now = bind.execute(
        sa.text(f"SELECT revision FROM data_revision WHERE owner_id = {LOCAL}")
    )
    carried = int(revision_now.scalar() or 0)
    _drop_owner_triggers()
    for table in CLINIC_TABLES:
        op.drop_table(table)
    op.drop_table("data_revision")
    op.drop_table("activity_totals")
    op.create_table(
        "activity_totals",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("activities", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_totals")),
    )
    op.execute("INSERT INTO activity_totals (id, activities) SELECT 1, count(*) FROM activities")
    op.drop_index("ix_programmes_owner_id_id", table_name="programmes")
    for table in OWNED:
        with op.batch_alter_table(table) as batch:
            for old in (i for i in INDEXES if i[0] == table):
                batch.drop_index(old[4])
                batch.create_index(old[1], old[2], unique=old[3])
            for unique in (u for u in UNIQUES if u[0] == table):
                batch.drop_constraint(unique[3], type_="unique")
                batch.create_unique_constraint(unique[1], unique[2])
            batch.drop_constraint(f"fk_{table}_owner_id_users", type_="foreignkey")
            batch.drop_column("owner_id")
    op.drop_table("users")
    op.execute("CREATE TABLE data_revision (id INTEGER PRIMARY KEY, revision BIGINT NOT NULL)")
    op.execute(f"INSERT INTO data_revision (id, revision) VALUES (1, {carried})")
    _create_old_triggers()
