"""A person's whole record exported and restored (issue 15 item 4, ADR 13), on SQLite
and PostgreSQL.

A rich record is built through the services (an assessment, a plan, check-ins with a
PSFS score, a warning sign and runs, real watch files imported bare, gzipped and
zipped, shoes, a clinician's link, alert and change), exported, restored into a fresh
empty database and exported again: the two archives are the same bytes and every
document reads back the same through the repositories. A restore refuses a record
that is not empty and a damaged or hostile archive, and then writes nothing; with two
people in one database, an export holds only its owner's rows and a restore into one
leaves the other untouched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from backstride.adapters.db.record_export import DOCUMENT, TABLES
from backstride.bootstrap import Storage, open_storage
from backstride.domain.recovery.checkin import WarningSign
from backstride.services import assessing, export, importing, planning, recovery, training
from backstride.services.clinic_ports import ClinicianChangeKind, Role
from backstride.services.clock import FixedClock
from backstride.services.export import RestoreRefused
from backstride.services.ports import UnitOfWork
from tests.builders import checkin_document
from tests.care_support import self_care_intake
from tests.conftest import FILES, POSTGRES_URL, _postgres_schema_url

FIRST = dt.date(2026, 3, 2)
NO_WARNING_SIGNS = {sign.value: False for sign in WarningSign}
EXPORTED_AT = dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.UTC)
CLINICIAN = "dr-okafor"
WATCH_FILES = (
    "sportslib_fr945_run_6782987395.fit",
    "gc_10kUNLP2014-Garmin15.tcx.gz",
    "fittrackee_gpx_test.zip",
    "fitparse_activity-large-fenxi2-multisport.fit",
)


def evening(day: dt.date) -> FixedClock:
    return FixedClock(dt.datetime.combine(day, dt.time(19, 30, 15, 123456), dt.UTC))


@pytest.fixture
def open_db(database_url: str, tmp_path: Path) -> Iterator[Callable[[], Storage]]:
    """Opens fresh empty databases of the kind under test (the first at database_url)."""
    opened: list[Storage] = []
    schemas: list[Iterator[str]] = []

    def fresh() -> Storage:
        if not opened:
            url = database_url
        elif database_url.startswith("sqlite"):
            url = f"sqlite:///{tmp_path / f'db{len(opened)}.sqlite'}"
        else:
            assert POSTGRES_URL
            schema = _postgres_schema_url(POSTGRES_URL)
            schemas.append(schema)
            url = next(schema)
        storage = open_storage(url)
        opened.append(storage)
        return storage

    yield fresh
    for storage in opened:
        storage.dispose()
    for schema in schemas:
        next(schema, None)  # drops the schema


def add_account(storage: Storage, username: str, role: Role) -> int:
    with storage.clinic_unit_of_work() as uow:
        user_id = uow.accounts.add(username, username.title(), role, None, EXPORTED_AT)
        uow.commit()
    return user_id


def build_record(storage: Storage, owner: int = 1, *, clinician: int | None = None) -> None:
    """A record with something in every table, made the way the app makes it."""

    def uow() -> UnitOfWork:
        return storage.unit_of_work(owner)

    if clinician is not None:
        with storage.clinic_unit_of_work(owner) as clinic:
            clinic.clinic.link(owner, clinician, EXPORTED_AT - dt.timedelta(days=40))
            clinic.commit()
    saved = assessing.assess_and_save(
        uow(), evening(FIRST - dt.timedelta(days=1)), assessing.parse_intake(self_care_intake())
    )
    planned = planning.plan_from_latest(uow(), planning.Preferences(start_date=FIRST))
    planning.save_plan(uow(), evening(FIRST - dt.timedelta(days=1)), planned)
    assert saved.id
    training.add_shoe(uow(), "Pegasus 40", started_km=120.5, default=True)
    training.add_shoe(uow(), "Old trail shoes")
    for name in WATCH_FILES:
        importing.import_paths(uow(), evening(FIRST), [FILES / name])
    days = [
        checkin_document(
            FIRST,
            psfs=[{"activity": "running 5 km", "score_0_10": 4}],
            session={"kind": "walk_run", "minutes": 25, "pain_during_0_10": 2},
            exercises_done=["glute-bridge"],
        ),
        checkin_document(
            FIRST + dt.timedelta(days=1),
            pain=2,
            session={"kind": "run", "minutes": 30, "distance_km": 5.2, "pain_after_0_10": 3},
        ),
        checkin_document(FIRST + dt.timedelta(days=2), pain=2, worst=3),
        checkin_document(
            FIRST + dt.timedelta(days=3),
            pain=5,
            worst=7,
            warning_signs={**NO_WARNING_SIGNS, "neuro.new_weakness": True},
        ),
    ]
    for document in days:
        day = dt.date.fromisoformat(document["date"])
        recovery.record_checkin(uow(), evening(day), recovery.parse_checkin(document))
    if clinician is not None:
        with storage.clinic_unit_of_work(owner) as clinic:
            clinic.clinic.add_change(
                owner,
                clinician,
                EXPORTED_AT - dt.timedelta(days=3),
                ClinicianChangeKind.NOTE,
                note="Keep the runs easy this week. Ünïcode ✓",
            )
            clinic.commit()


def exported(storage: Storage, owner: int = 1) -> bytes:
    out = io.BytesIO()
    export.export_all(storage, FixedClock(EXPORTED_AT), out, owner)
    return out.getvalue()


def document_of(archive: bytes) -> dict[str, Any]:
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        found: dict[str, Any] = json.loads(opened.read(DOCUMENT))
    return found


def members(archive: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        return {name: opened.read(name) for name in opened.namelist()}


def read_through_repositories(storage: Storage, owner: int = 1) -> dict[str, Any]:
    """Every document of the record as the app reads it."""
    with storage.unit_of_work(owner) as uow:
        activities = list(uow.activities.list())
        programme = uow.programmes.current()
        return {
            "assessments": list(uow.assessments.list(limit=1000)),
            "plan": uow.plans.latest(),
            "checkins": list(uow.checkins.up_to(dt.date.max)),
            "programme": programme,
            "decisions": list(uow.programmes.decisions(programme.id)) if programme else [],
            "activities": activities,
            "streams": {a.id: uow.activities.streams(a.id) for a in activities},
            "count": uow.activities.count(),
            "shoes": list(uow.shoes.list()),
            "shoe_totals": dict(uow.activities.shoe_totals()),
            "sources": {h: uow.sources.get(h) for h in uow.sources.hashes()},
        }


def row_counts(storage: Storage) -> dict[str, int]:
    """How many rows each table holds, and the data revisions' sum (a write moves it)."""
    from sqlalchemy import text

    with storage.database.engine.connect() as connection:
        counts = {
            name: int(connection.execute(text(f"SELECT count(*) FROM {name}")).scalar_one())  # noqa: S608
            for name in (*TABLES, "users")
        }
        revision = text("SELECT coalesce(sum(revision), 0) FROM data_revision")
        counts["data_revision"] = int(connection.execute(revision).scalar_one())
    return counts


