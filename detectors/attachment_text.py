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
* **DOCX** (the document XML, read as a stream with lxml): every paragraph, including
  those in tables and text boxes, one line each.
* **XLSX** (openpyxl, read-only, cached values): one line per non-empty cell, so
  that no term is formed across two cells.

Hostile files are bounded in time and memory, and every cut is said:

* archives whose members would inflate beyond ``MAX_INFLATED`` bytes, or at a
  compression ratio beyond ``MAX_RATIO`` (zip bombs), are refused unread, and so are
  spreadsheets whose parts that openpyxl reads whole (shared strings, styles) exceed
  ``MAX_WHOLE_PART``;
* the Word document is read as a stream (lxml ``iterparse``, each paragraph dropped once
  read), never as one tree: 195 MB of XML costs what one paragraph costs;
* a spreadsheet's declared dimensions (``A1:XFD1048576``) are ignored: only the cells
  that exist are read;
* a PDF's pages that show a content stream already read are not read again (their text
  is the same), pypdf's work per content stream is capped where pypdf has a cap, and at
  most ``MAX_PDF_PAGES`` pages are read;
* every format stops at ``MAX_CHARS`` characters, and when its wall-clock budget
  (``READ_BUDGET_S``) is spent, checked between pages, paragraphs and rows; a caller may
  also cut one long step short by raising :class:`ReadBudgetExceeded` (the detection
  worker does, from an alarm).

What was read up to a cut is kept and checked, and ``AttachmentText.error`` says why
the rest was not (``truncated``): the scan stores it with the attachment, so that its
old findings are not taken for fixed. Failures never raise: they come back as
``AttachmentText.error`` (in Chinese, for the operator), because one broken file must
not stop the detection of the others. Only a PDF with images and no text is called a
scan; one that pypdf cannot read is called damaged.
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import posixpath
import re
import statistics
import time
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import unquote, urlsplit

logger = logging.getLogger(__name__)

MAX_CHARS = 2_000_000  # characters of text kept per attachment
MAX_PDF_PAGES = 500
MAX_INFLATED = 200 * 1024 * 1024  # bytes an OOXML archive may unpack to
MAX_RATIO = 200  # compression ratio beyond which an archive member is a bomb
MAX_WHOLE_PART = 32 * 1024 * 1024  # bytes of an XML part that openpyxl reads whole
READ_BUDGET_S = 20.0  # wall-clock seconds of reading per attachment
PDF_STREAM_WORK = 500_000  # pypdf's parsing budget per content stream (pypdf >= 6.7)

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
    # Where each line of ``text`` is in the file, when the reader knows (a PDF's
    # 第 N 页): what the pre-publication check tells an editor.
    places: tuple[str, ...] = ()


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


class ReadBudgetExceeded(BaseException):
    """The time budget of reading one attachment is spent (raised by the readers'
    checks, or by a caller's alarm during one long step). Not an ``Exception``: the
    libraries' own ``except Exception`` must not swallow it."""


_UNIT_WORDS = {"pdf": "页", "docx": "段", "xlsx": "个单元格"}


@dataclass
class _Reading:
    """The text read so far, and why reading stopped before the end."""

    kind: str
    budget_s: float
    deadline: float
    lines: list[str] = field(default_factory=list)
    size: int = 0
    units: int = 0
    cut: str | None = None  # why the rest was not read
    places: list[str] = field(default_factory=list)  # one per line, when ``add`` says

    def add(self, lines: Iterable[str], place: str | None = None) -> bool:
        """Keep ``lines`` (from ``place`` in the file); ``False`` once ``MAX_CHARS`` is
        reached (read no further)."""
        for line in lines:
            self.lines.append(line)
            if place is not None:
                self.places.append(place)
            self.size += len(line) + 1
            if self.size > MAX_CHARS:
                limit = MAX_CHARS // 10_000
                self.cut = f"文字超过 {limit} 万字，只检查了前 {limit} 万字"
                return False
        return True

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise ReadBudgetExceeded

    def timed_out(self) -> None:
        words = _UNIT_WORDS[self.kind]
        self.cut = f"读取超过 {self.budget_s:g} 秒，只检查了前 {self.units} {words}"

    def result(self, published: date | None = None, error: str | None = None) -> AttachmentText:
        text = "\n".join(self.lines)
        return AttachmentText(
            self.kind,
            text[:MAX_CHARS],
            published=published,
            units=self.units,
            error=error or self.cut,
            truncated=self.cut is not None or error is not None or len(text) > MAX_CHARS,
            places=tuple(self.places) if len(self.places) == len(self.lines) else (),
        )


