"""One scan of one site, start to finish, in this process.

crawl (Scrapy, streaming pages/links/URL results into the database) → site
detectors on what the scan stored → observations → lifecycle merge, the last
three in one transaction. Twisted's reactor cannot restart, so a process runs
one scan; :func:`run_scan_subprocess` is how to run several.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from dataclasses import dataclass, field

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from common.clock import now
from common.units import UnitResolver
from common.urls import url_key
from crawler.fetch_policy import FetchPolicy
from crawler.pipelines import DETECTOR_FAILURES
from crawler.spiders.portal import DEEP_PAGE_URLS, DEEP_PAGES
from detectors.registry import detectors_for
from detectors.runner import FindingCollector, run_detectors
from govwatch.config import LoadedConfig
from storage.db import Database, DatabaseError, describe_error, sqlite_path
from storage.lifecycle import LifecycleSummary, merge_observations, observation_row
from storage.models import Observation, Scan
from storage.new_media import FeedState
from storage.scans import mark_interrupted_scans, start_scan
from storage.snapshot import ScanSnapshot

logger = logging.getLogger(__name__)


class ScanFailed(Exception):
    """The scan could not complete; the message is for the operator."""


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


def _crawl(loaded: LoadedConfig, db: Database, scan_id: int, verbose: int):
    from scrapy.crawler import CrawlerProcess

    from crawler.spiders.portal import PortalSpider

    site = loaded.config.site
    settings = crawl_settings(loaded, db, scan_id, verbose)
    process = CrawlerProcess(settings)
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
    process.start()
    return crawler, media


def run_scan(loaded: LoadedConfig, db: Database, verbose: int = 0) -> ScanOutcome:
    config = loaded.config
    site = config.site
    try:
        with db.session() as session:
            for old in mark_interrupted_scans(session, site.id):
                logger.warning("scan %s was interrupted", old)
            scan_id = start_scan(session, site.id, site.name).id
    except SQLAlchemyError as error:  # read-only file, full disk: nothing was started
        raise ScanFailed(describe_error(error, sqlite_path(db.url))) from None

    try:
        crawler, media = _crawl(loaded, db, scan_id, verbose)
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
        return _judge(loaded, db, scan_id, stats, failures)
    except DatabaseError as error:
        _set_status(db, scan_id, "failed", str(error))
        raise ScanFailed(str(error)) from None
    except Exception as error:
        message = describe_error(error) if "sqlalchemy" in type(error).__module__ else str(error)
        _set_status(db, scan_id, "failed", message)
        raise ScanFailed(message) from error


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
) -> ScanOutcome:
    """Site detectors → observations → lifecycle, all in one transaction. ``failures``:
    detectors that raised during the crawl; the scan records them with its stats."""
    config = loaded.config
    collector = FindingCollector(UnitResolver(config))
    failures = dict(failures or {})
    with db.session() as session:
        snapshot = ScanSnapshot(
            session, scan_id, url_key(config.site.home_url or ""), config.site.timeout_s
        )
        for detector in detectors_for(config, "site"):
            found = run_detectors([detector], snapshot, f"站点 {config.site.id}")
            collector.failed(found.failures)
            rows = [observation_row(scan_id, f) for f in found.findings if collector.accept(f)]
            for start in range(0, len(rows), 500):
                session.execute(insert(Observation), rows[start : start + 500])
        for detector, n in collector.failures.items():
            failures[detector] = failures.get(detector, 0) + n
        count = session.scalar(
            select(func.count()).select_from(Observation).where(Observation.scan_id == scan_id)
        )
        inconclusive = snapshot.inconclusive()
        scan = session.get(Scan, scan_id)
        assert scan is not None
        scan.finished_at = now()
        covered = snapshot.crawled_page_keys()
        accounts = snapshot.new_media_feeds() if config.new_media else []
        if config.new_media:
            covered |= snapshot.new_media_checked_keys()
        summary = merge_observations(session, scan, covered, {url_key(u) for u, _ in inconclusive})
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
        deep_pages, deep_urls = stats.get(DEEP_PAGES, 0), list(stats.get(DEEP_PAGE_URLS, []))
        if deep_pages:  # hiding styles on the nesting left out are unknown
            scan.stats["deep_pages"] = {"count": deep_pages, "urls": deep_urls}
        pages, urls, links = scan.pages_crawled, scan.urls_checked, scan.links_found
    outcome = ScanOutcome(scan_id, "completed", pages, urls, links, count, summary, inconclusive)
    outcome.new_media = accounts
    outcome.detector_failures = failures
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
    """Run ``govwatch scan`` for one site in a fresh interpreter; its exit code."""
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
    return subprocess.call(args)
