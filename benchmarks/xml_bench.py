"""The GPX and TCX readers against plain lxml loops over the same points.

Two references, both parsing the bytes with `etree.fromstring` and visiting every
track point:

* **values**: read every value the point holds (the ``lat``/``lon`` attributes, the
  text of every element inside the point, extensions included) and throw it away,
  without even asking which element it came from: the least any lxml reader can do.
* **by name**: the same, keeping each value under its element's tag in a dict per
  point: the least a reader that knows which value is which can do (lxml builds the
  ``{namespace}name`` string on every ``.tag``, which costs as much as the rest).

Neither turns a value into what the readers produce. A third reference does:

* **typed**: a plain ``iterparse`` loop (points filtered by tag, each cleared and its
  earlier siblings deleted once read) that extracts the values the readers produce
  (time, latitude, longitude, elevation, distance, heart rate, cadence, speed), by
  element name in any namespace, as numbers (``float``) and an aware ``datetime``
  (``fromisoformat``), one list per value.

The readers do all of that and more (hostile-XML guards, number and time checks, range
checks, derived totals, the activity itself).

Rounds of the reader and of the references alternate, so all see the same load on a
shared machine; ratios are taken per round and the median (min-max) shown.

    .venv/bin/python benchmarks/xml_bench.py            # 5 rounds, about 20 s
    .venv/bin/python benchmarks/xml_bench.py --rounds 9 --json
    .venv/bin/python benchmarks/xml_bench.py --clock cpu  # on a busy shared machine
"""

from __future__ import annotations

import argparse
import io
import json
import math
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import plain_bytes, plain_name

from backstride.ingest.gpx import read_gpx
from backstride.ingest.tcx import read_tcx

FILES = Path(__file__).resolve().parent.parent / "tests" / "files"
BAD = {
    "togeojson_bad.gpx",
    "togeojson_bad.tcx",
    "gc_MetadataOnly.gpx",
    "gpxpy_unicode_with_bom.gpx",
}


def xml_files(kind: str) -> list[tuple[str, bytes]]:
    found = []
    for path in sorted(FILES.iterdir()):
        name = plain_name(path)
        if name.endswith(f".{kind}") and name not in BAD:
            found.append((name, plain_bytes(path)))
    return found


def lxml_loop(data: bytes, point_tag: str) -> int:
    """Every value of every point, read and thrown away: the floor for any lxml reader."""
    root = etree.fromstring(data)
    points = 0
    for point in root.iter(point_tag):
        point.get("lat")
        point.get("lon")
        for element in point.iter():
            element.text  # noqa: B018
        points += 1
    return points


def lxml_named_loop(data: bytes, point_tag: str) -> int:
    """Every value of every point, kept by tag in a dict per point."""
    root = etree.fromstring(data)
    points = 0
    for point in root.iter(point_tag):
        values = {"lat": point.get("lat"), "lon": point.get("lon")}
        for element in point.iter():
            values[element.tag] = element.text
        points += 1
    return points


# What each format's points hold, by local name: the time, the numbers, the coordinates
# (TCX elements; GPX attributes).
TYPED = {
    "gpx": ("time", ("ele", "hr", "cad", "speed"), None),
    "tcx": (
        "Time",
        ("AltitudeMeters", "DistanceMeters", "Value", "Cadence", "RunCadence", "Speed"),
        ("LatitudeDegrees", "LongitudeDegrees"),
    ),
}


def lxml_typed_loop(data: bytes, point_tag: str, kind: str) -> int:
    """Every point's values by name, converted as the readers convert them."""
    time_name, number_names, position = TYPED[kind]
    times: list[datetime | None] = []
    numbers: dict[str, list[float]] = {name: [] for name in (*number_names, "lat", "lon")}
    points = 0
    for _, point in etree.iterparse(io.BytesIO(data), events=("end",), tag=point_tag):
        values: dict[str, str | None] = {}
        if position is None:
            values["lat"], values["lon"] = point.get("lat"), point.get("lon")
        for element in point.iter():
            tag = element.tag
            if isinstance(tag, str):
                values[tag[tag.rfind("}") + 1 :]] = element.text
        if position is not None:
            values["lat"], values["lon"] = values.get(position[0]), values.get(position[1])
        text = values.get(time_name)
        moment = datetime.fromisoformat(text) if text else None
        times.append(moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC))
        for name, column in numbers.items():
            text = values.get(name)
            column.append(_number(text) if text else math.nan)
        point.clear()
        while point.getprevious() is not None:
            del point.getparent()[0]
        points += 1
    return points


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return math.nan