# --- the round trip ------------------------------------------------------------------


def test_a_record_restored_into_an_empty_database_exports_to_the_same_bytes(
    open_db: Callable[[], Storage],
) -> None:
    source = open_db()
    clinician = add_account(source, CLINICIAN, Role.CLINICIAN)
    build_record(source, clinician=clinician)
    first = exported(source)
    assert exported(source) == first  # the same record, the same bytes

    document = document_of(first)
    assert document["format"] == export.FORMAT
    assert document["account"] == {"username": "local", "display_name": "You", "role": "runner"}
    assert document["clinicians"] == [
        {"id": clinician, "username": CLINICIAN, "display_name": CLINICIAN.title()}
    ]
    tables = document["tables"]
    assert set(tables) == set(TABLES)
    assert all(tables[name] for name in TABLES), [n for n in TABLES if not tables[n]]
    assert "password_hash" not in json.dumps(document)
    assert document["exported_at"] == EXPORTED_AT.isoformat()

    # Every original file is in the archive under its hash, and is what was imported.
    files = {n: d for n, d in members(first).items() if n != DOCUMENT}
    assert len(files) == len(tables["activity_sources"]) >= len(WATCH_FILES)
    for row in tables["activity_sources"]:
        assert hashlib.sha256(files[row["content"]]).hexdigest() == row["sha256"]
    bare = (FILES / WATCH_FILES[0]).read_bytes()
    assert files[f"files/{hashlib.sha256(bare).hexdigest()}/{WATCH_FILES[0]}"] == bare

    target = open_db()
    assert add_account(target, CLINICIAN, Role.CLINICIAN) == clinician
    summary = export.restore(target, first, link_clinicians=True)
    assert summary.owner_id == 1
    assert summary.renumbered == ()
    assert summary.left_out == ()
    assert summary.files == len(files)

    assert exported(target) == first
    assert read_through_repositories(target) == read_through_repositories(source)
    with target.unit_of_work() as uow:
        assert uow.revision() > 0  # kept pages drawn before the restore are stale


