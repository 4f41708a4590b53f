"""What a request gives the API: stored ids, dates and a JSON body, read the same way
by every route."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import Path, Query, Request

from backstride.services.limits import DATE_PATTERN, day_problem
from backstride.services.validation import Problem, parse_json_text

# A stored row's id: a positive 64-bit integer (larger ones cannot be bound to a query).
MAX_ROW_ID = 2**63 - 1
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="The stored item's id.")]


async def json_body(request: Request) -> Any:
    """The decoded body; a body that is not JSON is one problem at "$", as in the CLI."""
    raw = await request.body()
    return parse_json_text(raw.decode("utf-8", errors="replace"))


def day_query(description: str, alias: str | None = None) -> Any:
    """A date parameter: ISO text (YYYY-MM-DD), 1900-01-01 to 2999-12-31."""
    return Query(
        alias=alias,
        description=f"{description} YYYY-MM-DD, 1900-01-01 to 2999-12-31.",
        json_schema_extra={"format": "date", "pattern": DATE_PATTERN},
    )


def parse_days(**texts: str | None) -> tuple[dict[str, dt.date | None], list[Problem]]:
    """Each given date parsed and checked; the problems, at their parameter's name."""
    days: dict[str, dt.date | None] = {}
    problems: list[Problem] = []
    for name, text in texts.items():
        days[name] = None
        if text is None:
            continue
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            problems.append(Problem(name, f"expected a date like 2026-03-14 (got {text!r})"))
            continue
        problem = day_problem(day) if len(text) == 10 else "expected a date like 2026-03-14"
        if problem is not None:
            problems.append(Problem(name, problem))
        days[name] = day
    return days, problems
