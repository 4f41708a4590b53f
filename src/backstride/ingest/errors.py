"""Typed errors of the importer.

Every error carries a message a user can act on ("the FIT file is truncated at byte
1,234 of 5,678"), because the import service shows it next to the skipped file name.
Callers normally never see these: `reader.read_file` turns each one into a `Skipped`.
"""

from __future__ import annotations


class IngestError(Exception):
    """A file (or archive member) could not be turned into activities."""


class EmptyFileError(IngestError):
    """The file has no bytes at all."""


class UnsupportedFormatError(IngestError):
    """The bytes are not a format the importer reads (FIT, GPX, TCX, gzip, zip)."""


class NotAnActivityError(IngestError):
    """A readable file that holds no activity (a route, a settings or monitoring FIT file)."""


class NoActivityDataError(IngestError):
    """An activity file without usable samples (metadata only, no track points)."""


class CorruptFileError(IngestError):
    """The file claims a format but its content breaks that format's rules."""


class InvalidValueError(CorruptFileError):
    """Too many samples carry values that are not numbers or out of range."""


class FitError(CorruptFileError):
    """A FIT file the decoders cannot read."""


class FitHeaderError(FitError):
    """The 12/14-byte FIT file header is missing or malformed."""


class FitTruncatedError(FitError):
    """The FIT file ends before the size its header declares."""


class FitCrcError(FitError):
    """A FIT header or file CRC does not match the bytes."""


class FitStructureError(FitError):
    """A FIT message refers to an undefined local type or a definition is malformed."""


class FitFastPathUnsupportedError(FitError):
    """The vectorised decoder met a construct it does not handle; use the reference decoder."""


class XmlError(CorruptFileError):
    """The XML could not be parsed, even in recovery mode."""


class UnsafeXmlError(XmlError):
    """The XML declares entities or a DTD; refused to prevent entity-expansion attacks."""


class ArchiveError(IngestError):
    """A zip or gzip wrapper that cannot be opened."""


class ArchiveLimitError(ArchiveError):
    """An archive exceeds a safety limit (size, member count, nesting, compression ratio)."""


class UnsafeMemberNameError(ArchiveError):
    """A zip member name that is absolute or climbs out of the archive (`../`)."""


class StreamsFormatError(IngestError):
    """A stored streams blob is not in a format this version can decode."""
