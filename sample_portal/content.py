"""The stories of the sample portal, read from ``content.yaml`` (data, not code)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

CONTENT_FILE = Path(__file__).with_name("content.yaml")


@dataclass(frozen=True)
class Story:
    id: int
    published: str  # YYYY-MM-DD HH:MM, Asia/Shanghai
    title: str
    source: str
    paragraphs: tuple[str, ...]
    doc_number: str = ""  # 文号, for policy documents

    @property
    def day(self) -> str:
        return self.published[:10]

    def url_path(self, column_path: str) -> str:
        """TRS WCM style: ``<column>/YYYYMM/tYYYYMMDD_<id>.html``."""
        compact = self.day.replace("-", "")
        return f"{column_path}{compact[:6]}/t{compact}_{self.id}.html"


@cache
def stories() -> dict[str, tuple[Story, ...]]:
    """Stories by column key (``ywdt``, ``bmdt``, ``tzgg``, ``zcwj``, ``sfj``), newest first."""
    data = yaml.safe_load(CONTENT_FILE.read_text(encoding="utf-8"))
    return {
        column: tuple(
            Story(
                id=item["id"],
                published=item["published"],
                title=item["title"],
                source=item["source"],
                paragraphs=tuple(item["paragraphs"]),
                doc_number=item.get("doc_number", ""),
            )
            for item in items
        )
        for column, items in data.items()
    }
