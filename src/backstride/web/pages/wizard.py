"""The assessment wizard: the intake in short steps, as plain HTML forms.

The steps, their questions, their wording and when each question is asked come
from ``content/questions.yaml`` (:mod:`backstride.content.questions`), the same
definition the terminal questionnaire reads. Field names are intake paths.

Answers travel with the form (hidden fields carry the other steps), so the
server keeps no draft. In the browser, ``static/wizard.js`` keeps a copy of the
form in ``sessionStorage`` and puts each step in the history, so Back, Forward
and a reload return to the step with its answers.

The safety screen (review R6) is checked here, on the server, not only by the
browser: the four cauda equina questions need yes, no or not sure, and "not
sure" about saddle numbness or the bladder is accepted only once the self-check
has been shown; the other warning signs need an answer each, or "None of these
apply to me"; nothing is pre-selected. The result is saved only when the
domain's own safety screen of the intake is complete, and the final POST answers
with a redirect (303) so that a refresh never sends it again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from backstride.content.questions import (
    NERVE_GATE,
    NERVE_MAPS,
    REGION_FIELDS,
    FieldSpec,
    Questions,
    field_specs,
    load_questions,
)
from backstride.domain.assessment.facts import FactsV2
from backstride.domain.assessment.safety_screen import safety_screen
from backstride.services import assessing, training
from backstride.services.care import care_state
from backstride.services.ports import Clock, UnitOfWork
from backstride.services.validation import InvalidDocument
from backstride.web.forms import ANSWER_NEEDED, number
from backstride.web.templating import templates

DAYS_PER_UNIT = {"days": 1, "weeks": 7, "months": 30, "years": 365}
UNIT_SUFFIX = "__unit"
REVIEW = "review"
RUNNING_STEP = "running"  # the step whose answers the run log can fill
NOT_NOTICED = "not_noticed"  # the sexual question's "I haven't had the chance to notice"
# Lists where "nothing ticked" on a visited step means "none of these", not "don't know".
NONE_WHEN_EMPTY = ("person.history", *NERVE_MAPS)
BODY_MAP_FIELDS = REGION_FIELDS
SELF_CHECK_FIRST = 'please do the check below before answering "not sure", then answer again'
NO_NERVE_AREA = "tap where you feel numbness, pins and needles or weakness, or answer No above"


def questions() -> Questions:
    return load_questions()


def step_ids() -> tuple[str, ...]:
    return tuple(section.id for section in questions().sections)


# -- the form's answers ---------------------------------------------------------------


@dataclass
class FormState:
    """One submitted wizard form: the answers (as typed) and the wizard's own fields."""

    raw: dict[str, list[str]]
    current: str
    go: str = "next"
    visited: set[str] = field(default_factory=set)
    shown: tuple[str, ...] = ()
    checked: set[str] = field(default_factory=set)  # self-check shown for these questions
    open_warning: bool = False
    none_of_these: bool = False

    @classmethod
    def from_form(cls, items: Sequence[tuple[str, Any]]) -> FormState:
        known = set(questions().order())
        raw: dict[str, list[str]] = {}
        control: dict[str, str] = {}
        for key, value in items:
            if not isinstance(value, str):
                continue
            if key.startswith("_"):
                control[key] = value
            elif key in known or key.removesuffix(UNIT_SUFFIX) in known:
                raw.setdefault(key, []).append(value)
        current = control.get("_step", step_ids()[0])
        return cls(
            raw=raw,
            current=current,
            go=control.get("_go", "next"),
            visited=_split(control.get("_visited", "")) | {current},
            shown=tuple(_split(control.get("_shown", ""), ordered=True)),
            checked=_split(control.get("_checked", "")),
            open_warning=control.get("_open_warning") == "1",
            none_of_these=control.get("_none_of_these") == "1",
        )

    def typed(self) -> dict[str, Any]:
        return typed_answers(self.raw, self.visited)

    def document(self) -> dict[str, Any]:
        return questions().to_document(self.typed(), open_warning=self.open_warning)


def _split(text: str, *, ordered: bool = False) -> Any:
    parts = [part for part in text.split(",") if part]
    return list(dict.fromkeys(parts)) if ordered else set(parts)


