"""Which unit answers for a page: the longest matching path prefix, else the default.

Prefixes are URL paths (``/xxgk/sfj/``) or, for sites spread over several hosts,
full URLs (``http://sfj.example.gov.cn/``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit


class UnitResolver:
    def __init__(self, config: Any):
        """``config``: a site config (``default_unit`` and ``units`` with ``paths``)."""
        self.default = config.default_unit
        rules: list[tuple[str, bool, str]] = []
        for unit in config.units:
            for prefix in unit.paths:
                is_url = prefix.startswith(("http://", "https://"))
                rules.append((unquote(prefix.lower() if is_url else prefix), is_url, unit.name))
        # Longest prefix first; a full-URL rule beats a path rule of the same length.
        self.rules = sorted(rules, key=lambda r: (len(r[0]), r[1]), reverse=True)

    def unit_for(self, url: str) -> str:
        parts = urlsplit(url)
        path = unquote(parts.path or "/")
        full = f"{parts.scheme}://{parts.netloc.lower()}{path}"
        for prefix, is_url, name in self.rules:
            if (full if is_url else path).startswith(prefix):
                return name
        return self.default
