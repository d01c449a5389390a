"""Page-level detectors, run beside the crawl in a worker process.

The crawl is bound to one core by Scrapy's engine; reading every page for
wording errors, personal data and hidden links is as much work again. So the
pages go (as HTML text, ``PAGES_PER_TASK`` at a time) to a worker process on
the other core, which parses them and runs the page detectors; their findings
come back to the pipeline. Attachments (PDF, DOCX, XLSX) of the site go the same
way, one per task: the worker extracts their text and runs the text detectors on it.
Beyond ``MAX_PENDING`` tasks in flight the pipeline awaits the oldest (:meth:`backlog`)
without blocking the reactor: Scrapy then stops taking new requests while the ones in
flight complete on time (a blocked reactor would misjudge their timeouts), and memory
stays bounded. ``workers=0`` runs the detectors in the crawl process.
A worker that dies fails the scan rather than let missing findings look fixed.

The worker also reads each page's facts for the site-level detectors
(:mod:`detectors.page_facts`: list entries, breadcrumb, 文号, quoted titles) from the
tree it parsed anyway, so the crawl process pays nothing for them.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from multiprocessing import get_context
from typing import Any

from detectors.attachment_text import extract_text
from detectors.base import PAGE_SCOPES, Finding
from detectors.page import PageContext, parse_html
from detectors.page_facts import PageFacts, read_page_facts
from detectors.runner import DetectorFailure, prepare_batch, run_detectors

logger = logging.getLogger(__name__)

MAX_PENDING = 8  # batches in flight
PAGES_PER_TASK = 32  # pages sent to the worker at once (fewer, larger messages)
GROUP_CHARS = 4_000_000  # HTML parsed and searched together in the worker (memory bound)

_detectors: list[Any] = []
_today: date | None = None  # the scan's day, for year-less list dates


class PageDetectionError(Exception):
    """The page detectors could not run; the scan cannot be trusted to be complete."""


@dataclass
class AttachmentRead:
    """What reading one attachment gave: stored so a scan knows which files it read
    (their old findings may become fixed) and which it could not (they may not)."""

    key: str
    url: str
    kind: str
    linked_from: str
    size: int
    chars: int = 0
    error: str | None = None


@dataclass
class DetectionResult:
    findings: list[Finding] = field(default_factory=list)
    attachments: list[AttachmentRead] = field(default_factory=list)
    facts: list[PageFacts] = field(default_factory=list)
    failures: list[DetectorFailure] = field(default_factory=list)

    def extend(self, other: DetectionResult) -> None:
        self.findings.extend(other.findings)
        self.attachments.extend(other.attachments)
        self.facts.extend(other.facts)
        self.failures.extend(other.failures)


def _load(config: Any, parent_pid: int | None = None) -> None:
    from common.clock import today
    from detectors.registry import detectors_for

    global _detectors, _today
    _detectors = detectors_for(config, PAGE_SCOPES)
    _today = today()
    if parent_pid is not None:
        threading.Thread(target=_exit_with_parent, args=(parent_pid,), daemon=True).start()


def _exit_with_parent(parent_pid: int) -> None:
    """A scan killed with SIGKILL cannot stop its worker; the worker notices and leaves."""
    while os.getppid() == parent_pid:
        time.sleep(1.0)
    os._exit(0)


def check_pages(pages: list[tuple[str, str, dict[str, str], str, str]]) -> DetectionResult:
    """``check_page`` for a batch of pages (one message each way).

    Pages are parsed a group at a time (at most ``GROUP_CHARS`` of HTML, so that a run
    of huge pages never holds many trees at once) and each detector may ``prepare`` the
    group before ``check`` runs page by page: the term detector searches every page's
    text in one go, which keeps its automaton in the processor's cache."""
    result = DetectionResult()
    for group in _groups(pages):
        parsed = [(_context(*page[:4]), page[4] or page[0]) for page in group]
        ready = [page for page, _ in parsed if page is not None]
        if ready:
            prepare_batch(_detectors, ready)
        for page, final_url in parsed:
            if page is not None:
                result.extend(_check_context(page, final_url))
    return result


def _groups(pages: list[tuple[str, str, dict[str, str], str, str]]) -> Iterator[list[Any]]:
    """Consecutive pages with at most ``GROUP_CHARS`` of HTML together (or one page)."""
    group: list[Any] = []
    size = 0
    for page in pages:
        if group and size + len(page[3]) > GROUP_CHARS:
            yield group
            group, size = [], 0
        group.append(page)
        size += len(page[3])
    if group:
        yield group


def _context(url: str, title: str, meta: dict[str, str], html: str) -> PageContext | None:
    """The parsed page, or ``None`` when it has no element at all."""
    root = parse_html(html.encode("utf-8", "surrogatepass"))
    return None if root is None else PageContext(url=url, title=title, meta=meta, root=root)