def _typed(path: str, spec: FieldSpec, values: list[str], unit: str) -> Any:
    first = values[0]
    if spec.kind == "boolean":
        return {"yes": True, "no": False}.get(first)
    if spec.kind == "tristate":
        return {"yes": True, "no": False, "not_sure": "not_sure", NOT_NOTICED: "not_sure"}.get(
            first
        )
    if spec.kind in ("integer", "number"):
        # Text that is not a number is left as text: validation reports it with its path.
        value = number(first, "integer" if spec.kind == "integer" else "number")
        if path.endswith("days_ago") and isinstance(value, int | float):
            return round(value * DAYS_PER_UNIT.get(unit, 1))
        return value
    return first


def typed_answers(raw: Mapping[str, Sequence[str]], visited: set[str]) -> dict[str, Any]:
    """The form's answers as the intake would hold them, by path. Blank is "don't know"."""
    q = questions()
    specs = field_specs()
    typed: dict[str, Any] = {}
    for path in q.order():
        values = [v for v in raw.get(path, ()) if v.strip()]
        if not q.field(path).intake:
            if values and values[0] in ("yes", "no"):
                typed[path] = values[0] == "yes"
            continue
        spec = specs[path]
        if spec.kind == "multi":
            section = q.section_of(path)
            if values:
                typed[path] = [v for v in spec.options if v in values]
            elif path in NONE_WHEN_EMPTY and section is not None and section.id in visited:
                typed[path] = []
            continue
        if not values:
            continue
        unit = (raw.get(path + UNIT_SUFFIX) or ["days"])[0]
        value = _typed(path, spec, values, unit)
        if value is not None:
            typed[path] = value
    return typed


def intake_from_answers(
    raw: Mapping[str, Sequence[str]], visited: set[str], *, open_warning: bool = False
) -> dict[str, Any]:
    """The ``backstride.intake/2`` document of the wizard's answers."""
    typed = typed_answers(raw, visited)
    return questions().to_document(typed, open_warning=open_warning)


# -- which steps apply, and checking one ---------------------------------------------------


def asked_in(step_id: str, state: FormState) -> tuple[str, ...]:
    return questions().asked_in(step_id, state.typed(), open_warning=state.open_warning)


def steps_in_use(state: FormState) -> list[str]:
    """The steps with at least one question to ask, given the answers so far."""
    return [step for step in step_ids() if asked_in(step, state)]


def _neighbour(state: FormState, step_id: str, offset: int) -> str:
    ids = step_ids()
    used = steps_in_use(state)
    index = ids.index(step_id) if step_id in ids else len(ids)
    candidates = [s for s in used if (ids.index(s) > index if offset > 0 else ids.index(s) < index)]
    if offset > 0:
        return candidates[0] if candidates else REVIEW
    return candidates[-1] if candidates else used[0]


def check_step(step_id: str, state: FormState) -> dict[str, str]:
    """What stops the runner leaving ``step_id``, by question; empty when nothing does.

    Updates ``state``: "None of these apply to me" becomes an explicit no for each
    unanswered warning sign, and a first "not sure" about saddle numbness or the
    bladder is taken back, with the self-check shown (review R6 3a).
    """
    q = questions()
    errors: dict[str, str] = {}
    asked = asked_in(step_id, state)
    typed = state.typed()
    group = [p for p in asked if q.field(p).warning_group]
    if group and state.none_of_these:
        said_yes = [p for p in group if typed.get(p) is True]
        for path in said_yes:
            errors[path] = (
                f'you answered yes here and also chose "{q.texts["none_of_these"]}": please check'
            )
        if not said_yes:
            for path in group:
                state.raw.setdefault(path, ["no"])
            typed = state.typed()
    for path in asked:
        text = q.field(path)
        if path in errors:
            continue
        if q.must_answer(path) and path not in typed:
            errors[path] = ANSWER_NEEDED
        elif text.self_check and typed.get(path) == "not_sure" and path not in state.checked:
            state.checked.add(path)
            state.raw.pop(path, None)
            errors[path] = SELF_CHECK_FIRST
    nerve_detail = typed.get(NERVE_GATE) is True and NERVE_MAPS[0] in asked
    if nerve_detail and not any(typed.get(p) for p in NERVE_MAPS):
        errors[NERVE_MAPS[0]] = NO_NERVE_AREA
    try:
        assessing.parse_intake(state.document())
    except InvalidDocument as invalid:
        for problem in invalid.problems:
            path = problem.path.split("[")[0]
            if path in asked and path not in errors:
                required = problem.message == "is required"
                spec = field_specs().get(path)
                if required:
                    errors[path] = ANSWER_NEEDED
                elif spec is not None and spec.kind in ("integer", "number"):
                    errors[path] = number_error(path, spec, state.raw.get(path + UNIT_SUFFIX))
                else:
                    errors[path] = problem.message
    return errors


