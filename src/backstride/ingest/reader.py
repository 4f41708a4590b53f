"""The importer's entry points: bytes or paths in, activities and skipped files out.

Whatever is uploaded (a FIT, GPX or TCX file, a `.gz` of one, a zip of many, a Strava
bulk export, a Garmin account export with zips inside zips), every problem becomes a
`Skipped(name, reason)` and the rest goes on. Nothing here raises for bad input.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Final

from backstride.ingest import sports, strava
from backstride.ingest.archive import (
    DEFAULT_LIMITS,
    Budget,
    Limits,
    Member,
    check_member_name,
    gunzip,
    members,
    open_zip,
    read_member,
)
from backstride.ingest.detect import Kind, sniff
from backstride.ingest.errors import (
    ArchiveLimitError,
    EmptyFileError,
    IngestError,
    UnsupportedFormatError,
)
from backstride.ingest.fit import read_fit
from backstride.ingest.gpx import read_gpx
from backstride.ingest.model import Activity, ImportItem, Known, Skipped
from backstride.ingest.tcx import read_tcx

_READERS: Final[dict[Kind, Callable[[bytes, str, str | None], list[Activity]]]] = {
    Kind.FIT: read_fit,
    Kind.GPX: read_gpx,
    Kind.TCX: read_tcx,
}
_ACTIVITY_SUFFIXES: Final = frozenset({".fit", ".gpx", ".tcx", ".gz", ".zip"})
_SYSTEM_JUNK: Final = frozenset({"thumbs.db", "desktop.ini"})
_GARMIN_EXPORT_ROOT: Final = "DI_CONNECT"


def read_file(name: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[ImportItem]:
    """Everything one uploaded file holds: activities, and the parts that were skipped."""
    return list(iter_file(name, data, limits))


def iter_file(name: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> Iterator[ImportItem]:
    """Like `read_file`, but yields as it goes (a large export need not fit in a list)."""
    for item in _Importer(limits, None).dispatch(name, data, depth=0, stated=None):
        if not isinstance(item, Known):  # never: nothing is known without a test
            yield item


def scan_file(
    name: str,
    data: bytes,
    limits: Limits = DEFAULT_LIMITS,
    *,
    known: Callable[[str], bool],
) -> Iterator[ImportItem | Known]:
    """Like `iter_file`, but an activity file whose SHA-256 ``known`` accepts is not decoded.

    The hash is taken after unwrapping (gzip, zip), as `Activity.source_sha256` is, so a
    file already imported bare is recognised inside a later export. It yields
    `Known(name, sha256)` for such a file, and activities and skips for the rest.
    """
    yield from _Importer(limits, known).dispatch(name, data, depth=0, stated=None)


def iter_path(
    path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS
) -> Iterator[ImportItem]:
    """A file, or every file under a folder (recursively, in sorted order)."""
    root = Path(path)
    if not root.is_dir():
        yield from _read_path(root, root.name, limits)
        return
    for file in _walk(root):
        name = file.relative_to(root).as_posix()
        if _leaves(root, file):
            yield Skipped(name, "a link to a file outside the folder; links are not followed out")
            continue
        yield from _read_path(file, name, limits)


def _leaves(folder: Path, path: Path) -> bool:
    """Whether ``path``, found in ``folder``, is a link that leads out of it."""
    if not path.is_symlink():
        return False
    try:
        return not path.resolve(strict=True).is_relative_to(folder.resolve(strict=True))
    except (OSError, RuntimeError):  # a dangling or looping link
        return True


def _walk(root: Path) -> Iterator[Path]:
    for folder, subfolders, files in os.walk(root, followlinks=False):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(folder) / name


def _read_path(file: Path, name: str, limits: Limits) -> Iterator[ImportItem]:
    try:
        size = file.stat().st_size
        if size > limits.max_member_bytes:
            yield Skipped(name, f"the file is larger than {limits.max_member_bytes:,} bytes")
            return
        data = file.read_bytes()
    except OSError as exc:
        yield Skipped(name, f"the file cannot be read ({exc.strerror or exc})")
        return
    yield from iter_file(name, data, limits)


class _Importer:
    """One upload's walk through its (possibly nested) content, sharing one budget."""

    def __init__(self, limits: Limits, known: Callable[[str], bool] | None) -> None:
        self.limits = limits
        self.budget = Budget(limits)
        self.known = known

    def dispatch(
        self, name: str, data: bytes, depth: int, stated: strava.StravaActivity | None
    ) -> Iterator[ImportItem | Known]:
        seen: Known | None = None
        try:
            kind = sniff(data)
            if kind is Kind.EMPTY:
                raise EmptyFileError("the file is empty (0 bytes)")
            if kind in (Kind.GZIP, Kind.ZIP):
                if depth >= self.limits.max_depth:
                    raise ArchiveLimitError(
                        f"archives are nested more than {self.limits.max_depth} levels deep"
                    )
                if kind is Kind.GZIP:
                    yield from self.dispatch(name, gunzip(data, self.budget), depth + 1, stated)
                    return
                archive = open_zip(data, self.budget)
            else:
                archive = None
                reader = _READERS.get(kind)
                if reader is None:
                    raise UnsupportedFormatError(_unsupported_reason(kind, name))
                digest = None
                if self.known is not None:
                    digest = hashlib.sha256(data).hexdigest()
                    if self.known(digest):
                        seen = Known(name, digest)
                activities = [] if seen is not None else reader(data, name, digest)
        except IngestError as exc:
            yield Skipped(name, str(exc))
            return
        except Exception as exc:  # a bug must not abort a bulk import; report the file
            yield Skipped(name, f"could not be read (unexpected {type(exc).__name__})")
            return
        if archive is not None:
            with archive:
                yield from self._zip(name, archive, depth + 1)
            return
        if seen is not None:
            yield seen
            return
        for activity in activities:
            yield _with_stated(activity, stated)

    def _zip(self, name: str, archive: zipfile.ZipFile, depth: int) -> Iterator[ImportItem | Known]:
        """Every member's items; an archive that yields none is reported, with why."""
        found = 0
        try:
            for item in self._members(name, archive, depth):
                found += 1
                yield item
        except IngestError as exc:
            yield Skipped(name, str(exc))
            return
        except Exception as exc:  # a bug must not abort a bulk import; report the file
            yield Skipped(name, f"could not be read (unexpected {type(exc).__name__})")
            return
        if not found:
            yield Skipped(name, _why_empty(archive))

    def _members(
        self, name: str, archive: zipfile.ZipFile, depth: int
    ) -> Iterator[ImportItem | Known]:
        entries = list(members(archive, self.budget))
        paths = [entry.path for entry in entries]
        is_export = _is_export(paths)
        index = self._strava_index(archive, entries)
        for entry in entries:
            if _is_junk(entry.path) or strava.is_strava_csv(entry.path):
                continue
            if is_export and not _may_hold_activities(entry.path):
                continue  # exports are full of JSON, CSV and photos
            display = f"{name}/{entry.path}"
            try:
                check_member_name(entry.path)
                payload = read_member(archive, entry, self.budget)
            except IngestError as exc:
                yield Skipped(display, str(exc))
                continue
            stated = strava.lookup(index, entry.path) if index else None
            yield from self.dispatch(display, payload, depth, stated)
        yield from _missing_from_export(name, index, paths)

    def _strava_index(
        self, archive: zipfile.ZipFile, entries: list[Member]
    ) -> dict[str, strava.StravaActivity]:
        index: dict[str, strava.StravaActivity] = {}
        for entry in entries:
            if not strava.is_strava_csv(entry.path):
                continue
            try:
                check_member_name(entry.path)
                index.update(strava.read_activities_csv(read_member(archive, entry, self.budget)))
            except IngestError:
                continue  # names and gear are a bonus; the files import without them
        return index


