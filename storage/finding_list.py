"""The review app's findings list, overview counts and trend, restricted by access.

One query builder (:func:`filtered`) serves the list page, its export and the JSON API;
every statement goes through :func:`storage.access.scoped`. Kept fast at 100,000
findings on SQLite (``bench/findings_list.py``): each filter leads an index of
``findings`` (models), pages are LIMIT/OFFSET with a stable tie-break on ``id``, and
the total is one COUNT over the same filters.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import Select, String, case, cast, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from common.clock import BEIJING
from common.clock import now as clock_now
from common.clock import today as clock_today
from common.vocabulary import SEVERITIES, STATUSES, UNRESOLVED
from storage.access import Access, scoped
from storage.models import Finding, FindingEvent, Scan

SORTS: tuple[str, ...] = ("last_seen", "severity", "unit", "detector", "first_seen")
PER_PAGE_MAX = 200
# A text search that matches at most this many findings is counted and ordered in one pass.
SEARCH_SORT_MAX = 5000
Q_MAX = 200


class QueryError(ValueError):
    """A filter value that cannot be used (the message names it, in Chinese)."""


@dataclass
class FindingQuery:
    """The filters, sort and page of a findings list. ``scan`` is a scan id, ``"latest"``
    (the latest completed scan of each site, or of ``site``) or None (every scan);
    ``status`` one status or several; ``overdue`` keeps unresolved findings past their
    deadline; ``q`` searches the message, page URL and details (case-insensitive for
    Latin letters)."""

    site: str | None = None
    scan: int | Literal["latest"] | None = None
    unit: str | None = None
    detector: str | None = None
    severity: str | None = None
    status: str | tuple[str, ...] | list[str] | None = None
    overdue: bool = False
    q: str | None = None
    sort: str = "last_seen"
    desc: bool = True
    page: int = 1
    per_page: int = 50
    today: date | None = field(default=None, repr=False)  # "overdue" as of (default: today)

    def statuses(self) -> tuple[str, ...]:
        if self.status is None or self.status == "":
            return ()
        values = (self.status,) if isinstance(self.status, str) else tuple(self.status)
        for value in values:
            if value not in STATUSES:
                raise QueryError(f"状态“{value}”无效，可用：{'、'.join(STATUSES)}")
        return values

    def check(self) -> None:
        if self.sort not in SORTS:
            raise QueryError(f"排序“{self.sort}”无效，可用：{'、'.join(SORTS)}")
        if self.severity and self.severity not in SEVERITIES:
            raise QueryError(f"严重程度“{self.severity}”无效，可用：{'、'.join(SEVERITIES)}")
        if self.scan not in (None, "latest") and not isinstance(self.scan, int):
            raise QueryError("扫描编号须为整数或 latest")
        if not 1 <= self.per_page <= PER_PAGE_MAX:
            raise QueryError(f"每页条数须在 1 到 {PER_PAGE_MAX} 之间")
        if self.page < 1:
            raise QueryError("页码须从 1 开始")
        if self.q and len(self.q) > Q_MAX:
            raise QueryError(f"搜索词过长（最多 {Q_MAX} 个字符）")
        self.statuses()


def latest_scans(site: str | None) -> Select[Any]:
    """The latest completed scan of each site (of ``site``), as a subquery of ids."""
    query = select(func.max(Scan.id)).where(Scan.status == "completed").group_by(Scan.site_id)
    if site:
        query = query.where(Scan.site_id == site)
    return query


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def filtered(
    query: FindingQuery,
    access: Access,
    statement: Select[Any] | None = None,
    *,
    dialect: str = "",
):
    """``statement`` (default: ``select(Finding)``) with the query's filters and scope.
    ``dialect``: the database's (``sqlite``: its LIKE already ignores the case of Latin
    letters, so the search need not lower-case three columns of every row)."""
    query.check()
    stmt = select(Finding) if statement is None else statement
    if query.scan == "latest":  # the latest scans of the site: the site filter is implied
        stmt = stmt.where(Finding.scan_id.in_(latest_scans(query.site).scalar_subquery()))
    elif query.site:
        stmt = stmt.where(Finding.site_id == query.site)
    if isinstance(query.scan, int):
        stmt = stmt.where(Finding.scan_id == query.scan)
    if query.unit:
        stmt = stmt.where(Finding.effective_unit == query.unit)
    if query.detector:
        stmt = stmt.where(Finding.detector == query.detector)
    if query.severity:
        stmt = stmt.where(Finding.severity == query.severity)
    statuses = query.statuses()
    if len(statuses) == 1:
        stmt = stmt.where(Finding.status == statuses[0])
    elif statuses:
        stmt = stmt.where(Finding.status.in_(statuses))
    if query.overdue:
        stmt = stmt.where(
            Finding.status.in_(UNRESOLVED), Finding.deadline < (query.today or clock_today())
        )
    q = (query.q or "").strip()
    if q:
        # details are stored as JSON text, where other than ASCII is \\uXXXX-escaped
        searches = (
            (Finding.message, _like(q)),
            (Finding.page_url, _like(q)),
            (cast(Finding.details, String), _like(json.dumps(q)[1:-1])),
        )
        if dialect == "sqlite":
            matches = [c.like(pattern, escape="\\") for c, pattern in searches]
        else:
            matches = [c.ilike(pattern, escape="\\") for c, pattern in searches]
        stmt = stmt.where(or_(*matches))
    return scoped(stmt, access)


def severity_order() -> Any:
    return case({s: i for i, s in enumerate(SEVERITIES)}, value=Finding.severity, else_=9)


def _sort_column(query: FindingQuery) -> Any:
    return {
        "last_seen": Finding.last_seen,
        "first_seen": Finding.first_seen,
        "unit": Finding.effective_unit,
        "detector": Finding.detector,
        "severity": severity_order(),
    }[query.sort]


def _descending(query: FindingQuery) -> bool:
    # "severity, descending" reads as "most severe first": the lowest rank.
    return not query.desc if query.sort == "severity" else query.desc


def _order(query: FindingQuery) -> list[Any]:
    column = _sort_column(query)
    if _descending(query):
        return [column.desc(), Finding.id.desc()]
    return [column.asc(), Finding.id.asc()]


def _count(session: Session, query: FindingQuery, access: Access, dialect: str) -> int:
    count = select(func.count(Finding.id))
    return session.scalar(filtered(query, access, count, dialect=dialect)) or 0


def list_findings(
    session: Session, query: FindingQuery, access: Access
) -> tuple[list[Finding], int]:
    """One page of the findings ``query`` selects that ``access`` may see, and how many
    there are in all. :class:`QueryError` names a bad filter.

    The page is found on ids alone, then its findings are loaded by id: sorting narrow
    rows instead of whole findings (details, evidence) is what keeps a page of 100,000
    findings fast. A text search reads every row once: its matching ids are fetched in
    order and counted at once, rather than searched twice (count, then page)."""
    dialect = session.get_bind().dialect.name
    start = (query.page - 1) * query.per_page
    if (query.q or "").strip():
        # A search reads every row, whatever the page. When it matches few, one pass
        # fetches the ids and sort keys of them all (in table order, never along a sort
        # index, which would read the table at random), counted and ordered here. When
        # it matches many, that pass stops early, and one more pass orders the matches
        # and counts them (``count(*) OVER ()``) at once.
        key = type_coerce(_sort_column(query), String())  # raw values: no parsing per row
        probe = filtered(query, access, select(Finding.id, key), dialect=dialect)
        rows = session.execute(probe.limit(SEARCH_SORT_MAX + 1)).all()
        if len(rows) <= SEARCH_SORT_MAX:
            rows.sort(key=lambda r: (r[1] is not None, r[1], r[0]), reverse=_descending(query))
            total, ids = len(rows), [r[0] for r in rows[start : start + query.per_page]]
        else:
            counted = select(Finding.id, func.count().over())
            page = session.execute(
                filtered(query, access, counted, dialect=dialect)
                .order_by(*_order(query))
                .limit(query.per_page)
                .offset(start)
            ).all()
            ids = [r[0] for r in page]
            total = page[0][1] if page else _count(session, query, access, dialect)
    else:
        total = _count(session, query, access, dialect)
        ordered = filtered(query, access, select(Finding.id), dialect=dialect)
        ordered = ordered.order_by(*_order(query))
        ids = list(session.scalars(ordered.limit(query.per_page).offset(start)))
    loaded = {f.id: f for f in session.scalars(select(Finding).where(Finding.id.in_(ids)))}
    return [loaded[i] for i in ids], total


def all_findings(session: Session, query: FindingQuery, access: Access) -> list[Finding]:
    """Every finding ``query`` selects that ``access`` may see, in its order (for an
    export of a filtered list; ``page`` and ``per_page`` are ignored)."""
    dialect = session.get_bind().dialect.name
    return list(
        session.scalars(filtered(query, access, dialect=dialect).order_by(*_order(query)))
    )


COUNT_FIELDS = {
    "detector": Finding.detector,
    "unit": Finding.effective_unit,
    "severity": Finding.severity,
    "status": Finding.status,
    "site": Finding.site_id,
}


def counts_by(
    session: Session,
    access: Access,
    field: str,
    *,
    site: str | None = None,
    statuses: tuple[str, ...] = UNRESOLVED,
) -> dict[str, int]:
    """How many findings (unresolved by default) there are per ``field`` (detector,
    unit, severity, status or site), largest first."""
    return counts_by_each(session, access, (field,), site=site, statuses=statuses)[field]


def counts_by_each(
    session: Session,
    access: Access,
    fields: tuple[str, ...],
    *,
    site: str | None = None,
    statuses: tuple[str, ...] = UNRESOLVED,
) -> dict[str, dict[str, int]]:
    """:func:`counts_by` for several fields at once, from one pass over the table (the
    overview's three tables cost one query, not three)."""
    for name in fields:
        if name not in COUNT_FIELDS:
            raise QueryError(f"统计字段“{name}”无效，可用：{'、'.join(COUNT_FIELDS)}")
    columns = [COUNT_FIELDS[f] for f in fields]
    stmt = select(*columns, func.count(Finding.id)).group_by(*columns)
    if site:
        stmt = stmt.where(Finding.site_id == site)
    if statuses:
        stmt = stmt.where(Finding.status.in_(statuses))
    totals: dict[str, Counter[str]] = {f: Counter() for f in fields}
    for *keys, n in session.execute(scoped(stmt, access)):
        for name, key in zip(fields, keys, strict=True):
            totals[name][key] += n
    return {
        f: dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))) for f, c in totals.items()
    }


