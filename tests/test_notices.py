"""Rectification notices: who gets one, what it lists, its deadline, and its three files."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from govwatch.cli import cli
from govwatch.config import ConfigError, parse_config
from reports.notices import build_notices, chinese_numeral
from reports.problem_tables import group_by_type
from reports.report_data import ReportSettings, load_report_inputs
from tests.report_db import SITE, SITE_NAME, build, sample_specs

CONFIG = f"""
site: {{id: {SITE}, name: {SITE_NAME}, start_urls: ["http://www.longnan.gov.cn/"]}}
units:
  - {{name: 市政府办, default: true}}
  - {{name: 市司法局, paths: ["/xxgk/sfj/"]}}
  - {{name: 市融媒体中心, paths: ["/xwzx/"]}}
reports:
  issuer: 龙南市政务服务数据管理局
  contact: 政务公开科，电话 0797-3512345
  deadline_working_days: 5
  veto_deadline_working_days: 2
"""


@pytest.fixture
def report_db(db_url):
    db = build(db_url, sample_specs())
    yield db_url
    db.dispose()


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def open_confirmed_from_cli(db_url: str) -> list[dict]:
    records = json.loads(run("findings", "--db", db_url, "--format", "json"))
    return [r for r in records if r["status"] in ("open", "confirmed")]


def docx_text(path: Path) -> str:
    document = Document(str(path))
    return "\n".join(p.text for p in document.paragraphs)


def test_one_notice_per_unit_with_open_problems_counts_match_findings(report_db, tmp_path):
    config = tmp_path / "site.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    out = tmp_path / "notices"
    printed = run(
        "report", "notices", "--out", str(out), "--db", report_db, "--config", str(config)
    )
    assert "市政府办：问题 9 条（单项否决 2 条）" in printed
    names = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert (out / ".govwatch-notices-longnan.json").is_file()  # what govwatch wrote there
    assert names == sorted(
        f"整改通知-{unit}{suffix}"
        for unit in ("市政府办", "市融媒体中心")
        for suffix in (".docx", ".html", ".xlsx")
    )  # 市司法局's only finding is fixed: no notice

    expected = open_confirmed_from_cli(report_db)
    by_unit: dict[str, list[dict]] = {}
    for record in expected:
        by_unit.setdefault(record["unit"], []).append(record)
    assert {u: len(rs) for u, rs in by_unit.items()} == {"市政府办": 9, "市融媒体中心": 1}

    for unit, records in by_unit.items():
        document = Document(str(out / f"整改通知-{unit}.docx"))
        rows = sum(len(t.rows) - 1 for t in document.tables)
        assert rows == len(records)
        sheet = load_workbook(out / f"整改通知-{unit}.xlsx").active
        assert sheet.max_row - 1 == len(records)
        html = (out / f"整改通知-{unit}.html").read_text(encoding="utf-8")
        for record in records:
            assert record["page_url"] in html
    html = (out / "整改通知-市政府办.html").read_text(encoding="utf-8")
    assert "误报的身份证号" not in html and "已修复的链接" not in html


def test_docx_reads_like_an_official_document(report_db, tmp_path):
    config = tmp_path / "site.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    run("report", "notices", "--out", str(tmp_path), "--db", report_db, "--config", str(config))
    path = tmp_path / "整改通知-市政府办.docx"
    document = Document(str(path))
    text = docx_text(path)
    lines = [p.text for p in document.paragraphs if p.text]
    assert lines[0] == "龙南市政务服务数据管理局"
    assert lines[1] == f"关于{SITE_NAME}网站及政务新媒体存在问题的整改通知"
    assert lines[2] == "市政府办："
    assert "国办秘函〔2019〕19号" in text
    # issued 2024-11-25 (Mon): 5 working days → Mon 2 Dec; veto items 2 → Wed 27 Nov
    assert "请于2024年12月2日前（5个工作日内）完成整改" in text
    assert "2024年11月27日前（2个工作日内）" in text
    assert "政务公开科，电话 0797-3512345" in text
    assert lines[-1] == "2024年11月25日" and lines[-2] == "龙南市政务服务数据管理局"

    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    footer = section.footer._element.xml
    assert "PAGE" in footer and 'w:fldCharType="begin"' in footer
    east_asia = {f.get(qn("w:eastAsia")) for f in document.element.body.iter(qn("w:rFonts"))}
    assert {"方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"} <= east_asia
    styles = document.styles.element.xml
    assert 'w:eastAsia="仿宋_GB2312"' in styles

    headings = [
        p.text
        for p in document.paragraphs
        if re.match(r"（[一二三四五六七八九十]+）.*（共 \d+ 条", p.text)
    ]
    assert "一、存在的问题" in lines and "二、整改要求" in lines
    assert [h.split("（共")[0] for h in headings] == [
        "（一）首页不更新",
        "（二）错敏词",
        "（三）栏目不更新",
        "（四）空白栏目",
        "（五）政策解读缺失",
        "（六）链接不可用",
        "（七）future_check",
    ]
    assert len(document.tables) == len(headings)
    terms, links, unknown = document.tables[1], document.tables[5], document.tables[6]
    assert [c.text for c in terms.rows[0].cells][1:5] == [
        "所在页面",
        "错敏词",
        "推荐修改",
        "所在上下文",
    ]
    assert terms.rows[1].cells[2].text == "时时彩"  # veto first
    assert terms.rows[2].cells[3].text == "一带一路倡议"
    assert [c.text for c in links.rows[0].cells][1:5] == [
        "所在页面",
        "不可用链接",
        "链接文字",
        "原因",
    ]
    assert len(links.rows) == 3
    assert "一种以后才有的检查" in [c.text for c in unknown.rows[1].cells]
    stale = document.tables[2]
    assert "2024-10-16" in [c.text for c in stale.rows[1].cells]
    interpretation = document.tables[4]
    assert "未发布解读" in [c.text for c in interpretation.rows[1].cells]


def test_xlsx_has_the_county_export_columns_grouped_by_type(report_db, tmp_path):
    run("report", "notices", "--out", str(tmp_path), "--db", report_db)
    book = load_workbook(tmp_path / "整改通知-市政府办.xlsx")
    sheet = book.active
    headers = [c.value for c in sheet[1]]
    for name in (
        "错敏词",
        "推荐修改",
        "所在上下文",
        "所在文章链接",
        "所在文章标题",
        "发布时间",
        "问题类型",
        "问题级别",
        "父页面地址",
    ):
        assert name in headers
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:R{sheet.max_row}"
    assert sheet["A1"].font.bold
    assert sheet.column_dimensions["I"].width >= 40
    types = [row[headers.index("问题类型")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    # grouped: each type in one contiguous run
    runs = [t for i, t in enumerate(types) if i == 0 or types[i - 1] != t]
    assert len(runs) == len(set(types)) == 7
    term_rows = [
        row
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if row[headers.index("问题类型")] == "错敏词"
    ]
    assert {r[headers.index("错敏词")] for r in term_rows} == {"时时彩", "一带一路战略"}
    deadlines = {r[headers.index("问题级别")]: r[headers.index("整改期限")] for r in term_rows}
    assert deadlines == {"单项否决": "2024-11-27", "中": "2024-12-02"}


def test_unit_that_fixed_everything_loses_its_old_notice(report_db, tmp_path):
    """Last week govwatch wrote 市司法局 a notice (its manifest says so); this week the
    unit's only finding is fixed, so the notice goes. (A file govwatch did not write
    stays: tests/test_notice_files.py.)"""
    (tmp_path / ".govwatch-notices-longnan.json").write_text(
        '{"site": "longnan", "files": ["整改通知-市司法局.docx"]}', encoding="utf-8"
    )
    stale = tmp_path / "整改通知-市司法局.docx"
    stale.write_bytes(b"last week's notice")
    printed = run("report", "notices", "--out", str(tmp_path), "--db", report_db)
    assert not stale.exists()
    assert "整改通知-市司法局.docx" in printed


def test_deadline_counts_working_days_across_national_day():
    """Issued Fri 27 Sep 2024: Sun 29 Sep is a 调休 working day, 1–7 Oct are holidays."""
    settings = ReportSettings("站", "发文机关", None, "发文机关", 5, 2)
    records = [
        {
            "id": 1,
            "detector": "broken_link",
            "severity": "medium",
            "unit": "甲",
            "status": "open",
            "page_url": "http://h/a",
            "message": "m",
        },
        {
            "id": 2,
            "detector": "term",
            "severity": "veto",
            "unit": "甲",
            "status": "confirmed",
            "page_url": "http://h/b",
            "message": "m",
        },
    ]

    class Inputs:
        site_id, site_name, scan_id, scan_date = "s", "站", 1, date(2024, 9, 27)
        unresolved = records

    Inputs.settings = settings
    (notice,) = build_notices(Inputs, date(2024, 9, 27))
    assert notice.deadline == date(2024, 10, 10)  # 29 Sep, 30 Sep, 8, 9, 10 Oct
    assert notice.veto_deadline == date(2024, 9, 30)
    assert "请于2024年10月10日前（5个工作日内）完成整改" in notice.requirements()[0]
    assert "2024年9月30日前（2个工作日内）" in notice.requirements()[0]


def test_notice_without_veto_items_has_no_veto_deadline(report_db):
    from storage.db import open_database

    db = open_database(report_db)
    with db.session() as session:
        inputs = load_report_inputs(session, None, None)
    db.dispose()
    notices = {n.unit: n for n in build_notices(inputs, date(2024, 11, 25))}
    assert notices["市融媒体中心"].veto_deadline is not None
    inputs.records = [r for r in inputs.records if r["severity"] != "veto"]
    notices = {n.unit: n for n in build_notices(inputs, date(2024, 11, 25))}
    assert set(notices) == {"市政府办"}
    assert notices["市政府办"].veto_deadline is None
    assert "单项否决" not in "".join(notices["市政府办"].requirements())
    # without a config the site's name issues and signs the notice
    assert notices["市政府办"].settings.issuer == SITE_NAME


def test_group_by_type_falls_back_to_a_generic_table():
    (table,) = group_by_type(
        [
            {
                "id": 1,
                "detector": "brand_new",
                "severity": "low",
                "page_url": "http://h/",
                "message": "新的问题",
            }
        ]
    )
    assert table.title == "brand_new"
    assert table.headers == ["序号", "所在页面", "问题说明", "级别"]
    assert table.rows == [["1", "http://h/", "新的问题", "低"]]
    assert abs(sum(table.widths()) - 1) < 1e-9


def test_chinese_numerals():
    assert [chinese_numeral(i) for i in (1, 9, 10, 11, 20, 23)] == [
        "一",
        "九",
        "十",
        "十一",
        "二十",
        "二十三",
    ]


def test_reports_config_section_is_validated():
    base = 'site: {id: a, name: 甲, start_urls: ["http://h/"]}\n'
    config = parse_config(base)
    assert config.reports.deadline_working_days == 5
    assert config.reports.veto_deadline_working_days == 2
    with pytest.raises(ConfigError) as error:
        parse_config(
            base + "reports: {deadline_working_days: 3, veto_deadline_working_days: 4}", "s.yaml"
        )
    assert error.value.problems == [
        "s.yaml: reports: veto_deadline_working_days: 单项否决问题的整改期限（4 个工作日）"
        "不应长于一般问题的期限（deadline_working_days: 3）"
    ]
    with pytest.raises(ConfigError) as error:
        parse_config(base + "reports: {deadline_days: 3}", "s.yaml")
    assert error.value.problems == ["s.yaml: reports.deadline_days: 未知的配置项（请检查拼写）"]
    with pytest.raises(ConfigError) as error:
        parse_config(base + "reports: {deadline_working_days: 0}", "s.yaml")
    assert error.value.problems == ["s.yaml: reports.deadline_working_days: 数值过小（应 ≥ 1）"]


def test_check_config_shows_the_notice_settings(tmp_path):
    config = tmp_path / "site.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    printed = run("check-config", str(config))
    assert (
        "发文机关 龙南市政务服务数据管理局，整改期限 5 个工作日（单项否决问题 2 个工作日）"
        in printed
    )
    config.write_text(
        CONFIG.replace("veto_deadline_working_days: 2", "veto_deadline_working_days: 9"),
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["check-config", str(config)])
    assert result.exit_code == 2
    assert (
        "reports: veto_deadline_working_days: 单项否决问题的整改期限（9 个工作日）" in result.output
    )


def test_site_must_be_named_when_the_database_has_several(report_db, tmp_path):
    from storage.db import open_database
    from storage.models import Site
    from tests.report_db import at

    db = open_database(report_db)
    with db.session() as session:
        session.add(Site(id="other", name="另一个站点", created_at=at("2024-11-01")))
    db.dispose()
    result = CliRunner().invoke(
        cli, ["report", "notices", "--out", str(tmp_path), "--db", report_db]
    )
    assert result.exit_code == 2
    assert "请用 --site 指定" in result.output
    result = CliRunner().invoke(
        cli, ["report", "notices", "--out", str(tmp_path), "--db", report_db, "--site", "other"]
    )
    assert result.exit_code == 1 and "还没有完成的扫描" in result.output
    run("report", "notices", "--out", str(tmp_path), "--db", report_db, "--site", SITE)


def test_notice_html_escapes_page_content():
    """Link texts and contexts come from crawled pages: they are text, never markup."""
    from reports.notice_html import notice_html

    records = [
        {
            "id": 1,
            "detector": "broken_link",
            "severity": "medium",
            "unit": "甲",
            "status": "open",
            "page_url": "http://h/a",
            "message": "m",
            "target_url": "javascript:alert(1)",
            "link_text": "<script>alert(1)</script>",
            "error": "http_404",
            "http_status": 404,
        },
    ]

    class Inputs:
        site_id, site_name, scan_id, scan_date = "s", "站", 1, date(2024, 11, 25)
        unresolved = records
        settings = ReportSettings("站", "发文机关", None, "发文机关")

    (notice,) = build_notices(Inputs, date(2024, 11, 25))
    html = notice_html(notice)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html  # only http(s) values become links


def test_docx_keeps_the_signature_with_its_date_and_the_text(report_db, tmp_path):
    """No page of only a 落款, and never a date alone: from the last paragraph of the
    requirements through the signature, every paragraph keeps with the next."""
    config = tmp_path / "site.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    run("report", "notices", "--out", str(tmp_path), "--db", report_db, "--config", str(config))
    paragraphs = Document(str(tmp_path / "整改通知-市政府办.docx")).paragraphs
    texts = [p.text for p in paragraphs]
    assert texts[-2:] == ["龙南市政务服务数据管理局", "2024年11月25日"]
    last_requirement = max(i for i, t in enumerate(texts) if t.startswith("联系方式："))
    for para in paragraphs[last_requirement:-1]:
        assert para.paragraph_format.keep_with_next, repr(para.text)
    assert paragraphs[-2].paragraph_format.keep_together


def test_docx_columns_never_split_a_short_term_or_a_date(report_db, tmp_path):
    """Cells are 9 pt: a date (2024-11-20) or a term (一带一路战略) must fit on one line
    of its column, the cell margins (0.19 cm a side) included; URLs may wrap."""
    run("report", "notices", "--out", str(tmp_path), "--db", report_db)
    document = Document(str(tmp_path / "整改通知-市政府办.docx"))
    checked = 0
    for grid in document.tables:
        for row in grid.rows[1:]:
            for cell in row.cells:
                text = cell.text
                em = sum(1.0 if ord(c) > 0x2E7F else 0.5 for c in text)
                if text.startswith("http") or em > 8:
                    continue
                needed_cm = em * 9 / 72 * 2.54 + 0.38
                assert cell.width.cm >= needed_cm, (grid.rows[0].cells[0].text, text)
                checked += 1
    assert checked > 20
