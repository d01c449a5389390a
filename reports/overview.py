"""The overview at the top of a scan's summary: what the inspections single out.

One block the demo prints (and writes into ``summary.txt``): for each detector that
declares ``overview`` (stale and blank columns, the home page, policy interpretations),
a heading with its count and one line per unresolved finding (``Detector.summary_line``)
or “无”; then the three single-veto lines for columns, counted by
:func:`detectors.veto_groups.column_veto` from the same finding records.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from common.vocabulary import UNRESOLVED
from detectors.registry import all_detectors, group_records
from detectors.veto_groups import BLANK_COLUMNS, STALE_COLUMNS, column_veto, column_veto_lines


def overview_lines(
    records: Iterable[dict[str, Any]], enabled: set[str] | None = None, *, veto: bool = True
) -> list[str]:
    """Chinese lines for the summary, ending with the column veto lines unless ``veto`` is
    false (the scan that printed just before already showed them). ``enabled``: ids of
    the detectors the site runs (default: all)."""
    records = [r for r in records if r.get("status") in UNRESOLVED]
    lines = []
    for cls in all_detectors():
        if not cls.overview or (enabled is not None and cls.id not in enabled):
            continue
        mine = sorted(
            (r for r in records if r["detector"] == cls.id),
            key=lambda r: (r["unit"], r["page_url"]),
        )
        lines.append(f"{cls.title}（{len(mine)} 个）：")
        lines.extend(f"  {cls.summary_line(r)}" for r in mine)
        if not mine:
            lines.append("  无")
    if veto:
        lines.extend(veto_lines(records))
    return lines


def veto_lines(records: Iterable[dict[str, Any]]) -> list[str]:
    """The three single-veto lines for columns with the current counts."""
    records = list(records)
    stale, blank = group_records(records, STALE_COLUMNS), group_records(records, BLANK_COLUMNS)
    return column_veto_lines(column_veto(stale, blank))
