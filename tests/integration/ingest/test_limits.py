"""Bounded memory on hostile archives, and archives with nothing inside reported, not dropped.

Reliability review D3 (a 3 MB .gz inflated to 1.1 GB before it was refused; a zip
with a million entries built every ZipInfo first) and D7 (empty and junk-only
archives, exports without activity files: neither imported nor reported).
"""

from __future__ import annotations

import gzip
import io
import os
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest

from backstride.ingest import Limits, Skipped, iter_path, read_file
from backstride.ingest.archive import Budget, declared_entries, gunzip
from tests.unit.ingest.conftest import original_bytes
from tests.unit.ingest.test_archives import STRAVA_HEADER, make_zip

MiB = 1 << 20
GPX = original_bytes("togeojson_run_gpxtpx.gpx")


def zeros_gz(mib: int) -> bytes:
    deflate = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(MiB)
    return b"".join([*(deflate.compress(block) for _ in range(mib)), deflate.flush()])


def peak_bytes(action: object) -> int:
    assert callable(action)
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_gzip_bomb_is_refused_after_a_few_chunks_not_after_the_allowance() -> None:
    bomb = zeros_gz(256)  # 256 MiB of zeros in about 250 KB
    skipped: list[Skipped] = []
    peak = peak_bytes(lambda: skipped.extend(read_file("z.fit.gz", bomb)))  # type: ignore[arg-type]
    assert len(skipped) == 1
    assert "expands more than" in skipped[0].reason
    assert peak < 16 * MiB, f"peak {peak / MiB:.1f} MiB"


def test_a_gzip_file_within_its_ratio_inflates_whole() -> None:
    data = os.urandom(3 * MiB)  # incompressible: ratio about 1
    assert gunzip(gzip.compress(data), Budget(Limits())) == data


def test_a_gzip_file_over_the_member_limit_is_refused() -> None:
    limits = Limits(max_member_bytes=2 * MiB, max_ratio=1e9)
    [item] = read_file("big.gz", gzip.compress(os.urandom(3 * MiB)), limits)
    assert isinstance(item, Skipped)
    assert "larger than" in item.reason


def many_entries_zip(count: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for i in range(count):
            archive.writestr(zipfile.ZipInfo(f"{i}.txt"), b"")
    return buffer.getvalue()


def test_the_entry_count_is_read_before_the_member_list_is_built(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = many_entries_zip(3000)
    assert declared_entries(data) == (3000, declared_entries(data)[1])  # type: ignore[index]

    def never(*_: object, **__: object) -> None:
        raise AssertionError("ZipFile was built for an archive over the member limit")

    monkeypatch.setattr(zipfile, "ZipFile", never)
    [item] = read_file("flood.zip", data, Limits(max_members=1000))
    assert isinstance(item, Skipped)
    assert "lists 3,000 entries" in item.reason


def test_a_central_directory_that_lies_about_its_count_is_judged_by_its_size() -> None:
    data = bytearray(many_entries_zip(3000))
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = (1).to_bytes(2, "little") * 2  # "one entry"
    [item] = read_file("liar.zip", bytes(data), Limits(max_members=20))
    assert isinstance(item, Skipped)
    assert "entries" in item.reason or "files" in item.reason


@pytest.mark.parametrize(
    ("members", "reason"),
    [
        ({}, "the archive is empty"),
        ({"folder/": b"", "folder/sub/": b""}, "only folders"),
        ({"__MACOSX/._x.fit": b"x", ".DS_Store": b"x", "Thumbs.db": b"x"}, "only system files"),
        ({"DI_CONNECT/DI-Connect-User/user.json": b"{}"}, "the export holds no activity files"),
    ],
)
def test_an_archive_with_nothing_to_import_is_reported(
    members: dict[str, bytes], reason: str
) -> None:
    if members == {}:
        buffer = io.BytesIO()
        zipfile.ZipFile(buffer, "w").close()
        data = buffer.getvalue()
    else:
        data = make_zip(members)
    [item] = read_file("e.zip", data)
    assert isinstance(item, Skipped)
    assert item.name == "e.zip"
    assert reason in item.reason


def test_strava_rows_whose_file_is_missing_are_reported() -> None:
    csv = STRAVA_HEADER + (
        '1,"Jun 15, 2019, 9:42:23 AM",Morning run,Run,,60,1.0,,,false,,,'
        "activities/1.fit,,,60.0,60.0,1000.0,,,\n"
        '2,"Jun 16, 2019, 9:42:23 AM",Evening run,Run,,60,1.0,,,false,,,'
        "activities/2.gpx,,,60.0,60.0,1000.0,,,\n"
    )
    data = make_zip({"export/activities.csv": csv.encode(), "export/activities/2.gpx": GPX})
    items = read_file("strava.zip", data)
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert [(s.name, s.reason) for s in skipped] == [
        ("strava.zip/activities/1.fit", "listed in activities.csv but not in the archive")
    ]
    assert len(items) == 2  # the GPX imported, the missing file reported


def test_a_link_out_of_an_import_folder_is_not_followed(tmp_path: Path) -> None:
    folder = tmp_path / "runs"
    folder.mkdir()
    (folder / "run.gpx").write_bytes(GPX)
    (folder / "passwd.gpx").symlink_to("/etc/passwd")
    (folder / "inside.gpx").symlink_to(folder / "run.gpx")
    items = list(iter_path(folder))
    skipped = {i.name: i.reason for i in items if isinstance(i, Skipped)}
    assert skipped == {
        "passwd.gpx": "a link to a file outside the folder; links are not followed out"
    }
    assert len(items) == 3  # run.gpx and the link inside the folder are read


def test_import_of_a_folder_reports_a_link_out_of_it(tmp_path: Path) -> None:
    from backstride.adapters.db.database import open_database
    from backstride.adapters.db.unit_of_work import SqlUnitOfWork
    from backstride.services import importing
    from backstride.services.clock import SystemClock

    folder = tmp_path / "runs"
    folder.mkdir()
    (folder / "run.gpx").write_bytes(GPX)
    (folder / "passwd.gpx").symlink_to("/etc/passwd")
    database = open_database(f"sqlite:///{tmp_path / 'x.sqlite'}")
    try:
        summary = importing.import_paths(SqlUnitOfWork(database), SystemClock(), [folder])
    finally:
        database.dispose()
    assert summary.imported == 1
    assert [(s.name, s.reason) for s in summary.skipped] == [
        ("runs/passwd.gpx", "a link to a file outside the folder; links are not followed out")
    ]
