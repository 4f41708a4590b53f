"""The API schema's component names: one per type, each saying what it is.

The assessment's warning-sign item is ``WarningSignToWatch`` (a sign to watch for,
not a finding); ``WarningSign`` is the check-in's question and names no component.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from backstride.domain.assessment.document import WarningSignToWatch


def test_the_assessment_warning_signs_are_the_component_warning_sign_to_watch(
    client: TestClient,
) -> None:
    document = client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert "WarningSign" not in schemas
    warning_signs = schemas["Assessment"]["properties"]["warning_signs"]
    assert warning_signs["items"] == {"$ref": "#/components/schemas/WarningSignToWatch"}
    component = schemas["WarningSignToWatch"]
    assert component["title"] == "WarningSignToWatch"
    assert set(component["properties"]) == {"text", "level"}
    assert component["additionalProperties"] is False


def test_no_component_name_is_qualified_by_its_module(client: TestClient) -> None:
    # Two models of one name would be named by their modules (a__b__Name): none are.
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert not [name for name in schemas if "__" in name]


def test_the_document_of_a_warning_sign_is_unchanged() -> None:
    sign = WarningSignToWatch(text="New numbness in the saddle area", level="emergency")
    assert sign.model_dump(mode="json") == {
        "text": "New numbness in the saddle area",
        "level": "emergency",
    }
