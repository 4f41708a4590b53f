"""The same run exported as FIT, GPX and TCX imports to the same start and distance,
so duplicate detection can recognise it whichever file arrives first."""

from __future__ import annotations

import pytest

from backstride.ingest import Activity, read_file
from tests.unit.ingest.conftest import original_bytes


def the_activity(name: str) -> Activity:
    (activity,) = read_file(name, original_bytes(name))
    assert isinstance(activity, Activity)
    return activity


@pytest.mark.parametrize(
    ("fit_name", "other_name"),
    [
        ("sportslib_fr945_run_6782987395.fit", "sportslib_fr945_run_6782987395.gpx"),
        ("sportslib_fr945_run_6782987395.fit", "sportslib_fr945_run_6782987395.tcx"),
        ("sportslib_fr945_treadmill_6860622783.fit", "sportslib_fr945_treadmill_6860622783.tcx"),
        ("gc_10kUNLP2014-Garmin15.fit", "gc_10kUNLP2014-Garmin15.tcx"),
    ],
)
def test_same_activity_in_two_formats_matches(fit_name: str, other_name: str) -> None:
    fit, other = the_activity(fit_name), the_activity(other_name)
    assert abs((fit.start_utc - other.start_utc).total_seconds()) <= 1
    assert other.elapsed_s == pytest.approx(fit.elapsed_s, abs=2)
    # GPX has no distance field: the haversine length of the GPS points is ~1% longer
    # than the watch's own (smoothed) distance.
    assert other.distance_m == pytest.approx(fit.distance_m, rel=0.02)
    if fit.avg_hr is not None:
        assert other.avg_hr == pytest.approx(fit.avg_hr, abs=1)
    if fit.avg_cadence_spm is not None and other.avg_cadence_spm is not None:
        assert other.avg_cadence_spm == pytest.approx(fit.avg_cadence_spm, rel=0.05)


def test_the_fit_file_is_the_richest_of_the_three_exports() -> None:
    stem = "sportslib_fr945_run_6782987395"
    fit, gpx, tcx = (the_activity(f"{stem}.{ext}") for ext in ("fit", "gpx", "tcx"))
    assert fit.streams.richness() >= tcx.streams.richness() > gpx.streams.richness()
