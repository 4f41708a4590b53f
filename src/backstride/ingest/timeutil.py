"""Epoch seconds <-> aware UTC datetimes (never the current time: ingest has no clock)."""

from __future__ import annotations

from datetime import UTC, datetime


def to_datetime(epoch_s: float) -> datetime:
    return datetime.fromtimestamp(epoch_s, tz=UTC)
