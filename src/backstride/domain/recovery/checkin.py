"""The daily check-in: how the back felt, what was done, and any warning signs.

Two shapes of the same thing:

* :class:`CheckIn` and its parts are the frozen domain values the return-to-run
  engine, the escalation rules and the progress summaries read.
* :class:`CheckinDocument` is the edge document (``backstride.checkin/1``) that
  the CLI, web form and API accept; ``backstride schema checkin`` prints its
  JSON Schema. :meth:`CheckinDocument.to_checkin` turns one into the other.

The date is always passed in: nothing here reads the clock.

``next_morning_pain_0_10`` belongs to the check-in of the day of the session
it describes; the runner fills it in the following morning (re-sending the
day's document with the field added). It is how the pain-monitoring rules know
whether a session's pain settled overnight.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, model_validator

CHECKIN_SCHEMA_ID = "backstride.checkin/1"

PAIN_MIN = 0
PAIN_MAX = 10
MAX_SESSION_MINUTES = 600
MAX_SESSION_KM = 400.0
MAX_STIFFNESS_MIN = 24 * 60
MAX_PSFS_ITEMS = 5  # the patient-specific functional scale asks for up to five activities

EXERCISE_SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,79}$"
_SLUG = re.compile(EXERCISE_SLUG_PATTERN)


class CheckinError(ValueError):
    """A check-in value is out of range or inconsistent; the message says which."""


class SessionKind(StrEnum):
    REST = "rest"
    WALK = "walk"
    WALK_RUN = "walk_run"
    RUN = "run"
    CROSS_TRAINING = "cross_training"


RUNNING_KINDS = frozenset({SessionKind.WALK_RUN, SessionKind.RUN})


class WarningSign(StrEnum):
    """The warning-sign questions a check-in may re-ask, named by intake path.

    Most are the intake's own paths, so an answer means the same thing in both
    places. Three exist only here, because a check-in asks about *change* since
    the assessment: new weakness, new numbness, and symptoms now in both legs.
    The level each one leads to is in ``escalation.WARNING_SIGN_RULES``.
    """

    SADDLE_NUMBNESS = "neuro.saddle_numbness"
    BLADDER_CHANGE = "neuro.bladder_change"
    BOWEL_CHANGE = "neuro.bowel_change"
    SEXUAL_CHANGE = "neuro.sexual_change"
    SYMPTOMS_BOTH_LEGS = "neuro.symptoms_both_legs"
    GETTING_WORSE = "neuro.getting_worse"
    LEG_DRAGS_OR_TRIPS = "neuro.leg_drags_or_trips"
    NEW_WEAKNESS = "neuro.new_weakness"
    NEW_NUMBNESS = "neuro.new_numbness"
    FEVER_OR_CHILLS = "general.fever_or_chills"
    CHEST_PAIN_OR_BREATHLESS = "general.chest_pain_or_breathless"
    FAINT_OR_COLLAPSE = "general.faint_or_collapse"
    PULSATING_ABDOMEN = "general.pulsating_abdomen"


# An answer to a warning-sign question: yes, no, or not sure (as at intake). Not sure
# counts as reported: it starts a hold like a yes (review R13).
NOT_SURE: Literal["not_sure"] = "not_sure"
WarningAnswer = bool | Literal["not_sure"]


def is_reported(answer: WarningAnswer | None) -> bool:
    """Whether an answer reports the sign: yes or not sure."""
    return answer is True or answer == NOT_SURE


def stronger_answer(first: WarningAnswer | None, second: WarningAnswer | None) -> WarningAnswer:
    """The more worrying of two answers to one question: yes, then not sure, then no."""
    rank = {True: 2, NOT_SURE: 1, False: 0, None: -1}
    return max((first, second), key=lambda a: rank[a]) or False


def _check_pain(name: str, value: int | None) -> None:
    if value is not None and not PAIN_MIN <= value <= PAIN_MAX:
        raise CheckinError(f"{name} must be between {PAIN_MIN} and {PAIN_MAX}, got {value}")


@dataclass(frozen=True, slots=True)
class PsfsScore:
    """One patient-specific functional scale item: 0 = unable, 10 = as before the pain."""

    activity: str
    score_0_10: int

    def __post_init__(self) -> None:
        if not self.activity.strip():
            raise CheckinError("a PSFS activity needs a name")
        _check_pain("PSFS score", self.score_0_10)


def psfs_average(scores: Sequence[PsfsScore]) -> float | None:
    """The mean item score, the way PSFS change is usually judged (Stratford 1995)."""
    if not scores:
        return None
    return sum(s.score_0_10 for s in scores) / len(scores)


@dataclass(frozen=True, slots=True)
class SessionDone:
    """The one walk, run or other session of the day, with the pain it caused."""

    kind: SessionKind
    minutes: int
    distance_km: float | None = None
    activity_id: str | None = None
    pain_during_0_10: int | None = None
    pain_after_0_10: int | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.minutes <= MAX_SESSION_MINUTES:
            raise CheckinError(f"session minutes must be 0–{MAX_SESSION_MINUTES}")
        if self.distance_km is not None and not 0 <= self.distance_km <= MAX_SESSION_KM:
            raise CheckinError(f"session distance must be 0–{MAX_SESSION_KM:g} km")
        _check_pain("pain during the session", self.pain_during_0_10)
        _check_pain("pain after the session", self.pain_after_0_10)

    @property
    def is_running(self) -> bool:
        return self.kind in RUNNING_KINDS


@dataclass(frozen=True, slots=True)
class CheckIn:
    """One day's check-in. ``warning_signs`` is ``None`` when the screen was not asked."""

    day: dt.date
    pain_now_0_10: int
    worst_24h_0_10: int
    session: SessionDone | None = None
    next_morning_pain_0_10: int | None = None
    morning_stiffness_min: int | None = None
    exercises_done: tuple[str, ...] = ()
    warning_signs: Mapping[WarningSign, WarningAnswer] | None = None
    psfs: tuple[PsfsScore, ...] | None = None

    def __post_init__(self) -> None:
        _check_pain("pain now", self.pain_now_0_10)
        _check_pain("worst pain in the last 24 hours", self.worst_24h_0_10)
        _check_pain("next-morning pain", self.next_morning_pain_0_10)
        if self.worst_24h_0_10 < self.pain_now_0_10:
            raise CheckinError("worst pain in the last 24 hours cannot be lower than pain now")
        if self.morning_stiffness_min is not None and not (
            0 <= self.morning_stiffness_min <= MAX_STIFFNESS_MIN
        ):
            raise CheckinError(f"morning stiffness must be 0–{MAX_STIFFNESS_MIN} minutes")
        bad_slugs = [slug for slug in self.exercises_done if not _SLUG.match(slug)]
        if bad_slugs:
            raise CheckinError(f"not an exercise slug: {', '.join(bad_slugs)}")
        if self.psfs is not None and len(self.psfs) > MAX_PSFS_ITEMS:
            raise CheckinError(f"at most {MAX_PSFS_ITEMS} PSFS activities")
        if self.warning_signs is not None:
            # A read-only copy, so a frozen check-in cannot change through the caller's dict.
            signs: dict[WarningSign, WarningAnswer] = {
                WarningSign(path): NOT_SURE if answer == NOT_SURE else bool(answer)
                for path, answer in self.warning_signs.items()
            }
            object.__setattr__(self, "warning_signs", MappingProxyType(signs))

    @property
    def warning_signs_present(self) -> tuple[WarningSign, ...]:
        """The warning signs answered yes or not sure, in the order the questions are asked."""
        answers = self.warning_signs or {}
        return tuple(sign for sign in WarningSign if is_reported(answers.get(sign)))

    @property
    def full_warning_screen(self) -> bool:
        """Whether every warning-sign question was answered (a partial screen does not count)."""
        return self.warning_signs is not None and all(
            sign in self.warning_signs for sign in WarningSign
        )


