"""A finding's evidence block, from what its detector declares (``Detector.evidence``,
``Detector.sheet``): the app iterates the declarations and names no detector.

Values come from crawled pages: they are returned as plain text (the templates escape
them); only the template decides what becomes a link, and only for http(s) URLs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from detectors.presentation import text
from detectors.registry import detector_class
from reports.notice_xlsx import detector_cells

ATTEMPT_LABELS = {
    "url": "地址",
    "method": "方式",
    "status": "HTTP 状态",
    "error": "错误",
    "elapsed_ms": "耗时（毫秒）",
}


@dataclass
class EvidenceItem:
    label: str
    kind: str
    value: Any
    text: str
    parts: list[tuple[str, str | None]] = field(default_factory=list)  # context: (text, hit)
    columns: list[str] = field(default_factory=list)  # attempts: headings
    rows: list[list[str]] = field(default_factory=list)  # attempts: cells


def highlighted_term(record: dict[str, Any]) -> str | None:
    """The word a finding is about, when its detector declares one for the notices'
    spreadsheet (the 错敏词 cell): highlighted in the context, searched for on the live
    page, offered for the allow list."""
    value = detector_cells(record).get("错敏词", "").strip()
    return value or None


def split_on(context: str, term: str | None) -> list[tuple[str, str | None]]:
    """``context`` cut around each occurrence of ``term``: [(text before, term), …,
    (rest, None)]."""
    if not term or term not in context:
        return [(context, None)]
    parts: list[tuple[str, str | None]] = []
    rest = context
    while term in rest:
        before, _, rest = rest.partition(term)
        parts.append((before, term))
    parts.append((rest, None))
    return parts


def _attempts(value: Any) -> tuple[list[str], list[list[str]]]:
    rows = [a for a in value if isinstance(a, dict)] if isinstance(value, list) else []
    keys: list[str] = []
    for row in rows:
        keys.extend(k for k in row if k not in keys)
    return (
        [ATTEMPT_LABELS.get(k, k) for k in keys],
        [[text(row.get(k)) for k in keys] for row in rows],
    )


def evidence_items(record: dict[str, Any], stored: dict[str, Any] | None) -> list[EvidenceItem]:
    """The declared evidence of a finding: ``record`` (the contract's flat record) first,
    then what the scan kept as evidence (``Finding.evidence``: attempts, final URL)."""
    cls = detector_class(record.get("detector", ""))
    if cls is None:
        return []
    stored = stored or {}
    term = highlighted_term(record)
    # A text field the notices also print (a column of the same title) reads as there:
    # codes by their Chinese names (wrong_expression → 错误表述).
    cells = {column.title: column.cell for column in cls.columns}
    items = []
    for declared in cls.evidence:
        value = record.get(declared.field)
        if value is None:
            value = stored.get(declared.field)
        item = EvidenceItem(declared.label, declared.kind, value, text(value))
        if declared.kind == "text" and declared.label in cells and value is not None:
            item.text = cells[declared.label]({**record, declared.field: value})
        elif declared.kind == "days" and value is not None:
            item.text = f"{value} 天"
        elif declared.kind == "context" and isinstance(value, str):
            item.parts = split_on(value, term)
        elif declared.kind == "list" and value is not None and not isinstance(value, list):
            item.value = [value]
        elif declared.kind == "attempts":
            item.columns, item.rows = _attempts(value)
        items.append(item)
    return items
