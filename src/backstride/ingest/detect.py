"""Tell formats apart by their bytes, never by the file name.

Names lie (a `.fit` that is really gzip, a `.gpx` saved as `.xml`); magic numbers and
XML root elements do not.
"""

from __future__ import annotations

import codecs
import re
from enum import StrEnum
from typing import Final


class Kind(StrEnum):
    FIT = "fit"
    GPX = "gpx"
    TCX = "tcx"
    GZIP = "gzip"
    ZIP = "zip"
    EMPTY = "empty"
    OTHER_XML = "other XML"
    UNKNOWN = "unknown"


_GZIP_MAGIC: Final = b"\x1f\x8b"
_ZIP_MAGICS: Final = (b"PK\x03\x04", b"PK\x05\x06")  # local file header, empty archive
_XML_SNIFF_BYTES: Final = 4096
# The first element that is not a declaration, comment or processing instruction.
_ROOT_TAG: Final = re.compile(rb"<\s*([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")


def sniff(data: bytes) -> Kind:
    if not data:
        return Kind.EMPTY
    if len(data) >= 12 and data[0] >= 12 and data[8:12] == b".FIT":
        return Kind.FIT
    if data.startswith(_GZIP_MAGIC):
        return Kind.GZIP
    if data.startswith(_ZIP_MAGICS):
        return Kind.ZIP
    return _sniff_xml(data[:_XML_SNIFF_BYTES])


def _sniff_xml(head: bytes) -> Kind:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    head = head.removeprefix(codecs.BOM_UTF8).lstrip()
    if not head.startswith(b"<"):
        return Kind.UNKNOWN
    position = 0
    while True:
        start = head.find(b"<", position)
        if start < 0 or start + 1 >= len(head):
            return Kind.OTHER_XML
        follower = head[start + 1 : start + 2]
        if follower in (b"?", b"!"):
            end = head.find(b">", start)
            if end < 0:
                return Kind.OTHER_XML
            position = end + 1
            continue
        match = _ROOT_TAG.match(head, start)
        if match is None:
            return Kind.UNKNOWN
        root = match.group(2).lower()
        if root == b"gpx":
            return Kind.GPX
        if root == b"trainingcenterdatabase":
            return Kind.TCX
        return Kind.OTHER_XML
