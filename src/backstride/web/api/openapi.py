"""The OpenAPI document, made to say exactly what the API does.

FastAPI's generated document is adjusted once, when first asked for:

* bounds use JSON Schema's own words (``minimum``/``maximum``), never pydantic's
  ``ge``/``le`` (which a validator ignores);
* every 422 has the shape the API really returns (``loc``, ``path``, ``msg``,
  ``type``), and FastAPI's unused ``HTTPValidationError`` is gone;
* every status an operation can answer is listed: 201 where something is
  stored, 404 for an unknown id or slug, and the refusals of web/security.py
  (400 for a foreign Host, 403 cross-origin, 413 too large, 415 wrong type);
* the bounded dates (1900-01-01 to 2999-12-31) carry a ``pattern``;
* bodies the endpoints read themselves (intake, plan request) are described
  with the same models the validators use (the routes declare them with
  ``json_request_body`` and ``inline``, at the end of this module).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from backstride.domain.assessment.intake import Intake
from backstride.services.limits import DATE_PATTERN

_RENAMED = {
    "ge": "minimum",
    "le": "maximum",
    "gt": "exclusiveMinimum",
    "lt": "exclusiveMaximum",
}
# Keys whose value maps names to schemas (the names are not keywords).
_NAME_MAPS = ("properties", "patternProperties", "$defs", "definitions", "schemas")

PROBLEM = {
    "type": "object",
    "required": ["loc", "path", "msg", "type"],
    "properties": {
        "loc": {
            "type": "array",
            "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
            "description": 'Where: "body", "query" or "path", then the field path.',
        },
        "path": {"type": "string", "description": 'The field path, e.g. "pain.regions[2]".'},
        "msg": {"type": "string", "description": "What is wrong, in plain words."},
        "type": {"type": "string"},
    },
}
PROBLEMS = {
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/Problem"},
            "description": "One entry per problem (at most 50, then one saying how many more).",
        }
    },
}
ERROR = {
    "type": "object",
    "required": ["detail"],
    "properties": {"detail": {"type": "string"}},
}


def _json(ref: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": _json("Error")}


INVALID = {
    "description": "The request is invalid; `detail` lists each problem with its path.",
    "content": _json("Problems"),
}
REFUSALS: dict[str, dict[str, Any]] = {
    "403": _error("Refused: the request came from another origin."),
    "413": _error("The body is larger than this endpoint accepts."),
    "415": _error("The body is not of the content type this endpoint reads."),
}
BAD_HOST = _error("Refused: the Host header is not this computer's address.")
NOT_FOUND = _error("No such item.")


def _renamed(node: Any) -> Any:
    """``ge``/``le``/``gt``/``lt`` -> JSON Schema keywords, everywhere except in name maps."""
    if isinstance(node, list):
        return [_renamed(item) for item in node]
    if not isinstance(node, dict):
        return node
    fixed: dict[Any, Any] = {}
    for key, value in node.items():
        if key in _NAME_MAPS and isinstance(value, dict):
            fixed[key] = {name: _renamed(schema) for name, schema in value.items()}
        else:
            fixed[_RENAMED.get(key, key)] = _renamed(value)
    return fixed


def _with_date_pattern(schema: dict[str, Any]) -> None:
    """Add the bounded-date pattern to a date string schema (or its anyOf branch)."""
    for branch in [schema, *schema.get("anyOf", [])]:
        if branch.get("type") == "string" and branch.get("format") == "date":
            branch["pattern"] = DATE_PATTERN


def _without_null(node: Any) -> Any:
    """A request schema without ``null``: the contracts never take null (leave a field out).

    ``anyOf: [X, {"type": "null"}]`` becomes X; ``"default": null`` goes.
    """
    if isinstance(node, list):
        return [_without_null(item) for item in node]
    if not isinstance(node, dict):
        return node
    fixed = {
        key: (
            {name: _without_null(value) for name, value in item.items()}
            if key in _NAME_MAPS and isinstance(item, dict)
            else _without_null(item)
        )
        for key, item in node.items()
        if not (key == "default" and item is None)
    }
    branches = fixed.get("anyOf")
    if isinstance(branches, list) and {"type": "null"} in branches:
        kept = [b for b in branches if b != {"type": "null"}]
        fixed.pop("anyOf")
        if len(kept) == 1 and isinstance(kept[0], dict):
            fixed = {**kept[0], **fixed}
        else:
            fixed["anyOf"] = kept
    return fixed


def _intake_components(components: dict[str, Any]) -> None:
    """The intake's schema and its parts, named ``Intake.*`` so none clashes with an
    output model of the same name (the assessment's ``Running`` is not the intake's)."""
    generated = Intake.model_json_schema(ref_template="#/components/schemas/Intake.{model}")
    for name, schema in generated.pop("$defs", {}).items():
        components[f"Intake.{name}"] = _without_null(schema)
    components["Intake"] = _without_null(generated)


def build(app: FastAPI) -> dict[str, Any]:
    document = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
    )
    components: dict[str, Any] = document.setdefault("components", {}).setdefault("schemas", {})
    _intake_components(components)
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    components.update({"Problem": PROBLEM, "Problems": PROBLEMS, "Error": ERROR})
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses: dict[str, Any] = operation.setdefault("responses", {})
            parameters = operation.get("parameters", [])
            for parameter in parameters:
                _with_date_pattern(parameter.get("schema", {}))
            if parameters or "requestBody" in operation:
                responses["422"] = INVALID
            else:
                responses.pop("422", None)
            if "{" in path or path.endswith("/latest"):
                responses.setdefault("404", NOT_FOUND)
            if method == "post":
                for status, response in REFUSALS.items():
                    responses.setdefault(status, response)
            responses.setdefault("400", BAD_HOST)
    _adjust_bodies(document)
    renamed: dict[str, Any] = _renamed(document)
    return renamed


def _adjust_bodies(document: dict[str, Any]) -> None:
    paths = document["paths"]
    assess = paths["/api/v1/assessments"]["post"]
    assess["requestBody"] = {
        "required": True,
        "description": "A `backstride.intake` document (`backstride schema intake`).",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Intake"}}},
    }
    ok = assess["responses"]["200"]
    assess["responses"]["201"] = {**ok, "description": "Assessed and stored (`save=true`)."}
    plans = paths["/api/v1/plans"]["post"]["responses"]
    plans["201"] = {**plans["200"], "description": "Built and stored (`save=true`)."}
    for path in ("/api/v1/checkins", "/api/v1/plans", "/api/v1/shoes"):
        body = paths[path]["post"]["requestBody"]["content"]["application/json"]
        body["schema"] = _without_null(body["schema"])
    checkin = paths["/api/v1/checkins"]["post"]["requestBody"]["content"]["application/json"]
    _with_date_pattern(checkin["schema"]["properties"]["date"])
    svg = paths["/api/v1/exercises/{slug}/illustration.svg"]["get"]["responses"]["200"]
    svg["content"] = {"image/svg+xml": {"schema": {"type": "string"}}}


def install(app: FastAPI) -> None:
    """Serve the adjusted document at /openapi.json (built once, on first request)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


# -- request bodies the endpoints read themselves ------------------------------------------


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def json_request_body(schema: dict[str, Any], description: str) -> dict[str, Any]:
    """``openapi_extra`` describing a required JSON body (the route reads it itself)."""
    return {
        "requestBody": {
            "required": True,
            "description": description,
            "content": {"application/json": {"schema": schema}},
        }
    }


def inline(schema: Any, defs: dict[str, Any] | None = None) -> Any:
    """A model's JSON Schema with its ``$defs`` written in place, so it stands alone in OpenAPI."""
    if defs is None and isinstance(schema, dict):
        defs = schema.get("$defs", {})
    if isinstance(schema, dict):
        if "$ref" in schema and defs is not None:
            target = defs[schema["$ref"].rsplit("/", 1)[-1]]
            rest = {k: v for k, v in schema.items() if k != "$ref"}
            return {**inline(target, defs), **rest}
        return {k: inline(v, defs) for k, v in schema.items() if k != "$defs"}
    if isinstance(schema, list):
        return [inline(item, defs) for item in schema]
    return schema
