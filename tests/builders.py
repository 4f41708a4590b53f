"""Builders for the values tests make over and over: check-ins, runs, intakes, files.

Each builds a valid value with ordinary defaults; a test names only what it is about.

* ``checkin`` / ``session``: a day's ``CheckIn`` and the session in it (the domain).
* ``checkin_document``: the same as a ``backstride.checkin/1`` JSON document (services,
  storage, the API).
* ``run``: a ``Session`` of the training log (domain/training/load.py).
* ``intake``: the reference new runner (``tests/spec/examples``) with sections changed.
* ``gpx``: the bytes of a small GPX file of one run, for the import.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from functools import cache
from typing import Any

from backstride.domain.recovery.checkin import (
    CHECKIN_SCHEMA_ID,
    CheckIn,
    SessionDone,
    SessionKind,
)
from backstride.domain.training.load import Session
from backstride.services.ports import ActivityData
from tests.conftest import ROOT

# --- check-ins -------------------------------------------------------------------------


def session(
    kind: SessionKind = SessionKind.RUN,
    minutes: int = 20,
    *,
    during: int | None = None,
    after: int | None = None,
    km: float | None = None,
) -> SessionDone:
    """A walk-run, run or other session done that day, with its pain if given."""
    return SessionDone(kind, minutes, km, pain_during_0_10=during, pain_after_0_10=after)


def checkin(day: dt.date, pain: int = 2, worst: int | None = None, **fields: Any) -> CheckIn:
    """A day's check-in: pain now, the worst in 24 h (at least ``pain``) and any other field."""
    return CheckIn(
        day=day,
        pain_now_0_10=pain,
        worst_24h_0_10=max(pain, worst if worst is not None else pain),
        **fields,
    )


def checkin_document(day: dt.date, pain: int = 3, worst: int = 4, **fields: Any) -> dict[str, Any]:
    """A ``backstride.checkin/1`` document (pain 3 now, 4 at worst unless told)."""
    return {
        "schema": CHECKIN_SCHEMA_ID,
        "date": day.isoformat(),
        "pain_now_0_10": pain,
        "worst_24h_0_10": worst,
        **fields,
    }


# --- runs --------------------------------------------------------------------------------


def run(day: dt.date, km: float, minutes: float = 0, **fields: Any) -> Session:
    """A run in the training log; without ``minutes``, at 6 min/km."""
    return Session(
        day=day,
        sport=str(fields.pop("sport", "running")),
        distance_km=km,
        duration_s=(minutes or km * 6) * 60,
        **fields,
    )


def gpx(
    start: dt.datetime,
    km: float = 5.0,
    minutes: int = 30,
    *,
    heart_rate: bool = False,
    creator: str = "tests",
) -> bytes:
    """A GPX file of one run due north from 45°N, a point every 10 s (heart rate if asked)."""
    steps = minutes * 6
    degrees = km / 111.2  # a degree of latitude is about 111.2 km
    points = []
    for i in range(steps + 1):
        at = (start + dt.timedelta(seconds=10 * i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        extra = f"<extensions><heartrate>{140 + i % 10}</heartrate></extensions>"
        points.append(
            f'<trkpt lat="{45 + degrees * i / steps:.7f}" lon="6.0000000">'
            f"<ele>400</ele><time>{at}</time>{extra if heart_rate else ''}</trkpt>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<gpx version="1.1" creator="{creator}" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><name>Run</name><type>running</type><trkseg>{''.join(points)}</trkseg></trk></gpx>"
    ).encode()


# --- intakes -----------------------------------------------------------------------------


@cache
def hand_entered_runs(count: int, last: dt.datetime) -> list[ActivityData]:
    """``count`` 30-minute runs entered by hand, one a day back from ``last``, each a metre
    longer than the day after it (so every run is told apart)."""
    blank = dict.fromkeys(("ascent_m", "avg_hr", "max_hr", "avg_cadence_spm", "device"))
    blank.update(name=None, gear=None, source_sha256=None, streams=None)
    return [
        ActivityData(
            **blank,
            sport="running",
            start_utc=last - dt.timedelta(days=n),
            utc_offset_s=0,
            elapsed_s=1800.0,
            moving_s=1800.0,
            timer_s=1800.0,
            distance_m=5000.0 + n,
            source_format="manual",
            source_name="entered by hand",
            source_index=0,
            richness=0,
            samples=0,
            warnings=(),
            imported_at=last,
            manual=True,
        )
        for n in range(count)
    ]


def write_runs(db_url: str, runs: list[ActivityData]) -> None:
    """Store ``runs`` in the database at ``db_url`` in one transaction."""
    from backstride.bootstrap import open_storage

    storage = open_storage(db_url)
    with storage.unit_of_work() as uow:
        uow.activities.write(runs, [])
        uow.commit()
    storage.dispose()


def _example(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((ROOT / f"tests/spec/examples/{name}.json").read_text())
    return loaded


def intake(example: str = "new-runner", **sections: Any) -> dict[str, Any]:
    """An example intake (a fresh copy) with sections changed: a dict updates the
    section, anything else replaces it (``function=[...]``)."""
    document = copy.deepcopy(_example(example))
    for name, values in sections.items():
        if isinstance(values, dict) and isinstance(document.get(name), dict):
            document[name].update(values)
        else:
            document[name] = values
    return document
