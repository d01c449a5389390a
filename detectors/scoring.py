"""The estimated inspection score: the deductions govwatch can measure, and the verdict.

The 2019 criteria (国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》) score a site out of
100 (below 60 fails) after the single-veto items, which fail it outright whatever its
points (:mod:`detectors.veto_groups`). Most deductions (办事服务 accuracy, 留言办理
quality, 功能设计) are beyond an automatic monitor; the ones govwatch can count are listed
here as :class:`ScoreRule` objects, each with its source, its figure and whether that
figure is confirmed. A detector feeds a rule by declaring its id in ``score_basis``; a
rule counts the unresolved findings of its feeding detectors that it ``selects`` (by
their fields, never by detector id). The figures, as ``shared/reference/
inspection-criteria.md`` documents them:

- broken links (国办发〔2015〕15号《全国政府网站普查评分细则》): "commonly cited as
  1 point per home-page link, 0.1 per link elsewhere — unconfirmed";
- a policy interpretation not linked both ways with its document (2019 criteria,
  发布解读): deducted, figure not published — estimated at 1 point a document.

So the score is an estimate with a stated uncertainty, and an upper bound: what
govwatch cannot measure can only lower it. The verdict is 不合格 when any single-veto line
is crossed or the estimate is below 60; a line without data is said to be unjudged,
never passed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

FULL_MARKS = 100.0
PASS_MARK = 60.0
TOP_FIXES = 3
MAX_LISTED = 3  # pages a deduction names; the rest are counted
MAX_IDS = 10  # finding ids a deduction names

SOURCE_2015 = "国办发〔2015〕15号《全国政府网站普查评分细则》"
SOURCE_2019 = "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》"


@dataclass(frozen=True)
class ScoreRule:
    """One deduction govwatch can measure."""

    id: str
    name: str  # Chinese: what is deducted for
    source: str  # the document and heading it comes from
    points_each: float  # points per finding counted
    confirmed: bool  # whether the figure is an official one
    uncertainty: str  # Chinese: what is uncertain about the figure (empty when confirmed)
    fix: str  # Chinese: what to do, as a leader's to-do line
    selects: Callable[[Mapping[str, Any]], bool] = lambda record: True
    cap: float | None = None  # most the rule deducts; None: not bounded by the source


BROKEN_LINKS_HOME = "broken_links_home"
BROKEN_LINKS_OTHER = "broken_links_other"
INTERPRETATION_NOT_LINKED = "interpretation_not_linked"

_LINK_FIGURE = "常见说法为首页每条扣1分、其他页面每条扣0.1分，未经官方确认"

RULES: tuple[ScoreRule, ...] = (
    ScoreRule(
        BROKEN_LINKS_HOME,
        "首页不可用链接",
        f"{SOURCE_2015} 链接可用性",
        1.0,
        False,
        _LINK_FIGURE,
        "修复首页上的不可用链接",
        selects=lambda r: r.get("on_home_page") is True,
    ),
    ScoreRule(
        BROKEN_LINKS_OTHER,
        "其他页面不可用链接",
        f"{SOURCE_2015} 链接可用性",
        0.1,
        False,
        _LINK_FIGURE,
        "修复其他页面上的不可用链接",
        selects=lambda r: r.get("on_home_page") is not True,
    ),
    ScoreRule(
        INTERPRETATION_NOT_LINKED,
        "政策文件与解读未相互关联",
        f"{SOURCE_2019} 发布解读",
        1.0,
        False,
        "检查指标对此扣分，但未见公开的分值，按每件1分估算",
        "为政策文件补发解读，并与解读相互链接",
        # No interpretation, or one linked one way only; a late one is linked both ways.
        selects=lambda r: r.get("reason") in ("none", "not_linked_back"),
    ),
)

NOT_MEASURED = (
    "办事服务（办事指南准确性、在线办理）、互动交流（留言办理质量）、功能设计（搜索、"
    "无障碍）等扣分项 govwatch 无法自动测量，未计入估算：实际得分只会更低"
)


def rule(rule_id: str) -> ScoreRule | None:
    return next((r for r in RULES if r.id == rule_id), None)


@dataclass
class Deduction:
    """A rule's deduction, with the findings behind it."""

    rule: ScoreRule
    records: list[dict[str, Any]]

    @property
    def points(self) -> float:
        points = len(self.records) * self.rule.points_each
        return round(min(points, self.rule.cap) if self.rule.cap is not None else points, 2)

    @property
    def points_text(self) -> str:
        return f"{self.points:g}"

    @property
    def pages(self) -> list[str]:
        """The pages of the findings, first ``MAX_LISTED`` (distinct, in order)."""
        return list(dict.fromkeys(r.get("page_url") or "" for r in self.records))[:MAX_LISTED]

    @property
    def finding_ids(self) -> list[int]:
        return [r["id"] for r in self.records if r.get("id") is not None]

    @property
    def findings_text(self) -> str:
        """The findings behind it by id (``govwatch findings`` lists them), at most ten."""
        ids = self.finding_ids
        if not ids:
            return ""
        more = f" 等 {len(ids)} 条" if len(ids) > MAX_IDS else ""
        return f"问题编号 {'、'.join(str(i) for i in ids[:MAX_IDS])}{more}"

    @property
    def basis(self) -> str:
        """What the deduction rests on, one sentence (Chinese)."""
        figure = f"每处 {self.rule.points_each:g} 分"
        cap = f"，最多 {self.rule.cap:g} 分" if self.rule.cap is not None else ""
        return f"{self.rule.source}；{figure}{cap}"


