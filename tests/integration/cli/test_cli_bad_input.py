"""Every command answers bad input with exit 2 and one line per problem, never a traceback.

The cases of the reliability review (D6): nesting of 500 levels and more, integers
over 4,300 digits, dates at 0001-01-01 and 9999-12-31, and 200 unknown fields
(capped at 50 lines, then "… and N more").
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.integration.cli.invoke import invoke

NEW_RUNNER = ROOT / "tests" / "spec" / "examples" / "new-runner.json"


def intake() -> dict[str, object]:
    loaded: dict[str, object] = json.loads(NEW_RUNNER.read_text())
    return loaded


def assert_clear_refusal(result: object, *, lines: int | None = None) -> list[str]:
    assert getattr(result, "returncode", None) == 2, result
    stderr: str = getattr(result, "stderr", "")
    assert "Traceback" not in stderr
    assert getattr(result, "stdout", "") == ""
    found = stderr.strip().splitlines()
    assert found
    assert all(line.startswith("error: ") for line in found), found
    if lines is not None:
        assert len(found) == lines
    return found


@pytest.mark.parametrize("depth", [500, 2000])
def test_deep_nesting_in_a_field(tmp_path: Path, depth: int) -> None:
    document = intake()
    document["x"] = json.loads("[" * min(depth, 900) + "]" * min(depth, 900))
    text = json.dumps(document) if depth < 1000 else "[" * depth + "]" * depth
    path = tmp_path / "deep.json"
    path.write_text(text)
    [line] = assert_clear_refusal(invoke("assess", "--input", str(path), "--format", "json"))
    assert "nested more than" in line or "must be a JSON object" in line


def test_an_integer_of_4301_digits(tmp_path: Path) -> None:
    text = NEW_RUNNER.read_text().replace('"age": 29', '"age": 1' + "0" * 4300)
    assert "0" * 4300 in text
    path = tmp_path / "big.json"
    path.write_text(text)
    [line] = assert_clear_refusal(invoke("assess", "--input", str(path)))
    assert "digits" in line


def test_problems_are_capped(tmp_path: Path) -> None:
    document = {**intake(), **{f"unknown_{i}": 1 for i in range(200)}}
    path = tmp_path / "keys.json"
    path.write_text(json.dumps(document))
    found = assert_clear_refusal(invoke("assess", "--input", str(path)), lines=51)
    assert found[-1].endswith("… and 150 more")


@pytest.mark.parametrize(
    "args",
    [
        ("load", "--date", "9999-12-31"),
        ("load", "--date", "0001-01-05"),
        ("progress", "--date", "0001-01-01"),
        ("progress", "--date", "9999-12-31"),
        ("today", "--date", "9999-12-31"),
        (
            "checkin",
            "--date",
            "9999-12-31",
            "--pain-now",
            "2",
            "--worst",
            "3",
            "--no-warning-signs",
        ),
    ],
)
def test_dates_out_of_range(tmp_path: Path, args: tuple[str, ...]) -> None:
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    [line] = assert_clear_refusal(invoke(*args, "--db", db))
    assert "between 1900-01-01 and 2999-12-31" in line


def test_a_progress_range_over_five_years(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    result = invoke("progress", "--from", "1900-01-01", "--date", "2999-12-31", "--db", db)
    [line] = assert_clear_refusal(result)
    assert "at most 1830 days" in line


def test_an_archive_with_nothing_inside_is_reported(tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "e.zip"
    zipfile.ZipFile(archive, "w").close()
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    result = invoke("import", str(archive), "--format", "json", "--db", db)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["skipped"] == 1
    assert summary["skipped_files"] == [{"name": "e.zip", "reason": "the archive is empty"}]
