"""``privacy_leak``: unmasked identity, mobile and bank card numbers in published pages.

Lists of recipients (低保, 救助, 补贴, 公示) must mask personal numbers
(``360727********1234``, ``138****1234``). One finding per page and kind, with
how many values and their masked forms; the full value is never stored or shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from detectors.base import Finding
from detectors.personal_data import find_personal_data

KIND_NAMES = {"id_card": "身份证号码", "mobile": "手机号码", "bank_card": "银行卡号"}
MAX_LISTED = 10


class PrivacyLeakDetector:
    name: ClassVar[str] = "privacy_leak"
    scope: ClassVar[str] = "page"
    criterion: ClassVar[str] = (
        "《中华人民共和国个人信息保护法》；《政府信息公开条例》第十五条；"
        "国办秘函〔2019〕19号 内容安全"
    )

    def applies_to(self, config: Any) -> bool:
        return True

    def check(self, page: Any) -> Iterator[Finding]:
        by_kind: dict[str, list[Any]] = {}
        for hit in find_personal_data(page.text.text):
            by_kind.setdefault(hit.kind, []).append(hit)
        for kind, hits in by_kind.items():
            name = KIND_NAMES.get(kind, kind)
            values = list(dict.fromkeys(h.masked_value for h in hits))
            yield Finding(
                detector=self.name,
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
            )
