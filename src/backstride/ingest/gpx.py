"""GPX bytes -> activities, one per `<trk>` that has points.

Heart rate and cadence come from the Garmin TrackPointExtension (whatever namespace
prefix the exporter chose: gpxtpx, ns3, ...) or from plain `<heartrate>`/`<cadence>`
extension elements some apps write. Distance is measured along the points (GPX has no
distance field); segments are joined, the pause between them drops out of moving time.

The document is streamed (`xmlsafe.read_streamed`): the `<trkpt>`s of each `<trkseg>`
are read into text columns a batch at a time as the parser completes them, and then
dropped; a `<trk>` becomes an activity when it ends.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from lxml import etree

from backstride.ingest import sports
from backstride.ingest.assemble import Source, Totals, assemble
from backstride.ingest.errors import NoActivityDataError, NotAnActivityError, UnsupportedFormatError
from backstride.ingest.model import Activity
from backstride.ingest.points import TrackBuilder
from backstride.ingest.timeutil import to_datetime
from backstride.ingest.xmlsafe import Ended, Points, local_name, read_streamed

_EXTENSION_CHANNELS: Final = {
    "hr": "heart_rate",
    "heartrate": "heart_rate",
    "cad": "cadence",
    "cadence": "cadence",
    "speed": "speed",
}
_ENDS: Final = ("trk", "rte", "wpt")
_NESTED_POINT: Final = "trkpt"
# What a child of <trkpt> is, by its full tag (any namespace): filled as tags are met.
_TIME, _ELE, _EXTENSIONS, _OTHER = range(4)


def read_gpx(data: bytes, name: str, sha256: str | None = None) -> list[Activity]:
    tracks, xml_warnings = read_streamed(
        data,
        points="trkpt",
        containers="trkseg",
        is_container=_in_track,
        ends=_ENDS,
        check_root=_check_root,
        consume=_Tracks.read,
    )
    source = Source.of("gpx", name, data, sha256)
    activities = []
    for track in tracks.found:
        streams, start, warnings = track.points.finish(track.sport)
        activities.append(
            assemble(
                source=source,
                sport=track.sport,
                start_utc=to_datetime(start),
                utc_offset_s=track.points.utc_offset_s,
                streams=streams,
                totals=Totals(),
                device=tracks.device,
                name=track.name,
                source_index=track.index,
                warnings=xml_warnings + warnings,
            )
        )
    if activities:
        return activities
    if tracks.routes:
        raise NotAnActivityError("the GPX file holds routes or waypoints, not a recorded track")
    raise NoActivityDataError("the GPX file has no track points")


def _check_root(root: etree._Element) -> None:
    if local_name(root) != "gpx":
        raise UnsupportedFormatError("the XML document is not GPX")


@dataclass
class _Track:
    index: int
    sport: str
    name: str | None
    points: TrackBuilder


@dataclass
class _Tracks:
    """What the streamed document holds: tracks with points, routes or waypoints."""

    found: list[_Track] = field(default_factory=list)
    device: str | None = None
    routes: bool = False

    @classmethod
    def read(cls, items: Iterable[Ended | Points]) -> _Tracks:
        self = cls()
        points = TrackBuilder()
        read = _PointReader()
        tracks = 0
        first = True
        for item in items:
            if first:
                some = item.elements[0] if isinstance(item, Points) else item.element
                self.device = some.getroottree().getroot().get("creator") or None
                first = False
                del some
            if isinstance(item, Points):
                read(item.elements, points)
                continue
            element = item.element
            if _at_top(element):
                if item.name == "trk":
                    if len(points):
                        sport = sports.from_word(_child_text(element, "type")) or "other"
                        name_text = _child_text(element, "name")
                        self.found.append(_Track(tracks, sport, name_text, points))
                    tracks += 1
                    points = TrackBuilder()
                else:
                    self.routes = True
        return self


class _PointReader:
    """Appends `<trkpt>` elements' values to a `TrackBuilder`'s columns.

    Roles and channels are kept by full tag (any namespace), found as tags are met, so
    each point costs one dictionary look-up per element.
    """

    def __init__(self) -> None:
        self.roles: dict[object, int] = {}
        self.channels: dict[object, str | None] = {}

    def __call__(self, elements: list[etree._Element], points: TrackBuilder) -> None:
        roles, channels = self.roles, self.channels
        time, lat, lon, altitude = points.time, points.lat, points.lon, points.altitude
        heart_rate, cadence, speed = points.heart_rate, points.cadence, points.speed
        nested = False
        for element in elements:
            point_time = ele = hr = cad = point_speed = None
            for child in element:
                tag = child.tag
                role = roles.get(tag)
                if role is None:
                    role = roles[tag] = _role(child)
                if role == _TIME:
                    point_time = child.text
                elif role == _ELE:
                    ele = child.text
                elif role == _EXTENSIONS:
                    # The first non-blank value of each channel under <extensions>.
                    for item in child.iterdescendants():
                        key = item.tag
                        if key in channels:
                            channel = channels[key]
                        else:
                            channel = channels[key] = _channel(item)
                        if channel is None:
                            continue
                        if channel == _NESTED_POINT:
                            nested = True
                            break
                        text = item.text
                        if not text or text.isspace():
                            continue
                        if channel == "heart_rate":
                            if hr is None:
                                hr = text
                        elif channel == "cadence":
                            if cad is None:
                                cad = text
                        elif point_speed is None:  # speed
                            point_speed = text
            if nested:  # read as when each point was cleared once read
                hr, cad, point_speed = _extension_values(element)
                nested = False
            time.append(point_time)
            lat.append(element.get("lat"))
            lon.append(element.get("lon"))
            altitude.append(ele)
            heart_rate.append(hr)
            cadence.append(cad)
            speed.append(point_speed)


def _role(child: etree._Element) -> int:
    name = local_name(child)
    if name == "time":
        return _TIME
    if name == "ele":
        return _ELE
    if name == "extensions":
        return _EXTENSIONS
    return _OTHER


def _channel(element: etree._Element) -> str | None:
    name = local_name(element)
    if name == "trkpt":
        return _NESTED_POINT
    return _EXTENSION_CHANNELS.get(name.lower())


def _extension_values(point: etree._Element) -> tuple[str | None, str | None, str | None]:
    """Heart rate, cadence and speed of a point whose extensions hold a `<trkpt>`.

    Its content is left out, as when each point was cleared once read (a point
    inside a point ends first).
    """
    values: dict[str, str] = {}
    for child in point:
        if _role(child) != _EXTENSIONS:
            continue
        stack = list(reversed(child))
        while stack:
            element = stack.pop()
            name = local_name(element)
            if name == "trkpt":
                continue
            channel = _EXTENSION_CHANNELS.get(name.lower())
            text = element.text
            if channel and channel not in values and text and text.strip():
                values[channel] = text
            stack.extend(reversed(element))
    return values.get("heart_rate"), values.get("cadence"), values.get("speed")


def _in_track(segment: etree._Element | None) -> bool:
    """Whether a point's parent is a <trkseg> of a <trk> at the top of the document."""
    if segment is None or local_name(segment) != "trkseg":
        return False
    track = segment.getparent()
    return track is not None and local_name(track) == "trk" and _at_top(track)


def _at_top(element: etree._Element) -> bool:
    parent = element.getparent()
    return parent is not None and parent.getparent() is None


def _child_text(element: etree._Element, tag: str) -> str | None:
    for child in element:
        if local_name(child) == tag:
            text = child.text
            return text.strip() if text and text.strip() else None
    return None
