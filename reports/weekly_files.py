"""Writing the weekly report to a file; the suffix picks the format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from reports.html_render import write_pdf
from reports.notice_files import write_atomically
from reports.report_data import ReportInputs
from reports.weekly import WeeklyReport, build_weekly

WEEKLY_SUFFIXES = (".html", ".pdf", ".docx")


@dataclass
class WrittenWeekly:
    report: WeeklyReport
    path: Path
    pages: int | None  # PDF only


def write_weekly(session: Session, inputs: ReportInputs, path: Path, today: date) -> WrittenWeekly:
    report = build_weekly(session, inputs, today)
    return write_weekly_report(report, path)


def write_weekly_report(report: WeeklyReport, path: Path) -> WrittenWeekly:
    suffix = path.suffix.lower()
    if suffix not in WEEKLY_SUFFIXES:
        raise ValueError(f"周报文件应以 {'、'.join(WEEKLY_SUFFIXES)} 结尾：{path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    pages: list[int] = []
    if suffix == ".docx":
        from reports.weekly_docx import write_weekly_docx

        write_atomically(path, lambda p: write_weekly_docx(report, p))
        return WrittenWeekly(report, path, None)
    from reports.weekly_charts import chart_data_uri
    from reports.weekly_html import weekly_html

    report.charts = {name: chart_data_uri(report, name) for name in ("trend", "units")}
    html = weekly_html(report)
    if suffix == ".html":
        write_atomically(path, lambda p: p.write_text(html, encoding="utf-8"))
        return WrittenWeekly(report, path, None)
    write_atomically(path, lambda p: pages.append(write_pdf(html, p)))
    return WrittenWeekly(report, path, pages[0])
