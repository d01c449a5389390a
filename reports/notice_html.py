"""A rectification notice as a printable HTML page (the same content as the docx)."""

from __future__ import annotations

from pathlib import Path

from reports.html_render import render_html
from reports.notices import Notice, chinese_numeral
from reports.report_data import chinese_date


def notice_html(notice: Notice) -> str:
    return render_html(
        "notice.html.j2",
        notice=notice,
        numeral=chinese_numeral,
        issued=chinese_date(notice.issued),
    )


def write_notice_html(notice: Notice, path: Path) -> None:
    path.write_text(notice_html(notice), encoding="utf-8")
