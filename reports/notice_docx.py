"""A rectification notice as a Word document, ready to sign and send."""

from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from common.inert_text import xml_text
from reports.notices import Notice, chinese_numeral
from reports.official_docx import (
    BODY_FONT,
    RED,
    SIZE_2,
    SIZE_3,
    SUBHEADING_FONT,
    TITLE_FONT,
    heading,
    new_document,
    paragraph,
    red_rule,
    table,
)
from reports.report_data import chinese_date

TEXT_WIDTH_CM = 21 - 2.8 - 2.6


def write_notice_docx(notice: Notice, path: Path) -> None:
    document = new_document(notice.issued)
    document.core_properties.title = xml_text(notice.title)
    s = notice.settings
    paragraph(document, s.issuer, TITLE_FONT, Pt(26), align=WD_ALIGN_PARAGRAPH.CENTER, color=RED)
    red_rule(document)
    paragraph(document, "")
    paragraph(document, notice.title, TITLE_FONT, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(document, "")
    paragraph(document, f"{notice.unit}：", indent=False)
    for text in notice.body():
        paragraph(document, text)
    heading(document, "一、存在的问题")
    for i, problems in enumerate(notice.tables, start=1):
        veto = f"，其中单项否决 {problems.veto} 条" if problems.veto else ""
        title = f"（{chinese_numeral(i)}）{problems.title}（共 {len(problems.rows)} 条{veto}）"
        heading(document, title, font=SUBHEADING_FONT)
        table(
            document,
            problems.headers,
            problems.rows,
            problems.widths(),
            TEXT_WIDTH_CM,
            small=problems.link_columns(),
        )
    paragraph(document, "")
    heading(document, "二、整改要求")
    for text in notice.requirements():
        last = paragraph(document, text)
    # The signature never stands alone: the last paragraph of the text, the blank lines,
    # the signature and its date share a page (GB/T 9704: no page of only a 落款).
    last.paragraph_format.keep_with_next = True
    for _ in range(2):
        paragraph(document, "").paragraph_format.keep_with_next = True
    signature, dated = (
        paragraph(document, text, BODY_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.RIGHT)
        for text in (s.signature, chinese_date(notice.issued))
    )
    for para in (signature, dated):
        para.paragraph_format.right_indent = Pt(SIZE_3.pt * 4)
        para.paragraph_format.keep_together = True
    signature.paragraph_format.keep_with_next = True
    document.save(str(path))
