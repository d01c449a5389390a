"""The leaders' weekly report: veto states, week against week, overdue, and its files.

The PDF is rendered to PNG with pdftoppm and read back with pdftotext: pages must not
be blank, must carry the Chinese text, and must embed a CJK font (no tofu boxes).
"""

from __future__ import annotations

import base64
import json
import subprocess
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from PIL import Image

from govwatch.cli import cli
from reports.report_data import load_report_inputs
from reports.weekly import build_weekly, veto_items
from reports.weekly_charts import chart_svg
from storage.db import open_database
from tests.report_db import SITE_NAME, Spec, build, sample_specs
from tests.system import need_pdf_tools

TODAY = date(2024, 11, 25)
ALL_DETECTORS = {
    "broken_link",
    "term",
    "hidden_link",
    "stale_column",
    "blank_column",
    "home_page_stale",
    "new_media_stale",
}


@pytest.fixture
def report_db(db_url):
    db = build(db_url, sample_specs())
    yield db_url
    db.dispose()


def weekly(db_url: str):
    db = open_database(db_url)
    try:
        with db.session() as session:
            inputs = load_report_inputs(session, None, None)
            return build_weekly(session, inputs, TODAY), inputs
    finally:
        db.dispose()


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_week_against_last_week_and_overdue_by_unit(report_db):
    report, _ = weekly(report_db)
    assert (report.this_week.start, report.this_week.end) == (date(2024, 11, 19), TODAY)
    assert report.this_week.new == 8
    assert report.this_week.fixed == 2
    assert report.this_week.dismissed == 1
    assert report.last_week.new == 4
    assert report.last_week.fixed == 0
    assert report.last_week.open_at_end == 5
    # first seen 5 Nov (deadline 12 Nov) and a veto item of 12 Nov (deadline 14 Nov)
    assert sorted((o.record["unit"], o.deadline) for o in report.overdue) == [
        ("市政府办", date(2024, 11, 12)),
        ("市融媒体中心", date(2024, 11, 14)),
    ]
    units = {u.unit: u for u in report.units}
    assert (units["市政府办"].open, units["市政府办"].veto, units["市政府办"].overdue) == (9, 2, 1)
    assert units["市政府办"].rank == 1 and units["市融媒体中心"].rank == 2
    assert (units["市司法局"].open, units["市司法局"].fixed) == (0, 1)
    assert units["市司法局"].rank == 3 and units["市司法局"].overdue_rank == 3
    assert report.trend[0].end == date(2024, 10, 7)
    assert len(report.trend) == 8
    assert report.trend[-3].new == 1  # 5 Nov, in the week ending 11 Nov


def test_open_count_equals_govwatch_findings(report_db):
    report, _ = weekly(report_db)
    records = json.loads(run("findings", "--db", report_db, "--format", "json"))
    unresolved = [r for r in records if r["status"] in ("open", "confirmed")]
    assert report.open_total == report.this_week.open_at_end == len(unresolved) == 10
    assert report.veto_total == sum(r["severity"] == "veto" for r in unresolved) == 3
    assert sum(n for _, n, _ in report.by_type) == len(unresolved)


def test_veto_states(report_db):
    report, inputs = weekly(report_db)
    states = {i.name: i.state for i in report.veto_items}
    assert states["站点无法访问"] == "grey"  # no availability probes yet: never green
    assert states["互动回应差"] == "grey"
    assert states["首页不更新"] == "red"
    assert states["严重错误"] == "red"
    assert states["政务新媒体不更新"] == "red"
    # one stale news column, one blank column: below the vendors' warning lines
    db = open_database(report_db)
    with db.session() as session:
        items = {i.name: i for i in veto_items(session, inputs, TODAY, ALL_DETECTORS)}
        assert items["栏目不更新"].state == "green"
        assert items["空白栏目"].state == "green"
        items = {i.name: i for i in veto_items(session, inputs, TODAY, set())}
        assert items["栏目不更新"].state == "grey"  # detector not built: no data, not green
        inputs.records = [r for r in inputs.records if r["severity"] != "veto"]
        items = {i.name: i for i in veto_items(session, inputs, TODAY, ALL_DETECTORS)}
    db.dispose()
    assert items["首页不更新"].state == "green"
    assert items["严重错误"].state == "green"
    assert report.verdict_state == "red" and "严重错误" in report.verdict


