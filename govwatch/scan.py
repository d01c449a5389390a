"""One scan of one site, start to finish, in this process.

claim the site (one scan of a site at a time) → crawl (Scrapy, streaming
pages/links/URL results into the database) → site detectors on what the scan stored
→ observations → lifecycle merge, the last two in one transaction. Twisted's reactor
cannot restart, so a process runs one scan; :func:`run_scan_subprocess` is how to run
several.

SIGINT and SIGTERM stop a scan within seconds in every phase, and it is recorded as
``interrupted`` (:class:`_Signals`); a second signal ends the process at once. A
thread keeps the scan's heartbeat fresh throughout (:class:`storage.scans.Heartbeat`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from common.clock import now
from common.test_hooks import slow_phase
from common.units import UnitResolver
from common.urls import url_key
from crawler import interrupt
from crawler.fetch_policy import FetchPolicy
from crawler.pipelines import DETECTOR_FAILURES
from crawler.spiders.portal import DEEP_PAGE_URLS, DEEP_PAGES, PAGES_BEYOND_LIMIT, TOO_LARGE
from detectors.registry import detectors_for
from detectors.runner import FindingCollector, run_detectors
from govwatch.config import LoadedConfig
from storage.db import Database, DatabaseError, describe_error, sqlite_path
from storage.lifecycle import (
    LifecycleSummary,
    deadline_days,
    merge_observations,
    observation_row,
)
from storage.models import Observation, Scan
from storage.new_media import FeedState
from storage.retention import prune_old_scans
from storage.scans import (
    Heartbeat,
    ScanBusy,
    ScanLost,
    assert_claim,
    claim_scan,
)
from storage.snapshot import ScanSnapshot
from storage.template_findings import merge_template_findings

logger = logging.getLogger(__name__)


class ScanFailed(Exception):
    """The scan could not complete; the message is for the operator."""


class ScanInterrupted(BaseException):
    """SIGINT/SIGTERM outside the crawl: unwinds the scan as KeyboardInterrupt would
    (transactions roll back); the scan is then recorded as interrupted."""

    def __init__(self, signame: str):
        super().__init__(signame)
        self.signame = signame


def signal_exit_code(signame: str | None) -> int:
    """The exit code of a scan stopped by ``signame``: 128 + its number, as a shell
    expects of a process a signal ended (130 for SIGINT, 143 for SIGTERM); else 1."""
    try:
        return 128 + signal.Signals[signame or ""].value
    except KeyError:
        return 1


CRAWL_GRACE_S = 3.0  # after a stop signal, downloads in flight get this long to finish


def _stop_reactor() -> None:
    from twisted.internet import reactor

    with contextlib.suppress(RuntimeError):  # already stopped, or stopping
        reactor.stop()


class _Signals:
    """SIGINT and SIGTERM while a scan runs.

    The first stops the scan within seconds, whatever it is doing, and the scan is
    recorded as interrupted: during the crawl (``mode`` ``crawl``) the detection worker
    is killed at once (:mod:`crawler.interrupt`) and the engine closes (within
    ``CRAWL_GRACE_S``), even while the reactor waits for the worker; in any other
    phase (``raise``) the scan unwinds with :class:`ScanInterrupted`; once the
    judgement commits (``defer``) the scan is complete and the signal is only noted.
    A second signal ends the process at once (after trying for two seconds to record
    the scan as interrupted)."""

    def __init__(self, db: Database, scan_id: int):
        self.db = db
        self.scan_id = scan_id
        self.received: str | None = None
        self.mode = "raise"
        self.stop_crawl: Callable[[], Any] | None = None
        self._old: dict[int, Any] = {}

    def __enter__(self) -> _Signals:
        for signum in (signal.SIGINT, signal.SIGTERM):
            self._old[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, old in self._old.items():
            signal.signal(signum, old)

    def _handle(self, signum: int, _frame: Any) -> None:
        name = signal.Signals(signum).name
        if self.received is not None:
            self._exit_now(name)
        self.received = name
        interrupt.request_stop(name)
        if self.mode == "crawl" and self.stop_crawl is not None:
            from twisted.internet import reactor

            reactor.callFromThread(self._stop_crawl, self.stop_crawl)
        elif self.mode == "raise":
            raise ScanInterrupted(name)

    @staticmethod
    def _stop_crawl(stop: Callable[[], Any]) -> None:
        """In the reactor: close the crawl; downloads in flight may finish for
        ``CRAWL_GRACE_S``, then the reactor stops regardless (what the engine had not
        stored yet is lost: the scan is interrupted anyway)."""
        from twisted.internet import reactor

        stop()
        reactor.callLater(CRAWL_GRACE_S, _stop_reactor)

    def _exit_now(self, name: str) -> None:
        """The second signal: record the scan as interrupted if the database answers
        within two seconds (the next run or ``status`` does it otherwise), and exit."""
        writer = threading.Thread(
            target=_set_status,
            args=(self.db, self.scan_id, "interrupted", f"扫描被强制中止（再次收到 {name}）"),
            daemon=True,
        )
        writer.start()
        writer.join(2.0)
        os._exit(signal_exit_code(name))

    def check(self) -> None:
        """Raise :class:`ScanInterrupted` if a signal came (the crawl just returned)."""
        self.mode = "raise"
        if self.received is not None:
            raise ScanInterrupted(self.received)


@dataclass
class ScanOutcome:
    scan_id: int
    status: str
    pages: int = 0
    urls: int = 0
    links: int = 0
    findings: int = 0
    lifecycle: LifecycleSummary = field(default_factory=LifecycleSummary)
    inconclusive: list[tuple[str, str | None]] = field(default_factory=list)
    error: str | None = None
    new_media: list[FeedState] = field(default_factory=list)  # accounts read by this scan
    detector_failures: dict[str, int] = field(default_factory=dict)  # id → subjects it failed on
    signal: str | None = None  # the signal that interrupted it
    beyond_max_pages: int = 0  # pages only link-checked: the site's max_pages was reached
    too_large: int = 0  # pages too large to read, responses too large to unpack
    deep_pages: int = 0  # pages read with their middle nesting left out (detectors.deep_markup)
    deep_page_urls: list[str] = field(default_factory=list)  # the first of them


def crawl_settings(loaded: LoadedConfig, db: Database, scan_id: int, verbose: int):
    from scrapy.settings import Settings

    from crawler.settings import site_settings

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.update(site_settings(loaded.config.site), priority="cmdline")
    settings.set("GOVWATCH_DB_URL", db.url, priority="cmdline")
    settings.set("GOVWATCH_SCAN_ID", scan_id, priority="cmdline")
    settings.set("GOVWATCH_CONFIG", loaded.config, priority="cmdline")
    settings.set("LOG_LEVEL", {0: "ERROR", 1: "INFO"}.get(verbose, "DEBUG"), priority="cmdline")
    return settings


def _crawl(
    loaded: LoadedConfig, db: Database, scan_id: int, verbose: int, signals: _Signals | None = None
):
    from scrapy.crawler import CrawlerProcess

    from crawler.spiders.portal import PortalSpider

    site = loaded.config.site
    if signals is not None:  # from here until the crawl returns, a signal stops the crawl
        signals.mode = "crawl"
    settings = crawl_settings(loaded, db, scan_id, verbose)
    process = CrawlerProcess(settings)
    if signals is not None:
        signals.stop_crawl = process.stop
    # Scrapy sets its loggers to DEBUG; per-item debug records cost real time.
    logging.getLogger("scrapy").setLevel(settings.get("LOG_LEVEL"))
    crawler = process.create_crawler(PortalSpider)
    process.crawl(
        crawler,
        start_urls=site.start_urls,
        allowed_domains=site.allowed_domains,
        max_pages=site.max_pages,
        policy=FetchPolicy(retries=site.retries, retry_after_cap_s=site.retry_after_cap_s),
        attachment_max_bytes=int(site.attachment_max_mb * 1024 * 1024),
    )
    media = None
    if loaded.config.new_media:  # the accounts are read beside the portal, same reactor
        from crawler.spiders.new_media import NewMediaSpider

        media = process.create_crawler(NewMediaSpider)
        process.crawl(
            media,
            accounts=loaded.config.new_media,
            policy=FetchPolicy(retries=site.retries, retry_after_cap_s=site.retry_after_cap_s),
        )
    if signals is None:
        process.start()
        return crawler, media
    # Our handlers, not Scrapy's: Scrapy's only ask the reactor to stop, which never
    # happens while it waits for the detection worker.
    try:
        if signals.received is None:
            process.start(install_signal_handlers=False)
    finally:
        signals.stop_crawl = None
    signals.check()
    return crawler, media


def run_scan(loaded: LoadedConfig, db: Database, verbose: int = 0) -> ScanOutcome:
    site = loaded.config.site
    interrupt.reset()
    try:
        with db.session() as session:
            scan, marked = claim_scan(session, site.id, site.name)
            scan_id = scan.id
    except ScanBusy as busy:
        raise ScanFailed(str(busy)) from None
    except SQLAlchemyError as error:  # read-only file, full disk: nothing was started
        raise ScanFailed(describe_error(error, sqlite_path(db.url))) from None
    for old in marked:
        logger.warning("scan %s was interrupted", old)
    with Heartbeat(db.engine, scan_id), _Signals(db, scan_id) as signals:
        try:
            return _run(loaded, db, scan_id, verbose, signals)
        except ScanInterrupted as stop:
            message = f"扫描被中止（收到 {stop.signame}）"
            _set_status(db, scan_id, "interrupted", message)
            return ScanOutcome(scan_id, "interrupted", error=message, signal=stop.signame)


def _run(
    loaded: LoadedConfig, db: Database, scan_id: int, verbose: int, signals: _Signals
) -> ScanOutcome:
    _prune(loaded, db, loaded.config.retention - 1)  # this scan will be the newest kept
    try:
        crawler, media = _crawl(loaded, db, scan_id, verbose, signals)
    except Exception as error:  # a crash in the crawl: record it, keep findings untouched
        _set_status(db, scan_id, "failed", f"抓取过程出错：{error}")
        raise ScanFailed(f"抓取过程出错：{error}") from error

    stats = crawler.stats.get_stats() if crawler.stats else {}
    reason = stats.get("finish_reason", "")
    fatal = stats.get("govwatch/fatal_error")  # storage or page detection failed
    if media is not None and not fatal:
        media_stats = media.stats.get_stats() if media.stats else {}
        fatal = media_stats.get("govwatch/fatal_error")
        if media_stats.get("finish_reason") not in ("finished", None) and reason == "finished":
            reason = str(media_stats.get("finish_reason"))
    if fatal:
        _set_status(db, scan_id, "failed", fatal)
        raise ScanFailed(fatal)
    if not reason:
        _set_status(db, scan_id, "failed", "抓取未能启动（详见 -v 日志）")
        raise ScanFailed("抓取未能启动（详见 -v 日志）")
    if reason != "finished":
        _set_status(db, scan_id, "interrupted", f"扫描被中止（{reason or '未知原因'}）")
        return ScanOutcome(scan_id, "interrupted", error=reason)
    spider = crawler.spider
    if spider.start_failures and len(spider.start_failures) == len(spider.start_keys):
        failed = "；".join(
            f"{url}（{r.error or r.http_status}）" for url, r in spider.start_failures.items()
        )
        message = f"起始网址无法访问：{failed}"
        _set_status(db, scan_id, "failed", message)
        raise ScanFailed(message)

    failures = _detector_failures(stats)
    if media is not None and media.stats:
        for detector, n in _detector_failures(media.stats.get_stats()).items():
            failures[detector] = failures.get(detector, 0) + n
    try:
        outcome = _judge(loaded, db, scan_id, stats, failures, signals)
    except ScanLost as lost:
        raise ScanFailed(str(lost)) from None
    except DatabaseError as error:
        _set_status(db, scan_id, "failed", str(error))
        raise ScanFailed(str(error)) from None
    except Exception as error:
        message = describe_error(error) if "sqlalchemy" in type(error).__module__ else str(error)
        _set_status(db, scan_id, "failed", message)
        raise ScanFailed(message) from error
    _prune(loaded, db, loaded.config.retention)
    return outcome


def _prune(loaded: LoadedConfig, db: Database, keep: int) -> None:
    """Drop the raw rows of the site's scans beyond the ``keep`` newest completed ones
    (a failure is only logged: the scan goes on, and the next prune tries again)."""
    site = loaded.config.site
    try:
        with db.session() as session:
            home = url_key(site.home_url or "")
            pruned = prune_old_scans(session, site.id, keep, home)
            session.commit()
    except SQLAlchemyError as error:
        logger.warning("清理旧扫描数据失败：%s", describe_error(error))
        return
    if pruned:
        logger.info("pruned the raw rows of scans %s", pruned)


def _detector_failures(stats: dict) -> dict[str, int]:
    """How often each detector raised during the crawl (page worker, posts), by id."""
    return {
        key.removeprefix(DETECTOR_FAILURES): n
        for key, n in stats.items()
        if key.startswith(DETECTOR_FAILURES)
    }


def _judge(
    loaded: LoadedConfig,
    db: Database,
    scan_id: int,
    stats: dict,
    failures: dict[str, int] | None = None,
    signals: _Signals | None = None,
) -> ScanOutcome:
    """Site detectors → observations → lifecycle. ``failures``: detectors that raised
    during the crawl; the scan records them with its stats.

    The detectors only read (the site stays free for the heartbeat and for others to
    look at); what they found and the lifecycle merge land in one transaction that
    holds the site's lock and first checks the scan still holds its claim."""
    config = loaded.config
    site = config.site
    collector = FindingCollector(UnitResolver(config))
    failures = dict(failures or {})
    rows: list[dict] = []
    logger.info("site detectors of scan %s", scan_id)
    with db.session() as session:
        snapshot = ScanSnapshot(session, scan_id, url_key(site.home_url or ""), site.timeout_s)
        for detector in detectors_for(config, "site"):
            slow_phase("site")
            found = run_detectors([detector], snapshot, f"站点 {site.id}")
            collector.failed(found.failures)
            rows.extend(observation_row(scan_id, f) for f in found.findings if collector.accept(f))
        inconclusive = snapshot.inconclusive()
        covered = snapshot.crawled_page_keys()
        accounts = snapshot.new_media_feeds() if config.new_media else []
        if config.new_media:
            covered |= snapshot.new_media_checked_keys()
    for detector, n in collector.failures.items():
        failures[detector] = failures.get(detector, 0) + n

    session = db.sessions()
    try:
        scan = assert_claim(session, scan_id, site.id, site.name)
        for start in range(0, len(rows), 500):
            session.execute(insert(Observation), rows[start : start + 500])
        # a problem in the template's text (footer, navigation): one finding, not one a page
        merge_template_findings(session, scan_id, url_key(site.home_url or ""))
        count = session.scalar(
            select(func.count()).select_from(Observation).where(Observation.scan_id == scan_id)
        )
        scan.finished_at = now()
        days = deadline_days(
            config.reports.deadline_working_days, config.reports.veto_deadline_working_days
        )
        summary = merge_observations(
            session, scan, covered, {url_key(u) for u, _ in inconclusive}, days
        )
        scan.status = "completed"
        scan.findings_count = count
        scan.inconclusive_count = len(inconclusive)
        scan.stats = {
            "requests": stats.get("downloader/request_count", 0),
            "responses": stats.get("downloader/response_count", 0),
            "elapsed_s": stats.get("elapsed_time_seconds", 0),
            "new": summary.new,
            "reopened": summary.reopened,
            "fixed": summary.fixed,
        }
        if failures:  # detectors that raised: their findings on those subjects are unknown
            scan.stats["detector_failures"] = failures
        beyond = stats.get(PAGES_BEYOND_LIMIT, 0)
        if beyond:  # what the scan did not read: its findings cannot be known
            scan.stats["max_pages"] = site.max_pages
            scan.stats["pages_beyond_max_pages"] = beyond
        too_large = stats.get(TOO_LARGE, 0)
        if too_large:
            scan.stats["too_large"] = too_large
        deep_pages, deep_urls = stats.get(DEEP_PAGES, 0), list(stats.get(DEEP_PAGE_URLS, []))
        if deep_pages:  # hiding styles on the nesting left out are unknown
            scan.stats["deep_pages"] = {"count": deep_pages, "urls": deep_urls}
        pages, urls, links = scan.pages_crawled, scan.urls_checked, scan.links_found
        if signals is not None:  # the scan completes now: a signal is only noted
            signals.mode = "defer"
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
    outcome = ScanOutcome(scan_id, "completed", pages, urls, links, count, summary, inconclusive)
    outcome.new_media = accounts
    outcome.detector_failures = failures
    outcome.beyond_max_pages = beyond
    outcome.too_large = too_large
    outcome.deep_pages, outcome.deep_page_urls = deep_pages, deep_urls
    return outcome


