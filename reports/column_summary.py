"""The columns, home page and policy interpretations part of a scan's summary.

One block the demo prints (and writes into ``summary.txt``): each stale and blank
column, the home page, each document whose interpretation is missing, late or not
linked both ways, and the three single-veto lines for columns counted by
:mod:`reports.column_veto` from the same finding records.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from common.vocabulary import UNRESOLVED
from detectors.column_categories import load_categories
from detectors.missing_interpretation import REASON_NAMES
from reports.column_veto import BLANK_LIMIT, FIRST_LINE_LIMIT, STALE_LIMIT, column_veto


def column_lines(records: Iterable[dict[str, Any]], *, veto: bool = True) -> list[str]:
    """Chinese lines for the summary (empty headings say “无”), ending with the veto lines
    unless ``veto`` is false (the scan that printed just before already showed them)."""
    records = [r for r in records if r.get("status") in UNRESOLVED]
    stale = [r for r in records if r["detector"] == "stale_column"]
    blank = [r for r in records if r["detector"] == "blank_column"]
    home = [r for r in records if r["detector"] == "home_page_stale"]
    policy = [r for r in records if r["detector"] == "missing_interpretation"]
    lines = [f"栏目更新（栏目不更新 {len(stale)} 个，空白栏目 {len(blank)} 个）："]
    for r in sorted(stale, key=lambda r: (r["unit"], r["page_url"])):
        category = load_categories().name_of(r["category"])
        last = r["last_published"] or "无可识别日期"
        days = f"{r['days_since']} 天" if r["days_since"] is not None else "未知天数"
        lines.append(
            f"  不更新 · {r['column_name']}（{category}，限 {r['max_age_days']} 天）"
            f" · {r['unit']}：最近发布 {last}，已 {days}"
        )
    for r in sorted(blank, key=lambda r: (r["unit"], r["page_url"])):
        lines.append(f"  空白 · {r['column_name']} · {r['unit']}：{r['page_url']}")
    if not stale and not blank:
        lines.append("  无")
    if home:
        r = home[0]
        last = r["last_new_content"] or "无带日期的内容"
        lines.append(f"首页更新：已 {r['days_since'] or '?'} 天无新内容（最近 {last}），单项否决")
    else:
        lines.append("首页更新：正常（2周内有新内容）")
    lines.append(f"政策解读（问题 {len(policy)} 个）：")
    for r in sorted(policy, key=lambda r: (r["published"] or "", r["page_url"])):
        number = f"（{r['document_number']}）" if r["document_number"] else ""
        lines.append(
            f"  {REASON_NAMES.get(r['reason'], r['reason'])} · 《{r['document_title']}》"
            f"{number} {r['published'] or ''}"
        )
    if not policy:
        lines.append("  无")
    if veto:
        lines.extend(veto_lines(records))
    return lines


def veto_lines(records: Iterable[dict[str, Any]]) -> list[str]:
    """The three single-veto lines for columns with the current counts."""
    lines: list[str] = []
    veto = column_veto(records)
    lines.append("栏目单项否决线（国办秘函〔2019〕19号）：")
    lines.append(
        f"  动态要闻类超2周 {veto.news_stale} 个 + 通知公告/政策文件类超6个月 "
        f"{veto.notice_policy_stale} 个 = {veto.first_line_total} 个"
        f"（否决线 {FIRST_LINE_LIMIT} 个）"
    )
    lines.append(f"  长期未更新栏目 {veto.stale_total} 个（否决线 {STALE_LIMIT} 个）")
    lines.append(f"  空白栏目 {veto.blank} 个（否决线 {BLANK_LIMIT} 个）")
    if veto.vetoed:
        lines.extend(f"  单项否决：{reason}" for reason in veto.reasons)
    else:
        lines.append("  结论：未触及栏目单项否决线")
    return lines
