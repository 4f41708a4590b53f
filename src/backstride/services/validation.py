"""Turn a document that fails its contract into one plain message per problem.

Used for intakes and check-ins alike, by the CLI (exit status 2, one line per
problem) and by the API (422 with field paths).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class Refused(Exception):
    """A request a service will not carry out, and nothing was written; one line per
    problem (``problems``), for the CLI's error lines and a page's error list."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = tuple(problems)


class InvalidDocument(Exception):
    """The document is not valid; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def json_path(location: tuple[int | str, ...]) -> str:
    """("pain", "regions", 2) -> "pain.regions[2]"; the whole document is "$"."""
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "$"


def _shown(value: Any) -> str:
    if isinstance(value, BaseModel):
        return "object"
    if isinstance(value, bytes | bytearray):
        value = value[:60].decode("utf-8", errors="replace")
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = type(value).__name__
    return text if len(text) <= 60 else text[:57] + "..."


def _message(error: Any) -> str:
    kind, ctx, given = error["type"], error.get("ctx") or {}, error.get("input")
    got = f" (got {_shown(given)})"
    messages = {
        "missing": "is required",
        "extra_forbidden": "is not a field of this document",
        "literal_error": f"must be one of {ctx.get('expected', '')}{got}",
        "enum": f"must be one of {ctx.get('expected', '')}{got}",
        "greater_than_equal": f"must be at least {ctx.get('ge')}{got}",
        "less_than_equal": f"must be at most {ctx.get('le')}{got}",
        "greater_than": f"must be more than {ctx.get('gt')}{got}",
        "less_than": f"must be less than {ctx.get('lt')}{got}",
        "int_type": f"must be a whole number{got}",
        "int_from_float": f"must be a whole number{got}",
        "float_type": f"must be a number{got}",
        "bool_type": f"must be true or false{got}",
        "string_type": f"must be text{got}",
        "list_type": f"must be a list{got}",
        "model_type": f"must be an object{got}",
        "dict_type": f"must be an object{got}",
        "model_attributes_type": f"must be an object{got}",
        "too_short": f"must have at least {ctx.get('min_length')} item(s)",
        "too_long": f"must have at most {ctx.get('max_length')} item(s)",
        "string_too_short": f"must be at least {ctx.get('min_length')} character(s) long",
        "string_too_long": f"must be at most {ctx.get('max_length')} characters long",
    }
    if kind in messages:
        return messages[kind]
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return str(error["msg"])


def problems_from(error: ValidationError) -> list[Problem]:
    return problems_from_errors(error.errors(include_url=False))


def problems_from_errors(errors: Sequence[Any], *, skip_prefix: int = 0) -> list[Problem]:
    """Pydantic error dicts -> problems; ``skip_prefix`` drops leading locations ("body")."""
    found = [
        Problem(json_path(tuple(item["loc"])[skip_prefix:]), _message(item)) for item in errors
    ]
    return list(dict.fromkeys(found))


def _nulls(node: Any, location: tuple[int | str, ...] = ()) -> list[Problem]:
    # The contracts never allow null: an unknown answer is left out.
    if node is None:
        return [Problem(json_path(location), "must not be null; leave the field out instead")]
    if isinstance(node, dict):
        return [p for key, value in node.items() for p in _nulls(value, (*location, key))]
    if isinstance(node, list):
        return [p for index, value in enumerate(node) for p in _nulls(value, (*location, index))]
    return []


# No contract nests deeper than a few levels; anything past this is refused whole
# (before a recursive walk, or json itself, could run out of stack).
MAX_DEPTH = 32


def parse_json_text(text: str) -> Any:
    if not text.strip():
        raise InvalidDocument([Problem("$", "the document is empty; expected a JSON object")])
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}"
        raise InvalidDocument([Problem("$", f"not valid JSON: {error.msg} at {where}")]) from None
    except RecursionError:
        raise InvalidDocument([Problem("$", f"nested more than {MAX_DEPTH} levels deep")]) from None
    except ValueError as error:  # an integer of more than 4,300 digits
        message = str(error).split(";")[0]
        raise InvalidDocument([Problem("$", f"not a usable JSON number: {message}")]) from None


def _look_over(node: Any) -> tuple[bool, bool]:
    """Whether a decoded value nests past MAX_DEPTH, and whether it holds a null.

    One walk that keeps no paths (iterative): the usual document has neither, and
    the walks that name where are only needed when it has. The walk stops at the
    first level too deep (such a document is refused for that alone), so the nulls
    it reports then are only those seen so far.
    """
    stack: list[tuple[Any, int]] = [(node, 0)]
    has_nulls = False
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Iterable[Any] = value.values()
        elif isinstance(value, list):
            children = value
        else:
            has_nulls = has_nulls or value is None
            continue
        if depth == MAX_DEPTH and value:
            return True, has_nulls
        stack.extend((child, depth + 1) for child in children)
    return False, has_nulls


def _too_deep(node: Any) -> str | None:
    """The path at which a decoded value nests past MAX_DEPTH, or None (iterative)."""
    stack: list[tuple[Any, tuple[int | str, ...]]] = [(node, ())]
    while stack:
        value, location = stack.pop()
        if len(location) > MAX_DEPTH:
            return json_path(location[:MAX_DEPTH])
        if isinstance(value, dict):
            stack.extend((v, (*location, str(k))) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, (*location, i)) for i, v in enumerate(value))
    return None


def _without_nulls(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _without_nulls(v) for k, v in node.items() if v is not None}
    if isinstance(node, list):
        return [_without_nulls(v) for v in node if v is not None]
    return node


def validate_document(model: type[M], data: Any) -> M:
    """Validate a decoded JSON value; every problem is reported, nulls included."""
    if not isinstance(data, dict):
        raise InvalidDocument([Problem("$", f"must be a JSON object (got {_shown(data)})")])
    too_deep, has_nulls = _look_over(data)
    if too_deep:
        deep = _too_deep(data)
        raise InvalidDocument([Problem(deep or "$", f"nested more than {MAX_DEPTH} levels deep")])
    nulls = _nulls(data) if has_nulls else []
    try:
        # Nulls are reported above; validating without them finds every other problem too.
        document = model.model_validate(_without_nulls(data) if has_nulls else data)
    except ValidationError as error:
        null_paths = {p.path for p in nulls}
        found = [p for p in problems_from(error) if p.path not in null_paths]
        raise InvalidDocument(nulls + found) from None
    if nulls:
        raise InvalidDocument(nulls)
    return document
