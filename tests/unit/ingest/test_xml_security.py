"""Hostile XML never reaches the file system, the network or unbounded memory."""

from __future__ import annotations

import pytest

from backstride.ingest import Activity, Skipped, read_file
from backstride.ingest.errors import UnsafeXmlError, XmlError
from backstride.ingest.xmlsafe import parse_xml

# Every guard holds whichever way the document is parsed (pushed or whole).
pytestmark = pytest.mark.usefixtures("parsing")

TRACK = (
    '<trk><trkseg><trkpt lat="1" lon="1"><time>2024-01-01T00:00:00Z</time>'
    "<name>&xxe;</name></trkpt></trkseg></trk>"
)

XXE = (
    '<?xml version="1.0"?>\n<!DOCTYPE gpx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    f'<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">{TRACK}</gpx>'
)

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE gpx [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + ']>\n<gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><name>&lol9;</name></trk></gpx>'
)

EXTERNAL_DTD = (
    '<?xml version="1.0"?>\n<!DOCTYPE gpx SYSTEM "http://example.invalid/evil.dtd">\n'
    '<gpx xmlns="http://www.topografix.com/GPX/1/1"></gpx>'
)


@pytest.mark.parametrize("document", [XXE, BILLION_LAUGHS, EXTERNAL_DTD])
def test_documents_with_dtds_or_entities_are_skipped(document: str) -> None:
    (item,) = read_file("evil.gpx", document.encode())
    assert isinstance(item, Skipped)
    assert "not accepted" in item.reason
    assert "root:" not in item.reason


def test_entity_declarations_are_refused_in_utf16_too() -> None:
    with pytest.raises(UnsafeXmlError):
        parse_xml(XXE.replace('version="1.0"', 'version="1.0" encoding="UTF-16"').encode("utf-16"))


def test_xxe_in_tcx_is_refused() -> None:
    tcx = XXE.replace("gpx", "TrainingCenterDatabase")
    (item,) = read_file("evil.tcx", tcx.encode())
    assert isinstance(item, Skipped)
    assert "not accepted" in item.reason


def test_absurdly_deep_nesting_is_skipped_not_recursed() -> None:
    depth = 100_000
    document = (
        '<gpx xmlns="http://www.topografix.com/GPX/1/1">'
        + "<a>" * depth
        + "</a>" * depth
        + "</gpx>"
    ).encode()
    (item,) = read_file("deep.gpx", document)
    assert isinstance(item, Skipped)


def test_unreadable_xml_is_a_typed_error() -> None:
    with pytest.raises(XmlError):
        parse_xml(b"this is not XML at all")


def test_a_utf8_bom_and_leading_blank_lines_are_fine() -> None:
    document = (
        b"\xef\xbb\xbf\n\n"
        + b'<?xml version="1.0"?><gpx xmlns="http://www.topografix.com/GPX/1/1">'
        + b'<trk><trkseg><trkpt lat="1" lon="1"><time>2024-01-01T00:00:00Z</time></trkpt>'
        + b'<trkpt lat="1.001" lon="1"><time>2024-01-01T00:01:00Z</time></trkpt>'
        + b"</trkseg></trk></gpx>"
    )
    (item,) = read_file("bom.gpx", document)
    assert isinstance(item, Activity)
    assert item.distance_m == pytest.approx(111.2, abs=0.5)
