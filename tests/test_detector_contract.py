"""The detector contract: a detector declares its meaning, and everything a person sees
of its findings flows from the declaration with no other file touched."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from detectors.base import Detector, Finding, Option
from detectors.presentation import PAGE, Column, Evidence, field, raw
from detectors.registry import DETECTORS, all_detectors, detectors_for, registered, title_of
from detectors.runner import FindingCollector, run_detectors
from detectors.veto_groups import SERIOUS_ERRORS, VETO_GROUPS
from govwatch.cli import cli
from govwatch.config import ConfigError, parse_config
from reports.findings_export import finding_record, summary_text, to_csv, to_json
from reports.report_data import load_report_inputs
from reports.weekly import build_weekly
from storage.db import open_database
from storage.queries import query_findings
from tests.report_db import SITE, Spec, build, sample_specs

CONFIG = """\
site:
  id: longnan
  name: 龙南市人民政府
  start_urls: ["http://www.longnan.gov.cn/"]
units:
  - name: 市政府办
    default: true
  - name: 市融媒体中心
    paths: ["/xwzx/"]
"""


class ParkingDetector(Detector):
    """A throwaway rule: a page that lists a car park's number plate."""

    id: ClassVar[str] = "parking_plate"
    title: ClassVar[str] = "车牌号公开"
    scope: ClassVar[str] = "text"
    criterion: ClassVar[str] = "测试用依据"
    severity_rule: ClassVar[str] = "一律单项否决（测试）"
    options: ClassVar[dict[str, Option]] = {"prefix": Option("赣", "车牌前缀")}
    fields: ClassVar[tuple[str, ...]] = ("plate",)
    columns: ClassVar[tuple[Column, ...]] = (PAGE, Column("车牌", field("plate"), 1.0))
    sheet: ClassVar[dict] = {"问题对象": raw("plate")}
    evidence: ClassVar[tuple[Evidence, ...]] = (Evidence("车牌", "plate"),)
    veto_group: ClassVar[str] = SERIOUS_ERRORS
    rank: ClassVar[int] = 5

    def check(self, page: Any):
        prefix = self.settings["prefix"]
        if f"{prefix}B" in page.text.text:
            yield Finding(
                detector=self.id,
                page_url=page.url,
                key="plate",
                severity="veto",
                message=f"页面公开了车牌号“{prefix}B12345”",
                details={"plate": f"{prefix}B12345"},
            )


def test_every_registered_detector_declares_its_meaning():
    ids = [cls.id for cls in DETECTORS]
    assert len(ids) == len(set(ids))
    groups = {g.id for g in VETO_GROUPS}
    ranks = [cls.rank for cls in DETECTORS]
    assert len(ranks) == len(set(ranks)), "notice order must be total"
    for cls in DETECTORS:
        assert cls.title and cls.criterion and cls.severity_rule, cls.id
        assert cls.scope in ("markup", "text", "site"), cls.id
        assert cls.columns and all(isinstance(c, Column) for c in cls.columns), cls.id
        assert cls.evidence and cls.fields, cls.id
        assert cls.veto_group is None or cls.veto_group in groups, cls.id
        for name, option in cls.options.items():
            assert isinstance(option.default, int | float | bool | str), (cls.id, name)
    assert [cls.rank for cls in all_detectors()] == sorted(ranks)


def test_a_throwaway_detector_flows_into_exports_notices_and_the_weekly_report(
    sqlite_url, tmp_path
):
    with registered(ParkingDetector):
        config = parse_config(CONFIG + "detectors:\n  parking_plate: {prefix: 粤}\n")
        [detector] = [d for d in detectors_for(config, "text") if d.id == "parking_plate"]
        assert detector.settings == {"prefix": "粤"}
        from detectors.page import PageContext

        page = PageContext.from_text("http://www.longnan.gov.cn/xwzx/a.html", "停车", "粤B12345")
        found = run_detectors([detector], page)
        collector = FindingCollector(_units(config))
        [finding] = [f for f in found.findings if collector.accept(f)]
        assert finding.unit == "市融媒体中心"  # unit attribution: the page's path

        spec = Spec(
            "parking_plate",
            "市融媒体中心",
            "veto",
            "/xwzx/a.html",
            finding.message,
            [("2024-11-25", None, "open")],
            finding.details,
        )
        db = build(sqlite_url, [*sample_specs(), spec])
        db.dispose()

        # JSON, CSV, the table and the summary
        db = open_database(sqlite_url)
        with db.session() as session:
            records = [finding_record(f) for f in query_findings(session, site=SITE)]
            ours = [r for r in records if r["detector"] == "parking_plate"]
            assert ours and ours[0]["plate"] == "粤B12345"
            assert json.loads(to_json(ours))[0]["plate"] == "粤B12345"
            row = next(csv.DictReader(io.StringIO(to_csv(ours))))
            assert row["plate"] == "粤B12345"
            assert "车牌号公开：1 个" in summary_text(records)

            # the weekly report: its veto group turns red and names it
            inputs = load_report_inputs(session, SITE, config)
            report = build_weekly(session, inputs, date(2024, 11, 25))
            serious = next(i for i in report.veto_items if i.name == "严重错误")
            assert serious.state == "red" and "车牌号公开 1 条" in serious.summary
            assert ("车牌号公开", 1, 1) in report.by_type
        db.dispose()

        # notices: its own table (title, columns) first, and its sheet cell
        out = tmp_path / "notices"
        result = CliRunner().invoke(
            cli, ["report", "notices", "--out", str(out), "--db", sqlite_url]
        )
        assert result.exit_code == 0, result.output
        notice = Document(str(out / "整改通知-市融媒体中心.docx"))
        headers = [cell.text for cell in notice.tables[0].rows[0].cells]
        assert "车牌" in headers and notice.tables[0].rows[1].cells[2].text == "粤B12345"
        html = (out / "整改通知-市融媒体中心.html").read_text(encoding="utf-8")
        assert "车牌号公开" in html
        sheet = load_workbook(out / "整改通知-市融媒体中心.xlsx").active
        head = [c.value for c in sheet[1]]
        row = next(sheet.iter_rows(min_row=2, values_only=True))
        assert row[head.index("问题类型")] == "车牌号公开"
        assert row[head.index("问题对象")] == "粤B12345"

        weekly = tmp_path / "weekly.html"
        result = CliRunner().invoke(
            cli, ["report", "weekly", "--out", str(weekly), "--db", sqlite_url]
        )
        assert result.exit_code == 0, result.output
        assert "车牌号公开 1 条" in weekly.read_text(encoding="utf-8")
    assert title_of("parking_plate") == "parking_plate"  # unregistered again


