"""`backstride checkin --activity ID` refuses an id that is not in the run log (exit 2)."""

from __future__ import annotations

from pathlib import Path

from tests.integration.cli.invoke import invoke


def test_an_unknown_activity_is_refused_with_its_field(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'b.sqlite'}"
    ran = invoke(
        "checkin", "--db", db, "--date", "2026-03-02", "--pain-now", "3", "--worst", "4",
        "--session", "run", "--minutes", "30", "--activity", "77",
    )  # fmt: skip
    assert ran.returncode == 2, ran.stdout + ran.stderr
    assert "session.activity_id" in ran.stderr
    assert "77" in ran.stderr
    runs = invoke("runs", "--db", db, "--format", "json")
    assert runs.returncode == 0
    assert '"id"' not in runs.stdout


def test_a_checkin_run_shows_in_the_run_log(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'b.sqlite'}"
    ran = invoke(
        "checkin", "--db", db, "--date", "2026-03-02", "--pain-now", "3", "--worst", "4",
        "--session", "run", "--minutes", "30", "--km", "5",
    )  # fmt: skip
    assert ran.returncode == 0, ran.stdout + ran.stderr
    runs = invoke("runs", "--db", db, "--format", "json")
    assert runs.returncode == 0
    assert '"checkin"' in runs.stdout


def test_backstride_runs_says_the_run_came_from_a_check_in(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'b.sqlite'}"
    invoke(
        "checkin", "--db", db, "--date", "2026-03-02", "--pain-now", "3", "--worst", "4",
        "--session", "run", "--minutes", "30",
    )  # fmt: skip
    runs = invoke("runs", "--db", db)
    assert runs.returncode == 0
    assert "check-in" in runs.stdout
