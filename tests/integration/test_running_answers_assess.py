"""The running answers measured from the log fill an intake, and the assessment's
contributing factors then say that their numbers were measured."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from backstride.adapters.db.database import open_database
from backstride.adapters.db.unit_of_work import SqlUnitOfWork
from backstride.domain.recovery.checkin import CheckinDocument
from backstride.services import assessing, training
from backstride.services.ports import ActivityData, SavedCheckin
from tests import builders
from tests.builders import checkin_document

TODAY = date(2026, 3, 14)
CLOCK_NOW = datetime(2026, 3, 14, 18, 0, tzinfo=UTC)


def watch_run(days_ago: int, km: float, cadence: float, shoe_id: int | None) -> ActivityData:
    start = datetime(2026, 3, 14, 7, 0, tzinfo=UTC) - timedelta(days=days_ago)
    return ActivityData(
        sport="running",
        start_utc=start,
        utc_offset_s=0,
        elapsed_s=km * 360,
        moving_s=km * 350,
        timer_s=km * 355,
        distance_m=km * 1000,
        ascent_m=40.0,
        avg_hr=150.0,
        max_hr=170.0,
        avg_cadence_spm=cadence,
        device="Garmin fr945",
        name=None,
        gear=None,
        source_format="fit",
        source_sha256=f"{days_ago:064d}",
        source_name=f"run-{days_ago}.fit",
        source_index=0,
        richness=6,
        samples=int(km * 350),
        warnings=(),
        streams=None,
        imported_at=CLOCK_NOW,
        shoe_id=shoe_id,
    )


@pytest.fixture
def uow(tmp_path: Path) -> SqlUnitOfWork:
    return SqlUnitOfWork(open_database(f"sqlite:///{tmp_path / 'log.sqlite'}"))


def test_a_log_with_a_spike_low_cadence_and_worn_shoes_fills_the_intake(
    uow: SqlUnitOfWork,
) -> None:
    shoe = training.add_shoe(uow, "Old faithful", started_km=750, default=True)
    # Four ordinary weeks of 10 km, then a 27 km week; cadence around 152 steps a minute.
    runs = [
        watch_run(d, 5, 152, shoe.id) for week in range(1, 5) for d in (week * 7 + 1, week * 7 + 6)
    ]
    runs += [watch_run(d, 9, 150, shoe.id) for d in (1, 3, 5)]
    with uow:
        uow.activities.write(runs, [])
        uow.commit()

    values, measured = training.running_answers(uow, TODAY)
    assert values["km_last_week"] == 27
    assert values["km_per_week_before"] == 10
    assert values["shoe_km"] == 817
    assert values["cadence_spm"] == 152
    assert set(measured) == {f"running.{name}" for name in values}

    base = builders.intake(running={"years_running": 3, "warms_up": True})
    intake = training.with_running_answers(assessing.parse_intake(base), values)
    assert intake.running is not None
    assert intake.running.years_running == 3  # the runner's own answers stay
    assessment = assessing.assess_intake(intake, measured=measured)
    factors = {f.id: f.detail for f in assessment.contributing_factors}
    for factor in ("load_spike", "worn_shoes", "low_cadence_overstriding"):
        assert "measured" in factors[factor], factors[factor]
    assert "27.0 km in 3 runs" in factors["load_spike"]
    assert "Old faithful" in factors["worn_shoes"]


def test_an_empty_log_answers_nothing(uow: SqlUnitOfWork) -> None:
    assert training.running_answers(uow, TODAY) == ({}, {})


def test_pain_against_load_reads_the_checkins_and_the_log(uow: SqlUnitOfWork) -> None:
    # Runs every other day, alternately 12 and 5 km; next-morning pain 5, 3, and 2 after rest.
    def km(days_ago: int) -> float:
        return 12 if days_ago % 4 == 1 else 5

    runs = [watch_run(d, km(d), 165, None) for d in range(1, 29, 2)]
    with uow:
        uow.activities.write(runs, [])
        for days_ago in range(1, 29):
            day = TODAY - timedelta(days=days_ago)
            pain = (5 if km(days_ago) == 12 else 3) if days_ago % 2 else 2
            document = CheckinDocument.model_validate(
                checkin_document(day, 2, 3, next_morning_pain_0_10=pain)
            )
            uow.checkins.put(SavedCheckin(day=day, recorded_at=CLOCK_NOW, document=document))
        uow.commit()

    report = training.pain_vs_load(uow, TODAY)
    assert report.enough
    assert len(report.pairs) == 28
    assert {g.label: g.mean_pain for g in report.groups} == {
        "run days": 4,
        "rest days": 2,
        "runs up to 8.5 km": 3,
        "runs over 8.5 km": 5,
    }
    assert report.correlation is not None
    assert report.correlation > 0.8
    document = training.load_document(training.load_report(uow, TODAY), pain_days=True)
    assert document["pain_vs_load"]["paired_days"] == 28
    assert len(document["pain_vs_load"]["days"]) == 28
