"""A draft read into blocks of text, each with the place an editor finds it again.

Before publication an editor holds an HTML page (the CMS's preview, or the editor's
fragment), plain text, or the files that go up with the article. Each is read the way
the scan reads what is published, so that a draft and its published page get the same
findings:

* **HTML** is parsed and read by the page detectors' own reading
  (:func:`detectors.page.parse_html`, :func:`detectors.page_text.visible_text`), after
  the site's chrome (header, navigation, breadcrumb, footer: :func:`detectors.page_facts.
  is_chrome`) is taken out of a CMS preview page: the editor answers for the article, not
  for the template around it. Blocks are 标题, 页面描述, 图片说明 and 正文第 N 段.
* **Plain text**: one block per non-empty line, 第 N 行.
* **DOCX** (python-docx): body paragraphs (第 N 段) and table cells
  (表格 T 第 R 行第 C 列), in document order.
* **XLSX** (openpyxl, read-only): one block per cell, ``工作表!B3``.
* **PDF**: the scan's own reader (:func:`detectors.attachment_text.extract_text`), which
  says the page of each line (第 N 页).

Hostile files get the scan's limits (:mod:`detectors.attachment_text`: zip bombs and
oversized parts refused unread, a reading budget, ``MAX_CHARS``), and a draft is at most
``MAX_DRAFT_BYTES``. A file that cannot be read raises :class:`DraftError` with a Chinese
sentence; one read in part says why in ``Draft.note``.
"""

from __future__ import annotations

import html
import io
import multiprocessing
import re
import time
import zipfile
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from detectors.attachment_text import (
    MAX_CHARS,
    MAX_WHOLE_PART,
    READ_BUDGET_S,
    AttachmentText,
    archive_problem,
    attachment_kind,
    cell_text,
    extract_text,
)
from detectors.page import PageContext, parse_html
from detectors.page_facts import is_chrome
from detectors.page_text import SOURCE_LABELS, visible_text

MAX_DRAFT_BYTES = 10 * 1024 * 1024
TITLE = "标题"
KINDS = ("html", "text", "docx", "xlsx", "pdf")
KIND_NAMES = {
    "html": "网页",
    "text": "纯文本",
    "docx": "Word 文档",
    "xlsx": "Excel 表格",
    "pdf": "PDF 文件",
}
_SUFFIXES = {
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".pdf": "pdf",
}
_HTML_RE = re.compile(
    rb"<(?:!doctype|html|head|body|p|div|span|br|table|h[1-6]|a|img|ul|ol|li|strong|font)\b",
    re.IGNORECASE,
)
_SCRUB = dict.fromkeys((0, 1, 2))  # what the page reading scrubs from text


class DraftError(Exception):
    """A draft that cannot be checked; the message is for the editor (Chinese)."""


@dataclass(frozen=True)
class Block:
    location: str  # 第 3 段, 表格 1 第 2 行第 3 列, 工作表1!B3, 第 2 页, 正文第 4 段 …
    text: str


@dataclass
class Draft:
    """A draft's text as blocks (``text`` is them joined by newlines), and for HTML the
    tree the markup detectors read."""

    kind: str
    name: str  # the file's name, the preview page's address, or what was pasted
    blocks: list[Block] = field(default_factory=list)
    root: Any = None  # the HTML's content tree, chrome taken out
    page_text: Any = None  # its visible text (detectors.page_text.PageText), read once
    url: str | None = None  # the preview page's own address (a file has none)
    note: str | None = None  # why part of the draft was not read
    chars: int = 0  # of the blocks, with their separators

    @property
    def text(self) -> str:
        return "\n".join(block.text for block in self.blocks)

    def page(self, base_url: str, as_of: date) -> PageContext:
        """The subject the page detectors check, published on ``as_of``."""
        url = self.url or base_url
        if self.root is not None:
            page = PageContext(url=url, title="", meta={}, root=self.root)
            page.__dict__["text"] = self.page_text  # pre-fills the cached properties
            page.__dict__["published"] = as_of  # judged as of its publication
            return page
        titles = [b for b in self.blocks[:2] if b.location == TITLE]
        if len(titles) == 1:  # the title as the page's title (its 文号 dates it, too)
            body = "\n".join(block.text for block in self.blocks[1:])
            return PageContext.from_text(url, titles[0].text, body, as_of)
        return PageContext.from_text(url, "", self.text, as_of)


def too_large(size: int) -> DraftError:
    limit = MAX_DRAFT_BYTES // (1024 * 1024)
    return DraftError(
        f"草稿过大（{size / (1024 * 1024):.1f} MB），发布前检查最多接受 {limit} MB；"
        "请拆分后分别检查"
    )


def kind_of(name: str, data: bytes, content_type: str = "") -> str:
    """The draft's format: by the server's type, the name's suffix, then the content."""
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime in ("text/html", "application/xhtml+xml"):
        return "html"
    if mime == "text/plain":
        return "text"
    found = attachment_kind(name, content_type)
    if found:
        return found
    lowered = name.lower().split("?", 1)[0]
    for suffix, kind in _SUFFIXES.items():
        if lowered.endswith(suffix):
            return kind
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            raise DraftError("无法识别文件格式（损坏的压缩文件）") from None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise DraftError("无法识别文件格式：只能检查网页、纯文本、.docx、.xlsx 和 .pdf")
    return "html" if _HTML_RE.search(data[:4096]) else "text"