def test_new_rows_after_a_restore_take_ids_after_the_restored_ones(
    open_db: Callable[[], Storage],
) -> None:
    source = open_db()
    build_record(source)
    target = open_db()
    export.restore(target, exported(source))
    before = read_through_repositories(target)
    saved = assessing.assess_and_save(
        target.unit_of_work(),
        evening(FIRST + dt.timedelta(days=9)),
        assessing.parse_intake(self_care_intake()),
    )
    assert saved.id > max(a.id for a in before["assessments"])
    shoe = training.add_shoe(target.unit_of_work(), "New pair")
    assert shoe.id > max(s.id for s in before["shoes"])
    summary = importing.import_paths(
        target.unit_of_work(), evening(FIRST), [FILES / "gc_fr955_14211916346_ACTIVITY.fit"]
    )
    assert summary.imported == 1
    assert summary.stored[0].activity_id > max(a.id for a in before["activities"])
    with target.unit_of_work() as uow:
        assert uow.activities.count() == before["count"] + 1


def test_the_clinic_rows_are_restored_only_when_asked_and_to_a_clinician_here(
    open_db: Callable[[], Storage],
) -> None:
    source = open_db()
    build_record(source, clinician=add_account(source, CLINICIAN, Role.CLINICIAN))
    archive = exported(source)
    asked = ("care_links", "care_alerts", "clinician_changes")

    # Not asked: left out, even with the clinician's account here.
    target = open_db()
    add_account(target, CLINICIAN, Role.CLINICIAN)
    summary = export.restore(target, archive)
    assert [summary.rows[name] for name in asked] == [0, 0, 0]
    (said,) = summary.left_out
    assert said.endswith(
        f"the clinician {CLINICIAN!r} is linked only when asked (a link lets "
        "that account read the record)"
    )
    with target.clinic_unit_of_work() as uow:
        assert uow.clinic.clinicians_of(1) == []
    assert (
        read_through_repositories(target)["checkins"]
        == read_through_repositories(source)["checkins"]
    )

    # Asked, with no clinician of that name here (a runner's account is not one).
    elsewhere = open_db()
    add_account(elsewhere, CLINICIAN, Role.RUNNER)
    summary = export.restore(elsewhere, archive, link_clinicians=True)
    assert [summary.rows[name] for name in asked] == [0, 0, 0]
    (said,) = summary.left_out
    assert f"the clinician {CLINICIAN!r} has no clinician's account in this database" in said

    # Asked, with the clinician here: linked.
    linked = open_db()
    add_account(linked, "someone-else", Role.CLINICIAN)
    clinician = add_account(linked, CLINICIAN, Role.CLINICIAN)
    summary = export.restore(linked, archive, link_clinicians=True)
    assert summary.rows["care_links"] == 1
    assert summary.left_out == ()
    with linked.clinic_unit_of_work() as uow:
        assert [a.id for a in uow.clinic.clinicians_of(1)] == [clinician]
    tables = document_of(exported(linked))["tables"]
    assert {r["clinician_id"] for n in asked for r in tables[n]} == {clinician}


# --- refusals --------------------------------------------------------------------------


def test_a_restore_into_a_record_that_is_not_empty_is_refused_and_changes_nothing(
    open_db: Callable[[], Storage],
) -> None:
    source = open_db()
    build_record(source)
    archive = exported(source)
    before = row_counts(source)
    with pytest.raises(RestoreRefused) as refused:
        export.restore(source, archive)
    assert "is not empty" in refused.value.problems[0]
    assert row_counts(source) == before


def hostile(archive: bytes, change: Callable[[dict[str, Any], dict[str, bytes]], None]) -> bytes:
    """The archive with its document and members changed by ``change``."""
    found = members(archive)
    document = json.loads(found.pop(DOCUMENT))
    change(document, found)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as rewritten:
        rewritten.writestr(DOCUMENT, json.dumps(document))
        for name, data in found.items():
            rewritten.writestr(name, data)
    return out.getvalue()


def _version(document: dict[str, Any], _: dict[str, bytes]) -> None:
    document["version"] = 99


def _unknown_table(document: dict[str, Any], _: dict[str, bytes]) -> None:
    document["tables"]["audit_log"] = [{"id": 1}]
    document["tables"]["users"] = [{"id": 1, "password_hash": "x"}]


def _unknown_column(document: dict[str, Any], _: dict[str, bytes]) -> None:
    document["tables"]["shoes"][0]["owner_id"] = 7


