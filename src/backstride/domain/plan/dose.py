"""How much of an exercise a plan prescribes, and how long that takes.

A plan starts every exercise at the low end of the library's dosage: the
runner progresses by moving to the harder variant once the top of the range
is easy, which is how the library's dosages are written. The time estimate is
what the minutes-per-day budget is checked against.
"""

from __future__ import annotations

from backstride.domain.library.exercise import Dosage, Exercise
from backstride.domain.plan.model import Dose

# Product heuristics for the time estimate (seconds): one controlled repetition,
# moving into and out of a hold, and getting into position for an exercise.
SECONDS_PER_REP = 3
SECONDS_PER_HOLD_CHANGE = 2
SECONDS_TO_SET_UP = 20


def starting_dose(exercise: Exercise, times_per_week: int) -> Dose:
    """The low end of the dosage, with when to move on and the weekly frequency."""
    dosage = exercise.dosage
    sets = dosage.sets[0]
    reps = dosage.reps[0] if dosage.reps else None
    hold = dosage.hold_seconds[0] if dosage.hold_seconds else None
    minutes = dosage.minutes[0] if dosage.minutes else None
    return Dose(
        sets=sets,
        reps=reps,
        hold_seconds=hold,
        minutes=minutes,
        per_side=dosage.per_side,
        text=_text(dosage, sets, reps, hold, minutes, times_per_week),
    )


def _amount(reps: int | None, hold: int | None, minutes: int | None, per_side: bool) -> str:
    parts: list[str] = []
    if reps is not None:
        parts.append(f"{reps} reps" if hold is None else f"{reps} reps, each held {hold} s")
    elif hold is not None:
        parts.append(f"hold {hold} s")
    if minutes is not None:
        parts.append(f"{minutes} min")
    what = ", ".join(parts)
    return f"{what} each side" if per_side else what


def _text(
    dosage: Dosage,
    sets: int,
    reps: int | None,
    hold: int | None,
    minutes: int | None,
    times_per_week: int,
) -> str:
    what = _amount(reps, hold, minutes, dosage.per_side)
    sentence = f"{sets} sets of {what}" if sets > 1 else what
    sentence = sentence[0].upper() + sentence[1:]
    if dosage.rest_seconds is not None and sets > 1:
        sentence += f", rest {dosage.rest_seconds[0]} s between sets"
    sentence += f"; {_times(times_per_week)} a week."
    top = _top_of_range(dosage)
    if top:
        sentence += f" Ready for more when {top} feels easy."
    if dosage.note:
        sentence += f" {dosage.note}"
    return sentence


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def _top_of_range(dosage: Dosage) -> str:
    """The top of the library's range, when it is more than the starting dose."""
    ranges = [dosage.sets, dosage.reps, dosage.hold_seconds, dosage.minutes]
    if all(span is None or span[0] == span[1] for span in ranges):
        return ""
    what = _amount(
        dosage.reps[1] if dosage.reps else None,
        dosage.hold_seconds[1] if dosage.hold_seconds else None,
        dosage.minutes[1] if dosage.minutes else None,
        dosage.per_side,
    )
    sets = dosage.sets[1]
    return f"{sets} sets of {what}" if sets > 1 else what


def dose_seconds(dose: Dose, rest_seconds: int = 0) -> int:
    """Estimated time for one session of this dose, setting up included."""
    sides = 2 if dose.per_side else 1
    if dose.minutes is not None:
        per_set = dose.minutes * 60 * sides
    else:
        per_rep = (
            dose.hold_seconds + SECONDS_PER_HOLD_CHANGE if dose.hold_seconds else SECONDS_PER_REP
        )
        per_set = (dose.reps or 1) * per_rep * sides
    sets = dose.sets or 1
    return sets * per_set + (sets - 1) * rest_seconds + SECONDS_TO_SET_UP


def exercise_seconds(exercise: Exercise) -> int:
    """Estimated time for one session at the starting dose."""
    rest = exercise.dosage.rest_seconds[0] if exercise.dosage.rest_seconds else 0
    return dose_seconds(starting_dose(exercise, 1), rest)
