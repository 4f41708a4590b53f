"""The GPX and TCX readers against plain lxml loops over the same points.

Two references, both parsing the bytes with `etree.fromstring` and visiting every
track point:

* **values**: read every value the point holds (the ``lat``/``lon`` attributes, the
  text of every element inside the point, extensions included) and throw it away,
  without even asking which element it came from: the least any lxml reader can do.
* **by name**: the same, keeping each value under its element's tag in a dict per
  point: the least a reader that knows which value is which can do (lxml builds the
  ``{namespace}name`` string on every ``.tag``, which costs as much as the rest).

The readers do all of that and more (hostile-XML guards, streaming with cleared
elements, number and time parsing, range checks, derived totals, the activity itself).
Rounds of the reader and of the references alternate, so all see the same load on a
shared machine; ratios are taken per round and the median (min-max) shown.

    .venv/bin/python benchmarks/xml_bench.py            # 5 rounds, about 30 s
    .venv/bin/python benchmarks/xml_bench.py --rounds 9 --json
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
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


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def measure(rounds: int) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    for kind, point_tag, reader in (
        ("gpx", "{*}trkpt", read_gpx),
        ("tcx", "{*}Trackpoint", read_tcx),
    ):
        files = xml_files(kind)
        points = sum(lxml_loop(data, point_tag) for _, data in files)
        size = sum(len(data) for _, data in files)

        def ours(files: list[tuple[str, bytes]] = files, reader: Callable = reader) -> None:
            for name, data in files:
                reader(data, name)

        def plain(files: list[tuple[str, bytes]] = files, tag: str = point_tag) -> None:
            for _, data in files:
                lxml_loop(data, tag)

        def named(files: list[tuple[str, bytes]] = files, tag: str = point_tag) -> None:
            for _, data in files:
                lxml_named_loop(data, tag)

        ours()  # warm up
        plain()
        named()
        ours_s, plain_s, named_s, ratios, named_ratios = [], [], [], [], []
        for _ in range(rounds):
            a = timed(ours)
            b = timed(plain)
            c = timed(named)
            ours_s.append(a)
            plain_s.append(b)
            named_s.append(c)
            ratios.append(b / a)
            named_ratios.append(c / a)
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
        }
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="also print one line of JSON")
    args = parser.parse_args()
    results = measure(args.rounds)
    print(
        f"{'':4} {'files':>5} {'points':>7} {'MB':>5} {'reader pts/s':>13} "
        f"{'values pts/s':>13} {'ratio':>17} {'by name pts/s':>14} {'ratio':>17}"
    )
    for kind, r in results.items():
        print(
            f"{kind:4} {r['files']:5.0f} {r['points']:7,.0f} {r['megabytes']:5.1f} "
            f"{r['reader_points_per_s']:13,.0f} {r['lxml_points_per_s']:13,.0f} "
            f"{r['ratio_median']:5.2f}x ({r['ratio_min']:.2f}-{r['ratio_max']:.2f}) "
            f"{r['lxml_named_points_per_s']:14,.0f} "
            f"{r['named_ratio_median']:5.2f}x "
            f"({r['named_ratio_min']:.2f}-{r['named_ratio_max']:.2f})"
        )
    print("ratio: the reader's points/s over the reference's (1.00x: as fast as the plain loop)")
    if args.json:
        print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
