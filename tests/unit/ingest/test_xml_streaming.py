"""The streamed XML readers: bulk conversion equals value-by-value, memory stays flat."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from backstride.ingest import Activity, read_file, xmlsafe
from backstride.ingest.errors import InvalidValueError
from backstride.ingest.gpx import read_gpx
from backstride.ingest.points import TrackBuilder
from backstride.ingest.tcx import read_tcx
from tests.unit.ingest.conftest import names, original_bytes

# Times as exporters write them, and near misses that only the slow path may judge.
# Naive on purpose: the texts are written without or with any offset below.


def test_bulk_numbers_judge_each_value_as_float_does() -> None:
    builder = TrackBuilder()
    texts = ["1", " 2.5 ", "1_0", "1e3", "inf", "nan", "x", "", None, "-1", "301", "0x10"]
    for i, text in enumerate(texts):
        builder.add(time=f"2024-01-01T00:00:{i:02d}Z", heart_rate=text)
    with pytest.raises(InvalidValueError, match=r"8 of 12 .* heart rate='1e3'"):
        builder.finish("running")  # '', 1e3, inf, nan, x, -1, 301 and 0x10: too many
    ok = TrackBuilder()
    for i, text in enumerate(["100", " 120 ", "1_30", "1.4e2", None, "100"] * 2):
        ok.add(time=f"2024-01-01T00:00:{i:02d}Z", heart_rate=text)
    ok.add(time="2024-01-01T00:01:00Z", heart_rate="bad")
    streams, _, warnings = ok.finish("running")
    assert np.array_equal(
        streams.heart_rate,
        [100, 120, 130, 140, np.nan, 100] * 2 + [np.nan],
        equal_nan=True,
    )
    assert warnings == (
        "1 track point(s) had invalid values (for example heart rate='bad'); "
        "those values were left out",
    )


def _long_gpx(points: int) -> bytes:
    start = datetime(2024, 5, 1, 6, 0, tzinfo=UTC)
    body = "".join(
        f'<trkpt lat="{50 + i * 1e-5:.6f}" lon="8.0"><ele>100</ele>'
        f"<time>{(start + timedelta(seconds=i)).isoformat().replace('+00:00', 'Z')}</time>"
        "<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>140</gpxtpx:hr>"
        "</gpxtpx:TrackPointExtension></extensions></trkpt>"
        for i in range(points)
    )
    return (
        '<?xml version="1.0"?><gpx version="1.1" creator="test" '
        'xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<trk><type>running</type><trkseg>{body}</trkseg></trk></gpx>"
    ).encode()


@pytest.fixture
def pushed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every document pushed to the parser a chunk at a time, as a long one is."""
    monkeypatch.setattr(xmlsafe, "WHOLE_DOCUMENT_MAX", 0)


