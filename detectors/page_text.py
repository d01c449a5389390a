"""What a visitor reads on a page: the text the term and privacy detectors look at.

``visible_text(root)`` walks the lxml tree once and returns a ``PageText``: one string
(``text``) plus ``segments`` saying which stretch came from the ``<title>``, the meta
description, an image's ``alt`` or the body, so a finding can say 标题/页面描述/图片说明/正文.

Rules, and why:

* Only what is rendered counts. ``<script>``, ``<style>``, ``<template>``, ``<noscript>``
  (shown only with JavaScript off, i.e. to almost nobody; portals put boilerplate there),
  comments, ``<head>`` (except title and description), form controls' hidden values,
  elements with the ``hidden`` attribute or an inline ``display:none`` /
  ``visibility:hidden`` are skipped. Stylesheets are not evaluated: a class that hides
  an element is not seen (that is the hidden-link detector's business).
* Block elements (``p``, ``div``, ``td``, ``li``, ``br`` …) separate their content with
  ``"\\n"`` so that no term is formed across two cells or paragraphs; inline elements
  (``span``, ``a``, ``b``, ``font`` …) do not, so ``布<span>署</span>`` reads 布署, as
  the visitor sees it. Unknown (custom) tags count as inline, as browsers treat them.
* Whitespace is collapsed as a browser does: runs of spaces, tabs and source newlines
  become one space; separators swallow the spaces around them. ``&nbsp;`` and the
  full-width space also collapse (they carry no meaning for the detectors).

Speed: the walk is a plain recursion over lxml children that appends raw strings to a
list; whitespace is normalised afterwards over the joined string with ``str.split``/
``join`` (C loops; 4× faster than regex substitution), not per text node. Block breaks
are emitted as ``\\x00`` (lxml never returns it: the parser turns it into U+FFFD) and alt
texts are bracketed by ``\\x01``/``\\x02``, so the final pass can tell separators from
source newlines and locate alt texts after the whitespace has moved them; a page whose
own text holds ``\\x01``/``\\x02`` (the HTML parser keeps them) is detected by counting
and read again with them scrubbed. Hidden elements are found by two attribute lookups per
element (one XPath over the tree is slower: libxml2 evaluates it at ~55 MB/s). Measured
on generated government pages: ~35 MB/s of HTML, about 2.5× the time lxml takes to parse
it; half of it is lxml creating one proxy object per element. The tree is never
modified: the crawler's other detectors read the same tree.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from lxml import etree
from lxml import html as lxml_html

logger = logging.getLogger(__name__)

Source = Literal["title", "meta", "alt", "body"]

SOURCE_LABELS: dict[str, str] = {
    "title": "标题",
    "meta": "页面描述",
    "alt": "图片说明",
    "body": "正文",
}

# Elements whose content a visitor never sees rendered as text.
SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "template",
        "noscript",
        "head",
        "title",  # read separately, as the 标题 segment
        "meta",
        "link",
        "iframe",  # the fallback text inside is not shown when frames work
        "object",
        "embed",
        "canvas",
        "svg",
        "math",
        "map",
        "audio",
        "video",
    }
)

# Elements that start a new line: no term may run across their boundary.
BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "button",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "label",
        "legend",
        "li",
        "main",
        "marquee",
        "menu",
        "nav",
        "ol",
        "optgroup",
        "option",
        "p",
        "pre",
        "section",
        "select",
        "summary",
        "table",
        "tbody",
        "td",
        "textarea",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    }
)

_BUTTON_INPUTS = frozenset({"submit", "button", "reset"})
_HIDING_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

_BREAK = "\x00"  # block separator while building
_ALT_OPEN = "\x01"
_ALT_CLOSE = "\x02"
_SCRUB: dict[int, None] = dict.fromkeys((0, 1, 2))


@dataclass(frozen=True)
class PageText:
    """The visible text of a page and where each stretch of it came from.

    ``segments`` are ``(start, end, source)`` triples in order, covering every
    non-separator character of ``text``. A body segment runs over its own block
    separators; the ``"\\n"`` between two segments belongs to neither.
    """

    text: str
    segments: tuple[tuple[int, int, Source], ...] = field(default_factory=tuple)

    def source_at(self, offset: int) -> Source:
        """The source (``title``/``meta``/``alt``/``body``) of the character at ``offset``.

        Offsets on a separator or outside any segment count as ``body``: a finding
        always has a place to name."""
        starts = [s for s, _e, _src in self.segments]
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0:
            start, end, source = self.segments[i]
            if start <= offset < end:
                return source
        return "body"

    def label_at(self, offset: int) -> str:
        """Chinese name of the source at ``offset`` (标题/页面描述/图片说明/正文)."""
        return SOURCE_LABELS[self.source_at(offset)]


def _read(body, scrub: dict[int, None] | None) -> tuple[str, int]:
    """The raw visible text under ``body`` (markers not yet cleaned) and how many alts.

    A closure over a local list: each element costs one lxml proxy (the tree walk's
    unavoidable price, half of the time), a tag test, two attribute lookups (``hidden``,
    ``style``: cheaper than one XPath over the tree, which libxml2 evaluates at ~55 MB/s)
    and its text and tail. ``scrub``, when given, is a translate table applied to every
    string (the rare pages whose text contains our marker characters).
    Recursion depth is bounded by libxml2's nesting limit (256), well below Python's."""
    out: list[str] = []
    append = out.append
    alts = 0

    def walk(el) -> None:
        nonlocal alts
        text = el.text
        if text:
            append(text if scrub is None else text.translate(scrub))
        for child in el:
            tag = child.tag
            if (
                tag.__class__ is not str  # comments and PIs have a function as tag
                or tag in SKIP_TAGS
                or child.get("hidden") is not None
                or ((style := child.get("style")) and _HIDING_STYLE.search(style))
            ):
                pass
            elif tag in BLOCK_TAGS:
                append(_BREAK)
                walk(child)
                append(_BREAK)
            elif tag == "img":
                alt = child.get("alt")
                if alt and (alt := alt.strip()):
                    alts += 1
                    if scrub is not None:
                        alt = alt.translate(scrub)
                    append(_BREAK + _ALT_OPEN + alt + _ALT_CLOSE + _BREAK)
            elif tag == "input":
                if (child.get("type") or "").lower() in _BUTTON_INPUTS:
                    value = child.get("value")
                    if value:
                        append(_BREAK + (value if scrub is None else value.translate(scrub)))
                        append(_BREAK)
            else:
                walk(child)
            tail = child.tail
            if tail:
                append(tail if scrub is None else tail.translate(scrub))

    walk(body)
    return "".join(out), alts


# --- The fast reading: libxml2 serialises the subtree, regular expressions read it ----
#
# ``_read`` creates one lxml proxy per element and runs Python for each of them (~35 MB/s
# of HTML). ``_read_serialized`` gets the same string from ``etree.tostring`` (C, several
# hundred MB/s) and a few passes of ``re`` over it, with Python only for the few tags
# that need a decision (skipped elements, hidden candidates, images, inputs). It relies
# on what libxml2's HTML serialiser guarantees and the probe below checks at import:
# text escapes exactly ``& < >``; attribute values are quoted (``"``, or ``'`` when the
# value holds ``"`` only) with ``& < >`` (and ``"`` in double quotes) escaped; so a raw
# ``<`` or ``>`` outside script/style content and comments is always markup, and every
# non-void element has an end tag. Anything outside that contract (a numeric character
# reference, script content that holds ``</script``, an unknown serialiser) makes it
# return ``None`` and the caller reads the tree with ``_read``: same result, slower.


def _trie(words: list[str]) -> str:
    """A regex alternation of ``words`` as a trie: ``re`` tries alternatives one by one,
    so ``p|pre|div|dl …`` at every ``<`` costs ~5× more than ``d(?:iv|l)|p(?:re)?``."""
    tree: dict = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        optional = "" in node
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 and not optional else "(?:" + "|".join(alts) + ")"
        if optional:
            body = f"(?:{body})?" if body.startswith("(?:") is False else body + "?"
        return body

    return emit(tree)


# Comments (libxml2 writes processing instructions as comments too) and script/style
# elements with their raw content, in one left-to-right pass: whichever starts first
# is consumed whole, so a ``<!--`` inside a script or a ``<script`` inside a comment
# is not mistaken for markup.
_RAW = re.compile(r"<!--.*?-->|<(script|style)(?=[\s>])[^>]*>.*?</\1>", re.DOTALL)
# Start tags that always need a decision: skipped elements, images, inputs.
_NAMED = re.compile("<(?:" + _trie(sorted(SKIP_TAGS | {"img", "input"})) + r")(?=[\s>])")
# Any start tag whose attributes mention ``hidden`` or ``none`` in any case: a superset
# of the ``hidden`` attribute and of every hiding inline style (letters are never
# escaped). Used only on pages with İ or ı, which ``re.IGNORECASE`` equates with i;
# other pages find these words with ``str.lower`` and ``str.find`` (~5× faster).
_HIDDEN_OR_NONE = re.compile(r"<[^\s>/]+\s[^>]*(?:hidden|none)", re.IGNORECASE)
_TAG_NAME = re.compile(r"<([^\s>]+)")
_ATTR = re.compile(r"""\s([^\s=>]+)(?:="([^"]*)"|='([^']*)')?""")
_BLOCK_TAG = re.compile("</?(?:" + _trie(sorted(BLOCK_TAGS)) + r")(?=[\s>])[^>]*>")
_ANY_TAG = re.compile(r"<[^>]*>")


