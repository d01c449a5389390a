"""Publication dates as portals write them.

``PubDate`` meta tags (``2024-07-19 10:30``, ``2020年08月02日``), gov.cn's
``firstpublishedtime`` (``2007-08-20-23:59:59``), and the visible
``发布时间：2024-07-19`` / ``发布日期：2024年7月19日`` line of an article.

List pages write an entry's date beside its link: ``2024-07-19`` (padded with
whitespace), ``[2024-07-19]``, ``2024/7/19``, ``2024.07.19``, ``2024年7月19日``, or
without the year, ``07-19`` / ``[07-19]`` (:func:`list_date`); TRS and Hanweb put
it in the article's URL (:func:`url_date`).
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


# A month-day with no year: not part of a longer number or a full date.
_MONTH_DAY_RE = re.compile(r"(?<![\d/.\-年])(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?![\d/.\-:])\s*日?")
# TRS ``/202407/t20240719_123.html``; Hanweb ``/art/2024/7/19/art_12_345.html``;
# ``/2024-07/19/content_1.htm`` (gov.cn).
_URL_DATE_RES = (
    re.compile(r"/t(\d{4})(\d{2})(\d{2})_\w+\.\w+"),
    re.compile(r"/art/(\d{4})/(\d{1,2})/(\d{1,2})/"),
    re.compile(r"/(\d{4})-(\d{2})/(\d{2})/content_"),
)


def has_visible_date_line(text: str) -> bool:
    """Whether the page shows an article's 发布时间/发布日期 line near its top."""
    return _VISIBLE_RE.search(text[:3000]) is not None


def list_date(text: str | None, today: date) -> date | None:
    """The date written beside a list entry; a year-less ``MM-DD`` is the latest such
    day not after ``today`` (``12-30`` read on 2024-01-05 is 2023-12-30)."""
    if not text:
        return None
    full = parse_date(text)
    if full is not None:
        return full
    for match in _MONTH_DAY_RE.finditer(text):
        month, day = int(match.group(1)), int(match.group(2))
        for year in (today.year, today.year - 1):
            try:
                candidate = date(year, month, day)
            except ValueError:
                continue
            if candidate <= today:
                return candidate
    return None


def url_date(url: str) -> date | None:
    """The publication date a CMS writes into an article URL, if any."""
    for pattern in _URL_DATE_RES:
        match = pattern.search(url)
        if match:
            try:
                found = date(*(int(g) for g in match.groups()))
            except ValueError:
                continue
            if 1990 <= found.year <= 2100:
                return found
    return None
