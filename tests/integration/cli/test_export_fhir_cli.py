"""`backstride export fhir` through the command line, in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backstride.adapters.export.fhir import PATIENT_IDS
from tests.conftest import fresh_sqlite
from tests.integration.adapters.export.fhir_support import resources, store_month, validate
from tests.integration.cli.invoke import invoke


@pytest.fixture
def db_url(migrated_sqlite: Path, tmp_path: Path) -> str:
    return fresh_sqlite(migrated_sqlite, tmp_path, "cli.sqlite")


def test_the_bundle_goes_to_stdout_and_is_valid_fhir(db_url: str) -> None:
    store_month(db_url)
    result = invoke("export", "fhir", "--db", db_url, "--patient-id", "ann-1", "--name", "Ann")
    assert result.returncode == 0, result.stderr
    bundle = json.loads(result.stdout)
    validate(bundle)
    (patient,) = resources(bundle, "Patient")
    assert patient["identifier"] == [{"system": PATIENT_IDS, "value": "ann-1"}]
    assert patient["name"] == [{"text": "Ann"}]
    assert len(resources(bundle, "QuestionnaireResponse")) == 2
    assert len(resources(bundle, "CarePlan")) == 1


def test_out_writes_the_same_bytes_as_stdout(db_url: str, tmp_path: Path) -> None:
    store_month(db_url)
    out = tmp_path / "records.fhir.json"
    written = invoke("export", "fhir", "--db", db_url, "--out", str(out))
    assert written.returncode == 0, written.stderr
    assert written.stdout == ""
    assert f"Written {out}" in " ".join(written.stderr.split())
    assert "2 assessment(s), 4 check-in(s), a plan" in " ".join(written.stderr.split())
    printed = invoke("export", "fhir", "--db", db_url)
    # Exported twice, the same records give the same bytes (on the same day).
    assert out.read_text(encoding="utf-8") == printed.stdout


def test_an_empty_database_gives_a_bundle_with_just_the_patient(db_url: str) -> None:
    result = invoke("export", "fhir", "--db", db_url)
    assert result.returncode == 0, result.stderr
    bundle = json.loads(result.stdout)
    validate(bundle)
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == ["Patient"]
    assert resources(bundle, "Patient")[0]["identifier"][0]["value"] == "local"


def test_bad_options_exit_2_with_one_line_per_problem(db_url: str, tmp_path: Path) -> None:
    result = invoke(
        "export", "fhir", "--db", db_url, "--patient-id", "ann smith/1", "--name", " ",
        "--out", str(tmp_path / "missing" / "records.json"),
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3
    assert all(line.startswith("error: ") for line in lines)
    assert "patient id" in lines[0]
    assert "name" in lines[1]
    assert "does not exist" in lines[2]
    folder = invoke("export", "fhir", "--db", db_url, "--out", str(tmp_path))
    assert folder.returncode == 2
    assert "is a folder" in folder.stderr


def test_export_without_a_subcommand_shows_help() -> None:
    result = invoke("export")
    assert "fhir" in result.stdout + result.stderr
