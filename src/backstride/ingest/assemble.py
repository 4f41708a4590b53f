"""Turn streams plus whatever totals a file states into an `Activity`.

Every format reader ends here, so the rule "the file's own total wins, otherwise derive
it from the streams" is applied identically to FIT, GPX and TCX.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from backstride.ingest import derive
from backstride.ingest.errors import NoActivityDataError
from backstride.ingest.model import FOOT_SPORTS, Activity, Streams


@dataclass(frozen=True)
class Totals:
    """Summary values stated by the file itself; None where it says nothing."""

    elapsed_s: float | None = None
    timer_s: float | None = None
    distance_m: float | None = None
    ascent_m: float | None = None
    avg_hr: float | None = None
    max_hr: float | None = None
    avg_cadence_spm: float | None = None


@dataclass(frozen=True)
class Source:
    """Where an activity came from: format, display name and the bytes' hash."""

    format: str
    name: str
    sha256: str

    @classmethod
    def of(cls, format_name: str, name: str, data: bytes, sha256: str | None = None) -> Source:
        """``sha256``: the bytes' hash when the caller has already computed it."""
        return cls(format_name, name, sha256 or hashlib.sha256(data).hexdigest())


def assemble(
    *,
    source: Source,
    sport: str,
    start_utc: datetime,
    utc_offset_s: int | None,
    streams: Streams,
    totals: Totals,
    device: str | None = None,
    name: str | None = None,
    source_index: int = 0,
    warnings: tuple[str, ...] = (),
) -> Activity:
    stated = _positive(totals.elapsed_s)
    timer = totals.timer_s or 0.0
    if stated is None:
        elapsed = max(float(streams.time_s.max()) if len(streams) else 0.0, timer)
    elif timer > stated:
        # Elapsed time includes the timer time; a file saying otherwise is wrong.
        elapsed = timer
        warnings = (
            *warnings,
            f"the file states an elapsed time of {stated:.0f} s, shorter than its timer "
            f"time; {timer:.0f} s is used",
        )
    else:
        elapsed = stated
    if elapsed <= 0:
        raise NoActivityDataError(
            f"the activity has no duration ({len(streams)} samples, all at the same time)"
        )
    moving = derive.moving_time_s(streams)
    if moving is None:
        moving = totals.timer_s if totals.timer_s is not None else elapsed
    distance = totals.distance_m
    if distance is None:
        cumulative = derive.cumulative_distance_m(streams)
        if cumulative is not None and cumulative.size:
            distance = float(np.nanmax(cumulative))
    ascent = totals.ascent_m
    if ascent is None:
        ascent = derive.ascent_m(streams.altitude_m)
    cadence = None
    if sport in FOOT_SPORTS:
        cadence = totals.avg_cadence_spm or derive.mean_positive(streams.cadence_spm)
    return Activity(
        sport=sport,
        start_utc=start_utc,
        utc_offset_s=utc_offset_s,
        elapsed_s=elapsed,
        moving_s=min(moving, elapsed),
        distance_m=distance,
        ascent_m=ascent,
        avg_hr=totals.avg_hr or derive.mean_positive(streams.heart_rate),
        max_hr=totals.max_hr or derive.max_positive(streams.heart_rate),
        avg_cadence_spm=cadence,
        device=device,
        source_format=source.format,
        source_sha256=source.sha256,
        source_name=source.name,
        streams=streams,
        timer_s=totals.timer_s,
        name=name,
        source_index=source_index,
        warnings=warnings,
    )


def _positive(value: float | None) -> float | None:
    return value if value is not None and value > 0 else None