def decode(data: bytes) -> str:
    """Text in UTF-8 (with or without a BOM), else GB18030 (what Chinese Windows saves)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def read_draft(
    data: bytes,
    name: str,
    kind: str | None = None,
    title: str = "",
    url: str | None = None,
    budget_s: float = READ_BUDGET_S,
) -> Draft:
    """The blocks of a draft of ``kind`` (found from ``name`` and the bytes when not
    given); :class:`DraftError` when it cannot be checked."""
    if len(data) > MAX_DRAFT_BYTES:
        raise too_large(len(data))
    kind = kind or kind_of(name, data)
    if kind not in KINDS:
        raise DraftError(f"不支持的格式“{kind}”：只能检查网页、纯文本、.docx、.xlsx 和 .pdf")
    draft = Draft(kind, name, url=url)
    if kind == "html":
        _html(draft, decode(data), title)
    elif kind == "text":
        _text(draft, decode(data), title)
    elif kind == "pdf":
        _pdf(draft, data, title, budget_s)
    else:
        problem = archive_problem(data, kind)
        if problem:
            raise DraftError(problem)
        deadline = time.monotonic() + budget_s
        try:
            (_docx if kind == "docx" else _xlsx)(draft, data, title, deadline)
        except DraftError:
            raise
        except _OutOfTime:
            draft.note = f"读取超过 {budget_s:g} 秒，只检查了前 {len(draft.blocks)} 处文字"
        except Exception as error:  # malformed files take every shape
            raise DraftError(f"{KIND_NAMES[kind]}无法解析（{type(error).__name__}）") from None
    return draft


class _OutOfTime(Exception):
    pass


def _clean(text: str) -> list[str]:
    """A piece of text as the reading keeps it: one line per line, spaces collapsed."""
    lines = (" ".join(line.translate(_SCRUB).split()) for line in text.splitlines())
    return [line for line in lines if line]


def _add(draft: Draft, location: str, text: str) -> bool:
    """Keep ``text`` at ``location``; ``False`` once the draft holds ``MAX_CHARS``."""
    for line in _clean(text):
        draft.blocks.append(Block(location, line))
        draft.chars += len(line) + 1
    if draft.chars > MAX_CHARS:
        draft.note = f"文字超过 {MAX_CHARS // 10_000} 万字，只检查了前 {MAX_CHARS // 10_000} 万字"
        return False
    return True


def _title(draft: Draft, title: str) -> None:
    if title.strip():
        _add(draft, TITLE, title)


def _html(draft: Draft, source: str, title: str) -> None:
    if title.strip() and not re.search(r"<title\b", source, re.IGNORECASE):
        if re.search(r"<(?:html|head|body)\b", source, re.IGNORECASE):
            source = re.sub(
                r"(<head\b[^>]*>)", rf"\1<title>{html.escape(title)}</title>", source, count=1
            )
        else:  # an editor's fragment: the title leads it, as the published page's does
            source = f"<title>{html.escape(title)}</title>{source}"
    root = parse_html(source.encode("utf-8", "surrogatepass"))
    if root is None:
        return
    root = _without_chrome(root)
    draft.root = root
    draft.page_text = text = visible_text(root)
    paragraph = 0
    pos = 0
    for line in text.text.split("\n"):
        source_name = text.source_at(pos)
        if source_name == "body":
            paragraph += 1
            location = f"正文第 {paragraph} 段"
        else:
            location = SOURCE_LABELS[source_name]
        draft.blocks.append(Block(location, line))
        pos += len(line) + 1


def _without_chrome(root: Any) -> Any:
    """The page without its chrome: the body's outermost chrome elements removed (the
    text after each kept). The tree is the draft's own, read by no one else."""
    body = next(root.iter("body"), None)
    if body is None:
        return root
    chrome = []
    stack = list(body)
    while stack:
        el = stack.pop()
        if is_chrome(el):
            chrome.append(el)
        else:
            stack.extend(el)
    for el in chrome:
        parent = el.getparent()
        if parent is not None:
            _drop_keeping_tail(parent, el)
    return root


def _drop_keeping_tail(parent: Any, el: Any) -> None:
    tail = el.tail
    previous = el.getprevious()
    parent.remove(el)
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


def _text(draft: Draft, source: str, title: str) -> None:
    _title(draft, title)
    for number, line in enumerate(source.splitlines(), 1):
        if line.strip() and not _add(draft, f"第 {number} 行", line):
            return


def _pdf(draft: Draft, data: bytes, title: str, budget_s: float) -> None:
    read = read_pdf_apart(data, budget_s)
    if not read.text:
        error = read.error or "PDF 中没有文字"
        raise DraftError(error if error.startswith("PDF") else f"PDF {error}")
    _title(draft, title)
    lines = read.text.split("\n")
    places = read.places or ("PDF",) * len(lines)
    for place, line in zip(places, lines, strict=False):
        draft.blocks.extend(Block(place, clean) for clean in _clean(line))
    draft.note = read.error