def test_column_veto_lines_turn_amber_then_red(db_url):
    stale = [
        Spec(
            "stale_column",
            "市政府办",
            "high",
            f"/lm{i}/",
            f"栏目{i}未更新",
            [("2024-11-25", None, "open")],
            {"column_name": f"栏目{i}", "category": "personnel", "days_since": 400},
        )
        for i in range(7)
    ]
    blank = [
        Spec(
            "blank_column",
            "市政府办",
            "high",
            f"/kb{i}/",
            f"空白栏目{i}",
            [("2024-11-25", None, "open")],
            {"column_name": f"空白{i}"},
        )
        for i in range(5)
    ]
    db = build(db_url, stale + blank)
    db.dispose()
    report, _ = weekly(db_url)
    items = {i.name: i for i in report.veto_items}
    assert items["栏目不更新"].state == "amber"  # 7 > 6: 开普云's warning line
    assert items["空白栏目"].state == "red"  # 5: the veto line
    assert "空白栏目 5 个" in items["空白栏目"].summary


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.integration  # pdftoppm, pdftotext and pdffonts subprocesses
def test_weekly_pdf_pages_are_not_blank_and_carry_chinese_text(report_db, tmp_path):
    need_pdf_tools()
    pdf = tmp_path / "weekly.pdf"
    printed = run("report", "weekly", "--out", str(pdf), "--db", report_db)
    assert "已生成周报" in printed and "2024年11月19日—11月25日" in printed
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 3
    for page in pages:
        image = Image.open(page).convert("L")
        histogram = image.histogram()
        dark = sum(histogram[:200]) / (image.width * image.height)
        assert dark > 0.01, f"{page.name} looks blank"
    text = pdf_text(pdf)
    for expected in (
        f"{SITE_NAME}网站及政务新媒体监测周报",
        "单项否决项目",
        "站点无法访问",
        "暂无监测数据",
        "本周与上周对比",
        "各单位整改情况排名",
        "近8周趋势",
        "重点问题",
        "市政府办",
        "超期未整改",
    ):
        assert expected in text, expected
    first_page = text.split("\f")[0]
    assert "严重错误" in first_page and "得分" in first_page
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "CJK" in fonts or "WenQuanYi" in fonts, fonts  # a real CJK font, not tofu


def test_weekly_html_embeds_vector_charts(report_db, tmp_path):
    path = tmp_path / "weekly.html"
    run("report", "weekly", "--out", str(path), "--db", report_db)
    html = path.read_text(encoding="utf-8")
    uris = html.count("data:image/svg+xml;base64,")
    assert uris == 2
    start = html.index("data:image/svg+xml;base64,") + len("data:image/svg+xml;base64,")
    svg = base64.b64decode(html[start : html.index('"', start)]).decode("utf-8")
    assert "<svg" in svg and "<path" in svg
    assert "误报的身份证号" not in html
    assert "首页不更新" in html and "future_check" in html


def test_charts_and_html_are_deterministic(report_db, tmp_path):
    report, _ = weekly(report_db)
    assert chart_svg(report, "trend") == chart_svg(report, "trend")
    assert chart_svg(report, "units") == chart_svg(report, "units")
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    run("report", "weekly", "--out", str(first), "--db", report_db)
    run("report", "weekly", "--out", str(second), "--db", report_db)
    assert first.read_bytes() == second.read_bytes()


def test_weekly_docx(report_db, tmp_path):
    path = tmp_path / "weekly.docx"
    run("report", "weekly", "--out", str(path), "--db", report_db)
    document = Document(str(path))
    veto_table = document.tables[0]
    assert [c.text for c in veto_table.rows[0].cells] == [
        "单项否决项目",
        "状态",
        "本周情况",
        "否决线",
    ]
    states = {row.cells[0].text: row.cells[1].text for row in veto_table.rows[1:]}
    assert states["站点无法访问"] == "暂无数据"
    assert states["严重错误"] == "否决风险"
    assert len(states) == 7
    assert len(document.inline_shapes) == 2  # the two charts
    ranking = next(t for t in document.tables if t.rows[0].cells[0].text == "排名")
    assert [r.cells[1].text for r in ranking.rows[1:]] == ["市政府办", "市融媒体中心", "市司法局"]


def test_weekly_rejects_unknown_suffix(report_db, tmp_path):
    result = CliRunner().invoke(
        cli, ["report", "weekly", "--out", str(tmp_path / "w.txt"), "--db", report_db]
    )
    assert result.exit_code == 2 and ".pdf" in result.output
    assert not (tmp_path / "w.txt").exists()


def test_pdf_without_cjk_fonts_says_what_to_install(report_db, tmp_path, monkeypatch):
    """Tofu boxes are worse than no PDF: refuse, name the package, write nothing."""
    import reports.html_render

    monkeypatch.setattr(reports.html_render, "_has_cjk_font", lambda: False)
    pdf = tmp_path / "weekly.pdf"
    result = CliRunner().invoke(cli, ["report", "weekly", "--out", str(pdf), "--db", report_db])
    assert result.exit_code == 1
    assert "fonts-noto-cjk" in result.output
    assert not pdf.exists() and not list(tmp_path.glob("*.pdf*"))
