"""Attachment text extraction: formats, line rejoining, hostile files."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest

from detectors.attachment_text import (
    MAX_INFLATED,
    attachment_kind,
    extract_text,
    rejoin_wrapped_lines,
)
from detectors.page import PageContext
from detectors.privacy_leak import PrivacyLeakDetector
from detectors.registry import detectors_for
from govwatch.config import parse_config
from sample_portal import assets

CONFIG = parse_config("site: {id: t, name: 测试, start_urls: ['http://127.0.0.1/']}")


@pytest.mark.parametrize(
    ("url", "content_type", "kind"),
    [
        ("http://x/a.pdf", "application/pdf", "pdf"),
        ("http://x/download.jsp?id=3", "application/pdf; charset=binary", "pdf"),
        ("http://x/%E9%80%9A%E7%9F%A5.DOCX", "application/octet-stream", "docx"),
        ("http://x/b.xlsx", "", "xlsx"),
        ("http://x/b.xlsx", "text/html; charset=utf-8", None),  # an error page, not the file
        ("http://x/b.doc", "application/msword", None),  # old binary formats are not read
        ("http://x/b.zip", "application/zip", None),
    ],
)
def test_attachment_kind(url, content_type, kind):
    assert attachment_kind(url, content_type) == kind


def test_pdf_chinese_text_with_wrapped_term_rejoined():
    lines = [
        "关于做好安全生产工作的通知",
        "各乡镇人民政府：为深入贯彻安全发展理念，各地各部门要认真贯",
        "切落实安全生产责任制，全面排查整治重大事故隐患，坚决防范遏",
        "制各类事故发生。",
        "龙南市人民政府办公室",
    ]
    text = extract_text(assets.pdf_chinese(lines, title="通知"), "pdf")
    assert text.error is None and text.units == 1
    assert "认真贯切落实" in text.text and "防范遏制各类" in text.text
    assert "通知\n各乡镇" in text.text  # a short heading keeps its line
    assert text.published == date(2024, 11, 5)  # the file's CreationDate


def test_rejoin_keeps_short_lines_and_punctuation_breaks():
    full = "一二三四五六七八九十" * 3
    lines = [full, full, "甲乙", "姓名", "张三"]
    assert rejoin_wrapped_lines(lines) == [full + full + "甲乙", "姓名", "张三"]
    lines = [full, full[:-1] + "。", "下一段"]
    assert rejoin_wrapped_lines(lines) == [full + full[:-1] + "。", "下一段"]
    assert rejoin_wrapped_lines(["单行"]) == ["单行"]


def test_scanned_pdf_has_no_text_and_says_so():
    text = extract_text(assets.pdf_image_only(), "pdf")
    assert text.text == "" and "扫描件" in (text.error or "")


def test_truncated_and_garbage_files_do_not_raise():
    pdf = assets.pdf_chinese(["测试文字"])
    for data, kind in ((pdf[: len(pdf) // 2], "pdf"), (b"garbage", "pdf"), (b"PK\x03\x04", "docx")):
        result = extract_text(data, kind)
        assert result.text == "" and result.error


def _docx_bytes(paragraphs, table=None):
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    document.core_properties.created = datetime(2024, 11, 18, 9, 0)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_and_table_cells_are_separate_lines():
    data = _docx_bytes(["通知正文", "第二段"], [["台湾", "政府购买服务"], ["甲", "乙"]])
    text = extract_text(data, "docx")
    assert text.text.splitlines() == ["通知正文", "第二段", "台湾", "政府购买服务", "甲", "乙"]
    assert text.published == date(2024, 11, 18)


def test_xlsx_cells_numbers_and_dates():
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "电话", "日期", "金额"])
    sheet.append(["张某", 13807971234, datetime(2024, 11, 5), 12.5])
    buffer = io.BytesIO()
    book.save(buffer)
    text = extract_text(buffer.getvalue(), "xlsx")
    assert text.text.splitlines() == [
        "姓名",
        "电话",
        "日期",
        "金额",
        "张某",
        "13807971234",
        "2024-11-05",
        "12.5",
    ]


def test_zip_bomb_is_refused_without_unpacking():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (MAX_INFLATED // 50))
    result = extract_text(buffer.getvalue(), "docx")
    assert result.text == "" and "压缩" in (result.error or "")


def test_text_detectors_run_on_attachment_text():
    text = extract_text(_docx_bytes(["受援人张某某，电话13807971234，已办结。"]), "docx")
    page = PageContext.from_text("http://127.0.0.1/a.docx", "", text.text, text.published)
    leaks = list(PrivacyLeakDetector().check(page))
    assert [(f.details["kind"], f.details["masked_value"]) for f in leaks] == [
        ("mobile", "138****1234")
    ]
    names = {d.id for d in detectors_for(CONFIG, "text")}
    assert {"term", "privacy_leak"} <= names


def test_pypdf_reads_with_one_shared_encoding_table():
    """pypdf rebuilt its WinAnsi table for every page it read; govwatch gives it one
    built once, each caller its own copy, with the same text read out."""
    from pypdf._codecs import encoding_dict_from_named_encoding as built_each_time
    from pypdf._text_extraction import _text_extractor

    from detectors import attachment_text

    extract_text(assets.pdf_chinese(["关于印发某某办法的通知"]), "pdf")
    assert _text_extractor.encoding_dict_from_named_encoding is attachment_text._named_encoding
    first = attachment_text._named_encoding("cp1252")
    assert first == built_each_time("cp1252")
    first[65] = "changed"
    assert attachment_text._named_encoding("cp1252")[65] == "A"
