"""TCX bytes -> activities, one per `<Activity>` (also inside `<MultiSportSession>`).

Trackpoints without `<Position>` (treadmill, indoor, GPS off) are kept: their time,
distance, heart rate and cadence still describe the run. Totals come from the laps,
as the device wrote them: timer time and distance are the laps' sums, average heart
rate is the laps' averages weighted by lap time.

The document is streamed (`xmlsafe.read_streamed`): the `<Trackpoint>`s of each
`<Track>` are read into text columns a batch at a time as the parser completes them,
and then dropped; each `<Lap>` gives its totals as it ends, and an `<Activity>` becomes
an activity when it ends.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from lxml import etree

from backstride.ingest import sports
from backstride.ingest.assemble import Source, Totals, assemble
from backstride.ingest.errors import NoActivityDataError, UnsupportedFormatError
from backstride.ingest.model import Activity
from backstride.ingest.points import TrackBuilder, parse_time
from backstride.ingest.timeutil import to_datetime
from backstride.ingest.xmlsafe import Ended, Points, local_name, read_streamed

# What a child of <Trackpoint> is, by its full tag (any namespace): filled as tags are met.
(
    _TIME,
    _POSITION,
    _ALTITUDE,
    _DISTANCE,
    _HEART_RATE,
    _CADENCE,
    _EXTENSIONS,
    _LATITUDE,
    _LONGITUDE,
    _VALUE,
    _SPEED,
    _RUN_CADENCE,
    _TRACKPOINT,
    _OTHER,
) = range(14)
_ROLES: Final = {
    "Time": _TIME,
    "Position": _POSITION,
    "AltitudeMeters": _ALTITUDE,
    "DistanceMeters": _DISTANCE,
    "HeartRateBpm": _HEART_RATE,
    "Cadence": _CADENCE,
    "Extensions": _EXTENSIONS,
    "LatitudeDegrees": _LATITUDE,
    "LongitudeDegrees": _LONGITUDE,
    "Value": _VALUE,
    "Speed": _SPEED,
    "RunCadence": _RUN_CADENCE,
    "Trackpoint": _TRACKPOINT,
}


def read_tcx(data: bytes, name: str, sha256: str | None = None) -> list[Activity]:
    found, xml_warnings = read_streamed(
        data,
        points="Trackpoint",
        containers="Track",
        is_container=_is_lap_track,
        ends=("Lap", "Activity"),
        check_root=_check_root,
        consume=_Activities.read,
    )
    source = Source.of("tcx", name, data, sha256)
    activities = []
    for index, element in enumerate(found.activities):
        if element is None:
            continue
        points = element.points
        if not len(points) or not points.timed():
            continue
        streams, start, warnings = points.finish(element.sport, element.lap_start)
        activities.append(
            assemble(
                source=source,
                sport=element.sport,
                start_utc=to_datetime(start),
                utc_offset_s=points.utc_offset_s,
                streams=streams,
                totals=_lap_totals(element.laps),
                device=element.device,
                source_index=index,
                warnings=xml_warnings + warnings,
            )
        )
    if not activities:
        raise NoActivityDataError("the TCX file has no track points")
    return activities


def _check_root(root: etree._Element) -> None:
    if local_name(root) != "TrainingCenterDatabase":
        raise UnsupportedFormatError("the XML document is not TCX")


@dataclass
class _Lap:
    start: str | None
    time_s: float | None
    distance_m: float | None
    avg_hr: float | None
    max_hr: float | None


@dataclass
class _Activity:
    sport: str
    device: str | None
    laps: list[_Lap]
    points: TrackBuilder

    @property
    def lap_start(self) -> float | None:
        start = parse_time(self.laps[0].start) if self.laps else None
        return None if start is None else start.timestamp()


@dataclass
class _Activities:
    activities: list[_Activity | None] = field(default_factory=list)
    """Every <Activity> where the file lists them, in order (None: not one to read)."""

    @classmethod
    def read(cls, items: Iterable[Ended | Points]) -> _Activities:
        self = cls()
        points = TrackBuilder()
        laps: list[_Lap] = []
        read = _PointReader()
        for item in items:
            if isinstance(item, Points):
                read(item.elements, points)
            elif item.name == "Lap":
                if _in_activity(item.element):
                    laps.append(_lap(item.element))
            else:  # an <Activity>
                element = item.element
                if _listed(element):
                    sport = sports.from_word(element.get("Sport")) or "other"
                    self.activities.append(_Activity(sport, _device(element), laps, points))
                points = TrackBuilder()
                laps = []
        return self


class _PointReader:
    """Appends `<Trackpoint>` elements' values to a `TrackBuilder`'s columns.

    Roles are kept by full tag (any namespace), found as tags are met, so each element
    costs one dictionary look-up.
    """

    def __init__(self) -> None:
        self.roles: dict[object, int] = {}

    def role(self, element: etree._Element) -> int:
        role = self.roles[element.tag] = _ROLES.get(local_name(element), _OTHER)
        return role

    def __call__(self, elements: list[etree._Element], points: TrackBuilder) -> None:
        roles, role_of = self.roles, self.role
        parts = points.time, points.lat, points.lon, points.altitude, points.distance
        time, lat, lon, altitude, distance = parts
        heart_rate, cadence, speed = points.heart_rate, points.cadence, points.speed
        for element in elements:
            point_time = point_lat = point_lon = ele = meters = None
            hr = cad = run_cadence = point_speed = None
            has_cad = has_run_cadence = nested = False
            for child in element:
                role = roles.get(child.tag)
                if role is None:
                    role = role_of(child)
                if role == _TIME:
                    point_time = child.text
                elif role == _POSITION:
                    for coordinate in child:
                        part = roles.get(coordinate.tag)
                        if part is None:
                            part = role_of(coordinate)
                        if part == _LATITUDE:
                            point_lat = coordinate.text
                        elif part == _LONGITUDE:
                            point_lon = coordinate.text
                elif role == _ALTITUDE:
                    ele = child.text
                elif role == _DISTANCE:
                    meters = child.text
                elif role == _HEART_RATE:
                    hr = None
                    for value in child:
                        part = roles.get(value.tag)
                        if part is None:
                            part = role_of(value)
                        if part == _VALUE:
                            hr = value.text
                            break
                elif role == _CADENCE:
                    if not has_cad:
                        cad, has_cad = child.text, True
                elif role == _EXTENSIONS:
                    for item in child.iterdescendants():
                        part = roles.get(item.tag)
                        if part is None:
                            part = role_of(item)
                        if part == _SPEED:
                            point_speed = item.text
                        elif part == _RUN_CADENCE:  # running cadence wins over <Cadence>
                            run_cadence, has_run_cadence = item.text, True
                        elif part == _TRACKPOINT:
                            nested = True
            if nested:  # a <Trackpoint> inside: read as when each point was cleared once read
                point_speed, run_cadence, has_run_cadence = _extension_values(element)
            time.append(point_time)
            lat.append(point_lat)
            lon.append(point_lon)
            altitude.append(ele)
            distance.append(meters)
            heart_rate.append(hr)
            cadence.append(run_cadence if has_run_cadence else cad)
            speed.append(point_speed)


def _extension_values(point: etree._Element) -> tuple[str | None, str | None, bool]:
    """Speed and running cadence (and whether there was one) under a point's extensions.

    The content of a `<Trackpoint>` inside is left out, as when each point was cleared
    once read (a point inside a point ends first).
    """
    speed = run_cadence = None
    has_run_cadence = False
    for child in point:
        if _ROLES.get(local_name(child)) != _EXTENSIONS:
            continue
        stack = list(reversed(child))
        while stack:
            element = stack.pop()
            role = _ROLES.get(local_name(element), _OTHER)
            if role == _TRACKPOINT:
                continue
            if role == _SPEED:
                speed = element.text
            elif role == _RUN_CADENCE:
                run_cadence, has_run_cadence = element.text, True
            stack.extend(reversed(element))
    return speed, run_cadence, has_run_cadence


def _is_lap_track(track: etree._Element | None) -> bool:
    """Whether a trackpoint's parent is a <Track> of a <Lap> of an <Activity>."""
    if track is None or local_name(track) != "Track":
        return False
    lap = track.getparent()
    return lap is not None and local_name(lap) == "Lap" and _in_activity(lap)


