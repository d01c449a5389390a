"""The leaders' weekly report: will we fail an inspection, and is it getting better?

Page one is the single-veto items of 国办秘函〔2019〕19号, each red (the veto line is
crossed now), amber (past the vendors' early-warning line: 开普云 warns at > 6 stale
columns, > 2 blank columns, 10 days without updates), green, or grey (govwatch has no
data on it yet — grey never means "fine"), and the estimated inspection score
(:mod:`detectors.scoring`: each veto line passed, failed or not judged, the deductions
govwatch can measure with their rules and findings, the three fixes that gain most).
Then this week against last week, units ranked by open and overdue problems, eight
weeks of trend, and the top problems.

"This week" is the seven days ending ``common.clock.today()``. Open counts are the
latest scan's open and confirmed findings — what ``govwatch findings`` lists; new and
fixed come from the findings' status history (``finding_events``), stamped by the same
clock (``common.clock.now``, pinned with today in tests and the demo). An event stamped
after today (a database written before the clock was pinned back) counts as today's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.vocabulary import UNRESOLVED, severity_rank
from common.workdays import estimate_note
from detectors.registry import (
    feeds,
    group_records,
    measured_rules,
    score_records,
    title_of,
    titles,
)
from detectors.scoring import ScoreEstimate, VetoLine, estimate
from detectors.veto_groups import STATE_NAMES, VETO_GROUPS, VetoInputs
from reports.notices import deadline_estimated, notice_deadline
from reports.report_data import ReportInputs, beijing_date, chinese_date
from storage.models import Finding, FindingEvent
from storage.snapshot import ScanSnapshot

WEEKS = 8
TOP_PROBLEMS = 12


@dataclass
class VetoItem:
    name: str
    state: str  # red | amber | green | grey
    summary: str  # what the state rests on, one sentence
    rule: str  # the veto line it is measured against
    unknown: str = "无监测数据"  # its pass/fail verdict when grey (no data)

    @property
    def state_name(self) -> str:
        return STATE_NAMES[self.state]


@dataclass
class WeekCounts:
    start: date
    end: date
    new: int = 0
    reopened: int = 0
    fixed: int = 0
    dismissed: int = 0
    open_at_end: int = 0


@dataclass
class UnitRow:
    unit: str
    open: int = 0
    veto: int = 0
    new: int = 0
    fixed: int = 0
    overdue: int = 0
    rank: int = 0
    overdue_rank: int = 0


@dataclass
class Overdue:
    record: dict[str, Any]
    deadline: date
    days_late: int


@dataclass
class WeeklyReport:
    site_id: str
    site_name: str
    issuer: str
    today: date
    scan_id: int
    scan_date: date
    veto_items: list[VetoItem]
    verdict: str
    verdict_state: str
    score: ScoreEstimate
    this_week: WeekCounts
    last_week: WeekCounts
    units: list[UnitRow]
    trend: list[WeekCounts]
    by_type: list[tuple[str, int, int]]  # type name, open, of which veto
    top: list[dict[str, Any]]
    overdue: list[Overdue]
    open_total: int
    veto_total: int
    deadline_days: int
    veto_deadline_days: int
    estimated_years: tuple[int, ...] = ()  # years whose holidays the deadlines estimated
    charts: dict[str, str] = field(default_factory=dict)  # name → SVG, filled by the writer

    @property
    def calendar_note(self) -> str:
        """The sentence that says overdue counts rest on estimated holidays (else empty)."""
        if not self.estimated_years:
            return ""
        return f"整改期限和超期天数{estimate_note(self.estimated_years)}，仅供参考。"

    @property
    def title(self) -> str:
        return f"{self.site_name}网站及政务新媒体监测周报"

    @property
    def week_label(self) -> str:
        return week_label(self.this_week.start, self.this_week.end)

    @property
    def overdue_total(self) -> int:
        return len(self.overdue)


def short_week_label(start: date, end: date) -> str:
    """``11月19日—25日`` (``10月28日—11月3日`` across months)."""
    tail = f"{end.day}日" if end.month == start.month else f"{end.month}月{end.day}日"
    return f"{start.month}月{start.day}日—{tail}"


def week_label(start: date, end: date) -> str:
    tail = f"{end.month}月{end.day}日" if end.year == start.year else chinese_date(end)
    return f"{chinese_date(start)}—{tail}"


def veto_items(
    session: Session, inputs: ReportInputs, today: date, enabled: set[str] | None = None
) -> list[VetoItem]:
    """The single-veto items of the national criteria, each with its state now: grey when
    no ``enabled`` detector feeds it (default: those the site runs)."""
    enabled = inputs.detectors if enabled is None else enabled
    unresolved = [r for r in inputs.records if r["status"] in UNRESOLVED]
    # What groups read beyond findings (the accounts the scan read); no page-level data.
    subject = ScanSnapshot(session, inputs.scan_id, home_key="", timeout_s=15)
    items = []
    for group in VETO_GROUPS:
        if not feeds(group.id, enabled):
            items.append(VetoItem(group.name, "grey", group.no_data, group.rule, group.unknown))
            continue
        records = group_records(unresolved, group.id)
        state = group.assess(VetoInputs(records, subject, today, titles()))
        items.append(VetoItem(group.name, state.state, state.summary, group.rule, group.unknown))
    return items


def score_estimate(inputs: ReportInputs, items: list[VetoItem]) -> ScoreEstimate:
    """The estimated inspection score (:mod:`detectors.scoring`): the veto lines passed or
    failed, and the deductions the site's detectors measure, from the unresolved records."""
    unresolved = inputs.unresolved
    lines = [VetoLine(i.name, i.state, i.summary, i.unknown) for i in items]
    return estimate(
        lambda rule_id: score_records(unresolved, rule_id),
        measured_rules(inputs.detectors),
        lines,
    )


