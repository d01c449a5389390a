"""Exports never execute anything: what a page wrote reaches spreadsheets, terminals and
documents as text (OWASP CSV injection, terminal escape injection, XML-illegal input).

Hostile findings are written straight into the database (tests/report_db.py), with the
page rows a notice reads its titles from; every output is read back: the CSV's raw
text, the xlsx's cell types, the bytes printed, the docx and HTML files.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import update

from common.inert_text import csv_field, strip_controls, terminal_text, xml_text
from govwatch.cli import cli
from storage.models import Page, Site
from tests.hostile_site import HostileSite
from tests.report_db import BASE, Spec, build

FORMULA = '=HYPERLINK("http://evil.example/","点击领取补贴")'
CLOSING_TAG = "[/x] 关闭标签"
LINK_MARKUP = "[link=http://evil.example/]点我[/link]"
OSC_LINK = "\x1b]8;;http://evil.example/\x1b\\官网\x1b]8;;\x1b\\"
COLOURS = "\x1b[31m红字\x1b[0m\x9b1m"  # the last one: CSI as a single C1 character
CONTROL = "退格\x08与转义\x1b符"
NEW = [("2024-11-25", None, "open")]


def hostile_specs() -> list[Spec]:
    """Findings whose texts are what an attacker publishes on a page."""
    return [
        Spec(
            "broken_link",
            "市政府办",
            "medium",
            "/evil.html",
            f"链接“{CLOSING_TAG}”无法访问",
            NEW,
            {
                "target_url": f"{BASE}/a.html",
                "link_text": CLOSING_TAG,
                "element": "a",
                "http_status": 404,
                "error": "http_404",
                "on_home_page": False,
            },
        ),
        Spec(
            "broken_link",
            "市政府办",
            "medium",
            "/evil.html",
            f"{LINK_MARKUP}{OSC_LINK}{COLOURS}",
            NEW,
            {
                "target_url": f"{BASE}/b.html",
                "link_text": f"+{OSC_LINK}",
                "element": "a",
                "http_status": 404,
                "error": "http_404",
                "on_home_page": False,
            },
        ),
        Spec(
            "term",
            "市政府办",
            "veto",
            "/evil.html",
            f"-{CONTROL}敏感词“时时彩”",
            NEW,
            {
                "term": "@时时彩",
                "category": "sensitive",
                "suggestion": "\t=1+1",
                "context": f"{FORMULA}【时时彩】{CONTROL}",
                "offset": 3,
            },
        ),
    ]


@pytest.fixture
def hostile_db(db_url):
    db = build(db_url, hostile_specs())
    with db.session() as session:
        session.add(
            Page(
                scan_id=2,
                url_key=f"{BASE}/evil.html",
                url=f"{BASE}/evil.html",
                final_url=f"{BASE}/evil.html",
                status=200,
                title=FORMULA,
                fetched_at=datetime(2024, 11, 25, 2, tzinfo=UTC),
                meta={"PubDate": f"@{CONTROL}"},
            )
        )
        session.execute(update(Site).values(name=f"[bold]龙南[/bold]{COLOURS}\x1b]0;已被接管\x07"))
    db.dispose()
    return db_url


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_helpers():
    assert csv_field(FORMULA) == "'" + FORMULA
    assert [csv_field(v) for v in ("+1", "-1", "@A1", "\t=1", "\r=1", "＝1+1")] == [
        "'+1",
        "'-1",
        "'@A1",
        "'\t=1",
        "'=1",  # the carriage return is a control character: gone, the prefix stays
        "'＝1+1",
    ]
    assert csv_field(404) == 404 and csv_field("正常文字") == "正常文字"
    assert strip_controls(OSC_LINK + COLOURS) == "官网红字1m"
    assert strip_controls("行一\n行二\t列") == "行一\n行二\t列"
    assert xml_text(CONTROL) == "退格与转义符"
    assert terminal_text(CLOSING_TAG).plain == CLOSING_TAG


def test_findings_csv_never_starts_a_formula(hostile_db):
    raw = invoke("findings", "--db", hostile_db, "--format", "csv")
    assert "\x1b" not in raw and "\x08" not in raw
    rows = list(csv.reader(io.StringIO(raw)))
    fields = [field for row in rows[1:] for field in row]
    assert fields, raw
    for field in fields:
        assert not field.startswith(("=", "+", "-", "@", "\t", "\r")), field
    assert f"'{FORMULA}【时时彩】退格与转义符" in fields
    assert "'-退格与转义符敏感词“时时彩”" in fields
    assert "'@时时彩" in fields and "'\t=1+1" in fields


def test_findings_json_keeps_values_but_no_raw_escape(hostile_db):
    raw = invoke("findings", "--db", hostile_db, "--format", "json")
    assert "\x1b" not in raw and "\x08" not in raw and "\x9b" not in raw
    assert "红字\\u001b[0m\\u009b1m" in raw
    assert "\\u001b]8;;http://evil.example/" in raw  # the data itself is kept, escaped


def test_findings_table_prints_page_text_as_text(hostile_db):
    """``[/x]`` used to crash rich's markup parser, ``[link=…]`` became a live link."""
    printed = invoke("findings", "--db", hostile_db, "--format", "table")
    assert "\x1b" not in printed and "\x08" not in printed
    assert CLOSING_TAG in printed
    assert LINK_MARKUP in printed  # shown as written, not turned into a hyperlink
    assert "官网红字" in printed


