"""Dates, distances, durations and paces as the terminal shows them.

Human units for the tables (``--format json`` keeps the raw numbers): kilometres
with two decimals under 10 km and one from 10 km, durations as h:mm:ss, paces as
min:ss per km. Standard library only: imported when the command line starts.
"""

from __future__ import annotations

import datetime as dt
import math


def short_date(day: dt.date) -> str:
    """'4 Mar', for charts and tables whose heading says the year."""
    return f"{day.day} {day:%b}"


def long_date(day: dt.date) -> str:
    """'Monday 4 March 2024'."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def dated(moment: dt.datetime) -> str:
    """'4 Mar 2024 07:30': always with the year, so a log spanning years reads the same."""
    return f"{moment.day} {moment:%b %Y %H:%M}"


def km(metres: float | None) -> str:
    """'7.28' under 10 km, '12.5' from 10 km; '-' when unknown."""
    if metres is None or not math.isfinite(metres):
        return "-"
    kilometres = metres / 1000
    return f"{kilometres:.2f}" if kilometres < 10 else f"{kilometres:.1f}"


def duration(seconds: float | None) -> str:
    """'0:45:30' or '1:05:30' (h:mm:ss); '-' when unknown."""
    if seconds is None or not math.isfinite(seconds) or seconds < 0:
        return "-"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def pace(seconds: float | None, metres: float | None) -> str:
    """'5:26' (min:ss per kilometre); '-' without a time or a distance."""
    if not seconds or not metres or seconds <= 0 or metres <= 0:
        return "-"
    if not (math.isfinite(seconds) and math.isfinite(metres)):
        return "-"
    minutes, secs = divmod(round(seconds / (metres / 1000)), 60)
    return f"{minutes}:{secs:02d}"


def first_sentence(text: str) -> str:
    """The first sentence of a reason: a table stays readable, `--format json` has it all."""
    head, dot, _ = text.partition(". ")
    return head + dot.strip() if dot else text
