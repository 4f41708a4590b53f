"""Parse untrusted GPX/TCX bytes with lxml, safely.

Activity files never need a DTD, so any document type declaration is refused before
parsing: that rules out external entities (XXE, `file:///etc/passwd`) and entity
expansion bombs (billion laughs) whatever libxml2 would do with them. The parser itself
is hardened as well (no entity resolution, no network, no DTD loading, default size
limits). Malformed XML gets a second attempt in libxml2's recovery mode, with a warning,
because truncated exports are common and most of their points are still good.

The readers stream (`read_streamed`): lxml's pull parser is fed a chunk at a time and
makes events only for point containers and the elements a reader acts on when they
end; the completed points are handed over in batches and dropped once read, so memory
stays flat however long the recording, and no Python object is made per point before
the reader asks for it. The same guards apply as to `parse_xml`.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
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
# Bytes fed to the parser at a time, and the fewest complete points handed over
# between events (memory holds about a chunk's points more than that).
_CHUNK: Final = 32 * 1024
_BATCH: Final = 32
# Documents up to this size are parsed whole (see `_walked`): their tree costs a few
# times the bytes, tens of megabytes at most. Longer ones are pushed a chunk at a time.
WHOLE_DOCUMENT_MAX: Final = 8 * 1024 * 1024
T = TypeVar("T")


def _parser(*, recover: bool, blank_text: bool = True) -> etree.XMLParser:
    """The hardened parser; ``blank_text=False`` leaves out the whitespace between
    elements, for a document parsed whole only.

    That whitespace is layout, never a value, and leaving it out parses faster. libxml2
    keeps a blank text that is an element's only content (``<ele> </ele>`` still reads
    " "), but decides by looking at what follows it, which a parser fed in chunks may
    not have yet: so only a document parsed whole drops blank text.
    """
    return etree.XMLParser(recover=recover, remove_blank_text=not blank_text, **_OPTIONS)


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


@dataclass(frozen=True, slots=True)
class Ended:
    """An element named in ``ends`` has ended (``name``: its local name)."""

    name: str
    element: etree._Element


@dataclass(frozen=True, slots=True)
class Points:
    """Complete point elements of a container, in document order."""

    elements: list[etree._Element]


def read_streamed(
    data: bytes,
    *,
    points: str,
    containers: str,
    is_container: Callable[[etree._Element], bool],
    ends: tuple[str, ...],
    check_root: Callable[[etree._Element], None],
    consume: Callable[[Iterable[Ended | Points]], T],
) -> tuple[T, tuple[str, ...]]:
    """Stream a document's points, in batches, and the elements named in ``ends``.

    ``points``, ``containers`` and ``ends`` are local names, in any namespace. A
    container (``trkseg``, ``Track``) for which ``is_container`` holds when it starts
    (it sees the ancestors, not yet the content) hands over its ``points`` children as
    `Points`, a batch at a time as the parser completes them; other children are
    skipped. Every batch is removed from the tree once ``consume`` asks for what comes
    next, so a long recording never sits in memory whole. The elements named in
    ``ends`` come as `Ended` when they end, and are cleared once ``consume`` asks for
    what comes next. Everything arrives in document order: a batch holds the points
    that end before the next `Ended` (a `Ended` element inside a point that has not
    ended yet comes first, and is cleared before the point is read, as when each
    point was handed over as it ended). ``check_root`` sees the document's root element
    first (also when no wanted element occurs) and raises to refuse the document.

    Returns what ``consume`` returns, and warnings ("read in recovery mode").
    Declarations are refused before parsing, and malformed XML is read again, from
    the start, in recovery mode.
    """
    _refuse_declarations(data)
    text = _without_leading_space(data)
    wanted = _Wanted(points, containers, is_container, ends, check_root)
    try:
        return consume(_streamed(text, wanted, recover=False)), ()
    except etree.XMLSyntaxError as strict_error:
        try:
            result = consume(_streamed(text, wanted, recover=True))
        except etree.XMLSyntaxError as exc:
            raise XmlError(f"the XML is not readable ({exc})") from exc
        except _NoRootError:
            raise XmlError(f"the XML is not readable ({strict_error})") from strict_error
        return result, (f"the XML was malformed and was read in recovery mode ({strict_error})",)
    except _NoRootError as exc:  # pragma: no cover - libxml2 raises first in strict mode
        raise XmlError("the XML is not readable (no root element)") from exc


class _NoRootError(Exception):
    """Recovery mode found no element at all."""


@dataclass(frozen=True)
class _Wanted:
    points: str
    containers: str
    is_container: Callable[[etree._Element], bool]
    ends: tuple[str, ...]
    check_root: Callable[[etree._Element], None]


def _streamed(text: bytes, wanted: _Wanted, *, recover: bool) -> Iterator[Ended | Points]:
    """`read_streamed`'s items, from the parser's events a round at a time.

    Only the containers' starts and ends and the ``ends`` elements make events, not
    every point. After each round of events the open container's children but the
    last (which the parser may still be filling) are complete, and are handed over.
    """
    tags = tuple(f"{{*}}{name}" for name in (wanted.containers, *wanted.ends))
    point_tag = f"{{*}}{wanted.points}"
    names: dict[object, str] = {}
    open_containers: list[etree._Element] = []
    checked = False
    rounds = _pulled if len(text) > WHOLE_DOCUMENT_MAX else _walked
    root: list[etree._Element] = []
    for events in rounds(text, tags, recover=recover, root=root):
        for event, element in events:
            if not checked:
                _check_tree(element.getroottree(), wanted.check_root)
                checked = True
            tag = element.tag
            name = names.get(tag)
            if name is None:
                name = names[tag] = local_name(element)
            if name == wanted.containers:
                if event == "start":
                    if open_containers:  # (GPX and TCX containers never nest)
                        yield from _before(open_containers[-1], element, point_tag)
                    if wanted.is_container(element):
                        open_containers.append(element)
                    continue
                if open_containers and open_containers[-1] is element:
                    yield from _batch(element, len(element), point_tag)
                    open_containers.pop()
                if name not in wanted.ends:
                    continue
            if event == "start":
                continue
            if open_containers:
                yield from _before(open_containers[-1], element, point_tag)
            yield Ended(name, element)
            element.clear(keep_tail=True)
        if open_containers:
            container = open_containers[-1]
            complete = len(container) - 1
            if complete >= _BATCH:
                yield from _batch(container, complete, point_tag)
    if not root:  # pragma: no cover - recovery mode raises instead
        raise _NoRootError
    if not checked:
        _check_tree(root[0].getroottree(), wanted.check_root)


_Events = Iterable[tuple[str, etree._Element]]


def _pulled(
    text: bytes, tags: tuple[str, ...], *, recover: bool, root: list[etree._Element]
) -> Iterator[_Events]:
    """A round of events per chunk fed to lxml's pull parser; ``root`` gets the root."""
    parser = etree.XMLPullParser(events=("start", "end"), tag=tags, recover=recover, **_OPTIONS)
    for start in range(0, len(text), _CHUNK):
        parser.feed(text[start : start + _CHUNK])
        yield parser.read_events()
    found = parser.close()  # the end: recovery mode closes what is still open
    if found is not None:
        root.append(found)
    yield parser.read_events()


