"""Zips, gzip wrappers, Strava and Garmin exports; and the limits that keep hostile
archives (bombs, deep nesting, path traversal, member floods) harmless."""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

import pytest

from backstride.ingest import Activity, ImportItem, Limits, Skipped, iter_path, read_file
from tests.unit.ingest import fitwriter as fw
from tests.unit.ingest.conftest import fit_payload, original_bytes

SMALL_FIT = "fitparse_garmin-fenix-5-run.fit"


def make_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            # A ZipInfo keeps member names exactly as given (even "../x"), unlike a path.
            info = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def split(items: list[ImportItem]) -> tuple[list[Activity], list[Skipped]]:
    return (
        [item for item in items if isinstance(item, Activity)],
        [item for item in items if isinstance(item, Skipped)],
    )


STRAVA_HEADER = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,"
    "Elapsed Time,Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,"
    "Activity Gear,Filename,Athlete Weight,Bike Weight,Elapsed Time,Moving Time,Distance,"
    "Max Speed,Average Speed,Elevation Gain\n"
)
STRAVA_ROWS = (
    '6782987395,"Jun 15, 2019, 9:42:23 AM",Sloatsburg long run,Trail Run,'
    '"Hot one, carried water.\nTwo bottles.",4989,14.00,167.0,80,false,,Nike Pegasus 36,'
    "activities/6782987395.fit.gz,,,4989.0,4779.0,14004.849609,5.0,2.93,347.0\n"
    '6860622783,"Feb 2, 2020, 11:19:33 AM",Treadmill intervals,Run,,3763,"10.63",177.0,'
    "95,false,,Saucony Kinvara 11,activities/6860622783.fit.gz,,,3763.0,3097.0,10630.37,"
    "5.0,3.43,0.0\n"
    '1681613317,"Mar 19, 2017, 4:49:30 PM",Run avec Nico & Mag,Run,,1958,4.59,176.0,40,'
    "false,,,activities/1681613317.gpx,,,1958.0,1922.0,4589.2,4.0,2.39,38.8\n"
    '1200000000,"Mar 20, 2017, 8:00:00 AM",Gym session,Weight Training,,3600,0,,,false,,,'
    ",,,3600.0,3600.0,0.0,,,\n"
    '2000000000,"Oct 11, 2014, 6:08:45 PM",10k UNLP,Race,,2224,10.01,,,false,,,'
    "activities/2000000000.tcx.gz,,,2224.0,2224.0,10010.8,,,\n"
)


@pytest.fixture(scope="module")
def strava_export() -> bytes:
    """A Strava bulk export built from real files, laid out as Strava lays it out."""
    return make_zip(
        {
            "activities.csv": (STRAVA_HEADER + STRAVA_ROWS).encode(),
            "activities/6782987395.fit.gz": gzip.compress(
                fit_payload("sportslib_fr945_run_6782987395.fit")
            ),
            "activities/6860622783.fit.gz": gzip.compress(
                fit_payload("sportslib_fr945_treadmill_6860622783.fit")
            ),
            "activities/1681613317.gpx": original_bytes(
                "sportslib_strava-android_run_1681613317.gpx"
            ),
            "activities/2000000000.tcx.gz": gzip.compress(
                original_bytes("gc_10kUNLP2014-Garmin15.tcx")
            ),
            "profile.csv": b"Athlete ID,Email Address\n1,runner@example.com\n",
            "bikes.csv": b"Bike Name,Bike Brand\n",
            "media/0A1B2C.jpg": b"\xff\xd8\xff\xe0 not really a photo",
        }
    )


def test_strava_export_imports_every_activity_file_with_its_csv_metadata(
    strava_export: bytes,
) -> None:
    activities, skipped = split(read_file("export_12345.zip", strava_export))
    assert skipped == []
    by_name = {a.source_name.rsplit("/", 1)[1]: a for a in activities}
    assert sorted(by_name) == [
        "1681613317.gpx",
        "2000000000.tcx.gz",
        "6782987395.fit.gz",
        "6860622783.fit.gz",
    ]
    long_run = by_name["6782987395.fit.gz"]
    assert long_run.name == "Sloatsburg long run"
    assert long_run.sport == "trail_running"  # the athlete's "Trail Run" is more specific
    assert long_run.gear == "Nike Pegasus 36"
    assert long_run.distance_m == pytest.approx(14004.85)
    assert long_run.source_name == "export_12345.zip/activities/6782987395.fit.gz"
    treadmill = by_name["6860622783.fit.gz"]
    assert treadmill.sport == "treadmill_running"  # the file's treadmill beats a generic "Run"
    assert treadmill.gear == "Saucony Kinvara 11"
    gpx = by_name["1681613317.gpx"]
    assert gpx.name == "Run avec Nico & Mag"
    assert gpx.gear is None
    race = by_name["2000000000.tcx.gz"]
    assert race.name == "10k UNLP"
    assert race.sport == "running"  # "Race" is not a sport: the file's running stands