def extract_text(data: bytes, kind: str, budget_s: float = READ_BUDGET_S) -> AttachmentText:
    """The text of an attachment of ``kind``, read for at most about ``budget_s``
    seconds; never raises for a bad file."""
    reading = _Reading(kind, budget_s, time.monotonic() + budget_s)
    try:
        if kind == "pdf":
            return _pdf(data, reading)
        if kind in ("docx", "xlsx"):
            problem = archive_problem(data, kind)
            if problem:
                return AttachmentText(kind, error=problem)
            return _docx(data, reading) if kind == "docx" else _xlsx(data, reading)
    except ReadBudgetExceeded:
        reading.timed_out()
        return reading.result()
    except Exception as error:  # malformed files take every shape; report, don't crash
        logger.debug("cannot read %s attachment: %r", kind, error)
        if reading.lines:  # what was read before the damage is still checked
            return reading.result(
                error=f"文件有损坏之处（{type(error).__name__}），"
                f"只检查了前 {reading.units} {_UNIT_WORDS[kind]}"
            )
        return AttachmentText(kind, error=f"文件无法解析（{type(error).__name__}）")
    return AttachmentText(kind, error=f"不支持的附件类型 {kind}")


# -- PDF -----------------------------------------------------------------------------------


class _Warnings(logging.Handler):
    """What pypdf warned of while reading (it repairs what it can, and says so)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def _pypdf_quiet() -> Iterator[_Warnings]:
    """pypdf's warnings collected, not printed (they are for us, not the operator), and
    its work per content stream capped where it can be."""
    pypdf_logger = logging.getLogger("pypdf")
    warnings = _Warnings()
    pypdf_logger.addHandler(warnings)
    propagate, pypdf_logger.propagate = pypdf_logger.propagate, False
    try:
        with contextlib.ExitStack() as stack:
            try:
                from pypdf import apply_configuration  # pypdf >= 6.7
            except ImportError:
                pass
            else:
                with contextlib.suppress(TypeError):  # a pypdf without this budget
                    stack.enter_context(
                        apply_configuration(stream_parsing_work_maximum_count=PDF_STREAM_WORK)
                    )
            yield warnings
    finally:
        pypdf_logger.removeHandler(warnings)
        pypdf_logger.propagate = propagate


def _contents_key(page: Any) -> tuple[int, ...] | None:
    """The objects a page's content comes from (``None``: not by reference)."""
    try:
        contents = page.raw_get("/Contents")  # the reference, not what it points to
    except Exception:
        return None
    refs = list(contents) if isinstance(contents, list) else [contents]
    keys = tuple(getattr(ref, "idnum", -1) for ref in refs)
    return None if not keys or -1 in keys else keys


def _unreadable(page: Any, warnings: _Warnings) -> bool:
    """Whether a page's content cannot be decoded (pypdf says so, or gives nothing)."""
    warned = len(warnings.messages)
    try:
        contents = page.get_contents()
        if contents is not None:
            contents.get_data()
    except Exception:
        return True
    return len(warnings.messages) > warned or (contents is None and "/Contents" in page)


