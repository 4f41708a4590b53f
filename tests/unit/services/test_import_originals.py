"""The import keeps each activity's original file, as read, once per content hash."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from backstride.ingest.originals import kept_name
from backstride.services import importing
from backstride.services.clock import FixedClock
from tests.builders import gpx
from tests.fakes import FakeUnitOfWork

CLOCK = FixedClock(dt.datetime(2026, 3, 14, 9, 0, tzinfo=dt.UTC))
MORNING = dt.datetime(2026, 3, 13, 7, 0, tzinfo=dt.UTC)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in members.items():
            archive.writestr(path, data)
    return buffer.getvalue()


def test_a_file_is_kept_with_its_activity_and_once_however_often_it_is_imported() -> None:
    uow = FakeUnitOfWork()
    data = gpx(MORNING)
    importing.import_bytes(uow, CLOCK, "run.gpx", data)
    assert uow.sources.hashes() == [sha(data)]
    assert uow.sources.get(sha(data)) == ("run.gpx", data)
    stored_at = uow.committed.sources[sha(data)][2]
    assert stored_at == CLOCK.now()

    again = importing.import_bytes(uow, CLOCK, "again.gpx", data)
    assert again.imported == 0
    assert uow.sources.hashes() == [sha(data)]
    assert uow.sources.get(sha(data)) == ("run.gpx", data)


def test_a_gzip_file_is_kept_unwrapped_without_its_suffix() -> None:
    uow = FakeUnitOfWork()
    data = gpx(MORNING)
    importing.import_bytes(uow, CLOCK, "run.gpx.gz", gzip.compress(data))
    assert uow.sources.get(sha(data)) == ("run.gpx", data)
    (run,) = uow.activities.list()
    assert run.source_sha256 == sha(data)


def test_an_archive_member_is_kept_as_read_named_by_its_path_in_the_archive() -> None:
    uow = FakeUnitOfWork()
    first, second = gpx(MORNING), gpx(MORNING + dt.timedelta(days=1))
    archive = zipped(
        {
            "activities/1.gpx.gz": gzip.compress(first),
            "activities/2.gpx": second,
            "notes.txt": b"not an activity",
        }
    )
    summary = importing.import_bytes(uow, CLOCK, "export.zip", archive)
    assert summary.imported == 2
    assert uow.sources.hashes() == sorted([sha(first), sha(second)])
    assert uow.sources.get(sha(first)) == ("activities/1.gpx", first)
    assert uow.sources.get(sha(second)) == ("activities/2.gpx", second)


def test_a_file_whose_run_is_already_kept_from_a_richer_file_is_not_kept() -> None:
    uow = FakeUnitOfWork()
    rich = gpx(MORNING, heart_rate=True)
    importing.import_bytes(uow, CLOCK, "watch.gpx", rich)
    poor = gpx(MORNING, km=5.02, creator="phone")
    summary = importing.import_bytes(uow, CLOCK, "phone.gpx", poor)
    assert len(summary.duplicates) == 1
    assert uow.sources.hashes() == [sha(rich)]


def test_a_richer_file_replacing_a_run_is_kept_beside_the_first() -> None:
    uow = FakeUnitOfWork()
    poor = gpx(MORNING, creator="phone")
    rich = gpx(MORNING + dt.timedelta(seconds=40), heart_rate=True)
    importing.import_bytes(uow, CLOCK, "phone.gpx", poor)
    assert importing.import_bytes(uow, CLOCK, "watch.gpx", rich).replaced == 1
    assert uow.sources.hashes() == sorted([sha(poor), sha(rich)])


def test_files_of_a_folder_are_kept_by_their_path(tmp_path: Path) -> None:
    uow = FakeUnitOfWork()
    folder = tmp_path / "runs"
    (folder / "march").mkdir(parents=True)
    data = gpx(MORNING)
    (folder / "march" / "a.gpx").write_bytes(data)
    importing.import_paths(uow, CLOCK, [folder])
    assert uow.sources.get(sha(data)) == ("runs/march/a.gpx", data)


def test_when_the_activities_cannot_be_stored_nor_is_the_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    uow = FakeUnitOfWork()

    def refuse(*_: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(type(uow.activities), "write", refuse)
    summary = importing.import_bytes(uow, CLOCK, "run.gpx", gpx(MORNING))
    assert summary.imported == 0
    assert uow.sources.hashes() == []


@pytest.mark.parametrize(
    ("upload", "display", "kept"),
    [
        ("run.fit", "run.fit", "run.fit"),
        ("run.fit.gz", "run.fit.gz", "run.fit"),
        ("export.zip", "export.zip/activities/1.fit.gz", "activities/1.fit"),
        ("export.zip", "export.zip/inner.zip/a.TCX.GZ", "inner.zip/a.TCX"),
        ("folder/x.zip", "folder/x.zip/a.gpx", "a.gpx"),
        (".gz", ".gz", ".gz"),
    ],
)
def test_kept_names(upload: str, display: str, kept: str) -> None:
    assert kept_name(upload, display) == kept
