"""`backstride import`, `runs`, `run add`, `shoes` and `load` from the outside."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from backstride.cli.runs import parse_duration
from tests.builders import hand_entered_runs, write_runs
from tests.conftest import FILES
from tests.integration.cli.invoke import invoke

FR945 = "sportslib_fr945_run_6782987395"


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.sqlite'}"


def run(*args: str) -> tuple[int, str, str]:
    result = invoke(*args)
    return result.returncode, result.stdout, result.stderr


def test_import_reports_a_json_summary_and_exits_0_even_with_skipped_files(db: str) -> None:
    code, out, err = run(
        "import",
        str(FILES / f"{FR945}.fit"),
        str(FILES / f"{FR945}.gpx.gz"),
        str(FILES / "togeojson_bad.gpx"),
        "--format",
        "json",
        "--db",
        db,
    )
    assert code == 0, err
    summary = json.loads(out)
    assert (summary["files"], summary["imported"], summary["duplicates"]) == (3, 1, 1)
    assert summary["skipped_files"] == [
        {
            "name": "togeojson_bad.gpx",
            "reason": "2 of 2 track points hold values that are not valid numbers "
            "(for example latitude='undefined')",
        }
    ]
    assert summary["activities"][0]["sport"] == "running"
    assert summary["samples"] == 4988

    code, out, _ = run("import", str(FILES / f"{FR945}.fit"), "--db", db)
    assert code == 0
    assert "Imported 0 new activities from 1 files" in out
    assert "already imported (the same file)" in out


def test_import_refuses_missing_paths_with_exit_2(db: str, tmp_path: Path) -> None:
    code, out, err = run("import", str(tmp_path / "nowhere"), "--db", db)
    assert code == 2
    assert out == ""
    assert err.strip() == f"error: {tmp_path / 'nowhere'}: no such file or folder"
    code, _, _ = run("import", "--db", db)
    assert code == 2


def test_runs_lists_what_was_imported(db: str) -> None:
    assert run("import", str(FILES / "gc_Garmin920_withFirstbeat.fit"), "--db", db)[0] == 0
    code, out, _ = run("runs", "--format", "json", "--db", db)
    assert code == 0
    page = json.loads(out)
    assert (page["total"], page["next"]) == (1, None)
    (activity,) = page["activities"]
    assert activity["id"] == 1
    assert activity["sport"] == "running"
    assert activity["distance_m"] == pytest.approx(7279, abs=1)
    assert activity["avg_hr"] == 141
    assert activity["avg_cadence_spm"] == pytest.approx(173, abs=1)
    assert activity["source"] == "fit"
    assert {"start", "elapsed_s", "moving_s", "ascent_m", "shoes"} <= activity.keys()
    code, out, _ = run("runs", "--db", db)
    assert code == 0
    # Human units: km with two decimals under 10 km, h:mm:ss, min:ss per km, the year.
    row = next(line for line in out.splitlines() if line.lstrip().startswith("1 "))
    for shown in ("1 Jan 2019", "7.28", "0:34:31", "4:45", "141", "173"):
        assert shown in row, (shown, row)
    assert run("runs", "--limit", "0", "--db", db)[0] == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--duration", "45:75"], "--duration"),
        (["--duration", "soon"], "--duration"),
        (["--distance-km", "-3"], "--distance-km"),
        (["--distance-km", "80", "--duration", "5"], "faster than any runner"),
        (["--pain", "11"], "--pain"),
        (["--surface", "moon"], "--surface"),
        (["--shoes", "Ghost"], "no shoes called 'Ghost'"),
        (["--date", "2999-01-01"], "in the future"),
        (["--date", "14/03/2026"], "--date"),
    ],
)
def test_run_add_refuses_bad_values_with_exit_2(db: str, args: list[str], message: str) -> None:
    base = {"--date": "2026-03-01", "--distance-km": "8", "--duration": "45:30"}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    flat = [part for pair in base.items() for part in pair]
    code, out, err = run("run", "add", *flat, "--db", db)
    assert code == 2
    assert out == ""
    assert message in err
    assert err.startswith("error: ")


def test_run_add_and_the_shoes_warning_past_the_worn_mark(db: str) -> None:
    assert run("shoes", "add", "Pegasus 40", "--default", "--started-km", "790", "--db", db)[0] == 0
    code, out, err = run(
        "run", "add", "--date", "2026-03-01T07:30", "--distance-km", "12.5",
        "--duration", "1:05:30", "--surface", "trail", "--pain", "2", "--db", db,
    )  # fmt: skip
    assert code == 0, err
    assert "Added run 1: 12.5 km in 65:30 on 2026-03-01, shoes Pegasus 40" in out

    code, out, err = run("shoes", "--db", db)
    assert code == 0
    assert "Pegasus 40" in out
    assert "802" in out
    assert "warning: 'Pegasus 40' has covered about 802 km, past the 800 km mark" in err
    code, out, _ = run("shoes", "list", "--format", "json", "--db", db)
    (shoe,) = json.loads(out)
    assert (shoe["km"], shoe["worn"], shoe["default"], shoe["activities"]) == (802.5, True, True, 1)

    code, out, _ = run("runs", "--format", "json", "--db", db)
    (activity,) = json.loads(out)["activities"]
    assert (activity["manual"], activity["surface"], activity["pain_0_10"]) == (True, "trail", 2)
    assert activity["elapsed_s"] == 3930
    assert activity["start"].startswith("2026-03-01T07:30")


def test_shoes_assign_and_retire(db: str) -> None:
    run("run", "add", "--date", "2026-03-01", "--distance-km", "5", "--duration", "30", "--db", db)
    assert run("shoes", "add", "Race", "--db", db)[0] == 0
    assert run("shoes", "add", "race", "--db", db)[0] == 2  # names ignore case
    code, out, _ = run("shoes", "assign", "1", "Race", "--db", db)
    assert code == 0
    assert "Run 1 is now in 'Race'" in out
    assert run("shoes", "assign", "99", "Race", "--db", db)[0] == 2
    assert run("shoes", "retire", "Race", "--db", db)[0] == 0
    code, out, _ = run("shoes", "--format", "json", "--db", db)
    (shoe,) = json.loads(out)
    assert (shoe["retired"], shoe["km"]) == (True, 5)
    code, _, err = run(
        "run", "add", "--date", "2026-03-02", "--distance-km", "5", "--duration", "30",
        "--shoes", "Race", "--db", db,
    )  # fmt: skip
    assert code == 2
    assert "retired" in err


def test_load_describes_weeks_and_says_what_the_ratio_is_not(db: str) -> None:
    for day, km in [("2026-02-20", 6), ("2026-03-03", 8), ("2026-03-08", 10), ("2026-03-12", 12)]:
        code, _, err = run(
            "run", "add", "--date", day, "--distance-km", str(km), "--duration", str(km * 6),
            "--db", db,
        )  # fmt: skip
        assert code == 0, err
    code, out, _ = run("load", "--date", "2026-03-14", "--format", "json", "--db", db)
    assert code == 0
    report = json.loads(out)
    assert [w["distance_km"] for w in report["weeks"][-2:]] == [8, 22]
    assert report["acute_chronic"]["acute_km"] == 22
    assert "does not predict injury" in report["acute_chronic"]["caveat"]
    assert report["intake_running"]["km_last_week"] == 22
    assert report["measured"]["running.km_last_week"].startswith("22.0 km in 2 runs")
    assert report["pain_vs_load"]["enough"] is False
    assert report["pain_vs_load"]["headline"].startswith("Not enough data for any conclusion")

    code, out, _ = run("load", "--date", "2026-03-14", "--with-pain", "--db", db)
    assert code == 0
    assert "Last 7 days: 22.0 km" in out
    assert "Not enough data" in out
    assert run("load", "--date", "March", "--db", db)[0] == 2


def test_durations_in_every_accepted_form() -> None:
    assert parse_duration("45:30") == 2730
    assert parse_duration("1:05:30") == 3930
    assert parse_duration("45") == 2700
    assert parse_duration("45.5") == 2730
    for bad in ("1:75:00", "45:60", "nan", "inf", ""):
        with pytest.raises(ValueError, match="not a duration"):
            parse_duration(bad)


def test_a_folder_is_imported(db: str) -> None:
    result = invoke("import", str(FILES), "--format", "json", "--db", db)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["imported"] == 36
    assert len(summary["skipped_files"]) == 8


# -- pages of the log (issue 14) ------------------------------------------------------------


def _log(db: str, count: int) -> None:
    """``count`` runs, one a day at 07:00 UTC up to 2026-03-01, written in one transaction."""
    write_runs(db, hand_entered_runs(count, dt.datetime(2026, 3, 1, 7, 0, tzinfo=dt.UTC)))


def _rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if " running " in line]


def test_runs_shows_the_newest_page_and_says_how_to_see_the_rest(db: str) -> None:
    _log(db, 60)
    code, out, err = run("runs", "--db", db)
    assert code == 0, err
    rows = _rows(out)
    assert len(rows) == 50
    assert "1 Mar 2026" in rows[0]
    assert "50 of 60 activities shown; 10 older." in out
    cursor = re.search(r"`backstride runs --cursor (\S+)`", out)
    assert cursor, out
    assert "`backstride runs --all`" in out

    code, out, err = run("runs", "--cursor", cursor.group(1), "--db", db)
    assert code == 0, err
    assert len(_rows(out)) == 10
    assert "10 of 60 activities shown; 0 older." in out
    assert "Next page" not in out
    code, out, _ = run("runs", "--all", "--db", db)
    assert len(_rows(out)) == 60
    assert "shown" not in out


def test_runs_as_json_pages_with_the_cursor_the_api_gives(db: str) -> None:
    _log(db, 7)
    code, out, _ = run("runs", "--all", "--format", "json", "--db", db)
    assert code == 0
    whole = json.loads(out)
    assert (whole["total"], whole["next"], len(whole["activities"])) == (7, None, 7)
    seen: list[int] = []
    args = ["runs", "--limit", "3", "--format", "json", "--db", db]
    while True:
        page = json.loads(run(*args)[1])
        assert page["total"] == 7
        seen += [a["id"] for a in page["activities"]]
        if page["next"] is None:
            break
        args = ["runs", "--limit", "3", "--cursor", page["next"], "--format", "json", "--db", db]
    assert seen == [a["id"] for a in whole["activities"]]
    assert len(json.loads(run("runs", "--format", "json", "--db", db)[1])["activities"]) == 7


def test_runs_before_a_day(db: str) -> None:
    _log(db, 10)
    code, out, _ = run("runs", "--before", "2026-02-27", "--limit", "2", "--db", db)
    assert code == 0
    rows = _rows(out)
    assert ["26 Feb 2026" in rows[0], "25 Feb 2026" in rows[1]] == [True, True]
    assert "2 of 10 activities shown; 5 older." in out
    assert "--limit 2`" in out
    assert "`backstride runs --all --before 2026-02-27`" in out
    code, out, _ = run("runs", "--before", "1999-01-01", "--db", db)
    assert code == 0
    assert "No activities there; the log holds 10" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cursor", "not-a-cursor"], "--cursor: not a cursor"),
        (["--all", "--limit", "5"], "--all shows every activity"),
        (["--cursor", "AAAAAAAAAAAAAAAAAAAAAA", "--before", "2026-01-01"], "leave out --before"),
        (["--before", "yesterday"], "--before: expected a date"),
        (["--limit", "0"], "--limit"),
    ],
)
def test_runs_refuses_bad_paging_options_with_exit_2(
    db: str, args: list[str], message: str
) -> None:
    code, out, err = run("runs", *args, "--db", db)
    assert code == 2
    assert out == ""
    assert message in err