# What a number answer counts, by a word of its name (for the error message).
NUMBER_UNITS = {"weeks": "weeks", "min": "minutes", "km": "km", "spm": "steps a minute"}


def number_error(path: str, spec: FieldSpec, unit: Sequence[str] | None = None) -> str:
    """A plain-language message for a number answer the intake refused, e.g.
    "Enter a whole number of weeks, like 3", instead of the validator's wording.

    ``unit`` is what the form's unit select said, for the "how long ago" answers (their
    range is in days, so it is not quoted in the runner's unit).
    """
    whole = spec.kind == "integer"
    low, high = spec.minimum, spec.maximum
    if path.endswith("days_ago"):
        noun = (unit or ["days"])[0]
        noun = noun if noun in DAYS_PER_UNIT else "days"
        low, high = None, None
        whole = False if noun != "days" else whole
    else:
        words = path.rsplit(".", 1)[-1].split("_")
        noun = next((NUMBER_UNITS[w] for w in words if w in NUMBER_UNITS), "")
    what = ("a whole number" if whole else "a number") + (f" of {noun}" if noun else "")
    example = 3.0
    if low is not None:
        example = max(example, low)
    if high is not None:
        example = min(example, high)
    like = f"like {example:g}"
    if low is not None and high is not None:
        return f"Enter {what} from {low:g} to {high:g}, {like}"
    if low is not None and low > 0:
        return f"Enter {what}, {low:g} or more, {like}"
    return f"Enter {what}, {like}"


def new_follow_ups(step_id: str, state: FormState) -> list[str]:
    """Questions of this step that the answers just made apply, not shown yet."""
    return [p for p in asked_in(step_id, state) if p not in state.shown]


# -- what a step shows ------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One question as the template renders it."""

    path: str
    kind: str  # scale | number | days | boolean | tristate | choice | multi | bodymap
    label: str
    question: str
    hint: str | None
    options: tuple[tuple[str, str], ...]
    current: tuple[str, ...]
    required: bool
    error: str | None = None
    unit: str = "days"
    minimum: float | None = None
    maximum: float | None = None
    step: str = "1"
    group: bool = False
    self_check: bool = False

    @property
    def id(self) -> str:
        return self.path.replace(".", "-")


def _kind(path: str, spec: FieldSpec | None) -> str:
    if spec is None:
        return "boolean"
    if path in BODY_MAP_FIELDS:
        return "bodymap"
    if spec.kind in ("integer", "number"):
        if path.endswith("_0_10"):
            return "scale"
        return "days" if path.endswith("days_ago") else "number"
    return spec.kind


def _options(path: str, kind: str, state: FormState) -> tuple[tuple[str, str], ...]:
    q = questions()
    text = q.field(path)
    texts = q.texts
    if kind == "tristate":
        options = [("yes", texts["yes"]), ("no", texts["no"]), ("not_sure", texts["not_sure"])]
        if text.not_noticed:
            options.append((NOT_NOTICED, texts["not_noticed"]))
        return tuple(options)
    if kind == "boolean":
        labels = text.options
        return (("yes", labels.get("yes", texts["yes"]).capitalize()),
                ("no", labels.get("no", texts["no"]).capitalize()))  # fmt: skip
    if kind == "scale":
        return tuple((str(n), str(n)) for n in range(11))
    values = q.options_for(path, state.typed())
    return tuple((v, q.option(path, v)) for v in values)


def items_for(
    step_id: str,
    state: FormState,
    errors: Mapping[str, str],
    measured: Mapping[str, tuple[str, str]] | None = None,
) -> list[Item]:
    q = questions()
    measured = measured or {}
    specs = field_specs()
    items = []
    for path in asked_in(step_id, state):
        text = q.field(path)
        spec = specs.get(path) if text.intake else None
        kind = _kind(path, spec)
        items.append(
            Item(
                path=path,
                kind=kind,
                label=text.label,
                question=text.web_question or text.question,
                hint=_measured_hint(path, state, measured) or text.hint,
                options=_options(path, kind, state),
                current=tuple(state.raw.get(path, ())),
                required=q.must_answer(path),
                error=errors.get(path),
                unit=(state.raw.get(path + UNIT_SUFFIX) or ["days"])[0],
                minimum=spec.minimum if spec else None,
                maximum=spec.maximum if spec else None,
                step="1" if spec is None or spec.kind == "integer" else "any",
                group=text.warning_group,
                self_check=text.self_check and path in state.checked,
            )
        )
    return items


