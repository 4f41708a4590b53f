"""Exercises as frozen domain objects, and the contraindication check a plan builder needs.

Pure and synchronous: no file or clock access. The content loader
(`backstride.content.library`) validates every exercise file into these models.

Vocabularies here mirror the shared contracts: condition ids from the assessment
contract and intake field paths from the intake schema (`backstride.intake/1`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from enum import Enum
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from backstride.domain.assessment.document import CauseId, FactorId, SeriousId
from backstride.domain.assessment.intake import (
    Aggravator,
    Character,
    Easer,
    History,
    Night,
    Onset,
    Region,
    Sex,
    Trauma,
    Trend,
)

# --- vocabularies -------------------------------------------------------------

SERIOUS_CONDITIONS: frozenset[str] = frozenset(get_args(SeriousId))
"""Serious condition ids (assessment contract). Any of them blocks every exercise."""

OTHER_CONDITIONS: frozenset[str] = frozenset(get_args(CauseId))
CONDITION_IDS: frozenset[str] = SERIOUS_CONDITIONS | OTHER_CONDITIONS
FACTOR_IDS: frozenset[str] = frozenset(get_args(FactorId))
_REGIONS: frozenset[str] = frozenset(get_args(Region))


def _values(literal: Any) -> frozenset[str]:
    return frozenset(get_args(literal))


# Intake fields a contraindication may test. `None` = a boolean field (tested by its
# path alone); a set = an enum or array field (tested as `path=value`).
FINDING_FIELDS: Mapping[str, frozenset[str] | None] = {
    "person.sex": _values(Sex),
    "person.history": _values(History),
    "pain.onset": _values(Onset),
    "pain.trauma": _values(Trauma),
    "pain.regions": _REGIONS,
    "pain.character": _values(Character),
    "pain.after_run": None,
    "pain.night": _values(Night),
    "pain.aggravated_by": _values(Aggravator),
    "pain.eased_by": _values(Easer),
    "pain.changes_with_movement": None,
    "pain.with_menstrual_cycle": None,
    "pain.trend": _values(Trend),
    "neuro.numbness": _REGIONS,
    "neuro.tingling": _REGIONS,
    "neuro.weakness": _REGIONS,
    "neuro.leg_drags_or_trips": None,
    "neuro.saddle_numbness": None,
    "neuro.bladder_change": None,
    "neuro.bowel_change": None,
    "neuro.sexual_change": None,
    "neuro.getting_worse": None,
    "neuro.walking_limited_by_leg_symptoms": None,
    "general.fever_or_chills": None,
    "general.unexplained_weight_loss": None,
    "general.feels_unwell": None,
    "general.pulsating_abdomen": None,
    "general.faint_or_collapse": None,
    "general.urinary_symptoms": None,
    "general.recent_infection": None,
    "general.chest_pain_or_breathless": None,
    "running.warms_up": None,
}


class FindingError(ValueError):
    """A finding string that does not name an intake field (or value) correctly."""


def parse_finding(text: str) -> tuple[str, str | None]:
    """Split `path` or `path=value` and check both against the intake vocabulary.

    Returns (path, value); value is None for a boolean field.
    """
    path, sep, value = text.partition("=")
    if path not in FINDING_FIELDS:
        raise FindingError(f"{text!r}: {path!r} is not an intake field a finding can test")
    allowed = FINDING_FIELDS[path]
    if allowed is None:
        if sep:
            raise FindingError(f"{text!r}: {path!r} is a yes/no field; write it without '='")
        return path, None
    if not sep:
        raise FindingError(f"{text!r}: {path!r} needs a value, e.g. '{path}={min(allowed)}'")
    if value not in allowed:
        raise FindingError(f"{text!r}: {value!r} is not a value of {path!r}")
    return path, value


def _lookup(document: object, dotted: str) -> object:
    """Follow a dotted path through mappings or attributes; missing → None."""
    current: object = document
    for part in dotted.split("."):
        if current is None:
            return None
        if isinstance(current, Mapping):
            current = current.get(part)
        else:
            current = getattr(current, part, None)
    return current


def _plain(value: object) -> object:
    return value.value if isinstance(value, Enum) else value


def finding_present(finding: str, intake: object) -> bool:
    """Whether an intake (a JSON-like mapping or a model with the same field names) shows it.

    Absent fields mean 'not asked / unknown' and never match.
    """
    path, value = parse_finding(finding)
    found = _plain(_lookup(intake, path))
    if value is None:
        return found is True
    if isinstance(found, list | tuple | set | frozenset):
        return value in {_plain(item) for item in found}
    return found == value


def _check_finding(text: str) -> str:
    parse_finding(text)
    return text


# --- small value types ------------------------------------------------------

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=48)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
FindingText = Annotated[str, AfterValidator(_check_finding)]

ConditionId = SeriousId | CauseId
OtherConditionId = Literal[
    "nonspecific_mechanical",
    "deep_gluteal_piriformis",
    "radicular_sciatica",
    "lumbar_spinal_stenosis",
    "facet_joint",
    "sacroiliac_joint",
    "spondylolysis",
    "inflammatory_back_pain",
    "menstrual_related",
]
Kind = Literal["stretch", "mobility", "strength", "self_release", "aerobic"]
Phase = Literal["settle", "restore", "strengthen", "return", "prevent"]
PHASES: tuple[Phase, ...] = ("settle", "restore", "strengthen", "return", "prevent")
Equipment = Literal[
    "none",
    "mat",
    "massage_ball",
    "lacrosse_ball",
    "resistance_band",
    "exercise_ball",
    "wall",
    "chair",
    "towel_or_strap",
    "step",
    "pillow",
    "stick",
]
Target = Literal[
    "lumbar_spine",
    "thoracic_spine",
    "pelvis",
    "hip_joint",
    "hip_flexors",
    "glute_max",
    "glute_med",
    "deep_gluteals",
    "hamstrings",
    "quadriceps",
    "adductors",
    "calves",
    "ankle",
    "abdominals",
    "deep_abdominals",
    "obliques",
    "back_extensors",
    "shoulders",
    "heart_and_lungs",
    "whole_body",
]


def _to_span(value: object) -> object:
    """Accept `12` or `[8, 12]` in YAML; store a (low, high) pair."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return (value, value)
    return value


