"""Item pipeline: stream what the spider saw into the database in batches.

Rows are written as the crawl goes (bounded memory, and a killed scan keeps
what it had) and committed every ``BATCH`` items or ``FLUSH_S`` seconds, each
batch in one transaction. The scan's heartbeat is refreshed with every flush
so a scan whose process died can be told from one still running.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from typing import Any

from scrapy.utils.defer import deferred_from_coro
from sqlalchemy import insert, update

from crawler.fetch_policy import UrlResult
from crawler.items import PageItem
from storage.db import Database, describe_error, open_database
from storage.models import Link, Page, Scan, UrlCheck

logger = logging.getLogger(__name__)

BATCH = 400
FLUSH_S = 2.0


class StoragePipeline:
    def __init__(self, db_url: str, scan_id: int, crawler: Any):
        self.db_url = db_url
        self.scan_id = scan_id
        self.crawler = crawler
        self.db: Database | None = None
        self.pages: list[PageItem] = []
        self.checks: list[dict[str, Any]] = []
        self.last_flush = time.monotonic()
        self.counts = {"pages": 0, "links": 0, "checks": 0}
        self.failed = False

    @classmethod
    def from_crawler(cls, crawler: Any) -> StoragePipeline:
        from scrapy.exceptions import NotConfigured

        scan_id = crawler.settings.getint("GOVWATCH_SCAN_ID")
        db_url = crawler.settings.get("GOVWATCH_DB_URL")
        if not scan_id or not db_url:
            raise NotConfigured
        return cls(db_url, scan_id, crawler)

    def open_spider(self) -> None:
        self.db = open_database(self.db_url, migrate=False)

    def close_spider(self) -> None:
        self.flush()
        if self.db is not None:
            self.db.dispose()

    def process_item(self, item: Any) -> Any:
        if self.failed:
            return item  # storage already failed; the crawl is closing
        if isinstance(item, PageItem):
            self.pages.append(item)
        elif isinstance(item, UrlResult):
            self.checks.append(
                {
                    "scan_id": self.scan_id,
                    "url_key": item.key,
                    "url": item.url,
                    "final_url": item.final_url,
                    "outcome": item.outcome,
                    "http_status": item.http_status,
                    "error": item.error,
                    "elapsed_ms": item.elapsed_ms,
                    "content_type": item.content_type[:120],
                    "attempts": [a.as_dict() for a in item.attempts],
                }
            )
        if (
            len(self.pages) + len(self.checks) >= BATCH
            or time.monotonic() - self.last_flush >= FLUSH_S
        ):
            self.flush()
        return item

    def flush(self) -> None:
        if self.db is None or self.failed:
            return
        pages, checks = self.pages, self.checks
        self.pages, self.checks = [], []
        self.last_flush = time.monotonic()
        now = datetime.now(UTC)
        try:
            with self.db.engine.begin() as conn:
                for page in pages:
                    page_id = conn.execute(
                        insert(Page).returning(Page.id),
                        {
                            "scan_id": self.scan_id,
                            "url_key": page.key,
                            "url": page.url,
                            "final_url": page.final_url,
                            "status": page.status,
                            "title": page.title[:1000],
                            "encoding": page.encoding,
                            "depth": page.depth,
                            "fetched_at": now,
                            "meta": page.meta,
                        },
                    ).scalar_one()
                    if page.links:
                        conn.execute(
                            insert(Link),
                            [
                                {
                                    "scan_id": self.scan_id,
                                    "page_id": page_id,
                                    "target_key": link.target_key,
                                    "target_url": link.target_url,
                                    "element": link.element,
                                    "text": link.text,
                                }
                                for link in page.links
                            ],
                        )
                    self.counts["links"] += len(page.links)
                if checks:
                    conn.execute(insert(UrlCheck), checks)
                self.counts["pages"] += len(pages)
                self.counts["checks"] += len(checks)
                conn.execute(
                    update(Scan)
                    .where(Scan.id == self.scan_id)
                    .values(
                        heartbeat_at=now,
                        pages_crawled=self.counts["pages"],
                        urls_checked=self.counts["checks"],
                        links_found=self.counts["links"],
                    )
                )
        except Exception as error:  # storage failure: stop the crawl, keep what was written
            self.failed = True
            message = describe_error(error)
            logger.debug("storage failed: %r", error)
            self.crawler.stats.set_value("govwatch/storage_error", message)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="storage_error"))
