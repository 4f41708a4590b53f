"""Read the `activities.csv` of a Strava bulk export.

Strava writes some column names twice with different units: the first "Distance" is
kilometres and the second metres, the first "Elapsed Time" and the second are both
seconds but from different sources, and so on. A dict-based reader silently keeps only
the last of each, so this reads rows by position and looks columns up by the *first*
occurrence of a name. Only what the activity files lack is taken from it: the name the
athlete gave, the type they chose, and the gear.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Final

from backstride.ingest import sports

CSV_NAME: Final = "activities.csv"
_MAX_FIELD: Final = 1 << 20  # descriptions can be long, but not megabytes


@dataclass(frozen=True)
class StravaActivity:
    activity_id: str
    name: str | None
    sport: str | None
    gear: str | None


def is_strava_csv(path: str) -> bool:
    return PurePosixPath(path).name.lower() == CSV_NAME


def read_activities_csv(data: bytes) -> dict[str, StravaActivity]:
    """Map each export file path (e.g. 'activities/123.fit.gz') to what Strava knows.

    Returns an empty mapping for a CSV without the needed columns; a broken metadata
    file must not stop the activities themselves from being imported.
    """
    text = data.decode("utf-8-sig", errors="replace")
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(rows)
    except (StopIteration, csv.Error):
        return {}
    column = _first_positions(header)
    if "Filename" not in column:
        return {}
    found: dict[str, StravaActivity] = {}
    try:
        for row in rows:
            filename = _cell(row, column, "Filename")
            if not filename:
                continue  # activities entered by hand have no file
            found[_normalise(filename)] = StravaActivity(
                activity_id=_cell(row, column, "Activity ID") or "",
                name=_cell(row, column, "Activity Name"),
                sport=sports.from_word(_cell(row, column, "Activity Type")),
                gear=_cell(row, column, "Activity Gear"),
            )
    except csv.Error:
        return found
    return found


def lookup(index: dict[str, StravaActivity], member_path: str) -> StravaActivity | None:
    """Find the CSV row for a member path, whatever folder the export was unpacked under."""
    path = _normalise(member_path)
    while path:
        if path in index:
            return index[path]
        _, _, path = path.partition("/")
    return None


def _first_positions(header: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for position, name in enumerate(header):
        positions.setdefault(name.strip(), position)
    return positions


def _cell(row: list[str], column: dict[str, int], name: str) -> str | None:
    position = column.get(name)
    if position is None or position >= len(row):
        return None
    value = row[position].strip()
    return value[:_MAX_FIELD] or None


def normalise(path: str) -> str:
    """A member or CSV path as both are compared (forward slashes, no leading "./")."""
    return _normalise(path)


def _normalise(path: str) -> str:
    return path.strip().replace("\\", "/").lstrip("./")
