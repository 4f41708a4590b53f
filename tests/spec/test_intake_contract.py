"""The intake models and schemas agree: version 1 with its contract file, version 2 with
the schema the project publishes (`backstride schema intake`)."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from backstride.domain.assessment.intake import Intake, intake_json_schema
from backstride.domain.assessment.intake_v1 import IntakeV1, intake_v1_json_schema
from tests.conftest import ROOT, run_cli
from tests.strategies import CONTRACT, intakes, intakes_v2, mutated_intakes

CONTRACT_VALIDATOR = jsonschema.Draft202012Validator(CONTRACT)
GENERATED_V1 = intake_v1_json_schema()
GENERATED = intake_json_schema()
GENERATED_VALIDATOR = jsonschema.Draft202012Validator(GENERATED)
PUBLISHED = ROOT / "docs" / "reference" / "intake.schema.json"

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


def test_the_version_1_model_has_the_contract_structure() -> None:
    assert _shape(GENERATED_V1, GENERATED_V1) == _shape(CONTRACT, CONTRACT)
    assert GENERATED_V1["$id"] == CONTRACT["$id"]


def test_the_version_1_contract_is_embedded_in_the_version_2_schema() -> None:
    embedded = GENERATED["$defs"]["v1_IntakeV1"]
    assert _shape(GENERATED, embedded) == _shape(CONTRACT, CONTRACT)
    assert GENERATED["$id"] == "backstride.intake/2"


def test_the_cli_prints_the_generated_schema() -> None:
    result = run_cli("schema", "intake")
    assert result.returncode == 0
    assert json.loads(result.stdout) == GENERATED


def test_the_published_schema_is_not_stale() -> None:
    # Regenerate with: backstride schema intake > docs/reference/intake.schema.json
    assert json.loads(PUBLISHED.read_text()) == GENERATED


def _model_accepts(document: dict[str, Any]) -> bool:
    try:
        Intake.model_validate(document)
    except ValidationError:
        return False
    return True


def _v1_model_accepts(document: dict[str, Any]) -> bool:
    try:
        IntakeV1.model_validate(document)
    except ValidationError:
        return False
    return True


@settings(max_examples=300, deadline=None)
@given(intakes())
def test_valid_version_1_documents_stay_valid_everywhere(document: dict[str, Any]) -> None:
    assert CONTRACT_VALIDATOR.is_valid(document)
    assert GENERATED_VALIDATOR.is_valid(document)
    assert _v1_model_accepts(document)
    assert _model_accepts(document)
    assert Intake.model_validate(document).version == 1


@settings(max_examples=600, deadline=None)
@given(mutated_intakes())
def test_contract_schemas_and_models_agree_on_any_version_1_document(
    document: dict[str, Any],
) -> None:
    if document.get("schema") == "backstride.intake/2":
        return  # a different document; the version-2 tests cover it
    verdict = CONTRACT_VALIDATOR.is_valid(document)
    assert GENERATED_VALIDATOR.is_valid(document) == verdict
    assert _v1_model_accepts(document) == verdict
    assert _model_accepts(document) == verdict


@settings(max_examples=300, deadline=None)
@given(intakes_v2())
def test_valid_version_2_documents_are_accepted_by_schema_and_model(
    document: dict[str, Any],
) -> None:
    assert GENERATED_VALIDATOR.is_valid(document)
    assert _model_accepts(document)


@settings(max_examples=600, deadline=None)
@given(mutated_intakes(version=2))
def test_the_version_2_schema_and_model_agree_on_any_document(document: dict[str, Any]) -> None:
    assert _model_accepts(document) == GENERATED_VALIDATOR.is_valid(document)


def test_a_version_2_answer_in_a_version_1_document_is_an_error() -> None:
    document = {
        "schema": "backstride.intake/1",
        "person": {"age": 30},
        "pain": {"started_days_ago": 2, "regions": ["low_back_center"], "worst_0_10": 3},
        "neuro": {"saddle_numbness": "not_sure"},
    }
    assert not GENERATED_VALIDATOR.is_valid(document)
    assert not _model_accepts(document)
    assert GENERATED_VALIDATOR.is_valid({**document, "schema": "backstride.intake/2"})
    assert _model_accepts({**document, "schema": "backstride.intake/2"})


@given(st.sampled_from([4.0, 4]))
def test_integral_numbers_count_as_integers_like_json_schema(age: float) -> None:
    document = {
        "schema": "backstride.intake/1",
        "person": {"age": 30 + age},
        "pain": {"started_days_ago": 2, "regions": ["low_back_center"], "worst_0_10": age},
    }
    assert CONTRACT_VALIDATOR.is_valid(document)
    assert _model_accepts(document)
