"""Rows into openpyxl sheets, inert: every xlsx govwatch writes fills its cells here.

openpyxl stores a string that begins with ``=`` as a live formula, so a page title
such as ``=HYPERLINK("http://…","点击")`` would run in the unit's Excel, and it refuses
the whole workbook over one control character. A text cell here is stored as text
with Excel's quote prefix when it would start a formula (the sheet shows exactly the
text, and editing it keeps it text) and without the characters XML forbids
(:mod:`common.inert_text`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell import Cell

from common.inert_text import starts_formula, xml_text


def set_cell(cell: Any, value: Any) -> None:
    """Put ``value`` in an openpyxl cell; text is always text."""
    if isinstance(value, str):
        value = xml_text(value)
        cell.value = value
        if starts_formula(value):
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    """``sheet.append`` for values that may come from pages."""
    cells = []
    for value in values:
        cell = Cell(sheet)
        set_cell(cell, value)
        cells.append(cell)
    sheet.append(cells)