def check_attachment(
    key: str, url: str, kind: str, linked_from: str, published: date | None, body: bytes
) -> DetectionResult:
    """The text detectors on an attachment's text (dated by its linking page, else by
    the file's own creation date)."""
    text = extract_text(body, kind)
    read = AttachmentRead(key, url, kind, linked_from, len(body), len(text.text), text.error)
    if not text.text:
        return DetectionResult([], [read])
    page = PageContext.from_text(url, "", text.text, published or text.published)
    found = run_detectors(_detectors, page)
    return DetectionResult(found.findings, [read], failures=found.failures)


def check_page(
    url: str, title: str, meta: dict[str, str], html: str, final_url: str = ""
) -> DetectionResult:
    """Every page detector's findings for one page (one detector failing skips only it),
    and the page's facts (read against ``final_url``, where its relative links point)."""
    page = _context(url, title, meta, html)
    return DetectionResult() if page is None else _check_context(page, final_url or url)


def _check_context(page: PageContext, final_url: str) -> DetectionResult:
    found = run_detectors(_detectors, page)
    result = DetectionResult(found.findings, failures=found.failures)
    try:
        facts = read_page_facts(
            final_url, page.title, page.meta, page.root, page.text, _today or date.today()
        )
        facts.url = page.url
        result.facts.append(facts)
    except Exception:  # a malformed page loses its facts, never the scan
        logger.exception("could not read the facts of %s", page.url)
    return result


class PageDetection:
    def __init__(self, config: Any, workers: int = 1):
        self.pending: deque[Future[DetectionResult]] = deque()
        self._waiter: tuple[Future[DetectionResult], asyncio.Future[DetectionResult]] | None = None
        self.batch: list[tuple[str, str, dict[str, str], str, str]] = []
        self.executor: ProcessPoolExecutor | None = None
        if workers > 0:
            self.executor = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=get_context("spawn"),
                initializer=_load,
                initargs=(config, os.getpid()),
            )
        else:
            _load(config)

    @property
    def active(self) -> bool:
        return bool(_detectors) or self.executor is not None

    def submit(
        self, url: str, title: str, meta: dict[str, str], html: str, final_url: str = ""
    ) -> DetectionResult:
        """Queue a page; returns the results of work already done (in order)."""
        if self.executor is None:
            return check_page(url, title, meta, html, final_url)
        self.batch.append((url, title, meta, html, final_url))
        if len(self.batch) < PAGES_PER_TASK:
            return DetectionResult()
        self.pending.append(self.executor.submit(check_pages, self.batch))
        self.batch = []
        return self._collect()

    def submit_attachment(
        self, key: str, url: str, kind: str, linked_from: str, published: date | None, body: bytes
    ) -> DetectionResult:
        """Queue an attachment (one task: they are large); returns work already done."""
        args = (key, url, kind, linked_from, published, body)
        if self.executor is None:
            return check_attachment(*args)
        self.pending.append(self.executor.submit(check_attachment, *args))
        return self._collect()

    def _collect(self) -> DetectionResult:
        """Results of finished tasks, in order (never waits)."""
        done = DetectionResult()
        while self.pending and self.pending[0].done():
            done.extend(self._result(self.pending.popleft()))
        return done

    def collect(self) -> DetectionResult:
        return self._collect()

    def backlog(self) -> asyncio.Future[DetectionResult] | None:
        """When too many tasks are in flight, an asyncio future of the oldest one for the
        caller to await (through ``asyncio.shield``), else ``None``.

        Every caller gets the same future while the oldest task is the same: hundreds of
        items can be waiting at once, and wrapping the task once per waiter made each
        finished task call back into the event loop once per waiter from the executor's
        thread (one self-pipe write each), and each waiter wrap the next task again: on a
        20,000-page scan the crawl process spent minutes doing that and starved the
        worker. Call it from the event loop's thread."""
        if len(self.pending) <= MAX_PENDING:
            return None
        oldest = self.pending[0]
        if self._waiter is None or self._waiter[0] is not oldest:
            self._waiter = (oldest, asyncio.wrap_future(oldest))
        return self._waiter[1]

    def finish(self) -> DetectionResult:
        """Wait for every queued page and attachment; their results."""
        done = DetectionResult()
        if self.executor is not None and self.batch:
            self.pending.append(self.executor.submit(check_pages, self.batch))
            self.batch = []
        while self.pending:
            done.extend(self._result(self.pending.popleft()))
        self.close()
        return done

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None

    @staticmethod
    def _result(future: Future[DetectionResult]) -> DetectionResult:
        try:
            return future.result()
        except Exception as error:  # BrokenProcessPool and the like
            raise PageDetectionError(f"内容检测进程异常退出（{error}）") from error
