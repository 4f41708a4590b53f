"""The import over the fake unit of work: duplicates, the richer source, failures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from backstride.services import importing, training
from backstride.services.clock import FixedClock
from backstride.services.ports import ActivityData
from tests.builders import gpx
from tests.fakes import FakeUnitOfWork

CLOCK = FixedClock(dt.datetime(2026, 3, 14, 9, 0, tzinfo=dt.UTC))
MORNING = dt.datetime(2026, 3, 13, 7, 0, tzinfo=dt.UTC)


def test_a_file_is_imported_once_and_again_is_a_duplicate() -> None:
    uow = FakeUnitOfWork()
    first = importing.import_bytes(uow, CLOCK, "run.gpx", gpx(MORNING))
    assert (first.imported, first.replaced, len(first.duplicates)) == (1, 0, 0)
    again = importing.import_bytes(uow, CLOCK, "run.gpx", gpx(MORNING))
    assert (again.imported, len(again.duplicates)) == (0, 1)
    assert again.duplicates[0].reason == "already imported (the same file)"
    runs = training.list_runs(uow)
    assert len(runs) == 1
    assert runs[0].distance_m == pytest.approx(5_000, rel=0.01)
    assert training.activity_streams(uow, runs[0].id) is not None


def test_the_same_run_from_a_richer_file_replaces_the_poorer_in_place() -> None:
    uow = FakeUnitOfWork()
    poor = importing.import_bytes(uow, CLOCK, "phone.gpx", gpx(MORNING, creator="phone"))
    rich = importing.import_bytes(
        uow, CLOCK, "watch.gpx", gpx(MORNING + dt.timedelta(seconds=40), heart_rate=True)
    )
    assert rich.replaced == 1
    assert rich.stored[0].activity_id == poor.stored[0].activity_id
    assert rich.stored[0].replaced_source == "phone.gpx"
    # The poorer file again is the same run as the richer one kept.
    back = importing.import_bytes(uow, CLOCK, "phone-2.gpx", gpx(MORNING, km=5.05, creator="b"))
    assert back.duplicates[0].reason.startswith("the same run as watch.gpx")
    assert [r.source_name for r in training.list_runs(uow)] == ["watch.gpx"]


def test_another_run_the_same_morning_is_its_own_activity() -> None:
    uow = FakeUnitOfWork()
    importing.import_bytes(uow, CLOCK, "a.gpx", gpx(MORNING))
    later = importing.import_bytes(uow, CLOCK, "b.gpx", gpx(MORNING + dt.timedelta(hours=1)))
    assert later.imported == 1
    assert [r.source_name for r in training.list_runs(uow)] == ["b.gpx", "a.gpx"]


def test_a_failing_batch_is_retried_one_activity_at_a_time(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    uow = FakeUnitOfWork()
    write = type(uow.activities).write
    calls: list[int] = []

    def flaky(self: object, inserts: list[ActivityData], replacements: list[object]) -> object:
        calls.append(len(inserts))
        if any(d.source_name == "bad.gpx" for d in inserts):
            raise RuntimeError("disk full\nmore detail")
        return write(self, inserts, replacements)

    monkeypatch.setattr(type(uow.activities), "write", flaky)
    (tmp_path / "good.gpx").write_bytes(gpx(MORNING))
    (tmp_path / "bad.gpx").write_bytes(gpx(MORNING + dt.timedelta(hours=3)))
    summary = importing.import_paths(uow, CLOCK, [tmp_path / "bad.gpx", tmp_path / "good.gpx"])
    assert calls == [2, 1, 1]  # the batch, then each alone
    assert [s.name for s in summary.stored] == ["good.gpx"]
    assert summary.skipped[0].reason == "could not be stored (RuntimeError: disk full)"
    assert [r.source_name for r in training.list_runs(uow)] == ["good.gpx"]


def test_several_uploads_are_one_summary_in_upload_order() -> None:
    uow = FakeUnitOfWork()
    summary = importing.import_uploads(
        lambda: uow,
        CLOCK,
        [
            ("a.gpx", gpx(MORNING)),
            ("notes.txt", b"not a run"),
            ("a-again.gpx", gpx(MORNING)),
        ],
    )
    assert summary.files == 3
    assert [s.name for s in summary.stored] == ["a.gpx"]
    assert [d.name for d in summary.duplicates] == ["a-again.gpx"]
    assert [s.name for s in summary.skipped] == ["notes.txt"]
    assert summary.samples > 0
