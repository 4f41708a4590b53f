"""`backstride schema intake` and the intake model match the contract file exactly."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from backstride.domain.intake import Intake, intake_json_schema
from tests.conftest import run_cli
from tests.strategies import CONTRACT, intakes, mutated_intakes

CONTRACT_VALIDATOR = jsonschema.Draft202012Validator(CONTRACT)
GENERATED = intake_json_schema()
GENERATED_VALIDATOR = jsonschema.Draft202012Validator(GENERATED)

COMPARED_KEYWORDS = (
    "type",
    "enum",
    "const",
    "minimum",
    "maximum",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minLength",
    "maxLength",
    "additionalProperties",
)


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        target = schema["$defs"][node["$ref"].split("/")[-1]]
        return {**_resolve(schema, target), **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _shape(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """The validation-relevant skeleton of a schema node, refs inlined."""
    node = _resolve(schema, node)
    shape: dict[str, Any] = {k: node[k] for k in COMPARED_KEYWORDS if k in node}
    if "enum" in shape:
        shape["enum"] = sorted(shape["enum"])
    if shape.get("type") == "string" and ("enum" in shape or "const" in shape):
        del shape["type"]  # implied by the enum or const; the contract sometimes omits it
    if "items" in node:
        shape["items"] = _shape(schema, node["items"])
    if "properties" in node:
        shape["required"] = sorted(node.get("required", []))
        shape["properties"] = {k: _shape(schema, v) for k, v in node["properties"].items()}
    return shape


def test_generated_schema_has_the_contract_structure() -> None:
    assert _shape(GENERATED, GENERATED) == _shape(CONTRACT, CONTRACT)
    assert GENERATED["$id"] == CONTRACT["$id"]


def test_the_cli_prints_the_generated_schema() -> None:
    result = run_cli("schema", "intake")
    assert result.returncode == 0
    assert json.loads(result.stdout) == GENERATED


def _model_accepts(document: dict[str, Any]) -> bool:
    try:
        Intake.model_validate(document)
    except ValidationError:
        return False
    return True


@settings(max_examples=300, deadline=None)
@given(intakes())
def test_valid_documents_are_accepted_by_all_three(document: dict[str, Any]) -> None:
    assert CONTRACT_VALIDATOR.is_valid(document)
    assert GENERATED_VALIDATOR.is_valid(document)
    assert _model_accepts(document)


@settings(max_examples=600, deadline=None)
@given(mutated_intakes())
def test_contract_schema_and_model_agree_on_any_document(document: dict[str, Any]) -> None:
    verdict = CONTRACT_VALIDATOR.is_valid(document)
    assert GENERATED_VALIDATOR.is_valid(document) == verdict
    assert _model_accepts(document) == verdict


@given(st.sampled_from([4.0, 4]))
def test_integral_numbers_count_as_integers_like_json_schema(age: float) -> None:
    document = {
        "schema": "backstride.intake/1",
        "person": {"age": 30 + age},
        "pain": {"started_days_ago": 2, "regions": ["low_back_center"], "worst_0_10": age},
    }
    assert CONTRACT_VALIDATOR.is_valid(document)
    assert _model_accepts(document)
