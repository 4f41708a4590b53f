"""Use case: import watch and app files into the activity log.

Files, folders or the bytes of one upload go through `backstride.ingest`, which never
raises for bad input; this module decides what to keep and stores it.

* **One run, one activity.** The same file again (same content hash and session) is a
  duplicate. So is the same run from another source, and of two sources the richer is
  kept; both rules (tolerances, format rank) are the domain's, in
  `backstride.domain.training.same_run`. A richer source replaces a poorer one in
  place, so the activity keeps its id, shoes, surface and pain; a hand-entered run is
  replaced by a watch file of the same run the same way.
* **Nothing half-written.** Activities are written in batches, each batch in one
  transaction (one multi-row INSERT; one streams blob per activity). When a batch
  fails, it is rolled back and retried one activity per transaction, so a bad row
  costs only itself and is reported with the reason. An interruption loses at most
  the batch in progress; importing again completes it.
* **A file already imported is not decoded again.** Its content hash (taken after
  unwrapping gzip and zip, as `Activity.source_sha256`) is looked up first; when the
  log holds activities from those very bytes, each is reported as a duplicate and the
  file is not decoded, so re-importing a whole export costs little more than reading
  and hashing it. (A file whose activities were all dropped as the same run as another
  source holds no hash in the log and is decoded as before.)
* **Bad files are reported, not fatal**: every `Skipped` from the reader is listed with
  its reason, and the import goes on.
* **The original file is kept.** The activity file an activity was stored from, as it
  was read (after unwrapping gzip and zip: the bytes of `source_sha256`, named by its
  path in the archive), is kept in the same transaction (`uow.sources`), once per
  content hash, so that a person's export carries their original files. A file whose
  activities are all duplicates is not kept again.
"""

from __future__ import annotations

import math
import os
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Final

from backstride.domain.training.same_run import Recording, nearness, quality, richer, same_run
from backstride.ingest import (
    DEFAULT_LIMITS,
    Activity,
    ImportItem,
    Known,
    Limits,
    Skipped,
)
from backstride.ingest.originals import Original, OriginalFiles
from backstride.services.ports import ActivityData, ActivityKey, Clock, SavedShoe, UnitOfWork

SHOE_SPORTS: Final = frozenset({"running", "trail_running", "treadmill_running", "track_running"})
BATCH_ACTIVITIES: Final = 200
BATCH_BYTES: Final = 32 << 20
# Packing streams is zlib work that runs outside the GIL: a few threads compress the
# last activities while the next file decodes. Bounded, so memory stays bounded too.
PACKING_THREADS: Final = min(4, os.cpu_count() or 1)
MAX_PACKING: Final = 2 * PACKING_THREADS
_PACKED_BYTES_PER_SAMPLE: Final = 10  # a 1 Hz run with every channel packs to about 9

# Column sizes in adapters/db/activities.py; longer text is cut, not refused.
_TEXT_LIMITS: Final = {"name": 200, "gear": 120, "device": 120, "source_name": 500}


@dataclass(frozen=True, slots=True)
class ImportProgress:
    """Counts so far, for a progress bar (provisional until the summary)."""

    files_done: int
    files_total: int | None
    current: str
    imported: int
    replaced: int
    duplicates: int
    skipped: int


Progress = Callable[[ImportProgress], None]


@dataclass(frozen=True, slots=True)
class StoredItem:
    name: str
    activity_id: int
    outcome: str
    """``imported`` (a new activity) or ``replaced`` (a richer source for one already there)."""
    sport: str
    start_utc: datetime
    distance_m: float | None
    replaced_source: str | None = None


@dataclass(frozen=True, slots=True)
class DuplicateItem:
    name: str
    activity_id: int
    reason: str


@dataclass(frozen=True, slots=True)
class SkippedItem:
    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class ImportSummary:
    files: int
    stored: tuple[StoredItem, ...]
    duplicates: tuple[DuplicateItem, ...]
    skipped: tuple[SkippedItem, ...]
    samples: int
    """Stream samples written (a FIT file's record messages)."""

    @property
    def imported(self) -> int:
        return sum(item.outcome == "imported" for item in self.stored)

    @property
    def replaced(self) -> int:
        return sum(item.outcome == "replaced" for item in self.stored)


class MissingPathError(ValueError):
    """A path given to import does not exist."""


# --- which files ------------------------------------------------------------------


