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
    .venv/bin/python benchmarks/xml_bench.py --before HEAD~3  # and a revision's readers
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
from functools import partial
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import plain_bytes, plain_name
from revision import module_at

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


Reader = Callable[[bytes, str], object]
KINDS = (("gpx", "{*}trkpt"), ("tcx", "{*}Trackpoint"))
REFERENCES = (("values", ""), ("by name", "named_"), ("typed", "typed_"))


def measure(
    rounds: int,
    clock: Callable[[], float] = time.perf_counter,
    readers: dict[str, tuple[Reader, Reader]] | None = None,
) -> dict[str, dict[str, float]]:
    """Per format (and reader, when more than one): points/s and ratios to each reference.

    ``readers``: label -> (GPX reader, TCX reader); today's by default. All of them and
    the references take turns in every round.
    """
    readers = readers or {"": (read_gpx, read_tcx)}
    results: dict[str, dict[str, float]] = {}
    for index, (kind, point_tag) in enumerate(KINDS):
        files = xml_files(kind)
        points = sum(lxml_loop(data, point_tag) for _, data in files)
        size = sum(len(data) for _, data in files)
        runs: dict[str, Callable[[], None]] = {
            label: partial(_read_all, pair[index], files) for label, pair in readers.items()
        }
        runs["values"] = partial(_loop_all, lxml_loop, files, point_tag)
        runs["by name"] = partial(_loop_all, lxml_named_loop, files, point_tag)
        runs["typed"] = partial(_loop_all, partial(_typed, kind=kind), files, point_tag)
        for run in runs.values():  # warm up
            run()
        seconds: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(rounds):
            for name, run in runs.items():
                seconds[name].append(timed(run, clock))
        for label in readers:
            result = {
                "files": len(files),
                "points": points,
                "megabytes": size / 1e6,
                "reader_points_per_s": points / statistics.median(seconds[label]),
                "lxml_points_per_s": points / statistics.median(seconds["values"]),
                "lxml_named_points_per_s": points / statistics.median(seconds["by name"]),
                "lxml_typed_points_per_s": points / statistics.median(seconds["typed"]),
            }
            for reference, key in REFERENCES:
                ratios = [b / a for a, b in zip(seconds[label], seconds[reference], strict=True)]
                result[f"{key}ratio_median"] = statistics.median(ratios)
                result[f"{key}ratio_min"] = min(ratios)
                result[f"{key}ratio_max"] = max(ratios)
            results[f"{kind} {label}".strip()] = result
    return results


def _read_all(reader: Reader, files: list[tuple[str, bytes]]) -> None:
    for name, data in files:
        reader(data, name)


def _loop_all(
    loop: Callable[[bytes, str], int], files: list[tuple[str, bytes]], point_tag: str
) -> None:
    for _, data in files:
        loop(data, point_tag)


def _typed(data: bytes, point_tag: str, *, kind: str) -> int:
    return lxml_typed_loop(data, point_tag, kind)


def readers_at(revision: str) -> tuple[Reader, Reader]:
    """The GPX and TCX readers as they were at a git revision, importable next to today's."""
    gpx = module_at(revision, "ingest.gpx")
    tcx = module_at(revision, "ingest.tcx")
    return gpx.read_gpx, tcx.read_tcx


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
    parser.add_argument(
        "--before",
        metavar="REVISION",
        help="also measure the readers of this git revision, in the same rounds",
    )
    args = parser.parse_args()
    readers = None
    if args.before:
        readers = {"before": readers_at(args.before), "after": (read_gpx, read_tcx)}
    results = measure(args.rounds, CLOCKS[args.clock], readers)
    width = max(len(name) for name in results)
    print(
        f"{'':{width}} {'files':>5} {'points':>7} {'MB':>5} {'reader pts/s':>13} "
        f"{'values pts/s':>13} {'ratio':>17} {'by name pts/s':>14} {'ratio':>17} "
        f"{'typed pts/s':>12} {'ratio':>17}"
    )
    for name, r in results.items():
        print(
            f"{name:{width}} {r['files']:5.0f} {r['points']:7,.0f} {r['megabytes']:5.1f} "
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
