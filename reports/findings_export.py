"""Findings as users and scripts read them (contract §4): records, JSON, CSV, tables, summary.

Every value may come from a page: each format passes it through :mod:`common.inert_text`
(CSV fields never start a formula, nothing printed carries a control sequence).
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from common.inert_text import csv_field, json_text, terminal_text
from common.vocabulary import SEVERITY_NAMES, STATUS_NAMES
from detectors.registry import title_of
from storage.models import Finding

SHANGHAI = ZoneInfo("Asia/Shanghai")
BASE_FIELDS = [
    "id",
    "fingerprint",
    "site",
    "scan_id",
    "detector",
    "severity",
    "unit",
    "page_url",
    "status",
    "first_seen",
    "last_seen",
    "message",
]


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        from datetime import UTC

        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(SHANGHAI).isoformat(timespec="seconds")


def finding_record(finding: Finding) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": finding.id,
        "fingerprint": finding.fingerprint,
        "site": finding.site_id,
        "scan_id": finding.scan_id,
        "detector": finding.detector,
        "severity": finding.severity,
        "unit": finding.effective_unit,  # a reassignment (review app) names the unit
        "page_url": finding.page_url,
        "status": finding.status,
        "first_seen": _iso(finding.first_seen),
        "last_seen": _iso(finding.last_seen),
        "message": finding.message,
    }
    for key, value in (finding.details or {}).items():
        record.setdefault(key, value)
    return record


def to_json(records: list[dict[str, Any]]) -> str:
    return json_text(json.dumps(records, ensure_ascii=False, indent=2))


def to_csv(records: list[dict[str, Any]]) -> str:
    extra: list[str] = []
    for record in records:
        for key in record:
            if key not in BASE_FIELDS and key not in extra:
                extra.append(key)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=BASE_FIELDS + extra, extrasaction="ignore")
    writer.writeheader()
    for record in records:
        writer.writerow({k: ("" if v is None else csv_field(v)) for k, v in record.items()})
    return out.getvalue()


def render_table(records: list[dict[str, Any]], console: Any) -> None:
    from rich.table import Table

    if not records:
        console.print("没有符合条件的问题。")
        return
    table = Table(show_lines=False, header_style="bold")
    for title in ("编号", "级别", "类型", "责任单位", "状态", "页面", "问题说明"):
        table.add_column(title, overflow="fold")
    for r in records:
        table.add_row(
            *map(
                terminal_text,
                (
                    r["id"],
                    SEVERITY_NAMES.get(r["severity"], r["severity"]),
                    title_of(r["detector"]),
                    r["unit"],
                    STATUS_NAMES.get(r["status"], r["status"]),
                    r["page_url"],
                    r["message"],
                ),
            )
        )
    console.print(table)
    console.print(f"共 {len(records)} 条")


def summary_text(records: list[dict[str, Any]]) -> str:
    lines = [f"示例门户扫描结果：共 {len(records)} 个问题", ""]
    by_detector = Counter(r["detector"] for r in records)
    for detector, n in sorted(by_detector.items()):
        lines.append(f"{title_of(detector)}：{n} 个")
    lines.append("")
    by_unit = Counter(r["unit"] for r in records)
    lines.append("按责任单位：")
    for unit, n in sorted(by_unit.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {unit}：{n} 个")
    lines.append("")
    for r in records:
        lines.append(f"- [{r['unit']}] {r['message']}")
        lines.append(f"  所在页面：{r['page_url']}")
    return "\n".join(lines) + "\n"