def test_status_prints_config_names_as_text(hostile_db):
    printed = invoke("status", "--db", hostile_db)
    assert "\x1b" not in printed and "\x07" not in printed
    assert "[bold]龙南[/bold]红字" in printed


def test_notice_xlsx_holds_no_formula_and_no_control_character(hostile_db, tmp_path):
    printed = invoke("report", "notices", "--out", str(tmp_path), "--db", hostile_db)
    assert "\x1b" not in printed
    (xlsx,) = tmp_path.glob("*.xlsx")
    sheet = load_workbook(xlsx).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value: c for c in cells}
    assert texts[FORMULA].data_type == "s" and texts[FORMULA].quotePrefix  # 所在文章标题
    assert texts["@退格与转义符"].quotePrefix  # 发布时间
    assert not any(isinstance(v, str) and ("\x1b" in v or "\x08" in v) for v in texts)
    raw = xlsx.read_bytes()
    assert b"<f>" not in raw  # no formula element anywhere in the package


def test_control_characters_do_not_fail_notices_or_the_weekly_report(hostile_db, tmp_path):
    """One ``\\x08`` from a page used to fail the notices and the weekly .docx of the
    whole site (python-docx and openpyxl refuse XML-illegal characters)."""
    invoke("report", "notices", "--out", str(tmp_path), "--db", hostile_db)
    (docx,) = tmp_path.glob("*.docx")
    cells = "\n".join(
        cell.text
        for table in Document(str(docx)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "【时时彩】退格与转义符" in cells and "+]8;;http://evil.example/\\官网" in cells
    (html,) = tmp_path.glob("*.html")
    assert "\x08" not in html.read_text(encoding="utf-8")
    for suffix in (".docx", ".html"):
        weekly = tmp_path / f"weekly{suffix}"
        invoke("report", "weekly", "--out", str(weekly), "--db", hostile_db)
        assert weekly.stat().st_size > 0
    assert "\x1b" not in (tmp_path / "weekly.html").read_text(encoding="utf-8")


@pytest.mark.integration  # WeasyPrint and poppler
def test_weekly_pdf_with_control_characters(hostile_db, tmp_path):
    pdf = tmp_path / "weekly.pdf"
    invoke("report", "weekly", "--out", str(pdf), "--db", hostile_db)
    assert pdf.read_bytes().startswith(b"%PDF")


HOSTILE_HOME = f"""<html><head><title>{FORMULA}</title></head><body>
<p>{FORMULA} 区攻府办公室通知</p>
<a href="/gone1.html">{CLOSING_TAG}</a>
<a href="/gone2.html">{LINK_MARKUP}</a>
<a href="/gone3.html">{OSC_LINK}{COLOURS}{CONTROL}</a>
<a href="/gone4.html">-2+3 减法</a>
</body></html>"""


@pytest.mark.integration  # a govwatch scan subprocess against a local site
def test_hostile_site_scan_summary_findings_and_notices(tmp_path):
    import subprocess
    import sys

    db_url = f"sqlite:///{tmp_path / 'govwatch.db'}"
    govwatch = [sys.executable, "-m", "govwatch"]
    with HostileSite({"/": HOSTILE_HOME}) as site:
        config = tmp_path / "site.yaml"
        config.write_text(
            site.config_yaml(name="[bold]龙南\\e[5m闪烁", unit="[/x]办公室\\e]0;标题\\a"),
            encoding="utf-8",
        )
        checked = subprocess.run(
            [*govwatch, "check-config", str(config)], capture_output=True, text=True
        )
        assert checked.returncode == 0, checked.stderr
        assert "[bold]龙南闪烁" in checked.stdout and "\x1b" not in checked.stdout
        scan = subprocess.run(
            [*govwatch, "scan", "--config", str(config), "--db", db_url],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert scan.returncode == 0, scan.stderr
    assert "\x1b" not in scan.stdout + scan.stderr and "\x07" not in scan.stdout
    assert "│ [/x]办公室 │" in scan.stdout  # the summary names the unit as written
    table = invoke("findings", "--db", db_url, "--format", "table")
    assert CLOSING_TAG in table and "\x1b" not in table
    rows = list(csv.DictReader(io.StringIO(invoke("findings", "--db", db_url, "--format", "csv"))))
    assert {r["link_text"] for r in rows if r["detector"] == "broken_link"} >= {
        CLOSING_TAG,
        "'-2+3 减法",
    }
    invoke("report", "notices", "--out", str(tmp_path / "out"), "--db", db_url)
    (xlsx,) = (tmp_path / "out").glob("*.xlsx")
    cells = [c for row in load_workbook(xlsx).active.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert FORMULA in {c.value for c in cells}  # the page title, as text