def _walked(
    text: bytes, tags: tuple[str, ...], *, recover: bool, root: list[etree._Element]
) -> Iterator[_Events]:
    """One round: the same events, walked over the whole document parsed at once.

    Parsed whole, the document can leave out its blank text (`_parser`), which
    takes about a quarter off the parse, so a document small enough to hold whole is
    read that way; the tree is still emptied as it is read.
    """
    found = etree.fromstring(text, _parser(recover=recover, blank_text=False))
    if found is None:
        return
    root.append(found)
    yield _start_and_end(found, tags)


def _start_and_end(root: etree._Element, tags: tuple[str, ...]) -> _Events:
    """The "start" and "end" events of the elements with these tags, as `iterwalk` gives
    them, from lxml's tag-filtered walk (which makes no Python object for the elements
    between). An element ends when the next one found is not inside it.

    The consumer may empty an element once it has ended, or remove a container's
    points at its end: by then the walk is past them.
    """
    opened: list[etree._Element] = []
    for element in root.iter(tags):
        while opened and not _inside(element, opened[-1]):
            yield "end", opened.pop()
        yield "start", element
        opened.append(element)
    while opened:
        yield "end", opened.pop()


def _inside(element: etree._Element, ancestor: etree._Element) -> bool:
    parent = element.getparent()
    while parent is not None:
        if parent is ancestor:
            return True
        parent = parent.getparent()
    return False


def _batch(container: etree._Element, complete: int, point_tag: str) -> Iterator[Points]:
    """The points among the first ``complete`` children, which are then removed."""
    if complete <= 0:
        return
    children = len(container)
    after = None  # the first point after those children
    if complete < children:
        after = next(container[complete - 1].itersiblings(point_tag), None)
    if after is None or complete == children - 1:  # all, or all but the child being parsed
        found = list(container.iterchildren(point_tag))
        if after is not None:
            found.pop()
    else:  # before an element that ended inside: the parser may have read far ahead
        found = []
        for point in container.iterchildren(point_tag):
            if point is after:
                break
            found.append(point)
    if found:
        yield Points(found)
        # Without Python objects left for its elements, libxml2 frees each point at
        # once; lxml would otherwise first copy namespace declarations into it.
        found.clear()
    del container[:complete]


def _before(container: etree._Element, element: etree._Element, point_tag: str) -> Iterator[Points]:
    """The container's points that end before ``element``, when it lies inside."""
    child = element
    while True:
        parent = child.getparent()
        if parent is None:
            return
        if parent is container:
            break
        child = parent
    yield from _batch(container, container.index(child), point_tag)


def _check_tree(tree: etree._ElementTree, check_root: Callable[[etree._Element], None]) -> None:
    if tree.docinfo.doctype:
        raise UnsafeXmlError("XML document type declarations are not accepted")
    check_root(tree.getroot())


def _refuse_declarations(data: bytes) -> None:
    sample = data
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        sample = data.decode("utf-16", errors="replace").encode("utf-8")
    if not _declares(sample):
        return
    for marker in _FORBIDDEN:
        if marker in sample:
            raise UnsafeXmlError(
                "XML document type or entity declarations are not accepted "
                "(activity files never need them, and they enable entity attacks)"
            )


def _declares(data: bytes) -> bool:
    """Whether ``<!`` occurs (declarations, comments, CDATA): most files have no ``!``.

    Looking for the rare ``!`` alone runs at memory speed, where ``<!`` or ``<!DOCTYPE``
    stop at every ``<``.
    """
    at = data.find(b"!")
    while at != -1:
        if at and data[at - 1] == _LT:
            return True
        at = data.find(b"!", at + 1)
    return False


_LT: Final = ord("<")


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