@pytest.mark.usefixtures("pushed")
def test_points_read_are_dropped_so_memory_stays_flat(monkeypatch: pytest.MonkeyPatch) -> None:
    most = batches = 0
    streamed = xmlsafe._streamed

    def watched(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        nonlocal most, batches
        for item in streamed(*args, **kwargs):  # type: ignore[arg-type]
            if isinstance(item, xmlsafe.Points):
                parent = item.elements[0].getparent()
                most = max(most, len(parent) if parent is not None else 0)
                batches += 1
            yield item

    monkeypatch.setattr(xmlsafe, "_streamed", watched)
    (activity,) = read_gpx(_long_gpx(5000), "long.gpx")
    assert len(activity.streams) == 5000
    assert activity.avg_hr == 140
    # The segment never holds more than the points of a chunk the parser has read
    # (about 130 of these) and a batch, not all 5,000.
    assert batches > 10
    assert most < xmlsafe._CHUNK // 200 + xmlsafe._BATCH


@pytest.mark.usefixtures("parsing")
def test_a_truncated_stream_is_read_again_in_recovery_mode_without_doubling() -> None:
    data = _long_gpx(2000)
    (whole,) = read_gpx(data, "long.gpx")
    (cut,) = read_gpx(data[: len(data) * 3 // 4], "cut.gpx")
    assert "recovery mode" in cut.warnings[0]
    assert 1000 < len(cut.streams) < len(whole.streams)
    assert np.all(np.diff(cut.streams.time_s) == 1)


@pytest.mark.usefixtures("parsing")
def test_a_tcx_multisport_file_keeps_one_activity_per_leg_in_order() -> None:
    def leg(sport: str, minute: int) -> str:
        points = "".join(
            f"<Trackpoint><Time>2024-05-01T06:{minute:02d}:{s:02d}Z</Time>"
            f"<DistanceMeters>{s * 3}</DistanceMeters></Trackpoint>"
            for s in range(30)
        )
        return (
            f'<Activity Sport="{sport}"><Id>x</Id>'
            f'<Lap StartTime="2024-05-01T06:{minute:02d}:00Z"><TotalTimeSeconds>29'
            f"</TotalTimeSeconds><DistanceMeters>87</DistanceMeters><Track>{points}</Track>"
            "</Lap></Activity>"
        )

    document = (
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
        'TrainingCenterDatabase/v2"><Activities><MultiSportSession>'
        f"<FirstSport>{leg('Running', 0)}</FirstSport>"
        f"<NextSport>{leg('Biking', 10)}</NextSport></MultiSportSession>"
        f"{leg('Running', 30)}</Activities></TrainingCenterDatabase>"
    ).encode()
    activities = read_tcx(document, "multi.tcx")
    assert [(a.sport, a.source_index, a.distance_m) for a in activities] == [
        ("running", 0, 87),
        ("cycling", 1, 87),
        ("running", 2, 87),
    ]


def _stream_order(document: bytes) -> list[tuple[str, ...]]:
    """What `read_streamed` hands over, in order: point batches by name, ended elements."""

    def consume(items):  # type: ignore[no-untyped-def]
        seen: list[tuple[str, ...]] = []
        for item in items:
            if isinstance(item, xmlsafe.Points):
                seen.append(tuple(point.get("n") or "" for point in item.elements))
            else:
                seen.append(("ended", item.name, item.element.get("n") or ""))
        return seen

    seen, _ = xmlsafe.read_streamed(
        document,
        points="p",
        containers="c",
        is_container=lambda element: element.getparent() is not None,
        ends=("e",),
        check_root=lambda root: None,
        consume=consume,
    )
    return seen


@pytest.mark.usefixtures("parsing")
def test_points_and_ended_elements_come_in_document_order() -> None:
    document = (
        b'<r><c><p n="1"/><p n="2"/><e n="a"/><p n="3"><x><e n="b"/></x></p>'
        b'<q/><p n="4"/></c><e n="c"/><c><p n="5"/></c></r>'
    )
    assert _stream_order(document) == [
        ("1", "2"),
        ("ended", "e", "a"),
        ("ended", "e", "b"),  # inside point 3, which ends after it
        ("3", "4"),  # the <q/> between is not a point
        ("ended", "e", "c"),
        ("5",),
    ]


@pytest.mark.usefixtures("pushed")
def test_points_across_many_chunks_come_in_batches_in_order() -> None:
    count = 4 * xmlsafe._CHUNK // 10  # about six chunks
    points = "".join(f'<p n="{i}"/>' for i in range(count))
    seen = _stream_order(f"<r><c>{points}</c></r>".encode())
    assert len(seen) >= 4
    assert [n for batch in seen for n in batch] == [str(i) for i in range(count)]


@pytest.mark.usefixtures("parsing")
def test_a_point_inside_a_points_extensions_is_left_out_wherever_it_falls() -> None:
    def point(i: int, hr: str) -> str:
        inner = (
            '<trkpt lat="1" lon="1"><time>2024-05-01T07:00:00Z</time>'
            "<extensions><hr>99</hr><cad>99</cad></extensions></trkpt>"
        )
        return (
            f'<trkpt lat="50.{i:04d}" lon="8.0"><time>2024-05-01T06:{i // 60:02d}:{i % 60:02d}Z'
            f"</time><extensions>{hr}{inner}<cad>80</cad></extensions></trkpt>"
        )

    body = "".join(point(i, "<hr>140</hr>" if i % 2 else "") for i in range(1200))
    document = (
        '<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><type>running</type><trkseg>{body}</trkseg></trk></gpx>"
    ).encode()
    (activity,) = read_gpx(document, "nested.gpx")
    hr = activity.streams.heart_rate
    assert np.all(hr[1::2] == 140)
    assert np.all(np.isnan(hr[0::2]))  # never the inner point's 99
    assert np.all(activity.streams.cadence_spm == 160)


@pytest.mark.parametrize("name", [*names("gpx", valid_only=False), *names("tcx", valid_only=False)])
def test_a_real_file_reads_the_same_whole_or_pushed(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = original_bytes(name)
    whole = read_file(name, data)
    monkeypatch.setattr(xmlsafe, "WHOLE_DOCUMENT_MAX", 0)
    pushed = read_file(name, data)
    assert [_described(item) for item in whole] == [_described(item) for item in pushed]


def _described(item: object) -> object:
    """What an activity or a skip says, with the streams as plain lists (NaN as None)."""
    if not isinstance(item, Activity):
        return repr(item)
    fields = {
        field.name: repr(getattr(item, field.name))
        for field in dataclasses.fields(item)
        if field.name != "streams"
    }
    streams = {
        channel: [None if np.isnan(v) else v for v in getattr(item.streams, channel).tolist()]
        for channel in item.streams.CHANNELS
    }
    return fields, streams


@pytest.mark.parametrize("padding", [0, 1, 7, 100, 1000])
def test_blank_and_padded_values_read_the_same_whole_or_pushed(
    padding: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def point(i: int) -> str:
        # A blank or empty value now and then (damage, under the 10% the file may
        # hold), values padded with whitespace and newlines, and plain ones.
        ele = {0: " ", 25: ""}.get(i % 50, (" 12 ", "\n 13\n", "14")[i % 3])
        hr = "<hr> </hr>" if i % 50 == 10 else ("<hr>\n150\n</hr>", "<hr/>", "<hr>151</hr>")[i % 3]
        return (
            f'<trkpt lat="50.{i:04d}" lon="8.0">\n  <ele>{ele}</ele>\n'
            f"  <time> 2024-05-01T06:{i // 60:02d}:{i % 60:02d}Z </time>\n"
            f"  <extensions>\n    {hr}\n  </extensions>\n</trkpt>\n"
        )

    body = "".join(point(i) for i in range(2000))
    document = (
        f'<?xml version="1.0"?>\n<gpx version="1.1" creator="t{"x" * padding}" '
        'xmlns="http://www.topografix.com/GPX/1/1">\n'
        f"<trk><type>running</type><trkseg>\n{body}</trkseg></trk></gpx>"
    ).encode()
    whole = [_described(item) for item in read_file("blank.gpx", document)]
    (activity,) = read_file("blank.gpx", document)
    assert isinstance(activity, Activity)
    # A blank <ele> is damage (40 points); an empty one and a blank <hr> are absent.
    assert activity.warnings[0].startswith("40 track point(s) had invalid values")
    monkeypatch.setattr(xmlsafe, "WHOLE_DOCUMENT_MAX", 0)
    pushed = [_described(item) for item in read_file("blank.gpx", document)]
    assert whole == pushed
