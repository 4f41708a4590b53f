"""Importing real files into the database, on SQLite and PostgreSQL.

The whole tests/files folder imports with every valid file's start, duration, distance
and heart rate as the reference tools give them; malformed files are reported and
skipped; a second import changes nothing; one run from three formats is one activity;
an injected failure or an interruption leaves only complete activities behind.
"""

from __future__ import annotations

import gzip
import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from backstride.adapters.db.activities import SqlActivityRepository
from backstride.adapters.db.base import Base
from backstride.adapters.db.database import Database, open_database
from backstride.adapters.db.unit_of_work import SqlUnitOfWork
from backstride.ingest import Activity, Streams, read_file
from backstride.services import importing, training
from backstride.services.clock import FixedClock
from backstride.services.importing import ImportProgress, ImportSummary
from tests.conftest import FILES
from tests.unit.ingest.conftest import expected, original_bytes

CLOCK = FixedClock(datetime(2026, 3, 14, 9, 0, tzinfo=UTC))
MALFORMED = {
    "files/MANIFEST.md": "not an activity file",
    "files/expected.json": "not an activity file",
    "files/fittrackee_gpx_test.zip/fichier.doc": "empty",
    "files/gc_MetadataOnly.gpx": "no track points",
    "files/gpxpy_unicode_with_bom.gpx": "routes or waypoints",
    "files/sportslib_empty-sessions.fit": "empty",
    "files/togeojson_bad.gpx": "not valid numbers",
    "files/togeojson_bad.tcx": "not valid numbers",
}
FR945 = "sportslib_fr945_run_6782987395"


@pytest.fixture
def database(database_url: str) -> Any:
    db = open_database(database_url)
    yield db
    db.dispose()


def import_folder(database: Database, *paths: Path, **kwargs: Any) -> ImportSummary:
    return importing.import_paths(SqlUnitOfWork(database), CLOCK, list(paths), **kwargs)


def stored(database: Database) -> list[dict[str, Any]]:
    return [training.activity_document(a, UTC) for a in training.list_runs(SqlUnitOfWork(database))]


def iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_the_whole_folder_imports_with_reference_values_and_twice_changes_nothing(
    database: Database,
) -> None:
    first = import_folder(database, FILES)
    activities = stored(database)
    by_start = {iso(a["start_utc"]): a for a in activities}

    # Every session of every valid FIT file, with the values of its own session message.
    checked = 0
    for name, reference in expected().items():
        if reference.get("format") != "fit" or "error" in reference:
            continue
        for session in reference["sessions"]:
            if session["sport"] == "transition":
                continue
            activity = by_start[iso(session["start"])]
            assert activity["source"] == "fit", name
            stated = max(session["elapsed_s"], session["timer_s"])
            assert activity["elapsed_s"] == pytest.approx(stated, abs=0.06), name
            assert activity["distance_m"] == pytest.approx(session["distance_m"], abs=0.06), name
            if session["avg_hr"] is not None:
                assert activity["avg_hr"] == session["avg_hr"], name
            checked += 1
    assert checked == 22

    # Every valid GPX and TCX file is stored, or recognised as the same run as one that is.
    outcome: dict[str, int] = {}
    for item in [*first.stored, *first.duplicates]:  # a file's first activity, for its start
        outcome.setdefault(item.name, item.activity_id)
    ids = {a["id"] for a in activities}
    for name, reference in expected().items():
        if reference.get("format") not in ("gpx", "tcx") or not reference.get("points"):
            continue
        stored_as = FILES / name if (FILES / name).exists() else FILES / f"{name}.gz"
        assert outcome[f"files/{stored_as.name}"] in ids, name
        first_point = iso(reference["first_time"])
        activity = next(a for a in activities if a["id"] == outcome[f"files/{stored_as.name}"])
        assert abs((iso(activity["start_utc"]) - first_point).total_seconds()) < 60, name

    assert {s.name: s.reason for s in first.skipped}.keys() == MALFORMED.keys()
    for item in first.skipped:
        assert MALFORMED[item.name] in item.reason
    assert first.imported == len(activities) == 36
    assert first.samples == sum(
        len(a.streams)
        for item in (read_file(p.name, p.read_bytes()) for p in FILES.iterdir())
        for a in item
        if isinstance(a, Activity)
    ) - sum(  # the duplicates' samples are not stored
        len(a.streams)
        for name in (
            "fittrackee_gpx_test.zip",
            f"{FR945}.gpx.gz",
            f"{FR945}.tcx.gz",
            "sportslib_fr945_treadmill_6860622783.tcx.gz",
            "gc_10kUNLP2014-Garmin15.tcx.gz",
        )
        for a in read_file(name, (FILES / name).read_bytes())
        if isinstance(a, Activity) and not a.source_name.endswith("test_1.gpx")
    )

    second = import_folder(database, FILES)
    assert stored(database) == activities
    assert (second.imported, second.replaced) == (0, 0)
    assert len(second.duplicates) == len(first.stored) + len(first.duplicates)
    assert [s.name for s in second.skipped] == [s.name for s in first.skipped]