def _units(config):
    from common.units import UnitResolver

    return UnitResolver(config)


def test_one_failing_detector_is_recorded_and_the_others_still_run():
    class Broken(ParkingDetector):
        id: ClassVar[str] = "broken_rule"

        def check(self, page):
            raise RuntimeError("boom")

    from detectors.page import PageContext

    page = PageContext.from_text("http://x/a.html", "", "赣B12345")
    ok = ParkingDetector.build(None)
    result = run_detectors([Broken.build(None), ok], page)
    assert [f.detector for f in result.findings] == ["parking_plate"]
    assert [(f.detector, f.subject) for f in result.failures] == [("broken_rule", "http://x/a.html")]


def test_a_finding_is_collected_once_per_scan():
    config = parse_config(CONFIG)
    collector = FindingCollector(_units(config))
    first = Finding("term", "http://www.longnan.gov.cn/a.html", "k", "low", "m")
    again = Finding("term", "http://www.longnan.gov.cn/a.html", "k", "low", "m")
    assert collector.accept(first) and not collector.accept(again)
    owned = Finding("term", "http://www.longnan.gov.cn/f.pdf", "k", "low", "m")
    assert collector.accept(owned, owner="http://www.longnan.gov.cn/xwzx/1.html")
    assert owned.unit == "市融媒体中心"  # an attachment answers to the page linking it


def test_detectors_section_switches_off_and_overrides_options():
    config = parse_config(
        CONFIG
        + "detectors:\n  hidden_link: {enabled: false}\n"
        + "  home_page_stale: {max_days: 10}\n"
    )
    ids = {d.id for d in detectors_for(config, ("markup", "text", "site"))}
    assert "hidden_link" not in ids and "term" in ids
    [home] = detectors_for(config, "site", ids=["home_page_stale"])
    assert home.max_days == 10


@pytest.mark.parametrize(
    ("section", "problems"),
    [
        (
            "  hiden_link: {enabled: false}\n",
            ["<config>: detectors.hiden_link: 未知的检测项（可选：blank_column、"],
        ),
        (
            "  home_page_stale: {max_dayz: 10, enabled: maybe}\n",
            [
                "<config>: detectors.home_page_stale.enabled: 应为 true 或 false",
                "<config>: detectors.home_page_stale.max_dayz: 未知的配置项（请检查拼写）",
            ],
        ),
        (
            "  new_media_stale: {max_silent_days: 0}\n",
            ["<config>: detectors.new_media_stale.max_silent_days: 数值过小（应 ≥ 1）"],
        ),
        ("  term: [1, 2]\n", ["<config>: detectors.term: 应为映射（键: 值）"]),
    ],
)
def test_detectors_section_names_the_bad_key(section, problems):
    with pytest.raises(ConfigError) as error:
        parse_config(CONFIG + "detectors:\n" + section)
    assert len(error.value.problems) == len(problems)
    for line, expected in zip(error.value.problems, problems, strict=True):
        assert line.startswith(expected), line


def test_reports_and_the_app_name_no_detector():
    """Only detectors/ knows what a detector id means."""
    root = Path(__file__).resolve().parents[1]
    ids = [cls.id for cls in DETECTORS]
    offenders = []
    for folder in ("reports", "govwatch"):
        for path in (root / folder).rglob("*"):
            if path.suffix not in (".py", ".j2", ".html") or "sample_portal" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            offenders += [f"{path.relative_to(root)}: {i}" for i in ids if f'"{i}"' in text]
            offenders += [f"{path.relative_to(root)}: {i}" for i in ids if f"'{i}'" in text]
    assert offenders == []
