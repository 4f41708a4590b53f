"""Import benchmark: backstride's importer against a plain fitdecode (and gpxpy) loop.

    .venv/bin/python benchmarks/import_bench.py            # ~1,200 activities, 2-3 minutes
    .venv/bin/python benchmarks/import_bench.py --quick    # CI size, well under a minute

In one run it

1. builds a corpus of time-shifted copies of the real files in tests/files
   (``corpus.py`` explains the shifting: every copy is a distinct run, so duplicate
   detection does not collapse them), FIT in one folder and GPX/TCX in others;
2. imports the FIT folder, then the GPX and TCX folders, with the project's own
   import service into a fresh SQLite database, timing each;
3. decodes the same FIT bytes with a plain fitdecode loop and the same GPX bytes with
   gpxpy, for a time budget (they are 100x slower; the budget covers every distinct
   file at least once, then more copies in the same order, so the mix of files
   matches the corpus), and compares records per second;
4. prints activities/s, records/s, peak memory and the ratios.

"Records" are FIT ``record`` messages (GPX track points), counted by the reference
decoders on each base file; the corpus holds that count times the number of copies.
Peak memory is the process's peak resident set size (``ru_maxrss``) when the import
finishes, so it includes the Python interpreter and every library loaded.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import fitdecode
import gpxpy

from backstride.adapters.db.database import open_database
from backstride.adapters.db.unit_of_work import SqlUnitOfWork
from backstride.services import importing
from backstride.services.clock import FixedClock

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import fit_layout, plain_bytes, plain_name, shift_fit, shift_xml

ROOT = Path(__file__).resolve().parent.parent
FILES = ROOT / "tests" / "files"
# The malformed fixtures are left out: they would be skipped, not imported.
MALFORMED = {
    "togeojson_bad.gpx",
    "togeojson_bad.tcx",
    "gc_MetadataOnly.gpx",
    "gpxpy_unicode_with_bom.gpx",  # routes only: nothing to import
}
XML_SHIFT_OFFSET_DAYS = 20_000  # keeps the GPX/TCX copies of a run apart from its FIT copies


@dataclass
class Corpus:
    root: Path
    fit: list[tuple[str, Path]]  # (base name, copy)
    gpx: list[tuple[str, Path]]
    tcx: list[tuple[str, Path]]
    seconds: float


def base_files(pattern: str) -> list[Path]:
    return [
        p
        for p in sorted(FILES.glob(pattern))
        if p.stat().st_size and plain_name(p) not in MALFORMED
    ]


def build_corpus(root: Path, fit_copies: int, xml_copies: int) -> Corpus:
    started = time.perf_counter()
    fit: list[tuple[str, Path]] = []
    gpx: list[tuple[str, Path]] = []
    tcx: list[tuple[str, Path]] = []
    fit_bases = [(plain_name(p), plain_bytes(p)) for p in base_files("*.fit*")]
    layouts = {name: fit_layout(data) for name, data in fit_bases}
    for copy in range(fit_copies):
        folder = root / "fit" / f"copy-{copy:04d}"
        folder.mkdir(parents=True)
        for name, data in fit_bases:
            target = folder / name
            target.write_bytes(shift_fit(data, layouts[name], copy))
            fit.append((name, target))
    for kind, found in (("gpx", gpx), ("tcx", tcx)):
        bases = [(plain_name(p), plain_bytes(p)) for p in base_files(f"*.{kind}*")]
        for copy in range(xml_copies):
            folder = root / kind / f"copy-{copy:04d}"
            folder.mkdir(parents=True)
            for name, data in bases:
                target = folder / name
                target.write_bytes(shift_xml(data, XML_SHIFT_OFFSET_DAYS + copy))
                found.append((name, target))
    return Corpus(root, fit, gpx, tcx, time.perf_counter() - started)


def round_robin(files: list[tuple[str, Path]]) -> list[tuple[str, Path]]:
    """Copy 0 of every base file, then copy 1 of every base file, and so on."""
    return sorted(files, key=lambda item: (item[1].parent.name, item[0]))


def fitdecode_records(path: Path) -> int:
    """The plain loop: decode every frame, count the record messages."""
    with fitdecode.FitReader(str(path)) as reader:
        return sum(
            1 for f in reader if isinstance(f, fitdecode.FitDataMessage) and f.name == "record"
        )


def gpxpy_points(path: Path) -> int:
    with path.open(encoding="utf-8-sig") as handle:
        parsed = gpxpy.parse(handle)
    return sum(len(s.points) for t in parsed.tracks for s in t.segments)


@dataclass
class Reference:
    files: int
    records: int
    seconds: float
    per_base: dict[str, int]

    @property
    def rate(self) -> float:
        return self.records / self.seconds


def reference_loop(
    files: list[tuple[str, Path]], count: Callable[[Path], int], budget_s: float
) -> Reference:
    per_base: dict[str, int] = {}
    records = done = 0
    started = time.perf_counter()
    for name, path in round_robin(files):
        elapsed = time.perf_counter() - started
        if budget_s and elapsed > budget_s and len(per_base) == len({n for n, _ in files}):
            break
        found = count(path)
        per_base.setdefault(name, found)
        records += found
        done += 1
    return Reference(done, records, time.perf_counter() - started, per_base)


@dataclass
class ImportRun:
    label: str
    files: int
    seconds: float
    summary: importing.ImportSummary

    @property
    def activities(self) -> int:
        return self.summary.imported


def run_import(database_url: str, label: str, folder: Path) -> ImportRun:
    database = open_database(database_url)
    clock = FixedClock(datetime(2026, 3, 14, tzinfo=UTC))
    files = len(importing.list_files([folder]))
    started = time.perf_counter()
    summary = importing.import_paths(SqlUnitOfWork(database), clock, [folder])
    seconds = time.perf_counter() - started
    database.dispose()
    return ImportRun(label, files, seconds, summary)


def peak_rss_mb() -> float:
    # ru_maxrss is kilobytes on Linux (bytes on macOS).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1 << 20) if sys.platform == "darwin" else peak / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="CI size: a few copies, short budget")
    parser.add_argument("--fit-copies", type=int, help="copies of each FIT file (default 44)")
    parser.add_argument("--xml-copies", type=int, help="copies of each GPX/TCX file (default 12)")
    parser.add_argument(
        "--reference-budget",
        type=float,
        help="seconds for each reference loop after one pass over the base files "
        "(default 45; 0 decodes the whole corpus)",
    )
    parser.add_argument("--keep", type=Path, help="build the corpus here and keep it")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = parser.parse_args()
    fit_copies = args.fit_copies or (3 if args.quick else 44)
    xml_copies = args.xml_copies or (1 if args.quick else 12)
    budget = (
        args.reference_budget if args.reference_budget is not None else (5 if args.quick else 45)
    )
    warnings.simplefilter("ignore")  # fitdecode warns about unknown developer fields

    workdir = Path(tempfile.mkdtemp(prefix="backstride-bench-"))
    corpus_root = args.keep or workdir / "corpus"
    if args.keep and args.keep.exists():
        shutil.rmtree(args.keep)
    try:
        corpus = build_corpus(corpus_root, fit_copies, xml_copies)
        print(
            f"corpus: {len(corpus.fit)} FIT, {len(corpus.gpx)} GPX, {len(corpus.tcx)} TCX files "
            f"in {corpus.seconds:.1f} s ({corpus_root})",
            file=sys.stderr,
        )
        url = f"sqlite:///{workdir / 'bench.sqlite'}"
        open_database(url).dispose()  # migrations are not part of the import
        imports = [
            run_import(url, "FIT", corpus_root / "fit"),
            run_import(url, "GPX", corpus_root / "gpx"),
            run_import(url, "TCX", corpus_root / "tcx"),
        ]
        peak = peak_rss_mb()
        for run in imports:
            print(f"imported {run.label}: {run.seconds:.1f} s", file=sys.stderr)
        fit_ref = reference_loop(corpus.fit, fitdecode_records, budget)
        print(f"fitdecode loop: {fit_ref.files} files in {fit_ref.seconds:.1f} s", file=sys.stderr)
        gpx_ref = reference_loop(corpus.gpx, gpxpy_points, budget / 3)
        print(f"gpxpy loop: {gpx_ref.files} files in {gpx_ref.seconds:.1f} s", file=sys.stderr)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    fit_records = sum(fit_ref.per_base[name] for name, _ in corpus.fit)
    gpx_points = sum(gpx_ref.per_base[name] for name, _ in corpus.gpx)
    fit_run, gpx_run, tcx_run = imports
    total_seconds = sum(r.seconds for r in imports)
    total_activities = sum(r.summary.imported for r in imports)
    figures = {
        "fit_files": len(corpus.fit),
        "fit_activities": fit_run.activities,
        "fit_records": fit_records,
        "fit_import_s": round(fit_run.seconds, 2),
        "fit_import_activities_per_s": round(fit_run.activities / fit_run.seconds, 1),
        "fit_import_records_per_s": round(fit_records / fit_run.seconds),
        "fitdecode_files": fit_ref.files,
        "fitdecode_records": fit_ref.records,
        "fitdecode_s": round(fit_ref.seconds, 2),
        "fitdecode_records_per_s": round(fit_ref.rate),
        "fit_ratio": round(fit_records / fit_run.seconds / fit_ref.rate, 1),
        "gpx_import_points_per_s": round(gpx_points / gpx_run.seconds),
        "gpxpy_points_per_s": round(gpx_ref.rate),
        "gpx_ratio": round(gpx_points / gpx_run.seconds / gpx_ref.rate, 1),
        "tcx_import_s": round(tcx_run.seconds, 2),
        "all_activities": total_activities,
        "all_import_s": round(total_seconds, 2),
        "all_activities_per_s": round(total_activities / total_seconds, 1),
        "duplicates": sum(len(r.summary.duplicates) for r in imports),
        "replaced": sum(r.summary.replaced for r in imports),
        "skipped": sum(len(r.summary.skipped) for r in imports),
        "peak_rss_mb": round(peak),
    }
    print_table(figures)
    if args.json:
        print(json.dumps(figures))
    ok = figures["fit_ratio"] >= 20 and figures["peak_rss_mb"] < 500
    print("goal (FIT import >= 20x fitdecode, peak < 500 MB):", "met" if ok else "NOT met")
    return 0


def print_table(f: dict[str, float]) -> None:
    rows = [
        (
            "FIT files / activities / records",
            f"{f['fit_files']:,} / {f['fit_activities']:,} / {f['fit_records']:,}",
        ),
        ("FIT import (decode, dedupe, store)", f"{f['fit_import_s']:.1f} s"),
        ("  activities/s", f"{f['fit_import_activities_per_s']:,.0f}"),
        ("  records/s", f"{f['fit_import_records_per_s']:,}"),
        ("plain fitdecode loop", f"{f['fitdecode_records']:,} records in {f['fitdecode_s']:.1f} s"),
        ("  records/s", f"{f['fitdecode_records_per_s']:,}"),
        ("FIT ratio (import / fitdecode)", f"{f['fit_ratio']}x"),
        ("GPX import points/s", f"{f['gpx_import_points_per_s']:,}"),
        ("gpxpy points/s", f"{f['gpxpy_points_per_s']:,}"),
        ("GPX ratio (import / gpxpy)", f"{f['gpx_ratio']}x"),
        ("all formats: activities / time", f"{f['all_activities']:,} in {f['all_import_s']:.1f} s"),
        ("  activities/s", f"{f['all_activities_per_s']:,.0f}"),
        (
            "duplicates / replaced / skipped",
            f"{f['duplicates']} / {f['replaced']} / {f['skipped']}",
        ),
        ("peak memory (RSS)", f"{f['peak_rss_mb']:.0f} MB"),
    ]
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")


if __name__ == "__main__":
    sys.exit(main())
