"""Word documents laid out like Chinese official documents (GB/T 9704-2012, roughly).

A4 with the standard margins, body in 仿宋_GB2312 三号, titles in 方正小标宋简体,
headings in 黑体, page numbers ``— 1 —`` in the footer from a PAGE field. Chinese
fonts are set through the East-Asian font attribute (``w:eastAsia``) — setting only
the Latin name leaves Word rendering Chinese in its default font — and the font
table names fallbacks (``w:altName``) for machines without the official fonts.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from common.inert_text import xml_text

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
LATIN_FONT = "Times New Roman"
# Font-table fallbacks: what Word uses when the official font is not installed.
FALLBACKS = {
    TITLE_FONT: ("FZXiaoBiaoSong-B05S", "华文中宋", "宋体"),
    BODY_FONT: ("仿宋", "FangSong", "STFangsong"),
    HEADING_FONT: ("SimHei", "Heiti SC"),
    SUBHEADING_FONT: ("楷体", "KaiTi", "STKaiti"),
}
SIZE_2 = Pt(22)  # 二号: titles
SIZE_3 = Pt(16)  # 三号: body
SIZE_4 = Pt(14)  # 四号: page numbers
SIZE_TABLE = Pt(9)
SIZE_TABLE_SMALL = Pt(7.5)  # URLs in tables
RED = RGBColor(0xC0, 0x00, 0x00)


def _east_asia_fonts(r_pr, east_asia: str):
    """Name the Chinese font in a run properties element's ``w:rFonts`` (python-docx
    sets only the Latin name), creating the element when missing."""
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asia)
    return fonts


def set_run_font(run, east_asia: str, size: Pt | None = None, bold: bool = False) -> None:
    """Name the Chinese font in ``w:eastAsia`` (and the Latin one beside it)."""
    run.font.name = LATIN_FONT
    fonts = _east_asia_fonts(run._element.get_or_add_rPr(), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")
    if size is not None:
        run.font.size = size
    run.font.bold = bold


def _font_table_fallbacks(document) -> None:
    for part in document.part.package.iter_parts():
        if str(part.partname) != "/word/fontTable.xml":
            continue
        root = etree.fromstring(part.blob)
        for name, alternatives in FALLBACKS.items():
            font = etree.SubElement(root, qn("w:font"))
            font.set(qn("w:name"), name)
            alt = etree.SubElement(font, qn("w:altName"))
            alt.set(qn("w:val"), alternatives[0])
            charset = etree.SubElement(font, qn("w:charset"))
            charset.set(qn("w:val"), "86")  # GB2312
            family = etree.SubElement(font, qn("w:family"))
            family.set(qn("w:val"), "modern" if name == HEADING_FONT else "roman")
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        return


def new_document(day: date):
    """An empty A4 document with official margins, body style and page numbers, stamped
    with the report's day (not the clock) so the same data gives the same document."""
    document = Document()
    stamp = datetime.combine(day, datetime.min.time())
    document.core_properties.created = document.core_properties.modified = stamp
    document.core_properties.last_modified_by = "govwatch"
    document.core_properties.revision = 1
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    style = document.styles["Normal"]
    style.font.name = LATIN_FONT
    style.font.size = SIZE_3
    _east_asia_fonts(style.element.get_or_add_rPr(), BODY_FONT)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing = Pt(28)  # 28.95 pt lines: 22 lines a page
    _page_number_footer(section)
    _font_table_fallbacks(document)
    document.core_properties.author = "govwatch"
    return document


def _field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A Word field (PAGE, NUMPAGES): Word fills in the value when it lays out pages."""
    run = paragraph.add_run()
    set_run_font(run, "宋体", SIZE_4)
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run._element.append(begin)
    run = paragraph.add_run()
    set_run_font(run, "宋体", SIZE_4)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._element.append(instr)
    run = paragraph.add_run()
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._element.append(separate)
    run = paragraph.add_run(placeholder)
    set_run_font(run, "宋体", SIZE_4)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._element.append(end)


def _page_number_footer(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_run_font(paragraph.add_run("— "), "宋体", SIZE_4)
    _field(paragraph, "PAGE", "1")
    set_run_font(paragraph.add_run(" —"), "宋体", SIZE_4)


def paragraph(
    document,
    text: str = "",
    font: str = BODY_FONT,
    size: Pt = SIZE_3,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: bool = True,
    color: RGBColor | None = None,
) -> Paragraph:
    """A paragraph of one run; body paragraphs are indented two characters. Text from
    pages may hold characters XML forbids (``\\x08``): they are left out, here and in
    :func:`write_cell`, the two places every document's text goes through."""
    para = document.add_paragraph()
    if size.pt != SIZE_3.pt:  # the style's fixed 28 pt lines suit only 三号 text
        para.paragraph_format.line_spacing = Pt(max(size.pt * 1.5, 12))
    if align is not None:
        para.alignment = align
    if indent and align is None:
        para.paragraph_format.first_line_indent = Pt(size.pt * 2)
    run = para.add_run(xml_text(text))
    set_run_font(run, font, size, bold)
    if color is not None:
        run.font.color.rgb = color
    return para


