"""Item pipeline: stream what the spider saw into the database in batches.

Rows are written as the crawl goes (bounded memory, and a killed scan keeps
what it had). What is written does not grow with every link: a page keeps its
``<a>`` targets packed in one column, a link becomes a ``links`` row only once its
target's result says it failed or was inconclusive (links to targets not yet
checked wait in memory for that result), and a URL result becomes a ``url_checks``
row only when it has something to tell (:func:`_worth_keeping`). Rows go
``BATCH`` items or ``FLUSH_S`` seconds at a time, each batch one transaction that
also refreshes the scan's heartbeat, so a scan whose process died can be told from
one still running. Writes stay on the crawl thread:
measured, a writer thread made the scan 30% slower (GIL contention with the
reactor), not faster.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterator
from typing import Any

from scrapy.utils.defer import deferred_from_coro
from sqlalchemy import insert, update

from common import clock
from common.units import UnitResolver
from crawler.fetch_policy import UrlResult
from crawler.interrupt import stop_requested
from crawler.items import PageItem, ScanBatch
from crawler.page_detection import DetectionResult, PageDetection, PageDetectionError
from crawler.page_links import PageLink
from detectors.page_facts import PageFacts
from detectors.runner import FindingCollector
from storage.bulk import BulkInsert
from storage.db import Database, describe_error, open_database
from storage.lifecycle import observation_row
from storage.models import (
    Attachment,
    Link,
    ListEntry,
    Observation,
    Page,
    PageFact,
    Scan,
    UrlCheck,
    key_hash,
    pack_keys,
)
from storage.site_content import fact_rows

logger = logging.getLogger(__name__)

LINK_INSERT = BulkInsert(
    Link.__table__,
    ("scan_id", "page_id", "target_key", "target_hash", "target_url", "element", "text"),
)
BATCH = 400
DETECTOR_FAILURES = "govwatch/detector_failures/"  # stats key prefix, then the detector id
FLUSH_S = 2.0


def _worth_keeping(result: UrlResult) -> bool:
    """Whether a URL result is stored: not ok, or ok with something to tell (an error
    such as ``too_large``, or more than one attempt). The scan's summary counts them all."""
    return result.outcome != "ok" or bool(result.error) or len(result.attempts) > 1


def _outlinks(links: list[PageLink]) -> bytes:
    """The page's distinct ``<a>`` targets, packed (``links`` holds each target once)."""
    return pack_keys(link.target_key for link in links if link.element == "a")


def _check_row(scan_id: int, result: UrlResult) -> dict[str, Any]:
    return {
        "scan_id": scan_id,
        "url_key": result.key,
        "url": result.url,
        "final_url": result.final_url,
        "outcome": result.outcome,
        "http_status": result.http_status,
        "error": result.error,
        "elapsed_ms": result.elapsed_ms,
        "content_type": result.content_type[:120],
        # The trace is evidence for problems; a URL that answered at once needs none.
        "attempts": [a.as_dict() for a in result.attempts]
        if result.outcome != "ok" or len(result.attempts) > 1
        else [],
    }


class _Waiting:
    """The links to one target whose result has not come yet, in the order seen.

    A page template links the same targets with the same text from every page (the
    footer's pages, the shared images and scripts), and a target may wait for most of
    the crawl: such a link is kept as its page id alone, a link that differs as a
    tuple."""

    __slots__ = ("element", "links", "text", "url")

    def __init__(self, link: PageLink, page_id: int):
        self.url, self.element, self.text = link.target_url, link.element, link.text
        self.links: list[int | tuple[int, str, str, str]] = [page_id]

    def add(self, link: PageLink, page_id: int) -> None:
        if link.target_url == self.url and link.element == self.element and link.text == self.text:
            self.links.append(page_id)
        else:
            self.links.append((page_id, link.target_url, link.element, link.text))

    def rows(self, key: str) -> Iterator[tuple[Any, ...]]:
        """``(page_id, target_key, target_url, element, text)`` of each link."""
        for link in self.links:
            if isinstance(link, int):
                yield (link, key, self.url, self.element, self.text)
            else:
                yield (link[0], key, *link[1:])


class StopsScanOnFailure:
    """For a pipeline whose failure (storage, page detection) must stop the scan: the
    first failure is recorded in the stats and closes the spider; what is stored stays,
    and the scan runner marks the scan failed."""

    crawler: Any
    error: str | None = None

    def _count_failures(self, collector: FindingCollector, failures: list[Any]) -> None:
        """Detectors that raised are counted in the crawl's stats (the scan records them)."""
        if failures:
            collector.failed(failures)
            for detector, n in collector.failures.items():
                self.crawler.stats.set_value(f"{DETECTOR_FAILURES}{detector}", n)

    def _fail(self, message: str) -> None:
        if self.error is None:
            self.error = message
            self.crawler.stats.set_value("govwatch/fatal_error", message)
            engine = self.crawler.engine
            if engine is not None and engine.running:
                deferred_from_coro(engine.close_spider_async(reason="govwatch_fatal_error"))


