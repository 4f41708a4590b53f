"""Human units in the terminal: km, h:mm:ss, min:ss per km, dates with the year."""

from __future__ import annotations

import datetime as dt

import pytest

from backstride.cli import formatting
from backstride.cli.runs import SURFACES
from backstride.services.training import SURFACES as SERVICE_SURFACES


@pytest.mark.parametrize(
    ("metres", "shown"),
    [(7279, "7.28"), (9994, "9.99"), (10_000, "10.0"), (14_005, "14.0"), (0, "0.00"), (None, "-")],
)
def test_kilometres_with_two_decimals_under_10_km_and_one_above(
    metres: float | None, shown: str
) -> None:
    assert formatting.km(metres) == shown


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(2071, "0:34:31"), (3930, "1:05:30"), (59.6, "0:01:00"), (0, "0:00:00"), (None, "-")],
)
def test_durations_are_h_mm_ss(seconds: float | None, shown: str) -> None:
    assert formatting.duration(seconds) == shown


@pytest.mark.parametrize(
    ("seconds", "metres", "shown"),
    [(2071, 7279, "4:45"), (3930, 12_500, "5:14"), (1800, 0, "-"), (0, 5000, "-"), (None, 1, "-")],
)
def test_paces_are_min_ss_per_km(seconds: float | None, metres: float | None, shown: str) -> None:
    assert formatting.pace(seconds, metres) == shown


def test_dates_always_carry_the_year() -> None:
    moment = dt.datetime(2026, 3, 1, 7, 5, tzinfo=dt.UTC)
    assert formatting.dated(moment) == "1 Mar 2026 07:05"
    assert formatting.long_date(moment.date()) == "Sunday 1 March 2026"
    assert formatting.short_date(moment.date()) == "1 Mar"


def test_the_first_sentence_of_a_reason() -> None:
    assert formatting.first_sentence("Builds strength. Then more.") == "Builds strength."
    assert formatting.first_sentence("One sentence only") == "One sentence only"


def test_run_add_help_lists_the_surfaces_the_service_takes() -> None:
    assert SURFACES == SERVICE_SURFACES
