"""Open gzip and zip wrappers without trusting them.

Limits apply to the whole upload, across nesting: how many members, how many bytes once
decompressed, how deep archives nest, and how much a member may expand relative to its
compressed size (a zip bomb expands thousands of times; real activity files 3-40 times).
Sizes are enforced while decompressing, not taken from the archive's own headers.
Member names that are absolute or climb out of the archive are never read.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Final

from backstride.ingest.errors import ArchiveError, ArchiveLimitError, UnsafeMemberNameError

_CHUNK: Final = 1 << 20
_MiB: Final = 1 << 20


@dataclass(frozen=True)
class Limits:
    """Safety limits for one uploaded file or folder entry (and everything inside it)."""

    max_members: int = 50_000
    max_total_bytes: int = 8 * 1024 * _MiB
    max_member_bytes: int = 512 * _MiB
    max_depth: int = 3
    max_ratio: float = 200.0
    ratio_floor_bytes: int = 1 * _MiB
    """Expansion ratios are only judged above this size: tiny files compress oddly."""


DEFAULT_LIMITS: Final = Limits()


class Budget:
    """What an upload has used so far of its `Limits`, shared by all nesting levels."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.members = 0
        self.total_bytes = 0

    def count_members(self, count: int) -> None:
        self.members += count
        if self.members > self.limits.max_members:
            raise ArchiveLimitError(
                f"the upload holds more than {self.limits.max_members:,} files; "
                "split it into smaller archives"
            )

    def allowance(self, compressed_size: int) -> Allowance:
        """How far the next member may expand, and which limit that is."""
        limits = self.limits
        by_ratio = max(int(limits.max_ratio * compressed_size), limits.ratio_floor_bytes)
        remaining = max(0, limits.max_total_bytes - self.total_bytes)
        return min(
            Allowance(
                limits.max_member_bytes,
                f"is larger than {limits.max_member_bytes // _MiB:,} MiB uncompressed",
            ),
            Allowance(
                by_ratio,
                f"expands more than {limits.max_ratio:.0f} times its compressed size (a zip bomb?)",
            ),
            Allowance(
                remaining,
                f"would take the upload past {limits.max_total_bytes // _MiB:,} MiB uncompressed",
            ),
            key=lambda allowance: allowance.bytes,
        )

    def spend(self, size: int) -> None:
        self.total_bytes += size


@dataclass(frozen=True)
class Allowance:
    bytes: int
    reason: str

    def exceeded(self, subject: str) -> ArchiveLimitError:
        return ArchiveLimitError(f"{subject} {self.reason}")


def gunzip(data: bytes, budget: Budget) -> bytes:
    """Inflate in chunks, checking the allowance and the expansion ratio as it goes.

    A bomb is refused after a few chunks (peak memory a few MiB), not after the
    whole allowance has been inflated: the ratio is judged on the compressed
    bytes consumed so far, above ``ratio_floor_bytes`` of output.
    """
    allowance = budget.allowance(len(data))
    limits = budget.limits
    ratio = Allowance(
        allowance.bytes,
        f"expands more than {limits.max_ratio:.0f} times its compressed size (a gzip bomb?)",
    )
    inflater = zlib.decompressobj(wbits=31)
    chunks: list[bytes] = []
    size = 0
    pending = data
    try:
        while pending and not inflater.eof:
            chunk = inflater.decompress(pending, _CHUNK)
            pending = inflater.unconsumed_tail
            chunks.append(chunk)
            size += len(chunk)
            if size > allowance.bytes:
                raise allowance.exceeded("the gzip file")
            consumed = len(data) - len(pending)
            if size > limits.ratio_floor_bytes and size > limits.max_ratio * consumed:
                raise ratio.exceeded("the gzip file")
            if not chunk and pending:  # no progress: corrupt stream
                raise ArchiveError("the gzip data is corrupt (no progress)")
    except zlib.error as exc:
        raise ArchiveError(f"the gzip data is corrupt ({exc})") from exc
    if not inflater.eof:
        raise ArchiveError("the gzip file is truncated")
    budget.spend(size)
    return b"".join(chunks)