def _ordered(span: tuple[int, int]) -> tuple[int, int]:
    low, high = span
    if low < 0 or high < low:
        raise ValueError(f"range {span} must be non-negative and low ≤ high")
    return span


Span = Annotated[tuple[int, int], BeforeValidator(_to_span), AfterValidator(_ordered)]


def span_text(span: tuple[int, int]) -> str:
    low, high = span
    return str(low) if low == high else f"{low}–{high}"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --- dosage -----------------------------------------------------------------


class Dosage(_Frozen):
    """How much: one of reps, hold time or minutes, plus sets, rest and weekly frequency."""

    sets: Span = (1, 1)
    reps: Span | None = None
    hold_seconds: Span | None = None
    minutes: Span | None = None
    per_side: bool = False
    rest_seconds: Span | None = None
    times_per_week: Span
    note: Text | None = None

    @model_validator(mode="after")
    def _has_amount(self) -> Dosage:
        if self.reps is None and self.hold_seconds is None and self.minutes is None:
            raise ValueError("a dosage needs reps, hold_seconds or minutes")
        return self

    def describe(self) -> str:
        """One plain sentence, e.g. '2–3 sets of 8–12 reps each side, rest 60 s; 3 times a week'."""
        parts: list[str] = []
        amount: list[str] = []
        if self.reps is not None:
            amount.append(f"{span_text(self.reps)} reps")
        if self.hold_seconds is not None:
            hold = f"hold {span_text(self.hold_seconds)} s"
            amount.append(hold if not amount else f"each held {span_text(self.hold_seconds)} s")
        if self.minutes is not None:
            amount.append(f"{span_text(self.minutes)} min")
        what = ", ".join(amount)
        if self.per_side:
            what += " each side"
        if self.sets != (1, 1):
            what = f"{span_text(self.sets)} sets of {what}"
        parts.append(what[0].upper() + what[1:])
        if self.rest_seconds is not None:
            parts.append(f"rest {span_text(self.rest_seconds)} s between sets")
        sentence = ", ".join(parts)
        times = span_text(self.times_per_week)
        plural = "" if self.times_per_week == (1, 1) else "s"
        sentence += f"; {times} time{plural} a week"
        if self.note:
            sentence += f". {self.note}"
        return sentence


# --- contraindications -------------------------------------------------------


class Contraindication(_Frozen):
    """When not to do an exercise (`avoid`) or to do it only with the stated change (`caution`).

    Exactly one of `condition` (an assessment condition id) or `finding` (an intake
    path, `path` for a yes/no field or `path=value` for an enum/list field).
    """

    condition: ConditionId | None = None
    finding: FindingText | None = None
    level: Literal["avoid", "caution"] = "avoid"
    reason: Text
    sources: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _one_test(self) -> Contraindication:
        if (self.condition is None) == (self.finding is None):
            raise ValueError("give exactly one of 'condition' or 'finding'")
        return self

    @property
    def test(self) -> str:
        """The id or finding string this entry tests (for display and tracing)."""
        return self.condition if self.condition is not None else str(self.finding)

    def applies(self, conditions: Collection[str], intake: object | None) -> bool:
        if self.condition is not None:
            return self.condition in conditions
        if intake is None or self.finding is None:
            return False
        return finding_present(self.finding, intake)