def missing_paths(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    return [str(p) for p in paths if not Path(p).exists()]


def _walk(root: Path) -> Iterator[Path]:
    """Every file under a folder, in sorted order, hidden files and folders left out."""
    for folder, subfolders, files in os.walk(root, followlinks=False):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(folder) / name


def list_files(paths: Iterable[str | os.PathLike[str]]) -> list[tuple[str, Path]]:
    """(display name, path) of every file to read; raises MissingPathError first."""
    return [(name, path) for name, path, _ in _listed(paths)]


def _listed(paths: Iterable[str | os.PathLike[str]]) -> list[tuple[str, Path, Path | None]]:
    """(display name, path, the folder it was found in, if any) of every file to read."""
    given = [Path(p) for p in paths]
    missing = missing_paths(given)
    if missing:
        raise MissingPathError(f"no such file or folder: {', '.join(missing)}")
    found: list[tuple[str, Path, Path | None]] = []
    for root in given:
        if root.is_dir():
            found += [
                (f"{root.name}/{f.relative_to(root).as_posix()}", f, root) for f in _walk(root)
            ]
        else:
            found.append((root.name, root, None))
    return found


def _leaves(folder: Path, path: Path) -> bool:
    """Whether ``path``, found in ``folder``, is a link that leads out of it."""
    if not path.is_symlink():
        return False
    try:
        return not path.resolve(strict=True).is_relative_to(folder.resolve(strict=True))
    except (OSError, RuntimeError):  # a dangling or looping link
        return True


def _read(
    name: str,
    path: Path,
    limits: Limits,
    folder: Path | None,
    scanner: OriginalFiles,
) -> Iterator[ImportItem | Known]:
    if folder is not None and _leaves(folder, path):
        yield Skipped(name, "a link to a file outside the folder; links are not followed out")
        return
    try:
        if path.stat().st_size > limits.max_member_bytes:
            yield Skipped(name, f"the file is larger than {limits.max_member_bytes:,} bytes")
            return
        data = path.read_bytes()
    except OSError as error:
        yield Skipped(name, f"the file cannot be read ({error.strerror or error})")
        return
    yield from scanner.scan(name, data)


# --- public entry points -----------------------------------------------------------


def import_paths(
    uow: UnitOfWork,
    clock: Clock,
    paths: Sequence[str | os.PathLike[str]],
    *,
    progress: Progress | None = None,
    limits: Limits = DEFAULT_LIMITS,
    batch_size: int = BATCH_ACTIVITIES,
) -> ImportSummary:
    """Import files and folders (recursively); see the module docstring for the rules."""
    files = _listed(paths)
    run = _Import(uow, clock, progress, len(files), batch_size)
    scanner = OriginalFiles(limits, known=run.known)
    try:
        for name, path, folder in files:
            run.read(name, _read(name, path, limits, folder, scanner), scanner.original)
        return run.finish()
    finally:
        run.close()


def import_bytes(
    uow: UnitOfWork,
    clock: Clock,
    name: str,
    data: bytes,
    *,
    progress: Progress | None = None,
    limits: Limits = DEFAULT_LIMITS,
    batch_size: int = BATCH_ACTIVITIES,
) -> ImportSummary:
    """Import one uploaded file (any format the reader knows, archives included)."""
    run = _Import(uow, clock, progress, 1, batch_size)
    scanner = OriginalFiles(limits, known=run.known)
    try:
        run.read(name, scanner.scan(name, data), scanner.original)
        return run.finish()
    finally:
        run.close()


# --- matching (the rules are in domain/training/same_run.py) -----------------------


@dataclass(eq=False)
class _Slot:
    """One activity in the log or about to be: what matching needs, and a pending write."""

    run: Recording
    source: str
    id: int | None = None
    pending: ActivityData | None = None
    packing: Future[bytes] | None = None
    """The pending activity's streams blob, being compressed in a thread."""
    writer: _Outcome | None = None
    """The import item whose data is pending, to blame if writing it fails."""
    failed: str | None = None
    """Set when a new activity could not be stored: it is not in the log."""
    original: Original | None = None
    """The pending activity's file as read, kept with it (``uow.sources``)."""


def _day_key(moment: datetime) -> int:
    return math.floor(moment.timestamp() / 86400)


class _Index:
    """Every activity in the log, by source and by day, kept current as the import goes."""

    def __init__(self, keys: Iterable[ActivityKey]) -> None:
        self._by_source: dict[tuple[str, int], _Slot] = {}
        self._by_file: dict[str, dict[int, _Slot]] = defaultdict(dict)
        self._by_day: dict[int, list[_Slot]] = defaultdict(list)
        for key in keys:
            run = Recording.of(key)
            slot = _Slot(run=run, source=key.source_name, id=key.id)
            self.add(slot, key.source_sha256, key.source_index)

    def add(self, slot: _Slot, sha: str | None, index: int) -> None:
        if sha is not None:
            self._by_source[(sha, index)] = slot
            self._by_file[sha][index] = slot
        self._by_day[_day_key(slot.run.start_utc)].append(slot)

    def from_file(self, sha: str) -> list[_Slot]:
        """The activities (in file order) stored from the file with this content hash."""
        slots = self._by_file.get(sha, {})
        return [slots[index] for index in sorted(slots) if slots[index].failed is None]

    def same_file(self, sha: str, index: int) -> _Slot | None:
        slot = self._by_source.get((sha, index))
        return slot if slot is not None and slot.failed is None else None

    def same_run(self, run: Recording) -> _Slot | None:
        """The activity in the log that ``run`` records again, the nearest if several."""
        day = _day_key(run.start_utc)
        candidates = [
            slot
            for key in (day - 1, day, day + 1)
            for slot in self._by_day.get(key, ())
            if slot.failed is None and same_run(slot.run, run)
        ]
        if not candidates:
            return None
        return min(candidates, key=lambda s: nearness(s.run, run))


# --- the import -------------------------------------------------------------------


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _clip(field_name: str, text: str | None) -> str | None:
    if text is None:
        return None
    limit = _TEXT_LIMITS[field_name]
    return text if len(text) <= limit else text[: limit - 1] + "…"


def activity_data(
    activity: Activity, *, shoe_id: int | None, imported_at: datetime, pack: bool = True
) -> ActivityData:
    """The stored form of an imported activity: summary columns and one streams blob.

    ``pack=False`` leaves ``streams`` empty, for a caller that packs them elsewhere.
    """
    return ActivityData(
        sport=activity.sport,
        start_utc=activity.start_utc,
        utc_offset_s=activity.utc_offset_s,
        elapsed_s=activity.elapsed_s,
        moving_s=activity.moving_s,
        timer_s=_finite(activity.timer_s),
        distance_m=_finite(activity.distance_m),
        ascent_m=_finite(activity.ascent_m),
        avg_hr=_finite(activity.avg_hr),
        max_hr=_finite(activity.max_hr),
        avg_cadence_spm=_finite(activity.avg_cadence_spm),
        device=_clip("device", activity.device),
        name=_clip("name", activity.name),
        gear=_clip("gear", activity.gear),
        source_format=activity.source_format,
        source_sha256=activity.source_sha256,
        source_name=_clip("source_name", activity.source_name) or "",
        source_index=activity.source_index,
        richness=activity.streams.richness(),
        samples=len(activity.streams),
        warnings=tuple(activity.warnings),
        streams=activity.streams.to_bytes() if pack else None,
        imported_at=imported_at,
        shoe_id=shoe_id,
    )


@dataclass(eq=False)
class _Outcome:
    name: str
    kind: str  # imported, replaced, duplicate, skipped
    slot: _Slot | None = None
    detail: str = ""
    sport: str = ""
    distance_m: float | None = None
    failed: str | None = None


@dataclass
class _Pending:
    inserts: list[_Slot] = field(default_factory=list)
    replacements: dict[int, _Slot] = field(default_factory=dict)
    size: int = 0
    originals: set[str] = field(default_factory=set)

    def __len__(self) -> int:
        return len(self.inserts) + len(self.replacements)


class _Import:
    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        progress: Progress | None,
        files_total: int | None,
        batch_size: int,
    ) -> None:
        self._uow = uow
        self._progress = progress
        self._files_total = files_total
        self._batch_size = max(1, batch_size)
        self._imported_at = clock.now()
        with uow:
            self._index = _Index(uow.activities.keys())
            self._shoes = list(uow.shoes.list())
        self._outcomes: list[_Outcome] = []
        self._counts: dict[str, int] = defaultdict(int)
        self._pending = _Pending()
        self._files_done = 0
        self._samples = 0
        self._packer = ThreadPoolExecutor(PACKING_THREADS, thread_name_prefix="pack")
        self._packing: deque[Future[bytes]] = deque()

    def close(self) -> None:
        self._packer.shutdown(wait=True, cancel_futures=True)

    # -- reading

    def known(self, sha: str) -> bool:
        """Whether activities from a file with this content hash are in the log already."""
        return bool(self._index.from_file(sha))

    def read(
        self,
        name: str,
        items: Iterable[ImportItem | Known],
        originals: Callable[[Activity], Original | None] = lambda _: None,
    ) -> None:
        """Take a file's items; ``originals`` says which file an activity was read from."""
        for item in items:
            if isinstance(item, Skipped):
                self._record(_Outcome(item.name, "skipped", detail=item.reason))
            elif isinstance(item, Known):
                for twin in self._index.from_file(item.sha256):
                    self._record(
                        _Outcome(item.name, "duplicate", twin, "already imported (the same file)")
                    )
            else:
                self._take(item, originals(item))
            self._report(name)
        self._files_done += 1
        self._report(name)

    def _report(self, current: str) -> None:
        if self._progress is None:
            return
        counts = self._counts
        self._progress(
            ImportProgress(
                files_done=self._files_done,
                files_total=self._files_total,
                current=current,
                imported=counts["imported"],
                replaced=counts["replaced"],
                duplicates=counts["duplicate"],
                skipped=counts["skipped"],
            )
        )

    def _record(self, outcome: _Outcome) -> None:
        self._outcomes.append(outcome)
        self._counts[outcome.kind] += 1

    def _shoe_for(self, activity: Activity) -> int | None:
        if activity.sport not in SHOE_SPORTS:
            return None
        active = [s for s in self._shoes if not s.retired]
        if activity.gear:
            wanted = activity.gear.strip().casefold()
            named = next((s for s in active if s.name.casefold() == wanted), None)
            if named is not None:
                return named.id
        default: SavedShoe | None = next((s for s in active if s.is_default), None)
        return default.id if default is not None else None

    def _take(self, activity: Activity, original: Original | None) -> None:
        name = activity.source_name
        twin = self._index.same_file(activity.source_sha256, activity.source_index)
        if twin is not None:
            self._record(_Outcome(name, "duplicate", twin, "already imported (the same file)"))
            return
        run = Recording(
            start_utc=activity.start_utc,
            utc_offset_s=activity.utc_offset_s,
            distance_m=activity.distance_m,
            elapsed_s=activity.elapsed_s,
            quality=quality(
                manual=False,
                richness=activity.streams.richness(),
                source_format=activity.source_format,
                samples=len(activity.streams),
            ),
        )
        match = self._index.same_run(run)
        if match is not None and not richer(run, match.run):
            self._record(
                _Outcome(
                    name,
                    "duplicate",
                    match,
                    f"the same run as {match.source}, which is kept (as rich or richer)",
                )
            )
            return
        data = activity_data(
            activity, shoe_id=self._shoe_for(activity), imported_at=self._imported_at, pack=False
        )
        # What is stored: the distance as written (a non-finite one is left out).
        stored = replace(run, distance_m=data.distance_m)
        if match is None:
            slot = _Slot(run=stored, source=name)
            self._index.add(slot, activity.source_sha256, activity.source_index)
            self._pending.inserts.append(slot)
            outcome = _Outcome(name, "imported", slot, "", activity.sport, data.distance_m)
        else:
            slot, previous = match, match.source
            slot.run, slot.source = stored, name
            self._index.add(slot, activity.source_sha256, activity.source_index)
            if slot.id is not None:
                self._pending.replacements[slot.id] = slot
            outcome = _Outcome(name, "replaced", slot, previous, activity.sport, data.distance_m)
        slot.pending, slot.writer, slot.original = data, outcome, original
        slot.packing = self._packer.submit(activity.streams.to_bytes)
        self._packing.append(slot.packing)
        while len(self._packing) > MAX_PACKING:
            self._packing.popleft().result()
        self._record(outcome)
        self._pending.size += data.samples * _PACKED_BYTES_PER_SAMPLE
        if original is not None and original.sha256 not in self._pending.originals:
            # A file of several activities is written (and counted) once.
            self._pending.originals.add(original.sha256)
            self._pending.size += len(original.data)
        if len(self._pending) >= self._batch_size or self._pending.size >= BATCH_BYTES:
            self._flush()

    # -- writing

    def _flush(self) -> None:
        pending, self._pending = self._pending, _Pending()
        self._packing.clear()
        if not len(pending):
            return
        for slot in pending.inserts:
            self._unpacked(slot, insert=True)
        for slot in pending.replacements.values():
            self._unpacked(slot, insert=False)
        try:
            self._write(pending.inserts, list(pending.replacements.values()))
        except Exception:  # one bad row must not cost the whole batch: retry one by one
            for slot in pending.inserts:
                self._write_one(slot, insert=True)
            for slot in pending.replacements.values():
                self._write_one(slot, insert=False)
        for slot in [*pending.inserts, *pending.replacements.values()]:
            if slot.failed is None and slot.pending is not None:
                self._samples += slot.pending.samples
            slot.pending = None  # the blob is stored; free it
            slot.original = None

    def _unpacked(self, slot: _Slot, *, insert: bool) -> None:
        """Wait for the slot's streams blob; a failure to pack is reported like one to store."""
        packing, slot.packing = slot.packing, None
        if packing is None or slot.pending is None:
            return
        try:
            slot.pending = replace(slot.pending, streams=packing.result())
        except Exception as error:  # reported with the file; the import goes on
            self._blame(slot, insert=insert, action="packed", error=error)

    def _blame(self, slot: _Slot, *, insert: bool, action: str, error: Exception) -> None:
        lines = str(error).strip().splitlines()
        reason = f"could not be {action} ({type(error).__name__}: {lines[0] if lines else ''})"
        if insert:
            slot.failed = reason
        elif slot.writer is not None:
            slot.writer.failed = reason
        slot.pending = None

    def _write(self, inserts: Sequence[_Slot], replacements: Sequence[_Slot]) -> None:
        ready = [s for s in inserts if s.pending is not None]
        replacing = [s for s in replacements if s.id is not None and s.pending is not None]
        with self._uow as uow:
            ids = uow.activities.write(
                [s.pending for s in ready if s.pending is not None],
                [(s.id, s.pending) for s in replacing if s.id is not None and s.pending],
            )
            # The files they were read from, in the same transaction (once per hash).
            originals = {s.original.sha256: s.original for s in (*ready, *replacing) if s.original}
            for original in originals.values():
                uow.sources.keep(original.sha256, original.name, original.data, self._imported_at)
            uow.commit()
        for slot, new_id in zip(ready, ids, strict=True):
            slot.id = new_id

    def _write_one(self, slot: _Slot, *, insert: bool) -> None:
        if slot.pending is None:
            return  # already reported (it could not be packed)
        try:
            self._write([slot] if insert else [], [] if insert else [slot])
        except Exception as error:  # reported with the file; the import goes on
            self._blame(slot, insert=insert, action="stored", error=error)

    def finish(self) -> ImportSummary:
        self._flush()
        stored: list[StoredItem] = []
        duplicates: list[DuplicateItem] = []
        skipped: list[SkippedItem] = []
        for outcome in self._outcomes:
            slot = outcome.slot
            failed = outcome.failed or (slot.failed if slot is not None else None)
            if outcome.kind == "skipped":
                skipped.append(SkippedItem(outcome.name, outcome.detail))
            elif slot is None or slot.id is None or failed is not None:
                skipped.append(SkippedItem(outcome.name, failed or "could not be stored"))
            elif outcome.kind == "duplicate":
                duplicates.append(DuplicateItem(outcome.name, slot.id, outcome.detail))
            else:
                stored.append(
                    StoredItem(
                        name=outcome.name,
                        activity_id=slot.id,
                        outcome=outcome.kind,
                        sport=outcome.sport,
                        start_utc=slot.run.start_utc,
                        distance_m=outcome.distance_m,
                        replaced_source=outcome.detail or None,
                    )
                )
        return ImportSummary(
            files=self._files_done,
            stored=tuple(stored),
            duplicates=tuple(duplicates),
            skipped=tuple(skipped),
            samples=self._samples,
        )


