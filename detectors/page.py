"""What a page-level detector reads: one parsed page of the site."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from detectors.dates import publication_date
from detectors.page_text import PageText, visible_text


@dataclass
class PageContext:
    url: str
    title: str
    meta: dict[str, str]
    root: Any = field(repr=False)  # the lxml tree the crawler parsed

    @cached_property
    def text(self) -> PageText:
        """What a visitor reads, extracted once and shared by the detectors."""
        return visible_text(self.root)

    @cached_property
    def published(self) -> date | None:
        return publication_date(self.meta, self.text.text)