CLOCKS: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.process_time}


def timed(run: Callable[[], object], clock: Callable[[], float] = time.perf_counter) -> float:
    start = clock()
    run()
    return clock() - start


def measure(
    rounds: int, clock: Callable[[], float] = time.perf_counter
) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    for kind, point_tag, reader in (
        ("gpx", "{*}trkpt", read_gpx),
        ("tcx", "{*}Trackpoint", read_tcx),
    ):
        files = xml_files(kind)
        points = sum(lxml_loop(data, point_tag) for _, data in files)
        size = sum(len(data) for _, data in files)

        def ours(
            files: list[tuple[str, bytes]] = files,
            reader: Callable[[bytes, str], object] = reader,
        ) -> None:
            for name, data in files:
                reader(data, name)

        def plain(files: list[tuple[str, bytes]] = files, tag: str = point_tag) -> None:
            for _, data in files:
                lxml_loop(data, tag)

        def named(files: list[tuple[str, bytes]] = files, tag: str = point_tag) -> None:
            for _, data in files:
                lxml_named_loop(data, tag)

        def typed(
            files: list[tuple[str, bytes]] = files, tag: str = point_tag, kind: str = kind
        ) -> None:
            for _, data in files:
                lxml_typed_loop(data, tag, kind)

        ours()  # warm up
        plain()
        named()
        typed()
        ours_s, plain_s, named_s, typed_s = [], [], [], []
        ratios, named_ratios, typed_ratios = [], [], []
        for _ in range(rounds):
            a = timed(ours, clock)
            b = timed(plain, clock)
            c = timed(named, clock)
            d = timed(typed, clock)
            ours_s.append(a)
            plain_s.append(b)
            named_s.append(c)
            typed_s.append(d)
            ratios.append(b / a)
            named_ratios.append(c / a)
            typed_ratios.append(d / a)
        results[kind] = {
            "files": len(files),
            "points": points,
            "megabytes": size / 1e6,
            "reader_points_per_s": points / statistics.median(ours_s),
            "lxml_points_per_s": points / statistics.median(plain_s),
            "lxml_named_points_per_s": points / statistics.median(named_s),
            "ratio_median": statistics.median(ratios),
            "ratio_min": min(ratios),
            "ratio_max": max(ratios),
            "named_ratio_median": statistics.median(named_ratios),
            "named_ratio_min": min(named_ratios),
            "named_ratio_max": max(named_ratios),
            "lxml_typed_points_per_s": points / statistics.median(typed_s),
            "typed_ratio_median": statistics.median(typed_ratios),
            "typed_ratio_min": min(typed_ratios),
            "typed_ratio_max": max(typed_ratios),
        }
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="also print one line of JSON")
    parser.add_argument(
        "--clock",
        choices=sorted(CLOCKS),
        default="wall",
        help="wall: elapsed time; cpu: this process's CPU time (steadier on a shared machine)",
    )
    args = parser.parse_args()
    results = measure(args.rounds, CLOCKS[args.clock])
    print(
        f"{'':4} {'files':>5} {'points':>7} {'MB':>5} {'reader pts/s':>13} "
        f"{'values pts/s':>13} {'ratio':>17} {'by name pts/s':>14} {'ratio':>17} "
        f"{'typed pts/s':>12} {'ratio':>17}"
    )
    for kind, r in results.items():
        print(
            f"{kind:4} {r['files']:5.0f} {r['points']:7,.0f} {r['megabytes']:5.1f} "
            f"{r['reader_points_per_s']:13,.0f} {r['lxml_points_per_s']:13,.0f} "
            f"{r['ratio_median']:5.2f}x ({r['ratio_min']:.2f}-{r['ratio_max']:.2f}) "
            f"{r['lxml_named_points_per_s']:14,.0f} "
            f"{r['named_ratio_median']:5.2f}x "
            f"({r['named_ratio_min']:.2f}-{r['named_ratio_max']:.2f}) "
            f"{r['lxml_typed_points_per_s']:12,.0f} "
            f"{r['typed_ratio_median']:5.2f}x "
            f"({r['typed_ratio_min']:.2f}-{r['typed_ratio_max']:.2f})"
        )
    print(
        "ratio: the reader's points/s over the reference's (1.00x: as fast as the plain "
        f"loop); {args.clock} clock, {args.rounds} rounds"
    )
    if args.json:
        print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
