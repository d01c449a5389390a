"""``govwatch schedule``: jobs in the database's job store, missed runs coalesced, a
restart that repeats nothing, scans that never overlap, a scan stopped at its
wall-clock limit or by the scheduler's own stop, the weekly report written, and
``govwatch status`` showing the next runs and probe health.

Scheduler tests run real APScheduler on the real clock with one-minute probe jobs whose
stored next run time the test moves into the past (a service that was down)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.events import EVENT_JOB_EXECUTED, JobExecutionEvent
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import func, select

from common.clock import BEIJING
from govwatch.config import load_config
from govwatch.scheduler import jobs
from govwatch.scheduler.service import JOBS_TABLE, ScheduleService, plan_jobs
from storage.db import open_database
from storage.models import Probe, Scan, ScheduledRun
from storage.scans import claim_scan
from tests.local_site import LocalSite

pytestmark = pytest.mark.integration


def _write(tmp_path: Path, site: LocalSite, schedule: str, name: str = "site.yaml") -> Path:
    path = tmp_path / name
    path.write_text(site.config_yaml() + "schedule:\n" + schedule, encoding="utf-8")
    return path


def _count(db_url: str, model) -> int:
    db = open_database(db_url, migrate=False)
    try:
        with db.session() as session:
            return session.scalar(select(func.count()).select_from(model)) or 0
    finally:
        db.dispose()


def _runs(db_url: str) -> list[ScheduledRun]:
    db = open_database(db_url, migrate=False)
    try:
        with db.session() as session:
            return list(session.scalars(select(ScheduledRun).order_by(ScheduledRun.id)))
    finally:
        db.dispose()


def _move_next_run(db_url: str, job_id: str, when: datetime) -> None:
    """What a service that was down leaves behind: a stored next run in the past
    (written to the job store directly: no scheduler thread that could run it)."""
    store = SQLAlchemyJobStore(url=db_url, tablename=JOBS_TABLE)
    store.start(BackgroundScheduler(timezone=BEIJING), "default")
    job = store.lookup_job(job_id)
    job._modify(next_run_time=when)
    store.update_job(job)
    store.shutdown()


def _wait(predicate, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.fixture
def site():
    with LocalSite(pages=5) as served:
        yield served


def test_jobs_have_stable_ids_and_the_cron_of_the_config(tmp_path, site, sqlite_url):
    path = _write(
        tmp_path,
        site,
        '  scan: "0 2 * * *"\n  probe_every_minutes: 10\n  weekly_report: "0 8 * * mon"\n',
    )
    plans = {p.id: p for p in plan_jobs([load_config(path)], sqlite_url)}
    assert set(plans) == {"scan:local", "probe:local", "weekly:local"}
    assert plans["scan:local"].args == (str(path.resolve()), sqlite_url, "local")
    assert str(plans["scan:local"].trigger.timezone) == "Asia/Shanghai"
    assert plans["probe:local"].misfire_grace_s == 600  # a probe is not made up later
    assert plans["scan:local"].misfire_grace_s == 3600


def test_a_missed_run_is_coalesced_and_a_restart_repeats_nothing(tmp_path, site, db_url):
    open_database(db_url).dispose()
    loaded = load_config(_write(tmp_path, site, "  probe_every_minutes: 1\n"))
    first = ScheduleService([loaded], db_url)
    first.start()
    job = first.scheduler.get_job("probe:local")
    assert (job.coalesce, job.max_instances) == (True, 1)
    first.stop()
    assert _count(db_url, Probe) == 0  # not due yet

    # down for ten minutes: ten runs missed, all within the grace time of the last
    _move_next_run(db_url, "probe:local", datetime.now(BEIJING) - timedelta(minutes=10))
    (missed,) = [
        line for line in _lines_at_start(ScheduleService([loaded], db_url)) if "probe:local" in line
    ]
    assert "停机期间错过" in missed
    second = ScheduleService([loaded], db_url)
    second.start()
    try:
        _wait(lambda: _count(db_url, Probe) >= 1)
        time.sleep(1.5)
        assert _count(db_url, Probe) == 1  # one run for the ten missed
        after = second.scheduler.get_job("probe:local").next_run_time
        assert after > datetime.now(BEIJING)
    finally:
        second.stop()

    third = ScheduleService([loaded], db_url)
    third.start()
    try:
        time.sleep(2)
        assert _count(db_url, Probe) == 1  # the restart ran nothing again
        assert third.scheduler.get_job("probe:local").next_run_time == after  # nor lost it
    finally:
        third.stop()


def test_a_run_due_while_the_service_stops_is_not_lost(tmp_path, site, sqlite_url):
    open_database(sqlite_url).dispose()
    loaded = load_config(_write(tmp_path, site, "  probe_every_minutes: 1\n"))
    service = ScheduleService([loaded], sqlite_url)
    service.start()
    service.scheduler.pause()
    due = datetime.now(BEIJING) - timedelta(seconds=5)
    service.scheduler.modify_job("probe:local", next_run_time=due)
    service.stop()  # the job is due as the scheduler shuts down
    store = SQLAlchemyJobStore(url=sqlite_url, tablename=JOBS_TABLE)
    store.start(BackgroundScheduler(timezone=BEIJING), "default")
    try:
        assert store.lookup_job("probe:local").next_run_time == due  # still owed
    finally:
        store.shutdown()
    assert _count(sqlite_url, Probe) == 0


def test_runs_left_running_by_a_killed_scheduler_are_closed(tmp_path, site, sqlite_url):
    db = open_database(sqlite_url)
    with db.session() as session:
        session.add(
            ScheduledRun(
                job_id="scan:local",
                site_id="local",
                kind="scan",
                status="running",
                started_at=datetime.now(BEIJING),
                log_tail="",
                detail="",
            )
        )
    db.dispose()
    service = ScheduleService(
        [load_config(_write(tmp_path, site, '  scan: "0 2 * * *"\n'))], sqlite_url
    )
    service.start()
    service.stop()
    (run,) = _runs(sqlite_url)
    assert run.status == "interrupted" and "意外退出" in run.detail


def test_a_scan_missed_beyond_its_grace_time_is_skipped(tmp_path, site, sqlite_url):
    open_database(sqlite_url).dispose()
    # a daily scan whose slot was three hours ago, so that no slot is within the hour of
    # grace whatever the time of day (a fixed 02:00 ran between 02:00 and 03:00)
    slot = (datetime.now(BEIJING) - timedelta(hours=3)).replace(second=0, microsecond=0)
    loaded = load_config(_write(tmp_path, site, f'  scan: "{slot.minute} {slot.hour} * * *"\n'))
    first = ScheduleService([loaded], sqlite_url)
    first.start()
    first.stop()
    # down from before that slot until now: past the hour of grace
    _move_next_run(sqlite_url, "scan:local", slot)
    again = ScheduleService([loaded], sqlite_url)
    again.start()
    try:
        time.sleep(2)
        next_run = again.scheduler.get_job("scan:local").next_run_time
    finally:
        again.stop()
    assert _runs(sqlite_url) == []
    assert next_run > datetime.now(BEIJING)
    assert (next_run.hour, next_run.minute) == (slot.hour, slot.minute)


def _lines_at_start(service: ScheduleService) -> list[str]:
    """What a service will say at start about its stored jobs (read before it starts)."""
    service.scheduler.start(paused=True)
    try:
        return service.next_runs_text()
    finally:
        service.scheduler.shutdown(wait=False)


def _slow_scan_env(monkeypatch, seconds: float) -> None:
    # test-only hook (common/test_hooks.py): the scan sleeps before each site detector
    monkeypatch.setenv("GOVWATCH_TEST_SLOW_SITE", str(seconds))


def test_two_scans_of_a_site_never_overlap(tmp_path, site, sqlite_url, monkeypatch):
    path = str(_write(tmp_path, site, '  scan: "0 2 * * *"\n'))
    open_database(sqlite_url).dispose()
    _slow_scan_env(monkeypatch, 0.6)
    first = threading.Thread(target=jobs.scan_job, args=(path, sqlite_url, "local"))
    first.start()

    def running() -> bool:
        return any(r.status == "running" for r in _scans(sqlite_url))

    _wait(running, 60)
    jobs.scan_job(path, sqlite_url, "local")  # the same site, while the first runs
    first.join(120)
    runs = _runs(sqlite_url)
    assert sorted(r.status for r in runs) == ["completed", "skipped"]
    skipped = next(r for r in runs if r.status == "skipped")
    assert skipped.scan_id is None and "正在扫描中" in skipped.log_tail
    assert [s.status for s in _scans(sqlite_url)] == ["completed"]


def _scans(db_url: str) -> list[Scan]:
    db = open_database(db_url, migrate=False)
    try:
        with db.session() as session:
            return list(session.scalars(select(Scan).order_by(Scan.id)))
    finally:
        db.dispose()


def test_a_scan_held_by_another_process_is_not_started(tmp_path, site, db_url):
    """The claim is the scan's own (storage.scans.claim_scan), whoever started the
    other scan: here a live process that is not the scheduler's."""
    path = str(_write(tmp_path, site, '  scan: "0 2 * * *"\n'))
    db = open_database(db_url)
    with db.session() as session:
        held, _ = claim_scan(session, "local", "测试站点")  # this test process holds it
        held_id = held.id
    db.dispose()
    jobs.scan_job(path, db_url, "local")
    (run,) = _runs(db_url)
    assert run.status == "skipped"
    assert [s.id for s in _scans(db_url)] == [held_id]


