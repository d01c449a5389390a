"""``site_unreachable``: the site does not answer its availability probes (站点无法访问).

国办秘函〔2019〕19号 makes it a single-veto item: monitored for a week, at least 20
times a day, the site fails when 5 % or more of the visits get no answer within 15
seconds. The scheduler (or ``govwatch probe``) probes the home page and the configured
key pages (``schedule.probe_urls``) and stores each probe; this detector reads the
last ``window_days`` Beijing days of them, per URL.

Precision first: a day counts only when it holds at least ``min_daily`` probes, and
there is no finding without such a day. The veto needs the whole window covered
(every day counted) and the home page failing at least ``veto_percent``; the
commercial monitors warn below the veto line, so ``warn_percent`` over the counted
days is an early warning (high for the home page, medium for a key page, high for a
key page past the veto ratio: the criterion is about the site, read at its home page).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any, ClassVar

from common.urls import url_key
from detectors.base import Detector, Finding, Option
from detectors.presentation import PAGE, Column, Evidence, field
from detectors.probe_health import ProbeHealth, ProbeSubject, health_line, probe_health
from detectors.veto_groups import SITE_UNREACHABLE


class SiteUnreachableDetector(Detector):
    id: ClassVar[str] = "site_unreachable"
    title: ClassVar[str] = "站点无法访问"
    scope: ClassVar[str] = "site"
    severity_rule: ClassVar[str] = (
        "首页一周（每天不少于 20 次）探测失败率达到 5% 为单项否决；"
        "达到 3% 为预警（首页为高，重点页面为中）"
    )
    options: ClassVar[dict[str, Option]] = {
        "window_days": Option(7, "统计最近多少天的探测（国家检查指标为 1 周）", 1, 31),
        "min_daily": Option(20, "一天至少探测多少次才计入（国家检查指标为 20 次）", 1, 1440),
        "veto_percent": Option(5.0, "失败率达到多少（%）即单项否决", 0.1, 100),
        "warn_percent": Option(3.0, "失败率达到多少（%）即预警", 0.1, 100),
    }
    fields: ClassVar[tuple[str, ...]] = ("failures", "probes", "window_days")
    columns: ClassVar[tuple[Column, ...]] = (
        PAGE,
        Column("探测次数", field("probes"), 0.9),
        Column("失败次数", field("failures"), 0.9),
        Column("问题说明", field("message"), 3.0),
    )
    evidence: ClassVar[tuple[Evidence, ...]] = (
        Evidence("统计天数", "window_days", "days"),
        Evidence("探测次数", "probes"),
        Evidence("失败次数", "failures"),
        Evidence("失败率", "failure_percent"),
        Evidence("最近一次失败", "last_failure", "date"),
        Evidence("最近一次失败原因", "last_error"),
    )
    veto_group: ClassVar[str] = SITE_UNREACHABLE
    rank: ClassVar[int] = 5
    criterion: ClassVar[str] = (
        "国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》单项否决·站点无法访问"
    )

    def __init__(
        self,
        home_url: str,
        today: date,
        timeout_s: float,
        settings: dict[str, Any] | None = None,
    ):
        self.home_key = url_key(home_url)
        self.today = today
        self.timeout_s = timeout_s
        options = {name: option.default for name, option in self.options.items()}
        options.update(settings or {})
        self.window_days = int(options["window_days"])
        self.min_daily = int(options["min_daily"])
        self.veto_ratio = float(options["veto_percent"]) / 100
        self.warn_ratio = float(options["warn_percent"]) / 100

    @classmethod
    def from_config(cls, config: Any, settings: Any) -> SiteUnreachableDetector:
        from common.clock import today

        home = config.site.home_url or config.site.start_urls[0]
        return cls(home, today(), config.site.timeout_s, dict(settings))

    @classmethod
    def summary_line(cls, record: dict[str, Any]) -> str:
        return f"{record['message']} · {record['unit']}"

    def health(self, subject: ProbeSubject) -> dict[str, ProbeHealth]:
        since = self.today - timedelta(days=self.window_days - 1)
        return probe_health(subject.probe_days(since), self.today, self.window_days, self.min_daily)

    def status_lines(self, subject: ProbeSubject) -> list[str]:
        """Each probed page's failure ratio and last failure (nothing without probes)."""
        lines = [f"  {health_line(h)}" for _, h in sorted(self.health(subject).items())]
        return ["可用性探测：", *lines] if lines else []

    def check(self, subject: ProbeSubject) -> Iterator[Finding]:
        for url, health in sorted(self.health(subject).items()):
            if not health.probes:
                continue  # no day with enough probes: nothing to judge on
            home = url_key(url) == self.home_key
            full_week = health.counted_days >= self.window_days
            if health.ratio >= self.veto_ratio and full_week:
                severity = "veto" if home else "high"
            elif health.ratio >= self.warn_ratio:
                severity = "high" if home else "medium"
            else:
                continue
            yield self._finding(url, home, health, severity)

    def _finding(self, url: str, home: bool, health: ProbeHealth, severity: str) -> Finding:
        where = "首页" if home else "重点页面"
        percent = f"{100 * health.ratio:.1f}%"
        line = (
            f"达到单项否决线（{100 * self.veto_ratio:g}%）"
            if severity == "veto"
            else f"达到预警线（{100 * self.warn_ratio:g}%），请尽快排查"
        )
        message = (
            f"{where}近 {health.counted_days} 天探测 {health.probes} 次，"
            f"{health.failures} 次在 {self.timeout_s:g} 秒内无法正常访问（失败率 {percent}），"
            f"{line}"
        )
        return Finding(
            detector=self.id,
            page_url=url,
            key="probes",
            severity=severity,  # type: ignore[arg-type]
            message=message,
            details={
                "failures": health.failures,
                "probes": health.probes,
                "window_days": health.window_days,
                "days_counted": health.counted_days,
                "failure_percent": percent,
                "last_failure": (health.last_failure.isoformat() if health.last_failure else None),
                "last_error": health.last_error,
                "criterion": self.criterion,
            },
        )
