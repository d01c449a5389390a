"""Today, for every date judgement (stale columns, silent accounts, deadlines).

Dates on Chinese government sites are Beijing dates, so today is the date in
Asia/Shanghai, whatever the server's zone. ``GOVWATCH_TODAY=YYYY-MM-DD`` pins it:
tests and the demo (whose sample portal is dated 2024) set it so that results never
depend on the day they run. Timestamps of scans and findings stay real.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")
ENV = "GOVWATCH_TODAY"


class ClockError(ValueError):
    """``GOVWATCH_TODAY`` is not a date."""


def today() -> date:
    pinned = os.environ.get(ENV, "").strip()
    if pinned:
        try:
            return date.fromisoformat(pinned)
        except ValueError:
            raise ClockError(f"环境变量 {ENV} 应为日期（YYYY-MM-DD），现为“{pinned}”") from None
    return datetime.now(BEIJING).date()
