"""Read back what a PDF written by fpdf2 with its built-in fonts says, and count its pages.

Enough for the tests of our own PDFs (no PDF library is a dependency): each content
stream is inflated and the strings shown with ``Tj`` are unescaped and joined, one line
per ``Tj``.
"""

from __future__ import annotations

import contextlib
import re
import zlib

# The line end before "endstream" is left in: a compressed stream may end in a byte
# that looks like one, and the inflater ignores what follows the data.
_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)
_SHOWN = re.compile(rb"\(((?:[^()\\]|\\.)*)\)\s*Tj", re.S)
_ESCAPE = re.compile(rb"\\([nrtbf()\\]|[0-7]{1,3})")
_NAMED = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(raw: bytes) -> bytes:
    def one(match: re.Match[bytes]) -> bytes:
        code = match.group(1)
        if code in _NAMED:
            return _NAMED[code]
        if code[:1].isdigit():
            return bytes([int(code, 8)])
        return code

    return _ESCAPE.sub(one, raw)


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", data))


def pdf_lines(data: bytes) -> list[str]:
    """Every string the PDF shows, in drawing order."""
    lines = []
    for stream in _STREAM.finditer(data):
        body = stream.group(1)
        with contextlib.suppress(zlib.error):
            body = zlib.decompressobj().decompress(body)
        lines += [_unescape(m.group(1)).decode("latin-1") for m in _SHOWN.finditer(body)]
    return lines


def pdf_text(data: bytes) -> str:
    """The PDF's text as one string, lines joined by spaces (sentences wrap across lines)."""
    return " ".join(" ".join(pdf_lines(data)).split())
