"""What the scheduler runs: a scan (in a fresh subprocess, with a wall-clock limit), a
round of availability probes, the weekly report, and the delivery of pending alerts.

The job store keeps each job as a reference to one of these functions and its
arguments (the config file, the database URL, the site id); each run reads the config
afresh. A run records itself in ``scheduled_runs``; what goes wrong is logged and
recorded, and never raised into the scheduler.

A scan runs as ``python -m govwatch scan --config … --site …``: one scan per process
(Twisted's reactor cannot restart), and the scan's own claim on its site
(``storage.scans.claim_scan``) refuses a second scan of a site whose scan is still
running, whichever process started it.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import func, select

from common.clock import today
from common.units import UnitResolver
from common.urls import url_key
from detectors.registry import all_detectors, detector_class, detectors_for
from detectors.veto_groups import SITE_UNREACHABLE
from govwatch.config import LoadedConfig, load_config
from govwatch.scheduler.alerts import Alerter
from govwatch.scheduler.probe import probe_site
from storage.db import Database, open_database
from storage.models import Finding, Scan, ScheduledRun
from storage.probes import probe_days

logger = logging.getLogger(__name__)

LOG_TAIL_CHARS = 4000
# New veto findings of one scan up to this many alert one by one; more make one message
# (the first scan of a site can find dozens).
ONE_BY_ONE = 3
KILL_AFTER_S = 30.0  # a scan asked to stop that is still there this long after is killed


class Stopping:
    """Set when the scheduler is asked to stop: running scans then have until
    ``deadline`` (monotonic) to finish before they are interrupted."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self.deadline = 0.0

    def set(self, grace_s: float) -> None:
        self.deadline = time.monotonic() + grace_s
        self.event.set()

    def clear(self) -> None:
        self.event.clear()

    def overdue(self) -> bool:
        return self.event.is_set() and time.monotonic() >= self.deadline


STOPPING = Stopping()


def _context(config_path: str, db_url: str) -> tuple[LoadedConfig, Database]:
    return load_config(config_path), open_database(db_url, migrate=False)


def _start_run(db: Database, job_id: str, site_id: str, kind: str) -> int:
    from common.clock import now

    with db.session() as session:
        run = ScheduledRun(
            job_id=job_id,
            site_id=site_id,
            kind=kind,
            status="running",
            started_at=now(),
            log_tail="",
            detail="",
        )
        session.add(run)
        session.flush()
        return run.id


def _finish_run(db: Database, run_id: int, status: str, **values) -> None:
    from common.clock import now

    with db.session() as session:
        run = session.get(ScheduledRun, run_id)
        assert run is not None
        run.status, run.finished_at = status, now()
        for name, value in values.items():
            setattr(run, name, value)


@dataclass
class ScanRun:
    """How a scan subprocess ended."""

    status: str  # completed | failed | timed_out | interrupted | skipped
    exit_code: int | None
    log_tail: str
    scan_id: int | None


def _stop(child: subprocess.Popen) -> int:
    """Ask the scan to stop (it records itself as interrupted), then kill it."""
    with contextlib.suppress(OSError):
        child.send_signal(signal.SIGTERM)
    try:
        return child.wait(timeout=KILL_AFTER_S)
    except subprocess.TimeoutExpired:
        child.kill()
        return child.wait()


