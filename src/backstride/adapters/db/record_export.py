"""A person's whole record as one zip, and that zip read back into an empty record.

The archive (ADR 13) holds:

* ``backstride-export.json``: the format and its version, the schema revision, when
  it was exported, the account (username, display name, role: never the password
  hash, nor sessions), the clinicians the clinic's rows name, and every row of every
  table of the person's record (``TABLES``), by table, in primary-key order. Each
  column is encoded without loss: JSON documents as they are, datetimes ISO 8601
  with their offset, dates ISO, bytes base64, floats as JSON numbers (``"NaN"``,
  ``"Infinity"``, ``"-Infinity"`` otherwise). ``owner_id`` is left out: every row is
  the account's.
* ``files/<sha256>/<name>``: each original activity file (``activity_sources``); its
  row names the member in ``content``.

The same record exports to the same bytes (sorted keys, fixed zip timestamps and
attributes), apart from ``exported_at``.

A restore reads an archive into a record that has no rows, in one transaction: the
archive is checked whole first (zip limits as the importer's, the format, a schema
revision this backstride knows, known tables and exactly their current columns, each
value's type and size, references between rows, each file's hash), every problem
reported at once (``RestoreRefused``); then the rows are written
with their original ids where the table is empty and with new ones after the largest
id where it is not (other people's rows), the references following; the run log's
total is set from the restored activities, PostgreSQL's sequences are moved past the
ids written, and everything is read back through the repositories before the commit.
Any failure rolls it all back. The clinic's rows are restored only when asked, for
clinicians with an account of the same username (``restore_record``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache, partial
from typing import Any, BinaryIO, Final

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    Float,
    Integer,
    LargeBinary,
    String,
    Table,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session

import backstride.adapters.db.models  # noqa: F401  (every table in the metadata)
from backstride import __version__
from backstride.adapters.db.accounts import UserRow
from backstride.adapters.db.activities import (
    SqlActivityRepository,
    SqlActivitySourceRepository,
    SqlShoeRepository,
)
from backstride.adapters.db.assessments import SqlAssessmentRepository
from backstride.adapters.db.base import LOCAL_OWNER, Base, UtcDateTime
from backstride.adapters.db.checkins import SqlCheckinRepository, SqlProgrammeRepository
from backstride.adapters.db.database import MIGRATIONS, Database
from backstride.adapters.db.locking import IMMEDIATE
from backstride.adapters.db.plans import SqlPlanRepository
from backstride.ingest import Limits, Streams
from backstride.ingest.archive import Budget, check_member_name, members, open_zip, read_member
from backstride.ingest.errors import IngestError
from backstride.services.export import (
    FORMAT,
    MAX_ARCHIVE_BYTES,
    VERSION,
    ExportSummary,
    RestoreRefused,
    RestoreSummary,
)

DOCUMENT: Final = "backstride-export.json"
FILES: Final = "files"

# The tables of a person's record, in the order they are restored: a table comes
# after those its rows refer to.
TABLES: Final = (
    "assessments",
    "plans",
    "programmes",
    "programme_decisions",
    "checkins",
    "shoes",
    "activities",
    "activity_streams",
    "activity_totals",
    "activity_sources",
    "care_links",
    "care_alerts",
    "clinician_changes",
)
# References between the record's rows: (table, column) -> the table it names by id.
REFERENCES: Final = {
    ("plans", "assessment_id"): "assessments",
    ("programme_decisions", "programme_id"): "programmes",
    ("activities", "shoe_id"): "shoes",
    ("activity_streams", "activity_id"): "activities",
}
# The clinic's rows name a clinician (another account), by id.
CLINIC_TABLES: Final = ("care_links", "care_alerts", "clinician_changes")
# Not exported: the owner (every row is the account's).
_LEFT_OUT: Final = frozenset({"owner_id"})
# The original file's bytes are a member of the archive of their own, which the row
# names in this column.
_FILE_COLUMN: Final = ("activity_sources", "content")
_TOP_KEYS: Final = frozenset(
    {
        "format",
        "version",
        "schema_revision",
        "exported_at",
        "backstride",
        "account",
        "clinicians",
        "tables",
    }
)
_ACCOUNT_KEYS: Final = frozenset({"username", "display_name", "role"})
_CLINICIAN_KEYS: Final = frozenset({"id", "username", "display_name"})
_SHA256: Final = re.compile(r"[0-9a-f]{64}")
_UNSAFE_NAME: Final = re.compile(r'[\x00-\x1f\x7f<>:"|?*\\/]')
_FIXED_TIME: Final = (1980, 1, 1, 0, 0, 0)
_MAX_PROBLEMS: Final = 100
# The zip limits of a restore (the importer's Budget enforces them while inflating).
RESTORE_LIMITS: Final = Limits(
    max_members=200_000,
    max_total_bytes=16 << 30,
    max_member_bytes=2 << 30,
    max_depth=1,
    max_ratio=200.0,
)
_INT32: Final = (-(2**31), 2**31 - 1)
_INT64: Final = (-(2**63), 2**63 - 1)


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


# --- columns: how each kind of value is written and read back -----------------------


@dataclass(frozen=True)
class _Codec:
    """How one column's values go into the JSON and come back."""

    column: Column[Any]
    kind: str  # int, float, bool, text, date, datetime, bytes, json, file

    def encode(self, value: Any) -> Any:
        if value is None:
            return None
        if self.kind == "datetime":
            return value.astimezone(UTC).isoformat()
        if self.kind == "date":
            return value.isoformat()
        if self.kind == "bytes":
            return base64.b64encode(value).decode("ascii")
        if self.kind == "float":
            number = float(value)
            if math.isnan(number):
                return "NaN"
            if math.isinf(number):
                return "Infinity" if number > 0 else "-Infinity"
            return number
        if self.kind == "int":
            return int(value)
        if self.kind == "bool":
            return bool(value)
        return value  # text and JSON documents, as they are

    def decode(self, value: Any) -> Any:
        """The column's value from the JSON; raises ValueError saying what was expected."""
        if value is None:
            if not self.column.nullable or self.column.primary_key:
                raise ValueError("must not be null")
            return None
        reader = getattr(self, f"_read_{self.kind}")
        return reader(value)

    def _read_int(self, value: Any) -> int:
        if type(value) is not int:
            raise ValueError("expected a whole number")
        low, high = _INT64 if isinstance(self.column.type, BigInteger) else _INT32
        if not low <= value <= high:
            raise ValueError("the number is out of range")
        return value

    def _read_float(self, value: Any) -> float:
        if isinstance(value, str) and value in ("NaN", "Infinity", "-Infinity"):
            return float(value.lower().replace("infinity", "inf"))
        if type(value) not in (int, float):
            raise ValueError("expected a number")
        number = float(value)
        if not math.isfinite(number):
            raise ValueError("expected a number")
        return number

    def _read_bool(self, value: Any) -> bool:
        if type(value) is not bool:
            raise ValueError("expected true or false")
        return bool(value)

    def _read_text(self, value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError("expected text")
        length = getattr(self.column.type, "length", None)
        if length is not None and len(value) > length:
            raise ValueError(f"longer than {length} characters")
        if "\x00" in value:
            raise ValueError("holds a NUL character")
        return value

    def _read_date(self, value: Any) -> date:
        if not isinstance(value, str) or len(value) != len("2026-03-14"):
            raise ValueError("expected a date like 2026-03-14")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError("expected a date like 2026-03-14") from None

    def _read_datetime(self, value: Any) -> datetime:
        return _moment(value)

    def _read_bytes(self, value: Any) -> bytes:
        if not isinstance(value, str):
            raise ValueError("expected base64 text")
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("expected base64 text") from None

    def _read_json(self, value: Any) -> Any:
        if _has_nul(value):
            raise ValueError("the document holds a NUL character")
        return value

    def _read_file(self, value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError("expected the path of a file in the archive")
        return value


def _moment(value: Any) -> datetime:
    """A date and time with its offset, in UTC; ValueError saying what was expected."""
    expected = "expected a date and time with its offset, like 2026-03-14T09:00:00+00:00"
    if not isinstance(value, str) or len(value) > 40:
        raise ValueError(expected)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(expected) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(expected)
    return moment.astimezone(UTC)


def _has_nul(value: Any) -> bool:
    """Whether a JSON document holds U+0000 anywhere (PostgreSQL's JSONB refuses it)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _kind(column: Column[Any]) -> str:
    kind = column.type
    if (column.table.name, column.name) == _FILE_COLUMN:
        return "file"
    if isinstance(kind, UtcDateTime):
        return "datetime"
    if isinstance(kind, JSON):
        return "json"
    if isinstance(kind, Boolean):
        return "bool"
    if isinstance(kind, Integer):
        return "int"
    if isinstance(kind, Float):
        return "float"
    if isinstance(kind, Date):
        return "date"
    if isinstance(kind, LargeBinary):
        return "bytes"
    if isinstance(kind, String):
        return "text"
    raise TypeError(f"no export codec for {column.table.name}.{column.name} ({kind!r})")


def _codecs(name: str) -> dict[str, _Codec]:
    return {
        column.name: _Codec(column, _kind(column))
        for column in _table(name).columns
        if column.name not in _LEFT_OUT
    }


CODECS: Final = {name: _codecs(name) for name in TABLES}


def _has_id(name: str) -> bool:
    return "id" in _table(name).columns and _table(name).columns["id"].primary_key


def file_member(sha256: str, name: str) -> str:
    """Where an original file goes in the archive: ``files/<sha256>/<its last name>``
    (a name with characters no file system takes has them replaced by ``_``)."""
    last = name.replace("\\", "/").rsplit("/", 1)[-1]
    last = _UNSAFE_NAME.sub("_", last).strip()[:200]
    if last in ("", ".", ".."):
        last = "file"
    return f"{FILES}/{sha256}/{last}"


# --- export ------------------------------------------------------------------------


@cache
def known_revisions() -> frozenset[str]:
    """Every schema revision of the migrations (an archive of a newer one is refused)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    scripts = ScriptDirectory.from_config(config).walk_revisions()
    return frozenset(script.revision for script in scripts)


def schema_revision(session: Session) -> str:
    versions = session.execute(text("SELECT version_num FROM alembic_version")).scalars()
    return ",".join(sorted(str(v) for v in versions))


def _zip_entry(path: str) -> zipfile.ZipInfo:
    """A member with fixed time and attributes: the same bytes give the same archive."""
    info = zipfile.ZipInfo(path, date_time=_FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o644 << 16
    return info


def _begin_reading(session: Session) -> None:
    """One snapshot for every read of the export (a write in between cannot show half)."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def _rows(session: Session, name: str, owner: int) -> list[dict[str, Any]]:
    table = _table(name)
    codecs = CODECS[name]
    columns = [table.columns[c] for c in codecs if codecs[c].kind != "file"]
    order = list(table.primary_key.columns)
    query = select(*columns).where(table.columns["owner_id"] == owner).order_by(*order)
    found = []
    for row in session.execute(query).mappings():
        values = {column.name: codecs[column.name].encode(row[column.name]) for column in columns}
        if name == "activity_sources":
            values["content"] = file_member(row["sha256"], row["name"])
        found.append(values)
    return found


def export_record(
    database: Database, out: BinaryIO, owner: int, *, exported_at: datetime
) -> ExportSummary:
    """Write ``owner``'s record to ``out`` as the archive described above."""
    if exported_at.tzinfo is None:
        raise ValueError("exported_at must be timezone-aware")
    with database.sessions() as session:
        _begin_reading(session)
        account = session.get(UserRow, owner)
        if account is None:
            raise LookupError(f"there is no account {owner}")
        tables = {name: _rows(session, name, owner) for name in TABLES}
        clinician_ids = sorted({r["clinician_id"] for n in CLINIC_TABLES for r in tables[n]})
        clinicians = [
            {"id": user.id, "username": user.username, "display_name": user.display_name}
            for user in session.scalars(
                select(UserRow).where(UserRow.id.in_(clinician_ids)).order_by(UserRow.id)
            )
        ]
        document = {
            "format": FORMAT,
            "version": VERSION,
            "schema_revision": schema_revision(session),
            "exported_at": exported_at.isoformat(),
            "backstride": __version__,
            "account": {
                "username": account.username,
                "display_name": account.display_name,
                "role": account.role,
            },
            "clinicians": clinicians,
            "tables": tables,
        }
        data = json.dumps(document, sort_keys=True, ensure_ascii=False, indent=1, allow_nan=False)
        sources = SqlActivitySourceRepository(session, owner)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            archive.writestr(_zip_entry(DOCUMENT), (data + "\n").encode("utf-8"))
            for row in tables["activity_sources"]:
                found = sources.get(row["sha256"])
                if found is None:  # cannot happen in one snapshot
                    raise LookupError(f"the file {row['sha256']} went missing")
                archive.writestr(_zip_entry(row["content"]), found[1])
    return ExportSummary(
        rows={name: len(rows) for name, rows in tables.items()},
        files=len(tables["activity_sources"]),
    )


# --- restore: reading and checking the archive ----------------------------------------


@dataclass
class _Checked:
    """An archive that passed every check: rows decoded per table, the files' bytes."""

    revision: str
    clinicians: dict[int, str]
    rows: dict[str, list[dict[str, Any]]]
    files: dict[str, bytes]


class _Problems:
    def __init__(self) -> None:
        self.found: list[str] = []

    def add(self, problem: str) -> None:
        if len(self.found) < _MAX_PROBLEMS:
            self.found.append(problem)

    def __bool__(self) -> bool:
        return bool(self.found)

    def refuse(self) -> RestoreRefused:
        return RestoreRefused(self.found)


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise ValueError(f"the key {key!r} appears twice in one object")
        found[key] = value
    return found


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _parse(data: bytes) -> Any:
    try:
        return json.loads(
            data.decode("utf-8"),
            object_pairs_hook=_no_duplicate_keys,
            parse_constant=_no_constant,
        )
    except UnicodeDecodeError:
        raise RestoreRefused([f"{DOCUMENT}: not UTF-8 text"]) from None
    except RecursionError:
        raise RestoreRefused([f"{DOCUMENT}: nested too deep"]) from None
    except ValueError as error:  # JSONDecodeError is one
        raise RestoreRefused([f"{DOCUMENT}: not valid JSON ({error})"]) from None


def _unzip(archive: bytes) -> tuple[bytes, dict[str, bytes]]:
    """The JSON document and every other member, under the zip limits."""
    if len(archive) > MAX_ARCHIVE_BYTES:
        raise RestoreRefused([f"the archive is larger than {MAX_ARCHIVE_BYTES >> 30} GiB"])
    budget = Budget(RESTORE_LIMITS)
    problems = _Problems()
    found: dict[str, bytes] = {}
    try:
        with open_zip(archive, budget) as opened:
            for member in members(opened, budget):
                try:
                    check_member_name(member.path)
                    if member.path in found:
                        problems.add(f"{member.path}: in the archive twice")
                        continue
                    found[member.path] = read_member(opened, member, budget)
                except IngestError as error:
                    problems.add(f"{member.path}: {error}")
    except IngestError as error:
        raise RestoreRefused([f"the archive: {error}"]) from None
    if problems:
        raise problems.refuse()
    document = found.pop(DOCUMENT, None)
    if document is None:
        raise RestoreRefused([f"not a backstride export: there is no {DOCUMENT} in the archive"])
    return document, found


def _check_header(document: Any, problems: _Problems) -> None:
    if document.get("format") != FORMAT:
        problems.add(f"format: expected {FORMAT!r} (got {document.get('format')!r})")
    if document.get("version") != VERSION:
        problems.add(
            f"version: this backstride reads version {VERSION} (got {document.get('version')!r})"
        )
    for key in sorted(set(document) - _TOP_KEYS):
        problems.add(f"{key}: not part of the export format")
    for key in sorted(_TOP_KEYS - set(document)):
        problems.add(f"{key}: missing")
    revision = document.get("schema_revision")
    if not isinstance(revision, str):
        problems.add("schema_revision: expected text")
    elif not set(revision.split(",")) <= known_revisions():
        problems.add(
            f"schema_revision: {revision!r} is not a schema this backstride knows "
            "(the archive was made by a newer version?)"
        )
    try:
        _moment(document.get("exported_at"))
    except ValueError as error:
        problems.add(f"exported_at: {error}")
    account = document.get("account")
    if not isinstance(account, dict) or set(account) != _ACCOUNT_KEYS:
        problems.add("account: expected username, display_name and role")
    elif not all(isinstance(v, str) for v in account.values()):
        problems.add("account: expected text")


def _check_clinicians(document: Any, problems: _Problems) -> dict[int, str]:
    listed = document.get("clinicians")
    clinicians: dict[int, str] = {}
    if not isinstance(listed, list):
        problems.add("clinicians: expected a list")
        return clinicians
    for index, item in enumerate(listed):
        where = f"clinicians[{index}]"
        if not isinstance(item, dict) or set(item) != _CLINICIAN_KEYS:
            problems.add(f"{where}: expected id, username and display_name")
            continue
        if type(item["id"]) is not int or not isinstance(item["username"], str):
            problems.add(f"{where}: expected a whole number id and a text username")
            continue
        clinicians[item["id"]] = item["username"]
    return clinicians


def _check_rows(tables: Any, problems: _Problems) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows decoded, each value checked against its column."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    if not isinstance(tables, dict):
        problems.add("tables: expected an object of tables")
        return rows
    for name in sorted(set(tables) - set(TABLES)):
        problems.add(f"tables.{name}: not a table of the record")
    for name in TABLES:
        listed = tables.get(name, [])
        if not isinstance(listed, list):
            problems.add(f"tables.{name}: expected a list of rows")
            continue
        codecs = CODECS[name]
        for index, row in enumerate(listed):
            where = f"tables.{name}[{index}]"
            if not isinstance(row, dict):
                problems.add(f"{where}: expected an object")
                continue
            for column in sorted(set(row) - set(codecs)):
                problems.add(f"{where}.{column}: not a column of {name}")
            decoded: dict[str, Any] = {}
            for column, codec in codecs.items():
                if column not in row:
                    problems.add(f"{where}.{column}: missing")
                    continue
                try:
                    decoded[column] = codec.decode(row[column])
                except ValueError as error:
                    problems.add(f"{where}.{column}: {error}")
            rows[name].append(decoded)
    return rows


def _check_keys(rows: Mapping[str, list[dict[str, Any]]], problems: _Problems) -> None:
    """Primary keys unique, references to rows of the archive, one run-log total."""
    ids: dict[str, set[int]] = {}
    for name, listed in rows.items():
        primary = [c.name for c in _table(name).primary_key.columns if c.name != "owner_id"]
        seen: set[tuple[Any, ...]] = set()
        for row in listed if primary else ():
            key = tuple(row.get(c) for c in primary)
            if key in seen:
                problems.add(f"tables.{name}: {', '.join(primary)} {key!r} appears twice")
            seen.add(key)
        if _has_id(name):
            ids[name] = {row["id"] for row in listed if "id" in row}
    for (name, column), target in REFERENCES.items():
        for row in rows[name]:
            value = row.get(column)
            if value is not None and value not in ids.get(target, set()):
                problems.add(
                    f"tables.{name}: {column} {value} names no row of {target} in the archive"
                )
    if len(rows["activity_totals"]) > 1:
        problems.add("tables.activity_totals: expected at most one row")


def _check_files(
    rows: Mapping[str, list[dict[str, Any]]], files: Mapping[str, bytes], problems: _Problems
) -> None:
    named: set[str] = set()
    for row in rows["activity_sources"]:
        sha, name, member = row.get("sha256"), row.get("name"), row.get("content")
        if not isinstance(sha, str) or not isinstance(name, str) or not isinstance(member, str):
            continue  # reported with the row
        if not _SHA256.fullmatch(sha):
            problems.add(f"tables.activity_sources: {sha!r} is not a SHA-256 in hex")
            continue
        expected = file_member(sha, name)
        if member != expected:
            problems.add(f"tables.activity_sources: the file of {sha} must be {expected}")
            continue
        named.add(member)
        data = files.get(member)
        if data is None:
            problems.add(f"{member}: missing from the archive")
        elif hashlib.sha256(data).hexdigest() != sha:
            problems.add(f"{member}: its content does not match its SHA-256 (damaged?)")
    for member in sorted(set(files) - named):
        problems.add(f"{member}: not part of the export (only {DOCUMENT} and files/…)")


def read_archive(archive: bytes) -> _Checked:
    """The archive checked whole; RestoreRefused with every problem found."""
    data, files = _unzip(archive)
    document = _parse(data)
    if not isinstance(document, dict):
        raise RestoreRefused([f"{DOCUMENT}: expected a JSON object"])
    problems = _Problems()
    _check_header(document, problems)
    clinicians = _check_clinicians(document, problems)
    rows = _check_rows(document.get("tables"), problems)
    if not problems:
        _check_keys(rows, problems)
        _check_files(rows, files, problems)
        for name in CLINIC_TABLES:
            for row in rows[name]:
                if row["clinician_id"] not in clinicians:
                    problems.add(
                        f"tables.{name}: clinician_id {row['clinician_id']} is not in clinicians"
                    )
    if problems:
        raise problems.refuse()
    return _Checked(str(document["schema_revision"]), clinicians, rows, files)


# --- restore: writing -----------------------------------------------------------------


def _begin_writing(session: Session) -> None:
    """Hold off every other writer of these tables until the restore commits: the
    emptiness check, the ids chosen and the sequences moved stay true."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        session.connection(execution_options=IMMEDIATE)
    elif dialect == "postgresql":
        names = ", ".join(TABLES)
        session.execute(text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))


def _owner(session: Session, username: str | None) -> UserRow:
    if username is None:
        row = session.get(UserRow, LOCAL_OWNER)
    else:
        row = session.scalars(select(UserRow).where(UserRow.username == username)).first()
    if row is None:
        who = "local account" if username is None else f"account named {username!r}"
        raise RestoreRefused([f"this database has no {who}"])
    return row


def _not_empty(session: Session, owner: int) -> list[str]:
    held = []
    for name in TABLES:
        if name == "activity_totals":
            continue  # every account has its total, 0 when the log is empty
        table = _table(name)
        count = session.scalar(
            select(func.count()).select_from(table).where(table.columns["owner_id"] == owner)
        )
        if count:
            held.append(f"{count} in {name}")
    return held


def _new_ids(session: Session, name: str, old: Sequence[int]) -> dict[int, int]:
    """The ids rows get: their own where the table is empty, else after the largest."""
    table = _table(name)
    top = session.scalar(select(func.max(table.columns["id"])))
    if top is None:
        return {i: i for i in old}
    return {i: top + n for n, i in enumerate(sorted(old), start=1)}


def _move_sequence(session: Session, name: str) -> None:
    """PostgreSQL: the next id the table's sequence gives is past every id in it (never
    moved back)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    top = session.scalar(select(func.max(_table(name).columns["id"])))
    if top is None:
        return
    session.execute(
        text(
            "SELECT setval(pg_get_serial_sequence(:t, 'id'), GREATEST(:top, COALESCE("
            "pg_sequence_last_value(pg_get_serial_sequence(:t, 'id')::regclass), 1)))"
        ),
        {"t": name, "top": top},
    )


def _relinked(document: Any, activities: Mapping[int, int]) -> Any:
    """A check-in's document naming its run-log activity by its restored id."""
    if not isinstance(document, dict) or not isinstance(document.get("session"), dict):
        return document
    session: dict[str, Any] = document["session"]
    named = session.get("activity_id")
    if not isinstance(named, str) or not named.strip().isdigit():
        return document
    new = activities.get(int(named.strip()))
    if new is None or str(new) == named:
        return document
    return {**document, "session": {**session, "activity_id": str(new)}}


def _clinicians_here(
    session: Session, checked: _Checked, link: bool
) -> tuple[dict[int, int], list[str]]:
    """Each clinician of the archive to the clinician's account of the same username
    here, when asked to link them; and what is left out, and why."""
    found: dict[int, int] = {}
    for old, username in checked.clinicians.items() if link else ():
        row = session.scalars(select(UserRow).where(UserRow.username == username)).first()
        if row is not None and row.role == "clinician":
            found[old] = row.id
    left_out: list[str] = []
    named = [r["clinician_id"] for n in CLINIC_TABLES for r in checked.rows[n]]
    for old in sorted({i for i in named if i not in found}, key=checked.clinicians.__getitem__):
        rows = f"{named.count(old)} row(s) of care_links, care_alerts and clinician_changes"
        who = f"the clinician {checked.clinicians[old]!r}"
        if link:
            left_out.append(f"{rows}: {who} has no clinician's account in this database")
        else:
            left_out.append(
                f"{rows}: {who} is linked only when asked (a link lets that account "
                "read the record)"
            )
    return found, left_out


def _read_back(session: Session, owner: int, ids: Mapping[str, Mapping[int, int]]) -> None:
    """Every restored document through the repositories the app reads it with (``ids``:
    each table's ids in the archive to the ids written)."""
    plans = SqlPlanRepository(session, owner)
    programmes = SqlProgrammeRepository(session, owner)
    activities = SqlActivityRepository(session, owner)
    checks: list[tuple[str, Callable[[], object]]] = [
        ("assessments", partial(SqlAssessmentRepository(session, owner).list, limit=2**31 - 1)),
        ("checkins", partial(SqlCheckinRepository(session, owner).up_to, date.max)),
        ("shoes", SqlShoeRepository(session, owner).list),
        ("activities", activities.list),
        ("programmes", programmes.current),
    ]
    checks += [("plans", partial(plans.get, i)) for i in ids["plans"].values()]
    checks += [
        ("programme_decisions", partial(programmes.decisions, i))
        for i in ids["programmes"].values()
    ]
    checks += [
        ("activity_streams", partial(_streams, activities, i)) for i in ids["activities"].values()
    ]
    problems = _Problems()
    for name, check in checks:
        try:
            check()
        except SQLAlchemyError:
            raise
        except Exception as error:  # a document the app could not read: refuse it
            said = str(error).strip().splitlines()
            problems.add(
                f"tables.{name}: a row does not read back "
                f"({type(error).__name__}: {said[0] if said else ''})"
            )
    if problems:
        raise problems.refuse()


def _streams(activities: SqlActivityRepository, activity_id: int) -> None:
    blob = activities.streams(activity_id)
    if blob is not None:
        Streams.from_bytes(blob)


@dataclass
class _Written:
    rows: dict[str, int]
    ids: dict[str, dict[int, int]]
    """Each table's ids in the archive to the ids written."""
    left_out: list[str]

    @property
    def renumbered(self) -> tuple[str, ...]:
        return tuple(n for n, ids in self.ids.items() if any(a != b for a, b in ids.items()))


def _write(session: Session, checked: _Checked, owner: int, link: bool) -> _Written:
    """Insert every row for ``owner`` (the clinic's rows only if ``link``)."""
    rows = checked.rows
    ids = {
        name: _new_ids(session, name, [r["id"] for r in rows[name]])
        for name in TABLES
        if _has_id(name)
    }
    clinicians, left_out = _clinicians_here(session, checked, link)
    written: dict[str, int] = {}
    for name in TABLES:
        if name == "activity_totals":
            continue
        table = _table(name)
        values: list[dict[str, Any]] = []
        for row in rows[name]:
            if name in CLINIC_TABLES:
                if row["clinician_id"] not in clinicians:
                    continue
                row = {**row, "clinician_id": clinicians[row["clinician_id"]]}
            new = dict(row, owner_id=owner)
            if name in ids:
                new["id"] = ids[name][row["id"]]
            for (source, column), target in REFERENCES.items():
                if source == name and new.get(column) is not None:
                    new[column] = ids[target][new[column]]
            if name == "checkins":
                new["document"] = _relinked(new["document"], ids["activities"])
            if name == "activity_sources":
                new["content"] = checked.files[row["content"]]
            values.append(new)
        if name in ids:
            values.sort(key=lambda r: r["id"])
        if values:
            session.execute(insert(table), values)
            if name in ids:
                _move_sequence(session, name)
        written[name] = len(values)
    # The run log's total is the activities restored (the archive's is not trusted).
    totals = _table("activity_totals")
    counted = session.execute(
        update(totals)
        .where(totals.columns["owner_id"] == owner)
        .values(activities=written["activities"])
    )
    if not getattr(counted, "rowcount", 0):  # an account made before its trigger
        session.execute(insert(totals).values(owner_id=owner, activities=written["activities"]))
    written["activity_totals"] = 1
    return _Written(written, ids, left_out)


def restore_record(
    database: Database,
    archive: bytes,
    *,
    owner_username: str | None = None,
    link_clinicians: bool = False,
) -> RestoreSummary:
    """Read the archive into the empty record of ``owner_username`` (the local account
    when None), or raise RestoreRefused; see the module docstring.

    The clinic's rows (links, alerts, changes) are restored only with
    ``link_clinicians``, for clinicians with an account of the same username here: a
    link lets that account read the record, which a username alone does not prove is
    the person the runner linked (ADR 13). Otherwise they are left out, and said."""
    checked = read_archive(archive)
    with database.sessions() as session:
        try:
            _begin_writing(session)
            account = _owner(session, owner_username)
            held = _not_empty(session, account.id)
            if held:
                raise RestoreRefused(
                    [
                        f"the record of {account.username!r} is not empty ({', '.join(held)}): "
                        "a restore goes only into an empty record"
                    ]
                )
            written = _write(session, checked, account.id, link_clinicians)
            session.flush()
            _read_back(session, account.id, written.ids)
            session.commit()
        except DBAPIError as error:
            session.rollback()
            reason = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
            raise RestoreRefused([f"the database refused the record ({reason})"]) from error
        except BaseException:
            session.rollback()
            raise
    return RestoreSummary(
        owner_id=account.id,
        username=account.username,
        rows=written.rows,
        files=written.rows.get("activity_sources", 0),
        renumbered=written.renumbered,
        left_out=tuple(written.left_out),
    )
