"""A unit's problem list as a spreadsheet, for units that work in Excel.

Columns follow the export county web teams already work from (错敏词, 推荐修改,
修改说明, 所在上下文, 所在文章链接, 所在文章标题, 网站名称, 网站标识码, 发布时间,
问题类型, 问题级别, 父页面地址), with the unit, status and deadline added; one row
per finding, in the notice's order (grouped by type).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from common.inert_text import xml_text
from detectors.registry import detector_class
from reports.notices import Notice, notice_deadline
from reports.page_context import PageContext
from reports.problem_tables import status_name
from reports.spreadsheet import append_row

HEADERS: list[tuple[str, float]] = [
    ("序号", 6),
    ("问题类型", 14),
    ("问题级别", 10),
    ("错敏词", 14),
    ("推荐修改", 14),
    ("问题对象", 40),
    ("修改说明", 60),
    ("所在上下文", 44),
    ("所在文章链接", 48),
    ("所在文章标题", 36),
    ("发布时间", 18),
    ("父页面地址", 40),
    ("网站名称", 18),
    ("网站标识码", 13),
    ("责任单位", 16),
    ("状态", 9),
    ("首次发现", 20),
    ("整改期限", 12),
]


def detector_cells(record: dict[str, Any]) -> dict[str, str]:
    """The cells the finding's detector declares for the sheet (``Detector.sheet``:
    问题对象, 错敏词, 推荐修改); empty for the others."""
    cls = detector_class(record["detector"])
    return {header: cell(record) for header, cell in (cls.sheet if cls else {}).items()}


def sheet_row(
    number: int,
    record: dict[str, Any],
    page: PageContext,
    *,
    type_name: str,
    level: str,
    site_name: str,
    unit: str,
    deadline: str,
) -> list[Any]:
    """One finding as a row under :data:`HEADERS` (the notices' sheet and the review
    app's exports share it, so their columns cannot drift apart)."""
    cells = detector_cells(record)
    return [
        number,
        type_name,
        level,
        cells.get("错敏词", ""),
        cells.get("推荐修改", ""),
        cells.get("问题对象", ""),
        record["message"],
        record.get("context") or "",
        record["page_url"],
        page.title,
        page.published,
        page.parent_url,
        site_name,
        page.site_code,
        unit,
        status_name(record["status"]),
        (record.get("first_seen") or "")[:16].replace("T", " "),
        deadline,
    ]


def notice_rows(notice: Notice, contexts: dict[str, PageContext]) -> list[list[Any]]:
    rows = []
    number = 0
    for problems in notice.tables:
        for record, printed in zip(problems.records, problems.rows, strict=True):
            number += 1
            deadline = notice_deadline(notice.issued, record["severity"], notice.settings)
            rows.append(
                sheet_row(
                    number,
                    record,
                    contexts.get(record["page_url"], PageContext()),
                    type_name=problems.title,
                    level=printed[-1],
                    site_name=notice.site_name,
                    unit=record["unit"],
                    deadline=f"{deadline.isoformat()}{notice.deadline_note}",
                )
            )
    return rows


def write_notice_xlsx(notice: Notice, contexts: dict[str, PageContext], path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "问题清单"
    append_row(sheet, [title for title, _ in HEADERS])
    for row in notice_rows(notice, contexts):
        append_row(sheet, row)
    thin = Side(style="thin", color="999999")
    header_fill = PatternFill("solid", fgColor="1F4E79")
    for i, (_, width) in enumerate(HEADERS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
        cell = sheet.cell(row=1, column=i)
        cell.font = Font(name="黑体", bold=True, color="FFFFFF")
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    wrap = Alignment(vertical="top", wrap_text=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
            cell.font = Font(name="宋体", size=10)
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    sheet.row_dimensions[1].height = 24
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(HEADERS))
    sheet.auto_filter.ref = f"A1:{last}{max(sheet.max_row, 1)}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    book.properties.creator = "govwatch"
    book.properties.title = xml_text(f"{notice.unit}问题清单")
    book.save(str(path))