# -- running answers from the run log (as `backstride assess --from-runs`) -----------------


def measured_answers(uow: UnitOfWork, now: Clock) -> dict[str, tuple[str, str]]:
    """The running answers the run log gives, by intake path: the value as typed in
    the form, and where it was measured (which weeks, how many runs).

    ``training.running_answers``, the function ``assess --from-runs`` uses: nothing
    when the log has no run in the last five weeks.
    """
    values, notes = training.running_answers(uow, now.today())
    return {
        f"running.{name}": (f"{value:g}", notes.get(f"running.{name}", "from your run log"))
        for name, value in values.items()
    }


def _measured_hint(
    path: str, state: FormState, measured: Mapping[str, tuple[str, str]]
) -> str | None:
    found = measured.get(path)
    if found is None or state.raw.get(path, [""])[0] != found[0]:
        return None
    return f"Measured from your run log: {found[1]}. Change it if it is not right."


def prefill_running(state: FormState, uow: UnitOfWork, now: Clock) -> dict[str, tuple[str, str]]:
    """Fill the running step's empty answers from the run log, the first time it is shown
    (an answer the runner changed or cleared is theirs); what the log measured."""
    measured = measured_answers(uow, now)
    if RUNNING_STEP in state.visited:
        return measured
    asked = set(asked_in(RUNNING_STEP, state))
    for path, (value, _) in measured.items():
        if path in asked and not any(v.strip() for v in state.raw.get(path, [])):
            state.raw[path] = [value]
    return measured


def measured_notes(state: FormState, uow: UnitOfWork, now: Clock) -> dict[str, str]:
    """The notes of the measured answers the runner kept as they were (for the factors)."""
    return {
        path: note
        for path, (value, note) in measured_answers(uow, now).items()
        if state.raw.get(path, [""])[0] == value
    }


def review_lines(state: FormState) -> dict[str, list[str]]:
    """Each step's answers in words, for the page that checks them before the result."""
    q = questions()
    typed = q.applicable(state.typed(), open_warning=state.open_warning)
    found: dict[str, list[str]] = {}
    for step in steps_in_use(state):
        found[step] = []
        for path in asked_in(step, state):
            if path not in typed:
                continue
            value = typed[path]
            raw = state.raw.get(path, [""])[0]
            if isinstance(value, list):
                shown = ", ".join(q.option(path, v) for v in value) or "none"
            elif value is True:
                shown = "yes"
            elif value is False:
                shown = "no"
            elif raw == NOT_NOTICED:
                shown = q.texts["not_noticed"]
            elif value == "not_sure":
                shown = "not sure"
            else:
                shown = q.option(path, str(value)) if q.field(path).options else str(value)
            if path.endswith("days_ago"):
                shown = f"{raw} {(state.raw.get(path + UNIT_SUFFIX) or ['days'])[0]} ago"
            found[step].append(f"{q.field(path).label}: {shown}")
    return found


# -- pages ---------------------------------------------------------------------------------


