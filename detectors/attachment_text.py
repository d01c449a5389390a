"""The text of attachments (PDF, DOCX, XLSX) as a reader of the file sees it.

Government sites publish most documents as attachments; a wording error or an
unmasked ID number in a PDF is as much on the site as one in a page. Extraction
is by format:

* **PDF** (pypdf): the text layer of each page. PDF text comes as the lines the
  page shows, so a sentence wrapped at the right margin is cut in two and a term
  can straddle the cut (…进一步布 / 署…). Such wraps are rejoined: a line ending in
  a Chinese character and followed by one that starts with a Chinese character is
  joined when it is about as long as the page's full lines (a short line is a
  heading, a table cell or a paragraph's last line and keeps its break). A PDF
  without a text layer (a scan) yields no text and says so.
* **DOCX** (the document XML via python-docx): every paragraph, including those in
  tables and text boxes, one line each.
* **XLSX** (openpyxl, read-only, cached values): one line per non-empty cell, so
  that no term is formed across two cells.

Hostile files are bounded: archives whose members would inflate beyond
``MAX_INFLATED`` bytes (zip bombs) are refused, PDFs are read up to ``MAX_PDF_PAGES``
pages, and every format stops at ``MAX_CHARS`` characters. Failures never raise:
they come back as ``AttachmentText.error`` (in Chinese, for the scan log and the
operator), because one broken file must not stop the detection of the others.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import unquote, urlsplit

logger = logging.getLogger(__name__)

MAX_CHARS = 2_000_000  # characters of text kept per attachment
MAX_PDF_PAGES = 500
MAX_INFLATED = 200 * 1024 * 1024  # bytes an OOXML archive may unpack to
MAX_RATIO = 200  # compression ratio beyond which an archive member is a bomb

ATTACHMENT_KINDS: dict[str, tuple[str, ...]] = {
    "pdf": ("application/pdf", "application/x-pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",),
}
# What servers send for any download; the file's extension decides then.
_GENERIC_TYPES = frozenset(
    {"application/octet-stream", "application/download", "binary/octet-stream", "application/zip"}
)
KIND_NAMES = {"pdf": "PDF 文件", "docx": "Word 文档", "xlsx": "Excel 表格"}

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class AttachmentText:
    kind: str
    text: str = ""
    published: date | None = None  # the file's own creation date, if it records one
    units: int = 0  # pages (PDF), paragraphs (DOCX) or cells (XLSX) read
    error: str | None = None  # why no (or not all) text could be read
    truncated: bool = False


def attachment_kind(url: str, content_type: str = "") -> str | None:
    """``pdf``/``docx``/``xlsx`` by the response's type, else by the URL's extension."""
    mime = content_type.split(";", 1)[0].strip().lower()
    for kind, types in ATTACHMENT_KINDS.items():
        if mime in types:
            return kind
    generic = mime in _GENERIC_TYPES or mime.startswith(("application/x-", "application/force"))
    if mime and not generic:
        return None  # the server says it is something else (an HTML error page …)
    path = unquote(urlsplit(url).path).lower()
    for kind in ATTACHMENT_KINDS:
        if path.endswith("." + kind):
            return kind
    return None


def extract_text(data: bytes, kind: str) -> AttachmentText:
    """The text of an attachment of ``kind``; never raises for a bad file."""
    try:
        if kind == "pdf":
            return _pdf(data)
        if kind in ("docx", "xlsx"):
            problem = _archive_problem(data)
            if problem:
                return AttachmentText(kind, error=problem)
            return _docx(data) if kind == "docx" else _xlsx(data)
    except Exception as error:  # malformed files take every shape; report, don't crash
        logger.debug("cannot read %s attachment: %r", kind, error)
        return AttachmentText(kind, error=f"文件无法解析（{type(error).__name__}）")
    return AttachmentText(kind, error=f"不支持的附件类型 {kind}")


def _capped(kind: str, lines: list[str], **kwargs) -> AttachmentText:
    text = "\n".join(lines)
    truncated = len(text) > MAX_CHARS
    return AttachmentText(kind, text[:MAX_CHARS], truncated=truncated, **kwargs)


# -- PDF -----------------------------------------------------------------------------------


def _pdf(data: bytes) -> AttachmentText:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        try:  # many government PDFs are "encrypted" with an empty user password
            reader.decrypt("")
        except Exception:
            return AttachmentText("pdf", error="PDF 已加密，无法读取文字")
    lines: list[str] = []
    size = 0
    pages = 0
    try:
        for page in reader.pages[:MAX_PDF_PAGES]:
            page_text = page.extract_text() or ""
            pages += 1
            lines.extend(rejoin_wrapped_lines(page_text.splitlines()))
            size += len(page_text)
            if size > MAX_CHARS:
                break
    except FileNotDecryptedError:
        return AttachmentText("pdf", error="PDF 已加密，无法读取文字")
    published = _pdf_date(reader)
    if not any(line.strip() for line in lines):
        return AttachmentText(
            "pdf", published=published, units=pages, error="PDF 无文字层（可能是扫描件）"
        )
    return _capped("pdf", lines, published=published, units=pages)


def _pdf_date(reader) -> date | None:
    try:
        info = reader.metadata
        raw = info.get("/CreationDate") or info.get("/ModDate") if info else None
    except Exception:
        return None
    match = re.match(r"(?:D:)?(\d{4})(\d{2})(\d{2})", str(raw or ""))
    if not match:
        return None
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def rejoin_wrapped_lines(lines: list[str]) -> list[str]:
    """Join lines a PDF wrapped at the margin back into the sentence they belong to.

    A line is a wrap when it ends with a Chinese character, the next starts with one,
    and it is at least 80% as long as the page's typical full line (the upper quartile
    of line lengths): the short last line of a paragraph, a heading or a table cell
    keeps its break."""
    lines = [line.strip() for line in lines]
    lengths = [len(line) for line in lines if len(line) >= 4]
    if len(lengths) < 2:
        return [line for line in lines if line]
    full = statistics.quantiles(lengths, n=4)[-1] if len(lengths) >= 4 else max(lengths)
    out: list[str] = []
    carry = ""
    for i, line in enumerate(lines):
        if not line:
            if carry:
                out.append(carry)
                carry = ""
            continue
        current = carry + line
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        wraps = nxt and _CJK.match(line[-1]) and _CJK.match(nxt[0]) and len(line) >= 0.8 * full
        if wraps:
            carry = current
        else:
            out.append(current)
            carry = ""
    if carry:
        out.append(carry)
    return out


# -- Office Open XML ----------------------------------------------------------------------


def _archive_problem(data: bytes) -> str | None:
    """Why this DOCX/XLSX archive must not be unpacked (None: it is safe)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        return "文件已损坏（不是有效的 Office 文档）"
    inflated = sum(m.file_size for m in members)
    if inflated > MAX_INFLATED:
        return f"文件解压后过大（{inflated // (1024 * 1024)} MB），未读取"
    for member in members:
        if member.compress_size and member.file_size / member.compress_size > MAX_RATIO:
            return "文件压缩比异常（疑似压缩炸弹），未读取"
    return None


