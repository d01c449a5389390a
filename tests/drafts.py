"""Drafts with planted problems, in every format the pre-publication check reads."""

from __future__ import annotations

import io

from detectors.personal_data import id_check_char
from sample_portal.assets import _pdf_file

ID_17 = "36072719900101123"
ID_NUMBER = ID_17 + id_check_char(ID_17)  # a valid resident ID (check digit right)
MOBILE = "13912345678"
TYPO = "布署"  # → 部署
OUTDATED = "安全生产监督管理总局"  # abolished 2018-04-16 (→ 应急管理部)
CLEAN = "市政府召开常务会议，研究部署今冬明春安全生产工作，要求各部门压实责任。"


def docx_draft(planted: bool = True) -> bytes:
    """Paragraph 2: a typo; paragraph 3: an outdated name; table 1, row 2, column 3: an
    unmasked ID number (an empty paragraph between them is not counted)."""
    import docx

    document = docx.Document()
    document.add_paragraph("关于做好冬季安全生产工作的通知")
    document.add_paragraph(
        f"各乡镇：现就进一步{TYPO}冬季安全生产工作通知如下。" if planted else CLEAN
    )
    document.add_paragraph("")
    document.add_paragraph(f"请按{OUTDATED}要求执行。" if planted else CLEAN)
    table = document.add_table(rows=2, cols=3)
    for c, head in enumerate(("姓名", "乡镇", "身份证号")):
        table.cell(0, c).text = head
    table.cell(1, 0).text = "张某"
    table.cell(1, 1).text = "龙南镇"
    table.cell(1, 2).text = ID_NUMBER if planted else "3607**********1234"
    document.add_paragraph(CLEAN)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_draft() -> bytes:
    """名单!B3: a mobile number; 名单!C2: a typo."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(["姓名", "电话", "备注"])
    sheet.append(["张某", "0797-1234567", f"已{TYPO}"])
    sheet.append(["李某", MOBILE, "已办结"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf_draft(pages: list[list[str]]) -> bytes:
    """A PDF of Chinese lines, one list per page (a reader's built-in CID font)."""
    count = len(pages)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (6 + 2 * i) for i in range(count)), count),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [4 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> "
        b"/FontDescriptor 5 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
        b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
        b"/CapHeight 880 /StemV 93 >>",
    ]
    for i, lines in enumerate(pages):
        ops = ["BT /F1 12 Tf 16 TL 56 780 Td"]
        ops += [f"<{line.encode('utf-16-be').hex().upper()}> Tj T*" for line in lines]
        ops.append("ET")
        stream = "\n".join(ops).encode("ascii")
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (7 + 2 * i)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    return _pdf_file(objects)


HTML_PREVIEW = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>关于冬季安全生产的通知_龙南市人民政府</title>
<style>.gg{{display:none}}</style></head>
<body>
<div class="header"><a href="/">龙南市人民政府</a> 模板页头{TYPO}</div>
<div class="nav"><a href="/xwzx/">新闻中心</a></div>
<div class="article">
<h1>关于冬季安全生产的通知</h1>
<p>各乡镇：</p>
<p>现就进一步{TYPO}冬季安全生产工作通知如下。</p>
<p>联系人：张某，电话 {MOBILE}。</p>
<div class="gg"><a href="http://x.example.com/">澳门威尼斯人娱乐城</a></div>
</div>
<div class="footer">版权所有 模板页脚{TYPO} 联系电话 13807971234</div>
</body></html>
"""

HTML_CLEAN_FRAGMENT = f"<p>各乡镇：</p><p>{CLEAN}</p><p>联系电话：0797-1234567</p>"
