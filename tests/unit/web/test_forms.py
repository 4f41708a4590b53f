"""The form helpers every page shares (web/forms.py): numbers as typed, friendly problems."""

from __future__ import annotations

import pytest
from starlette.datastructures import FormData

from backstride.web import forms


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("", "as_typed", None),
        ("  ", "integer", None),
        ("5", "as_typed", 5),
        ("5.0", "as_typed", 5.0),
        ("5,5", "as_typed", 5.5),
        ("5.0", "integer", 5),
        ("5.5", "integer", 5.5),
        ("5", "number", 5.0),
        ("five", "as_typed", "five"),
        (" five ", "integer", " five "),
    ],
)
def test_a_number_is_read_as_typed_and_bad_text_is_left_for_validation(
    text: str, kind: str, expected: object
) -> None:
    found = forms.number(text, kind)  # type: ignore[arg-type]
    assert found == expected
    assert type(found) is type(expected)


def test_whole_numbers_and_blank_fields() -> None:
    assert forms.whole(" 12 ") == 12
    assert forms.whole("1.5") == "1.5"
    assert forms.whole("") is None
    assert forms.whole(None) is None


def test_problems_are_worded_for_the_page() -> None:
    assert forms.friendly("is required") == forms.ANSWER_NEEDED
    assert forms.friendly("must not be null (give a number)") == forms.ANSWER_NEEDED
    assert forms.friendly("must be at most 10 (got 12)") == "must be at most 10"


def test_form_values_keep_every_text_value_in_order() -> None:
    values = forms.values_of(FormData([("a", "1"), ("b", " x "), ("a", "2")]))
    assert values == {"a": ["1", "2"], "b": [" x "]}
    assert forms.first(values, "b") == "x"
    assert forms.first(values, "missing") == ""
