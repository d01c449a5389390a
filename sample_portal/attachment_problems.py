"""Attachments of the sample portal with planted problems, and traps around them.

Government sites publish most documents as PDF/DOCX/XLSX files; govwatch reads the
text of the site's own files and runs the term and privacy detectors on it, with the
findings owned by the unit of the page that links the file.

Planted (``expected_findings.yaml`` → ``term`` / ``privacy_leak``):

* ``WINTER_PDF`` (linked from the 2024 topic article, 市政府办): a notice whose
  typo 贯切 is cut in two by the PDF's line wrap (…认真贯 / 切落实…) and an outdated
  institution name 安监局 (the article is dated 2024-11-18, after the reform).
* ``CHECKLIST_DOCX`` (same article): the typo 一如继往 inside a table cell.
* ``AID_XLSX`` (linked from the 司法局 list page, so owned by 市司法局 although the
  file sits under /upload/): an unmasked mobile number typed as a number.

Traps (no finding): adjacent spreadsheet cells 台湾 | 政府购买服务岗位补贴 (no term
across cells); a 2017 file naming 国土资源局, dated by its 2017 linking page although
the file says 2024; a scanned PDF with no text layer; a PDF larger than the sample
config's ``attachment_max_mb`` (1 MB) full of typos; a corrupt DOCX; a PDF with a typo
on the external host (not the site's own file: link-checked only).
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Protocol

from sample_portal import assets

WINTER_PDF = "/upload/2024/P020241118501.pdf"
CHECKLIST_DOCX = "/upload/2024/P020241118502.docx"
SCANNED_PDF = "/upload/2024/P020241118503.pdf"
OVERSIZED_PDF = "/upload/2024/P020241118504.pdf"
CORRUPT_DOCX = "/upload/2024/P020241118505.docx"
AID_XLSX = "/upload/2024/P020241105601.xlsx"
OLD_DOCX = "/upload/2017/P020170605701.docx"
EXTERNAL_PDF = "/docs/lvyou-guide.pdf"

AID_MOBILE = "13807971234"
MAX_MB = 1  # the sample config's attachment_max_mb


class _Writer(Protocol):
    def file(self, site: str, path: str, data: bytes) -> None: ...


def links_for_2024_article(external: str = "{external}") -> str:
    """The attachment block of the 2024 topic article."""
    return f"""<div class="attachments"><p>附件：</p><ul>
<li><a href="{WINTER_PDF}">关于做好今冬明春安全生产工作的通知.pdf</a></li>
<li><a href="{CHECKLIST_DOCX}">冬季安全生产检查表.docx</a></li>
<li><a href="{SCANNED_PDF}">会议签到表（扫描件）.pdf</a></li>
<li><a href="{OVERSIZED_PDF}">2024年安全生产工作汇编.pdf</a></li>
<li><a href="{CORRUPT_DOCX}">会议议程.docx</a></li>
<li><a href="{external}{EXTERNAL_PDF}">龙南旅游指南.pdf</a></li>
</ul></div>"""


def link_for_2017_article() -> str:
    return f'<p>附件：<a href="{OLD_DOCX}">土地执法检查情况通报.docx</a></p>'


def link_for_justice_list() -> str:
    return f'<li><a href="{AID_XLSX}">2024年法律援助受援人名单</a></li>'


# Full lines as an office suite wraps them at the margin (30 characters each); the
# typo 贯切 straddles the first wrap.
_WINTER_LINES = [
    "关于做好今冬明春安全生产工作的通知",
    "各乡镇人民政府，市直各单位：为深入贯彻安全发展理念，各地各部门要认真贯",
    "切落实安全生产责任制，全面排查整治重大事故隐患，坚决防范遏制各类事故发生",
    "，确保人民群众生命财产安全和社会大局稳定。现将有关事项通知如下。",
    "一、压实工作责任",
    "各单位主要负责同志要亲自部署、亲自督促，市安监局要加强统筹协调和督促检查，",
    "对工作不力、问题突出的单位及时约谈通报。",
    "龙南市人民政府办公室",
    "2024年11月18日",
]


def write(site: _Writer) -> None:
    site.file("main", WINTER_PDF, assets.pdf_chinese(_WINTER_LINES, title="安全生产工作通知"))
    site.file("main", CHECKLIST_DOCX, _checklist_docx())
    site.file("main", SCANNED_PDF, assets.pdf_image_only())
    site.file("main", OVERSIZED_PDF, _oversized_pdf())
    site.file("main", CORRUPT_DOCX, b"PK\x03\x04" + b"\x00" * 200)
    site.file("main", AID_XLSX, _aid_xlsx())
    site.file("main", OLD_DOCX, _old_docx())
    site.file("external", EXTERNAL_PDF, assets.pdf_chinese(["龙南旅游指南", "景区服务布署到位。"]))


def _docx(paragraphs: list[str], table: list[list[str]] | None, created: datetime) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    document.core_properties.created = created
    document.core_properties.modified = created
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _checklist_docx() -> bytes:
    return _docx(
        ["冬季安全生产检查表", "填报单位：＿＿＿＿　　检查日期：＿＿＿＿"],
        [
            ["检查项目", "检查内容", "整改要求"],
            ["消防安全", "消防通道是否畅通", "立即整改"],
            ["工作要求", "各单位要一如继往抓好安全生产", "长期坚持"],
        ],
        datetime(2024, 11, 18, 9, 0),
    )


def _old_docx() -> bytes:
    # The file says 2024 (re-saved since); the page that publishes it is of 2017.
    return _docx(
        ["土地执法检查情况通报", "县国土资源局对全县违法用地行为开展了专项检查。"],
        None,
        datetime(2024, 3, 1, 9, 0),
    )


def _aid_xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "受援人名单"
    sheet.append(["序号", "姓名", "籍贯", "援助事项", "联系电话"])
    sheet.append([1, "张某某", "龙南", "劳动争议", int(AID_MOBILE)])
    sheet.append([2, "陈某某", "台湾", "政府购买服务岗位补贴", "138****5678"])
    sheet.append([3, "刘某某", "赣州", "婚姻家庭", "0797-3521234"])
    book.properties.created = datetime(2024, 11, 5, 9, 0)
    book.properties.modified = datetime(2024, 11, 5, 9, 0)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _oversized_pdf() -> bytes:
    lines = ["各单位要认真布署安全生产工作。"] * 40
    # Bytes after %%EOF (incremental-update leftovers): readers ignore them.
    return assets.pdf_chinese(lines) + b"%" + b"0" * (MAX_MB * 1024 * 1024) + b"\n"
