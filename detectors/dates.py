"""Publication dates as portals write them.

``PubDate`` meta tags (``2024-07-19 10:30``, ``2020年08月02日``), gov.cn's
``firstpublishedtime`` (``2007-08-20-23:59:59``), and the visible
``发布时间：2024-07-19`` / ``发布日期：2024年7月19日`` line of an article.
"""

from __future__ import annotations

import re
from datetime import date

_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_PUB_META = ("PubDate", "pubdate", "firstpublishedtime", "publishdate", "PublishDate")
_VISIBLE_RE = re.compile(
    r"(?:发布(?:时间|日期)|发文日期|成文日期|日期|时间)\s*[:：]?\s*"
    r"(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})"
)


def parse_date(text: str | None) -> date | None:
    """The first plausible full date (year, month, day) in ``text``."""
    if not text:
        return None
    for match in _DATE_RE.finditer(text):
        year, month, day = (int(g) for g in match.groups())
        try:
            parsed = date(year, month, day)
        except ValueError:
            continue
        if 1990 <= parsed.year <= 2100:
            return parsed
    return None


def publication_date(meta: dict[str, str], text: str = "") -> date | None:
    """From the page's date meta tags, else the visible 发布时间 line (first 3,000 chars)."""
    lowered = {k.lower(): v for k, v in meta.items()}
    for name in _PUB_META:
        found = parse_date(lowered.get(name.lower()))
        if found:
            return found
    match = _VISIBLE_RE.search(text[:3000])
    return parse_date(match.group(1)) if match else None
