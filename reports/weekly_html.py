"""The weekly report as HTML (browser and, through WeasyPrint, PDF)."""

from __future__ import annotations

from typing import Any

from common.vocabulary import SEVERITY_NAMES
from detectors.registry import title_of
from reports.html_render import render_html
from reports.report_data import chinese_date
from reports.weekly import WeeklyReport, short_week_label


def comparison_rows(report: WeeklyReport) -> list[tuple[str, int, int]]:
    now, before = report.this_week, report.last_week
    return [
        ("新发现问题", now.new, before.new),
        ("整改后再次出现", now.reopened, before.reopened),
        ("已整改", now.fixed, before.fixed),
        ("判定为误报", now.dismissed, before.dismissed),
        ("周末待整改", now.open_at_end, before.open_at_end),
    ]


def weekly_html(report: WeeklyReport) -> str:
    def severity(record: dict[str, Any]) -> str:
        return SEVERITY_NAMES.get(record["severity"], record["severity"])

    return render_html(
        "weekly.html.j2",
        report=report,
        charts=report.charts,
        comparison=comparison_rows(report),
        this_label=short_week_label(report.this_week.start, report.this_week.end),
        last_label=short_week_label(report.last_week.start, report.last_week.end),
        scan_date=chinese_date(report.scan_date),
        today=chinese_date(report.today),
        severity=severity,
        type_name=title_of,
    )
