"""GPX bytes -> activities, one per `<trk>` that has points.

Heart rate and cadence come from the Garmin TrackPointExtension (whatever namespace
prefix the exporter chose: gpxtpx, ns3, ...) or from plain `<heartrate>`/`<cadence>`
extension elements some apps write. Distance is measured along the points (GPX has no
distance field); segments are joined, the pause between them drops out of moving time.

The document is streamed (`xmlsafe.read_ended`): each `<trkpt>` is read into text
columns as it ends and then dropped; a `<trk>` becomes an activity when it ends.
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
from backstride.ingest.xmlsafe import local_name, read_ended

_EXTENSION_CHANNELS: Final = {
    "hr": "heart_rate",
    "heartrate": "heart_rate",
    "cad": "cadence",
    "cadence": "cadence",
    "speed": "speed",
}
_TAGS: Final = ("{*}trkpt", "{*}trk", "{*}rte", "{*}wpt")
# What a child of <trkpt> is, by its full tag (any namespace): filled as tags are met.
_TIME, _ELE, _EXTENSIONS, _OTHER = range(4)


def read_gpx(data: bytes, name: str, sha256: str | None = None) -> list[Activity]:
    tracks, xml_warnings = read_ended(data, _TAGS, "trkpt", _check_root, _Tracks.read)
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
    def read(cls, ended: Iterable[tuple[str, etree._Element]]) -> _Tracks:
        self = cls()
        roles: dict[object, int] = {}
        channels: dict[object, str | None] = {}
        points = TrackBuilder()
        time, lat, lon, altitude = points.time, points.lat, points.lon, points.altitude
        heart_rate, cadence, speed = points.heart_rate, points.cadence, points.speed
        segment: etree._Element | None = None
        in_track = False
        tracks = 0
        first = True
        for name, element in ended:
            if first:
                self.device = element.getroottree().getroot().get("creator") or None
                first = False
            if name == "trkpt":
                parent = element.getparent()
                if parent is not segment:  # a new <trkseg>: is it a track's, at the top?
                    segment = parent
                    in_track = _in_track(parent)
                if not in_track:
                    continue
                point_time = ele = None
                values: dict[str, str] = {}
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
                        _extension_values(child, channels, values)
                time.append(point_time)
                lat.append(element.get("lat"))
                lon.append(element.get("lon"))
                altitude.append(ele)
                heart_rate.append(values.get("heart_rate"))
                cadence.append(values.get("cadence"))
                speed.append(values.get("speed"))
            elif _at_top(element):
                if name == "trk":
                    if len(points):
                        sport = sports.from_word(_child_text(element, "type")) or "other"
                        name_text = _child_text(element, "name")
                        self.found.append(_Track(tracks, sport, name_text, points))
                    tracks += 1
                    points = TrackBuilder()
                    time, lat, lon, altitude = points.time, points.lat, points.lon, points.altitude
                    heart_rate, cadence, speed = points.heart_rate, points.cadence, points.speed
                else:
                    self.routes = True
        return self


def _role(child: etree._Element) -> int:
    name = local_name(child)
    if name == "time":
        return _TIME
    if name == "ele":
        return _ELE
    if name == "extensions":
        return _EXTENSIONS
    return _OTHER


def _extension_values(
    extensions: etree._Element, channels: dict[object, str | None], values: dict[str, str]
) -> None:
    """The first non-blank value of each channel found under <extensions>."""
    for element in extensions.iter():
        tag = element.tag
        if tag not in channels:
            channels[tag] = _EXTENSION_CHANNELS.get(local_name(element).lower())
        channel = channels[tag]
        if channel and channel not in values:
            text = element.text
            if text and text.strip():
                values[channel] = text


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