def _docx(data: bytes) -> AttachmentText:
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    size = 0
    w_t, w_tab, w_br = qn("w:t"), qn("w:tab"), qn("w:br")
    # Every paragraph in body order: plain ones, table cells, text boxes alike.
    for paragraph in document.element.body.iter(qn("w:p")):
        parts = []
        for node in paragraph.iter(w_t, w_tab, w_br):
            if node.tag == w_t:
                parts.append(node.text or "")
            else:
                parts.append("\n" if node.tag == w_br else " ")
        text = "".join(parts).strip()
        if text:
            lines.append(text)
            size += len(text)
            if size > MAX_CHARS:
                break
    created = document.core_properties.created
    published = created.date() if isinstance(created, datetime) else None
    return _capped("docx", lines, published=published, units=len(lines))


def _xlsx(data: bytes) -> AttachmentText:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    lines: list[str] = []
    size = 0
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                for value in row:
                    if value is None:
                        continue
                    text = _cell_text(value)
                    if text:
                        lines.append(text)
                        size += len(text)
                if size > MAX_CHARS:
                    break
        created = book.properties.created
    finally:
        book.close()
    published = created.date() if isinstance(created, datetime) else None
    return _capped("xlsx", lines, published=published, units=len(lines))


def _cell_text(value: object) -> str:
    """A cell as shown: integral floats without ``.0`` (IDs and phone numbers typed as
    numbers are still found), dates as dates."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e20:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    return str(value).strip()