def verdict_of(items: list[VetoItem]) -> tuple[str, str]:
    """The one sentence (and its state: red, amber or green) that sums up the veto items:
    the report's first line, and the review app's overview."""
    red = [i.name for i in items if i.state == "red"]
    amber = [i.name for i in items if i.state == "amber"]
    grey = [i.name for i in items if i.state == "grey"]
    if red:
        verdict = (
            f"若此时接受检查，网站将因单项否决被判为不合格：{'、'.join(red)}。请相关单位立即整改。"
        )
        state = "red"
    elif amber:
        verdict = f"暂未触及单项否决线，但以下项目已达到预警线：{'、'.join(amber)}。"
        state = "amber"
    else:
        verdict = "已监测的单项否决项目均未触及否决线或预警线。"
        state = "green"
    if grey:
        verdict += f"{'、'.join(grey)}暂无监测数据，不能据此判断。"
    return verdict, state


def _timelines(session: Session, site_id: str, today: date) -> dict[int, list[tuple[date, Any]]]:
    """Each finding's status changes, as (Beijing date capped at today, event), in order."""
    rows = session.execute(
        select(FindingEvent, Finding.effective_unit)
        .join(Finding, Finding.id == FindingEvent.finding_id)
        .where(Finding.site_id == site_id)
        .order_by(FindingEvent.finding_id, FindingEvent.id)
    )
    timelines: dict[int, list[tuple[date, Any]]] = {}
    for event, unit in rows:
        day = min(beijing_date(event.at), today)
        timelines.setdefault(event.finding_id, []).append((day, event, unit))
    return timelines


def _week(timelines, start: date, end: date) -> tuple[WeekCounts, Counter, Counter]:
    counts = WeekCounts(start=start, end=end)
    new_by_unit: Counter = Counter()
    fixed_by_unit: Counter = Counter()
    for events in timelines.values():
        status = None
        for day, event, unit in events:
            if day > end:
                break
            status = event.to_status
            if day < start or event.from_status == event.to_status:
                continue  # a comment or a reassignment (review app) changes no status
            if event.from_status is None:
                counts.new += 1
                new_by_unit[unit] += 1
            elif event.to_status == "open" and event.from_status == "fixed":
                counts.reopened += 1
                new_by_unit[unit] += 1
            elif event.to_status == "fixed":
                counts.fixed += 1
                fixed_by_unit[unit] += 1
            elif event.to_status == "false_positive":
                counts.dismissed += 1
        if status in UNRESOLVED:
            counts.open_at_end += 1
    return counts, new_by_unit, fixed_by_unit


