"""The single-veto items of 国办秘函〔2019〕19号, and when each is crossed.

A site fails the inspection outright when any of these items is crossed. Each group is
fed by the detectors that declare it (``Detector.veto_group``) and judges their
unresolved finding records (the contract's flat records) as red (the veto line is
crossed now), amber (past the vendors' early-warning line: 开普云 warns at > 6 stale
columns, > 2 blank columns, 10 days without updates), green, or grey (no detector feeds
it on this site — grey never means "fine"). The weekly report prints them in order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from common.vocabulary import UNRESOLVED
from detectors.probe_health import MIN_DAILY, WINDOW_DAYS, probe_health

# 开普云's early-warning lines, below the veto lines so that units act in time.
AMBER_STALE_COLUMNS = 6  # more than this many stale columns
AMBER_BLANK_COLUMNS = 2  # more than this many blank columns
AMBER_SILENT_DAYS = 10  # new-media accounts (and home page) silent this long

# The column lines. Categories of the first line; their allowed ages (14 and 180 days)
# are the stale detector's, so every stale finding of these categories is past its veto age.
FIRST_LINE_CATEGORIES = frozenset({"news", "notice", "policy"})
FIRST_LINE_LIMIT = 5
STALE_LIMIT = 10
BLANK_LIMIT = 5

STATE_NAMES = {"red": "否决风险", "amber": "预警", "green": "正常", "grey": "暂无数据"}


@dataclass
class VetoInputs:
    """What a group judges: the unresolved records of the detectors that feed it, the
    site's stored state for groups that need more than findings (``new_media_feeds()``),
    and today."""

    records: list[dict[str, Any]]
    subject: Any
    today: date
    titles: dict[str, str] = field(default_factory=dict)  # detector id → its title


@dataclass(frozen=True)
class VetoState:
    state: str  # red | amber | green | grey
    summary: str  # what the state rests on, one sentence


@dataclass(frozen=True)
class VetoGroup:
    id: str
    name: str  # 站点无法访问 …
    rule: str  # the veto line it is measured against
    no_data: str  # why it is grey when no detector feeds it
    assess: Callable[[VetoInputs], VetoState]
    unknown: str = "无监测数据"  # the pass/fail verdict of a grey line (estimated score)


def _unreachable(inputs: VetoInputs) -> VetoState:
    def ratio(r: dict[str, Any]) -> float:
        return (r.get("failures") or 0) / max(r.get("probes") or 1, 1)

    if inputs.records:
        worst = max(inputs.records, key=ratio)
        state = "red" if any(r.get("severity") == "veto" for r in inputs.records) else "amber"
        return VetoState(state, f"近期探测失败率 {100 * ratio(worst):.1f}%")
    # No finding says "fine" only when there were enough probes to find one.
    since = inputs.today - timedelta(days=WINDOW_DAYS - 1)
    days = inputs.subject.probe_days(since) if inputs.subject is not None else []
    measured = [h for h in probe_health(days, inputs.today).values() if h.probes]
    if not measured:
        return VetoState(
            "grey",
            f"暂无监测数据：近{WINDOW_DAYS}天没有一天的可用性探测达到{MIN_DAILY}次，不能据此判断",
        )
    probes = sum(h.probes for h in measured)
    failures = sum(h.failures for h in measured)
    return VetoState(
        "green", f"近{WINDOW_DAYS}天探测 {probes} 次，失败 {failures} 次，未达到预警线"
    )


def _home_page(inputs: VetoInputs) -> VetoState:
    if not inputs.records:
        return VetoState("green", "首页近2周有新增内容")
    days = max(r.get("days_since") or 0 for r in inputs.records)
    state = "red" if any(r["severity"] == "veto" for r in inputs.records) else "amber"
    return VetoState(state, f"首页已 {days} 天没有新增内容")


@dataclass
class ColumnVeto:
    """Unresolved stale and blank columns counted against the three column lines."""

    news_stale: int = 0
    notice_policy_stale: int = 0
    stale_total: int = 0
    blank: int = 0
    reasons: list[str] = field(default_factory=list)  # Chinese, one per line crossed

    @property
    def vetoed(self) -> bool:
        return bool(self.reasons)

    @property
    def first_line_total(self) -> int:
        return self.news_stale + self.notice_policy_stale

    def stale_reasons(self) -> list[str]:
        return [r for r in self.reasons if "空白栏目" not in r]


def column_veto(
    stale: Iterable[dict[str, Any]], blank: Iterable[dict[str, Any]] = ()
) -> ColumnVeto:
    """Count unresolved stale and blank columns (the records of the ``STALE_COLUMNS`` and
    ``BLANK_COLUMNS`` groups) against the three veto lines:

    1. news columns idle > 2 weeks plus notice/policy columns idle > 6 months: total ≥ 5;
    2. ≥ 10 columns that should be updated but long have not (any category);
    3. ≥ 5 blank columns.
    """
    veto = ColumnVeto()
    veto.blank = sum(1 for r in blank if r.get("status") in UNRESOLVED)
    for record in stale:
        if record.get("status") not in UNRESOLVED:
            continue
        veto.stale_total += 1
        category = record.get("category")
        if category == "news":
            veto.news_stale += 1
        elif category in FIRST_LINE_CATEGORIES:
            veto.notice_policy_stale += 1
    if veto.first_line_total >= FIRST_LINE_LIMIT:
        veto.reasons.append(
            f"动态要闻类栏目超过2周未更新 {veto.news_stale} 个、通知公告和政策文件类栏目"
            f"超过6个月未更新 {veto.notice_policy_stale} 个，合计 {veto.first_line_total} 个"
            f"（达到 {FIRST_LINE_LIMIT} 个即单项否决）"
        )
    if veto.stale_total >= STALE_LIMIT:
        veto.reasons.append(
            f"应更新但长期未更新的栏目 {veto.stale_total} 个（达到 {STALE_LIMIT} 个即单项否决）"
        )
    if veto.blank >= BLANK_LIMIT:
        veto.reasons.append(f"空白栏目 {veto.blank} 个（达到 {BLANK_LIMIT} 个即单项否决）")
    return veto


def column_veto_lines(veto: ColumnVeto) -> list[str]:
    """The three column lines with the current counts, as the scan summary prints them."""
    lines = [
        "栏目单项否决线（国办秘函〔2019〕19号）：",
        f"  动态要闻类超2周 {veto.news_stale} 个 + 通知公告/政策文件类超6个月 "
        f"{veto.notice_policy_stale} 个 = {veto.first_line_total} 个"
        f"（否决线 {FIRST_LINE_LIMIT} 个）",
        f"  长期未更新栏目 {veto.stale_total} 个（否决线 {STALE_LIMIT} 个）",
        f"  空白栏目 {veto.blank} 个（否决线 {BLANK_LIMIT} 个）",
    ]
    if veto.vetoed:
        lines.extend(f"  单项否决：{reason}" for reason in veto.reasons)
    else:
        lines.append("  结论：未触及栏目单项否决线")
    return lines


def _stale_columns(inputs: VetoInputs) -> VetoState:
    veto = column_veto(inputs.records)
    if veto.stale_reasons():
        return VetoState("red", "；".join(veto.stale_reasons()))
    summary = (
        f"未更新栏目 {veto.stale_total} 个（其中动态要闻类 {veto.news_stale} 个、"
        f"通知公告和政策文件类 {veto.notice_policy_stale} 个）"
    )
    return VetoState("amber" if veto.stale_total > AMBER_STALE_COLUMNS else "green", summary)


def _blank_columns(inputs: VetoInputs) -> VetoState:
    blank = column_veto((), inputs.records).blank
    summary = f"空白栏目 {blank} 个"
    if blank >= BLANK_LIMIT:
        return VetoState("red", summary)
    return VetoState("amber" if blank > AMBER_BLANK_COLUMNS else "green", summary)


def _serious(inputs: VetoInputs) -> VetoState:
    serious = [r for r in inputs.records if r["severity"] == "veto"]
    if not serious:
        return VetoState("green", "未发现严重错误表述、敏感内容或暗链")
    counts = Counter(inputs.titles.get(r["detector"], r["detector"]) for r in serious)
    parts = "、".join(f"{name} {n} 条" for name, n in sorted(counts.items()))
    pages = len({r["page_url"] for r in serious})
    return VetoState("red", f"单项否决级问题 {len(serious)} 条（{parts}），涉及页面 {pages} 个")


def _new_media(inputs: VetoInputs) -> VetoState:
    # Silent accounts are veto-level findings; the group's other findings are accounts
    # whose feed could not be read, so nothing is known of their updates.
    stale = [r for r in inputs.records if r["severity"] == "veto"]
    unreadable = [r for r in inputs.records if r["severity"] != "veto"]
    feeds = list(inputs.subject.new_media_feeds()) if inputs.subject is not None else []
    if stale:
        names = "、".join(sorted({str(r.get("account")) for r in stale}))
        return VetoState("red", f"{len(stale)} 个账号超期未更新：{names}")
    near = [
        f
        for f in feeds
        if f.outcome == "ok"
        and f.last_published is not None
        and (inputs.today - f.last_published).days >= AMBER_SILENT_DAYS
    ]
    if near or unreadable:
        parts = []
        if near:
            parts.append(f"{len(near)} 个账号已 {AMBER_SILENT_DAYS} 天以上未更新")
        if unreadable:
            parts.append(f"{len(unreadable)} 个账号的订阅源无法读取，更新情况不明")
        return VetoState("amber", "；".join(parts))
    if feeds:
        return VetoState("green", f"{len(feeds)} 个账号均在2周内有更新")
    return VetoState("grey", "暂无监测数据：未配置政务新媒体账号")


def _interaction(inputs: VetoInputs) -> VetoState:
    vetoes = [r for r in inputs.records if r["severity"] == "veto"]
    if vetoes:
        unanswered = sum(1 for r in vetoes if r.get("reason") == "unanswered")
        channels = sorted(
            {str(r.get("channel")) for r in vetoes if r.get("reason") == "no_channel"}
        )
        parts = []
        if unanswered:
            parts.append(f"{unanswered} 条留言超过3个月未答复")
        if channels:
            parts.append(f"互动渠道无法使用：{'、'.join(channels)}")
        return VetoState("red", "；".join(parts))
    if inputs.records:
        return VetoState("amber", f"{len(inputs.records)} 条留言超过答复时限")
    messages = getattr(inputs.subject, "messages", None)
    if messages is None or next(iter(messages()), None) is None:
        return VetoState("grey", "暂无监测数据：本次扫描未读到留言列表或留言页面")
    return VetoState("green", "未发现超期未答复的留言，互动渠道可用")


SITE_UNREACHABLE = "site_unreachable"
HOME_PAGE = "home_page"
STALE_COLUMNS = "stale_columns"
BLANK_COLUMNS = "blank_columns"
SERIOUS_ERRORS = "serious_errors"
NEW_MEDIA = "new_media"
INTERACTION = "interaction"

VETO_GROUPS: tuple[VetoGroup, ...] = (
    VetoGroup(
        SITE_UNREACHABLE,
        "站点无法访问",
        "监测1周、每天不少于20次，15秒内无法访问的次数达到5%即否决（预警线3%）",
        "暂无监测数据：可用性探测尚未启用，不能据此判断",
        _unreachable,
        unknown="无探测数据",
    ),
    VetoGroup(
        HOME_PAGE,
        "首页不更新",
        "首页连续2周没有新增内容即否决（预警线10天）",
        "暂无监测数据：尚未启用首页更新检测",
        _home_page,
    ),
    VetoGroup(
        STALE_COLUMNS,
        "栏目不更新",
        f"动态要闻类栏目超过2周、通知公告和政策文件类超过6个月未更新合计达{FIRST_LINE_LIMIT}个，"
        f"或应更新而长期未更新的栏目达{STALE_LIMIT}个即否决（预警线{AMBER_STALE_COLUMNS + 1}个）",
        "暂无监测数据：尚未启用栏目更新检测",
        _stale_columns,
    ),
    VetoGroup(
        BLANK_COLUMNS,
        "空白栏目",
        f"空白栏目达{BLANK_LIMIT}个即否决（预警线{AMBER_BLANK_COLUMNS + 1}个）",
        "暂无监测数据：尚未启用空白栏目检测",
        _blank_columns,
    ),
    VetoGroup(
        SERIOUS_ERRORS,
        "严重错误",
        "严重错误表述，发布或链接反动、暴力、色情等内容，被攻击篡改、挂暗链未处理等即否决",
        "暂无监测数据：尚未启用错敏词和暗链检测",
        _serious,
    ),
    VetoGroup(
        NEW_MEDIA,
        "政务新媒体不更新",
        "政务新媒体账号超过2周未更新即否决（预警线10天）",
        "暂无监测数据：未配置政务新媒体账号",
        _new_media,
    ),
    VetoGroup(
        INTERACTION,
        "互动回应差",
        "没有可用的咨询渠道，或留言超过3个月未答复即否决",
        "暂无监测数据：尚未启用互动回应检测",
        _interaction,
    ),
)