class StoragePipeline(StopsScanOnFailure):
    def __init__(self, db_url: str, scan_id: int, crawler: Any):
        self.db_url = db_url
        self.scan_id = scan_id
        self.crawler = crawler
        self.db: Database | None = None
        self.pages: list[PageItem] = []
        self.results: list[UrlResult] = []
        # Target key -> whether its result failed (broken or inconclusive), for every
        # target with a result; links to targets without one yet wait in ``pending``.
        self.failed: dict[str, bool] = {}
        self.pending: dict[str, _Waiting] = {}
        self.last_flush = time.monotonic()
        self.counts = {"pages": 0, "links": 0, "checks": 0}
        self.observations: list[dict[str, Any]] = []
        self.attachments: list[dict[str, Any]] = []
        self.facts: list[dict[str, Any]] = []
        self.entries: list[dict[str, Any]] = []
        self.fact_keys: set[str] = set()
        self.detection: PageDetection | None = None
        self.collector: FindingCollector | None = None

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
        config = self.crawler.settings.get("GOVWATCH_CONFIG")
        if config is not None:
            workers = self.crawler.settings.getint("GOVWATCH_DETECTOR_WORKERS", 1)
            self.detection = PageDetection(config, workers)
            self.collector = FindingCollector(UnitResolver(config))

    def close_spider(self) -> None:
        drain = getattr(self.crawler.spider, "drain", None)
        if drain is not None:
            self._add(drain())
        if self.detection is not None:
            try:
                self._stage(self.detection.finish())
            except PageDetectionError as error:
                self._fail(str(error))
        self.flush()
        if self.db is not None:
            self.db.dispose()

    async def process_item(self, item: Any) -> Any:
        if self.error is not None:
            return item  # storage already failed; the crawl is closing
        if isinstance(item, ScanBatch):
            self._add(item)
            await self._wait_for_detection()
        if (
            len(self.pages) + len(self.results) >= BATCH
            or time.monotonic() - self.last_flush >= FLUSH_S
        ):
            self.flush()
        return item

    def _add(self, batch: ScanBatch) -> None:
        for page in batch.pages:
            if self.detection is not None and self.error is None:
                try:
                    self._stage(
                        self.detection.submit(
                            page.url, page.title, page.meta, page.html, page.final_url
                        )
                    )
                except PageDetectionError as error:
                    self._fail(str(error))
            page.html = ""  # large, and only the detectors need it
        for item in batch.attachments:
            if item.skipped or self.detection is None:
                self.attachments.append(
                    {
                        "scan_id": self.scan_id,
                        "url_key": item.key,
                        "url": item.url,
                        "kind": item.kind,
                        "linked_from": item.linked_from,
                        "size": item.size,
                        "chars": 0,
                        "error": item.skipped or "未启用内容检测",
                    }
                )
            elif self.error is None:
                try:
                    self._stage(
                        self.detection.submit_attachment(
                            item.key,
                            item.url,
                            item.kind,
                            item.linked_from,
                            item.linked_published,
                            item.body,
                        )
                    )
                except PageDetectionError as error:
                    self._fail(str(error))
            item.body = b""
        self.pages.extend(batch.pages)
        self.results.extend(batch.results)

    async def _wait_for_detection(self) -> None:
        """Back-pressure: while the detection worker lags, await it (the reactor runs on;
        Scrapy holds new requests back while items wait)."""
        while self.detection is not None and self.error is None and not stop_requested():
            waiter = self.detection.backlog()
            if waiter is None:
                return
            # Shared by every waiting item: shielded, so that one item's cancellation
            # does not cancel the others' wait.
            with contextlib.suppress(Exception):  # collect() reports a failed task
                await asyncio.shield(waiter)
            try:
                self._stage(self.detection.collect())
            except PageDetectionError as error:
                self._fail(str(error))

    def _stage(self, result: DetectionResult) -> None:
        """Findings of page detectors become this scan's observations (once each); an
        attachment's findings belong to the unit of the page that links it."""
        owners = {read.url: read.linked_from for read in result.attachments}
        for read in result.attachments:
            self.attachments.append(
                {
                    "scan_id": self.scan_id,
                    "url_key": read.key,
                    "url": read.url,
                    "kind": read.kind,
                    "linked_from": read.linked_from,
                    "size": read.size,
                    "chars": read.chars,
                    "error": read.error,
                }
            )
        for facts in result.facts:
            self._stage_facts(facts)
        assert self.collector is not None
        self._count_failures(self.collector, result.failures)
        for finding in result.findings:
            if self.collector.accept(finding, owner=owners.get(finding.page_url)):
                self.observations.append(observation_row(self.scan_id, finding))

    def _stage_facts(self, facts: PageFacts) -> None:
        """A page's facts and list entries, once a page."""
        row, entries = fact_rows(self.scan_id, facts)
        if row["page_key"] in self.fact_keys:
            return
        self.fact_keys.add(row["page_key"])
        self.facts.append(row)
        self.entries.extend(entries)

    def flush(self) -> None:
        pages, results, observations = self.pages, self.results, self.observations
        attachments, facts, entries = self.attachments, self.facts, self.entries
        self.pages, self.results, self.observations, self.attachments = [], [], [], []
        self.facts, self.entries = [], []
        self.last_flush = time.monotonic()
        if self.error is not None or not (
            pages or results or observations or attachments or facts
        ):
            return
        try:
            self._write(pages, results, observations, attachments, facts, entries)
        except Exception as error:  # storage failure: stop the crawl, keep what was written
            logger.debug("storage failed: %r", error)
            self._fail(describe_error(error))

    def _link_rows(self, pages: list[PageItem], page_ids: list[int]) -> list[tuple[Any, ...]]:
        """Rows of the links whose target failed; links to targets not checked yet wait."""
        rows: list[tuple[Any, ...]] = []
        for page, page_id in zip(pages, page_ids, strict=True):
            for link in page.links:
                failed = self.failed.get(link.target_key)
                if failed is False:
                    continue
                if failed:
                    rows.append(
                        (page_id, link.target_key, link.target_url, link.element, link.text)
                    )
                    continue
                waiting = self.pending.get(link.target_key)
                if waiting is None:
                    self.pending[link.target_key] = _Waiting(link, page_id)
                else:
                    waiting.add(link, page_id)
        return rows

    def _settle(self, results: list[UrlResult]) -> list[tuple[Any, ...]]:
        """Record the results; rows of the waiting links whose target failed."""
        rows: list[tuple[Any, ...]] = []
        for result in results:
            failed = result.outcome != "ok"
            self.failed[result.key] = failed
            waiting = self.pending.pop(result.key, None)
            if failed and waiting is not None:
                rows.extend(waiting.rows(result.key))
        return rows

    def _write(
        self,
        pages: list[PageItem],
        results: list[UrlResult],
        observations: list[dict[str, Any]],
        attachments: list[dict[str, Any]],
        facts: list[dict[str, Any]],
        entries: list[dict[str, Any]],
    ) -> None:
        assert self.db is not None
        now = clock.now()
        scan_id = self.scan_id
        links = sum(len(page.links) for page in pages)
        link_rows: list[tuple[Any, ...]] = []
        checks = [_check_row(scan_id, r) for r in results if _worth_keeping(r)]
        with self.db.engine.begin() as conn:
            if pages:
                # One multi-row insert; ids come back in parameter order.
                page_ids = (
                    conn.execute(
                        insert(Page).returning(Page.id, sort_by_parameter_order=True),
                        [
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
                                "outlinks": _outlinks(page.links),
                            }
                            for page in pages
                        ],
                    )
                    .scalars()
                    .all()
                )
                link_rows = self._link_rows(pages, page_ids)
            link_rows += self._settle(results)
            LINK_INSERT.execute(
                conn,
                [
                    (scan_id, page_id, key, key_hash(key), url, element, text)
                    for page_id, key, url, element, text in link_rows
                ],
            )
            if checks:
                conn.execute(insert(UrlCheck), checks)
            if observations:
                conn.execute(insert(Observation), observations)
            if attachments:
                conn.execute(insert(Attachment), attachments)
            if facts:
                conn.execute(insert(PageFact), facts)
            if entries:
                conn.execute(insert(ListEntry), entries)
            conn.execute(
                update(Scan)
                .where(Scan.id == self.scan_id)
                .values(
                    heartbeat_at=now,
                    pages_crawled=self.counts["pages"] + len(pages),
                    urls_checked=self.counts["checks"] + len(results),
                    links_found=self.counts["links"] + links,
                )
            )
        self.counts["pages"] += len(pages)
        self.counts["checks"] += len(results)
        self.counts["links"] += links