def _set_status(db: Database, scan_id: int, status: str, error: str | None) -> None:
    try:
        with db.session() as session:
            session.execute(
                update(Scan)
                .where(Scan.id == scan_id, Scan.status == "running")
                .values(status=status, finished_at=now(), error=error)
            )
    except Exception as exc:  # the database itself is failing; the next run will mark it
        logger.error("could not record scan status: %s", describe_error(exc))


def run_scan_subprocess(config_path: str, db_url: str, site_id: str, verbose: int = 0) -> int:
    """Run ``govwatch scan`` for one site in a fresh interpreter; its exit code.

    A SIGTERM to this process is passed on to the scan, which stops and records itself
    as interrupted (this process then returns its code, 143). A Ctrl-C on the terminal
    reaches the scan by itself (same process group), so SIGINT only waits for it."""
    args = (
        [sys.executable, "-m", "govwatch"]
        + ["-v"] * verbose
        + [
            "scan",
            "--config",
            config_path,
            "--db",
            db_url,
            "--site",
            site_id,
        ]
    )
    child = subprocess.Popen(args)
    if threading.current_thread() is not threading.main_thread():
        return child.wait()

    def forward(signum: int, _frame: Any) -> None:
        with contextlib.suppress(OSError):
            child.send_signal(signum)

    previous = {
        signal.SIGTERM: signal.signal(signal.SIGTERM, forward),
        signal.SIGINT: signal.signal(signal.SIGINT, signal.SIG_IGN),
    }
    try:
        return child.wait()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
