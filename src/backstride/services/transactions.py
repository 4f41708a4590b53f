"""Running a unit of work again when another writer got in the way.

Writers lock their topic first (``uow.lock``), so conflicts are rare: a lock
wait that timed out on a busy SQLite file, or a database that reported a
serialization failure. The whole use case is then run again from its first
read, which is safe because nothing of a failed attempt was committed.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from backstride.services.ports import ConflictError

T = TypeVar("T")

ATTEMPTS = 8
_FIRST_PAUSE_S = 0.02
_MAX_PAUSE_S = 1.0

# Topics writers lock; each covers every row its read-merge-writes read.
RECOVERY = "recovery"  # check-ins, the return-to-run programme and its decisions
RUN_LOG = "run-log"  # shoes, manual runs, shoe assignments
PLANS = "plans"  # saved plans (and the assessment a plan is saved with)


def retrying(work: Callable[[], T], *, attempts: int = ATTEMPTS) -> T:
    """``work()``, run again (with a short random pause) while it raises ConflictError."""
    pause = _FIRST_PAUSE_S
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except ConflictError:
            if attempt == attempts:
                raise
            time.sleep(pause * (1 + random.random()))  # noqa: S311 - jitter, not security
            pause = min(_MAX_PAUSE_S, pause * 2)
    raise AssertionError("unreachable")  # pragma: no cover
