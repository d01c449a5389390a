"""Hostile attachments, generated (no large binaries in the repository): cheap to make,
costly to read naively."""

from __future__ import annotations

import io
import os
import zipfile
import zlib

from sample_portal.assets import _pdf_file

_XLSX_PARTS = {
    "[Content_Types].xml": b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
</Types>""",
    "_rels/.rels": b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="xl/workbook.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>""",
    "xl/workbook.xml": b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>""",
    "xl/_rels/workbook.xml.rels": b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="worksheets/sheet1.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>
</Relationships>""",
}

_DOCX_PARTS = {
    "[Content_Types].xml": b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>""",
    "_rels/.rels": b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="word/document.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>""",
}


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def xlsx_declaring_everything() -> bytes:
    """1.6 KB: a sheet that declares ``A1:XFD1048576`` and has two cells, the first and
    the very last (a reader that pads to the declared size walks 17 billion cells)."""
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="A1:XFD1048576"/><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>13807971234</t></is></c></row>'
        b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>last</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    return _zip({**_XLSX_PARTS, "xl/worksheets/sheet1.xml": sheet})


def docx_of_markup(xml_mb: int) -> tuple[bytes, int]:
    """A Word document of about ``xml_mb`` MB of XML, all formatting and little text
    (random, so that it compresses only tenfold, as real documents do), and its number
    of paragraphs."""
    count = xml_mb * 1024 * 1024 // 110
    noise = os.urandom(count * 4).hex().encode()
    paragraphs = b"".join(
        b'<w:p><w:r><w:rPr><w:color w:val="%s"/><w:sz w:val="24"/></w:rPr><w:t>%s</w:t></w:r></w:p>'
        % (noise[i * 8 : i * 8 + 6], noise[i * 8 + 6 : i * 8 + 8])
        for i in range(count)
    )
    document = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body>" + paragraphs + b"</w:body></w:document>"
    )
    return _zip({**_DOCX_PARTS, "word/document.xml": document}), count


def docx_of_text(chars: int) -> bytes:
    """A Word document of ``chars`` characters of plain text (1,000 a paragraph)."""
    paragraph = b"<w:p><w:r><w:t>" + "政务公开".encode() * 250 + b"</w:t></w:r></w:p>"
    document = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body>" + paragraph * (chars // 1000) + b"</w:body></w:document>"
    )
    return _zip({**_DOCX_PARTS, "word/document.xml": document})


def _text_ops(ops: int, letter: bytes = b"a") -> bytes:
    """A page content of ``ops`` text-showing operations (2 tokens each), compressed."""
    body = b"BT /F1 12 Tf 56 780 Td\n" + (b"(" + letter + b") Tj\n") * ops + b"ET\n"
    return zlib.compress(body, 1)


def _pdf(contents: list[bytes], pages_of: list[int]) -> bytes:
    """Pages (``pages_of[i]``: the content stream page ``i`` shows) over shared
    resources: objects 1 catalog, 2 page tree, 3 font, 4 resources, then the streams,
    then the pages."""
    first_page = 5 + len(contents)
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(len(pages_of)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(pages_of),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Font << /F1 3 0 R >> >>",
    ]
    for packed in contents:
        objects.append(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed)
            + packed
            + b"\nendstream"
        )
    for stream in pages_of:
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources 4 0 R "
            b"/Contents %d 0 R >>" % (5 + stream)
        )
    return _pdf_file(objects)


def pdf_pages_sharing_one_stream(pages: int, ops: int) -> bytes:
    """``pages`` pages that all show one content stream of ``ops`` text operations."""
    return _pdf([_text_ops(ops)], [0] * pages)


def pdf_of_heavy_pages(pages: int, ops: int) -> bytes:
    """``pages`` pages, each its own content stream of ``ops`` text operations."""
    return _pdf([_text_ops(ops, b"%c" % (97 + i % 26)) for i in range(pages)], list(range(pages)))


def pdf_undecodable() -> bytes:
    """A one-page PDF whose content stream claims compression it does not have."""
    stream = b"BT /F1 12 Tf 56 780 Td (text) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    return _pdf_file(objects)


def pdf_without_pages() -> bytes:
    """A PDF whose page tree points at an object that does not exist."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [9 0 R] /Count 1 >>",
    ]
    return _pdf_file(objects)


def pdf_padded(text: str, padding_mb: int) -> bytes:
    """A healthy one-page PDF showing ``text`` (ASCII) that is ``padding_mb`` MB large
    (an embedded stream no page uses, as a large image or font makes a file large)."""
    shown = b"BT /F1 14 Tf 72 760 Td (" + text.encode("ascii") + b") Tj ET"
    padding = b"\0" * (padding_mb * 1024 * 1024)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(shown) + shown + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(padding) + padding + b"\nendstream",
    ]
    return _pdf_file(objects)
