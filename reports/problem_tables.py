"""Problems grouped by type, one table per type with that type's own columns.

Notices (docx, html) and the weekly report print findings the way a unit fixes them:
broken links with page and target, terms with context and suggestion, columns with
their last date, and so on: the columns each detector declares (``Detector.columns``).
Findings of an id no longer registered still print, in a generic table of page and
message, so no finding is ever dropped from a notice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from common.vocabulary import STATUS_NAMES
from detectors.presentation import LEVEL, MESSAGE, PAGE, Column, severity_cell
from detectors.registry import detector_class, rank_of, title_of

GENERIC = (PAGE, MESSAGE)


def columns_for(detector: str) -> tuple[Column, ...]:
    """The detector's declared table; the generic one for an id no longer registered."""
    cls = detector_class(detector)
    return cls.columns if cls is not None else GENERIC


@dataclass
class ProblemTable:
    """The findings of one type, ready to print."""

    detector: str
    title: str
    columns: tuple[Column, ...]
    rows: list[list[str]]
    records: list[dict[str, Any]]
    veto: int  # how many are single-veto items

    @property
    def headers(self) -> list[str]:
        return ["序号", *(c.title for c in self.columns), "级别"]

    def widths(self) -> list[float]:
        """Relative widths of the printed columns (序号 and 级别 included), summing to 1."""
        raw = [0.5, *(c.width for c in self.columns), LEVEL.width]
        total = sum(raw)
        return [w / total for w in raw]

    def link_columns(self) -> list[bool]:
        return [False, *(c.link for c in self.columns), False]


def group_by_type(records: Iterable[dict[str, Any]]) -> list[ProblemTable]:
    """Tables in notice order; inside each, veto first, then by page."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        groups.setdefault(record["detector"], []).append(record)
    tables = []
    for detector in sorted(groups, key=rank_of):
        items = sorted(
            groups[detector],
            key=lambda r: (r.get("severity") != "veto", r.get("page_url") or "", r["id"]),
        )
        columns = columns_for(detector)
        rows = [
            [str(i), *(c.cell(r) for c in columns), severity_cell(r)]
            for i, r in enumerate(items, start=1)
        ]
        tables.append(
            ProblemTable(
                detector=detector,
                title=title_of(detector),
                columns=columns,
                rows=rows,
                records=items,
                veto=sum(1 for r in items if r.get("severity") == "veto"),
            )
        )
    return tables


def status_name(status: str) -> str:
    return STATUS_NAMES.get(status, status)