def _has_images(page: Any) -> bool:
    try:
        xobjects = page["/Resources"]["/XObject"]
        return any(xobjects[name].get("/Subtype") == "/Image" for name in xobjects)
    except Exception:
        return False


_encoding_tables: dict[str, dict[int, str]] = {}


def _named_encoding(encoding: str) -> dict[int, str]:
    """pypdf's ``encoding_dict_from_named_encoding``, from a table built once: pypdf
    builds it again, by decoding 256 single bytes, for every page it extracts text from
    (a fifth of reading a short PDF). Each caller still gets its own copy to change."""
    table = _encoding_tables.get(encoding)
    if table is None:
        from pypdf._codecs import encoding_dict_from_named_encoding

        table = _encoding_tables[encoding] = encoding_dict_from_named_encoding(encoding)
    return dict(table)


@functools.cache
def _share_pypdf_encodings() -> None:
    """Point pypdf's text extraction at :func:`_named_encoding` (once; a pypdf whose
    modules no longer have the function is left as it is)."""
    import importlib

    for name in ("pypdf._text_extraction._text_extractor", "pypdf.generic._font"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if callable(getattr(module, "encoding_dict_from_named_encoding", None)):
            module.encoding_dict_from_named_encoding = _named_encoding  # type: ignore[attr-defined]


def _pdf(data: bytes, reading: _Reading) -> AttachmentText:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError

    _share_pypdf_encodings()

    encrypted = AttachmentText("pdf", error="PDF 已加密，无法读取文字")
    with _pypdf_quiet() as warnings:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:  # many government PDFs are "encrypted" with an empty user password
                reader.decrypt("")
            except Exception:
                return encrypted
        try:
            pages = list(reader.pages)
        except FileNotDecryptedError:
            return encrypted
        published = _pdf_date(reader)
        seen: dict[tuple[int, ...], bool] = {}  # content streams read: whether readable
        damaged = images = complex_pages = 0
        try:
            for index, page in enumerate(pages):
                if index == MAX_PDF_PAGES:
                    reading.cut = f"PDF 共 {len(pages)} 页，只检查了前 {MAX_PDF_PAGES} 页"
                    break
                reading.check_time()
                key = _contents_key(page)
                if key is not None and key in seen:  # shows a content already read
                    if seen[key]:
                        reading.units += 1
                    else:
                        damaged += 1
                    continue
                warned = len(warnings.messages)
                try:
                    page_text = page.extract_text() or ""
                except FileNotDecryptedError:
                    return encrypted
                except MemoryError:
                    raise
                except Exception as error:
                    logger.debug("page %d of a PDF: %r", index + 1, error)
                    if type(error).__name__ == "LimitReachedError":  # pypdf's own budget
                        complex_pages += 1
                    else:
                        damaged += 1
                    if key is not None:
                        seen[key] = False
                    continue
                if not page_text.strip() and (
                    len(warnings.messages) > warned or _unreadable(page, warnings)
                ):
                    damaged += 1
                    if key is not None:
                        seen[key] = False
                    continue
                if key is not None:
                    seen[key] = True
                reading.units += 1
                if not page_text.strip():
                    images += _has_images(page)
                lines = rejoin_wrapped_lines(page_text.splitlines())
                if not reading.add(lines, f"第 {index + 1} 页"):
                    break
        except ReadBudgetExceeded:
            reading.timed_out()
    skipped = "；".join(
        note
        for n, note in (
            (damaged, f"{damaged} 页已损坏"),
            (complex_pages, f"{complex_pages} 页内容过于复杂（超出读取限度）"),
        )
        if n
    )
    if any(line.strip() for line in reading.lines) or reading.cut:
        if skipped and reading.cut is None:
            reading.cut = f"PDF 中有 {skipped}，这些页未检查"
        return reading.result(published)
    if images and not (damaged or complex_pages):
        error = "PDF 无文字层（可能是扫描件）"
    elif not pages:
        error = "PDF 文件已损坏（没有可读取的页面）"
    elif complex_pages and not damaged:
        error = "PDF 页面内容过于复杂（超出读取限度），未能读取文字"
    elif damaged or complex_pages:
        error = "PDF 文件已损坏（页面内容无法读取）"
    else:
        error = "PDF 中没有文字"
    return AttachmentText("pdf", published=published, units=reading.units, error=error)


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


def archive_problem(data: bytes, kind: str) -> str | None:
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
        streamed = kind == "docx" or member.filename.startswith("xl/worksheets/")
        if member.file_size > MAX_WHOLE_PART and not streamed:
            size = member.file_size // (1024 * 1024)
            return f"表格中的 {member.filename} 解压后过大（{size} MB），未读取"
    return None


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _xml(data: bytes) -> Any:
    """A small XML part, parsed without entities or network access."""
    from lxml import etree

    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def _main_part(archive: zipfile.ZipFile, default: str) -> str:
    """The package's main document part (named in ``_rels/.rels``), else ``default``."""
    try:
        rels = _xml(archive.read("_rels/.rels"))
    except Exception:
        return default
    names = set(archive.namelist())
    for rel in rels:
        target = str(rel.get("Target") or "")
        if str(rel.get("Type") or "").endswith("/officeDocument") and target:
            part = posixpath.normpath(target.lstrip("/"))
            if part in names:
                return part
    return default


def _created(archive: zipfile.ZipFile) -> date | None:
    """``dcterms:created`` of the package's core properties."""
    try:
        if archive.getinfo("docProps/core.xml").file_size > 1024 * 1024:
            return None
        core = _xml(archive.read("docProps/core.xml"))
    except Exception:
        return None
    for node in core.iter("{http://purl.org/dc/terms/}created"):
        with contextlib.suppress(ValueError):
            return datetime.fromisoformat((node.text or "").strip().replace("Z", "+00:00")).date()
    return None


def _paragraph_text(paragraph: Any) -> str:
    parts = []
    for node in paragraph.iter(f"{_W}t", f"{_W}tab", f"{_W}br"):
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        else:
            parts.append("\n" if node.tag == f"{_W}br" else " ")
    return "".join(parts).strip()


def _docx(data: bytes, reading: _Reading) -> AttachmentText:
    """Every paragraph in body order, plain ones, table cells and text boxes alike, read
    as a stream: a paragraph leaves memory once read."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        published = _created(archive)
        with archive.open(_main_part(archive, "word/document.xml")) as stream:
            paragraph_tag = f"{_W}p"
            for _, element in etree.iterparse(
                stream, tag=paragraph_tag, resolve_entities=False, no_network=True
            ):
                if any(a.tag == paragraph_tag for a in element.iterancestors()):
                    continue  # a paragraph inside another (a text box): read with the outer
                for paragraph in element.iter(paragraph_tag):  # the outer one first
                    text = _paragraph_text(paragraph)
                    if text:
                        reading.units += 1
                        if not reading.add([text]):
                            return reading.result(published)
                reading.check_time()
                element.clear()
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]
    return reading.result(published)


def _xlsx(data: bytes, reading: _Reading) -> AttachmentText:
    """Every cell that exists, row by row, sheet by sheet (declared dimensions ignored)."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        created = book.properties.created
        published = created.date() if isinstance(created, datetime) else None
        for sheet in book.worksheets:
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # "A1:XFD1048576" declared is no reason to pad
            for row in sheet.iter_rows(values_only=True):
                reading.check_time()
                texts = [cell_text(value) for value in row if value is not None]
                texts = [text for text in texts if text]
                reading.units += len(texts)
                if not reading.add(texts):
                    return reading.result(published)
    finally:
        book.close()
    return reading.result(published)


def cell_text(value: object) -> str:
    """A cell as shown: integral floats without ``.0`` (IDs and phone numbers typed as
    numbers are still found), dates as dates."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e20:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    return str(value).strip()