def _unescape(value: str) -> str:
    """Undo the serialiser's escapes (``&amp;`` last, so ``&amp;lt;`` stays ``&lt;``)."""
    if "&" not in value:
        return value
    return (
        value.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    )


def _escape(value: str) -> str:
    """Text as the serialiser writes it, for pieces spliced into the serialised body."""
    if "&" in value or "<" in value or ">" in value:
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value


def _attributes(tag: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for m in _ATTR.finditer(tag, tag.find(" ") if " " in tag else len(tag)):
        value = m.group(2) if m.group(2) is not None else m.group(3)
        attrs.setdefault(m.group(1), "" if value is None else _unescape(value))
    return attrs


@cache
def _end_tags(name: str) -> re.Pattern[str]:
    return re.compile(f"<(/?){re.escape(name)}(?=[\\s>])")


def _region_end(html: str, name: str, start: int) -> int | None:
    """Where the element whose start tag ends at ``start`` ends (after its end tag)."""
    if name in _VOID:
        return start
    depth = 1
    for m in _end_tags(name).finditer(html, start):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return html.index(">", m.end()) + 1
    return None


def _candidates(html: str) -> list[int]:
    """Offsets of the start tags that may need a decision, in document order."""
    starts = [m.start() for m in _NAMED.finditer(html)]
    if "\u0130" in html or "\u0131" in html:
        starts.extend(m.start() for m in _HIDDEN_OR_NONE.finditer(html))
    else:
        low = html.lower()  # same length: only U+0130 lower-cases to two characters
        for word in ("hidden", "none"):
            i = low.find(word)
            while i != -1:
                lt = html.rfind("<", 0, i)
                if lt != -1 and html.find(">", lt, i) == -1 and html[lt + 1] != "/":
                    starts.append(lt)  # the word is inside a start tag
                i = low.find(word, i + 1)
    return sorted(set(starts))


def _read_serialized(body) -> tuple[str, int] | None:
    """``_read(body, None)`` from libxml2's serialisation, or ``None`` when this page is
    outside what the fast reading handles (the caller then walks the tree)."""
    html = etree.tostring(body, method="html", encoding=str, with_tail=False)
    open_end = html.find(">") + 1
    close = html.rfind("</")
    if not open_end or close < open_end:
        return None
    html = html[open_end:close]
    if "<" in html:
        if "<!--" in html or "</s" in html:
            html = _RAW.sub("", html)
            if "</script" in html or "</style" in html:
                return None  # script data with an escaped "</script>" inside: walk it
        if html.count("<") != html.count(">"):
            return None  # a "<" inside a tag name (``<b<img>``): not markup this reads
        pieces: list[str] = []
        pos = 0
        alts = 0
        for start in _candidates(html):
            if start < pos:
                continue  # inside an element already cut out
            after = html.index(">", start) + 1
            tag = html[start:after]
            name = _TAG_NAME.match(tag).group(1)  # type: ignore[union-attr]
            attrs = _attributes(tag)
            if (
                name in SKIP_TAGS
                or "hidden" in attrs
                or ((style := attrs.get("style")) and _HIDING_STYLE.search(style))
            ):
                if name in _UNSAFE_VOID:
                    return None
                end = _region_end(html, name, after)
                if end is None:
                    return None
                pieces.append(html[pos:start])
                pos = end
            elif name == "img":
                pieces.append(html[pos:start])
                pos = after
                alt = attrs.get("alt")
                if alt and (alt := alt.strip()):
                    alts += 1
                    pieces.append(_BREAK + _ALT_OPEN + _escape(alt) + _ALT_CLOSE + _BREAK)
            elif name == "input":
                pieces.append(html[pos:start])
                pos = after
                if attrs.get("type", "").lower() in _BUTTON_INPUTS:
                    value = attrs.get("value")
                    if value:
                        pieces.append(_BREAK + _escape(value) + _BREAK)
        if pieces:
            pieces.append(html[pos:])
            html = "".join(pieces)
        html = _ANY_TAG.sub("", _BLOCK_TAG.sub(_BREAK, html))
    else:
        alts = 0
    if "&" in html:
        amps = html.count("&")
        if amps != html.count("&amp;") + html.count("&lt;") + html.count("&gt;"):
            return None  # an escape this reading does not know
        html = html.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return html, alts


def _void_elements() -> tuple[frozenset[str], frozenset[str]]:
    """Elements the serialiser writes without an end tag, and those of them the parser
    may still give content (their extent cannot be read from the serialisation)."""
    void: set[str] = set()
    unsafe: set[str] = set()
    names = SKIP_TAGS | BLOCK_TAGS | {"img", "input", "area", "base", "basefont", "col"}
    names |= {"embed", "frame", "hr", "isindex", "keygen", "param", "source", "track", "wbr"}
    for name in sorted(names - {"html", "head", "body"}):
        doc = f"<html><body><div><{name}>x<i>y</i></{name}>z</div></body></html>"
        el = next(lxml_html.document_fromstring(doc).find("body").iter(name), None)
        if el is None:
            continue
        if not etree.tostring(el, method="html", encoding=str, with_tail=False).endswith(
            f"</{name}>"
        ):
            void.add(name)
            if el.text or len(el):
                unsafe.add(name)
    return frozenset(void), frozenset(unsafe)


def _clean(raw: str) -> str:
    """Collapse whitespace and turn block markers into single ``"\\n"`` separators.

    ``str.split``/``join``, ``map`` and ``filter`` keep the loop in C: ~4× faster than
    the equivalent regex substitutions."""
    lines = " ".join(raw.split()).split(_BREAK)
    return "\n".join(filter(None, map(str.strip, lines)))


# ``iterchildren(tag)`` filters in C; ``find("head/title")`` goes through ElementPath's
# Python machinery (~10 µs a call, a tenth of a page's reading).


def _title(root) -> str:
    el = next((t for head in root.iterchildren("head") for t in head.iterchildren("title")), None)
    if el is None:  # malformed pages put <title> anywhere
        el = next(root.iter("title"), None)
    return "" if el is None else "".join(el.itertext())


def _description(root) -> str:
    head = next(root.iterchildren("head"), None)
    for el in (head if head is not None else root).iter("meta"):
        name = el.get("name")
        if name and name.strip().lower() == "description":
            return el.get("content") or ""
    return ""


def _body(root):
    """The ``<body>`` element, or the root itself for fragments and odd documents."""
    if root.tag == "body":
        return root
    body = next(root.iterchildren("body"), None)
    if body is None and root.tag == "html":
        body = next(root.iter("body"), None)
    return body if body is not None else root


def visible_text(root) -> PageText:
    """What a visitor of the page reads: title, description, body and image alt texts.

    ``root`` is the ``lxml.html`` element the crawler parsed (any element works: a
    fragment is read as a body). Pieces are joined with ``"\\n"``: title first, then
    the meta description, then the body in document order with alt texts in place."""
    parts: list[tuple[str, Source]] = []
    title = _clean(_title(root).translate(_SCRUB))
    if title:
        parts.append((title, "title"))
    description = _clean(_description(root).translate(_SCRUB))
    if description:
        parts.append((description, "meta"))

    body_el = _body(root)
    body = ""
    if body_el.tag.__class__ is str and body_el.tag not in SKIP_TAGS:
        read = _read_serialized(body_el) if _FAST else None
        joined, alts = read if read is not None else _read(body_el, None)
        if joined.count(_ALT_OPEN) != alts or joined.count(_ALT_CLOSE) != alts:
            # The page's own text holds a marker character: read it again, scrubbed.
            joined, alts = _read(body_el, _SCRUB)
        body = _clean(joined)

    text_parts: list[str] = []
    segments: list[tuple[int, int, Source]] = []
    pos = 0
    for piece, source in parts:
        if text_parts:
            text_parts.append("\n")
            pos += 1
        text_parts.append(piece)
        segments.append((pos, pos + len(piece), source))
        pos += len(piece)
    if body:
        if text_parts:
            text_parts.append("\n")
            pos += 1
        if _ALT_OPEN in body:
            body, body_segments = _split_alts(body, pos)
            segments.extend(body_segments)
        else:
            segments.append((pos, pos + len(body), "body"))
        text_parts.append(body)
    return PageText("".join(text_parts), tuple(segments))


def _split_alts(body: str, base: int) -> tuple[str, list[tuple[int, int, Source]]]:
    """Remove the alt markers from ``body`` and return segments for body and alt stretches.

    After ``_clean`` every alt text sits between separators (``\\n\\x01alt\\x02\\n``) or
    at an end of the body, so the stretches between markers are whole lines. The
    markers are found with ``str.find`` (a page has a few; a regex split of the whole
    body cost more than the rest of this function)."""
    out: list[str] = []
    segments: list[tuple[int, int, Source]] = []
    pos = base
    source: Source = "body"
    i = 0
    n = len(body)
    while True:
        opening = body.find(_ALT_OPEN, i)
        closing = body.find(_ALT_CLOSE, i)
        j = min(x for x in (opening, closing, n) if x >= 0)
        piece = body[i:j]
        if piece:
            out.append(piece)
            # Segments exclude the separators that bound them.
            lead = len(piece) - len(piece.lstrip("\n"))
            trail = len(piece) - len(piece.rstrip("\n"))
            if lead + trail < len(piece):
                segments.append((pos + lead, pos + len(piece) - trail, source))
            pos += len(piece)
        if j == n:
            return "".join(out), segments
        source = "alt" if body[j] == _ALT_OPEN else "body"
        i = j + 1


def text_only(title: str, body: str) -> PageText:
    """A ``PageText`` for a subject without markup (attachment, post): title, then body.

    Lines are kept (they are the blocks of such text); spaces within a line are
    collapsed as for pages, so offsets and contexts read the same way."""
    lines = [" ".join(line.split()) for line in body.translate(_SCRUB).splitlines()]
    clean_body = "\n".join(line for line in lines if line)
    clean_title = " ".join(title.translate(_SCRUB).split())
    segments: list[tuple[int, int, Source]] = []
    text = ""
    if clean_title:
        text = clean_title
        segments.append((0, len(clean_title), "title"))
    if clean_body:
        if text:
            text += "\n"
        segments.append((len(text), len(text) + len(clean_body), "body"))
        text += clean_body
    return PageText(text, tuple(segments))


_VOID, _UNSAFE_VOID = _void_elements()

_PROBE = """<html><head><title>t</title></head><body class="x">a &amp;&lt;b&gt; "q" 'x'\xa0\x01
<p title="a'b&quot;c&gt;" style="TEXT-DECORATION: NONE">布<span>署</span><br>c</p>
<div hidden>h<p>i</p></div><div style="display : none"><div>x</div></div>tail
<img alt=" 图 &lt;1&gt; "><img alt=" "><img hidden alt="x"><input type=SUBMIT value="搜 索">
<input type=hidden value="v"><script>if (a<b) "<p>"</script><style>p{}</style><!-- <p> -->
<svg><svg><text>s</text></svg></svg><template><p>t</p></template><xmp><b>x</b></xmp>
<table><tr><td>1</td><td>2<td>3</table><noscript>n</noscript><font>f</font>末</body></html>"""


def _self_test() -> bool:
    """The fast reading matches the tree walk on a probe page covering its contract
    (run at import: an lxml whose serialiser writes differently gets the walk)."""
    try:
        root = lxml_html.document_fromstring(_PROBE)
        fast = _read_serialized(_body(root))
        slow = _read(_body(root), None)
        # Runs of block breaks may differ in length (``<br>`` is one tag here, an
        # opening and a closing break there); ``_clean`` makes them one separator.
        return fast is not None and (_clean(fast[0]), fast[1]) == (_clean(slow[0]), slow[1])
    except Exception:  # pragma: no cover - a serialiser this module does not know
        return False


_FAST = _self_test()
if not _FAST:  # pragma: no cover
    logger.warning("lxml 序列化结果与预期不符，可见文本改用逐节点读取（较慢）")
