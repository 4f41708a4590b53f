"""Parse untrusted GPX/TCX bytes with lxml, safely.

Activity files never need a DTD, so any document type declaration is refused before
parsing: that rules out external entities (XXE, `file:///etc/passwd`) and entity
expansion bombs (billion laughs) whatever libxml2 would do with them. The parser itself
is hardened as well (no entity resolution, no network, no DTD loading, default size
limits). Malformed XML gets a second attempt in libxml2's recovery mode, with a warning,
because truncated exports are common and most of their points are still good.
"""

from __future__ import annotations

import codecs
from typing import Final

from lxml import etree

from backstride.ingest.errors import UnsafeXmlError, XmlError

_FORBIDDEN: Final = (b"<!DOCTYPE", b"<!ENTITY")


def _parser(*, recover: bool) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
        recover=recover,
    )


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