def test_a_scan_over_its_wall_clock_limit_is_stopped_and_recorded(
    tmp_path, site, sqlite_url, monkeypatch
):
    # 0.002 h = 7.2 s; the site detectors alone take 3 s each
    path = str(_write(tmp_path, site, '  scan: "0 2 * * *"\n  scan_time_limit_hours: 0.002\n'))
    open_database(sqlite_url).dispose()
    _slow_scan_env(monkeypatch, 3)
    began = time.monotonic()
    jobs.scan_job(path, sqlite_url, "local")
    assert time.monotonic() - began < 7.2 + jobs.KILL_AFTER_S
    (run,) = _runs(sqlite_url)
    assert run.status == "timed_out"
    assert "超过运行时限" in run.detail and run.exit_code is not None
    assert run.log_tail  # the scan's own log, for the operator
    (scan,) = _scans(sqlite_url)
    assert run.scan_id == scan.id
    assert scan.status == "interrupted"
    assert "超过运行时限" in scan.error


def test_stopping_the_scheduler_interrupts_a_scan_after_the_grace_period(
    tmp_path, site, sqlite_url, monkeypatch
):
    path = str(_write(tmp_path, site, '  scan: "0 2 * * *"\n'))
    open_database(sqlite_url).dispose()
    _slow_scan_env(monkeypatch, 3)
    worker = threading.Thread(target=jobs.scan_job, args=(path, sqlite_url, "local"))
    worker.start()
    _wait(lambda: any(r.status == "running" for r in _scans(sqlite_url)), 60)
    jobs.STOPPING.set(1.0)
    try:
        worker.join(60)
    finally:
        jobs.STOPPING.clear()
    (run,) = _runs(sqlite_url)
    assert run.status == "interrupted"
    (scan,) = _scans(sqlite_url)
    assert scan.status == "interrupted"


