"""``expired_document``: a normative document shown as in force after it lapsed, or the reverse.

The city's plan (《龙南市2024年政务公开工作实施方案》, 龙府办字〔2024〕36号) asks for a
现行有效行政规范性文件库 “动态更新” (task 1) and for outdated and lapsed content to be
cleared regularly, “定期清理过时、失效内容” (task 3); 《政府网站发展指引》(国办发〔2017〕47号)
asks that a document's 修改、废止、失效 be marked on the published original. Reported:

- a document page whose metadata shows it in force (有效性/时效性/效力状态：有效, 现行有效)
  — or that sits in a 现行有效 library column and shows no status — while its stated
  有效期至 (失效日期, or the end of an 有效期 range) has passed;
- a document shown 失效/废止/无效 that sits in a 现行有效 library column (its breadcrumb
  or ``ColumnName`` says 现行有效): the library still lists it as current.

A library's list is read too (a table headed 文件名称/有效性/有效期至), for the rows that
have no page of their own; a row that links its document is judged on that page (once).

A document correctly shown 失效 outside such a library is what the rule asks for, and is
not reported; nor is a document whose 有效期 says 长期 or gives no date.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any, ClassVar

from detectors.base import Detector, Finding
from detectors.labelled_fields import headed_rows, labelled_values
from detectors.late_publication import document_number
from detectors.page import PageContext
from detectors.presentation import PAGE, Column, Evidence, document_cell, field, raw

FIELD_LABELS = {
    "有效性": "status",
    "时效性": "status",
    "时效": "status",
    "效力状态": "status",
    "有效状态": "status",
    "文件状态": "status",
    "是否有效": "status",
    "有效期至": "valid_until",
    "有效期": "valid_until",
    "有效期限": "valid_until",
    "失效日期": "valid_until",
    "失效时间": "valid_until",
    "有效截止日期": "valid_until",
    "文号": "number",
    "发文字号": "number",
    "发文文号": "number",
    "名称": "title",
    "标题": "title",
    "文件名称": "title",
}
ROW_LABELS = {**FIELD_LABELS, "文件名称": "title", "标题": "title", "名称": "title"}
# 部分失效 keeps a document in the library (its other provisions are in force).
VOID_RE = re.compile(r"(?<!部分)(?:失效|废止|废除|无效|停止执行|撤销)")
VALID_RE = re.compile(r"有效")
CURRENT_RE = re.compile(r"现行有效")
_CRUMB_RE = re.compile(r"crumb|position|location|dqwz|weizhi|mianbao", re.IGNORECASE)
_PLACE_RE = re.compile(r"^\s*(?:当前位置|您的位置|您现在的位置|您当前的位置|所在位置)")
MAX_CRUMB = 120
_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def shown_status(value: str | None) -> str | None:
    """``void`` (失效, 废止 …), ``valid`` (有效, 现行有效) or None (not said, or 部分失效)."""
    if not value or "部分" in value:
        return None
    if VOID_RE.search(value):
        return "void"
    if VALID_RE.search(value):
        return "valid"
    return None


def valid_until(value: str | None) -> date | None:
    """The last day of an 有效期 as written: the date itself, or the end of a range
    (``2020年1月1日至2024年12月31日``); none for 长期 or a period without dates."""
    last = None
    for match in _DATE_RE.finditer(value or ""):
        try:
            last = date(*(int(g) for g in match.groups()))
        except ValueError:
            continue
    return last


def in_current_library(page: PageContext) -> bool:
    """Whether the page says it belongs to a 现行有效 library: its ``ColumnName`` meta or
    its breadcrumb."""
    lowered = {k.lower(): v for k, v in page.meta.items()}
    if CURRENT_RE.search(lowered.get("columnname", "")):
        return True
    if page.root is None:
        return False
    for el in page.root.iter("div", "p", "span", "td", "li", "nav", "ol", "ul"):
        classes, ident, text = el.get("class"), el.get("id"), el.text
        named = (classes or ident) and _CRUMB_RE.search(f"{classes or ''} {ident or ''}")
        if not (named or (text and _PLACE_RE.match(text))):
            continue
        crumb = "".join(el.itertext())
        if len(crumb) <= MAX_CRUMB and CURRENT_RE.search(crumb):
            return True
    return False


class ExpiredDocumentDetector(Detector):
    id: ClassVar[str] = "expired_document"
    title: ClassVar[str] = "文件有效性标注错误"
    scope: ClassVar[str] = "markup"
    severity_rule: ClassVar[str] = "已过有效期仍标注有效、已失效仍列为现行有效均为中"
    fields: ClassVar[tuple[str, ...]] = (
        "document_title",
        "document_number",
        "valid_until",
        "shown_status",
    )
    columns: ClassVar[tuple[Column, ...]] = (
        Column("文件", document_cell, 2.4),
        Column("标注状态", field("shown_status"), 1.0),
        Column("有效期至", field("valid_until"), 1.0),
        PAGE,
    )
    sheet: ClassVar[dict] = {"问题对象": raw("document_title")}
    evidence: ClassVar[tuple[Evidence, ...]] = (
        Evidence("文件", "document_title"),
        Evidence("文号", "document_number"),
        Evidence("标注状态", "shown_status"),
        Evidence("有效期至", "valid_until", "date"),
        Evidence("文件地址", "document_url", "url"),
    )
    rank: ClassVar[int] = 77
    criterion: ClassVar[str] = (
        "《龙南市2024年政务公开工作实施方案》（龙府办字〔2024〕36号）第1项：现行有效行政规范性"
        "文件库动态更新；第3项：定期清理过时、失效内容；《政府网站发展指引》（国办发〔2017〕47号）："
        "文件资料修改、废止、失效的，应在已发布的原文件上作出明确标注"
    )

    def __init__(self, today: date):
        self.today = today

    @classmethod
    def from_config(cls, config: Any, settings: Any) -> ExpiredDocumentDetector:
        from common.clock import today

        return cls(today())

    def check(self, page: PageContext) -> Iterator[Finding]:
        library = in_current_library(page)
        values = labelled_values(page.root, FIELD_LABELS, page.label_text)
        status_text = values.get("status")
        status = shown_status(status_text)
        until = valid_until(values.get("valid_until"))
        title = values.get("title") or page.headline
        number = document_number(values.get("number"))
        problem = self._problem(status, until, library)
        if problem is not None:
            shown = status_text if status else "现行有效（所在栏目）"
            yield self._finding(page.url, page.url, title, number, until, shown, problem)
        if not library:
            return
        for row in headed_rows(
            page.root, ROW_LABELS, {"title", "status"}, page.url, page.label_text
        ):
            if row.url:
                continue  # a document with its own page is judged there
            row_status = shown_status(row.cells.get("status"))
            row_until = valid_until(row.cells.get("valid_until"))
            problem = self._problem(row_status, row_until, True)
            if problem is None:
                continue
            yield self._finding(
                page.url,
                row.url or "",
                row.cells.get("title") or "",
                document_number(row.cells.get("number")),
                row_until,
                row.cells.get("status") or "",
                problem,
            )

    def _problem(self, status: str | None, until: date | None, library: bool) -> str | None:
        if status == "void":
            return "listed_current" if library else None
        if (status == "valid" or library) and until is not None and until < self.today:
            return "expired"
        return None

    def _finding(
        self,
        page_url: str,
        document_url: str,
        title: str,
        number: str | None,
        until: date | None,
        shown: str,
        problem: str,
    ) -> Finding:
        numbered = f"（{number}）" if number else ""
        if problem == "expired":
            what = f"标注为“{shown}”，但有效期至 {until} 已过"
            fix = "请核实文件效力，标注失效或废止并移出现行有效文件库，或注明延续有效"
        else:
            what = f"已标注为“{shown}”，却仍列在现行有效文件库中"
            fix = "请将其移出现行有效文件库"
        return Finding(
            detector=self.id,
            page_url=page_url,
            key=f"expired:{problem}:{document_url or title}",
            severity="medium",
            message=f"文件《{title}》{numbered}{what}；{fix}",
            details={
                "document_title": title,
                "document_number": number,
                "valid_until": until.isoformat() if until else None,
                "shown_status": shown,
                "document_url": document_url or None,
                "criterion": self.criterion,
            },
        )
