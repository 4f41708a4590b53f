"""The one content loader: read, validate and cross-check the package's data files.

Every content file is read by :func:`read_yaml`, checked against a schema by
:func:`parse`, and every cross-reference (source ids, rule ids, factor ids,
feature names, condition ids, threshold names) is checked against the code and
the contracts; source ids by the one check, :func:`unknown_sources`. Every
problem is a :class:`ContentError`. A broken content folder fails loudly at
start-up, never quietly at assessment time.

This module builds the knowledge base and the named numbers (``thresholds.yaml``);
``library`` (exercises and topics), ``questions`` and ``escalation`` build theirs
with the same reader, errors and checks.
"""

from __future__ import annotations

import dataclasses
import hashlib
import string
from collections.abc import Collection, Iterable, Mapping
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from backstride.domain.assessment.cause_features import FEATURES
from backstride.domain.assessment.document import CAUSE_CONDITIONS, FACTOR_IDS, SERIOUS_CONDITIONS
from backstride.domain.assessment.knowledge import (
    ConditionInfo,
    FactorText,
    KnowledgeBase,
    LevelText,
    Locale,
    RuleText,
    Source,
    Texts,
    WarningSignText,
    WeightedFeature,
)
from backstride.domain.assessment.thresholds import PlanThresholds, Thresholds
from backstride.domain.assessment.triage_rules import RULE_IDS, RULES
from backstride.domain.recovery.return_to_run import ProgrammeError, ProgrammeThresholds
from backstride.domain.recovery.start import StartRules
from backstride.domain.vocabulary import RunningAdviceId, TriageLevel

_M = TypeVar("_M", bound=BaseModel)
_D = TypeVar("_D")


class ContentError(ValueError):
    """A content file is missing, unreadable, malformed or inconsistent with the code.

    The one error of the content: every loader raises it, naming the file and
    what to fix, at start-up rather than at assessment time.
    """


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _SourceFile(_Strict):
    class Entry(_Strict):
        id: str = Field(pattern=r"^[a-z0-9_]+$")
        citation: str
        year: int
        kind: Literal[
            "guideline",
            "systematic_review",
            "trial",
            "cohort",
            "cross_sectional",
            "diagnostic",
            "consensus",
            "text",
            "regulatory",
            "seed",
        ]
        verified: bool
        supports: str

    sources: list[Entry]


class NumberEntry(_Strict):
    """One named number: its value, what kind of number it is, its sources and a note."""

    value: float
    kind: Literal["published", "policy", "heuristic"]
    sources: list[str] = Field(min_length=1)
    note: str


class _ThresholdFile(_Strict):
    thresholds: dict[str, NumberEntry]
    plan: dict[str, NumberEntry]
    recovery_start: dict[str, NumberEntry]
    return_to_run: dict[str, NumberEntry]


class _Weighted(_Strict):
    feature: str
    weight: float = Field(gt=0)


class _ConditionFile(_Strict):
    class Entry(_Strict):
        id: str
        name: str
        serious: bool
        summary: str
        explanation: str
        sources: list[str] = Field(min_length=1)
        min_points: float = 2.0
        towards: list[_Weighted] = []
        against: list[_Weighted] = []

    conditions: list[Entry]


class _RuleFile(_Strict):
    class Entry(_Strict):
        headline: str
        explanation: str
        actions: list[str] = Field(min_length=1)
        # What the rule means for a clinician; may name what the runner's text does not.
        clinician: str = ""

    rules: dict[str, Entry]


class _FactorFile(_Strict):
    class Entry(_Strict):
        name: str
        detail: str
        advice: str
        sources: list[str] = Field(min_length=1)
        heuristic: bool

    factors: dict[str, Entry]


