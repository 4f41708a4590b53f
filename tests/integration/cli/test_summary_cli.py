"""`backstride report summary --out FILE` (issue 15 item 4): one page, written where asked;
bad options exit 2 with every problem on its own line and write nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.cli.invoke import invoke
from tests.outcome_support import LAST, seed_runner
from tests.pdf_text import pdf_pages, pdf_text


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'backstride.sqlite'}"


def test_the_summary_is_written_as_one_page(db: str, tmp_path: Path) -> None:
    seed_runner(db)
    out = tmp_path / "summary.pdf"
    ran = invoke("report", "summary", "--out", str(out), "--date", LAST.isoformat(), "--db", db)
    assert ran.returncode == 0, ran.stderr
    assert f"Written {out}" in " ".join(ran.stderr.split())
    data = out.read_bytes()
    assert pdf_pages(data) == 1
    text = pdf_text(data)
    assert "Assessment: Self-care" in text
    assert "Numbness between the legs (saddle area): no" in text
    assert "Exercises and doses:" in text
    assert "3 points less pain than at your first assessment" in text


def test_after_an_emergency_the_summary_lists_no_exercise(db: str, tmp_path: Path) -> None:
    seed_runner(db, emergency=True)
    out = tmp_path / "summary.pdf"
    ran = invoke("report", "summary", "--out", str(out), "--date", LAST.isoformat(), "--db", db)
    assert ran.returncode == 0, ran.stderr
    text = pdf_text(out.read_bytes())
    assert "What to do now" in text
    assert "Exercises and doses" not in text
    assert "Running:" not in text


def test_bad_options_exit_2_and_write_nothing(tmp_path: Path, db: str) -> None:
    ran = invoke("report", "summary", "--out", str(tmp_path / "nowhere" / "s.txt"), "--db", db)
    assert ran.returncode == 2
    assert ran.stdout == ""
    errors = [line for line in ran.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        "error: --out: the file must end in .pdf (got 's.txt')",
        f"error: --out: the folder {tmp_path / 'nowhere'} does not exist",
    ]
    assert not (tmp_path / "nowhere").exists()
    missing = invoke("report", "summary", "--db", db)
    assert missing.returncode == 2
    assert "--out" in missing.stderr