def red_rule(document) -> None:
    """The red line under the issuing office (版头分隔线)."""
    para = document.add_paragraph()
    p_pr = para._element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "18"), ("space", "1"), ("color", "C00000")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    p_pr.append(borders)


def shade(cell, fill: str) -> None:
    """Background colour of a table cell (hex without #)."""
    tc_pr = cell._element.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def write_cell(cell, text: str, size: Pt = SIZE_TABLE, bold: bool = False, font=BODY_FONT):
    cell.text = ""
    para = cell.paragraphs[0]
    para.paragraph_format.line_spacing = 1.0
    para.paragraph_format.first_line_indent = Pt(0)
    run = para.add_run(xml_text(text))
    set_run_font(run, font, size, bold)


CM_PER_PT = 2.54 / 72
CELL_PADDING_CM = 0.19 * 2 + 0.1  # Table Grid's left and right cell margins, and a little air
WHOLE_CELL_EM = 8.0  # a cell this short (a term, a date, 单项否决) is never split
WHOLE_HEADER_EM = 6.0  # a header this short (未更新天数) stays on one line


def text_em(text: str) -> float:
    """The printed width of ``text`` in ems: CJK and full-width forms one em, the rest
    (digits, Latin, ASCII punctuation) about half."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in text)


def _unbreakable_em(text: str, whole: float) -> float:
    """How wide a cell must be not to split ``text`` where a reader would stumble: all of
    a short text; of a long one its longest run of letters and digits (a date, a 文号)."""
    em = text_em(text)
    if em <= whole:
        return em
    runs = re.findall(r"[0-9A-Za-z\-./:〔〕]+", text)
    return min(max((text_em(r) for r in runs), default=0.0), whole)


def fit_widths(
    headers: list[str],
    rows: list[list[str]],
    weights: list[float],
    total_width_cm: float,
    small: list[bool],
) -> list[float]:
    """Column widths (cm) that share ``total_width_cm`` by ``weights`` but never split a
    short term, a date or a short header: each column first gets what its unbreakable
    content needs, the rest goes to the others by weight (URL columns wrap anywhere)."""
    need = []
    for i, title in enumerate(headers):
        em = _unbreakable_em(title, WHOLE_HEADER_EM) * SIZE_TABLE.pt
        if not small[i]:
            for values in rows:
                em = max(em, _unbreakable_em(values[i], WHOLE_CELL_EM) * SIZE_TABLE.pt)
        need.append(em * CM_PER_PT + CELL_PADDING_CM)
    if sum(need) >= total_width_cm:  # cannot fit them all: shrink every column alike
        return [total_width_cm * n / sum(need) for n in need]
    fixed: dict[int, float] = {}
    while True:
        free = [i for i in range(len(headers)) if i not in fixed]
        left = total_width_cm - sum(fixed.values())
        weight = sum(weights[i] for i in free)
        short = [i for i in free if left * weights[i] / weight < need[i]]
        if not short:
            break
        for i in short:
            fixed[i] = need[i]
    return [fixed.get(i, left * weights[i] / weight) for i in range(len(headers))]


def table(
    document,
    headers: list[str],
    rows: list[list[str]],
    widths: list[float],
    total_width_cm: float,
    small: list[bool] | None = None,
    header_fill: str = "D9E2F3",
) -> Table:
    """A bordered table whose columns share ``total_width_cm`` by ``widths`` (fractions,
    widened where short content would split: :func:`fit_widths`); the header row repeats
    on every page, ``small`` columns (URLs) print smaller."""
    grid = document.add_table(rows=1, cols=len(headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    small = small or [False] * len(headers)
    for i, title in enumerate(headers):
        cell = grid.rows[0].cells[i]
        write_cell(cell, title, bold=True, font=HEADING_FONT)
        shade(cell, header_fill)
    _repeat_header(grid.rows[0])
    for values in rows:
        cells = grid.add_row().cells
        for i, value in enumerate(values):
            write_cell(cells[i], value, SIZE_TABLE_SMALL if small[i] else SIZE_TABLE)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    grid._tbl.tblPr.append(layout)
    widths_cm = fit_widths(headers, rows, widths, total_width_cm, small)
    for i, column in enumerate(grid.columns):  # w:gridCol: what LibreOffice and WPS honour
        column.width = Cm(widths_cm[i])
    for row in grid.rows:
        _cant_split(row)
        for i, cell in enumerate(row.cells):  # w:tcW: what Word honours
            cell.width = Cm(widths_cm[i])
    return grid


def heading(document, text: str, size: Pt = SIZE_3, font: str = HEADING_FONT) -> Paragraph:
    """A heading (一、 in 黑体, （一） in 楷体) kept on the same page as what follows it."""
    para = paragraph(document, text, font, size)
    para.paragraph_format.keep_with_next = True
    return para


def picture(document, png: bytes, width_cm: float) -> None:
    """An inline picture on its own paragraph with single line spacing (the body's exact
    28 pt lines would clip it to one line's height)."""
    import io

    para = document.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.line_spacing = 1.0
    para.add_run().add_picture(io.BytesIO(png), width=Cm(width_cm))
