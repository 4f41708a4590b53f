"""The API writes an assessment with pydantic's serializer (`Assessment.to_json`): the
same bytes as Starlette's JSONResponse makes of `to_document`, on every vignette."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from starlette.responses import JSONResponse

from backstride.services.assessing import assess_intake, parse_intake

VIGNETTES = sorted((Path(__file__).resolve().parents[3] / "spec" / "vignettes").glob("*.json"))


@pytest.mark.parametrize("path", VIGNETTES, ids=[path.stem for path in VIGNETTES])
def test_to_json_writes_the_bytes_json_response_would(path: Path) -> None:
    assessment = assess_intake(parse_intake(json.loads(path.read_text())["intake"]))
    assert assessment.to_json() == JSONResponse(assessment.to_document()).body
