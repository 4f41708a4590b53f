"""Hypothesis strategies for contract documents, built from the contract schema itself."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from backstride.domain.assessment.intake import intake_json_schema
from tests.conftest import CONTRACTS

# The version-1 contract as it was handed to the project, and the version-2
# schema the project now owns (generated from the model, checked in as
# docs/reference/intake.schema.json). Version-2 documents are drawn from it with
# the schema id fixed to /2 (a /1 document with version-2 answers is invalid).
CONTRACT: dict[str, Any] = json.loads((CONTRACTS / "intake.schema.json").read_text())
CONTRACT_V2: dict[str, Any] = intake_json_schema()
_V2_ROOT: dict[str, Any] = {
    **{k: v for k, v in CONTRACT_V2.items() if k not in ("if", "then")},
    "properties": {
        **CONTRACT_V2["properties"],
        "schema": {"const": "backstride.intake/2"},
    },
}


def resolve(node: dict[str, Any], root: dict[str, Any] = CONTRACT) -> dict[str, Any]:
    """Inline a local $ref, keeping sibling keywords (minItems next to a $ref)."""
    if "$ref" not in node:
        return node
    name = node["$ref"].split("/")[-1]
    merged = {
        **resolve(root["$defs"][name], root),
        **{k: v for k, v in node.items() if k != "$ref"},
    }
    return merged


def for_schema(node: dict[str, Any], root: dict[str, Any] = CONTRACT) -> st.SearchStrategy[Any]:
    node = resolve(node, root)
    if "anyOf" in node:
        return st.one_of(*(for_schema(branch, root) for branch in node["anyOf"]))
    if "const" in node:
        return st.just(node["const"])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    kind = node.get("type")
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(node.get("minimum", -(10**6)), node.get("maximum", 10**6))
    if kind == "number":
        low, high = node.get("minimum", -1e6), node.get("maximum", 1e6)
        return st.one_of(
            st.integers(int(low), int(high)),
            st.floats(low, high, allow_nan=False, allow_infinity=False).map(lambda x: round(x, 1)),
        ).filter(lambda x: low <= x <= high)
    if kind == "string":
        return st.text(min_size=node.get("minLength", 0), max_size=node.get("maxLength", 20))
    if kind == "array":
        items = for_schema(node["items"], root)
        return st.lists(
            items,
            min_size=node.get("minItems", 0),
            max_size=node.get("maxItems", 6),
            unique=bool(node.get("uniqueItems")),
        )
    if kind == "object":
        required = set(node.get("required", []))
        props = node.get("properties", {})
        return st.fixed_dictionaries(
            {k: for_schema(v, root) for k, v in props.items() if k in required},
            optional={k: for_schema(v, root) for k, v in props.items() if k not in required},
        )
    raise ValueError(f"no strategy for {node}")


def intakes() -> st.SearchStrategy[dict[str, Any]]:
    """Random documents that are valid under the version-1 intake contract."""
    return for_schema(CONTRACT)


def intakes_v2() -> st.SearchStrategy[dict[str, Any]]:
    """Random ``backstride.intake/2`` documents valid under the version-2 schema."""
    return for_schema(_V2_ROOT, _V2_ROOT)


BROKEN_VALUES = [None, "text", -1, 10**7, 3.5, True, [], {}, ["x"], "abdomen"]


@st.composite
def mutated_intakes(draw: st.DrawFn, version: int = 1) -> dict[str, Any]:
    """A valid intake with one random change that may or may not break it."""
    root = CONTRACT if version == 1 else _V2_ROOT
    document = draw(intakes() if version == 1 else intakes_v2())
    sections = [key for key, value in document.items() if isinstance(value, dict)]
    section = draw(st.sampled_from(sections))
    target = document[section]
    action = draw(st.sampled_from(["set", "unknown", "drop", "duplicate"]))
    if action == "unknown":
        target[draw(st.sampled_from(["colour", "age2", "extra"]))] = 1
    elif action == "drop" and target:
        del target[draw(st.sampled_from(sorted(target)))]
    elif action == "duplicate":
        lists = [k for k, v in target.items() if isinstance(v, list) and v]
        if lists:
            key = draw(st.sampled_from(lists))
            target[key] = [*target[key], target[key][0]]
    else:
        properties = resolve(root["properties"][section], root)["properties"]
        key = draw(st.sampled_from(sorted(properties)))
        target[key] = draw(st.sampled_from(BROKEN_VALUES))
    return document
