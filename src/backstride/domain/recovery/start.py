"""Where the return-to-run programme starts: the start rules, for clinical review.

Product heuristics, beside the programme's thresholds:

* the stage each running advice starts at (:data:`START_STAGE_BY_ADVICE`):
  "pause" means a few days' walking then the graded return, so the first stage;
  "reduce" means shorter and easier running, so short easy runs; "continue"
  means usual running under the same pain rules. "stop" starts no programme at
  all: the runner needs to be seen first;
* how many days of rest follow a walk that hurt too much at the first stage
  (:class:`StartRules`, whose numbers live in ``content/thresholds.yaml``,
  section ``recovery_start``).

The usual week assumed when the intake did not say is the programme's
(:attr:`ProgrammeThresholds.assumed_usual`, numbers in ``content/thresholds.yaml``,
section ``return_to_run``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from types import MappingProxyType

from backstride.domain.recovery.return_to_run import StageId
from backstride.domain.vocabulary import RUNNING_ADVICE

START_STAGE_BY_ADVICE: Mapping[str, StageId] = MappingProxyType(
    {
        "pause": StageId.WALK,
        "reduce": StageId.RUN_20,
        "continue": StageId.USUAL_VOLUME,
    }
)


@dataclass(frozen=True, slots=True)
class StartRules:
    """The numbers of the start rules (``content/thresholds.yaml``, ``recovery_start``)."""

    # After walking hurt too much at the first stage, the rule says "rest for a day
    # or two"; Today prescribes rest for this many days.
    first_stage_rest_days: int

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


def strictest_advice(found: Iterable[str]) -> str | None:
    """The strictest of several running advices (stop, pause, reduce, continue), if any."""
    advices = list(found)
    return min(advices, key=RUNNING_ADVICE.index) if advices else None


def start_stage(advice: str) -> StageId | None:
    """The stage a running advice starts the programme at; ``None`` for "stop"."""
    return START_STAGE_BY_ADVICE.get(advice)