def one_per_day(history: Iterable[CheckIn]) -> list[CheckIn]:
    """The check-ins in date order, one per day: a later entry for a day replaces an earlier one.

    A runner may re-send a day's check-in (to add the next-morning pain); the
    last one sent is the day's record.
    """
    latest = {checkin.day: checkin for checkin in history}
    return [latest[day] for day in sorted(latest)]


# Why 2 points: the minimal detectable and minimal important change on the 0–10
# scale in low back pain (Childs 2005). Why 7 days: a weekly screen keeps the
# questions in front of the runner without asking them every day.
SCREEN_PAIN_RISE = 2
SCREEN_INTERVAL_DAYS = 7
SCREEN_SOURCES = ("childs2005", "nice_cks_sciatica", "finucane2020")


def warning_screen_due(
    history: Iterable[CheckIn], today: dt.date, pain_now: int, *, flare: bool = False
) -> bool:
    """Whether today's check-in must ask the warning-sign questions.

    Due when the day is a flare (``escalation.flare_of``, review R13), when pain
    now is at least 2 points above the previous check-in, or when no full screen
    was answered in the last 7 days (including on the first check-in). Check-ins
    dated after ``today`` are ignored.
    """
    _check_pain("pain now", pain_now)
    past = [c for c in one_per_day(history) if c.day <= today]
    if any(c.day == today and c.full_warning_screen for c in past):
        return False
    if flare:
        return True
    earlier = [c for c in past if c.day < today]
    if earlier and pain_now - earlier[-1].pain_now_0_10 >= SCREEN_PAIN_RISE:
        return True
    window_start = today - dt.timedelta(days=SCREEN_INTERVAL_DAYS - 1)
    return not any(c.full_warning_screen and c.day >= window_start for c in past)