def test_a_file_already_imported_is_recognised_by_its_hash_without_decoding(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from backstride.ingest import reader

    decoded: list[str] = []

    def counting(read: Any) -> Any:
        def counted(data: bytes, name: str, sha256: str | None) -> Any:
            decoded.append(name)
            return read(data, name, sha256)

        return counted

    monkeypatch.setattr(
        reader, "_READERS", {kind: counting(read) for kind, read in reader._READERS.items()}
    )
    multisport = "fitparse_activity-large-fenxi2-multisport.fit"
    first = import_folder(database, FILES / multisport, FILES / f"{FR945}.fit")
    assert decoded == [multisport, f"{FR945}.fit"]
    assert first.imported == 5

    # The same bytes again, bare, and gzipped inside a zip: hashed, never decoded.
    decoded.clear()
    export = tmp_path / "export.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr(
            "activities/run.fit.gz", gzip.compress((FILES / f"{FR945}.fit").read_bytes())
        )
    again = import_folder(database, FILES / multisport, export)
    assert decoded == []
    assert (again.imported, again.replaced, again.skipped) == (0, 0, ())
    assert [(d.name, d.activity_id) for d in again.duplicates] == [
        *((multisport, item.activity_id) for item in first.stored[:4]),
        ("export.zip/activities/run.fit.gz", first.stored[4].activity_id),
    ]
    assert {d.reason for d in again.duplicates} == {"already imported (the same file)"}

    # Another source of a stored run holds no hash in the log: it is decoded and matched.
    other = import_folder(database, FILES / f"{FR945}.tcx.gz")
    assert decoded == [f"{FR945}.tcx.gz"]
    assert [d.activity_id for d in other.duplicates] == [first.stored[4].activity_id]


def test_one_run_as_gpx_tcx_and_fit_is_one_activity_keeping_the_richest(
    database: Database, tmp_path: Path
) -> None:
    uow = SqlUnitOfWork(database)
    gpx = import_folder(database, FILES / f"{FR945}.gpx.gz")
    (activity_id,) = [item.activity_id for item in gpx.stored]
    training.add_shoe(uow, "Trail pair")
    training.assign_shoe(uow, activity_id, "Trail pair")

    tcx = import_folder(database, FILES / f"{FR945}.tcx.gz")
    fit = import_folder(database, FILES / f"{FR945}.fit")
    again = import_folder(database, FILES / f"{FR945}.gpx.gz")
    assert [(s.outcome, s.activity_id) for s in tcx.stored] == [("replaced", activity_id)]
    assert [(s.outcome, s.activity_id) for s in fit.stored] == [("replaced", activity_id)]
    assert [d.activity_id for d in again.duplicates] == [activity_id]

    (only,) = training.list_runs(uow)
    assert only.id == activity_id
    assert only.source_format == "fit"
    assert only.shoe_name == "Trail pair"  # the runner's choice survives the better file
    assert only.name == "Sloatsburg Course"  # the GPX's name, which the FIT lacks
    assert only.utc_offset_s == -14400
    assert only.distance_m == pytest.approx(14004.85)


def test_streams_come_back_from_the_database_as_they_went_in(database: Database) -> None:
    name = "gc_fr955_14211916346_ACTIVITY.fit"
    summary = import_folder(database, FILES / name)
    (item,) = summary.stored
    (activity,) = read_file(name, original_bytes(name))
    assert isinstance(activity, Activity)
    streams = training.activity_streams(SqlUnitOfWork(database), item.activity_id)
    assert streams is not None
    assert streams == Streams.from_bytes(activity.streams.to_bytes())
    assert len(streams) == 6743
    assert streams.time_s.tolist() == activity.streams.time_s.tolist()
    assert np.array_equal(np.isnan(streams.lat), np.isnan(activity.streams.lat))
    assert np.nanmax(np.abs(streams.lat - activity.streams.lat)) < 1e-7  # 1e-7 degree storage
    assert np.nanmax(np.abs(streams.heart_rate - activity.streams.heart_rate)) == 0
    assert training.activity_streams(SqlUnitOfWork(database), 999) is None


