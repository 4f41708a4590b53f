"""Use case: a person's whole record as one archive, and that archive read back.

``export_all`` writes everything a person has (their assessments, plans, check-ins,
the walk-run programme, the run log with its streams, shoes, the original activity
files, and what their clinician linked, raised or changed) as one zip: a JSON
document of every row plus the original files (ADR 13). ``restore`` reads such an
archive into an empty record, in one transaction, or refuses it with every reason.

The table-level work is the database adapter's (``adapters/db/record_export.py``);
this module holds what the entry points share and see: the summaries, the refusal,
the size limit and the file name. It imports no framework.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import BinaryIO, Final, Protocol

from backstride.services.ports import Clock
from backstride.services.validation import Refused

FORMAT: Final = "backstride.export"
VERSION: Final = 1
MAX_ARCHIVE_BYTES: Final = 4 << 30
"""The largest archive ``restore`` reads (4 GiB): an export is the record's rows and
the person's original files, zipped; years of daily runs are well under a GiB."""


class RestoreRefused(Refused):
    """The archive was not restored, and nothing was written; one reason per problem."""


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What an export holds: rows per table, and the original files."""

    rows: Mapping[str, int]
    files: int


@dataclass(frozen=True, slots=True)
class RestoreSummary:
    """What a restore wrote, into whose record."""

    owner_id: int
    username: str
    rows: Mapping[str, int]
    files: int
    renumbered: tuple[str, ...] = ()
    """Tables whose rows got new ids (the database held other people's rows there)."""
    left_out: tuple[str, ...] = field(default=())
    """Rows not restored, and why (a clinician this database has no account for)."""


class RecordArchives(Protocol):
    """Where records are exported from and restored to (``bootstrap.Storage``)."""

    def export_record(
        self, out: BinaryIO, owner: int, *, exported_at: datetime
    ) -> ExportSummary: ...

    def restore_record(
        self, archive: bytes, *, owner_username: str | None, link_clinicians: bool
    ) -> RestoreSummary: ...


def export_all(archives: RecordArchives, clock: Clock, out: BinaryIO, owner: int) -> ExportSummary:
    """Write ``owner``'s whole record to ``out`` (a zip; see the module docstring)."""
    return archives.export_record(out, owner, exported_at=clock.now())


def restore(
    archives: RecordArchives,
    archive: bytes,
    owner_username: str | None = None,
    *,
    link_clinicians: bool = False,
) -> RestoreSummary:
    """Read an export into the empty record of ``owner_username`` (the local account
    when not given). Raises ``RestoreRefused`` with every problem; nothing is written
    then.

    The links to clinicians (and their alerts and changes) come back only with
    ``link_clinicians``, to clinicians' accounts of the same username: a link lets
    that account read the record, so it is the operator's decision, not a name's."""
    if len(archive) > MAX_ARCHIVE_BYTES:
        raise RestoreRefused([f"the archive is larger than {MAX_ARCHIVE_BYTES >> 30} GiB"])
    return archives.restore_record(
        archive, owner_username=owner_username, link_clinicians=link_clinicians
    )


def export_file_name(day: date) -> str:
    """What a download or a default output file is called."""
    return f"backstride-export-{day.isoformat()}.zip"


def summary_lines(rows: Mapping[str, int], files: int) -> list[str]:
    """``12 assessments, 40 checkins, …`` for the tables with rows, then the files."""
    counted = [
        f"{count} {table}"
        for table, count in sorted(rows.items())
        if count and table not in ("activity_totals", "activity_sources")
    ]
    counted.append(f"{files} original file{'' if files == 1 else 's'}")
    return counted
