"""Labelled fields and headed tables, as 信息公开 and 互动交流 pages write them.

A document's metadata block (索引号、发布机构、成文日期、发布日期、文号、有效性 …) and a
message's page (留言时间、回复单位、回复时间、回复内容) pair a label with a value in a
few shapes, all read here from the parsed tree (comments and scripts are not text, so a
commented-out ``<!--<p>成文日期：…</p>-->`` of a TRS template says nothing):

- a table cell holding the label, its value in the next cell (Hanweb/大汉 and 邯郸 tables:
  ``<td>成文日期</td><td>2020-12-29</td>``), or a ``<dt>``/``<dd>`` pair;
- an inline label with its value after a colon, in the same element or just after it
  (TRS ``<p><strong>发布日期</strong>：2020年08月02日</p>``, 江西集约化
  ``<li><span>成文日期：</span>2024-01-02</li>``, ``<p>成文日期：2024年1月2日</p>``).

Lists of messages are tables with a header row (标题 / 留言时间 / 状态 / 回复时间): a
row's cells are read by the header's column (:func:`headed_rows`), in ``<table>`` rows
or in ``<ul>``/``<div>`` rows of ``<span>`` cells.

``aliases`` map what a page writes (``印发日期``, ``发文日期``) to the name a detector
uses (``issued``); the first value found in document order wins.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import ahocorasick_rs
from lxml import etree

from common.urls import resolve

_STRING = etree.XPath("string()")
_WS_RE = re.compile(r"[\s\u3000\xa0]+")
_COLON = "：:"
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title", "option"})
_LABEL_TAGS = frozenset(
    {"td", "th", "dt", "strong", "b", "span", "label", "em", "font", "p", "li", "div", "i"}
)
_CELL_TAGS = frozenset({"td", "th", "span", "div", "p", "em", "i", "strong", "b", "font", "a"})
_ROW_TAGS = frozenset({"tr", "li", "div", "dl", "p"})
_INLINE_TAGS = frozenset({"span", "strong", "b", "em", "font", "label", "i"})
_VALUE_TAGS = frozenset({"td", "th", "dd", "span", "em", "font", "i", "b", "strong"})
MAX_HEADER_CHILDREN = 3  # a header cell is a label, not a block of content
MAX_LABEL = 12  # characters of a label, colon excluded
MAX_VALUE = 200  # characters kept of a value
MAX_INLINE = 120  # an element read as "label：value" is short
MAX_ROWS = 300  # rows kept of one headed table


def _squash(text: str) -> str:
    return _WS_RE.sub("", text)


def label_text(root: Any) -> str:
    """All the text of the tree, whitespace removed (every text node, hidden or not):
    every label a field or a header cell shows is a substring of it, so a page in which
    no label of a set occurs need not be searched for one (most pages). Callers that read
    several sets from one page compute it once and pass it."""
    return "".join(_STRING(root).split()) if root is not None else ""


def _text(el: Any) -> str:
    return _WS_RE.sub(" ", _STRING(el)).strip()


def _tag(el: Any) -> str:
    return el.tag if isinstance(el.tag, str) else ""


def _after_colon(text: str) -> str:
    """What follows a leading colon (the value written after its label's element)."""
    text = text.strip()
    if text[:1] in _COLON:
        return text[1:].strip()
    return ""


def _next_element(el: Any) -> Any:
    sibling = el.getnext()
    while sibling is not None and not _tag(sibling):
        sibling = sibling.getnext()
    return sibling


def _skipped(el: Any) -> bool:
    node = el
    while node is not None:
        if _tag(node) in _SKIP_TAGS:
            return True
        node = node.getparent()
    return False


@dataclass(frozen=True)
class _Labels:
    """A set of aliases, prepared once: pages are read with the same few sets."""

    names: dict[str, str]  # squashed label -> field name
    starts: tuple[str, ...]
    firsts: frozenset[str]  # the characters a label starts with
    inline: re.Pattern[str]  # "label：value" in one element
    finder: ahocorasick_rs.AhoCorasick  # every label, to see which occur in a text

    def named_in(self, text: str) -> set[str]:
        """The field names of the labels that occur in ``text`` (:func:`label_text`)."""
        found = self.finder.find_matches_as_indexes(text, overlapping=True)
        return {self.names[self.starts[index]] for index, _, _ in found}

    def any_in(self, text: str) -> bool:
        return bool(self.finder.find_matches_as_indexes(text))


@lru_cache(maxsize=32)
def _prepared(aliases: tuple[tuple[str, str], ...]) -> _Labels:
    names = {_squash(k): v for k, v in aliases}
    inline = re.compile(
        r"^(" + "|".join(re.escape(k) for k in sorted(names, key=len, reverse=True)) + r")"
        r"[" + _COLON + r"](.*)$"
    )
    starts = tuple(k for k in names if k)
    firsts = frozenset(k[0] for k in starts)
    return _Labels(names, starts, firsts, inline, ahocorasick_rs.AhoCorasick(starts))


def _label_head(el: Any, firsts: frozenset[str]) -> str | None:
    """The squashed leading text of an element that may start with a label (its own
    text, else its first inline child's), or None when it cannot: the first visible
    character is checked before any squashing, since most elements fail there."""
    text = (el.text or "").lstrip()  # str whitespace: \s, \u3000 and \xa0 alike
    if not text:
        if not len(el) or _tag(el[0]) not in _INLINE_TAGS:
            return None
        text = (el[0].text or "").lstrip()
    if not text or text[0] not in firsts:
        return None
    return _squash(text)


def labelled_values(
    root: Any, aliases: Mapping[str, str], text: str | None = None
) -> dict[str, str]:
    """The value of each labelled field found, by the name ``aliases`` gives its label
    (labels compared without spaces, ``文　　号`` is ``文号``). Values are the visible
    text, whitespace collapsed, at most ``MAX_VALUE`` characters; a label shown with no
    value gives ``""`` (a field the page shows empty). ``text`` is the page's
    :func:`label_text`, when the caller has it."""
    if root is None:
        return {}
    prepared = _prepared(tuple(aliases.items()))
    if not prepared.any_in(label_text(root) if text is None else text):
        return {}
    labels, inline, starts, firsts = (
        prepared.names,
        prepared.inline,
        prepared.starts,
        prepared.firsts,
    )
    found: dict[str, str] = {}
    for el in root.iter(*_LABEL_TAGS):
        # cheap first: the element's own leading text must start with a label
        head = _label_head(el, firsts)
        if head is None or not head.startswith(starts):
            continue
        own = _text(el)
        if len(own) > MAX_INLINE:
            continue
        squashed = _squash(own)
        name, value = None, None
        bare = squashed.rstrip(_COLON)
        if len(bare) <= MAX_LABEL and bare in labels:
            name = labels[bare]
            value = _after_colon(el.tail or "")
            if not value:
                sibling = _next_element(el)
                if sibling is not None and _tag(sibling) in _VALUE_TAGS:
                    value = _text(sibling)
                    header = _tag(el) == "th" and _tag(sibling) == "th"
                    if header or _squash(value).rstrip(_COLON) in labels:
                        continue  # a header row (名称 | 发布日期 | …): labels, no values
        else:
            match = inline.match(squashed)
            if match and not any(_tag(child) in _ROW_TAGS for child in el):
                name = labels[match.group(1)]
                # the value as written (spaces kept: "2024-01-02 10:30")
                value = re.split(r"[" + _COLON + r"]", own, maxsplit=1)[1].strip()
        if name is None or name in found or _skipped(el):
            continue
        found[name] = (value or "")[:MAX_VALUE]
    return found


@dataclass
class HeadedRow:
    """One row of a table with a header: its cells by the header's names, and the link
    of its first cell that has one (the row's own page)."""

    cells: dict[str, str] = field(default_factory=dict)
    url: str | None = None


def _cells(row: Any) -> list[Any]:
    tag = _tag(row)
    if tag == "tr":
        return [c for c in row if _tag(c) in ("td", "th")]
    return [c for c in row if _tag(c) in _CELL_TAGS]


def _label_of(cell: Any, labels: Mapping[str, str]) -> str | None:
    """The name of a header cell: its own text (or its only inline child's) is a label.
    Read without the cell's subtree, so that a container is never read whole."""
    if len(cell) > MAX_HEADER_CHILDREN:
        return None
    head = _squash(cell.text or "")
    if not head and len(cell) == 1 and _tag(cell[0]) in _INLINE_TAGS:
        head = _squash(cell[0].text or "")
    return labels.get(head.rstrip(_COLON)) if 0 < len(head) <= MAX_LABEL + 1 else None


def headed_rows(
    root: Any,
    aliases: Mapping[str, str],
    required: set[str],
    base: str,
    text: str | None = None,
) -> list[HeadedRow]:
    """Rows of every table (or list of rows) whose header row names the ``required``
    columns (by ``aliases``), read by column. A row that does not have as many cells as
    its header is not read (a pager, a note spanning the table). ``text`` is the page's
    :func:`label_text`, when the caller has it."""
    if root is None:
        return []
    prepared = _prepared(tuple(aliases.items()))
    if not required <= prepared.named_in(label_text(root) if text is None else text):
        return []  # no header can name all the required columns
    labels = prepared.names
    rows: list[HeadedRow] = []
    for container in root.iter("table", "tbody", "thead", "ul", "ol", "div"):
        children = [c for c in container if _tag(c) in _ROW_TAGS]
        header_at, names = None, []
        for index, child in enumerate(children[:3]):  # a caption row may come first
            names = [_label_of(c, labels) for c in _cells(child)]
            if required <= {n for n in names if n}:
                header_at = index
                break
        if header_at is None and _tag(container) == "tbody":
            continue
        if header_at is None:
            # a <table> whose header sits in <thead>, its rows in <tbody>
            head = container.find("thead") if _tag(container) == "table" else None
            body = container.find("tbody") if head is not None else None
            if head is None or body is None:
                continue
            first = next((r for r in head.iter("tr")), None)
            if first is None:
                continue
            names = [_label_of(c, labels) for c in _cells(first)]
            if not required <= {n for n in names if n}:
                continue
            children, header_at = [c for c in body if _tag(c) == "tr"], -1
        for child in children[header_at + 1 :]:
            cells = _cells(child)
            if len(cells) != len(names) or _skipped(child):
                continue
            row = HeadedRow()
            for name, cell in zip(names, cells, strict=True):
                if name:
                    row.cells[name] = _text(cell)[:MAX_VALUE]
                if row.url is None:
                    link = cell if _tag(cell) == "a" else next(cell.iter("a"), None)
                    href = link.get("href") if link is not None else None
                    if href:
                        row.url = resolve(base, href) or None
            if any(row.cells.values()):
                rows.append(row)
            if len(rows) >= MAX_ROWS:
                return rows
    return rows
