"""Check-in documents in and JSON out: parsing, merging a re-sent day, plain values."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from enum import Enum
from typing import Any

from pydantic import BaseModel

from backstride.domain.recovery.checkin import (
    CheckinDocument,
    stronger_answer,
)
from backstride.services.limits import day_problem
from backstride.services.validation import InvalidDocument, Problem, validate_document

# --- reading documents ------------------------------------------------------------


def parse_checkin(data: Any) -> CheckinDocument:
    """Validate a decoded JSON value as a check-in document; raises InvalidDocument."""
    document = validate_document(CheckinDocument, data)
    problem = day_problem(document.date)
    if problem is not None:
        raise InvalidDocument([Problem("date", problem)])
    return document


def _fields_given(document: BaseModel) -> set[str]:
    return {name for name in document.model_fields_set if name != "schema_"}


def merge_checkin(stored: CheckinDocument | None, new: CheckinDocument) -> CheckinDocument:
    """The day's check-in after ``new`` is re-sent over ``stored``.

    Fields ``new`` gives replace the stored ones, fields it leaves out are kept,
    so the next morning can add its pain without repeating the day. A session
    of the same kind is updated field by field. Warning-sign answers are merged
    question by question and a yes (or a not sure) is never undone on the same
    day: a screen already answered is not lost, and a sign once reported stays
    reported. A later day's "no" does not undo it either: an emergency or urgent
    sign holds until a reassessment after being seen (``domain.care``).
    """
    if stored is None:
        return new
    merged = stored.to_document()
    given = new.to_document()
    for name in _fields_given(new):
        key = "schema" if name == "schema_" else name
        if name == "warning_signs":
            answers = dict(merged.get("warning_signs", {}))
            for sign, answer in given.get("warning_signs", {}).items():
                answers[sign] = stronger_answer(answers.get(sign), answer)
            merged["warning_signs"] = answers
        elif name == "session" and new.session is not None and stored.session is not None:
            if new.session.kind is stored.session.kind:
                session = dict(merged["session"])
                changed = _fields_given(new.session) & set(given["session"])
                session.update({k: given["session"][k] for k in changed})
                merged["session"] = session
            else:
                merged["session"] = given["session"]
        elif key in given:
            merged[key] = given[key]
        else:
            merged.pop(key, None)
    return validate_document(CheckinDocument, merged)


# --- JSON output ----------------------------------------------------------------------


def plain(value: Any) -> Any:
    """A result as JSON-ready values: dataclasses to objects, enums to values, dates to ISO."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(plain(k)): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value