def test_a_failed_write_costs_only_that_activity(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = SqlActivityRepository.write

    def failing(self: SqlActivityRepository, inserts: Any, replacements: Any) -> Any:
        bad = [d for d in inserts if "tormoder" in d.source_name]
        if bad:
            # Half the batch reaches the database before the failure: all of it must go.
            original(self, [d for d in inserts if d not in bad], replacements)
            raise RuntimeError("disk I/O error")
        return original(self, inserts, replacements)

    monkeypatch.setattr(SqlActivityRepository, "write", failing)
    summary = import_folder(database, FILES, batch_size=8)
    assert summary.imported == 35
    reasons = {s.name: s.reason for s in summary.skipped}
    assert reasons["files/tormoder_mornindew-broken.fit"] == (
        "could not be stored (RuntimeError: disk I/O error)"
    )
    rows = [(a["source_name"], a["start_utc"]) for a in stored(database)]
    assert len(rows) == len(set(rows)) == 35
    assert not any("tormoder" in name for name, _ in rows)


def test_an_interrupted_import_leaves_only_whole_activities_and_can_be_completed(
    database: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "watch"
    folder.mkdir()
    for name in sorted(p.name for p in FILES.glob("*.fit"))[:9]:
        shutil.copy(FILES / name, folder / name)

    def interrupt(state: ImportProgress) -> None:
        if state.imported == 7:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_folder(database, folder, batch_size=3, progress=interrupt)
    partial = training.list_runs(SqlUnitOfWork(database))
    assert len(partial) == 6  # two whole batches of three; the third never reached the database
    for activity in partial:
        streams = training.activity_streams(SqlUnitOfWork(database), activity.id)
        assert streams is not None
        assert len(streams) == activity.samples > 0

    finished = import_folder(database, folder)
    assert len(finished.duplicates) == len(partial)
    complete = {(a["source_name"], a["start_utc"]) for a in stored(database)}

    clean = open_database(f"sqlite:///{tmp_path / 'clean.sqlite'}")
    in_one_go = import_folder(clean, folder)
    assert {(a["source_name"], a["start_utc"]) for a in stored(clean)} == complete
    assert finished.imported + len(partial) == in_one_go.imported == len(complete) > 6
    clean.dispose()


def test_a_hand_entered_run_is_replaced_by_the_watch_file_of_the_same_run(
    database: Database,
) -> None:
    uow = SqlUnitOfWork(database)
    training.add_shoe(uow, "Road", default=True)
    start = datetime.fromisoformat("2019-06-15T06:00:00-04:00")
    added = training.add_manual_run(
        uow, CLOCK, training.ManualRun(start, 14.0, 4800, surface="trail", pain_0_10=3)
    )
    summary = import_folder(database, FILES / f"{FR945}.fit")
    assert [(s.outcome, s.activity_id) for s in summary.stored] == [("replaced", added.run.id)]
    (only,) = training.list_runs(uow)
    assert (only.manual, only.source_format, only.surface, only.pain_0_10) == (
        False,
        "fit",
        "trail",
        3,
    )
    assert only.shoe_name == "Road"


def test_imported_runs_go_to_the_default_pair_and_strava_gear_to_its_pair(
    database: Database,
) -> None:
    uow = SqlUnitOfWork(database)
    training.add_shoe(uow, "Daily", default=True)
    import_folder(database, FILES / "gc_Garmin920_withFirstbeat.fit")
    import_folder(database, FILES / "fitparse_2019-02-17-062644-ELEMNT-297E-195-0.fit")
    shoes = {a.sport: a.shoe_name for a in training.list_runs(uow)}
    assert shoes == {"running": "Daily", "cycling": None}


def test_the_migration_creates_exactly_the_mapped_tables(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = compare_metadata(context, Base.metadata)
    mine = [d for d in differences if any(t in repr(d) for t in ("activities", "shoes"))]
    assert mine == []
