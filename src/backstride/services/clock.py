"""The one place that reads the wall clock; everything else is handed a Clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        # The runner's calendar day is local, not UTC.
        return datetime.now(UTC).astimezone().date()


@dataclass(frozen=True)
class FixedClock:
    """A clock stuck at one moment: for tests and for --date options."""

    moment: datetime

    def now(self) -> datetime:
        return self.moment

    def today(self) -> date:
        return self.moment.astimezone().date() if self.moment.tzinfo else self.moment.date()