@dataclass(frozen=True)
class VetoLine:
    """A single-veto line as the score sees it: passed, failed or not judged."""

    name: str
    state: str  # red | amber | green | grey (detectors.veto_groups)
    summary: str
    unknown: str  # what a grey line says (无探测数据 …)

    @property
    def verdict(self) -> str:
        if self.state == "red":
            return "不合格"
        if self.state == "grey":
            return self.unknown
        return "合格"


@dataclass(frozen=True)
class Fix:
    text: str  # Chinese
    gain: str  # Chinese: what it gains (合格, 约 N 分)
    points: float  # for ordering; a veto fix ranks first


@dataclass
class ScoreEstimate:
    score: float
    passed: bool
    verdict: str  # one sentence for leaders
    veto_lines: list[VetoLine]
    deductions: list[Deduction]
    fixes: list[Fix]
    notes: list[str] = field(default_factory=list)  # what is uncertain or not measured

    @property
    def score_text(self) -> str:
        return f"{self.score:g}"

    @property
    def verdict_name(self) -> str:
        return "预计合格" if self.passed else "预计不合格"


def estimate(
    records_of: Callable[[str], list[dict[str, Any]]],
    measured: Iterable[str],
    veto_lines: list[VetoLine],
) -> ScoreEstimate:
    """The estimate from the unresolved records feeding each rule (``records_of(rule
    id)``), the ids of the rules some enabled detector feeds, and the veto lines."""
    measured = set(measured)
    deductions = []
    for item in RULES:
        if item.id not in measured:
            continue
        counted = [r for r in records_of(item.id) if item.selects(r)]
        if counted:
            deductions.append(Deduction(item, counted))
    deductions.sort(key=lambda d: (-d.points, d.rule.id))
    score = round(max(0.0, FULL_MARKS - sum(d.points for d in deductions)), 1)
    failed = [line for line in veto_lines if line.state == "red"]
    unjudged = [line for line in veto_lines if line.state == "grey"]
    passed = not failed and score >= PASS_MARK

    if failed:
        names = "、".join(line.name for line in failed)
        verdict = f"预计不合格：{names}触及单项否决线（否决即不合格，与得分无关）。"
    elif not passed:
        verdict = f"预计不合格：估算得分 {score:g} 分，低于 {PASS_MARK:g} 分。"
    else:
        verdict = f"预计合格：估算得分 {score:g} 分，未触及已监测的单项否决线。"
    if unjudged:
        verdict += f"{'、'.join(line.name for line in unjudged)}暂无数据，未能判断。"

    fixes = [
        Fix(f"整改“{line.name}”：{line.summary}", "单项否决项，整改后方可合格", float("inf"))
        for line in failed
    ]
    fixes += [
        Fix(f"{d.rule.fix}（{len(d.records)} 处）", f"约 {d.points:g} 分", d.points)
        for d in deductions
    ]
    fixes.sort(key=lambda f: -f.points)

    # One note per uncertain figure, naming the deductions that rest on it.
    uncertain: dict[str, list[str]] = {}
    for d in deductions:
        if not d.rule.confirmed:
            uncertain.setdefault(d.rule.uncertainty, []).append(d.rule.name)
    notes = [f"{'、'.join(names)}：{text}。" for text, names in uncertain.items()]
    notes.append(f"{NOT_MEASURED}。")
    return ScoreEstimate(
        score=score,
        passed=passed,
        verdict=verdict,
        veto_lines=veto_lines,
        deductions=deductions,
        fixes=fixes[:TOP_FIXES],
        notes=notes,
    )
