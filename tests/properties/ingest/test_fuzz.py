"""Random and truncated bytes never escape as anything but typed errors or Skipped."""

from __future__ import annotations

import contextlib
import gzip
import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backstride.ingest import Activity, Skipped, read_file
from backstride.ingest.errors import IngestError
from backstride.ingest.fit import read_fit
from backstride.ingest.gpx import read_gpx
from backstride.ingest.tcx import read_tcx
from tests.unit.ingest import fitwriter as fw
from tests.unit.ingest.conftest import fit_payload, original_bytes

FIT = fit_payload("fitparse_garmin-fenix-5-run.fit")
CRAFTED_FIT = fw.simple_run(30).build()
GPX = original_bytes("togeojson_run_gpxtpx.gpx")
TCX = original_bytes("togeojson_sample.tcx")
# 150 examples in CI; the hunt profile (BACKSTRIDE_HYPOTHESIS_PROFILE=hunt) runs many more.
FUZZ = settings(
    max_examples=max(150, settings.default.max_examples),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def only_typed_errors(reader: object, data: bytes) -> None:
    assert callable(reader)
    with contextlib.suppress(IngestError):
        reader(data, "fuzz")


@FUZZ
@given(st.binary(max_size=2048))
def test_random_bytes_give_activities_or_skipped(data: bytes) -> None:
    for item in read_file("fuzz.bin", data):
        assert isinstance(item, Activity | Skipped)
        # "unexpected" marks the reader's safety net catching a bug, not a typed error.
        assert not (isinstance(item, Skipped) and "unexpected" in item.reason)


@FUZZ
@given(st.binary(max_size=512))
def test_random_bytes_behind_a_fit_header_raise_only_typed_errors(data: bytes) -> None:
    only_typed_errors(read_fit, CRAFTED_FIT[:14] + data)


@FUZZ
@given(st.integers(min_value=0, max_value=len(FIT)), st.sampled_from([FIT, CRAFTED_FIT]))
def test_truncated_fit_raises_only_typed_errors(cut: int, data: bytes) -> None:
    only_typed_errors(read_fit, data[:cut])


@FUZZ
@given(
    st.sampled_from([FIT, CRAFTED_FIT]),
    st.integers(min_value=14, max_value=len(CRAFTED_FIT) - 3),
    st.integers(min_value=1, max_value=255),
)
def test_a_flipped_byte_in_a_fit_file_raises_only_typed_errors(
    data: bytes, position: int, flip: int
) -> None:
    damaged = bytearray(data)
    damaged[position] ^= flip
    only_typed_errors(read_fit, bytes(damaged))
    # With a CRC repaired, the damage reaches the decoder's structure checks too.
    only_typed_errors(read_fit, repair_crc(bytes(damaged)))


def repair_crc(data: bytes) -> bytes:
    from backstride.ingest.fit_crc import crc16

    return data[:-2] + crc16(data, 0, len(data) - 2).to_bytes(2, "little")


@FUZZ
@given(st.integers(min_value=0, max_value=len(GPX)), st.sampled_from(["gpx", "tcx"]))
def test_truncated_xml_raises_only_typed_errors(cut: int, kind: str) -> None:
    if kind == "gpx":
        only_typed_errors(read_gpx, GPX[:cut])
    else:
        only_typed_errors(read_tcx, TCX[: cut % len(TCX)])


@FUZZ
@given(st.integers(min_value=0, max_value=4000))
def test_truncated_archives_give_activities_or_skipped(cut: int) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("run.fit", FIT)
        archive.writestr("run.gpx.gz", gzip.compress(GPX))
    for data in (buffer.getvalue()[:cut], gzip.compress(FIT)[:cut]):
        for item in read_file("fuzz.zip", data):
            assert isinstance(item, Activity | Skipped)
            if isinstance(item, Skipped):
                assert "unexpected" not in item.reason


def _sample_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("runs/run.fit", CRAFTED_FIT)
        archive.writestr("runs/run.gpx.gz", gzip.compress(GPX))
        archive.writestr("activities.csv", "Activity ID,Filename\n1,runs/run.fit\n2,gone.fit\n")
    return buffer.getvalue()


ZIP = _sample_zip()


@FUZZ
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=len(ZIP) - 1), st.integers(1, 255)),
        min_size=1,
        max_size=8,
    )
)
def test_damaged_zip_bytes_anywhere_give_activities_or_skipped(
    flips: list[tuple[int, int]],
) -> None:
    """Flips land in local headers, data, the central directory and the end record alike."""
    damaged = bytearray(ZIP)
    for position, flip in flips:
        damaged[position] ^= flip
    items = read_file("fuzz.zip", bytes(damaged))
    assert items, "an archive always gives something or says why not"
    for item in items:
        assert isinstance(item, Activity | Skipped)
        assert not (isinstance(item, Skipped) and "unexpected" in item.reason)


@FUZZ
@given(
    st.dictionaries(
        st.text(min_size=1, max_size=30),
        st.binary(max_size=64) | st.sampled_from([GPX[:200], CRAFTED_FIT[:40], b""]),
        max_size=6,
    )
)
def test_zips_of_any_names_and_contents_give_activities_or_skipped(
    members: dict[str, bytes],
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data)
    items = read_file("names.zip", buffer.getvalue())
    assert items
    for item in items:
        assert isinstance(item, Activity | Skipped)
        assert not (isinstance(item, Skipped) and "unexpected" in item.reason)


@FUZZ
@given(
    st.sampled_from(["gpx", "tcx"]),
    st.lists(st.tuples(st.integers(min_value=0), st.integers(1, 255)), min_size=1, max_size=8),
)
def test_flipped_bytes_in_xml_raise_only_typed_errors(
    kind: str, flips: list[tuple[int, int]]
) -> None:
    data = bytearray(GPX if kind == "gpx" else TCX)
    for position, flip in flips:
        data[position % len(data)] ^= flip
    only_typed_errors(read_gpx if kind == "gpx" else read_tcx, bytes(data))


def test_a_zip_needing_a_newer_zip_version_is_skipped() -> None:
    """Found by the hunt profile: zipfile raised NotImplementedError ("zip file version")."""
    damaged = bytearray(ZIP)
    directory = damaged.find(b"PK\x01\x02")
    damaged[directory + 6] = 0xD4  # "version needed to extract": 21.2
    [item] = read_file("new.zip", bytes(damaged))
    assert isinstance(item, Skipped)
    assert item.reason.startswith("not a readable zip archive (zip file version")