def _bad_types(document: dict[str, Any], _: dict[str, bytes]) -> None:
    checkin = document["tables"]["checkins"][0]
    checkin["day"] = "yesterday"
    checkin["recorded_at"] = "2026-03-02T19:30:00"  # no offset
    document["tables"]["shoes"][0]["started_km"] = "120"
    document["tables"]["shoes"][0]["retired"] = 0
    document["tables"]["activities"][0]["id"] = 2**40
    document["tables"]["activity_streams"][0]["streams"] = "not base64!"


def _too_long(document: dict[str, Any], _: dict[str, bytes]) -> None:
    document["tables"]["shoes"][0]["name"] = "x" * 81


def _dangling(document: dict[str, Any], _: dict[str, bytes]) -> None:
    document["tables"]["activity_streams"][0]["activity_id"] = 999_999
    document["tables"]["plans"][0]["assessment_id"] = 999_999


def _duplicate_id(document: dict[str, Any], _: dict[str, bytes]) -> None:
    shoes = document["tables"]["shoes"]
    shoes.append({**shoes[0], "name": "twin"})


def _file_changed(_: dict[str, Any], files: dict[str, bytes]) -> None:
    name = next(iter(files))
    files[name] = files[name][:-1] + b"?"


def _file_missing(_: dict[str, Any], files: dict[str, bytes]) -> None:
    del files[next(iter(files))]


def _file_extra(_: dict[str, Any], files: dict[str, bytes]) -> None:
    files["../../etc/passwd"] = b"root"
    files["files/notes.txt"] = b"hello"


def _bad_document(document: dict[str, Any], _: dict[str, bytes]) -> None:
    document["tables"]["assessments"][0]["assessment"] = {"not": "an assessment"}


def _bad_streams(document: dict[str, Any], _: dict[str, bytes]) -> None:
    document["tables"]["activity_streams"][0]["streams"] = "AAAA"


def _newer_schema(document: dict[str, Any], _: dict[str, bytes]) -> None:
    document["schema_revision"] = "9999"


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (_version, "version: this backstride reads version 1"),
        (_unknown_table, "tables.audit_log: not a table of the record"),
        (_unknown_column, "tables.shoes[0].owner_id: not a column of shoes"),
        (_bad_types, "tables.checkins[0].day: expected a date like 2026-03-14"),
        (_too_long, "tables.shoes[0].name: longer than 80 characters"),
        (_dangling, "names no row of activities in the archive"),
        (_duplicate_id, "tables.shoes: id"),
        (_file_changed, "its content does not match its SHA-256"),
        (_file_missing, "missing from the archive"),
        (_file_extra, "unsafe path inside the archive"),
        (_bad_document, "tables.assessments: a row does not read back"),
        (_bad_streams, "tables.activity_streams: a row does not read back"),
        (_newer_schema, "is not a schema this backstride knows"),
    ],
    ids=lambda v: v.__name__.strip("_") if callable(v) else "",
)
def test_a_damaged_or_hostile_archive_is_refused_with_its_reasons_and_writes_nothing(
    open_db: Callable[[], Storage],
    good_archive: bytes,
    change: Callable[[dict[str, Any], dict[str, bytes]], None],
    said: str,
) -> None:
    target = open_db()
    before = row_counts(target)
    with pytest.raises(RestoreRefused) as refused:
        export.restore(target, hostile(good_archive, change))
    assert any(said in problem for problem in refused.value.problems), refused.value.problems
    assert row_counts(target) == before


