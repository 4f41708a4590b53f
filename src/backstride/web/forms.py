"""Posted forms to documents: the helpers every page's form shares.

A page turns its form into the document the services validate (a check-in, plan
preferences, an intake) and shows the services' problems beside the questions.
What a person typed is never guessed at: a number that does not read as one is
passed on as the text itself, so that validation names the field.
"""

from __future__ import annotations

from typing import Any, Literal

from starlette.datastructures import FormData, QueryParams

ANSWER_NEEDED = "please answer this question"


def values_of(source: FormData | QueryParams) -> dict[str, list[str]]:
    """Every text value of a form (or a query string), by field name, in order."""
    found: dict[str, list[str]] = {}
    for key, value in source.multi_items():
        if isinstance(value, str):
            found.setdefault(key, []).append(value)
    return found


def first(values: dict[str, list[str]], key: str) -> str:
    """The field's first value, stripped; "" when it was not sent."""
    got = values.get(key, [""])
    return got[0].strip() if got else ""


def number(
    text: str, kind: Literal["as_typed", "integer", "number"] = "as_typed"
) -> int | float | str | None:
    """A typed number (a decimal comma is read as a point); None for a blank field.

    ``as_typed``: whole when written without a point ("5" -> 5, "5.0" -> 5.0);
    ``integer``: whole whenever the value is ("5.0" -> 5); ``number``: always a float.
    Text that is not a number comes back unchanged, for validation to report.
    """
    if not text.strip():
        return None
    cleaned = text.strip().replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return text
    if kind == "number" or not value.is_integer():
        return value
    if kind == "integer" or "." not in cleaned:
        return int(value)
    return value


def whole(value: Any) -> Any:
    """A whole number when the field holds only digits, else its text (None when blank)."""
    text = str(value or "").strip()
    return int(text) if text.isdigit() else (text or None)


def friendly(message: str) -> str:
    """A validation problem as the page shows it: "please answer" for a missing answer,
    and without the echo of what was typed (the field still shows it)."""
    if message == "is required" or message.startswith("must not be null"):
        return ANSWER_NEEDED
    return message.split(" (got ")[0]
