"""Whether two recordings are the same run, and which of them to keep.

One run often reaches the log twice: a watch's FIT file and the phone app's GPX, a
Strava export holding a file imported before, or a run typed in by hand and then
imported from the watch. The rules, pure and deterministic:

* **Two recordings** are the same run when they start within `START_TOLERANCE` and
  their distances agree within `DISTANCE_TOLERANCE` (at least
  `DISTANCE_TOLERANCE_MIN_M`). Without a distance on either side, their elapsed times
  agree within `ELAPSED_TOLERANCE` (at least `ELAPSED_TOLERANCE_MIN_S`). One with a
  distance and one without are never the same run.
* **A hand-entered run** has no exact start: it matches a recording on the same local
  day (by the hand-entered run's UTC offset) whose distance agrees within
  `MANUAL_DISTANCE_TOLERANCE` (at least `MANUAL_DISTANCE_TOLERANCE_MIN_M`). One typed
  without a distance (a check-in's run gives only its minutes) matches a recording on
  that day whose elapsed time agrees within `MANUAL_ELAPSED_TOLERANCE` (at least
  `MANUAL_ELAPSED_TOLERANCE_MIN_S`).
* **The richer is kept** (`richer`): any file over a hand-entered run, then more stream
  channels, then FIT over TCX over GPX (FIT carries the device's own totals), then
  more samples. A tie keeps the one already in the log.
* **Of several matches** the nearest is taken (`nearness`): closest start, then
  closest distance.

The import (``services.importing``) indexes the log and applies these rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final, Protocol

# A FIT session's start and the first GPX point of the same run differ by seconds; a
# phone app and a watch recording one run start within a minute or two of each other.
START_TOLERANCE: Final = timedelta(minutes=5)
# GPX distance is the point-to-point length, about 1% longer than the watch's smoothed
# distance; two GPS devices on one run differ by a few percent.
DISTANCE_TOLERANCE: Final = 0.05
DISTANCE_TOLERANCE_MIN_M: Final = 150.0
ELAPSED_TOLERANCE: Final = 0.10
ELAPSED_TOLERANCE_MIN_S: Final = 120.0
# Hand-entered distances are rounded ("about 8 km").
MANUAL_DISTANCE_TOLERANCE: Final = 0.10
MANUAL_DISTANCE_TOLERANCE_MIN_M: Final = 300.0
# Hand-entered minutes are rounded too ("about half an hour"), and a watch's elapsed
# time counts the pauses a check-in's minutes leave out.
MANUAL_ELAPSED_TOLERANCE: Final = 0.15
MANUAL_ELAPSED_TOLERANCE_MIN_S: Final = 300.0

FORMAT_RANK: Final = {"fit": 3, "tcx": 2, "gpx": 1, "manual": 0}

Quality = tuple[int, int, int, int]
"""(file 1 / hand-entered 0, stream channels, format rank, samples): higher is richer."""


def quality(*, manual: bool, richness: int, source_format: str, samples: int) -> Quality:
    """How rich a recording is, compared as a tuple (an unknown format ranks as manual)."""
    return (0 if manual else 1, richness, FORMAT_RANK.get(source_format, 0), samples)


@dataclass(frozen=True, slots=True)
class Recording:
    """What matching knows of one recording of a run."""

    start_utc: datetime
    utc_offset_s: int | None
    distance_m: float | None
    elapsed_s: float
    quality: Quality

    @property
    def manual(self) -> bool:
        return self.quality[0] == 0

    @classmethod
    def of(cls, activity: Recorded) -> Recording:
        """The recording of a run-log activity (stored, about to be stored, or its key)."""
        return cls(
            start_utc=activity.start_utc,
            utc_offset_s=activity.utc_offset_s,
            distance_m=activity.distance_m,
            elapsed_s=activity.elapsed_s,
            quality=quality(
                manual=activity.manual,
                richness=activity.richness,
                source_format=activity.source_format,
                samples=activity.samples,
            ),
        )


class Recorded(Protocol):
    """What an activity of the run log tells matching (the services' activity types)."""

    @property
    def start_utc(self) -> datetime: ...
    @property
    def utc_offset_s(self) -> int | None: ...
    @property
    def distance_m(self) -> float | None: ...
    @property
    def elapsed_s(self) -> float: ...
    @property
    def manual(self) -> bool: ...
    @property
    def richness(self) -> int: ...
    @property
    def source_format(self) -> str: ...
    @property
    def samples(self) -> int: ...


def _within(a: float, b: float, share: float, floor: float) -> bool:
    return abs(a - b) <= max(share * max(abs(a), abs(b)), floor)


def _local_date(start: datetime, offset_s: int | None) -> date:
    return (start + timedelta(seconds=offset_s or 0)).date()


def same_run(kept: Recording, new: Recording) -> bool:
    """Whether ``new`` records the same run as ``kept`` (the one in the log).

    Only ``kept`` being hand-entered changes the rule; its UTC offset gives both
    recordings' local day (``new``'s quality is not consulted).
    """
    if kept.manual:
        day = _local_date(kept.start_utc, kept.utc_offset_s)
        if _local_date(new.start_utc, kept.utc_offset_s) != day:
            return False
        if not kept.distance_m and kept.elapsed_s > 0:
            return _within(
                new.elapsed_s,
                kept.elapsed_s,
                MANUAL_ELAPSED_TOLERANCE,
                MANUAL_ELAPSED_TOLERANCE_MIN_S,
            )
        if not new.distance_m or not kept.distance_m:
            return False
        return _within(
            new.distance_m,
            kept.distance_m,
            MANUAL_DISTANCE_TOLERANCE,
            MANUAL_DISTANCE_TOLERANCE_MIN_M,
        )
    if abs(new.start_utc - kept.start_utc) > START_TOLERANCE:
        return False
    if new.distance_m and kept.distance_m:
        return _within(
            new.distance_m, kept.distance_m, DISTANCE_TOLERANCE, DISTANCE_TOLERANCE_MIN_M
        )
    if not new.distance_m and not kept.distance_m:
        return _within(new.elapsed_s, kept.elapsed_s, ELAPSED_TOLERANCE, ELAPSED_TOLERANCE_MIN_S)
    return False


def richer(new: Recording, kept: Recording) -> bool:
    """Whether ``new`` should replace ``kept`` (strictly richer; a tie keeps ``kept``)."""
    return new.quality > kept.quality


def nearness(kept: Recording, new: Recording) -> tuple[float, float]:
    """Sort key among several matches of ``new``: seconds apart, then metres apart."""
    return (
        abs((kept.start_utc - new.start_utc).total_seconds()),
        abs((kept.distance_m or 0) - (new.distance_m or 0)),
    )
