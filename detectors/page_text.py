"""What a visitor reads on a page: the text the term and privacy detectors look at.

``visible_text(root)`` walks the lxml tree once and returns a ``PageText``: one string
(``text``) plus ``segments`` saying which stretch came from the ``<title>``, the meta
description, an image's ``alt`` or the body, so a finding can say 标题/页面描述/图片说明/正文.

Rules, and why:

* Only what is rendered counts. ``<script>``, ``<style>``, ``<template>``, ``<noscript>``
  (shown only with JavaScript off, i.e. to almost nobody; portals put boilerplate there),
  comments, ``<head>`` (except title and description), form controls' hidden values,
  elements with the ``hidden`` attribute, AngularJS's ``ng-hide`` class (which the
  framework itself styles ``display: none !important``: a rendered Angular page keeps
  its unused templates under it) or an inline ``display:none`` / ``visibility:hidden``
  are skipped. Stylesheets are not evaluated: a site's own class that hides an element
  is not seen (that is the hidden-link detector's business).
* Block elements (``p``, ``div``, ``td``, ``li``, ``br`` …) separate their content with
  ``"\\n"`` so that no term is formed across two cells or paragraphs; inline elements
  (``span``, ``a``, ``b``, ``font`` …) do not, so ``布<span>署</span>`` reads 布署, as
  the visitor sees it. Unknown (custom) tags count as inline, as browsers treat them.
* Whitespace is collapsed as a browser does: runs of spaces, tabs and source newlines
  become one space; separators swallow the spaces around them. ``&nbsp;`` and the
  full-width space also collapse (they carry no meaning for the detectors).

How: a recursion over lxml children that appends raw strings to a list, then
``str.split``/``join`` for the whitespace (~40 MB/s of HTML on generated government
pages; most of the time goes to the proxy object lxml creates for every element). Block
breaks are emitted as ``\\x00`` (lxml never returns it: the parser turns it into
U+FFFD) and alt texts are bracketed by ``\\x01``/``\\x02``, so the final pass can tell
separators from source newlines and locate alt texts after the whitespace has moved
them; a page whose own text holds ``\\x01``/``\\x02`` (the HTML parser keeps them) is
detected by counting and read again with them scrubbed.

A C walk over libxml2's nodes (Cython, ~250 MB/s) was tried and removed: it read lxml's
private structures, and over a whole scan it saved about 2% of the CPU time and no wall
time (the walk runs in the detection worker, beside the crawl; ``bench/README.md``).

Hidden elements are found by two attribute look-ups per element (one XPath over the
tree is slower: libxml2 evaluates it at ~55 MB/s). Tried and dropped for the Python
walk: libxml2's own serialisation read with regular expressions, an XSLT stylesheet
(~45 MB/s), selectolax/lexbor (its parse alone is slower than lxml's on these pages).
The tree is never modified: the crawler's other detectors read the same tree.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Literal

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

# What the walk does with an element, by tag: one dict look-up instead of three tests.
_SKIP, _BLOCK, _IMG, _INPUT, _INLINE = "skip", "block", "img", "input", "inline"
_KIND: dict[str, str] = {
    **dict.fromkeys(BLOCK_TAGS, _BLOCK),
    **dict.fromkeys(SKIP_TAGS, _SKIP),
    "img": _IMG,
    "input": _INPUT,
}
_HIDING_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# AngularJS's ng-hide among an element's classes (HTML splits classes at ASCII whitespace).
_HIDING_CLASS = re.compile(r"(?:^|[ \t\n\f\r])ng-hide(?:$|[ \t\n\f\r])")

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
    Recursion depth is bounded by the trees' depth (``detectors.deep_markup.MAX_DEPTH``, 512),
    well below Python's limit."""
    out: list[str] = []
    append = out.append
    hiding = _HIDING_STYLE.search
    hiding_class = _HIDING_CLASS.search
    alts = 0

    def walk(el) -> None:
        nonlocal alts
        text = el.text
        if text:
            append(text if scrub is None else text.translate(scrub))
        for child in el:
            tag = child.tag
            kind = _KIND.get(tag, _INLINE) if tag.__class__ is str else _SKIP  # comments, PIs
            if (
                kind is _SKIP
                or child.get("hidden") is not None
                or ((style := child.get("style")) and hiding(style))
                or ((cls := child.get("class")) and "ng-hide" in cls and hiding_class(cls))
            ):
                pass
            elif kind is _INLINE:
                walk(child)
            elif kind is _BLOCK:
                append(_BREAK)
                walk(child)
                append(_BREAK)
            elif kind is _IMG:
                alt = child.get("alt")
                if alt and scrub is not None:
                    alt = alt.translate(scrub)
                if alt and (alt := alt.strip()):
                    alts += 1
                    append(_BREAK + _ALT_OPEN + alt + _ALT_CLOSE + _BREAK)
            elif (child.get("type") or "").lower() in _BUTTON_INPUTS:  # an input
                value = child.get("value")
                if value:
                    append(_BREAK + (value if scrub is None else value.translate(scrub)))
                    append(_BREAK)
            tail = child.tail
            if tail:
                append(tail if scrub is None else tail.translate(scrub))

    walk(body)
    return "".join(out), alts


def _read_body(body) -> tuple[str, list[tuple[int, int]]]:
    """The body's text and alt spans: the walk (again, scrubbed, when the page's own
    text holds a marker character), whitespace cleaned, alt markers out."""
    joined, alts = _read(body, None)
    if joined.count(_ALT_OPEN) != alts or joined.count(_ALT_CLOSE) != alts:
        joined, alts = _read(body, _SCRUB)
    text = _clean(joined)
    return _take_alts(text) if alts else (text, [])


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
    body, alt_spans = "", []
    if body_el.tag.__class__ is str and body_el.tag not in SKIP_TAGS:
        body, alt_spans = _read_body(body_el)

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
        segments.extend(_body_segments(body, alt_spans, pos))
        text_parts.append(body)
    return PageText("".join(text_parts), tuple(segments))


def _body_segments(
    body: str, alt_spans: list[tuple[int, int]], base: int
) -> list[tuple[int, int, Source]]:
    """Segments of the body at offset ``base``: its alt spans, and the stretches of body
    text between them without the separators that bound them."""
    segments: list[tuple[int, int, Source]] = []
    prev = 0
    for start, end in [*alt_spans, (len(body), None)]:
        gap = body[prev:start]
        lead = len(gap) - len(gap.lstrip("\n"))
        trail = len(gap) - len(gap.rstrip("\n"))
        if lead + trail < len(gap):
            segments.append((base + prev + lead, base + start - trail, "body"))
        if end is None:
            return segments
        segments.append((base + start, base + end, "alt"))
        prev = end
    return segments


def _take_alts(body: str) -> tuple[str, list[tuple[int, int]]]:
    """``body`` without its alt markers, and the spans of the alt texts they bracketed.

    After ``_clean`` every alt text sits between separators (``\\n\\x01alt\\x02\\n``) or
    at an end of the body. The markers are found with ``str.find`` (a page has a few;
    a regex split of the whole body cost more than the rest of this function)."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    i = 0
    while (opening := body.find(_ALT_OPEN, i)) >= 0:
        closing = body.find(_ALT_CLOSE, opening)
        out.append(body[i:opening])
        pos += opening - i
        alt = body[opening + 1 : closing]
        out.append(alt)
        spans.append((pos, pos + len(alt)))
        pos += len(alt)
        i = closing + 1
    out.append(body[i:])
    return "".join(out), spans


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
