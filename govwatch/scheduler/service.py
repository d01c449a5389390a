"""``govwatch schedule``: one process that runs every configured site's scans, probe
rounds and weekly reports on time (APScheduler 3, Asia/Shanghai).

Jobs have stable ids (``scan:<site>``, ``probe:<site>``, ``weekly:<site>``,
``alerts:<site>``) and live in the same database (APScheduler's SQLAlchemy job store,
table ``apscheduler_jobs``), so a restart neither loses nor repeats a run: a job whose
trigger did not change keeps its stored next run time; a run missed while the service
was down starts once at start-up (``coalesce``: several missed runs are one) when it
is at most ``schedule.misfire_grace_minutes`` late, and is skipped (logged) after
that. ``max_instances=1``: a job still running is not started again; and a scan claims
its site, so two scans of one site never overlap whoever started them.

SIGTERM (or SIGINT) stops it: no new run starts, a running scan has
``schedule.stop_grace_seconds`` to finish and is then interrupted (the scan records
itself as interrupted; its findings are untouched).
"""

from __future__ import annotations

import logging
import signal
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_MISSED
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_STOPPED
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import update

from common.clock import BEIJING, now
from govwatch.config import LoadedConfig
from govwatch.scheduler.jobs import STOPPING
from storage.db import open_database
from storage.models import ScheduledRun

logger = logging.getLogger(__name__)

JOBS_TABLE = "apscheduler_jobs"
ALERT_RETRY_MINUTES = 1
ORPHANED = "调度程序意外退出，未记录本次运行的结果"
KINDS = {"scan": "扫描", "probe": "可用性探测", "weekly": "周报", "alerts": "补发提醒"}


@dataclass(frozen=True)
class JobPlan:
    id: str
    func: str  # textual reference, as the job store keeps it
    trigger: Any
    args: tuple[str, str, str]
    misfire_grace_s: int


def plan_jobs(configs: list[LoadedConfig], db_url: str) -> list[JobPlan]:
    """The jobs the configs ask for."""
    plans = []
    for loaded in configs:
        config = loaded.config
        schedule, site_id = config.schedule, config.site.id
        args = (str(loaded.path.resolve()), db_url, site_id)
        grace = schedule.misfire_grace_minutes * 60
        wanted: list[tuple[str, str, Any, int]] = []
        if schedule.scan:
            cron = CronTrigger.from_crontab(schedule.scan, timezone=BEIJING)
            wanted.append(("scan", "scan_job", cron, grace))
        if schedule.probe_every_minutes:
            minutes = schedule.probe_every_minutes
            every = IntervalTrigger(minutes=minutes, timezone=BEIJING)
            # a probe missed by more than its interval is not worth making up
            wanted.append(("probe", "probe_job", every, min(grace, minutes * 60)))
        if schedule.weekly_report:
            cron = CronTrigger.from_crontab(schedule.weekly_report, timezone=BEIJING)
            wanted.append(("weekly", "weekly_job", cron, grace))
        if config.alerts.channels:
            every = IntervalTrigger(minutes=ALERT_RETRY_MINUTES, timezone=BEIJING)
            wanted.append(("alerts", "deliver_alerts_job", every, 60))
        plans.extend(
            JobPlan(f"{kind}:{site_id}", f"govwatch.scheduler.jobs:{func}", trigger, args, late)
            for kind, func, trigger, late in wanted
        )
    return plans


def _same(job: Any, plan: JobPlan) -> bool:
    return (
        job.func_ref == plan.func
        and tuple(job.args) == plan.args
        and str(job.trigger) == str(plan.trigger)
        and job.misfire_grace_time == plan.misfire_grace_s
    )


def describe_next(job_id: str, moment: datetime | None) -> str:
    kind, _, site = job_id.partition(":")
    when = f"{moment.astimezone(BEIJING):%Y-%m-%d %H:%M:%S}" if moment else "不再运行"
    return f"{site} {KINDS.get(kind, kind)}（{job_id}）下次运行：{when}"


class _Scheduler(BackgroundScheduler):
    """APScheduler's background scheduler, except that once shut down it looks at its
    jobs no more: APScheduler 3 wakes its loop one last time after ``shutdown``, and a
    job due then could not start (its executor is gone) yet had its next run time moved
    on, a run lost for the restart."""

    def _process_jobs(self) -> float | None:
        if self.state == STATE_STOPPED:
            return None
        return super()._process_jobs()


