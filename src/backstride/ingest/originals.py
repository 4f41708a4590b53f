"""Which file each activity was read from, as it was read: the bytes to keep beside it.

`OriginalFiles.scan` yields what `scan_file` yields (the same walk through gzip and
zip, the same limits); meanwhile `OriginalFiles.original(activity)` gives the activity
file it came from, after unwrapping: the bytes whose SHA-256 is
``activity.source_sha256``, named by the file's path inside the upload (an archive
member's path in the archive, a ``.gz`` without its suffix). The import service keeps
them with the activities, so that a person's export carries their original files.

Nothing is read twice and nothing is copied: the bytes are the ones the reader
decoded. Only the latest activity file is remembered, so memory stays what the walk
itself needs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from backstride.ingest import strava
from backstride.ingest.archive import DEFAULT_LIMITS, Limits
from backstride.ingest.model import Activity, ImportItem, Known
from backstride.ingest.reader import _Importer


@dataclass(frozen=True, slots=True)
class Original:
    """An activity file as it was read: its path in the upload, hash and bytes."""

    name: str
    sha256: str
    data: bytes


def kept_name(upload: str, display: str) -> str:
    """The name a file read as ``display`` from the upload ``upload`` is kept under.

    A member of an archive is named by its path in the archive (without the upload's
    name in front); a gzip-wrapped file loses ``.gz``, since its bytes are unwrapped.
    """
    name = display
    if display.startswith(f"{upload}/") and len(display) > len(upload) + 1:
        name = display[len(upload) + 1 :]
    if name.lower().endswith(".gz") and len(name) > len(".gz"):
        name = name[: -len(".gz")]
    return name


class _Keeping(_Importer):
    """The reader's walk, noting each activity file before its activities are yielded.

    The reader hashes every activity file it decodes (``known`` is asked with the
    hash before decoding), so the hash is taken here from that question, not again.
    """

    def __init__(self, upload: str, limits: Limits, known: Callable[[str], bool]) -> None:
        super().__init__(limits, self._asked)
        self._upload = upload
        self._known = known
        self._hashed: str | None = None
        self.current: Original | None = None

    def _asked(self, digest: str) -> bool:
        self._hashed = digest
        return self._known(digest)

    def dispatch(
        self, name: str, data: bytes, depth: int, stated: strava.StravaActivity | None
    ) -> Iterator[ImportItem | Known]:
        self._hashed = None
        first = True
        for item in super().dispatch(name, data, depth, stated):
            if first:
                first = False
                # Set only when these bytes were an activity file (a zip or gzip
                # passes its members' items on, and they noted theirs already).
                digest, self._hashed = self._hashed, None
                if digest is not None and isinstance(item, Activity):
                    self.current = Original(kept_name(self._upload, name), digest, data)
            yield item


class OriginalFiles:
    """Scans uploads like `scan_file`, remembering the activity file being read."""

    def __init__(self, limits: Limits = DEFAULT_LIMITS, *, known: Callable[[str], bool]) -> None:
        self._limits = limits
        self._known = known
        self._walk: _Keeping | None = None

    def scan(self, name: str, data: bytes) -> Iterator[ImportItem | Known]:
        """What ``scan_file(name, data, limits, known=known)`` yields."""
        walk = _Keeping(name, self._limits, self._known)
        self._walk = walk
        yield from walk.dispatch(name, data, depth=0, stated=None)

    def original(self, activity: Activity) -> Original | None:
        """The file ``activity`` (the latest yielded) was read from, or None when it is
        not the file being read (an activity from elsewhere)."""
        current = self._walk.current if self._walk is not None else None
        if current is None or current.sha256 != activity.source_sha256:
            return None
        return current
