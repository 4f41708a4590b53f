"""GPX bytes -> activities, one per `<trk>` that has points.

Heart rate and cadence come from the Garmin TrackPointExtension (whatever namespace
prefix the exporter chose: gpxtpx, ns3, ...) or from plain `<heartrate>`/`<cadence>`
extension elements some apps write. Distance is measured along the points (GPX has no
distance field); segments are joined, the pause between them drops out of moving time.
"""

from __future__ import annotations

from lxml import etree

from backstride.ingest import sports
from backstride.ingest.assemble import Source, Totals, assemble
from backstride.ingest.errors import NoActivityDataError, NotAnActivityError, UnsupportedFormatError
from backstride.ingest.model import Activity
from backstride.ingest.points import TrackBuilder
from backstride.ingest.timeutil import to_datetime
from backstride.ingest.xmlsafe import local_name, parse_xml

_EXTENSION_CHANNELS = {
    "hr": "heart_rate",
    "heartrate": "heart_rate",
    "cad": "cadence",
    "cadence": "cadence",
    "speed": "speed",
}


def read_gpx(data: bytes, name: str, sha256: str | None = None) -> list[Activity]:
    root, xml_warnings = parse_xml(data)
    if local_name(root) != "gpx":
        raise UnsupportedFormatError("the XML document is not GPX")
    source = Source.of("gpx", name, data, sha256)
    device = root.get("creator") or None
    activities = []
    for index, track in enumerate(child for child in root if local_name(child) == "trk"):
        points = [
            point
            for segment in track
            if local_name(segment) == "trkseg"
            for point in segment
            if local_name(point) == "trkpt"
        ]
        if not points:
            continue
        sport = sports.from_word(_child_text(track, "type")) or "other"
        builder = TrackBuilder()
        for point in points:
            builder.add(**_point_values(point))
        streams, start, warnings = builder.finish(sport)
        activities.append(
            assemble(
                source=source,
                sport=sport,
                start_utc=to_datetime(start),
                utc_offset_s=builder.utc_offset_s,
                streams=streams,
                totals=Totals(),
                device=device,
                name=_child_text(track, "name"),
                source_index=index,
                warnings=xml_warnings + warnings,
            )
        )
    if activities:
        return activities
    if any(local_name(child) in ("rte", "wpt") for child in root):
        raise NotAnActivityError("the GPX file holds routes or waypoints, not a recorded track")
    raise NoActivityDataError("the GPX file has no track points")


def _point_values(point: etree._Element) -> dict[str, str | None]:
    values: dict[str, str | None] = {"time": None, "lat": point.get("lat"), "lon": point.get("lon")}
    for child in point:
        tag = local_name(child)
        if tag == "time":
            values["time"] = child.text
        elif tag == "ele":
            values["altitude"] = child.text
        elif tag == "extensions":
            for element in child.iter():
                channel = _EXTENSION_CHANNELS.get(local_name(element).lower())
                if channel and channel not in values and element.text and element.text.strip():
                    values[channel] = element.text
    return values


def _child_text(element: etree._Element, tag: str) -> str | None:
    for child in element:
        if local_name(child) == tag:
            text = child.text
            return text.strip() if text and text.strip() else None
    return None