class _TextFile(_Strict):
    class Sign(_Strict):
        text: str
        level: Literal["emergency", "urgent", "soon"]
        sources: list[str] = Field(min_length=1)
        # Intake answers (paths, or path=value) that already meet this sign.
        met_by: list[str] = []

    class LevelEntry(_Strict):
        # The level's name for people, the same on every page, report and export.
        label: str
        meaning: str
        headline: str
        actions: list[str]

    disclaimer: str
    medicines: str
    warning_signs: list[Sign] = Field(min_length=1)
    levels: dict[TriageLevel, LevelEntry]
    running: dict[RunningAdviceId, str]
    running_reasons: dict[str, str]
    outlook: dict[Literal["low", "medium", "high"], str]
    outlook_low_mood: str
    safety_nets: dict[str, str]
    screen_incomplete: str
    for_young: dict[Literal["parent", "tell_an_adult"], str]


class _LocaleFile(_Strict):
    class Entry(_Strict):
        name: str
        emergency_number: str
        tel: str | None = None
        ed_name: str
        urgent_route: str
        maternity_route: str
        early_pregnancy_route: str
        oncology_route: str

    default: str
    locales: dict[str, Entry]


def content_root() -> Traversable:
    return files("backstride.content")


# libyaml's loader parses the content about ten times faster than the pure-Python one
# and builds the same data; PyYAML built without libyaml has only the latter.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """``yaml.safe_load``, with the C loader when PyYAML has it."""
    return yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a safe loader either way


def _where(entry: str | Traversable) -> str:
    return f"content/{entry}" if isinstance(entry, str) else entry.name


def read_yaml(entry: str | Traversable) -> Any:
    """The decoded data of a content file (a name under ``content/`` or a file).

    The one YAML reader of the content: a missing, unreadable or malformed file is
    a :class:`ContentError` naming the file.
    """
    path = content_root().joinpath(entry) if isinstance(entry, str) else entry
    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ContentError(f"{_where(entry)}: not valid YAML: {error}") from error
    except OSError as error:
        raise ContentError(f"{_where(entry)}: cannot be read: {error}") from error


def describe(error: ValidationError) -> str:
    """A pydantic error as one indented line per problem (where: what)."""
    lines = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "(top level)"
        lines.append(f"  {where}: {item['msg']}")
    return "\n".join(lines)