def run_scan_process(
    config_path: str, db_url: str, site_id: str, limit_s: float, poll_s: float = 0.5
) -> tuple[str, int, str]:
    """Run one scan subprocess: (how it ended, exit code, the tail of its log)."""
    args = [sys.executable, "-m", "govwatch", "-v", "scan", "--config", config_path]
    args += ["--db", db_url, "--site", site_id]
    with tempfile.TemporaryFile() as log:
        # Its own session: a terminal's Ctrl-C or a signal to the scheduler's process
        # group reaches the scheduler, which decides when the scan stops.
        child = subprocess.Popen(
            args,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        started = time.monotonic()
        ending = "exited"
        while True:
            try:
                code = child.wait(timeout=poll_s)
                break
            except subprocess.TimeoutExpired:
                pass
            if time.monotonic() - started >= limit_s:
                ending, code = "timed_out", _stop(child)
                break
            if STOPPING.overdue():
                ending, code = "interrupted", _stop(child)
                break
        log.seek(0, 2)
        size = log.tell()
        log.seek(max(0, size - 4 * LOG_TAIL_CHARS))
        tail = log.read().decode("utf-8", "replace")[-LOG_TAIL_CHARS:]
    return ending, code, tail


def scan_job(config_path: str, db_url: str, site_id: str) -> None:
    """The scheduled scan of one site."""
    try:
        loaded, db = _context(config_path, db_url)
    except Exception as error:
        logger.error("scan of %s not started: %s", site_id, error)
        return
    try:
        _scan(loaded, db, config_path, site_id)
    except Exception:
        logger.exception("scheduled scan of %s failed", site_id)
    finally:
        db.dispose()


def _scan(loaded: LoadedConfig, db: Database, config_path: str, site_id: str) -> None:
    schedule = loaded.config.schedule
    limit_s = schedule.scan_time_limit_hours * 3600
    with db.session() as session:
        before = session.scalar(select(func.max(Scan.id))) or 0
    run_id = _start_run(db, f"scan:{site_id}", site_id, "scan")
    logger.info("扫描 %s 开始（时限 %g 小时）", site_id, schedule.scan_time_limit_hours)
    ending, code, tail = run_scan_process(config_path, db.url, site_id, limit_s)
    with db.session() as session:
        scan = session.scalars(
            select(Scan).where(Scan.site_id == site_id, Scan.id > before).order_by(Scan.id)
        ).first()
        scan_id = scan.id if scan is not None else None
        if ending == "timed_out":
            status = "timed_out"
            detail = f"超过运行时限（{schedule.scan_time_limit_hours:g} 小时），已停止"
        elif ending == "interrupted":
            status, detail = "interrupted", "调度程序停止，扫描未在宽限时间内结束，已中断"
        elif code == 0:
            status, detail = "completed", ""
        elif scan is None and "正在扫描中" in tail:
            status, detail = "skipped", "同一站点的上一次扫描仍在进行，本次未启动"
        else:
            status, detail = "failed", f"扫描进程退出码 {code}"
        if scan is not None and status in ("timed_out", "interrupted"):
            if scan.status == "running":  # killed before it could record itself
                scan.status = "interrupted"
            scan.error = detail if not scan.error else f"{detail}；{scan.error}"
    _finish_run(db, run_id, status, exit_code=code, log_tail=tail, detail=detail, scan_id=scan_id)
    logger.info("扫描 %s 结束：%s（退出码 %s）", site_id, status, code)
    alerter = Alerter(loaded.config, db)
    if status in ("failed", "timed_out"):
        last = tail.strip().splitlines()[-1:] or [""]
        alerter.raise_alert(
            "scan_failed",
            f"scan_failed:{run_id}",
            f"【{loaded.config.site.name}】定时扫描失败：{detail}。{last[0][:200]}",
        )
    if status == "completed" and scan_id is not None:
        alert_after_scan(loaded, db, alerter, scan_id)


def alert_after_scan(loaded: LoadedConfig, db: Database, alerter: Alerter, scan_id: int) -> None:
    """Alerts on what a completed scan found: new veto-level findings, and a scan that
    read nothing where the previous one read many pages."""
    config = loaded.config
    site = config.site
    with db.session() as session:
        scan = session.get(Scan, scan_id)
        assert scan is not None
        previous = session.scalars(
            select(Scan)
            .where(Scan.site_id == site.id, Scan.status == "completed", Scan.id < scan_id)
            .order_by(Scan.id.desc())
        ).first()
        if (
            scan.pages_crawled == 0
            and previous is not None
            and previous.pages_crawled >= config.alerts.empty_scan_after_pages
        ):
            alerter.raise_alert(
                "scan_empty",
                f"scan_empty:{scan_id}",
                f"【{site.name}】扫描 #{scan_id} 没有抓取到任何页面，上一次扫描抓取了 "
                f"{previous.pages_crawled} 个页面。请检查网站是否可以访问、是否拦截了监测程序。",
            )
        new_veto = session.scalars(
            select(Finding)
            .where(
                Finding.site_id == site.id,
                Finding.first_scan_id == scan_id,
                Finding.severity == "veto",
            )
            .order_by(Finding.id)
        ).all()
        items = [
            (f.id, f.fingerprint, f.detector, f.unit, f.page_url, f.message)
            for f in new_veto
            # availability alerts come from the probes, as the line is crossed
            if getattr(detector_class(f.detector), "veto_group", None) != SITE_UNREACHABLE
        ]
    if len(items) > ONE_BY_ONE:
        counts = Counter((_title(detector), unit) for _, _, detector, unit, _, _ in items)
        lines = "\n".join(f"{title}：{unit} {n} 个" for (title, unit), n in sorted(counts.items()))
        base = config.alerts.review_url
        query = urlencode({"site": site.id, "scan": scan_id, "severity": "veto"})
        link = f"{base.rstrip('/')}/findings?{query}" if base else ""
        alerter.raise_alert(
            "veto",
            f"veto-scan:{scan_id}",
            f"【{site.name}】扫描 #{scan_id} 新发现单项否决问题 {len(items)} 个\n{lines}\n{link}",
            covers=[f"veto:{fingerprint}" for _, fingerprint, *_ in items],
        )
        return
    for finding_id, fingerprint, detector, unit, page_url, message in items:
        link = alerter.review_link(finding_id) or page_url
        alerter.raise_alert(
            "veto",
            f"veto:{fingerprint}",
            f"【{site.name}】发现单项否决问题：{_title(detector)}\n责任单位：{unit}\n"
            f"{message[:300]}\n{link}",
        )


def _title(detector_id: str) -> str:
    cls = detector_class(detector_id)
    return cls.title if cls is not None else detector_id


def probe_job(config_path: str, db_url: str, site_id: str) -> None:
    """One round of availability probes of a site, and the unreachable alerts."""
    try:
        loaded, db = _context(config_path, db_url)
    except Exception as error:
        logger.error("probes of %s not run: %s", site_id, error)
        return
    try:
        probe_site(loaded.config, db)
        alert_unreachable(loaded, db)
    except Exception:
        logger.exception("probe round of %s failed", site_id)
    finally:
        db.dispose()


class _ProbeSubject:
    def __init__(self, db: Database, site_id: str):
        self.db, self.site_id = db, site_id

    def probe_days(self, since):
        with self.db.session() as session:
            return probe_days(session, self.site_id, since)


def alert_unreachable(loaded: LoadedConfig, db: Database) -> None:
    """Alert when a probed page crosses the unreachable warning or veto line (once per
    line crossed; a page back under the warning line alerts again when it crosses)."""
    config = loaded.config
    site = config.site
    alerter = Alerter(config, db)
    units = UnitResolver(config)
    found = {}
    feeding = [cls.id for cls in all_detectors() if cls.veto_group == SITE_UNREACHABLE]
    for detector in detectors_for(config, "site", feeding):
        for finding in detector.check(_ProbeSubject(db, site.id)):
            found[url_key(finding.page_url)] = finding
    from govwatch.scheduler.probe import probe_urls

    for url in probe_urls(config):
        key = url_key(url)
        finding = found.get(key)
        if finding is None:
            alerter.rearm(f"unreachable:{key}:")
            continue
        line = "veto" if finding.severity == "veto" else "warning"
        words = "已达到单项否决线" if line == "veto" else "已达到预警线"
        alerter.raise_alert(
            "unreachable",
            f"unreachable:{key}:{line}",
            f"【{site.name}】站点无法访问{words}\n页面：{url}\n责任单位：{units.unit_for(url)}\n"
            f"{finding.message}",
        )


def weekly_job(config_path: str, db_url: str, site_id: str) -> None:
    """The weekly report of a site, written to ``schedule.weekly_report_dir``."""
    try:
        loaded, db = _context(config_path, db_url)
    except Exception as error:
        logger.error("weekly report of %s not made: %s", site_id, error)
        return
    run_id = None
    try:
        run_id = _start_run(db, f"weekly:{site_id}", site_id, "weekly")
        path = write_weekly_file(loaded, db)
        _finish_run(db, run_id, "completed", detail=str(path))
        logger.info("周报已生成：%s", path)
    except Exception as error:
        logger.exception("weekly report of %s failed", site_id)
        if run_id is not None:
            _finish_run(db, run_id, "failed", detail=str(error)[:2000])
    finally:
        db.dispose()


def write_weekly_file(loaded: LoadedConfig, db: Database) -> Path:
    from reports.report_data import load_report_inputs
    from reports.weekly_files import write_weekly

    config = loaded.config
    schedule = config.schedule
    folder = Path(schedule.weekly_report_dir)
    if not folder.is_absolute():  # relative to the config file, wherever the service runs
        folder = loaded.path.parent / folder
    folder.mkdir(parents=True, exist_ok=True)
    day = today()
    path = folder / f"周报-{config.site.id}-{day:%Y%m%d}.{schedule.weekly_report_format}"
    with db.session() as session:
        inputs = load_report_inputs(session, config.site.id, config)
        write_weekly(session, inputs, path, day)
    return path


def deliver_alerts_job(config_path: str, db_url: str, site_id: str) -> None:
    """Retry the alerts still pending (failed channels, quiet hours over)."""
    try:
        loaded, db = _context(config_path, db_url)
    except Exception as error:
        logger.error("alerts of %s not delivered: %s", site_id, error)
        return
    try:
        Alerter(loaded.config, db).deliver_pending()
    finally:
        db.dispose()
