"""Pages nested deeper than a parser or a tree walk follows: read whole, never silently.

libxml2 stops building a page's tree at 256 levels of nesting (2,048 with
``XML_PARSE_HUGE``, lxml's ``huge_tree``) and drops everything after that point: behind
300 ``<div>``s a hidden gambling link, a typo and a mobile number were missed, and
behind 3,000 not even the links were extracted. A page's author can nest as deep as
they like, so:

* pages are parsed with ``huge_tree`` (:func:`html_parser`), and
* a tree deeper than ``MAX_DEPTH`` (512, the depth at which Blink and WebKit stop
  nesting too), or one libxml2 cut short, is parsed again from markup whose middle
  levels are left out (:func:`flatten_nesting`). What is kept on every path: the
  ``KEEP_OUTER`` outermost levels (the page's layout) and the ``KEEP_INNER`` levels
  around the content (an element whose own subtree is that shallow, wherever it is),
  which is where a hiding ``style`` sits next to its link. All text, links and images
  stay; only the start and end tags of the long wrapper chains go, and with them
  whatever those wrappers' own attributes said (an element that hid a whole deep
  subtree). That is a cut, and the caller records it (:class:`NestingCut`).

Bounding the depth also keeps every recursive walk over the tree (the Python twin of
the visible-text walk, the hidden-link ancestry) well inside Python's recursion limit.

The markup is read with a tokenizer that follows libxml2's rules where they decide
nesting: raw-text elements (``script``, ``style``, ``title``, ``textarea`` …), void
and self-closed elements, end tags that close the open elements above them unless one
of those has a higher end priority (``</div>`` does not leave a ``<td>``). It runs only
on the rare page that needs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lxml import etree

MAX_DEPTH = 512
KEEP_OUTER = 100
KEEP_INNER = 300

# An element deeper than MAX_DEPTH (the root element is level 1): one pass over the
# tree in libxml2's XPath engine (~4% of the parse of a 100 KB page).
_DEEPER_THAN_MAX = etree.XPath("boolean(" + "/*" * (MAX_DEPTH + 1) + ")")

_LAST_LEVEL = etree.XPath("/*" * (MAX_DEPTH - 1))  # whose children are at MAX_DEPTH
_LINK_TAGS = frozenset({"a", "area", "img", "iframe", "frame", "embed", "source", "object"})

_TOKEN = re.compile(
    rb"<(?:"
    rb"!--.*?(?:-->|\Z)"  # comment
    rb"|[!?][^>]*+(?:>|\Z)"  # doctype, bogus comment, processing instruction
    rb"|/([A-Za-z][^\s/>]*+)[^>]*+(?:>|\Z)"  # end tag
    rb"|([A-Za-z][^\s/>]*+)((?:\s*+=\s*+(?:\"[^\"]*+\"|'[^']*+')|[^>])*+)(?:>|\Z)"  # start tag
    rb")",
    re.DOTALL,
)
_RAW_TEXT = frozenset(
    [b"script", b"style", b"title", b"textarea", b"xmp", b"iframe", b"noembed", b"noframes"]
)
_RAW_END = {name: re.compile(rb"</" + name + rb"[\s/>]", re.IGNORECASE) for name in _RAW_TEXT}
_SELF_CLOSED = re.compile(rb"(?:\A|[\s\"'])/\s*\Z")  # <div/>, <div class="a" />: not <a href=/x/>
_VOID = frozenset(
    b"area base basefont bgsound br col embed frame hr img input isindex keygen link meta "
    b"param source track wbr".split()
)
# libxml2's htmlEndPriority: a misplaced end tag closes only elements of lower or
# equal priority; any other name has 100.
_END_PRIORITY = {
    b"div": 150,
    b"td": 160,
    b"th": 160,
    b"tr": 170,
    b"thead": 180,
    b"tbody": 180,
    b"tfoot": 180,
    b"table": 190,
    b"head": 200,
    b"body": 200,
    b"html": 220,
}


@dataclass(frozen=True)
class NestingCut:
    """A page read with its middle levels of nesting left out."""

    levels: int  # how deep its markup nests
    dropped: int  # elements whose tags were left out

    def describe(self) -> str:
        return (
            f"标签嵌套 {self.levels} 层，超过可解析的 {MAX_DEPTH} 层：已略去中间 {self.dropped} 个"
            "嵌套标签后检查（文字和链接都已检查，被略去的标签本身的隐藏样式无法判断）"
        )


def html_parser() -> etree.HTMLParser:
    """The HTML parser for pages: libxml2's, with its limits for huge documents."""
    return etree.HTMLParser(encoding="utf-8", huge_tree=True)