def validate(model: type[_M], data: Any, where: str) -> _M:
    """``data`` checked against ``model``; a :class:`ContentError` naming ``where`` if not."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ContentError(f"{where} is invalid:\n{describe(error)}") from error


def parse(model: type[_M], entry: str | Traversable) -> _M:
    """A content file read and checked against ``model``."""
    return validate(model, read_yaml(entry), _where(entry))


def yaml_files(folder: str) -> list[Traversable]:
    """The ``.yaml`` files of a content folder, by name."""
    directory = content_root() / folder
    if not directory.is_dir():
        raise ContentError(f"content folder {folder!r} is missing")
    return sorted(
        (entry for entry in directory.iterdir() if entry.name.endswith(".yaml")),
        key=lambda entry: entry.name,
    )


def check(problems: list[str], what: str = "the knowledge base") -> None:
    """Raise one :class:`ContentError` listing every problem, if there are any."""
    if problems:
        raise ContentError(f"{what} is inconsistent:\n- " + "\n- ".join(problems))


def unknown_sources(owner: str, ids: Iterable[str], known: Collection[str]) -> list[str]:
    """The one source-id check: a problem for every id not in ``sources.yaml``."""
    return [f"{owner} cites unknown source {i!r}" for i in ids if i not in known]


# Code that holds clinical decisions or wording, not only data files: a change to any
# of them changes what people are told, so it changes the content version too.
def content_version() -> str:
    """A short hash of the clinical content, stamped on saved assessments and plans.

    It covers every data file under ``content/`` and every module of the domain
    (by folder, not by a list of names: a new module is covered without anyone
    remembering to add it).
    """
    digest = hashlib.sha256()
    content = _content_files(content_root(), "", (".yaml", ".yml", ".json"))
    domain = _content_files(files("backstride.domain"), "domain/", (".py",))
    for path, data in sorted(content) + sorted(domain):
        digest.update(path.encode())
        digest.update(b"\0")
        digest.update(data)
    return digest.hexdigest()[:16]


def _content_files(
    folder: Traversable, prefix: str, suffixes: tuple[str, ...]
) -> list[tuple[str, bytes]]:
    found = []
    for entry in folder.iterdir():
        relative = f"{prefix}{entry.name}"
        if entry.is_dir() and not entry.name.startswith(("_", ".")):
            found.extend(_content_files(entry, relative + "/", suffixes))
        elif entry.name.endswith(suffixes):
            found.append((relative, entry.read_bytes()))
    return found


@cache
def _source_file() -> _SourceFile:
    parsed = parse(_SourceFile, "sources.yaml")
    if len({e.id for e in parsed.sources}) != len(parsed.sources):
        raise ContentError("sources.yaml has duplicate ids")
    return parsed


def _load_sources() -> dict[str, Source]:
    return {
        e.id: Source(e.id, e.citation, e.year, e.kind, e.verified, e.supports)
        for e in _source_file().sources
    }


@cache
def source_ids() -> frozenset[str]:
    """The citation ids in ``content/sources.yaml`` (read once)."""
    return frozenset(_load_sources())


def named_numbers(
    cls: type[_D],
    entries: Mapping[str, NumberEntry],
    where: str,
    known: Collection[str],
    *,
    whole_as_int: bool = False,
) -> _D:
    """The frozen dataclass ``cls`` from a section of named numbers.

    Every field must be given and nothing else; every source must exist; a field
    typed ``int`` takes whole numbers only. ``whole_as_int`` also gives a ``float``
    field a whole value as an ``int`` (the assessment's thresholds, as ever).
    """
    types = {f.name: f.type for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    expected, given = set(types), set(entries)
    problems = [f"{where} lacks {n!r}" for n in sorted(expected - given)]
    problems += [f"{where} has unknown {n!r}" for n in sorted(given - expected)]
    values: dict[str, Any] = {}
    for name, entry in entries.items():
        problems += unknown_sources(f"{where}: {name}", entry.sources, known)
        if name not in types:
            continue
        whole = float(entry.value).is_integer()
        if types[name] in ("int", int):
            if not whole:
                problems.append(f"{where}: {name} must be a whole number (got {entry.value})")
                continue
            values[name] = int(entry.value)
        else:
            values[name] = int(entry.value) if whole and whole_as_int else float(entry.value)
    check(problems, f"the numbers in {where}")
    return cls(**values)


@cache
def _threshold_file() -> _ThresholdFile:
    return parse(_ThresholdFile, "thresholds.yaml")


def threshold_entries() -> list[tuple[str, NumberEntry]]:
    """Every threshold with its kind, note and sources, in file order (for the policy doc)."""
    return list(_threshold_file().thresholds.items())


def _load_thresholds(known: Collection[str]) -> Thresholds:
    entries = _threshold_file().thresholds
    return named_numbers(Thresholds, entries, "thresholds.yaml", known, whole_as_int=True)


def _load_plan_thresholds(known: Collection[str]) -> PlanThresholds:
    return named_numbers(PlanThresholds, _threshold_file().plan, "thresholds.yaml plan", known)


@cache
def load_start_rules() -> StartRules:
    """The numbers of the return-to-run start rules (``thresholds.yaml`` ``recovery_start``)."""
    entries = _threshold_file().recovery_start
    return named_numbers(StartRules, entries, "thresholds.yaml recovery_start", source_ids())


@cache
def load_programme_thresholds() -> ProgrammeThresholds:
    """The numbers of the walk-run programme (``thresholds.yaml`` ``return_to_run``).

    The services read them here and pass them in: to the programme's engine, the run
    schedule, the plan builder and the escalation rules.
    """
    where = "thresholds.yaml return_to_run"
    entries = _threshold_file().return_to_run
    found = named_numbers(ProgrammeThresholds, entries, where, source_ids())
    try:
        found.assumed_usual  # noqa: B018 - checks the assumed week is a valid usual week
    except ProgrammeError as error:
        raise ContentError(f"the numbers in {where}: the assumed usual week: {error}") from error
    return found


def fill_numbers(owner: str, text: str, numbers: ProgrammeThresholds) -> tuple[str, list[str]]:
    """``text`` with its ``{name}`` placeholders filled from the programme's numbers.

    A content text quotes a clinical number as ``{comfort_max_pain}`` (any name
    :meth:`ProgrammeThresholds.fill` knows), so the number lives once, in
    ``thresholds.yaml``. Returns the filled text and the problems: a placeholder
    that is not a known name, has a format spec or conversion, or a stray brace is
    a problem (the text comes back unfilled), so a typo never reaches a person.
    """
    problems = []
    try:
        fields = [
            (name, spec, conversion)
            for _, name, spec, conversion in string.Formatter().parse(text)
            if name is not None
        ]
    except ValueError as error:
        return text, [f"{owner}: malformed placeholder ({error}); write a brace as {{{{ or }}}}"]
    for name, spec, conversion in fields:
        shown = "{" + name + (f"!{conversion}" if conversion else "")
        shown += (f":{spec}" if spec else "") + "}"
        if spec or conversion:
            problems.append(f"{owner}: placeholder {shown} must be a plain {{name}}")
        elif not _known_number(name, numbers):
            problems.append(f"{owner}: unknown placeholder {shown} (not a number it can fill)")
    return (text, problems) if problems else (numbers.fill(text), [])


def _known_number(name: str, numbers: ProgrammeThresholds) -> bool:
    """Whether ``{name}`` is one of the names :meth:`ProgrammeThresholds.fill` fills."""
    if not name.isidentifier():  # positional ({}, {0}), attribute or index: never a name
        return False
    try:
        numbers.fill("{" + name + "}")
    except KeyError:
        return False
    return True


def _load_conditions(known: Collection[str]) -> dict[str, ConditionInfo]:
    parsed = parse(_ConditionFile, "conditions.yaml")
    problems: list[str] = []
    conditions: dict[str, ConditionInfo] = {}
    for e in parsed.conditions:
        problems += unknown_sources(f"condition {e.id}", e.sources, known)
        for w in [*e.towards, *e.against]:
            if w.feature not in FEATURES:
                problems.append(f"condition {e.id} uses unknown feature {w.feature!r}")
        if e.serious and (e.towards or e.against):
            problems.append(f"serious condition {e.id} must not be ranked as a cause")
        conditions[e.id] = ConditionInfo(
            id=e.id,
            name=e.name,
            serious=e.serious,
            summary=e.summary,
            explanation=e.explanation,
            sources=tuple(e.sources),
            towards=tuple(WeightedFeature(w.feature, w.weight) for w in e.towards),
            against=tuple(WeightedFeature(w.feature, w.weight) for w in e.against),
            min_points=e.min_points,
        )
    serious = {cid for cid, c in conditions.items() if c.serious}
    causes = set(conditions) - serious
    if serious != set(SERIOUS_CONDITIONS):
        differ = sorted(serious ^ set(SERIOUS_CONDITIONS))
        problems.append(f"serious conditions differ from the contract: {differ}")
    if causes != set(CAUSE_CONDITIONS):
        problems.append(
            f"cause conditions differ from the contract: {sorted(causes ^ set(CAUSE_CONDITIONS))}"
        )
    check(problems)
    return conditions


def _load_rule_texts(
    known: Collection[str], conditions: dict[str, ConditionInfo]
) -> dict[str, RuleText]:
    parsed = parse(_RuleFile, "rules.yaml")
    problems = [f"rules.yaml lacks rule {r}" for r in RULE_IDS if r not in parsed.rules]
    problems += [f"rules.yaml has unknown rule {r}" for r in parsed.rules if r not in RULE_IDS]
    for rule in RULES:
        problems += unknown_sources(f"rule {rule.id}", list(rule.sources), known)
        for flag in rule.red_flags:
            if flag not in conditions or not conditions[flag].serious:
                problems.append(f"rule {rule.id} raises {flag!r}, not a serious condition")
        if rule.cause is not None and (
            rule.cause not in conditions or conditions[rule.cause].serious
        ):
            problems.append(f"rule {rule.id} names {rule.cause!r}, not a cause")
    check(problems)
    return {
        rid: RuleText(rid, e.headline, e.explanation, tuple(e.actions), e.clinician)
        for rid, e in parsed.rules.items()
    }


def _load_factor_texts(known: Collection[str]) -> dict[str, FactorText]:
    parsed = parse(_FactorFile, "factors.yaml")
    problems = [f"factors.yaml lacks {f}" for f in FACTOR_IDS if f not in parsed.factors]
    problems += [f"factors.yaml has unknown {f}" for f in parsed.factors if f not in FACTOR_IDS]
    for fid, e in parsed.factors.items():
        problems += unknown_sources(f"factor {fid}", e.sources, known)
    check(problems)
    return {
        fid: FactorText(fid, e.name, e.detail, e.advice, tuple(e.sources), e.heuristic)
        for fid, e in parsed.factors.items()
    }


def _load_texts(known: Collection[str], numbers: ProgrammeThresholds) -> Texts:
    parsed = parse(_TextFile, "texts.yaml")
    problems = [
        f"texts.yaml lacks level {lv}"
        for lv in ("emergency", "urgent", "soon", "self_care")
        if lv not in parsed.levels
    ]
    problems += [
        f"texts.yaml lacks running advice {a}"
        for a in ("stop", "pause", "reduce", "continue")
        if a not in parsed.running
    ]
    for sign in parsed.warning_signs:
        problems += unknown_sources("a warning sign", sign.sources, known)
    # The running advice quotes the programme's pain limits (filled here, once).
    running: dict[str, str] = {}
    for advice, text in parsed.running.items():
        running[str(advice)], found = fill_numbers(f"texts.yaml running.{advice}", text, numbers)
        problems += found
    running_reasons: dict[str, str] = {}
    for reason, text in parsed.running_reasons.items():
        where = f"texts.yaml running_reasons.{reason}"
        running_reasons[reason], found = fill_numbers(where, text, numbers)
        problems += found
    check(problems)
    return Texts(
        disclaimer=parsed.disclaimer,
        medicines=parsed.medicines,
        warning_signs=tuple(
            WarningSignText(s.text, s.level, tuple(s.sources), tuple(s.met_by))
            for s in parsed.warning_signs
        ),
        levels={
            lv: LevelText(lv, t.meaning, t.headline, tuple(t.actions), t.label)
            for lv, t in parsed.levels.items()
        },
        running=running,
        running_reasons=running_reasons,
        outlook={str(k): v for k, v in parsed.outlook.items()},
        outlook_low_mood=parsed.outlook_low_mood,
        safety_nets=dict(parsed.safety_nets),
        screen_incomplete=parsed.screen_incomplete,
        for_young={str(k): v for k, v in parsed.for_young.items()},
    )


def _load_locales() -> dict[str, Locale]:
    parsed = parse(_LocaleFile, "locales.yaml")
    problems = []
    if parsed.default not in parsed.locales:
        problems.append(f"locales.yaml: default {parsed.default!r} is not a locale")
    for code, entry in parsed.locales.items():
        if "111" in entry.model_dump_json() and code not in ("GB", "NZ", "unknown"):
            problems.append(f"locales.yaml: {code} mentions 111")
    check(problems)
    locales = {code: Locale(code, **entry.model_dump()) for code, entry in parsed.locales.items()}
    return {"": locales[parsed.default], **locales}


@cache
def load_knowledge_base() -> KnowledgeBase:
    """The validated knowledge base (loaded once per process)."""
    sources = _load_sources()
    known = source_ids()
    conditions = _load_conditions(known)
    return KnowledgeBase(
        sources=sources,
        conditions=conditions,
        rule_texts=_load_rule_texts(known, conditions),
        factor_texts=_load_factor_texts(known),
        thresholds=_load_thresholds(known),
        plan=_load_plan_thresholds(known),
        texts=_load_texts(known, load_programme_thresholds()),
        locales=_load_locales(),
        version=content_version(),
    )
