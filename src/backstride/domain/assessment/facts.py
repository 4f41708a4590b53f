"""The intake seen through the policy's definitions.

``triage-policy.md`` defines terms once (leg regions, radicular symptoms, leg
onset, pain now, stenosis pattern, mechanical, duration, onset age, not
improving) and the rules use them. :class:`Facts` is that vocabulary, each term
an :class:`~backstride.domain.assessment.evidence.Ev` carrying the intake findings behind
it. Absent answers never count as "no" and are never cited.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache, update_wrapper
from typing import Any, Concatenate, Literal, ParamSpec, TypeVar

from pydantic import BaseModel

from backstride.domain.assessment.evidence import NO, YES, Ev, all_of, any_of
from backstride.domain.assessment.intake import Intake
from backstride.domain.assessment.thresholds import Thresholds

Side = Literal["left", "right"]
SIDES: tuple[Side, Side] = ("left", "right")

# Every threshold comparison on a computed number allows for float rounding,
# so that 1.3 x 20 >= 26 and 18.2 - 13.2 >= 5 hold (triage policy, Definitions).
TOLERANCE = 1e-9

LEG_REGION_PREFIXES = ("thigh_front_", "thigh_back_", "below_knee_", "foot_")
LOW_BACK_REGIONS = ("low_back_center", "low_back_left", "low_back_right")
# Version-2 region groups (review R1, definitions). The sit bones are buttock
# regions, never leg regions.
BACK_REGIONS = (*LOW_BACK_REGIONS, "upper_back")
BELLY_REGIONS = ("abdomen", "groin_left", "groin_right")
FLANK_REGIONS = ("flank_left", "flank_right")
AORTIC_REGIONS = (*BACK_REGIONS, *FLANK_REGIONS, *BELLY_REGIONS)
GROIN_REGIONS = ("groin_left", "groin_right")
BONE_STRESS_REGIONS = (
    *LOW_BACK_REGIONS,
    "buttock_left",
    "buttock_right",
    "sit_bone_left",
    "sit_bone_right",
    *GROIN_REGIONS,
)
# The four cauda equina questions, answered yes, no or "not sure".
CES_ITEMS = (
    "neuro.saddle_numbness",
    "neuro.bladder_change",
    "neuro.bowel_change",
    "neuro.sexual_change",
)


@cache
def leg_regions(side: Side | None = None) -> tuple[str, ...]:
    sides = SIDES if side is None else (side,)
    return tuple(prefix + s for s in sides for prefix in LEG_REGION_PREFIXES)


@cache
def below_knee_regions(side: Side | None = None) -> tuple[str, ...]:
    sides = SIDES if side is None else (side,)
    return tuple(region for s in sides for region in (f"below_knee_{s}", f"foot_{s}"))


def format_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def finding(path: str, value: Any) -> str:
    """``path`` for a plain yes, ``path=value`` for everything else."""
    return path if value is True else f"{path}={format_value(value)}"


P = ParamSpec("P")
T = TypeVar("T")
F = TypeVar("F", bound="_PolicyTerms")


def term(definition: Callable[Concatenate[F, P], T]) -> Callable[Concatenate[F, P], T]:
    """A definition many rules ask about, worked out once per intake.

    The E2, aorta, bladder and both-leg rows ask for the same few definitions over
    and over; working each out once per intake saves a quarter of an assessment. Sound
    because the intake is frozen and every argument (a side, a number of days, the
    knowledge base's thresholds) is kept alive with the answer, so the identity a
    threshold is keyed by cannot be reused while the facts exist; an `Ev` is
    immutable, so every rule can share the same one.
    """

    def once(facts: F, /, *args: P.args, **kwargs: P.kwargs) -> T:
        if kwargs:
            raise TypeError(f"{definition.__name__}: a term takes positional arguments only")
        key = (definition, *map(_identity_unless_plain, args)) if args else definition
        known = facts._terms.get(key)
        if known is None:
            known = facts._terms[key] = (args, definition(facts, *args, **kwargs))
        return known[1]

    update_wrapper(once, definition)  # its name and docstring (rules are documented by them)
    return once


def _identity_unless_plain(argument: object) -> object:
    """Strings and numbers key by value; anything else (thresholds) by identity."""
    return argument if isinstance(argument, str | int | float) else id(argument)


class _Answers(dict[str, Any]):
    """An intake's answers by dotted path (``section.answer``).

    The rule table asks the same few dozen paths about a thousand times per
    assessment; the intake is frozen, so a path's answer never changes. Asking is
    a plain dictionary look-up (``answers[path]``); a path that is not a section's
    answer (a deeper one, an absent section) is walked the first time it is asked,
    through ``__missing__``. A path that names nothing gives None.
    """

    def __init__(self, intake: Intake) -> None:
        # Every answer of every section, read off at once: about a hundred, fewer
        # steps than walking the few dozen paths the rules ask one by one.
        super().__init__(
            (f"{name}.{field}", value)
            for name, section in intake.__dict__.items()
            if isinstance(section, BaseModel)
            for field, value in section.__dict__.items()
        )
        self._intake = intake

    def __missing__(self, path: str) -> Any:
        node: Any = self._intake
        for part in path.split("."):
            node = getattr(node, part, None)
            if node is None:
                break
        self[path] = node
        return node


class _PolicyTerms:
    """Read-only view of one intake in the policy's version-1 terms."""

    def __init__(self, intake: Intake) -> None:
        self.intake = intake
        self._answers = _Answers(intake)
        # Definitions worked out so far (`term`): key -> (arguments, answer).
        self._terms: dict[object, tuple[tuple[object, ...], Any]] = {}

    # -- raw answers -------------------------------------------------------

    def value(self, path: str) -> Any:
        return self._answers[path]

    # The primitives below read ``self._answers[path]`` rather than call `value`:
    # they run tens of thousands of times per second.

    def items(self, path: str) -> tuple[str, ...]:
        found = self._answers[path]
        return tuple(found) if found else ()

    def true(self, path: str) -> Ev:
        return Ev(True, (path,)) if self._answers[path] is True else NO

    def false(self, path: str) -> Ev:
        return Ev(True, (f"{path}=false",)) if self._answers[path] is False else NO

    def is_(self, path: str, *values: str) -> Ev:
        found = self._answers[path]
        return Ev(True, (finding(path, found),)) if found in values else NO

    def has(self, path: str, *values: str) -> Ev:
        """The list at ``path`` holds at least one of ``values``."""
        found = self._answers[path]
        if not found:
            return NO
        present = [v for v in found if v in values]
        return Ev(True, tuple(f"{path}={v}" for v in present)) if present else NO

    def lacks(self, path: str, value: str) -> bool:
        return value not in self.items(path)

    def nonempty(self, path: str) -> Ev:
        present = self._answers[path]
        return Ev(True, tuple(f"{path}={v}" for v in present)) if present else NO

    def compare(self, path: str, op: str, threshold: float) -> Ev:
        found = self._answers[path]
        if found is None or isinstance(found, bool):
            return NO
        return Ev(True, (finding(path, found),)) if _holds(found, op, threshold) else NO

    def ge(self, path: str, threshold: float) -> Ev:
        return self.compare(path, ">=", threshold)

    def gt(self, path: str, threshold: float) -> Ev:
        return self.compare(path, ">", threshold)

    def le(self, path: str, threshold: float) -> Ev:
        return self.compare(path, "<=", threshold)

    def lt(self, path: str, threshold: float) -> Ev:
        return self.compare(path, "<", threshold)

    def age_at_least(self, years: float) -> Ev:
        return self.ge("person.age", years)

    def history(self, *conditions: str) -> Ev:
        return self.has("person.history", *conditions)

    def pain_in(self, *regions: str) -> Ev:
        return self.has("pain.regions", *regions)

    def any_neuro(self, *paths: str) -> Ev:
        return any_of(*(self.nonempty(p) for p in paths))

    # -- the policy's definitions ------------------------------------------

    @term
    def radicular_on(self, side: Side) -> Ev:
        """Numbness, tingling or weakness below the knee, or shooting/burning pain there."""
        below = below_knee_regions(side)
        return any_of(
            self.has("neuro.numbness", *below),
            self.has("neuro.tingling", *below),
            self.has("neuro.weakness", *below),
            all_of(self.pain_in(*below), self.has("pain.character", "shooting", "burning")),
        )

    @term
    def bilateral_radicular(self) -> Ev:
        return all_of(self.radicular_on("left"), self.radicular_on("right"))

    @term
    def radicular_any_side(self) -> Ev:
        return any_of(self.radicular_on("left"), self.radicular_on("right"))

    @term
    def leg_pain_on_both_sides(self) -> Ev:
        return all_of(self.pain_in(*leg_regions("left")), self.pain_in(*leg_regions("right")))

    def leg_onset(self) -> tuple[int, str]:
        """Days since the leg symptoms began (or last got worse), and the answer that says so.

        Version 2 (review R1): the leg answer when given, whether it is older or newer
        than the back pain; otherwise the back pain's start.
        """
        leg = self.value("neuro.leg_symptoms_started_days_ago")
        if leg is not None:
            return leg, finding("neuro.leg_symptoms_started_days_ago", leg)
        duration = self.duration()
        return duration, finding("pain.started_days_ago", duration)

    def leg_onset_within(self, days: int) -> Ev:
        onset, cited = self.leg_onset()
        return Ev(True, (cited,)) if onset <= days else NO

    def leg_onset_beyond(self, days: int) -> Ev:
        onset, cited = self.leg_onset()
        return Ev(True, (cited,)) if onset > days else NO

    def pain_now(self) -> tuple[int, str]:
        now = self.value("pain.now_0_10")
        if now is not None:
            return now, "pain.now_0_10"
        return self.intake.pain.worst_0_10, "pain.worst_0_10"

    def pain_now_at_least(self, score: int) -> Ev:
        now, path = self.pain_now()
        return Ev(True, (finding(path, now),)) if now >= score else NO

    def pain_now_at_most(self, score: int) -> Ev:
        now, path = self.pain_now()
        return Ev(True, (finding(path, now),)) if now <= score else NO

    def worst_at_least(self, score: int) -> Ev:
        return self.ge("pain.worst_0_10", score)

    @term
    def stenosis_pattern(self) -> Ev:
        return all_of(
            self.true("neuro.walking_limited_by_leg_symptoms"),
            self.has("pain.eased_by", "sitting", "bending_forward"),
        )

    def mechanical(self) -> Ev:
        """Pain that changes with movement; an absent answer counts as mechanical."""
        if self.value("pain.changes_with_movement") is False:
            return NO
        return self.true("pain.changes_with_movement") or YES

    def not_mechanical(self) -> Ev:
        return self.false("pain.changes_with_movement")

    def duration(self) -> int:
        return self.intake.pain.started_days_ago

    def duration_at_most(self, days: int) -> Ev:
        return self.le("pain.started_days_ago", days)

    def duration_at_least(self, days: int) -> Ev:
        return self.ge("pain.started_days_ago", days)

    def duration_over(self, days: int) -> Ev:
        return self.gt("pain.started_days_ago", days)

    def onset_age(self) -> int:
        # Whole years, exactly: floor(days / 365.25) in integers.
        return self.intake.person.age - (self.duration() * 100) // 36525

    def onset_age_below(self, years: int) -> Ev:
        if self.onset_age() >= years:
            return NO
        age = finding("person.age", self.intake.person.age)
        return Ev(True, (age, finding("pain.started_days_ago", self.duration())))

    def not_improving(self) -> Ev:
        """Trend same or worsening; an absent trend counts as same."""
        trend = self.value("pain.trend")
        if trend is None:
            return YES
        return self.is_("pain.trend", "same", "worsening")

    def worsening(self) -> Ev:
        return self.is_("pain.trend", "worsening")

    @term
    def outlook_items(self) -> Ev:
        """The outlook items that count towards the risk score (policy, O)."""
        return _concat(
            self.is_("outlook.bothersome", "very", "extremely"),
            self.true("outlook.fears_running_harms_back"),
            self.true("outlook.worries_a_lot"),
            self.true("outlook.expects_it_never_gets_better"),
            self.true("outlook.low_mood"),
        )

    def outlook_count(self) -> int:
        return len(self.outlook_items().findings)

    def bmi(self) -> float | None:
        height = self.value("person.height_cm")
        weight = self.value("person.weight_kg")
        if height is None or weight is None:
            return None
        return float(weight) / (float(height) / 100) ** 2


class Facts(_PolicyTerms):
    """One intake in the policy's terms, with the version-2 definitions (review R1):
    an unknown answer never reassures."""

    # -- answers ------------------------------------------------------------

    def unsure(self, path: str) -> Ev:
        return Ev(True, (f"{path}=not_sure",)) if self.value(path) == "not_sure" else NO

    def yes_or_unsure(self, path: str) -> Ev:
        return any_of(self.true(path), self.unsure(path))

    def answered(self, path: str) -> bool:
        return self.value(path) is not None

    @term
    def ces_yes_or_unsure(self) -> Ev:
        return any_of(*(self.yes_or_unsure(item) for item in CES_ITEMS))

    @term
    def ces_all_no(self) -> Ev:
        return all_of(*(self.false(item) for item in CES_ITEMS))

    # -- pain ---------------------------------------------------------------

    def mechanical_unknown(self) -> Ev:
        return NO if self.answered("pain.changes_with_movement") else YES

    @term
    def not_known_mechanical(self) -> Ev:
        """Non-mechanical, or the movement question was not answered."""
        return any_of(self.not_mechanical(), self.mechanical_unknown())

    def sudden_or_unknown_onset(self) -> Ev:
        if self.value("pain.onset") is None:
            return YES
        return self.is_("pain.onset", "sudden")

    def severe(self, t: Thresholds) -> Ev:
        return self.worst_at_least(t.severe_pain_worst)

    @term
    def stable(self) -> Ev:
        """Only for exemptions: both answers given and reassuring."""
        return all_of(
            self.is_("pain.trend", "improving", "same"), self.false("neuro.getting_worse")
        )

    def not_improving_v2(self) -> Ev:
        """Trend not given as improving (unknown does not reassure)."""
        if self.value("pain.trend") is None:
            return YES
        return self.is_("pain.trend", "same", "worsening")

    def trauma_not_major(self) -> Ev:
        return NO if self.value("pain.trauma") == "major" else YES

    def no_trauma_reported(self) -> Ev:
        return NO if self.value("pain.trauma") in ("minor", "major") else YES

    def started_within(self, days: int) -> Ev:
        return self.duration_at_most(days)

    # -- legs ---------------------------------------------------------------

    @term
    def leg_nerve_on(self, side: Side) -> Ev:
        """Numbness, tingling or weakness in a leg region, or shooting/burning pain there."""
        legs = leg_regions(side)
        return any_of(
            self.has("neuro.numbness", *legs),
            self.has("neuro.tingling", *legs),
            self.has("neuro.weakness", *legs),
            all_of(self.pain_in(*legs), self.has("pain.character", "shooting", "burning")),
        )

    @term
    def leg_nerve_both_sides(self) -> Ev:
        return all_of(self.leg_nerve_on("left"), self.leg_nerve_on("right"))

    @term
    def leg_nerve_either_side(self) -> Ev:
        return any_of(self.leg_nerve_on("left"), self.leg_nerve_on("right"))

    @term
    def any_leg_symptoms(self) -> Ev:
        return any_of(self.leg_nerve_either_side(), self.pain_in(*leg_regions()))

    @term
    def weakness_both_sides(self) -> Ev:
        return all_of(
            self.has("neuro.weakness", *leg_regions("left")),
            self.has("neuro.weakness", *leg_regions("right")),
        )

    @term
    def leg_weakness(self) -> Ev:
        return self.has("neuro.weakness", *leg_regions())

    @term
    def new_leg_nerve_signs(self) -> Ev:
        return any_of(
            self.has("neuro.numbness", *leg_regions()),
            self.has("neuro.tingling", *leg_regions()),
            self.has("neuro.weakness", *leg_regions()),
        )

    # -- urine --------------------------------------------------------------

    def _split_urine_questions_absent(self) -> bool:
        return not self.answered("general.painful_or_bloody_urine") and not self.answered(
            "neuro.new_bladder_urgency"
        )

    @term
    def urine_infection_symptoms(self) -> Ev:
        v1 = self.true("general.urinary_symptoms") if self._split_urine_questions_absent() else NO
        return any_of(self.true("general.painful_or_bloody_urine"), v1)

    @term
    def new_bladder_symptoms(self) -> Ev:
        v1 = self.true("general.urinary_symptoms") if self._split_urine_questions_absent() else NO
        return any_of(self.true("neuro.new_bladder_urgency"), v1)

    # -- who ----------------------------------------------------------------

    def under(self, years: int) -> Ev:
        return self.lt("person.age", years)

    def postpartum_weeks_under(self, weeks: int, *, absent_counts: bool) -> Ev:
        if not self.history("postpartum"):
            return NO
        since = self.value("person.weeks_since_birth")
        if since is None:
            return self.history("postpartum") if absent_counts else NO
        return all_of(self.history("postpartum"), self.lt("person.weeks_since_birth", weeks))

    @term
    def aortic_age(self, t: Thresholds) -> Ev:
        return any_of(
            self.age_at_least(t.aortic_min_age),
            all_of(
                self.age_at_least(t.aortic_risk_min_age),
                self.history("smoker", "high_blood_pressure", "vascular_disease"),
            ),
            self.history("aortic_risk", "pregnant"),
            self.postpartum_weeks_under(t.aortic_postpartum_weeks, absent_counts=True),
        )

    @term
    def possibly_pregnant(self) -> Ev:
        return any_of(
            self.history("pregnant"),
            self.is_("person.could_be_pregnant", "yes"),
            all_of(
                self.is_("person.could_be_pregnant", "not_sure"),
                Ev(self.value("person.pregnancy_test") != "negative"),
            ),
        )

    @term
    def later_pregnancy(self, t: Thresholds) -> Ev:
        """Pregnant from the local later-pregnancy week; unknown weeks count as both."""
        if not self.history("pregnant"):
            return NO
        if self.value("person.pregnancy_weeks") is None:
            return self.history("pregnant")
        return all_of(
            self.history("pregnant"), self.ge("person.pregnancy_weeks", t.later_pregnancy_weeks)
        )

    @term
    def early_pregnancy(self, t: Thresholds) -> Ev:
        possibly = self.possibly_pregnant()
        if not possibly:
            return NO
        weeks = self.value("person.pregnancy_weeks")
        if self.history("pregnant") and weeks is not None and weeks >= t.later_pregnancy_weeks:
            return NO
        return possibly

    def pregnant_or_recent_birth(self, t: Thresholds) -> bool:
        return bool(
            self.history("pregnant")
            or self.postpartum_weeks_under(t.postnatal_weight_advice_weeks, absent_counts=True)
        )

    @term
    def low_energy_availability(self, t: Thresholds) -> Ev:
        """Review R8 and R11 20e: BMI only for non-pregnant adults; periods otherwise."""
        stopped = self.is_("person.periods", "stopped_3_months")
        if self.under(t.adult_age):
            return stopped
        bmi = self.bmi()
        low_bmi = (
            Ev(True, ("person.height_cm", "person.weight_kg"))
            if bmi is not None
            and bmi < t.low_bmi - TOLERANCE
            and not self.pregnant_or_recent_birth(t)
            else NO
        )
        return any_of(low_bmi, stopped, all_of(self.is_("person.periods", "irregular"), low_bmi))

    @term
    def bone_stress_risk(self, t: Thresholds) -> Ev:
        return any_of(self.low_energy_availability(t), self.history("previous_bone_stress_injury"))


# The name the version-2 rules were written against; one class serves both.
FactsV2 = Facts


def _holds(value: float, op: str, threshold: float) -> bool:
    if op == ">=":
        return value >= threshold - TOLERANCE
    if op == ">":
        return value > threshold + TOLERANCE
    if op == "<=":
        return value <= threshold + TOLERANCE
    if op == "<":
        return value < threshold - TOLERANCE
    raise ValueError(f"unknown comparison {op!r}")


def _concat(*conditions: Ev) -> Ev:
    findings: Iterable[str] = (f for c in conditions if c.ok for f in c.findings)
    collected = tuple(findings)
    return Ev(bool(collected), collected)
