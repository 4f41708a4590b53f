"""Bounds on what one request or command may ask for, so every answer has a bounded cost.

Dates: a check-in, a report or a day to plan must lie between :data:`FIRST_DAY`
and :data:`LAST_DAY`. Date arithmetic near year 1 or 9999 overflows, and no
runner's record needs it. A report covers at most :data:`MAX_REPORT_DAYS`.

Problems: the command line prints at most :data:`MAX_PROBLEMS_SHOWN` problems
(then "… and N more"), and the API returns at most as many in a 422.
"""

from __future__ import annotations

import datetime as dt

FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)
# Five years (with leap days): the longest progress or load report one request gives.
MAX_REPORT_DAYS = 5 * 366
MAX_PROBLEMS_SHOWN = 50
# The pattern the OpenAPI document gives every bounded date (1900-01-01 to 2999-12-31).
DATE_PATTERN = r"^(19\d\d|2\d\d\d)-\d\d-\d\d$"


def day_problem(day: dt.date) -> str | None:
    """Why ``day`` cannot be used, or None when it can."""
    if FIRST_DAY <= day <= LAST_DAY:
        return None
    return f"must be between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()} (got {day})"


def range_problem(start: dt.date, end: dt.date) -> str | None:
    """Why a report from ``start`` to ``end`` cannot be made, or None when it can."""
    if end < start:
        return f"the report cannot start ({start}) after it ends ({end})"
    if (end - start).days + 1 > MAX_REPORT_DAYS:
        return (
            f"a report covers at most {MAX_REPORT_DAYS} days (five years); "
            f"{start} to {end} is {(end - start).days + 1} days"
        )
    return None


def capped(lines: list[str], limit: int = MAX_PROBLEMS_SHOWN) -> list[str]:
    """The first ``limit`` lines, then one saying how many more were left out."""
    if len(lines) <= limit:
        return lines
    return [*lines[:limit], f"… and {len(lines) - limit} more"]