@pytest.fixture(scope="module")
def good_archive(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """One SQLite record's export, made once for the hostile variants."""
    storage = open_storage(f"sqlite:///{tmp_path_factory.mktemp('good') / 'good.sqlite'}")
    build_record(storage)
    archive = exported(storage)
    storage.dispose()
    return archive


def test_the_type_problems_are_reported_together(
    open_db: Callable[[], Storage], good_archive: bytes
) -> None:
    with pytest.raises(RestoreRefused) as refused:
        export.restore(open_db(), hostile(good_archive, _bad_types))
    problems = "\n".join(refused.value.problems)
    for said in (
        "tables.checkins[0].recorded_at: expected a date and time with its offset",
        "tables.shoes[0].started_km: expected a number",
        "tables.shoes[0].retired: expected true or false",
        "tables.activities[0].id: the number is out of range",
        "tables.activity_streams[0].streams: expected base64 text",
    ):
        assert said in problems


@pytest.mark.parametrize(
    ("archive", "said"),
    [
        (b"", "not a readable zip archive"),
        (b"PK\x03\x04 not really a zip", "not a readable zip archive"),
        (b"just text", "not a readable zip archive"),
    ],
)
def test_what_is_not_an_export_is_refused(
    open_db: Callable[[], Storage], archive: bytes, said: str
) -> None:
    with pytest.raises(RestoreRefused) as refused:
        export.restore(open_db(), archive)
    assert said in refused.value.problems[0]


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("archive", "said"),
    [
        (zip_of({"hello.txt": b"hi"}), f"there is no {DOCUMENT}"),
        (zip_of({DOCUMENT: b"{not json"}), "not valid JSON"),
        (zip_of({DOCUMENT: b'{"a": NaN}'}), "not valid JSON"),
        (zip_of({DOCUMENT: b'{"a": 1, "a": 2}'}), "appears twice"),
        (zip_of({DOCUMENT: b"[]"}), "expected a JSON object"),
        (zip_of({DOCUMENT: b"\xff\xfe"}), "not UTF-8"),
        (zip_of({DOCUMENT: b"[" * 100_000}), "nested too deep"),
        (zip_of({DOCUMENT: b" " * (20 << 20)}), "zip bomb"),
    ],
    ids=["no-document", "not-json", "nan", "duplicate-key", "array", "not-utf8", "deep", "bomb"],
)
def test_an_archive_without_a_readable_document_is_refused(
    open_db: Callable[[], Storage], archive: bytes, said: str
) -> None:
    with pytest.raises(RestoreRefused) as refused:
        export.restore(open_db(), archive)
    assert said in " ".join(refused.value.problems)


# --- two people in one database ------------------------------------------------------------


def test_an_export_holds_only_its_owners_rows_and_a_restore_into_another_leaves_the_first(
    open_db: Callable[[], Storage],
) -> None:
    storage = open_db()
    runner = add_account(storage, "ana", Role.RUNNER)
    build_record(storage, owner=1)
    build_record(storage, owner=runner)
    with storage.unit_of_work(runner) as uow:
        uow.shoes.add("Only Ana's", 0.0)
        uow.commit()

    local, ana = document_of(exported(storage, 1)), document_of(exported(storage, runner))
    assert ana["account"]["username"] == "ana"
    local_shoes = {s["name"] for s in local["tables"]["shoes"]}
    assert "Only Ana's" not in local_shoes
    assert "Only Ana's" in {s["name"] for s in ana["tables"]["shoes"]}
    local_ids = {r["id"] for r in local["tables"]["activities"]}
    assert local_ids.isdisjoint(r["id"] for r in ana["tables"]["activities"])

    # The local record, restored into a third, empty account of the same database.
    third = add_account(storage, "ben", Role.RUNNER)
    before = read_through_repositories(storage, 1)
    before_ana = read_through_repositories(storage, runner)
    summary = export.restore(storage, exported(storage, 1), owner_username="ben")
    assert summary.owner_id == third
    assert "activities" in summary.renumbered
    assert read_through_repositories(storage, 1) == before
    assert read_through_repositories(storage, runner) == before_ana

    # Ben's record reads as the local one did, ids apart.
    restored = read_through_repositories(storage, third)
    assert [a.intake for a in restored["assessments"]] == [a.intake for a in before["assessments"]]
    assert [c.document.date for c in restored["checkins"]] == [
        c.document.date for c in before["checkins"]
    ]
    assert restored["count"] == before["count"]
    assert restored["sources"] == before["sources"]
    by_start = {a.start_utc: a for a in restored["activities"]}
    for activity in before["activities"]:
        moved = by_start[activity.start_utc]
        assert moved.shoe_name == activity.shoe_name
        assert restored["streams"][moved.id] == before["streams"][activity.id]
    # A check-in's run names the restored activity (the ids moved).
    linked = [
        c for c in restored["checkins"] if c.document.session and c.document.session.activity_id
    ]
    assert linked
    for checkin in linked:
        assert checkin.document.session is not None
        named = int(checkin.document.session.activity_id or 0)
        assert named in {a.id for a in restored["activities"]}
    # And Ben's export is the local one's, apart from the account and the ids.
    assert len(document_of(exported(storage, third))["tables"]["activities"]) == len(local_ids)


def test_a_restore_names_an_account_that_exists(open_db: Callable[[], Storage]) -> None:
    source = open_db()
    build_record(source)
    with pytest.raises(RestoreRefused) as refused:
        export.restore(open_db(), exported(source), owner_username="nobody")
    assert refused.value.problems == ("this database has no account named 'nobody'",)