def too_deep(root: Any) -> bool:
    """Whether a parsed tree nests deeper than ``MAX_DEPTH`` (a tree libxml2 cut short
    always does: it stops at 2,048 levels)."""
    return root is not None and bool(_DEEPER_THAN_MAX(root))


def parse_bounded(html: bytes, parser: etree.HTMLParser) -> tuple[Any, NestingCut | None]:
    """The page's tree, at most ``MAX_DEPTH`` deep, and the cut when one was needed.

    Raises what ``etree.fromstring`` raises (an empty document)."""
    root = etree.fromstring(html, parser=parser)
    if not too_deep(root):
        return root, None
    cut = None
    for outer, inner in ((KEEP_OUTER, KEEP_INNER), (KEEP_OUTER // 4, KEEP_INNER // 4)):
        flat, cut = flatten_nesting(html, outer, inner)
        if cut is None:  # the markup does not nest as libxml2 did: keep libxml2's tree
            break
        root = etree.fromstring(flat, parser=parser)
        if not too_deep(root):
            break
    if too_deep(root):  # markup that misled the tokenizer: cut the tree itself
        _strip_below_max(root)
    return root, cut or NestingCut(MAX_DEPTH + 1, 0)


def _strip_below_max(root: Any) -> None:
    """Last resort: at ``MAX_DEPTH`` and below, only the tags of links, images and frames
    stay; all the text libxml2 built is kept, just not nested."""
    for el in _LAST_LEVEL(root):
        names = {d.tag for d in el.iterdescendants() if isinstance(d.tag, str)}
        etree.strip_tags(el, *(names - _LINK_TAGS))


def flatten_nesting(html: bytes, outer: int, inner: int) -> tuple[bytes, NestingCut | None]:
    """``html`` without the tags of elements nested deeper than ``outer`` levels whose
    own subtree is at least ``inner`` levels deep: no path keeps more than
    ``outer + inner`` levels. ``None`` when no element is that deep (nothing to do)."""
    names: list[bytes] = []
    depths: list[int] = []
    parents: list[int] = []
    tags: list[tuple[int, int]] = []  # the start tag of each element
    end_tags: dict[int, tuple[int, int]] = {}  # the end tag that closed it
    stack: list[int] = []
    open_names: dict[bytes, list[int]] = {}  # stack positions of the open elements, by name
    open_priorities: dict[int, list[int]] = {p: [] for p in set(_END_PRIORITY.values())}

    def element(name: bytes, start: int, end: int) -> int:
        names.append(name)
        depths.append(len(stack) + 1)
        parents.append(stack[-1] if stack else -1)
        tags.append((start, end))
        return len(names) - 1

    def close_to(position: int) -> None:
        while len(stack) > position:
            el = stack.pop()
            open_names[names[el]].pop()
            priority = _END_PRIORITY.get(names[el])
            if priority is not None:
                open_priorities[priority].pop()

    pos = 0
    while (match := _TOKEN.search(html, pos)) is not None:
        pos = match.end()
        end_name, start_name, attributes = match.groups()
        if end_name is not None:
            name = end_name.lower()
            positions = open_names.get(name)
            if not positions:
                continue  # libxml2 ignores it too
            at = positions[-1]
            priority = _END_PRIORITY.get(name, 100)
            if any(p > priority and s and s[-1] > at for p, s in open_priorities.items()):
                continue  # it cannot close what lies between
            end_tags[stack[at]] = match.span()
            close_to(at)
        elif start_name is not None:
            name = start_name.lower()
            el = element(name, *match.span())
            if name in _RAW_TEXT:
                close = _RAW_END[name].search(html, pos)
                if close is None:
                    break
                end = html.find(b">", close.end() - 1)
                pos = len(html) if end < 0 else end + 1
                end_tags[el] = (close.start(), pos)
            elif name == b"plaintext":
                break
            elif name not in _VOID and not _SELF_CLOSED.search(attributes):
                open_names.setdefault(name, []).append(len(stack))
                priority = _END_PRIORITY.get(name)
                if priority is not None:
                    open_priorities[priority].append(len(stack))
                stack.append(el)
    levels = max(depths, default=0)
    if levels <= outer + inner:
        return html, None
    deepest = depths[:]  # the deepest level under each element
    for el in range(len(names) - 1, -1, -1):
        parent = parents[el]
        if parent >= 0 and deepest[el] > deepest[parent]:
            deepest[parent] = deepest[el]
    dropped = [
        el for el in range(len(names)) if depths[el] > outer and deepest[el] - depths[el] >= inner
    ]
    spans = [tags[el] for el in dropped] + [end_tags[el] for el in dropped if el in end_tags]
    spans.sort()
    pieces, last = [], 0
    for start, end in spans:
        pieces.append(html[last:start])
        last = end
    pieces.append(html[last:])
    return b"".join(pieces), NestingCut(levels, len(dropped))
