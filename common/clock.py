"""Today, for every date judgement (stale columns, silent accounts, deadlines).

Dates on Chinese government sites are Beijing dates, so today is the date in
Asia/Shanghai, whatever the server's zone. ``GOVWATCH_TODAY=YYYY-MM-DD`` pins it:
tests and the demo (whose sample portal is dated 2024) set it so that results never
depend on the day they run.

One clock: :func:`now` is the moment govwatch stamps what it writes (scans and their
heartbeats, findings first and last seen, their status history, fetched pages and
posts). Pinned, it is the pinned day at the current time of day, so a finding judged
against a 2024 deadline is first seen in 2024 too, the weekly report's weeks hold the
events of the day it is pinned to, and times within a run still move on (a heartbeat
ten minutes old is ten minutes old). Only a run across midnight sees the pinned clock
step back a day, which nothing pinned — tests, the demo — does.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")
ENV = "GOVWATCH_TODAY"


class ClockError(ValueError):
    """``GOVWATCH_TODAY`` is not a date."""


def _pinned() -> date | None:
    pinned = os.environ.get(ENV, "").strip()
    if not pinned:
        return None
    try:
        return date.fromisoformat(pinned)
    except ValueError:
        raise ClockError(f"环境变量 {ENV} 应为日期（YYYY-MM-DD），现为“{pinned}”") from None


def today() -> date:
    pinned = _pinned()
    return pinned if pinned is not None else datetime.now(BEIJING).date()


def now() -> datetime:
    """The moment to stamp (UTC, aware): today at the current Beijing time of day."""
    real = datetime.now(BEIJING)
    pinned = _pinned()
    if pinned is None:
        return real.astimezone(UTC)
    return datetime.combine(pinned, real.timetz()).astimezone(UTC)
