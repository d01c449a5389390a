"""Text from pages, feeds and configs, made inert where govwatch writes it.

Anybody can publish on a portal, including whoever planted a hidden link there, and
what they write ends up in a terminal, in spreadsheets a unit opens in Excel and in
Word and HTML files. Each destination has its own way of running text as code, so
each writer passes every value through the function for its destination:

* terminals (``terminal_text``): escape sequences (``ESC [ … m`` colours, ``ESC ] 8``
  hyperlinks, window titles), other control characters and rich's ``[markup]`` and
  ``:emoji:`` codes. The value becomes a ``rich.text.Text``, which rich prints as
  written: ``[/x] 关闭标签`` neither crashes nor styles anything.
* spreadsheets (``csv_field``; ``starts_formula`` for xlsx cells, see
  ``reports.spreadsheet``): a cell beginning with ``=``, ``+``, ``-``, ``@``, a tab
  or a carriage return is a formula to Excel and LibreOffice (OWASP "CSV injection";
  Excel in Chinese and Japanese locales also reads the full-width ``＝＋－＠``). A CSV
  field gets a leading ``'``, as OWASP recommends; an xlsx cell is stored as a string
  with Excel's quote prefix, so it shows exactly the text.
* XML (``xml_text``: docx, xlsx, and HTML): characters XML 1.0 forbids (``\\x08``,
  ``\\x1b`` …) make python-docx and openpyxl refuse the whole document.

JSON keeps values exactly (it escapes control characters itself; ``json_text``
escapes the few it leaves raw).
"""

from __future__ import annotations

import re
from typing import Any

# ESC-introduced sequences as terminals parse them (ECMA-48): CSI (colours, cursor
# movement), OSC (hyperlinks, window titles: up to BEL or ST), DCS/SOS/PM/APC strings,
# and the two-character escapes. A C1 control (U+009B CSI …) is removed on its own.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b[\]PX^_][^\x07\x1b\n]*(?:\x07|\x1b\\)?"
    r"|\x1b[ -~]?"
)
# What is left after the sequences: C0 controls except tab and newline, DEL, C1.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Characters XML 1.0 does not allow (tab, newline and carriage return are allowed).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# C1 controls and DEL: ``json.dumps(ensure_ascii=False)`` escapes only C0.
_JSON_RAW_CONTROL = re.compile("[\x7f-\x9f]")

FORMULA_STARTS = frozenset("=+-@\t\r＝＋－＠")


def strip_controls(text: str) -> str:
    """``text`` without escape sequences and control characters (tab and newline stay)."""
    if not text.isprintable():  # the common case costs one scan in C
        text = _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))
    return text


def terminal_text(value: Any) -> Any:
    """``value`` as rich prints it as written: a ``Text`` without control sequences,
    never read as markup or emoji. Everything the CLI prints from data goes through
    this (table cells, and whole lines that carry a page's or a config's text)."""
    from rich.text import Text

    return Text(strip_controls("" if value is None else str(value)))


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    return _XML_ILLEGAL.sub("", text)


def starts_formula(text: str) -> bool:
    """Whether a spreadsheet would read a cell holding ``text`` as a formula."""
    return bool(text) and text[0] in FORMULA_STARTS


def csv_field(value: Any) -> Any:
    """A CSV field that no spreadsheet runs and no terminal obeys: control sequences
    removed, and a ``'`` before a text that would start a formula. Numbers stay."""
    if not isinstance(value, str):
        return value
    value = strip_controls(value)
    return f"'{value}" if starts_formula(value) else value


def json_text(text: str) -> str:
    """JSON text with the control characters ``json.dumps`` leaves raw (DEL and C1)
    escaped as ``\\u00XX``: the same data, nothing a terminal obeys."""
    return _JSON_RAW_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
