"""The care policy's pieces: escalation thresholds in content, the flare (R13) on both
sides of every threshold, and the one place that decides "care now"."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from backstride.content.escalation import (
    FILE,
    load_escalation_thresholds,
    parse_escalation_thresholds,
)
from backstride.content.loader import ContentError, _content_files, content_root
from backstride.domain.recovery.escalation import Baseline, Measure, flare_of, recent_level
from tests.builders import checkin
from tests.builders import session as ran

T = load_escalation_thresholds()
DAY0 = dt.date(2026, 3, 2)
SRC = Path(__file__).resolve().parents[3] / "src" / "backstride"


def day(n: int) -> dt.date:
    return DAY0 + dt.timedelta(days=n)


def test_the_thresholds_come_from_content_and_the_content_version_covers_them() -> None:
    raw = yaml.safe_load(content_root().joinpath(FILE).read_text())
    sources = {"childs2005", "farrar2001", "kamper2010", "nice_ng59", "stratford1995", "abbott2014"}
    assert parse_escalation_thresholds(raw, sources) == T
    assert (T.flare_rise_points, T.flare_any_score, T.flare_window_days) == (4, 8, 14)
    assert T.min_checkins_per_week == 2
    covered = {path for path, _ in _content_files(content_root(), "", (".yaml",))}
    assert FILE in covered


def test_a_broken_thresholds_file_is_refused_naming_each_problem() -> None:
    raw = yaml.safe_load(content_root().joinpath(FILE).read_text())
    raw["thresholds"].pop("flare_any_score")
    raw["thresholds"]["flare_window_days"]["value"] = 14.5
    raw["thresholds"]["made_up"] = {"value": 1, "kind": "heuristic", "sources": ["x"], "note": ""}
    with pytest.raises(ContentError) as error:
        parse_escalation_thresholds(raw, {"childs2005", "nice_ng59"})
    message = str(error.value)
    for problem in ("lacks 'flare_any_score'", "unknown 'made_up'", "whole number", "'x'"):
        assert problem in message
    assert {f.name for f in dataclasses.fields(T)} >= {"flare_rise_points"}


@pytest.mark.parametrize(
    ("today", "flares"), [(6, False), (7, True), (8, True)], ids=["rise 3", "rise 4", "8"]
)
def test_a_rise_of_4_over_the_median_or_a_score_of_8_is_a_flare(today: int, flares: bool) -> None:
    earlier = [checkin(day(1), 3), checkin(day(2), 2), checkin(day(3), 4)]  # median 3
    assert (flare_of(checkin(day(4), today), earlier, T) is not None) is flares


def test_the_recent_level_is_the_median_of_14_days_else_the_assessment() -> None:
    baseline = Baseline(day(0), 0, assessed_now=2, assessed_worst=6)
    old = checkin(day(-20), 9)  # outside the 14 days
    assert recent_level([old, checkin(day(1), 3)], day(5), Measure.PAIN_NOW, T, baseline) == 2
    assert recent_level([old, checkin(day(1), 3)], day(5), Measure.WORST_24H, T, baseline) == 6
    two = [checkin(day(1), 3), checkin(day(2), 5)]
    assert recent_level(two, day(5), Measure.PAIN_NOW, T, baseline) == 4
    assert recent_level([checkin(day(1), 3)], day(5), Measure.AFTER_RUN, T, None) is None
    # With nothing to compare with, only a score of 8 or more is a flare.
    assert flare_of(checkin(day(5), 7), [], T) is None
    assert flare_of(checkin(day(5), 8), [], T) is not None
    assert flare_of(checkin(day(5), 6), [], T, baseline) is not None  # 4 above the assessment's 2


def test_pain_after_running_is_compared_with_runs_only() -> None:
    runs = [
        checkin(day(1), 1, 2, session=ran(during=2, after=2)),
        checkin(day(3), 1, 2, session=ran(during=2, after=2)),
        checkin(day(4), 1),
    ]
    found = flare_of(checkin(day(5), 1, 6, session=ran(during=2, after=6)), runs, T)
    assert found is not None
    assert [m.measure for m in found.measures] == [Measure.WORST_24H, Measure.AFTER_RUN]


def test_the_care_now_decision_is_made_in_one_place() -> None:
    """`grep` finds the emergency-or-urgent comparison only in domain/vocabulary.py."""
    pattern = re.compile(r"""in \(\s*["']emergency["'],\s*["']urgent["']\s*\)""")
    found = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*")
        if path.suffix in (".py", ".html") and pattern.search(path.read_text())
    ]
    assert found == []
    levels = (SRC / "domain" / "vocabulary.py").read_text()
    assert 'CARE_NOW_LEVELS: frozenset[str] = frozenset({"urgent", "emergency"})' in levels