# End of central directory records (zip and ZIP64) and their fixed sizes.
_EOCD: Final = b"PK\x05\x06"
_EOCD64_LOCATOR: Final = b"PK\x06\x07"
_EOCD64: Final = b"PK\x06\x06"
_EOCD_SIZE: Final = 22
_MIN_CD_ENTRY: Final = 46  # a central directory entry with an empty name
_CD_BYTES_PER_MEMBER: Final = 1024  # generous: long paths and extra fields


def declared_entries(data: bytes) -> tuple[int, int] | None:
    """(entries, central directory bytes) from the end records, or None if not found.

    Read before ``zipfile.ZipFile`` builds a ZipInfo for every entry, so an
    archive claiming a million entries is refused without building them.
    """
    start = max(0, len(data) - (_EOCD_SIZE + 0xFFFF))
    at = data.rfind(_EOCD, start)
    if at < 0 or len(data) - at < _EOCD_SIZE:
        return None
    entries = int.from_bytes(data[at + 10 : at + 12], "little")
    cd_size = int.from_bytes(data[at + 12 : at + 16], "little")
    locator = at - 20
    if locator >= 0 and data[locator : locator + 4] == _EOCD64_LOCATOR:
        offset = int.from_bytes(data[locator + 8 : locator + 16], "little")
        if 0 <= offset <= len(data) - 56 and data[offset : offset + 4] == _EOCD64:
            entries = max(entries, int.from_bytes(data[offset + 32 : offset + 40], "little"))
            cd_size = max(cd_size, int.from_bytes(data[offset + 40 : offset + 48], "little"))
    return entries, cd_size


@dataclass(frozen=True)
class Member:
    """One regular file inside a zip archive."""

    path: str
    info: zipfile.ZipInfo


def open_zip(data: bytes, budget: Budget | None = None) -> zipfile.ZipFile:
    """The archive, after its end record showed it within the budget's member limit."""
    declared = declared_entries(data)
    if budget is not None and declared is not None:
        entries, cd_size = declared
        room = budget.limits.max_members - budget.members
        if entries > room:
            said = f"the archive lists {entries:,} entries"
        elif cd_size > max(room, 1) * _CD_BYTES_PER_MEMBER:
            said = f"its directory has room for up to {cd_size // _MIN_CD_ENTRY:,} entries"
        else:
            said = ""
        if said:
            raise ArchiveLimitError(
                f"the upload holds more than {budget.limits.max_members:,} files "
                f"({said}); split it into smaller archives"
            )
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ValueError,
        EOFError,
        NotImplementedError,  # "zip file version 21.2" (found by the hunt profile)
    ) as exc:
        raise ArchiveError(f"not a readable zip archive ({exc})") from exc


def members(archive: zipfile.ZipFile, budget: Budget) -> Iterator[Member]:
    """Regular files of the archive, sorted by name so imports are deterministic."""
    files = [info for info in archive.infolist() if not info.is_dir()]
    budget.count_members(len(files))
    for info in sorted(files, key=lambda item: item.filename):
        yield Member(info.filename, info)


def check_member_name(name: str) -> None:
    path = PurePosixPath(name.replace("\\", "/"))
    if (
        path.is_absolute()
        or ".." in path.parts
        or (path.parts and path.parts[0].endswith(":"))  # C:/...
        or "\0" in name
    ):
        raise UnsafeMemberNameError(f"unsafe path inside the archive ({name!r}); not read")


def read_member(archive: zipfile.ZipFile, member: Member, budget: Budget) -> bytes:
    """The member's bytes, decompressed under the budget's limits."""
    info = member.info
    if info.flag_bits & 0x1:
        raise ArchiveError("the file is encrypted")
    allowance = budget.allowance(info.compress_size)
    if info.file_size > allowance.bytes:
        raise allowance.exceeded("the file")
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as stream:
            # Read no further than the allowance, whatever the header claimed.
            while chunk := stream.read(min(_CHUNK, allowance.bytes + 1 - size)):
                chunks.append(chunk)
                size += len(chunk)
                if size > allowance.bytes:
                    raise allowance.exceeded("the file")
    except ArchiveLimitError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as exc:
        raise ArchiveError(f"the archive member cannot be read ({exc})") from exc
    budget.spend(size)
    return b"".join(chunks)