def _in_activity(lap: etree._Element) -> bool:
    activity = lap.getparent()
    return activity is not None and local_name(activity) == "Activity" and _listed(activity)


def _listed(activity: etree._Element) -> bool:
    """An <Activity> in <Activities>, or a leg of a <MultiSportSession> there."""
    parent = activity.getparent()
    if parent is None:
        return False
    if local_name(parent) != "Activities":
        session = parent.getparent()  # <FirstSport>/<NextSport> each wrap one <Activity>
        if session is None or local_name(session) != "MultiSportSession":
            return False
        parent = session.getparent()
        if parent is None or local_name(parent) != "Activities":
            return False
    container = parent.getparent()
    return container is not None and container.getparent() is None


def _lap(lap: etree._Element) -> _Lap:
    return _Lap(
        start=lap.get("StartTime"),
        time_s=_lap_number(lap, "TotalTimeSeconds"),
        distance_m=_lap_number(lap, "DistanceMeters"),
        avg_hr=_lap_number(lap, "AverageHeartRateBpm"),
        max_hr=_lap_number(lap, "MaximumHeartRateBpm"),
    )


def _value_child(element: etree._Element) -> str | None:
    for child in element:
        if local_name(child) == "Value":
            return _text(child)
    return None


def _text(element: etree._Element) -> str | None:
    text = element.text
    return text if isinstance(text, str) else None


def _lap_number(lap: etree._Element, tag: str) -> float | None:
    for child in lap:
        if local_name(child) == tag:
            text = _value_child(child) if len(child) else child.text
            try:
                return float(text) if text is not None else None
            except ValueError:
                return None
    return None


def _lap_totals(laps: list[_Lap]) -> Totals:
    times = [lap.time_s for lap in laps]
    distances = [lap.distance_m for lap in laps]
    averages = [lap.avg_hr for lap in laps]
    maxima = [lap.max_hr for lap in laps if lap.max_hr]
    weighted = [
        (average, duration)
        for average, duration in zip(averages, times, strict=True)
        if average and duration
    ]
    weight = sum(duration for _, duration in weighted)
    return Totals(
        timer_s=sum(t for t in times if t is not None) if any(times) else None,
        distance_m=sum(d for d in distances if d is not None) if None not in distances else None,
        avg_hr=sum(a * d for a, d in weighted) / weight if weight else None,
        max_hr=max(m for m in maxima if m is not None) if maxima else None,
    )


def _device(activity: etree._Element) -> str | None:
    for child in activity:
        if local_name(child) == "Creator":
            for part in child:
                name = _text(part) if local_name(part) == "Name" else None
                if name and name.strip():
                    return name.strip()
    return None
