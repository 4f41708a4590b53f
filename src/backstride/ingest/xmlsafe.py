"""Parse untrusted GPX/TCX bytes with lxml, safely.

Activity files never need a DTD, so any document type declaration is refused before
parsing: that rules out external entities (XXE, `file:///etc/passwd`) and entity
expansion bombs (billion laughs) whatever libxml2 would do with them. The parser itself
is hardened as well (no entity resolution, no network, no DTD loading, default size
limits). Malformed XML gets a second attempt in libxml2's recovery mode, with a warning,
because truncated exports are common and most of their points are still good.

The readers stream (`read_ended`): lxml's ``iterparse`` hands over each wanted element
as it ends, and track points are cleared and dropped once read, so memory stays flat
however long the recording. The same guards apply as to `parse_xml`.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Callable, Iterable, Iterator
from typing import Final, TypeVar

from lxml import etree

from backstride.ingest.errors import UnsafeXmlError, XmlError

_FORBIDDEN: Final = (b"<!DOCTYPE", b"<!ENTITY")
_OPTIONS: Final = {
    "resolve_entities": False,
    "no_network": True,
    "huge_tree": False,
    "load_dtd": False,
    "dtd_validation": False,
    "remove_comments": True,
    "remove_pis": True,
}
# Cleared track points are detached from their parent this many at a time.
_PRUNE_EVERY: Final = 512
T = TypeVar("T")


def _parser(*, recover: bool) -> etree.XMLParser:
    return etree.XMLParser(recover=recover, **_OPTIONS)


def parse_xml(data: bytes) -> tuple[etree._Element, tuple[str, ...]]:
    """The root element, plus warnings (e.g. "read in recovery mode")."""
    _refuse_declarations(data)
    text = _without_leading_space(data)
    try:
        root = etree.fromstring(text, _parser(recover=False))
        warnings: tuple[str, ...] = ()
    except etree.XMLSyntaxError as strict_error:
        try:
            root = etree.fromstring(text, _parser(recover=True))
        except etree.XMLSyntaxError as exc:
            raise XmlError(f"the XML is not readable ({exc})") from exc
        if root is None:
            raise XmlError(f"the XML is not readable ({strict_error})") from strict_error
        warnings = (f"the XML was malformed and was read in recovery mode ({strict_error})",)
    if root.getroottree().docinfo.doctype:
        raise UnsafeXmlError("XML document type declarations are not accepted")
    return root, warnings


def read_ended(
    data: bytes,
    tags: tuple[str, ...],
    points: str,
    check_root: Callable[[etree._Element], None],
    consume: Callable[[Iterable[tuple[str, etree._Element]]], T],
) -> tuple[T, tuple[str, ...]]:
    """Stream the elements named in ``tags`` to ``consume`` as each one ends.

    ``tags`` are lxml tag patterns (``"{*}trkpt"``: any namespace). ``consume`` gets
    ``(local name, element)`` pairs in the order the elements end (a track point before
    its track) and must read what it needs from each element before asking for the
    next: every element handed over is then cleared, and those whose local name is
    ``points`` are also detached from their parent, so a long recording never sits in
    memory whole. ``check_root`` sees the document's root element first (also
    when no wanted element occurs) and raises to refuse the document.

    Returns what ``consume`` returns, and warnings ("read in recovery mode"). As in
    `parse_xml`, declarations are refused before parsing and malformed XML is read
    again, from the start, in recovery mode.
    """
    _refuse_declarations(data)
    text = _without_leading_space(data)
    try:
        return consume(_ended(text, tags, points, check_root, recover=False)), ()
    except etree.XMLSyntaxError as strict_error:
        try:
            result = consume(_ended(text, tags, points, check_root, recover=True))
        except etree.XMLSyntaxError as exc:
            raise XmlError(f"the XML is not readable ({exc})") from exc
        except _NoRootError:
            raise XmlError(f"the XML is not readable ({strict_error})") from strict_error
        return result, (f"the XML was malformed and was read in recovery mode ({strict_error})",)
    except _NoRootError as exc:  # pragma: no cover - libxml2 raises first in strict mode
        raise XmlError("the XML is not readable (no root element)") from exc


class _NoRootError(Exception):
    """Recovery mode found no element at all."""


def _ended(
    text: bytes,
    tags: tuple[str, ...],
    points: str,
    check_root: Callable[[etree._Element], None],
    *,
    recover: bool,
) -> Iterator[tuple[str, etree._Element]]:
    context = etree.iterparse(
        io.BytesIO(text), events=("end",), tag=tags, recover=recover, **_OPTIONS
    )
    names: dict[str, str] = {}
    checked = False
    ended = 0
    for _, element in context:
        if not checked:
            _check_tree(element.getroottree(), check_root)
            checked = True
        tag = element.tag
        name = names.get(tag)
        if name is None:
            name = names[tag] = local_name(element)
        yield name, element
        element.clear(keep_tail=True)
        if name == points:
            ended += 1
            if ended % _PRUNE_EVERY == 0:
                parent = element.getparent()
                if parent is not None:
                    del parent[: parent.index(element)]
    root = context.root
    if root is None:
        raise _NoRootError
    if not checked:
        _check_tree(root.getroottree(), check_root)


def _check_tree(tree: etree._ElementTree, check_root: Callable[[etree._Element], None]) -> None:
    if tree.docinfo.doctype:
        raise UnsafeXmlError("XML document type declarations are not accepted")
    check_root(tree.getroot())


def _refuse_declarations(data: bytes) -> None:
    sample = data
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        sample = data.decode("utf-16", errors="replace").encode("utf-8")
    for marker in _FORBIDDEN:
        if marker in sample:
            raise UnsafeXmlError(
                "XML document type or entity declarations are not accepted "
                "(activity files never need them, and they enable entity attacks)"
            )


def _without_leading_space(data: bytes) -> bytes:
    """Drop whitespace before the XML declaration (after a BOM), which libxml2 rejects."""
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    body = data[len(bom) :]
    stripped = body.lstrip()
    return stripped if len(stripped) != len(body) else data


def local_name(element: etree._Element) -> str:
    """Tag without its namespace ('{http://www.topografix.com/GPX/1/1}trkpt' -> 'trkpt')."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag[tag.rfind("}") + 1 :]
