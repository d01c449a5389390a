"""What the crawler emits besides :class:`crawler.fetch_policy.UrlResult`."""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler.page_links import PageLink


@dataclass
class PageItem:
    """An HTML page of the site, parsed. ``html`` is for page-level detectors and is
    not stored."""

    key: str
    url: str
    final_url: str
    status: int
    title: str
    encoding: str
    depth: int
    meta: dict[str, str] = field(default_factory=dict)
    links: list[PageLink] = field(default_factory=list)
    html: str = field(default="", repr=False)

    def meta_value(self, name: str) -> str | None:
        """A meta tag by name, case-insensitively (portals write ``PubDate``/``pubdate``)."""
        if name in self.meta:
            return self.meta[name]
        low = name.lower()
        for key, value in self.meta.items():
            if key.lower() == low:
                return value
        return None


__all__ = ["PageItem"]
