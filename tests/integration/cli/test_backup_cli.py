"""`backstride export all --out FILE` and `backstride restore FILE` (issue 15 item 4): the
whole record out and back into an empty database; a bad archive or a record that is not
empty exits 2 with one line per problem and writes nothing."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest

from backstride.bootstrap import open_storage
from tests.builders import checkin_document
from tests.conftest import FILES
from tests.integration.cli.invoke import invoke


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'backstride.sqlite'}"


def seed(db: str, folder: Path) -> None:
    """A check-in, an imported file and a pair of shoes, through the commands."""
    document = folder / "checkin.json"
    document.write_text(json.dumps(checkin_document(dt.date(2026, 3, 2))))
    assert invoke("checkin", "--input", str(document), "--db", db).returncode == 0
    ran = invoke("import", str(FILES / "gc_10kUNLP2014-Garmin15.tcx.gz"), "--db", db)
    assert ran.returncode == 0, ran.stderr
    assert invoke("shoes", "add", "Pegasus", "--db", db).returncode == 0


def without_time(archive: bytes) -> dict[str, bytes]:
    """The members, with the export's time left out of the document."""
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        found = {name: opened.read(name) for name in opened.namelist()}
    document = json.loads(found["backstride-export.json"])
    document.pop("exported_at")
    found["backstride-export.json"] = json.dumps(document, sort_keys=True).encode()
    return found


def test_export_all_then_restore_into_an_empty_database(db: str, tmp_path: Path) -> None:
    seed(db, tmp_path)
    out = tmp_path / "backup.zip"
    ran = invoke("export", "all", "--out", str(out), "--db", db)
    assert ran.returncode == 0, ran.stderr
    said = " ".join(ran.stderr.split())
    assert f"Written {out}:" in said
    assert "1 checkins" in said
    assert "1 original file." in said

    empty = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    restored = invoke("restore", str(out), "--db", empty)
    assert restored.returncode == 0, restored.stderr
    assert "Restored into 'local':" in " ".join(restored.stderr.split())

    again = tmp_path / "again.zip"
    assert invoke("export", "all", "--out", str(again), "--db", empty).returncode == 0
    assert without_time(again.read_bytes()) == without_time(out.read_bytes())
    runs = invoke("runs", "--format", "json", "--db", empty)
    assert runs.stdout == invoke("runs", "--format", "json", "--db", db).stdout
    assert len(json.loads(runs.stdout)["activities"]) == 1


def test_restore_refuses_a_record_that_is_not_empty(db: str, tmp_path: Path) -> None:
    seed(db, tmp_path)
    out = tmp_path / "backup.zip"
    assert invoke("export", "all", "--out", str(out), "--db", db).returncode == 0
    ran = invoke("restore", str(out), "--db", db)
    assert ran.returncode == 2
    assert ran.stdout == ""
    (line,) = ran.stderr.strip().splitlines()
    assert line.startswith(f"error: {out}: the record of 'local' is not empty (")


def test_a_bad_archive_exits_2_with_one_line_per_problem(db: str, tmp_path: Path) -> None:
    seed(db, tmp_path)
    out = tmp_path / "backup.zip"
    assert invoke("export", "all", "--out", str(out), "--db", db).returncode == 0
    with zipfile.ZipFile(out) as opened:
        members = {name: opened.read(name) for name in opened.namelist()}
    document = json.loads(members["backstride-export.json"])
    document["version"] = 2
    document["tables"]["shoes"][0]["retired"] = "no"
    members["backstride-export.json"] = json.dumps(document).encode()
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as rewritten:
        for name, data in members.items():
            rewritten.writestr(name, data)

    empty = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    ran = invoke("restore", str(bad), "--db", empty)
    assert ran.returncode == 2
    assert ran.stdout == ""
    assert ran.stderr.strip().splitlines() == [
        f"error: {bad}: version: this backstride reads version 1 (got 2)",
        f"error: {bad}: tables.shoes[0].retired: expected true or false",
    ]
    storage = open_storage(empty)
    with storage.unit_of_work() as uow:
        assert uow.shoes.list() == []
        assert uow.checkins.last_day() is None
    storage.dispose()


def test_bad_options_exit_2_and_write_nothing(db: str, tmp_path: Path) -> None:
    taken = tmp_path / "taken.zip"
    taken.write_bytes(b"keep me")
    ran = invoke("export", "all", "--out", str(taken), "--db", db)
    assert ran.returncode == 2
    assert ran.stderr.strip().splitlines() == [
        f"error: --out: {taken} exists; give another name, or --force to replace it"
    ]
    assert taken.read_bytes() == b"keep me"
    ran = invoke("export", "all", "--out", str(tmp_path / "nowhere" / "b.txt"), "--db", db)
    assert ran.stderr.strip().splitlines() == [
        "error: --out: the file must end in .zip (got 'b.txt')",
        f"error: --out: the folder {tmp_path / 'nowhere'} does not exist",
    ]
    ran = invoke("export", "all", "--out", str(tmp_path / "b.zip"), "--account", "x", "--db", db)
    assert ran.returncode == 2
    assert ran.stderr.strip() == "error: --account: there is no account named 'x'"
    assert not (tmp_path / "b.zip").exists()
    assert list(tmp_path.glob(".backstride-export-*")) == []

    ran = invoke("restore", str(tmp_path / "missing.zip"), "--db", db)
    assert (ran.returncode, ran.stderr.strip()) == (
        2,
        f"error: {tmp_path / 'missing.zip'}: no such file",
    )
    ran = invoke("restore", str(taken), "--db", db)
    assert ran.returncode == 2
    assert "not a readable zip archive" in ran.stderr


def test_force_replaces_an_existing_file(db: str, tmp_path: Path) -> None:
    out = tmp_path / "backup.zip"
    out.write_bytes(b"old")
    ran = invoke("export", "all", "--out", str(out), "--force", "--db", db)
    assert ran.returncode == 0, ran.stderr
    assert zipfile.is_zipfile(out)
