"""The site-level single-veto lines for columns (国办秘函〔2019〕19号 单项否决·栏目不更新).

A single stale or blank column is a ``high`` finding; the site fails the inspection
outright when the counts cross one of three lines:

1. news columns idle > 2 weeks plus notice/policy columns idle > 6 months: total ≥ 5;
2. ≥ 10 columns that should be updated but long have not (any category);
3. ≥ 5 blank columns.

The rule reads finding records (``reports.findings_export.finding_record``), so the
summary, the notices and the weekly report count exactly what ``govwatch findings``
lists. Only unresolved findings (open or confirmed) count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from common.vocabulary import UNRESOLVED

# Categories of the first line; their allowed ages (14 and 180 days) are the stale
# detector's, so every stale finding of these categories is past its veto age.
FIRST_LINE_CATEGORIES = frozenset({"news", "notice", "policy"})
FIRST_LINE_LIMIT = 5
STALE_LIMIT = 10
BLANK_LIMIT = 5


@dataclass
class ColumnVeto:
    news_stale: int = 0
    notice_policy_stale: int = 0
    stale_total: int = 0
    blank: int = 0
    reasons: list[str] = field(default_factory=list)  # Chinese, one per line crossed

    @property
    def vetoed(self) -> bool:
        return bool(self.reasons)

    @property
    def first_line_total(self) -> int:
        return self.news_stale + self.notice_policy_stale


def column_veto(records: Iterable[dict[str, Any]]) -> ColumnVeto:
    """Count unresolved stale and blank columns against the three veto lines."""
    veto = ColumnVeto()
    for record in records:
        if record.get("status") not in UNRESOLVED:
            continue
        if record.get("detector") == "blank_column":
            veto.blank += 1
        elif record.get("detector") == "stale_column":
            veto.stale_total += 1
            category = record.get("category")
            if category == "news":
                veto.news_stale += 1
            elif category in FIRST_LINE_CATEGORIES:
                veto.notice_policy_stale += 1
    if veto.first_line_total >= FIRST_LINE_LIMIT:
        veto.reasons.append(
            f"动态要闻类栏目超过2周未更新 {veto.news_stale} 个、通知公告和政策文件类栏目"
            f"超过6个月未更新 {veto.notice_policy_stale} 个，合计 {veto.first_line_total} 个"
            f"（达到 {FIRST_LINE_LIMIT} 个即单项否决）"
        )
    if veto.stale_total >= STALE_LIMIT:
        veto.reasons.append(
            f"应更新但长期未更新的栏目 {veto.stale_total} 个（达到 {STALE_LIMIT} 个即单项否决）"
        )
    if veto.blank >= BLANK_LIMIT:
        veto.reasons.append(f"空白栏目 {veto.blank} 个（达到 {BLANK_LIMIT} 个即单项否决）")
    return veto
