"""Summary values computed from streams, shared by every format.

The formats' own totals (FIT session, TCX lap sums) win when present; these functions
fill the gaps the same way for every source, so a FIT and a GPX of one run compare.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from backstride.ingest.model import FloatArray, Streams

EARTH_RADIUS_M: Final = 6_371_008.8  # mean Earth radius (IUGG)
MOVING_SPEED_M_S: Final = 0.5
"""Below 0.5 m/s (1.8 km/h, slower than any walk) a runner is standing, not moving."""
ASCENT_HYSTERESIS_M: Final = 3.0
"""Altitude must rise this much past the last low before it counts as climbing;
it filters GPS/barometer noise that would otherwise inflate the total ascent."""


def haversine_steps_m(lat: FloatArray, lon: FloatArray) -> FloatArray:
    """Distance from each sample to the next one *with a position* (NaN-safe).

    Returns an array the length of `lat` whose item i is the distance walked since the
    previous positioned sample (0 for the first and for samples without position).
    """
    steps = np.zeros(lat.size)
    valid = np.flatnonzero(np.isfinite(lat) & np.isfinite(lon))
    if valid.size < 2:
        return steps
    phi = np.radians(lat[valid])
    lam = np.radians(lon[valid])
    dphi = np.diff(phi)
    dlam = np.diff(lam)
    a = np.sin(dphi / 2) ** 2 + np.cos(phi[:-1]) * np.cos(phi[1:]) * np.sin(dlam / 2) ** 2
    steps[valid[1:]] = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return steps


def haversine_distance_m(lat: FloatArray, lon: FloatArray) -> float:
    return float(haversine_steps_m(lat, lon).sum())


def cumulative_distance_m(streams: Streams) -> FloatArray | None:
    """The distance channel, or one built from positions; None when neither exists."""
    if streams.has("distance_m"):
        return _forward_fill(streams.distance_m)
    if streams.has("lat"):
        return np.cumsum(haversine_steps_m(streams.lat, streams.lon))
    return None


def moving_time_s(streams: Streams, threshold_m_s: float = MOVING_SPEED_M_S) -> float | None:
    """Seconds spent moving: intervals whose speed reaches `threshold_m_s`.

    The device's speed channel is preferred (it is smoothed); without it the speed of an
    interval is its distance over its duration. Pauses, auto-pause gaps and standing at
    a crossing all drop out because no distance accrues during them.
    """
    if len(streams) < 2:
        return 0.0 if len(streams) else None
    dt = np.diff(streams.time_s)
    forward = dt > 0
    if streams.has("speed_m_s"):
        speed = streams.speed_m_s[1:]
        moving = forward & np.isfinite(speed) & (speed >= threshold_m_s)
        uncovered = ~np.isfinite(speed)
        distance = cumulative_distance_m(streams) if uncovered.any() else None
        if distance is not None:
            # Samples without a speed value fall back to distance over time.
            with np.errstate(divide="ignore", invalid="ignore"):
                derived = np.diff(distance) / dt
            moving |= forward & uncovered & (derived >= threshold_m_s)
        return float(dt[moving].sum())
    distance = cumulative_distance_m(streams)
    if distance is None:
        return None
    with np.errstate(divide="ignore", invalid="ignore"):
        speed = np.diff(distance) / dt
    moving = forward & np.isfinite(speed) & (speed >= threshold_m_s)
    return float(dt[moving].sum())


def ascent_m(altitude: FloatArray, hysteresis_m: float = ASCENT_HYSTERESIS_M) -> float | None:
    """Total climb with a dead band, so noise of a few metres is not counted."""
    values = altitude[np.isfinite(altitude)]
    if values.size < 2:
        return None
    total = 0.0
    low = high = float(values[0])
    climbing = False
    # A short Python loop: altitude channels are at most tens of thousands of samples
    # and the dead band is inherently sequential.
    for value in values.tolist():
        if climbing:
            if value > high:
                high = value
            elif high - value >= hysteresis_m:
                total += high - low
                low = high = value
                climbing = False
        elif value < low:
            low = high = value
        elif value - low >= hysteresis_m:
            climbing = True
            high = value
    if climbing:
        total += high - low
    return total


def mean_positive(values: FloatArray) -> float | None:
    """Mean of values above zero (0 bpm or 0 spm means "no reading", not a value)."""
    usable = values[np.isfinite(values) & (values > 0)]
    return float(usable.mean()) if usable.size else None


def max_positive(values: FloatArray) -> float | None:
    usable = values[np.isfinite(values) & (values > 0)]
    return float(usable.max()) if usable.size else None


def _forward_fill(values: FloatArray) -> FloatArray:
    """Carry the last known value over NaN gaps (leading NaNs become 0)."""
    filled = values.copy()
    missing = ~np.isfinite(filled)
    if not missing.any():
        return filled
    index = np.where(~missing, np.arange(filled.size), 0)
    np.maximum.accumulate(index, out=index)
    filled = filled[index]
    filled[~np.isfinite(filled)] = 0.0
    return filled