def overdue_problems(inputs: ReportInputs, today: date) -> tuple[list[Overdue], tuple[int, ...]]:
    """Unresolved findings past the deadline a notice gave them, counted from first seen;
    and the years whose holidays were estimated in counting any of those deadlines."""
    late = []
    estimated: set[int] = set()
    for record in inputs.unresolved:
        first = min(date.fromisoformat(record["first_seen"][:10]), today)
        deadline = notice_deadline(first, record["severity"], inputs.settings)
        estimated.update(deadline_estimated(first, deadline))
        if deadline < today:
            late.append(Overdue(record, deadline, (today - deadline).days))
    late.sort(key=lambda o: (-o.days_late, o.record["unit"], o.record["id"]))
    return late, tuple(sorted(estimated))


def _ranks(values: list[int]) -> list[int]:
    """Competition ranking (1, 2, 2, 4) of values, highest first."""
    return [1 + sum(1 for other in values if other > v) for v in values]


def build_weekly(session: Session, inputs: ReportInputs, today: date) -> WeeklyReport:
    unresolved = inputs.unresolved
    timelines = _timelines(session, inputs.site_id, today)
    start = today - timedelta(days=6)
    this_week, new_by_unit, fixed_by_unit = _week(timelines, start, today)
    this_week.open_at_end = len(unresolved)  # exactly what `govwatch findings` lists
    last_week, _, _ = _week(timelines, start - timedelta(days=7), start - timedelta(days=1))
    trend = []
    for k in range(WEEKS - 1, 0, -1):
        end = today - timedelta(days=7 * k)
        trend.append(_week(timelines, end - timedelta(days=6), end)[0])
    trend.append(this_week)

    overdue, estimated_years = overdue_problems(inputs, today)
    names = set(inputs.units) | {r["unit"] for r in unresolved} | set(new_by_unit)
    names |= set(fixed_by_unit)
    rows = {name: UnitRow(unit=name) for name in names}
    for record in unresolved:
        rows[record["unit"]].open += 1
        rows[record["unit"]].veto += record["severity"] == "veto"
    for late in overdue:
        rows[late.record["unit"]].overdue += 1
    for unit, n in new_by_unit.items():
        rows[unit].new = n
    for unit, n in fixed_by_unit.items():
        rows[unit].fixed = n
    units = sorted(rows.values(), key=lambda u: (-u.open, -u.veto, -u.overdue, u.unit))
    for row, rank in zip(units, _ranks([u.open for u in units]), strict=True):
        row.rank = rank
    for row, rank in zip(units, _ranks([u.overdue for u in units]), strict=True):
        row.overdue_rank = rank

    types: dict[str, list[int]] = {}
    for record in unresolved:
        entry = types.setdefault(title_of(record["detector"]), [0, 0])
        entry[0] += 1
        entry[1] += record["severity"] == "veto"
    by_type = sorted(((n, c[0], c[1]) for n, c in types.items()), key=lambda t: (-t[1], t[0]))

    late_ids = {o.record["id"]: o for o in overdue}
    top = sorted(
        unresolved,
        key=lambda r: (
            severity_rank(r["severity"]),
            -(late_ids[r["id"]].days_late if r["id"] in late_ids else -1),
            r.get("on_home_page") is not True,
            r["first_seen"] or "",
            r["id"],
        ),
    )[:TOP_PROBLEMS]

    items = veto_items(session, inputs, today)
    verdict, state = verdict_of(items)

    return WeeklyReport(
        site_id=inputs.site_id,
        site_name=inputs.site_name,
        issuer=inputs.settings.issuer,
        today=today,
        scan_id=inputs.scan_id,
        scan_date=inputs.scan_date,
        veto_items=items,
        verdict=verdict,
        verdict_state=state,
        score=score_estimate(inputs, items),
        this_week=this_week,
        last_week=last_week,
        units=units,
        trend=trend,
        by_type=by_type,
        top=top,
        overdue=overdue,
        open_total=len(unresolved),
        veto_total=sum(1 for r in unresolved if r["severity"] == "veto"),
        deadline_days=inputs.settings.deadline_days,
        veto_deadline_days=inputs.settings.veto_deadline_days,
        estimated_years=estimated_years,
    )