class ScheduleService:
    def __init__(self, configs: list[LoadedConfig], db_url: str):
        self.configs = configs
        self.db_url = db_url
        self.grace_s = max((c.config.schedule.stop_grace_seconds for c in configs), default=0)
        workers = max(4, 4 * len(configs))
        self.scheduler = _Scheduler(
            jobstores={"default": SQLAlchemyJobStore(url=db_url, tablename=JOBS_TABLE)},
            executors={"default": ThreadPoolExecutor(workers)},
            job_defaults={"coalesce": True, "max_instances": 1},
            timezone=BEIJING,
        )
        self.scheduler.add_listener(
            self._after_run, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED
        )
        # The triggers of the planned jobs, for the listener's "next run" line. It must
        # not read the job store: APScheduler's shutdown holds the store's lock while it
        # joins the executor's threads, and a finished run's listener runs on one of them
        # (asking the store for the job then waited for ever).
        self._triggers: dict[str, Any] = {}

    def start(self) -> None:
        """Start with the configured jobs; stored jobs whose plan did not change keep
        their next run time (a run due while the service was down runs now, once)."""
        STOPPING.clear()
        self._close_orphaned_runs()
        self.scheduler.start(paused=True)
        plans = plan_jobs(self.configs, self.db_url)
        self._triggers = {plan.id: plan.trigger for plan in plans}
        wanted = {p.id for p in plans}
        for job in self.scheduler.get_jobs():
            if job.id not in wanted:
                logger.info("删除配置中已没有的任务 %s", job.id)
                job.remove()
        for plan in plans:
            job = self.scheduler.get_job(plan.id)
            if job is not None and _same(job, plan):
                continue
            self.scheduler.add_job(
                plan.func,
                plan.trigger,
                args=plan.args,
                id=plan.id,
                name=plan.id,
                replace_existing=True,
                misfire_grace_time=plan.misfire_grace_s,
                coalesce=True,
                max_instances=1,
            )
        for line in self.next_runs_text():
            logger.info(line)
        self.scheduler.resume()

    def _close_orphaned_runs(self) -> None:
        """Runs a previous scheduler left ``running`` (it was killed) are over: one
        scheduler per database, so nothing runs them now. A scan it started may still be
        running on its own, under its claim; it records itself."""
        db = open_database(self.db_url, migrate=False)
        try:
            with db.session() as session:
                closed = session.execute(
                    update(ScheduledRun)
                    .where(ScheduledRun.status == "running")
                    .values(status="interrupted", finished_at=now(), detail=ORPHANED)
                ).rowcount
        finally:
            db.dispose()
        if closed:
            logger.warning("上次调度程序意外退出，%d 个运行记录标记为中断", closed)

    def next_runs_text(self) -> list[str]:
        jobs = sorted(self.scheduler.get_jobs(), key=lambda j: j.id)
        moment = datetime.now(BEIJING)
        return [
            describe_next(job.id, job.next_run_time)
            + (
                "（停机期间错过：未超过宽限时间的现在补做一次，超过的跳过）"
                if job.next_run_time is not None and job.next_run_time <= moment
                else ""
            )
            for job in jobs
        ]

    def _after_run(self, event: Any) -> None:
        if event.code == EVENT_JOB_MISSED:
            logger.warning(
                "任务 %s 错过了 %s 的运行（超过宽限时间，已跳过）",
                event.job_id,
                event.scheduled_run_time,
            )
        trigger = self._triggers.get(event.job_id)
        if trigger is not None and not event.job_id.startswith("alerts:"):
            moment = datetime.now(BEIJING)
            logger.info(describe_next(event.job_id, trigger.get_next_fire_time(None, moment)))

    def stop(self) -> None:
        """No new run; running scans get the grace period, then are interrupted."""
        logger.warning("正在停止：运行中的扫描最多再等 %s 秒", self.grace_s)
        STOPPING.set(self.grace_s)
        try:
            self.scheduler.shutdown(wait=True)
        finally:
            STOPPING.clear()  # every job has returned

    def run_until_signalled(self) -> None:
        """Run until SIGTERM or SIGINT (the command's main loop)."""
        request = threading.Event()

        def handler(signum: int, _frame: Any) -> None:
            logger.info("收到 %s", signal.Signals(signum).name)
            request.set()

        previous = {s: signal.signal(s, handler) for s in (signal.SIGTERM, signal.SIGINT)}
        try:
            self.start()
            while not request.wait(1.0):
                pass
            self.stop()
        finally:
            for signum, old in previous.items():
                signal.signal(signum, old)
