"""TCX bytes -> activities, one per `<Activity>` (also inside `<MultiSportSession>`).

Trackpoints without `<Position>` (treadmill, indoor, GPS off) are kept: their time,
distance, heart rate and cadence still describe the run. Totals come from the laps,
as the device wrote them: timer time and distance are the laps' sums, average heart
rate is the laps' averages weighted by lap time.
"""

from __future__ import annotations

from lxml import etree

from backstride.ingest import sports
from backstride.ingest.assemble import Source, Totals, assemble
from backstride.ingest.errors import NoActivityDataError, UnsupportedFormatError
from backstride.ingest.model import Activity
from backstride.ingest.points import TrackBuilder, parse_time
from backstride.ingest.timeutil import to_datetime
from backstride.ingest.xmlsafe import local_name, parse_xml


def read_tcx(data: bytes, name: str, sha256: str | None = None) -> list[Activity]:
    root, xml_warnings = parse_xml(data)
    if local_name(root) != "TrainingCenterDatabase":
        raise UnsupportedFormatError("the XML document is not TCX")
    source = Source.of("tcx", name, data, sha256)
    activities = []
    for index, element in enumerate(_activity_elements(root)):
        laps = [child for child in element if local_name(child) == "Lap"]
        sport = sports.from_word(element.get("Sport")) or "other"
        builder = TrackBuilder()
        for lap in laps:
            for point in _trackpoints(lap):
                builder.add(**_point_values(point))
        if not len(builder):
            continue
        lap_start = parse_time(laps[0].get("StartTime")) if laps else None
        streams, start, warnings = builder.finish(
            sport, None if lap_start is None else lap_start.timestamp()
        )
        activities.append(
            assemble(
                source=source,
                sport=sport,
                start_utc=to_datetime(start),
                utc_offset_s=builder.utc_offset_s,
                streams=streams,
                totals=_lap_totals(laps),
                device=_device(element),
                source_index=index,
                warnings=xml_warnings + warnings,
            )
        )
    if not activities:
        raise NoActivityDataError("the TCX file has no track points")
    return activities


def _activity_elements(root: etree._Element) -> list[etree._Element]:
    found = []
    for container in root:
        if local_name(container) != "Activities":
            continue
        for child in container:
            tag = local_name(child)
            if tag == "Activity":
                found.append(child)
            elif tag == "MultiSportSession":
                # <FirstSport>/<NextSport> each wrap one <Activity>.
                found.extend(
                    activity
                    for leg in child
                    for activity in leg
                    if local_name(activity) == "Activity"
                )
    return found


def _trackpoints(lap: etree._Element) -> list[etree._Element]:
    return [
        point
        for track in lap
        if local_name(track) == "Track"
        for point in track
        if local_name(point) == "Trackpoint"
    ]


def _point_values(point: etree._Element) -> dict[str, str | None]:
    values: dict[str, str | None] = {"time": None}
    for child in point:
        tag = local_name(child)
        if tag == "Time":
            values["time"] = child.text
        elif tag == "Position":
            for coordinate in child:
                coordinate_tag = local_name(coordinate)
                if coordinate_tag == "LatitudeDegrees":
                    values["lat"] = coordinate.text
                elif coordinate_tag == "LongitudeDegrees":
                    values["lon"] = coordinate.text
        elif tag == "AltitudeMeters":
            values["altitude"] = child.text
        elif tag == "DistanceMeters":
            values["distance"] = child.text
        elif tag == "HeartRateBpm":
            values["heart_rate"] = _value_child(child)
        elif tag == "Cadence":
            values.setdefault("cadence", child.text)
        elif tag == "Extensions":
            for element in child.iter():
                extension = local_name(element)
                if extension == "Speed":
                    values["speed"] = element.text
                elif extension == "RunCadence":
                    values["cadence"] = element.text  # running cadence wins over <Cadence>
    return values


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


def _lap_totals(laps: list[etree._Element]) -> Totals:
    times = [_lap_number(lap, "TotalTimeSeconds") for lap in laps]
    distances = [_lap_number(lap, "DistanceMeters") for lap in laps]
    averages = [_lap_number(lap, "AverageHeartRateBpm") for lap in laps]
    maxima = [value for lap in laps if (value := _lap_number(lap, "MaximumHeartRateBpm"))]
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
        max_hr=max(maxima) if maxima else None,
    )


def _device(activity: etree._Element) -> str | None:
    for child in activity:
        if local_name(child) == "Creator":
            for part in child:
                name = _text(part) if local_name(part) == "Name" else None
                if name and name.strip():
                    return name.strip()
    return None
