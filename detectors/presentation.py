"""How a person sees a finding: table columns, evidence fields and their cells.

A detector declares its notice-table ``columns`` and its review-page ``evidence`` with
these pieces; notices, the weekly report, spreadsheets (and the review app) print them
without knowing any detector. A cell reads a finding *record* (the contract's flat
dict: base fields plus the detector's details) and returns the text to print.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import unquote

from common.vocabulary import SEVERITY_NAMES

Cell = Callable[[dict[str, Any]], str]
EvidenceKind = Literal["text", "url", "date", "days", "context", "list", "attempts", "flag"]


def text(value: Any) -> str:
    """A value as printed in a table: — for nothing, 是/否 for flags, 、 between items."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(text(v) for v in value)
    return str(value)


def field(name: str) -> Cell:
    return lambda r: text(r.get(name))


def raw(name: str) -> Cell:
    """A value as is, empty when missing (spreadsheet cells, where — would be data)."""
    return lambda r: str(r.get(name) or "")


def url_field(name: str) -> Cell:
    """A URL as people read it: percent-encoded Chinese paths decoded (the HTML link
    still works: browsers encode it again)."""
    return lambda r: unquote(text(r.get(name)))


def days_field(name: str) -> Cell:
    return lambda r: "—" if r.get(name) is None else f"{r[name]} 天"


def named(name: str, names: dict[str, str]) -> Cell:
    """A code printed by its Chinese name (``sensitive`` → 敏感词)."""
    return lambda r: names.get(r.get(name) or "", text(r.get(name)))


def document_cell(record: dict[str, Any]) -> str:
    """A document as its title with its 文号 (``document_title``, ``document_number``)."""
    title, number = text(record.get("document_title")), record.get("document_number")
    return f"{title}（{number}）" if number else title


def severity_cell(record: dict[str, Any]) -> str:
    return SEVERITY_NAMES.get(record.get("severity", ""), text(record.get("severity")))


@dataclass(frozen=True)
class Column:
    """One column of a detector's table in notices and the weekly report."""

    title: str
    cell: Cell
    width: float = 1.0  # relative width, so tables fit the page
    link: bool = False  # the cell is a URL (printed small, clickable in HTML)


@dataclass(frozen=True)
class Evidence:
    """One field of a finding's evidence block (the review page), with how to show it."""

    label: str
    field: str
    kind: EvidenceKind = "text"


PAGE = Column("所在页面", url_field("page_url"), 2.2, link=True)
MESSAGE = Column("问题说明", field("message"), 3.5)
LEVEL = Column("级别", severity_cell, 0.95)
