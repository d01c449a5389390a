"""Reports past the last announced holiday schedule: chinesecalendar 1.11.0 ends with 2026,
and a 5-working-day deadline from 25 December 2026 on reached into 2027 and failed
("2027 年的法定节假日安排不在日历数据范围内"). Now every day works, on estimated holidays
that notices, findings and the weekly report mark; and the holiday file beats the estimate.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from detectors import holiday_schedule
from govwatch.cli import cli
from reports.notices import build_notices
from reports.report_data import ReportSettings
from tests.report_db import Spec, build, sample_specs

NOTE = "按估算的节假日计算"


@pytest.fixture
def report_db(sqlite_url):
    db = build(sqlite_url, sample_specs())
    yield sqlite_url
    db.dispose()


@pytest.fixture
def fresh_calendar():
    """The official calendar read anew (and its warnings given anew) for this test."""
    holiday_schedule.official_calendar.cache_clear()
    holiday_schedule._load.cache_clear()
    yield
    holiday_schedule.official_calendar.cache_clear()
    holiday_schedule._load.cache_clear()


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize("today", ["2026-12-25", "2027-02-03", "2027-09-28", "2027-12-31"])
def test_report_notices_in_2027(report_db, tmp_path, monkeypatch, fresh_calendar, today):
    monkeypatch.setenv("GOVWATCH_TODAY", today)
    result = invoke("report", "notices", "--out", str(tmp_path), "--db", report_db)
    assert result.exit_code == 0, result.output
    assert re.search(rf"整改期限 202[78]-\d\d-\d\d（{NOTE}）", result.output), result.output
    text = "\n".join(p.text for p in Document(str(tmp_path / "整改通知-市政府办.docx")).paragraphs)
    assert re.search(rf"以上期限{NOTE}（202[78] 年的节假日安排尚未收录）", text), text
    assert NOTE in (tmp_path / "整改通知-市政府办.html").read_text(encoding="utf-8")
    sheet = load_workbook(tmp_path / "整改通知-市政府办.xlsx").active
    assert all(NOTE in row[-1] for row in sheet.iter_rows(min_row=2, values_only=True))


def test_every_day_of_2027_has_a_deadline(fresh_calendar):
    settings = ReportSettings("站", "发文机关", None, "发文机关", 5, 2)
    records = [
        {"id": 1, "detector": "term", "severity": "veto", "unit": "甲", "status": "open"},
        {"id": 2, "detector": "term", "severity": "low", "unit": "甲", "status": "open"},
    ]

    class Inputs:
        site_id, site_name, scan_id, scan_date = "s", "站", 1, date(2027, 1, 1)
        unresolved = records

    Inputs.settings = settings
    for i in range(365):
        issued = date(2027, 1, 1) + timedelta(days=i)
        (notice,) = build_notices(Inputs, issued)
        assert issued < notice.veto_deadline < notice.deadline <= issued + timedelta(days=14)
        assert notice.estimated_years


def test_weekly_report_in_2027_says_its_deadlines_are_estimated(
    sqlite_url, tmp_path, monkeypatch, fresh_calendar
):
    """Problems first seen on 30 Dec 2026 have deadlines in 2027: the report's overdue
    figures rest on estimated holidays and say so; one of 2024 alone would not."""
    specs = [
        Spec("broken_link", "市政府办", "medium", f"/a{i}", "链接无法访问", [(day, None, "open")])
        for i, day in enumerate(("2026-12-30", "2026-12-30", "2024-11-25"))
    ]
    build(sqlite_url, specs, scan_days=("2026-12-23", "2026-12-30")).dispose()
    monkeypatch.setenv("GOVWATCH_TODAY", "2027-01-11")
    for name in ("weekly.html", "weekly.docx"):
        result = invoke("report", "weekly", "--out", str(tmp_path / name), "--db", sqlite_url)
        assert result.exit_code == 0, result.output
    html = (tmp_path / "weekly.html").read_text(encoding="utf-8")
    assert f"整改期限和超期天数{NOTE}（2027 年的节假日安排尚未收录）" in html
    docx = "\n".join(p.text for p in Document(str(tmp_path / "weekly.docx")).paragraphs)
    assert NOTE in docx


def test_the_holiday_file_overrides_the_estimate(report_db, tmp_path, monkeypatch, fresh_calendar):
    """With 2027 written in the holiday file, a notice of Thu 30 Sep 2027 counts on the
    file's National Day (1–7 Oct off, Sat 9 Oct worked), not on the estimate (1–5 Oct),
    and carries no estimate note."""
    data = tmp_path / "holidays.yaml"
    data.write_text(
        "years:\n"
        "  2027:\n"
        "    holidays:\n"
        "      - 2027-10-01 至 2027-10-07\n"
        "    workdays: [2027-10-09]\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(holiday_schedule, "HOLIDAYS_FILE", data)
    monkeypatch.setenv("GOVWATCH_TODAY", "2027-09-30")
    out = tmp_path / "out"
    result = invoke("report", "notices", "--out", str(out), "--db", report_db)
    assert result.exit_code == 0, result.output
    # 8, 9 (Sat, worked), 11, 12, 13 Oct; the estimate would have said 6, 7, 8, 11, 12 Oct
    assert "市政府办：问题 9 条（单项否决 2 条），整改期限 2027-10-13\n" in result.output
    assert NOTE not in result.output


def test_a_broken_holiday_file_stops_reports_with_file_and_line(
    report_db, tmp_path, monkeypatch, fresh_calendar
):
    data = tmp_path / "holidays.yaml"
    data.write_text("years:\n  2027:\n    holidays: [2027-02-30]\n", encoding="utf-8")
    monkeypatch.setattr(holiday_schedule, "HOLIDAYS_FILE", data)
    result = invoke("report", "notices", "--out", str(tmp_path), "--db", report_db)
    assert result.exit_code == 2
    assert f"{data}:3: 2027.holidays: 应为日期" in result.output
    assert not list(Path(tmp_path).glob("整改通知-*"))


def test_check_config_checks_the_holiday_file(tmp_path, monkeypatch, fresh_calendar):
    data = tmp_path / "holidays.yaml"
    data.write_text(
        "years:\n  2027:\n    holidays: [2027-10-01]\n    workdays: [2027-10-08]\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(holiday_schedule, "HOLIDAYS_FILE", data)
    config = tmp_path / "site.yaml"
    config.write_text(
        'site: {id: s, name: 站, start_urls: ["http://127.0.0.1:9/"]}\n', encoding="utf-8"
    )
    result = invoke("check-config", str(config))
    assert result.exit_code == 2
    assert result.output == (
        f"{data}:4: 2027.workdays: 2027-10-08 是星期五，调休上班日应为周六或周日\n"
    )
