"""What every detector shares: the finding it produces and the interface it offers.

A detector is a small class with a ``name``, the ``scope`` it runs at (``page``
while crawling, ``site`` after the crawl on what the scan stored), the
inspection ``criterion`` it implements, ``applies_to(config)`` and
``check(subject)`` → findings. No network and no database inside a detector.
A page detector may also offer ``prepare(pages)``: work done for a whole batch of
pages before ``check`` runs on each (results go to ``page.prepared[name]``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, Protocol

from common.urls import url_key
from common.vocabulary import Severity

Scope = Literal["page", "site"]


@dataclass
class Finding:
    """One problem as a detector sees it (before unit attribution and lifecycle)."""

    detector: str
    page_url: str
    key: str  # what distinguishes this problem on its page (target URL, term, column …)
    severity: Severity
    message: str
    details: dict[str, Any] = field(default_factory=dict)
    evidence: dict[str, Any] = field(default_factory=dict)
    unit: str | None = None

    @property
    def page_key(self) -> str:
        return url_key(self.page_url)

    @property
    def fingerprint(self) -> str:
        """Stable across scans for the same detector, page and key."""
        raw = f"{self.detector}\n{self.page_key}\n{self.key}".encode()
        return hashlib.sha256(raw).hexdigest()[:32]


class Detector(Protocol):
    name: ClassVar[str]
    scope: ClassVar[Scope]
    criterion: ClassVar[str]

    def applies_to(self, config: Any) -> bool: ...

    def check(self, subject: Any) -> Iterable[Finding]: ...
