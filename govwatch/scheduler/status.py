"""What ``govwatch status`` says about the scheduler: each site's next runs (read from
the job store the scheduler keeps in the database) and the health of its probes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import MetaData, Table, inspect, select
from sqlalchemy.orm import Session

from common.clock import today
from detectors.probe_health import WINDOW_DAYS, health_line, probe_health
from govwatch.scheduler.service import JOBS_TABLE, describe_next
from storage.probes import probe_days


def next_runs(session: Session) -> dict[str, list[str]]:
    """Per site, one line per scheduled job with its next run time."""
    bind = session.get_bind()
    if not inspect(bind).has_table(JOBS_TABLE):
        return {}
    jobs = Table(JOBS_TABLE, MetaData(), autoload_with=bind)
    lines: dict[str, list[str]] = {}
    for job_id, next_at in session.execute(
        select(jobs.c.id, jobs.c.next_run_time).order_by(jobs.c.id)
    ):
        site = job_id.partition(":")[2]
        moment = datetime.fromtimestamp(next_at, UTC) if next_at is not None else None
        lines.setdefault(site, []).append(describe_next(job_id, moment))
    return lines


def probe_lines(session: Session, site_id: str) -> list[str]:
    """Per probed URL: the 7-day failure ratio and the last failure."""
    day = today()
    health = probe_health(probe_days(session, site_id, day - timedelta(days=WINDOW_DAYS - 1)), day)
    if not health:
        return ["可用性探测：暂无数据"]
    return [f"可用性探测 {health_line(h)}" for _, h in sorted(health.items())]