def test_sigterm_stops_the_service_and_status_shows_next_runs_and_probes(
    tmp_path, site, sqlite_url
):
    path = _write(tmp_path, site, '  scan: "0 2 * * *"\n  probe_every_minutes: 10\n')
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    service = subprocess.Popen(
        [sys.executable, "-m", "govwatch", "schedule", "--config", str(path), "--db", sqlite_url],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(service.stdout), daemon=True)
    reader.start()
    try:
        _wait(lambda: any("下次运行" in line for line in lines), 60)
    finally:
        service.terminate()
        code = service.wait(30)
    reader.join(5)
    text = "".join(lines)
    assert code == 0, text
    assert "scan:local" in text and "probe:local" in text
    assert "调度程序已停止" in text

    jobs.probe_job(str(path), sqlite_url, "local")  # one round now, as `govwatch probe` does
    status = subprocess.run(
        [sys.executable, "-m", "govwatch", "status", "--db", sqlite_url, "--config", str(path)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert status.returncode == 0, status.stderr
    assert "扫描（scan:local）下次运行：" in status.stdout
    assert "02:00:00" in status.stdout
    assert f"可用性探测 {site.url}：近7天没有一天达到20次探测" in status.stdout
    assert "通知渠道：未配置" in status.stdout


@pytest.mark.usefixtures("site")
def test_the_weekly_job_writes_the_report_to_the_configured_folder(tmp_path, site, sqlite_url):
    path = _write(tmp_path, site, '  weekly_report: "0 8 * * mon"\n  weekly_report_dir: 周报\n')
    scan = subprocess.run(
        [sys.executable, "-m", "govwatch", "scan", "--config", str(path), "--db", sqlite_url],
        capture_output=True,
        text=True,
    )
    assert scan.returncode == 0, scan.stderr
    jobs.weekly_job(str(path), sqlite_url, "local")
    (run,) = _runs(sqlite_url)
    assert run.status == "completed", run.detail
    written = tmp_path / "周报" / "周报-local-20241125.html"
    assert run.detail == str(written)
    html = written.read_text(encoding="utf-8")
    assert "站点无法访问" in html and "没有一天的可用性探测达到20次" in html


def test_a_finished_runs_listener_never_waits_for_the_job_store(
    tmp_path, site, sqlite_url, monkeypatch, caplog
):
    """APScheduler's shutdown holds the job store's lock while it joins the executor's
    threads, and a finished run's listener runs on one of them: a listener that asked the
    store for its job waited for ever when the service stopped just then (make test hung
    on it). The listener says the next run from the planned trigger."""
    open_database(sqlite_url).dispose()
    loaded = load_config(_write(tmp_path, site, '  scan: "0 2 * * *"\n'))
    service = ScheduleService([loaded], sqlite_url)
    service.start()
    asked: list[str] = []
    monkeypatch.setattr(service.scheduler, "get_job", lambda job_id, *_, **__: asked.append(job_id))
    finished = threading.Event()
    service.scheduler.add_listener(lambda _event: finished.set(), EVENT_JOB_EXECUTED)
    try:
        with caplog.at_level(logging.INFO, logger="govwatch.scheduler.service"):
            service._after_run(JobExecutionEvent(EVENT_JOB_EXECUTED, "scan:local", "default", None))
        # a run finishing while the service stops
        service.scheduler.add_job("time:sleep", args=(0.2,), id="probe:quick", name="probe:quick")
        time.sleep(0.1)
    finally:
        stopping = threading.Thread(target=service.stop, daemon=True)
        stopping.start()
        stopping.join(20)
    assert not stopping.is_alive(), "stop() hung"
    assert finished.is_set()
    assert asked == []
    (line,) = [r.getMessage() for r in caplog.records if "下次运行" in r.getMessage()]
    assert "扫描（scan:local）下次运行：" in line and " 02:00:00" in line
