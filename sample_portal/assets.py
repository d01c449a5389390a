"""Small but valid binary files and the shared stylesheet and script of the portal."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A solid-colour RGB PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height, 9))
        + chunk(b"IEND", b"")
    )


# A 1x1 PNG inlined as a data: URI (a link checker must ignore it).
PIXEL_DATA_URI = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQ"
    "DwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def ico(rgb: tuple[int, int, int]) -> bytes:
    """A 16x16 icon holding one PNG image (valid since Windows Vista, read by browsers)."""
    image = png(16, 16, rgb)
    header = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", 16, 16, 0, 0, 1, 32, len(image), 6 + 16)
    return header + entry + image


def pdf(title: str) -> bytes:
    """A one-page PDF showing ``title`` (ASCII only: no fonts are embedded)."""
    text = title.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return _pdf_file(objects)


def pdf_chinese(lines: list[str], title: str = "") -> bytes:
    """A one-page PDF of Chinese ``lines``, as office suites export them: one text line
    per shown line, a CID font (STSong-Light, UniGB-UCS2-H: a PDF reader's built-in
    Chinese font, so nothing is embedded) and, with ``title``, an Info dictionary."""
    ops = ["BT /F1 12 Tf 16 TL 56 780 Td"]
    for line in lines:
        ops.append(f"<{line.encode('utf-16-be').hex().upper()}> Tj T*")
    ops.append("ET")
    stream = "\n".join(ops).encode("ascii")
    info = b""
    if title:
        info = b"<< /Title <FEFF%s> /CreationDate (D:20241105090000+08'00') >>" % (
            title.encode("utf-16-be").hex().upper().encode("ascii")
        )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> "
        b"/FontDescriptor 7 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
        b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
        b"/CapHeight 880 /StemV 93 >>",
    ]
    if info:
        objects.append(info)
    return _pdf_file(objects, info=len(objects) if info else None)


def pdf_image_only() -> bytes:
    """A one-page PDF that is a single grey image, like a scanned paper: no text layer."""
    pixels = b"\x80" * 64
    stream = b"q 480 640 Td 480 0 0 640 56 100 cm /Im1 Do Q"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length %d >>\nstream\n" % len(pixels) + pixels + b"\nendstream",
    ]
    return _pdf_file(objects)


def _pdf_file(objects: list[bytes], info: int | None = None) -> bytes:
    """Objects numbered from 1 (the catalog first), with their cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    info_ref = b" /Info %d 0 R" % info if info else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        info_ref,
        xref,
    )
    return bytes(out)


def legacy_doc() -> bytes:
    """Bytes that start like an old binary Word file (OLE2 signature) and are nothing
    more: the crawler only checks that such a file answers."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


_DOCX_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""

_DOCX_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="word/document.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>"""

_DOCX_BODY = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body>{paragraphs}</w:body>
</w:document>"""


def docx(paragraphs: list[str]) -> bytes:
    """A minimal Word document (three parts, deterministic bytes)."""
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (
            ("[Content_Types].xml", _DOCX_TYPES),
            ("_rels/.rels", _DOCX_RELS),
            ("word/document.xml", _DOCX_BODY.format(paragraphs=body)),
        ):
            archive.writestr(zipfile.ZipInfo(name, (2024, 11, 5, 9, 0, 0)), text)
    return buffer.getvalue()


# The TRS WCM pager: list pages call createPageHTML(pageCount, currentIndex, "index", "html")
# in an inline script; page 0 is index.html, page n is index_n.html.
COMMON_JS = """\
/* 龙南市人民政府 公共脚本 */
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt) {
    if (_nPageCount == null || _nPageCount <= 1) {
        return;
    }
    var nCurrIndex = _nCurrIndex || 0;
    function pageUrl(n) {
        return n == 0 ? _sPageName + "." + _sPageExt : _sPageName + "_" + n + "." + _sPageExt;
    }
    document.write("<div class=\\"pager\\">");
    if (nCurrIndex == 0) {
        document.write("<span>首页</span> <span>上一页</span> ");
    } else {
        document.write("<a href=\\"" + pageUrl(0) + "\\">首页</a> ");
        document.write("<a href=\\"" + pageUrl(nCurrIndex - 1) + "\\">上一页</a> ");
    }
    for (var i = 0; i < _nPageCount; i++) {
        if (i == nCurrIndex) {
            document.write("<span class=\\"current\\">" + (i + 1) + "</span> ");
        } else {
            document.write("<a href=\\"" + pageUrl(i) + "\\">" + (i + 1) + "</a> ");
        }
    }
    if (nCurrIndex == _nPageCount - 1) {
        document.write("<span>下一页</span> <span>尾页</span>");
    } else {
        document.write("<a href=\\"" + pageUrl(nCurrIndex + 1) + "\\">下一页</a> ");
        document.write("<a href=\\"" + pageUrl(_nPageCount - 1) + "\\">尾页</a>");
    }
    document.write("</div>");
}

function doZoom(size) {
    var editor = document.getElementById("zoom");
    if (editor) {
        editor.style.fontSize = size + "px";
    }
}
"""

STYLE_CSS = """\
/* 龙南市人民政府 门户网站样式 */
body { margin: 0; font: 14px/1.8 "Microsoft YaHei", SimSun, sans-serif; color: #333; }
a { color: #333; text-decoration: none; }
a:hover { color: #c00; }
.header { height: 120px; background: #b5050b url(../images/header_bg.png) repeat-x; }
.header .logo { float: left; margin: 20px 0 0 40px; }
.nav { background: #9c0007; }
.nav ul { margin: 0 auto; padding: 0; width: 1200px; list-style: none; }
.nav li { float: left; width: 16%; text-align: center; line-height: 46px; }
.nav li a { color: #fff; font-size: 17px; }
.main { width: 1200px; margin: 20px auto; overflow: hidden; }
.crumb { color: #666; padding: 8px 0; border-bottom: 1px solid #ddd; }
.list li { border-bottom: 1px dashed #ddd; line-height: 38px; list-style: none; }
.list li span { float: right; color: #999; }
.article h1 { text-align: center; font-size: 24px; color: #b5050b; }
.article .info { text-align: center; color: #999; border-bottom: 1px solid #eee; }
.TRS_Editor p { text-indent: 2em; font-size: 16px; }
.pager { text-align: center; margin: 20px 0; }
.pager a, .pager span { padding: 2px 8px; border: 1px solid #ddd; }
.footer { background: #f2f2f2; text-align: center; color: #666; padding: 20px 0; }
"""