def test_strava_csv_duplicate_columns_are_read_by_first_position() -> None:
    from backstride.ingest.strava import read_activities_csv

    index = read_activities_csv((STRAVA_HEADER + STRAVA_ROWS).encode())
    assert index["activities/6782987395.fit.gz"].activity_id == "6782987395"
    assert index["activities/6782987395.fit.gz"].sport == "trail_running"
    assert "" not in index  # the gym session has no file


def test_strava_metadata_is_found_when_the_export_sits_in_a_folder(strava_export: bytes) -> None:
    inner = zipfile.ZipFile(io.BytesIO(strava_export))
    nested = make_zip(
        {f"export_12345/{info.filename}": inner.read(info) for info in inner.infolist()}
    )
    activities, _ = split(read_file("export.zip", nested))
    assert {a.name for a in activities} >= {"Sloatsburg long run", "10k UNLP"}


@pytest.fixture(scope="module")
def garmin_export() -> bytes:
    """A Garmin account export: activity FIT files inside a zip inside the export zip."""
    settings = fw.FitWriter()
    settings.define(0, fw.FILE_ID, [(0, 1, fw.ENUM), (1, 2, fw.UINT16)])
    settings.data(0, 2, 1)
    uploaded = make_zip(
        {
            "runner@example.com_14211916346.fit": fit_payload("gc_fr955_14211916346_ACTIVITY.fit"),
            "runner@example.com_4077461142.fit": fit_payload("gc_fenix6x_trail_4077461142.fit"),
            "runner@example.com_settings.fit": settings.build(),
        }
    )
    return make_zip(
        {
            "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip": uploaded,
            "DI_CONNECT/DI-Connect-Fitness/runner@example.com_0_summarizedActivities.json": b"[]",
            "DI_CONNECT/DI-Connect-User/user_profile.json": b"{}",
            "DI_CONNECT/DI-Connect-Wellness/2024-03-02_sleepData.json": b"[]",
        }
    )


def test_garmin_export_reads_the_fit_files_of_the_nested_zip(garmin_export: bytes) -> None:
    activities, skipped = split(read_file("garmin_export.zip", garmin_export))
    assert [a.start_utc.isoformat() for a in activities] == [
        "2024-03-02T07:44:55+00:00",
        "2019-09-20T07:20:42+00:00",
    ]
    assert activities[0].source_name == (
        "garmin_export.zip/DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip/"
        "runner@example.com_14211916346.fit"
    )
    (settings,) = skipped
    assert settings.name.endswith("runner@example.com_settings.fit")
    assert settings.reason == "this is a FIT settings file, not an activity"


def test_plain_zip_reports_every_member(tmp_path: Path) -> None:
    activities, skipped = split(
        read_file("fittrackee_gpx_test.zip", original_bytes("fittrackee_gpx_test.zip"))
    )
    assert [a.source_name for a in activities] == [
        f"fittrackee_gpx_test.zip/test_{n}.gpx" for n in (1, 2, 3)
    ]
    assert skipped == [
        Skipped("fittrackee_gpx_test.zip/fichier.doc", "the file is empty (0 bytes)")
    ]


def test_junk_members_are_ignored_and_unknown_ones_reported() -> None:
    data = make_zip(
        {
            "__MACOSX/._run.fit": b"junk",
            ".DS_Store": b"junk",
            "run.fit": fit_payload(SMALL_FIT),
            "notes.txt": b"felt good",
        }
    )
    activities, skipped = split(read_file("upload.zip", data))
    assert len(activities) == 1
    assert [item.name for item in skipped] == ["upload.zip/notes.txt"]
    assert "not an activity file (.txt)" in skipped[0].reason


def test_gzip_wrapped_gpx_and_tcx_are_read() -> None:
    for name in ("sportslib_amazfit_run.gpx", "gc_10kUNLP2014-Garmin15.tcx"):
        (item,) = read_file(f"{name}.gz", gzip.compress(original_bytes(name)))
        assert isinstance(item, Activity)
        assert item.source_format == name[-3:]


def test_zip_bomb_member_is_skipped_and_the_rest_imported() -> None:
    limits = Limits(ratio_floor_bytes=64 * 1024)
    data = make_zip({"bomb.fit": bytes(8 * 1024 * 1024), "run.fit": fit_payload(SMALL_FIT)})
    activities, skipped = split(read_file("bomb.zip", data, limits))
    assert len(activities) == 1
    assert skipped[0].name == "bomb.zip/bomb.fit"
    assert "zip bomb" in skipped[0].reason