# --- the edge document -------------------------------------------------------

Pain = Annotated[StrictInt, Field(ge=PAIN_MIN, le=PAIN_MAX)]


class _Document(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SessionDocument(_Document):
    """The day's session. A rest day has 0 minutes and no session pain."""

    kind: SessionKind
    minutes: Annotated[StrictInt, Field(ge=0, le=MAX_SESSION_MINUTES)]
    distance_km: Annotated[float, Field(ge=0, le=MAX_SESSION_KM)] | None = None
    activity_id: Annotated[str, Field(min_length=1, max_length=200)] | None = Field(
        default=None, description="The imported watch activity this session was, if any."
    )
    pain_during_0_10: Pain | None = Field(
        default=None, description="Highest back pain during the walk or run."
    )
    pain_after_0_10: Pain | None = Field(
        default=None, description="Back pain in the hours after the walk or run."
    )

    @model_validator(mode="after")
    def _rest_is_rest(self) -> SessionDocument:
        if self.kind is SessionKind.REST and (
            self.minutes
            or self.pain_during_0_10 is not None
            or self.pain_after_0_10 is not None
            or self.distance_km
        ):
            raise ValueError("a rest day has 0 minutes, no distance and no session pain")
        return self


class PsfsDocument(_Document):
    activity: Annotated[str, Field(min_length=1, max_length=120)]
    score_0_10: Pain


class CheckinDocument(_Document):
    """One daily check-in, ``backstride.checkin/1``."""

    model_config = ConfigDict(
        title="Daily check-in of a runner recovering from lower back pain",
        populate_by_name=True,
    )

    schema_: Literal["backstride.checkin/1"] = Field(alias="schema")
    date: dt.date = Field(description="The local date the check-in is for.")
    pain_now_0_10: Pain
    worst_24h_0_10: Pain
    next_morning_pain_0_10: Pain | None = Field(
        default=None,
        description="Back pain the morning after this day's session, added the next morning.",
    )
    morning_stiffness_min: Annotated[StrictInt, Field(ge=0, le=MAX_STIFFNESS_MIN)] | None = None
    exercises_done: Annotated[
        list[Annotated[str, Field(pattern=EXERCISE_SLUG_PATTERN)]], Field(max_length=50)
    ] = Field(default_factory=list, description="Slugs of the plan's exercises done today.")
    exercises_skipped: (
        dict[
            Annotated[str, Field(pattern=EXERCISE_SLUG_PATTERN)],
            Annotated[str, Field(max_length=200)],
        ]
        | None
    ) = Field(
        default=None,
        max_length=50,
        description="The plan's exercises skipped today, by slug, with why (Today's session).",
    )
    session: SessionDocument | None = None
    warning_signs: dict[WarningSign, StrictBool | Literal["not_sure"]] | None = Field(
        default=None,
        description=(
            'Answers to the warning-sign questions, by path: true, false or "not_sure" '
            "(which counts like a yes); absent when not asked."
        ),
    )
    psfs: Annotated[list[PsfsDocument], Field(max_length=MAX_PSFS_ITEMS)] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> CheckinDocument:
        if self.worst_24h_0_10 < self.pain_now_0_10:
            raise ValueError("worst_24h_0_10 cannot be lower than pain_now_0_10")
        if self.psfs is not None:
            names = [item.activity.strip().casefold() for item in self.psfs]
            if len(set(names)) != len(names):
                raise ValueError("each PSFS activity may appear only once")
        return self

    def to_checkin(self) -> CheckIn:
        session = None
        if self.session is not None:
            s = self.session
            session = SessionDone(
                kind=s.kind,
                minutes=s.minutes,
                distance_km=s.distance_km,
                activity_id=s.activity_id,
                pain_during_0_10=s.pain_during_0_10,
                pain_after_0_10=s.pain_after_0_10,
            )
        return CheckIn(
            day=self.date,
            pain_now_0_10=self.pain_now_0_10,
            worst_24h_0_10=self.worst_24h_0_10,
            session=session,
            next_morning_pain_0_10=self.next_morning_pain_0_10,
            morning_stiffness_min=self.morning_stiffness_min,
            exercises_done=tuple(self.exercises_done),
            warning_signs=None if self.warning_signs is None else dict(self.warning_signs),
            psfs=None
            if self.psfs is None
            else tuple(PsfsScore(p.activity, p.score_0_10) for p in self.psfs),
        )

    @classmethod
    def from_checkin(cls, checkin: CheckIn) -> CheckinDocument:
        data = checkin_to_document(checkin)
        return cls.model_validate(data)

    def to_document(self) -> dict[str, Any]:
        """The JSON-ready document, absent fields left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


def checkin_to_document(checkin: CheckIn) -> dict[str, Any]:
    """A domain check-in as a ``backstride.checkin/1`` JSON-ready dict."""
    document: dict[str, Any] = {
        "schema": CHECKIN_SCHEMA_ID,
        "date": checkin.day.isoformat(),
        "pain_now_0_10": checkin.pain_now_0_10,
        "worst_24h_0_10": checkin.worst_24h_0_10,
        "exercises_done": list(checkin.exercises_done),
    }
    optional: dict[str, Any] = {
        "next_morning_pain_0_10": checkin.next_morning_pain_0_10,
        "morning_stiffness_min": checkin.morning_stiffness_min,
    }
    if checkin.session is not None:
        s = checkin.session
        optional["session"] = {
            key: value
            for key, value in {
                "kind": s.kind.value,
                "minutes": s.minutes,
                "distance_km": s.distance_km,
                "activity_id": s.activity_id,
                "pain_during_0_10": s.pain_during_0_10,
                "pain_after_0_10": s.pain_after_0_10,
            }.items()
            if value is not None
        }
    if checkin.warning_signs is not None:
        optional["warning_signs"] = {
            sign.value: answer for sign, answer in checkin.warning_signs.items()
        }
    if checkin.psfs is not None:
        optional["psfs"] = [
            {"activity": p.activity, "score_0_10": p.score_0_10} for p in checkin.psfs
        ]
    document.update({key: value for key, value in optional.items() if value is not None})
    return document


def checkin_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the check-in document, generated from the model."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": CHECKIN_SCHEMA_ID,
        **CheckinDocument.model_json_schema(by_alias=True),
    }