PDF_GRACE_S = 5.0  # beyond the reading budget, the child's alarm cuts one long step short
PDF_MEMORY = 2 * 1024**3  # address space of the child reading a PDF


def read_pdf_apart(data: bytes, budget_s: float, grace_s: float = PDF_GRACE_S) -> AttachmentText:
    """A PDF's text read in a child process: a page can take longer than the whole
    budget inside pypdf, where the reader's own checks cannot see (the scan's worker cuts
    it with an alarm; a web request's thread cannot take signals). The child cuts it
    with its alarm and keeps what it read; one that still does not answer is killed."""
    context = multiprocessing.get_context("forkserver")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(
        target=_read_pdf_child, args=(data, budget_s, grace_s, send), daemon=True
    )
    child.start()
    send.close()
    try:
        if receive.poll(budget_s + 2 * grace_s):
            return receive.recv()
        raise DraftError(f"PDF 读取超过 {budget_s:g} 秒，未能完成")
    except EOFError:
        raise DraftError("PDF 文件无法解析（读取时内存或时间超限）") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join(5)
        receive.close()


def _read_pdf_child(data: bytes, budget_s: float, grace_s: float, send: Any) -> None:
    import resource
    import signal

    from detectors.attachment_text import ReadBudgetExceeded

    def alarm(_signum: int, _frame: Any) -> None:
        raise ReadBudgetExceeded

    resource.setrlimit(resource.RLIMIT_AS, (PDF_MEMORY, PDF_MEMORY))
    signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, budget_s + grace_s)
    try:
        read = extract_text(data, "pdf", budget_s)
    except ReadBudgetExceeded:  # the alarm rang just as the reader was stopping
        read = AttachmentText("pdf", error=f"读取超过 {budget_s:g} 秒，未能完成")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    send.send(read)


def _docx(draft: Draft, data: bytes, title: str, deadline: float) -> None:
    import docx
    from docx.table import Table

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        main = next((m for m in archive.infolist() if m.filename == "word/document.xml"), None)
        if main is not None and main.file_size > MAX_WHOLE_PART:
            size = main.file_size // (1024 * 1024)
            raise DraftError(f"Word 文档正文解压后过大（{size} MB），未读取")
    document = docx.Document(io.BytesIO(data))
    _title(draft, title)
    paragraphs = tables = 0
    for item in document.iter_inner_content():
        if time.monotonic() > deadline:
            raise _OutOfTime
        if isinstance(item, Table):
            tables += 1
            if not _table(draft, item, f"表格 {tables} ", deadline):
                return
            continue
        if item.text.strip():
            paragraphs += 1
            if not _add(draft, f"第 {paragraphs} 段", item.text):
                return


def _table(draft: Draft, table: Any, prefix: str, deadline: float) -> bool:
    """Each cell once (a merged cell is named by its first row and column)."""
    seen: set[Any] = set()  # the cells' elements (held, so that each keeps its identity)
    for r, row in enumerate(table.rows, 1):
        if time.monotonic() > deadline:
            raise _OutOfTime
        for c, cell in enumerate(row.cells, 1):
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            if cell.text.strip() and not _add(draft, f"{prefix}第 {r} 行第 {c} 列", cell.text):
                return False
    return True


def _xlsx(draft: Draft, data: bytes, title: str, deadline: float) -> None:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    _title(draft, title)
    try:
        for sheet in book.worksheets:
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # "A1:XFD1048576" declared is no reason to pad
            for row in sheet.iter_rows():
                if time.monotonic() > deadline:
                    raise _OutOfTime
                for cell in row:
                    value = getattr(cell, "value", None)
                    if value is None:
                        continue
                    if not _add(draft, f"{sheet.title}!{cell.coordinate}", cell_text(value)):
                        return
    finally:
        book.close()


def fetch_draft(url: str, timeout_s: float = 15.0, client: Any = None) -> Draft:
    """A CMS preview page (or a file) read from ``url``, at most ``MAX_DRAFT_BYTES``."""
    import httpx

    from crawler.settings import USER_AGENT

    own = client is None
    client = client or httpx.Client(
        headers={"User-Agent": USER_AGENT},
        timeout=timeout_s,
        follow_redirects=True,
        verify=False,
        trust_env=False,
    )
    try:
        with client.stream("GET", url) as response:
            if response.status_code >= 400:
                raise DraftError(f"无法读取 {url}：HTTP {response.status_code}")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > MAX_DRAFT_BYTES:
                raise too_large(int(declared))
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > MAX_DRAFT_BYTES:
                    raise too_large(len(body))
            final = str(response.url)
            content_type = response.headers.get("content-type", "")
    except httpx.HTTPError as error:
        raise DraftError(f"无法读取 {url}：{type(error).__name__}") from None
    finally:
        if own:
            client.close()
    data = bytes(body)
    return read_draft(data, final, kind_of(final, data, content_type), url=final)
