"""Availability probes as detectors read them: per URL and Beijing day, how many probes
and how many failed; and the health of a URL over a window of days.

Shared by ``site_unreachable`` (its findings), the 站点无法访问 veto group (whether
there are enough probes to say anything) and ``govwatch status``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from common.clock import BEIJING

WINDOW_DAYS = 7  # 国办秘函〔2019〕19号: monitored for a week
MIN_DAILY = 20  # … at least 20 times a day


@dataclass(frozen=True)
class ProbeDay:
    """The probes of one URL on one Beijing day."""

    url: str
    day: date
    probes: int
    failures: int
    last_failure: datetime | None = None
    last_error: str | None = None  # error class or ``http_NNN`` of the last failure


class ProbeSubject(Protocol):
    def probe_days(self, since: date) -> Iterable[ProbeDay]:
        """Per URL and Beijing day from ``since`` on, the probes stored for the site."""
        ...


@dataclass(frozen=True)
class ProbeHealth:
    """One URL's probes over the window, as the detector and ``govwatch status`` judge."""

    url: str
    probes: int  # on the counted days
    failures: int
    counted_days: int  # days with at least ``min_daily`` probes
    window_days: int
    last_failure: datetime | None
    last_error: str | None

    @property
    def ratio(self) -> float:
        return self.failures / self.probes if self.probes else 0.0


def probe_health(
    days: Iterable[ProbeDay],
    today: date,
    window_days: int = WINDOW_DAYS,
    min_daily: int = MIN_DAILY,
) -> dict[str, ProbeHealth]:
    """Per URL: the probes of the window's days that hold at least ``min_daily``."""
    first = today - timedelta(days=window_days - 1)
    per_url: dict[str, list[ProbeDay]] = {}
    for day in days:
        if first <= day.day <= today:
            per_url.setdefault(day.url, []).append(day)
    health = {}
    for url, rows in per_url.items():
        counted = [r for r in rows if r.probes >= min_daily]
        failed = [r for r in rows if r.last_failure is not None]
        last = max(failed, key=lambda r: r.last_failure) if failed else None
        health[url] = ProbeHealth(
            url=url,
            probes=sum(r.probes for r in counted),
            failures=sum(r.failures for r in counted),
            counted_days=len({r.day for r in counted}),
            window_days=window_days,
            last_failure=last.last_failure if last else None,
            last_error=last.last_error if last else None,
        )
    return health


def health_line(health: ProbeHealth) -> str:
    """``http://…/：近7天失败率 1.2%（3/250 次，…）；最近一次失败 …`` (Chinese, one line)."""
    window = f"近{health.window_days}天"
    if health.probes:
        ratio = (
            f"{window}失败率 {100 * health.ratio:.1f}%（{health.failures}/{health.probes} 次，"
            f"{health.counted_days} 天达到每天{MIN_DAILY}次）"
        )
    else:
        ratio = f"{window}没有一天达到{MIN_DAILY}次探测，暂不判断"
    last = (
        f"最近一次失败 {health.last_failure.astimezone(BEIJING):%Y-%m-%d %H:%M}"
        f"（{health.last_error}）"
        if health.last_failure
        else "没有失败"
    )
    return f"{health.url}：{ratio}；{last}"