def render(
    request: Request,
    state: FormState,
    step_id: str,
    errors: Mapping[str, str] | None = None,
    note: str | None = None,
    measured: Mapping[str, tuple[str, str]] | None = None,
) -> Response:
    q = questions()
    errors = dict(errors or {})
    used = steps_in_use(state)
    step = q.section(step_id) if step_id in used else None
    items = items_for(step_id, state, errors, measured) if step else []
    on_step = {i.path for i in items} | {i.path + UNIT_SUFFIX for i in items}
    hidden = [(k, v) for k, values in state.raw.items() if k not in on_step for v in values]
    number = len(used) + 1 if step is None else used.index(step_id) + 1
    problems = [f"{q.field(path).label}: {message}" for path, message in errors.items()]
    context = {
        "title": "Assessment",
        "step": step,
        "step_id": step.id if step else REVIEW,
        "steps": [q.section(s) for s in used],
        "number": number,
        "total": len(used) + 1,
        "items": items,
        "group": [i for i in items if i.group],
        "hidden": hidden,
        "visited": ",".join(sorted(state.visited | ({step.id} if step else set()))),
        "shown": ",".join(i.path for i in items),
        "checked": ",".join(sorted(state.checked)),
        "open_warning": state.open_warning,
        "none_of_these": state.none_of_these and not errors,
        "problems": problems,
        "note": note,
        "texts": q.texts,
        "regions": q.regions,
        "review": review_lines(state) if step is None else {},
        "has_answers": bool(state.raw),
        "measured": [
            q.field(i.path).label
            for i in items
            if i.path in (measured or {}) and _measured_hint(i.path, state, measured or {})
        ],
    }
    name = "_wizard.html" if request.headers.get("HX-Request") else "wizard.html"
    return templates.TemplateResponse(request, name, context)


def warning_open(uow: UnitOfWork, now: Clock) -> bool:
    """Whether this assessment repeats one while a warning is still open: the care
    state is on hold, or the latest result needs care now (review R13)."""
    return care_state(uow, now.today()).suspended


def start(request: Request, *, open_warning: bool = False) -> Response:
    """The first step, with nothing answered (``wizard.js`` brings back a saved draft)."""
    state = FormState(raw={}, current=step_ids()[0], open_warning=open_warning)
    return render(request, state, step_ids()[0])


def _incomplete(state: FormState) -> tuple[str, dict[str, str]] | None:
    """The first step that still needs something before the result, and what."""
    for step in steps_in_use(state):
        errors = check_step(step, state)
        if errors:
            return step, errors
    return None


def submit(request: Request, state: FormState, uow: UnitOfWork, now: Clock) -> Response:
    incomplete = _incomplete(state)
    if incomplete is not None:
        return render(request, state, *incomplete)
    try:
        intake = assessing.parse_intake(state.document())
    except InvalidDocument as invalid:  # checked step by step above; kept as a safety net
        first = invalid.problems[0]
        section = questions().section_of(first.path.split("[")[0])
        step = section.id if section else step_ids()[0]
        return render(request, state, step, {first.path.split("[")[0]: first.message})
    screen = safety_screen(FactsV2(intake))
    if not screen.complete:
        path = screen.unanswered[0]
        section = questions().section_of(path)
        if path == "neuro.weakness":
            section = questions().section_of(NERVE_GATE)
            path = NERVE_GATE
        step = section.id if section else step_ids()[0]
        return render(request, state, step, {path: ANSWER_NEEDED})
    saved = assessing.assess_and_save(uow, now, intake, measured=measured_notes(state, uow, now))
    url = f"/assessments/{saved.id}"
    if request.headers.get("HX-Request"):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def answer(request: Request, state: FormState, uow: UnitOfWork, now: Clock) -> Response:
    """One POST of the wizard form: move between steps, or assess."""

    def show(
        step_id: str,
        errors: Mapping[str, str] | None = None,
        note: str | None = None,
    ) -> Response:
        measured = prefill_running(state, uow, now) if step_id == RUNNING_STEP else None
        return render(request, state, step_id, errors, note, measured)

    ids = step_ids()
    if state.go == "submit":
        return submit(request, state, uow, now)
    if state.go == "back":
        return show(_neighbour(state, state.current, -1))
    if state.go in ids or state.go == REVIEW:
        target = state.go
        if target != REVIEW and target not in steps_in_use(state):
            target = _neighbour(state, target, +1)
        return show(target)
    if state.current not in ids:
        return show(REVIEW)
    # Questions the answers just brought up are shown first, without an error: a yes to
    # "any numbness?" opens the body maps; it is not told off for leaving them empty.
    errors = check_step(state.current, state)
    fresh = new_follow_ups(state.current, state)
    if state.shown:  # the form says what it showed
        errors = {path: error for path, error in errors.items() if path not in fresh}
    if errors:
        return show(state.current, errors)
    if fresh:
        return show(state.current, note=questions().texts["follow_up"])
    return show(_neighbour(state, state.current, +1))


def step_of(path: str) -> str | None:
    """The step that asks a field (for showing a validation problem where it belongs)."""
    section = questions().section_of(path.split("[")[0])
    return section.id if section else None
