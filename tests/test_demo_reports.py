"""``govwatch demo`` end to end: the sample portal's findings, grouped and attributed, in
the notices and the weekly report it writes to the output directory."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.system import need_pdf_tools

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("sample_portal")]


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    done = subprocess.run(
        [sys.executable, "-m", "govwatch", "demo", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "整改通知 4 份" in done.stdout, done.stdout
    return out


def test_a_notice_per_unit_with_the_units_findings(demo_out):
    records = json.loads((demo_out / "findings.json").read_text(encoding="utf-8"))
    unresolved = [r for r in records if r["status"] in ("open", "confirmed")]
    per_unit = Counter(r["unit"] for r in unresolved)
    assert set(per_unit) == {"市政府办", "市司法局", "市融媒体中心", "市政务服务中心"}
    for unit, count in per_unit.items():
        for suffix in (".docx", ".html", ".xlsx"):
            assert (demo_out / f"整改通知-{unit}{suffix}").is_file()
        document = Document(str(demo_out / f"整改通知-{unit}.docx"))
        assert sum(len(t.rows) - 1 for t in document.tables) == count
        text = "\n".join(p.text for p in document.paragraphs)
        assert f"{unit}：" in text and "龙南市政务服务数据管理局" in text
        sheet = load_workbook(demo_out / f"整改通知-{unit}.xlsx").active
        headers = [c.value for c in sheet[1]]
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        assert len(rows) == count
        assert {r[headers.index("责任单位")] for r in rows} == {unit}
        mine = {r["page_url"] for r in unresolved if r["unit"] == unit}
        assert {r[headers.index("所在文章链接")] for r in rows} == mine
    # 市司法局's pages are its own section of the portal; its notice lists exactly those
    sheet = load_workbook(demo_out / "整改通知-市司法局.xlsx").active
    headers = [c.value for c in sheet[1]]
    types = Counter(
        r[headers.index("问题类型")] for r in sheet.iter_rows(min_row=2, values_only=True)
    )
    expected = Counter(r["detector"] for r in unresolved if r["unit"] == "市司法局")
    assert sum(types.values()) == sum(expected.values())
    titles = [
        r[headers.index("所在文章标题")] for r in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert any(titles), "page titles come from the scan's stored pages"


def test_weekly_report_in_three_formats(demo_out):
    need_pdf_tools()
    for name in ("weekly.html", "weekly.pdf", "weekly.docx"):
        assert (demo_out / name).stat().st_size > 10_000, name
    text = subprocess.run(
        ["pdftotext", str(demo_out / "weekly.pdf"), "-"], capture_output=True, text=True
    ).stdout
    records = json.loads((demo_out / "findings.json").read_text(encoding="utf-8"))
    unresolved = sum(r["status"] in ("open", "confirmed") for r in records)
    assert "龙南市人民政府网站及政务新媒体监测周报" in text
    assert "2024年11月19日—11月25日" in text
    assert re.search(rf"(?<!\d){unresolved}\s+待整改问题", text), text[:800]
