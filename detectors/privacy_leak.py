"""``privacy_leak``: unmasked identity, mobile and bank card numbers in published pages.

Lists of recipients (低保, 救助, 补贴, 公示) must mask personal numbers
(``360727********1234``, ``138****1234``). One finding per page and kind, with
how many values and their masked forms; the full value is never stored or shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from detectors.base import Detector, Finding, occurrence_spans
from detectors.personal_data import find_personal_data
from detectors.presentation import PAGE, Column, Evidence, field, named

KIND_NAMES = {"id_card": "身份证号码", "mobile": "手机号码", "bank_card": "银行卡号"}
MAX_LISTED = 10


def _masked_values(record: dict[str, Any]) -> str:
    values = record.get("masked_values") or [record.get("masked_value")]
    return "、".join(v for v in values if v)


class PrivacyLeakDetector(Detector):
    id: ClassVar[str] = "privacy_leak"
    title: ClassVar[str] = "个人信息泄露"
    scope: ClassVar[str] = "text"
    severity_rule: ClassVar[str] = "未脱敏的个人信息一律为高"
    fields: ClassVar[tuple[str, ...]] = ("kind", "masked_value", "context")
    columns: ClassVar[tuple[Column, ...]] = (
        PAGE,
        Column("信息类型", named("kind", KIND_NAMES), 0.9),
        Column("号码（已脱敏）", _masked_values, 1.4),
        Column("所在上下文", field("context"), 2.4),
    )
    sheet: ClassVar[dict] = {"问题对象": _masked_values}
    evidence: ClassVar[tuple[Evidence, ...]] = (
        Evidence("信息类型", "kind"),
        Evidence("号码（已脱敏）", "masked_values", "list"),
        Evidence("个数", "count"),
        Evidence("所在上下文", "context", "context"),
    )
    rank: ClassVar[int] = 40
    criterion: ClassVar[str] = (
        "《中华人民共和国个人信息保护法》；《政府信息公开条例》第十五条；"
        "国办秘函〔2019〕19号 内容安全"
    )

    def check(self, page: Any) -> Iterator[Finding]:
        by_kind: dict[str, list[Any]] = {}
        for hit in find_personal_data(page.text.text):
            by_kind.setdefault(hit.kind, []).append(hit)
        for kind, hits in by_kind.items():
            name = KIND_NAMES.get(kind, kind)
            values = list(dict.fromkeys(h.masked_value for h in hits))
            yield Finding(
                detector=self.id,
                page_url=page.url,
                key=kind,
                severity="high",
                message=(
                    f"页面公开了 {len(hits)} 个未脱敏的{name}（如 {values[0]}），"
                    f"请按规定隐藏中间位数：{hits[0].context}"
                ),
                details={
                    "kind": kind,
                    "masked_value": values[0],
                    "masked_values": values[:MAX_LISTED],
                    "count": len(hits),
                    "context": hits[0].context,
                    "criterion": self.criterion,
                },
                evidence={"spans": occurrence_spans(hits)},
            )
