"""The assessment wizard: the intake in short steps, as plain HTML forms.

Answers travel with the form (hidden fields carry the other steps), so going
back and forward never loses anything and the server keeps no draft. Field
names are intake paths; this module turns the submitted form into an intake
document, reading each field's type from the intake's own JSON Schema.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from backstride.domain.intake import intake_json_schema

DAYS_PER_UNIT = {"days": 1, "weeks": 7, "months": 30, "years": 365}
UNIT_SUFFIX = "__unit"
# Lists where "nothing ticked" means "none of these", not "don't know".
NONE_WHEN_EMPTY = ("person.history", "neuro.numbness", "neuro.tingling", "neuro.weakness")


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    intro: str
    fields: tuple[str, ...]


STEPS: tuple[Step, ...] = (
    Step("you", "About you", "A few facts that change what your back pain may mean.",
         ("person.age", "person.sex", "person.height_cm", "person.weight_kg")),
    Step("where", "Where it hurts", "Tap every area where you feel the pain, front and back.",
         ("pain.regions",)),
    Step("pain", "The pain", "How it started and how strong it is.",
         ("pain.started_days_ago", "pain.onset", "pain.trauma", "pain.worst_0_10",
          "pain.now_0_10", "pain.character", "pain.changes_with_movement", "pain.trend",
          "pain.night", "pain.morning_stiffness_min")),
    Step("pattern", "What changes it", "What makes it worse or better, and how it behaves on runs.",
         ("pain.aggravated_by", "pain.eased_by", "pain.during_run_starts_after_min",
          "pain.after_run", "pain.with_menstrual_cycle", "pain.previous_episodes")),
    Step("nerves", "Numbness, tingling, weakness",
         "Tap where you feel numbness, pins and needles or weakness; leave a map empty if none.",
         ("neuro.numbness", "neuro.tingling", "neuro.weakness", "neuro.getting_worse",
          "neuro.leg_drags_or_trips", "neuro.walking_limited_by_leg_symptoms",
          "neuro.leg_symptoms_started_days_ago")),
    Step("safety", "Safety questions",
         "We ask everyone these. They pick up rare problems that need a doctor quickly.",
         ("neuro.saddle_numbness", "neuro.bladder_change", "neuro.bowel_change",
          "neuro.sexual_change", "general.chest_pain_or_breathless", "general.faint_or_collapse",
          "general.pulsating_abdomen", "general.fever_or_chills", "general.feels_unwell",
          "general.recent_infection", "general.urinary_symptoms",
          "general.unexplained_weight_loss")),
    Step("history", "Health history", "Tick any that apply to you.", ("person.history",)),
    Step("running", "Your running", "Skip anything you don't know.",
         ("running.years_running", "running.runs_per_week", "running.km_last_week",
          "running.km_per_week_before", "running.returned_after_break_weeks",
          "running.surfaces", "running.shoe_km", "running.cadence_spm", "running.warms_up",
          "running.strength_sessions_per_week", "running.cross_training",
          "running.sitting_hours_per_day", "running.recent_changes")),
    Step("outlook", "How it affects you", "How you feel about the pain matters for recovery.",
         ("outlook.bothersome", "outlook.fears_running_harms_back", "outlook.worries_a_lot",
          "outlook.expects_it_never_gets_better", "outlook.low_mood")),
)  # fmt: skip
STEP_IDS = tuple(step.id for step in STEPS)
REVIEW = "review"
BODY_MAP_FIELDS = ("pain.regions", "neuro.numbness", "neuro.tingling", "neuro.weakness")


@dataclass(frozen=True)
class FieldSpec:
    path: str
    kind: str  # integer | number | boolean | choice | multi
    options: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    required: bool = False


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        target = schema["$defs"][node["$ref"].split("/")[-1]]
        return {**_resolve(schema, target), **{k: v for k, v in node.items() if k != "$ref"}}
    return node


@cache
def field_specs() -> dict[str, FieldSpec]:
    """Every leaf field of the intake, from its JSON Schema."""
    schema = intake_json_schema()
    specs: dict[str, FieldSpec] = {}
    for section, node in schema["properties"].items():
        section_node = _resolve(schema, node)
        required = set(section_node.get("required", []))
        for name, raw in section_node.get("properties", {}).items():
            field = _resolve(schema, raw)
            path = f"{section}.{name}"
            if field.get("type") == "array":
                items = _resolve(schema, field["items"])
                specs[path] = FieldSpec(path, "multi", tuple(items.get("enum", ())))
            elif "enum" in field:
                specs[path] = FieldSpec(path, "choice", tuple(field["enum"]))
            elif field.get("type") in ("integer", "number", "boolean"):
                specs[path] = FieldSpec(
                    path,
                    field["type"],
                    minimum=field.get("minimum"),
                    maximum=field.get("maximum"),
                    required=name in required,
                )
    return specs


def step_index(step_id: str) -> int:
    return STEP_IDS.index(step_id) if step_id in STEP_IDS else len(STEPS)


def _number(raw: str, kind: str) -> int | float | str:
    text = raw.strip().replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return raw  # left as text: validation reports it with the field's path
    if kind == "integer" and value.is_integer():
        return int(value)
    return value


def intake_from_answers(answers: Mapping[str, Sequence[str]], visited: set[str]) -> dict[str, Any]:
    """Build the intake document from the wizard's answers. Blank means "don't know"."""
    specs = field_specs()
    document: dict[str, Any] = {"schema": "backstride.intake/1"}
    for path, spec in specs.items():
        values = [v for v in answers.get(path, ()) if v.strip()]
        value: Any
        if spec.kind == "multi":
            step = next((s.id for s in STEPS if path in s.fields), None)
            if not values and not (path in NONE_WHEN_EMPTY and step in visited):
                continue
            value = [v for v in spec.options if v in values]
        elif not values:
            continue
        elif spec.kind == "boolean":
            if values[0] not in ("yes", "no"):
                continue
            value = values[0] == "yes"
        elif spec.kind in ("integer", "number"):
            value = _number(values[0], spec.kind)
            unit = answers.get(path + UNIT_SUFFIX, ["days"])
            if isinstance(value, int | float) and unit and unit[0] in DAYS_PER_UNIT:
                value = (
                    round(value * DAYS_PER_UNIT[unit[0]]) if path.endswith("days_ago") else value
                )
        else:
            value = values[0]
        section, name = path.split(".", 1)
        document.setdefault(section, {})[name] = value
    # The function (PSFS) list is not asked in the wizard; sections stay absent when empty.
    document.setdefault("person", {})
    document.setdefault("pain", {})
    return document


def step_of(path: str) -> str | None:
    """The step that asks a field (for showing a validation problem where it belongs)."""
    field_path = path.split("[")[0]
    for step in STEPS:
        if any(field_path == f or field_path.startswith(f + ".") for f in step.fields):
            return step.id
    return None