def _why_empty(archive: zipfile.ZipFile) -> str:
    """Why an archive gave nothing to import, as the person would put it."""
    infos = archive.infolist()
    if not infos:
        return "the archive is empty"
    files = [info.filename for info in infos if not info.is_dir()]
    if not files:
        return "the archive holds only folders, no activity files"
    if all(_is_junk(path) for path in files):
        return "the archive holds only system files (__MACOSX, .DS_Store, Thumbs.db)"
    if _is_export(files):
        return "the export holds no activity files (FIT, GPX or TCX)"
    return "no activity files inside"


def _missing_from_export(
    name: str, index: dict[str, strava.StravaActivity], paths: list[str]
) -> Iterator[Skipped]:
    """Rows of a Strava activities.csv whose file is not in the archive."""
    if not index:
        return
    present: set[str] = set()
    for path in paths:
        rest = strava.normalise(path)
        while rest:  # the export may have been unpacked under a folder of its own
            present.add(rest)
            _, _, rest = rest.partition("/")
    for listed in sorted(index):
        if listed not in present:
            yield Skipped(f"{name}/{listed}", "listed in activities.csv but not in the archive")


def _with_stated(activity: Activity, stated: strava.StravaActivity | None) -> Activity:
    if stated is None:
        return activity
    return activity.replace(
        name=stated.name or activity.name,
        sport=sports.prefer(activity.sport, stated.sport),
        gear=stated.gear or activity.gear,
    )


def _is_export(paths: list[str]) -> bool:
    """A Strava bulk export (activities.csv) or a Garmin account export (DI_CONNECT/)."""
    return any(
        strava.is_strava_csv(path) or PurePosixPath(path).parts[:1] == (_GARMIN_EXPORT_ROOT,)
        for path in paths
    )


def _may_hold_activities(path: str) -> bool:
    return PurePosixPath(path.lower()).suffix in _ACTIVITY_SUFFIXES


def _is_junk(path: str) -> bool:
    parts = PurePosixPath(path.replace("\\", "/")).parts
    return (
        not parts
        or parts[0] == "__MACOSX"
        or parts[-1].startswith(".")
        or parts[-1].lower() in _SYSTEM_JUNK
    )


def _unsupported_reason(kind: Kind, name: str) -> str:
    suffix = PurePosixPath(name).suffix
    if kind is Kind.OTHER_XML:
        return "an XML file that is neither GPX nor TCX"
    described = f" ({suffix})" if suffix else ""
    return f"not an activity file{described}: only FIT, GPX and TCX (optionally zipped) are read"
