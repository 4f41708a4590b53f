"""Formats are told apart by their bytes, whatever the file is called."""

from __future__ import annotations

import gzip

import pytest

from backstride.ingest import Activity, read_file
from backstride.ingest.detect import Kind, sniff
from tests.unit.ingest.conftest import fit_payload, original_bytes


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"", Kind.EMPTY),
        (fit_payload("fitparse_garmin-fenix-5-run.fit"), Kind.FIT),
        (gzip.compress(b"x"), Kind.GZIP),
        (b"PK\x03\x04rest", Kind.ZIP),
        (b"PK\x05\x06" + bytes(18), Kind.ZIP),
        (original_bytes("togeojson_run.gpx"), Kind.GPX),
        (original_bytes("gpxpy_unicode_with_bom.gpx"), Kind.GPX),
        (original_bytes("togeojson_sample.tcx"), Kind.TCX),
        (b"<?xml version='1.0'?><!-- a comment --><kml></kml>", Kind.OTHER_XML),
        (b"<?xml version='1.0'?><ns:gpx xmlns:ns='x'/>", Kind.GPX),
        ('<?xml version="1.0" encoding="UTF-16"?><gpx/>'.encode("utf-16"), Kind.GPX),
        (b"\x00\x01\x02 binary", Kind.UNKNOWN),
        (b"Activity ID,Activity Date\n", Kind.UNKNOWN),
    ],
)
def test_sniff(data: bytes, kind: Kind) -> None:
    assert sniff(data) == kind


def test_a_misnamed_file_is_read_by_its_content() -> None:
    (item,) = read_file("actually-a-gpx.fit", original_bytes("togeojson_run.gpx"))
    assert isinstance(item, Activity)
    assert item.source_format == "gpx"
