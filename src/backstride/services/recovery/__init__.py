"""Use cases for the days after the plan: check in, what to do today, and progress.

The pure rules live in the domain (``checkin``, ``return_to_run``, ``escalation``,
``progress``); these modules load what they need through the unit of work, apply
them, and store what they decided. Every date comes from the caller (a check-in's
own date, or ``--date``); the clock only stamps when something was recorded.

- :mod:`.programme`: what the rules need, and the return-to-run programme's state
- :mod:`.retriage`: a warning sign re-runs the intake's triage rules
- :mod:`.documents`: check-in documents in, JSON out
- :mod:`.checkins`: recording a check-in
- :mod:`.today`: what to do today
- :mod:`.progress`: progress over a period
- :mod:`.saved`: a recorded check-in read back (the page after saving)

Every one of them asks the care state (``services.care``) first: while care is
needed now or on hold, nothing here offers an exercise, a run or a walk-run stage.
"""

from backstride.services.recovery.checkins import (
    CheckinPrompts,
    CheckinResult,
    checkin_prompts,
    record_checkin,
    record_exercise,
    stored_checkin,
)
from backstride.services.recovery.documents import merge_checkin, parse_checkin, plain
from backstride.services.recovery.programme import (
    ASSUMED_USUAL,
    START_STAGE_BY_ADVICE,
    RecoveryError,
    usual_volume,
    warning_questions,
)
from backstride.services.recovery.progress import DEFAULT_PROGRESS_DAYS, ProgressReport, progress
from backstride.services.recovery.retriage import retriage
from backstride.services.recovery.saved import saved_outcome
from backstride.services.recovery.today import TodayAdvice, run_progress, today

__all__ = [
    "ASSUMED_USUAL",
    "DEFAULT_PROGRESS_DAYS",
    "START_STAGE_BY_ADVICE",
    "CheckinPrompts",
    "CheckinResult",
    "ProgressReport",
    "RecoveryError",
    "TodayAdvice",
    "checkin_prompts",
    "merge_checkin",
    "parse_checkin",
    "plain",
    "progress",
    "record_checkin",
    "record_exercise",
    "retriage",
    "run_progress",
    "saved_outcome",
    "stored_checkin",
    "today",
    "usual_volume",
    "warning_questions",
]