@dataclass
class TrendDay:
    day: date  # Beijing date
    new: int = 0  # first seen, or seen again after being fixed
    fixed: int = 0
    dismissed: int = 0


def _beijing_day(moment: datetime) -> date:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BEIJING).date()


def trend(
    session: Session, access: Access, days: int = 7, *, site: str | None = None
) -> list[TrendDay]:
    """New, fixed and dismissed findings per Beijing day over the last ``days`` days
    (today included), oldest first, counting only findings ``access`` may see."""
    end = clock_today()
    first = end - timedelta(days=days - 1)
    since = datetime.combine(first, datetime.min.time(), tzinfo=BEIJING)
    stmt = (
        select(FindingEvent.at, FindingEvent.from_status, FindingEvent.to_status)
        .join(Finding, Finding.id == FindingEvent.finding_id)
        .where(FindingEvent.at >= since.astimezone(UTC), FindingEvent.at <= clock_now())
        .where(FindingEvent.from_status.is_distinct_from(FindingEvent.to_status))
    )
    if site:
        stmt = stmt.where(Finding.site_id == site)
    counts: dict[date, Counter[str]] = {first + timedelta(days=i): Counter() for i in range(days)}
    for at, before, after in session.execute(scoped(stmt, access)):
        day = _beijing_day(at)
        if day not in counts:
            continue
        if before is None or (after == "open" and before == "fixed"):
            counts[day]["new"] += 1
        elif after == "fixed":
            counts[day]["fixed"] += 1
        elif after == "false_positive":
            counts[day]["dismissed"] += 1
    return [
        TrendDay(day, c["new"], c["fixed"], c["dismissed"]) for day, c in sorted(counts.items())
    ]