def test_gzip_bomb_is_skipped() -> None:
    limits = Limits(ratio_floor_bytes=64 * 1024)
    (item,) = read_file("bomb.fit.gz", gzip.compress(bytes(8 * 1024 * 1024)), limits)
    assert isinstance(item, Skipped)
    assert "zip bomb" in item.reason


def test_member_larger_than_the_limit_is_skipped() -> None:
    limits = Limits(max_member_bytes=1000)
    (item,) = read_file("big.zip", make_zip({"run.fit": fit_payload(SMALL_FIT)}), limits)
    assert isinstance(item, Skipped)
    assert "larger than" in item.reason


def test_total_uncompressed_size_is_bounded_across_members() -> None:
    size = len(fit_payload(SMALL_FIT))
    limits = Limits(max_total_bytes=int(size * 2.5))
    data = make_zip({f"run{n}.fit": fit_payload(SMALL_FIT) for n in range(4)})
    activities, skipped = split(read_file("many.zip", data, limits))
    assert len(activities) == 2
    assert all("past" in item.reason for item in skipped)


def test_too_many_members_stops_the_archive() -> None:
    data = make_zip({f"note{n}.txt": b"x" for n in range(11)})
    (item,) = read_file("flood.zip", data, Limits(max_members=10))
    assert item == Skipped("flood.zip", item.reason)
    assert "more than 10 files" in item.reason


def test_deeply_nested_archives_stop_at_the_depth_limit() -> None:
    data = fit_payload(SMALL_FIT)
    for level in range(4):
        data = make_zip({f"level{level}.zip" if level else "run.fit": data})
    items = read_file("deep.zip", data)
    (item,) = items
    assert isinstance(item, Skipped)
    assert "nested more than 3 levels" in item.reason
    shallower = make_zip({"a.zip": make_zip({"b.fit.gz": gzip.compress(fit_payload(SMALL_FIT))})})
    assert isinstance(read_file("ok.zip", shallower)[0], Activity)


@pytest.mark.parametrize(
    "member", ["../../etc/evil.fit", "/etc/evil.fit", "C:/evil.fit", "a/../../evil.fit"]
)
def test_path_traversal_member_names_are_never_read(member: str) -> None:
    data = make_zip({member: fit_payload(SMALL_FIT), "good.fit": fit_payload(SMALL_FIT)})
    activities, skipped = split(read_file("traversal.zip", data))
    assert [a.source_name for a in activities] == ["traversal.zip/good.fit"]
    assert len(skipped) == 1
    assert "unsafe path" in skipped[0].reason


def test_corrupt_and_truncated_archives_are_skipped() -> None:
    data = make_zip({"run.fit": fit_payload(SMALL_FIT)})
    (item,) = read_file("cut.zip", data[: len(data) // 2])
    assert isinstance(item, Skipped)
    (item,) = read_file("cut.fit.gz", gzip.compress(fit_payload(SMALL_FIT))[:-30])
    assert isinstance(item, Skipped)
    assert "truncated" in item.reason or "corrupt" in item.reason


def test_encrypted_member_is_skipped() -> None:
    # zipfile cannot encrypt, so set the "encrypted" flag in both headers by hand.
    data = bytearray(make_zip({"secret.fit": fit_payload(SMALL_FIT)}))
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        data[data.index(signature) + flag_offset] |= 0x1
    (item,) = read_file("locked.zip", bytes(data))
    assert isinstance(item, Skipped)
    assert "encrypted" in item.reason


def test_iter_path_walks_a_folder_recursively_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / "b" / "run.fit").write_bytes(fit_payload(SMALL_FIT))
    (tmp_path / "a" / "z.gpx").write_bytes(original_bytes("togeojson_run.gpx"))
    (tmp_path / "a" / "empty.tcx").write_bytes(b"")
    (tmp_path / ".hidden.fit").write_bytes(b"ignored")
    first = [
        (item.source_name if isinstance(item, Activity) else item.name)
        for item in iter_path(tmp_path)
    ]
    assert first == ["a/empty.tcx", "a/z.gpx", "b/run.fit"]
    assert first == [
        (item.source_name if isinstance(item, Activity) else item.name)
        for item in iter_path(tmp_path)
    ]
    (single,) = iter_path(tmp_path / "b" / "run.fit")
    assert isinstance(single, Activity)
    assert single.source_name == "run.fit"


def test_a_missing_path_is_reported_not_raised(tmp_path: Path) -> None:
    (item,) = iter_path(tmp_path / "nope.fit")
    assert isinstance(item, Skipped)
    assert "cannot be read" in item.reason
