"""Any filtered findings list as the spreadsheet units already work from: the notices'
columns (``reports.notice_xlsx.HEADERS``), one row per finding, as .xlsx (cells through
``reports.spreadsheet``: text stays text) or .csv (fields through
``common.inert_text.csv_field``: no formula from a page)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any

from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from common.clock import today
from common.inert_text import csv_field
from common.vocabulary import SEVERITY_NAMES
from detectors.registry import title_of
from reports.findings_export import finding_record
from reports.notice_xlsx import HEADERS, sheet_row
from reports.page_context import PageContext, page_contexts
from reports.spreadsheet import append_row
from storage.access import Access
from storage.finding_list import FindingQuery, all_findings
from storage.models import Finding, Site

MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def export_rows(session: Session, query: FindingQuery, access: Access) -> list[list[Any]]:
    """Every finding of ``query`` this reader may see (not one page), as notice rows."""
    findings: list[Finding] = all_findings(session, query, access)
    records = [finding_record(f) for f in findings]
    by_scan: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        by_scan[(record["site"], record["scan_id"])].append(record)
    contexts: dict[tuple[int, str], PageContext] = {}
    for (site, scan), mine in by_scan.items():
        for url, context in page_contexts(session, site, scan, mine).items():
            contexts[(scan, url)] = context
    names = {s.id: s.name for s in session.query(Site)}
    rows = []
    for number, (finding, record) in enumerate(zip(findings, records, strict=True), start=1):
        rows.append(
            sheet_row(
                number,
                record,
                contexts.get((record["scan_id"], record["page_url"]), PageContext()),
                type_name=title_of(record["detector"]),
                level=SEVERITY_NAMES.get(record["severity"], record["severity"]),
                site_name=names.get(record["site"], record["site"]),
                unit=finding.effective_unit,
                deadline=finding.deadline.isoformat() if finding.deadline else "",
            )
        )
    return rows


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "问题清单"
    append_row(sheet, [title for title, _ in HEADERS])
    for row in rows:
        append_row(sheet, row)
    for i, (_, width) in enumerate(HEADERS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
        sheet.cell(row=1, column=i).font = Font(bold=True)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([title for title, _ in HEADERS])
    for row in rows:
        writer.writerow([csv_field(v) if isinstance(v, str) else v for v in row])
    # With a BOM: Excel on a Chinese Windows reads UTF-8 CSV only so.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_response(session: Session, query: FindingQuery, access: Access, fmt: str) -> Response:
    rows = export_rows(session, query, access)
    body = xlsx_bytes(rows) if fmt == "xlsx" else csv_bytes(rows)
    name = f"govwatch-findings-{today().isoformat()}.{fmt}"
    return Response(
        body,
        media_type=MEDIA_TYPES[fmt],
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )
