"""Which pages of a scan are columns (栏目), what they are called and how old they are.

A column is a list page of dated entries, found without configuration: pages the
worker read as lists (``ColumnName``/``ColumnType`` tags, a breadcrumb over an empty
or 暂无信息 page, or the shape of a dated list) or as a sub-site's home, minus the
site's home page; never an article, a site-search results page or a hub of sections.
Its name is its ``ColumnName`` unless that is site-wide or its breadcrumb says
otherwise (:func:`column_name`). A paginated
column (TRS ``index_1.html``, ``list_2.html``, ``?page=2``, Hanweb ``?uid=4018&pageNum=2``
…) is one column, judged by
its first page, where the newest entries are. ``columns:`` in the site config adds
pages or overrides a column's name, category and unit.

An entry's date is the one beside its link, else the one in its URL (TRS, Hanweb),
else the article's own ``PubDate`` when this scan read the article. Pinned entries
(置顶) do not count while the column has others: the newest date counts, not the first.

The site's template is learnt from the scan: a link listed on at least half of the
site's columns (and on ``TEMPLATE_MIN_COLUMNS`` or more) belongs to a sidebar or a
navigation block, not to a column (:func:`template_entry_keys`). A page that says 暂无信息
with only such links around it has no entries of its own: it is a blank column, never a
stale one. A column with entries of its own is judged by them, not by the template's
links beside them, so a fresh sidebar cannot hide a stale column (:func:`_own_entries`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from common.urls import url_key
from detectors.column_categories import CategoryTable, ColumnCategory
from detectors.page_facts import ListEntry, PageFacts

_PAGED_FILE_RE = re.compile(r"/(index|list|default|more|lists?)_(\d+)(\.\w+)$", re.IGNORECASE)
_PAGE_PARAMS = frozenset(
    {"page", "pageno", "pagenum", "pageindex", "pn", "curpage", "cur_page", "currpage"}
)
_TITLE_SPLIT_RE = re.compile(r"\s*[_|｜]\s*|\s+-\s+")
SITE_WIDE_COLUMNS = 3
TEMPLATE_MIN_COLUMNS = 3  # a site needs this many columns before its template is learnt
TEMPLATE_SHARE = 0.5  # …and a template link is listed on at least this share of them
COLUMN_KINDS = ("list", "home")  # a sub-site's home that dates its items is a column too


@dataclass
class Column:
    url: str
    key: str
    name: str
    column_type: str
    category: ColumnCategory | None
    unit: str | None
    page: PageFacts
    entries: list[ListEntry]
    last_published: date | None  # newest entry that counts (pinned ones only if alone)
    template_chars: int = 0  # text of the template's links on the page (not its content)


def first_page_key(url: str) -> str:
    """The key of the first page of the paginated list ``url`` belongs to (itself if none)."""
    parts = urlsplit(url)
    path = _PAGED_FILE_RE.sub(lambda m: f"/{m.group(1)}{m.group(3)}", parts.path)
    params = parse_qsl(parts.query)
    drop = _PAGE_PARAMS
    if any(k.lower() in _PAGE_PARAMS for k, _v in params):
        drop = _PAGE_PARAMS | {"uid"}  # Hanweb jpage: index.html?uid=4018&pageNum=2
    query = [(k, v) for k, v in params if k.lower() not in drop]
    return url_key(urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), "")))


def entry_date(entry: ListEntry, pages: dict[str, PageFacts]) -> date | None:
    if entry.listed is not None:
        return entry.listed
    target = pages.get(entry.url_key)
    return target.published if target is not None and target.kind == "article" else None


def last_published(entries: list[ListEntry], pages: dict[str, PageFacts]) -> date | None:
    dated = [(entry_date(e, pages), e.pinned) for e in entries]
    ordinary = [d for d, pinned in dated if d is not None and not pinned]
    if ordinary:
        return max(ordinary)
    pinned = [d for d, _ in dated if d is not None]
    return max(pinned) if pinned else None


def column_name(page: PageFacts, site_wide: frozenset[str] = frozenset()) -> str:
    """The column's name: its ``ColumnName`` meta, unless that is site-wide (the same on
    many columns, such as 邯郸市政府信息公开) or the page's own breadcrumb ends with
    another name; then the breadcrumb's last name, else the page's headline."""
    meta = page.column_name
    crumb = page.crumbs[-1] if page.crumbs else ""
    if meta and meta not in site_wide and (not crumb or _plain(meta) in _crumb_names(page)):
        return meta
    if crumb:
        return crumb
    headline = _TITLE_SPLIT_RE.split(page.headline, maxsplit=1)[0]
    return headline or meta or page.url


def _plain(name: str) -> str:
    return "".join(name.split())


def _crumb_names(page: PageFacts) -> set[str]:
    return {_plain(c) for c in page.crumbs}


def site_wide_names(pages: dict[str, PageFacts]) -> frozenset[str]:
    """``ColumnName`` values that ``SITE_WIDE_COLUMNS`` or more distinct columns carry: the
    site's or platform's name, not a column's."""
    seen: dict[str, set[str]] = {}
    for page in pages.values():
        if page.column_name and page.kind == "list":
            seen.setdefault(page.column_name, set()).add(first_page_key(page.url))
    return frozenset(name for name, keys in seen.items() if len(keys) >= SITE_WIDE_COLUMNS)


