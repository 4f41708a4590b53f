"""Fuzzing the JSON readers: intakes and check-ins, as text and as decoded values.

Whatever arrives (any JSON value, a valid document with one part replaced, text
that is not JSON, nesting hundreds deep, numbers of thousands of digits), the
readers either return a document or raise InvalidDocument with at least one
problem that names a path. Nothing else may escape: that would be a traceback
in the CLI and a 500 from the API.

Long runs: ``BACKSTRIDE_HYPOTHESIS_PROFILE=hunt`` (see docs/how-to/testing.md).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.services import assessing, recovery
from backstride.services.validation import InvalidDocument, Problem, parse_json_text
from tests.builders import checkin_document, intake

FUZZ = settings(
    max_examples=max(200, settings.default.max_examples),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
INTAKE: dict[str, Any] = intake()
CHECKIN: dict[str, Any] = checkin_document(
    dt.date(2026, 3, 2),
    next_morning_pain_0_10=2,
    morning_stiffness_min=10,
    exercises_done=["bird-dog"],
    session={"kind": "walk_run", "minutes": 20, "pain_during_0_10": 2},
    warning_signs={"neuro.bladder_change": False},
    psfs=[{"activity": "running", "score_0_10": 5}],
)
READERS = {"intake": assessing.parse_intake, "checkin": recovery.parse_checkin}

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40)
    | st.sampled_from(["2026-03-02", "0001-01-01", "9999-12-31", "yes", "", "low_back_center"])
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=30,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _replaced(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy = json.loads(json.dumps(document))
    node = copy
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return copy


def problems_of(call: Callable[[Any], Any], value: Any) -> list[Problem] | None:
    """None when ``call(value)`` gives a document; the problems when it is refused."""
    try:
        call(value)
    except InvalidDocument as invalid:
        return invalid.problems
    return None


def read(kind: str, data: Any) -> None:
    """The reader's answer: a document, or InvalidDocument naming where."""
    problems = problems_of(READERS[kind], data)
    if problems is not None:
        assert problems
        assert all(problem.path for problem in problems)


@FUZZ
@given(st.sampled_from(sorted(READERS)), json_values)
def test_any_json_value_is_a_document_or_problems(kind: str, value: Any) -> None:
    read(kind, value)


@FUZZ
@given(st.sampled_from(sorted(READERS)), st.data(), json_values)
def test_a_document_with_one_part_replaced(kind: str, data: st.DataObject, value: Any) -> None:
    document = INTAKE if kind == "intake" else CHECKIN
    path = data.draw(st.sampled_from(_paths(document)))
    read(kind, _replaced(document, path, value))


@FUZZ
@given(st.sampled_from(sorted(READERS)), st.data(), st.integers(min_value=1, max_value=3000))
def test_deep_nesting_anywhere(kind: str, data: st.DataObject, depth: int) -> None:
    document = INTAKE if kind == "intake" else CHECKIN
    path = data.draw(st.sampled_from(_paths(document)))
    text = json.dumps(_replaced(document, path, "HOLE"))
    text = text.replace('"HOLE"', "[" * depth + "]" * depth, 1)
    problems = problems_of(parse_json_text, text)
    if problems is not None:
        assert [p.path for p in problems] == ["$"]
        return
    read(kind, parse_json_text(text))


@FUZZ
@given(st.text(max_size=300) | st.binary(max_size=300).map(lambda b: b.decode("latin-1")))
def test_any_text_is_json_or_one_problem(text: str) -> None:
    problems = problems_of(parse_json_text, text)
    assert problems is None or [p.path for p in problems] == ["$"]


@FUZZ
@given(st.integers(min_value=4301, max_value=6000), st.booleans())
def test_numbers_of_thousands_of_digits(digits: int, negative: bool) -> None:
    number = ("-" if negative else "") + "9" * digits
    text = json.dumps(CHECKIN).replace('"pain_now_0_10": 3', f'"pain_now_0_10": {number}')
    problems = problems_of(parse_json_text, text)
    assert problems is not None
    assert [p.path for p in problems] == ["$"]
    assert "digits" in problems[0].message