# --- illustration pose ---------------------------------------------------------

Angle = Annotated[float, Field(ge=-360, le=360)]
PointName = Literal[
    "pelvis",
    "mid_back",
    "neck",
    "head",
    "right_hip",
    "right_knee",
    "right_ankle",
    "right_toe",
    "right_shoulder",
    "right_elbow",
    "right_wrist",
    "left_hip",
    "left_knee",
    "left_ankle",
    "left_toe",
    "left_shoulder",
    "left_elbow",
    "left_wrist",
]


class Limb(_Frozen):
    """Joint angles for one side, in degrees, measured as a physiotherapist would.

    `hip` and `shoulder`: flexion + (the limb swings forwards; 180 = arm overhead),
    extension −. `hip_out` / `arm_out`: abduction (the limb swings out to the side).
    `hip_rot`: external (+) or internal (−) rotation of the thigh about its own
    axis, which swings a bent knee's lower leg across the body (figure 4). `knee`
    and `elbow`: flexion (0 = straight). `ankle`: plantarflexion + (toes pointed),
    dorsiflexion −. `arm_rot`: external (+) or internal (−) rotation of the upper
    arm, which turns the plane the elbow bends in (+: the forearm towards the
    head when the arm is out to the side). `knee_open`: the whole leg turns about
    the line from hip to ankle, so a bent knee opens out while the foot stays put
    (clamshell).
    The figure is a 3-D body seen by a camera (`figure_svg`), so every angle means
    the same in every view.
    """

    hip: Annotated[float, Field(ge=-60, le=160)] = 0
    hip_out: Annotated[float, Field(ge=-45, le=90)] = 0
    hip_rot: Annotated[float, Field(ge=-60, le=80)] = 0
    knee_open: Annotated[float, Field(ge=-60, le=90)] = 0
    knee: Annotated[float, Field(ge=-10, le=165)] = 0
    ankle: Annotated[float, Field(ge=-45, le=90)] = 0
    shoulder: Annotated[float, Field(ge=-90, le=200)] = 0
    arm_out: Annotated[float, Field(ge=-45, le=180)] = 0
    arm_rot: Annotated[float, Field(ge=-90, le=90)] = 0
    elbow: Annotated[float, Field(ge=-10, le=160)] = 0


class Pose(_Frozen):
    """One key position of the stick figure.

    `trunk`: lean of the whole body in the picture plane (side view: 0 = standing
    tall, +90 = horizontal face down, −90 = lying on the back; front view: +
    leans to the viewer's right, −90 = lying on the right side, head to the
    left). `turn`: the whole body turns about its long axis before leaning (side
    view: + turns the chest towards the viewer). `spine`: + rounded, − arched.
    `side_bend`: the upper trunk bends towards the person's left (+) or right (−).
    `twist`: the pelvis and legs turn about the spine, towards the person's right
    (+), while the chest stays (supine twist). `neck`: + chin towards chest.
    `right` is the side nearer the viewer in the side view; `left` defaults to the
    same angles. `contacts`: points that must touch the floor (or the prop they
    rest on).
    """

    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
    trunk: Angle
    turn: Annotated[float, Field(ge=-180, le=180)] = 0
    spine: Annotated[float, Field(ge=-60, le=60)] = 0
    side_bend: Annotated[float, Field(ge=-45, le=45)] = 0
    twist: Annotated[float, Field(ge=-90, le=90)] = 0
    neck: Annotated[float, Field(ge=-60, le=70)] = 0
    right: Limb = Limb()
    left: Limb | None = None
    contacts: tuple[PointName, ...] = ()

    @property
    def far(self) -> Limb:
        return self.left if self.left is not None else self.right


class Prop(_Frozen):
    """Something drawn with the figure.

    mat: under the figure. ball: `place: under` a point (the body rests on it) or
    `left`/`right` of it (e.g. between back and wall). wall: a vertical wall `left`
    or `right` of a point (beyond a ball placed on the same side). band and strap:
    a line between `at` and `to`. chair: a seat under a point. step: a low box under a point.
    arrow: not a thing but a hint, drawn with the end position: a curved arrow from
    where the point `at` was at the start to where it is at the end.
    """

    kind: Literal["mat", "ball", "band", "strap", "wall", "chair", "step", "arrow"]
    size: Literal["small", "medium", "large"] = "medium"
    at: PointName | None = None
    to: PointName | None = None
    place: Literal["under", "left", "right"] = "under"

    @model_validator(mode="after")
    def _anchors(self) -> Prop:
        needs_at = self.kind != "mat"
        if needs_at and self.at is None:
            raise ValueError(f"a {self.kind} needs 'at' (the point it is attached to)")
        if self.kind in {"band", "strap"} and self.to is None:
            raise ValueError(f"a {self.kind} needs 'to' (its other end)")
        if self.kind == "wall" and self.place == "under":
            raise ValueError("a wall is placed 'left' or 'right' of a point")
        return self