def summary_document(summary: ImportSummary) -> dict[str, object]:
    """The summary as JSON (the CLI's --format json and the web API)."""
    return {
        "files": summary.files,
        "imported": summary.imported,
        "replaced": summary.replaced,
        "duplicates": len(summary.duplicates),
        "skipped": len(summary.skipped),
        "samples": summary.samples,
        "activities": [
            {
                "id": item.activity_id,
                "outcome": item.outcome,
                "source_name": item.name,
                "sport": item.sport,
                "start_utc": item.start_utc.isoformat(),
                "distance_m": None if item.distance_m is None else round(item.distance_m, 1),
                "replaced_source": item.replaced_source,
            }
            for item in summary.stored
        ],
        "duplicate_files": [
            {"name": d.name, "activity_id": d.activity_id, "reason": d.reason}
            for d in summary.duplicates
        ],
        "skipped_files": [{"name": s.name, "reason": s.reason} for s in summary.skipped],
    }


def import_uploads(
    new_uow: Callable[[], UnitOfWork],
    clock: Clock,
    files: Iterable[tuple[str, bytes]],
) -> ImportSummary:
    """Import several uploaded files, one after another, as one summary.

    Each file is its own import (so one bad file never undoes another); the
    summaries are joined in upload order.
    """
    summaries = [import_bytes(new_uow(), clock, name, data) for name, data in files]
    return ImportSummary(
        files=sum(s.files for s in summaries),
        stored=tuple(item for s in summaries for item in s.stored),
        duplicates=tuple(item for s in summaries for item in s.duplicates),
        skipped=tuple(item for s in summaries for item in s.skipped),
        samples=sum(s.samples for s in summaries),
    )