def template_entry_keys(pages: dict[str, PageFacts]) -> frozenset[str]:
    """URL keys of the links the site's template lists on its column pages: on at least
    ``TEMPLATE_SHARE`` of the columns, and on ``TEMPLATE_MIN_COLUMNS`` or more."""
    listed: dict[str, set[str]] = {}
    columns: set[str] = set()
    for page in pages.values():
        if page.kind != "list":
            continue
        column = first_page_key(page.url)
        columns.add(column)
        for entry in page.entries:
            listed.setdefault(entry.url_key, set()).add(column)
    if len(columns) < TEMPLATE_MIN_COLUMNS:
        return frozenset()
    need = max(TEMPLATE_MIN_COLUMNS, math.ceil(TEMPLATE_SHARE * len(columns)))
    return frozenset(key for key, seen in listed.items() if len(seen) >= need)


def _column_dir(url: str) -> str:
    """The directory a column's own items sit under (``/xwzx/xczx/``), or "" at the root."""
    parts = urlsplit(url)
    path = parts.path.rsplit("/", 1)[0] + "/"
    return f"{parts.netloc.lower()}{path}" if path != "/" else ""


def _own_entries(page: PageFacts, template: frozenset[str]) -> tuple[list[ListEntry], int]:
    """The page's own entries, and the characters of the template's links it shows.

    A column that lists items of its own is judged by them alone: a fresh link in the
    template's sidebar must not hide a stale column. A template link under the column's
    own directory is its own (a sidebar may show the column's newest items). A page that
    lists only template links keeps them, unless it says 暂无信息: then it is blank.
    A template link the page lists twice is its own too: a 最新发布 box on every page
    shows each column's newest item, which the column's own list shows as well (a
    Hanweb ``/art/…`` URL is under no column's path)."""
    if not page.entries or not template:
        return page.entries, 0
    directory = _column_dir(page.url)
    listed = Counter(e.url_key for e in page.entries)

    def own(entry: ListEntry) -> bool:
        if entry.url_key not in template or listed[entry.url_key] > 1:
            return True
        parts = urlsplit(entry.url)
        return bool(directory) and f"{parts.netloc.lower()}{parts.path}".startswith(directory)

    kept = [e for e in page.entries if own(e)]
    if len(kept) == len(page.entries) or (not kept and not page.placeholder):
        return page.entries, 0
    chars = sum(len("".join(f"{e.title}{e.date_text}".split())) for e in page.entries if not own(e))
    return kept, chars


def discover_columns(
    pages: dict[str, PageFacts],
    categories: CategoryTable,
    overrides: dict[str, Any],
    home_key: str,
) -> list[Column]:
    """The scan's columns, in URL order; ``overrides`` maps a URL key to a
    ``config.ColumnOverride``."""
    columns: list[Column] = []
    site_wide = site_wide_names(pages)
    template = template_entry_keys(pages)
    for key, page in sorted(pages.items()):
        override = overrides.get(key)
        if key == home_key and override is None:
            continue
        if override is None and (
            page.kind not in COLUMN_KINDS
            or (page.kind == "home" and not any(e.listed for e in page.entries))
        ):
            continue  # an article, a search page, a hub of sections, an undated home …
        first = first_page_key(page.url)
        if first != key and override is None:
            continue  # a later page of a paginated column (judged by its first page)
        name = (override.name if override is not None else None) or column_name(page, site_wide)
        category = None
        if override is not None and override.category:
            category = categories.get(override.category)
        if category is None:
            category = categories.classify(name, page.column_type)
        entries, template_chars = _own_entries(page, template)
        columns.append(
            Column(
                url=page.url,
                key=key,
                name=name,
                column_type=page.column_type,
                category=category,
                unit=override.unit if override is not None else None,
                page=page,
                entries=entries,
                last_published=last_published(entries, pages),
                template_chars=template_chars,
            )
        )
    return columns


def column_overrides(config: Any) -> dict[str, Any]:
    return {url_key(c.url): c for c in getattr(config, "columns", [])}


def columns_of(subject: Any, config_overrides: dict[str, Any], categories: CategoryTable):
    """The columns of a scan snapshot, discovered once and shared by the column detectors."""
    cached = subject.__dict__.get("_columns") if hasattr(subject, "__dict__") else None
    if cached is None:
        cached = discover_columns(subject.pages(), categories, config_overrides, subject.home_key)
        if hasattr(subject, "__dict__"):
            subject.__dict__["_columns"] = cached
    return cached
