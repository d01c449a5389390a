"""Rectification notices (整改通知), one per unit with unresolved problems.

A notice lists only open and confirmed findings of the latest scan: dismissed
(``false_positive``) and fixed ones never appear, and a unit with nothing open gets
no notice. The deadline is counted in working days on the official holiday calendar
from the day the notice is issued (``common.clock.today()``); single-veto items get
the shorter deadline. A deadline counted across a year whose holiday schedule is not
yet known is an estimate, and the notice says so. The docx, html and xlsx writers all
print this one object.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from common.workdays import ESTIMATE_NOTE, estimate_note
from detectors.holiday_schedule import official_calendar
from reports.problem_tables import ProblemTable, group_by_type
from reports.report_data import ReportInputs, ReportSettings, chinese_date

CRITERIA = "《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）"


@dataclass
class Notice:
    site_id: str
    site_name: str
    unit: str
    settings: ReportSettings
    issued: date
    scan_id: int
    scan_date: date
    deadline: date
    veto_deadline: date | None  # only when the notice has single-veto items
    tables: list[ProblemTable]
    records: list[dict[str, Any]]
    estimated_years: tuple[int, ...] = ()  # years the deadlines were counted by estimate

    @property
    def deadline_note(self) -> str:
        """``（按估算的节假日计算）`` after a deadline that is an estimate, else empty."""
        return f"（{ESTIMATE_NOTE}）" if self.estimated_years else ""

    @property
    def title(self) -> str:
        return f"关于{self.site_name}网站及政务新媒体存在问题的整改通知"

    @property
    def total(self) -> int:
        return len(self.records)

    @property
    def veto(self) -> int:
        return sum(t.veto for t in self.tables)

    def body(self) -> list[str]:
        """The paragraphs before the tables."""
        veto = f"，其中单项否决问题 {self.veto} 条" if self.veto else ""
        return [
            f"根据{CRITERIA}和《政府网站发展指引》（国办发〔2017〕47号）有关要求，"
            f"{self.settings.issuer}于{chinese_date(self.scan_date)}对{self.site_name}"
            f"门户网站及政务新媒体账号开展了监测检查。经检查，你单位负责的网页和政务新媒体账号"
            f"存在问题 {self.total} 条{veto}，具体如下。",
        ]

    def requirements(self) -> list[str]:
        """The paragraphs after the tables: deadline, feedback, contact."""
        s = self.settings
        deadline = f"请于{chinese_date(self.deadline)}前（{s.deadline_days}个工作日内）完成整改"
        if self.veto_deadline is not None:
            deadline += (
                f"；其中单项否决问题可直接导致网站检查不合格，请于"
                f"{chinese_date(self.veto_deadline)}前（{s.veto_deadline_days}个工作日内）"
                "优先完成整改"
            )
        if self.estimated_years:
            deadline += (
                f"。以上期限{estimate_note(self.estimated_years)}，"
                "与国务院办公厅公布的节假日安排不一致时，以公布的安排为准"
            )
        lines = [
            f"（一）{deadline}。",
            "（二）请逐条核实上述问题，整改完成后将整改情况（含逐条整改结果）书面报送"
            f"{s.issuer}；经核实确属误报的，请注明理由一并反馈。",
            "（三）请举一反三，对本单位负责的其他栏目、页面和政务新媒体账号同步开展自查，"
            "建立健全信息发布审核和日常巡查机制，防止同类问题再次发生。",
        ]
        if s.contact:
            lines.append(f"联系方式：{s.contact}")
        return lines


def notice_deadline(start: date, severity: str, settings: ReportSettings) -> date:
    """The day a problem noticed on ``start`` must be fixed by."""
    days = settings.veto_deadline_days if severity == "veto" else settings.deadline_days
    return official_calendar().add_working_days(start, days)


def deadline_estimated(start: date, deadline: date) -> tuple[int, ...]:
    """The years whose holidays were estimated in counting ``start`` → ``deadline``."""
    return official_calendar().estimated_years(start, deadline)


def build_notices(inputs: ReportInputs, issued: date) -> list[Notice]:
    """One notice per unit that has open or confirmed findings, units in name order."""
    by_unit: dict[str, list[dict[str, Any]]] = {}
    for record in inputs.unresolved:
        by_unit.setdefault(record["unit"], []).append(record)
    notices = []
    for unit in sorted(by_unit):
        records = by_unit[unit]
        has_veto = any(r["severity"] == "veto" for r in records)
        deadline = notice_deadline(issued, "medium", inputs.settings)
        notices.append(
            Notice(
                site_id=inputs.site_id,
                site_name=inputs.site_name,
                unit=unit,
                settings=inputs.settings,
                issued=issued,
                scan_id=inputs.scan_id,
                scan_date=inputs.scan_date,
                deadline=deadline,
                veto_deadline=(
                    notice_deadline(issued, "veto", inputs.settings) if has_veto else None
                ),
                tables=group_by_type(records),
                records=records,
                # the general deadline is the later one: it spans every year either counts
                estimated_years=deadline_estimated(issued, deadline),
            )
        )
    return notices


def chinese_numeral(i: int) -> str:
    """1 → 一, 12 → 十二, 23 → 二十三 (for 99 or fewer, which is all a notice needs)."""
    digits = "一二三四五六七八九"
    tens, ones = divmod(i, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else digits[tens - 1] + "十")
    return head + (digits[ones - 1] if ones else "")


def _safe_name(unit: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", unit).strip("._") or "单位"


def _short_hash(unit: str) -> str:
    return hashlib.sha1(unit.encode("utf-8")).hexdigest()[:6]


def notice_stems(units: list[str]) -> dict[str, str]:
    """``整改通知-市司法局`` per unit: its name made safe for any file system, and never
    one file for two units. A name that had to change carries a short hash of the name
    as written (``a/b`` → ``整改通知-a_b-3ec69c``, while a unit really called ``a_b``
    keeps ``整改通知-a_b``); names that still meet — on a file system that ignores case
    (Windows, macOS, most shares) — all carry their hash."""
    stems = {
        unit: f"整改通知-{_safe_name(unit)}"
        + ("" if _safe_name(unit) == unit else f"-{_short_hash(unit)}")
        for unit in units
    }
    seen: dict[str, list[str]] = {}
    for unit, stem in stems.items():
        seen.setdefault(stem.casefold(), []).append(unit)
    for clash in (units for units in seen.values() if len(units) > 1):
        for unit in clash:
            stems[unit] = f"整改通知-{_safe_name(unit)}-{_short_hash(unit)}"
    return stems
