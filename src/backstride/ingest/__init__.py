"""Bytes of watch and app files -> canonical activities. Pure: no database, no web.

Entry points for the import service:

- `read_file(name, data)` / `iter_file(name, data)`: one uploaded file (FIT, GPX, TCX,
  `.gz`, zip, Strava bulk export, Garmin account export) -> `Activity` and `Skipped`.
- `iter_path(path)`: a file or a folder walked recursively in sorted order.
- `scan_file(name, data, known=...)`: like `iter_file`, but a file whose content hash
  ``known`` accepts is yielded as `Known` without being decoded (fast re-import).

Nothing raises for bad input; every problem is a `Skipped(name, reason)`.
"""

from backstride.ingest.archive import DEFAULT_LIMITS, Limits
from backstride.ingest.model import SPORTS, Activity, ImportItem, Known, Skipped, Streams
from backstride.ingest.reader import iter_file, iter_path, read_file, scan_file

__all__ = [
    "DEFAULT_LIMITS",
    "SPORTS",
    "Activity",
    "ImportItem",
    "Known",
    "Limits",
    "Skipped",
    "Streams",
    "iter_file",
    "iter_path",
    "read_file",
    "scan_file",
]