class Illustration(_Frozen):
    """Start and end positions of a stick figure, drawn by `figure_svg`.

    `view`: where the camera stands (side: at the person's right; front: in front
    of them). `tilt`: how far the camera looks down from above, in degrees (0 =
    level), so that movements towards or away from the viewer show; `pan`: how far
    it walks round to the right (+) or left (−) of that position. `thumbnail`:
    the position the library's small picture shows.
    """

    view: Literal["side", "front"] = "side"
    tilt: Annotated[float, Field(ge=0, le=60)] = 0
    pan: Annotated[float, Field(ge=-60, le=60)] = 0
    start: Pose
    end: Pose
    props: tuple[Prop, ...] = ()
    anchor: PointName | None = None
    """The point that stays still between start and end (default: a shared contact)."""
    thumbnail: Literal["start", "end"] = "end"


# --- the exercise ---------------------------------------------------------------


class Exercise(_Frozen):
    """One exercise page: what it is, how to do it, how much, and when not to."""

    slug: Slug
    name: Text
    aliases: tuple[Text, ...] = ()
    kind: Kind
    targets: tuple[Target, ...] = Field(min_length=1)
    equipment: tuple[Equipment, ...] = Field(min_length=1)
    phases: tuple[Phase, ...] = Field(min_length=1)
    difficulty: Annotated[int, Field(ge=1, le=5)]
    summary: Text
    steps: tuple[Text, ...] = Field(min_length=2)
    dosage: Dosage
    cues: tuple[Text, ...] = Field(min_length=1)
    mistakes: tuple[Text, ...] = Field(min_length=1)
    variations: tuple[Text, ...] = ()
    stop_if: tuple[Text, ...] = ()
    contraindications: tuple[Contraindication, ...] = ()
    easier: tuple[Slug, ...] = ()
    harder: tuple[Slug, ...] = ()
    suited_to: tuple[OtherConditionId, ...] = ()
    addresses: tuple[FactorId, ...] = ()
    why: Text
    sources: tuple[str, ...] = Field(min_length=1)
    reviewed_on: dt.date
    illustration: Illustration

    @model_validator(mode="after")
    def _consistent(self) -> Exercise:
        problems: list[str] = []
        for field in ("aliases", "targets", "equipment", "phases", "sources", "easier", "harder"):
            values: tuple[Any, ...] = getattr(self, field)
            if len(set(values)) != len(values):
                problems.append(f"{field} has duplicates")
        if self.slug in self.easier or self.slug in self.harder:
            problems.append("an exercise cannot be its own easier or harder version")
        if set(self.easier) & set(self.harder):
            problems.append("a slug is listed as both easier and harder")
        if "none" in self.equipment and len(self.equipment) > 1:
            problems.append("equipment 'none' cannot be combined with other equipment")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def matching_contraindications(
        self, conditions: Collection[str], intake: object | None = None
    ) -> tuple[Contraindication, ...]:
        """The entries that apply to this person (condition ids from the assessment,
        the intake as a JSON-like mapping or a model with the same field names)."""
        return tuple(c for c in self.contraindications if c.applies(conditions, intake))


class Suitability(_Frozen):
    """The contraindication check for one exercise and one person, with reasons."""

    slug: str
    allowed: bool
    cautions: tuple[Contraindication, ...] = ()
    blocked_by: tuple[Contraindication, ...] = ()
    serious: tuple[str, ...] = ()

    @property
    def reasons(self) -> tuple[str, ...]:
        serious = tuple(
            f"{cid}: a serious condition needs a clinician before any exercise plan"
            for cid in self.serious
        )
        return serious + tuple(f"{c.test}: {c.reason}" for c in self.blocked_by)


def check_exercise(
    exercise: Exercise, conditions: Iterable[str], intake: object | None = None
) -> Suitability:
    """Decide whether an exercise may go into a plan.

    Blocked when any serious condition is present (triage is the gate: these need a
    clinician, not a plan) or any `avoid` entry applies; `caution` entries that apply
    are returned so the plan can show the change they ask for.
    """
    present = frozenset(conditions)
    unknown = present - CONDITION_IDS
    if unknown:
        raise ValueError(f"unknown condition ids: {sorted(unknown)}")
    matching = exercise.matching_contraindications(present, intake)
    blocked = tuple(c for c in matching if c.level == "avoid")
    cautions = tuple(c for c in matching if c.level == "caution")
    serious = tuple(sorted(present & SERIOUS_CONDITIONS))
    return Suitability(
        slug=exercise.slug,
        allowed=not blocked and not serious,
        cautions=cautions,
        blocked_by=blocked,
        serious=serious,
    )
