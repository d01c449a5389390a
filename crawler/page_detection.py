"""Page-level detectors, run beside the crawl in a worker process.

The crawl is bound to one core by Scrapy's engine; reading every page for
wording errors, personal data and hidden links is as much work again. So the
pages go (as HTML text, ``PAGES_PER_TASK`` at a time) to a worker process on
the other core, which parses them and runs the page detectors; their findings
come back to the pipeline. Attachments (PDF, DOCX, XLSX) of the site go the same
way, up to ``ATTACHMENTS_PER_TASK`` or ``ATTACHMENT_TASK_BYTES`` a task (one per task
cost a round trip, a future and the executor threads' wake-ups each: on a portal with a
PDF on every article that was more than reading them): the worker extracts their text
and runs the text detectors on it.
Beyond ``MAX_PENDING`` tasks in flight the pipeline awaits the oldest (:meth:`backlog`)
without blocking the reactor: Scrapy then stops taking new requests while the ones in
flight complete on time (a blocked reactor would misjudge their timeouts), and memory
stays bounded. ``workers=0`` runs the detectors in the crawl process.
A worker that dies fails the scan rather than let missing findings look fixed.
A scan stopped by a signal (:mod:`crawler.interrupt`) kills its worker at once
(:meth:`PageDetection.abort`): the worker ignores SIGINT and SIGTERM itself, so that a
Ctrl-C on the terminal, which reaches it too, is the scan's interruption and not a
worker crash, and the waits here give up within a fraction of a second.

The worker also reads each page's facts for the site-level detectors
(:mod:`detectors.page_facts`: list entries, breadcrumb, 文号, quoted titles) from the
tree it parsed anyway, so the crawl process pays nothing for them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import date
from multiprocessing import get_context
from typing import Any

from common.test_hooks import slow_phase
from crawler import interrupt
from detectors.attachment_text import (
    READ_BUDGET_S,
    AttachmentText,
    ReadBudgetExceeded,
    extract_text,
)
from detectors.base import PAGE_SCOPES, Finding
from detectors.page import PageContext, parse_html
from detectors.page_facts import PageFacts, read_page_facts
from detectors.runner import DetectorFailure, prepare_batch, run_detectors

logger = logging.getLogger(__name__)

MAX_PENDING = 8  # batches in flight
PAGES_PER_TASK = 32  # pages sent to the worker at once (fewer, larger messages)
ATTACHMENTS_PER_TASK = 32  # attachments sent at once, while below ...
ATTACHMENT_TASK_BYTES = 8 * 1024 * 1024  # ... this many bytes (a larger file goes alone)
GROUP_CHARS = 4_000_000  # HTML parsed and searched together in the worker (memory bound)
POLL_S = 0.2  # how often a wait for the worker looks whether the scan is being stopped
ALARM_GRACE_S = 5.0  # beyond an attachment's reading budget, the worker's alarm cuts it

_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}

_detectors: list[Any] = []
_today: date | None = None  # the scan's day, for year-less list dates
_in_worker = False  # this process is the detection worker


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

    global _detectors, _today, _in_worker
    _detectors = detectors_for(config, PAGE_SCOPES)
    _today = today()
    if parent_pid is not None:  # in the worker: the scan process decides when it stops
        _in_worker = True
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)  # blocked at its spawn
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
    slow_phase("worker")
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
    slow_phase("worker")
    text = _read_attachment(body, kind)
    read = AttachmentRead(key, url, kind, linked_from, len(body), len(text.text), text.error)
    if not text.text:
        return DetectionResult([], [read])
    page = PageContext.from_text(url, "", text.text, published or text.published)
    found = run_detectors(_detectors, page)
    return DetectionResult(found.findings, [read], failures=found.failures)


AttachmentArgs = tuple[str, str, str, str, date | None, bytes]


def check_attachments(attachments: list[AttachmentArgs]) -> DetectionResult:
    """``check_attachment`` for a batch (one message each way)."""
    result = DetectionResult()
    for args in attachments:
        result.extend(check_attachment(*args))
    return result


def _read_attachment(body: bytes, kind: str) -> AttachmentText:
    """Its text, within the reading budget. In the worker an alarm also cuts short one
    long step the reader's own checks cannot see into (one huge PDF page): what was
    read so far is kept, and the cut is recorded."""
    if not _in_worker:
        return extract_text(body, kind, READ_BUDGET_S)

    def alarm(_signum: int, _frame: Any) -> None:
        raise ReadBudgetExceeded

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, READ_BUDGET_S + ALARM_GRACE_S)
    try:
        try:
            return extract_text(body, kind, READ_BUDGET_S)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except ReadBudgetExceeded:  # the alarm rang just as the reader was stopping
        return AttachmentText(kind, error=f"读取超过 {READ_BUDGET_S:g} 秒，未能完成")
    finally:
        signal.signal(signal.SIGALRM, previous)


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
            final_url,
            page.title,
            page.meta,
            page.root,
            page.text,
            _today or date.today(),
            page.label_text,
        )
        facts.url = page.url
        result.facts.append(facts)
    except Exception:  # a malformed page loses its facts, never the scan
        logger.exception("could not read the facts of %s", page.url)
    return result


class PageDetection:
    aborted = False

    def __init__(self, config: Any, workers: int = 1):
        self.pending: deque[Future[DetectionResult]] = deque()
        self._waiter: tuple[Future[DetectionResult], asyncio.Future[DetectionResult]] | None = None
        self.batch: list[tuple[str, str, dict[str, str], str, str]] = []
        self.files: list[AttachmentArgs] = []
        self.files_bytes = 0
        self.executor: ProcessPoolExecutor | None = None
        if workers > 0:
            self.executor = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=get_context("spawn"),
                initializer=_load,
                initargs=(config, os.getpid()),
            )
            interrupt.on_stop(self.abort)
        else:
            _load(config)

    @property
    def active(self) -> bool:
        return bool(_detectors) or self.executor is not None

    def abort(self) -> None:
        """Stop now: kill the workers, drop their work. Safe in a signal handler (sets a
        flag and sends signals; the executor is shut down at the next call from the
        crawl)."""
        self.aborted = True
        executor = self.executor
        processes = getattr(executor, "_processes", None) or {}
        for _ in range(3):  # the executor's thread may change the dict meanwhile
            try:
                pids = [p.pid for p in list(processes.values())]
                break
            except RuntimeError:
                pids = []
        for pid in pids:
            with contextlib.suppress(OSError, TypeError):
                os.kill(pid, signal.SIGKILL)

    def _submit(self, task: Any, *args: Any) -> Future[DetectionResult]:
        """A task for the worker. A worker is spawned by a submit; it inherits the
        blocked SIGINT/SIGTERM and ignores them from its start (a Ctrl-C during its
        start-up would otherwise kill it)."""
        assert self.executor is not None
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        try:
            return self.executor.submit(task, *args)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)

    def _stopped(self) -> bool:
        """Whether the scan is being stopped; if so, the work in flight is dropped."""
        if not self.aborted and interrupt.stop_requested() is None:
            return False
        self.aborted = True
        self.pending.clear()
        self.batch, self.files, self.files_bytes = [], [], 0
        self._waiter = None
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = None
        return True

    def submit(
        self, url: str, title: str, meta: dict[str, str], html: str, final_url: str = ""
    ) -> DetectionResult:
        """Queue a page; returns the results of work already done (in order)."""
        if self._stopped():
            return DetectionResult()
        if self.executor is None:
            return check_page(url, title, meta, html, final_url)
        self.batch.append((url, title, meta, html, final_url))
        if len(self.batch) < PAGES_PER_TASK:
            return DetectionResult()
        self.pending.append(self._submit(check_pages, self.batch))
        self.batch = []
        return self._collect()

    def submit_attachment(
        self, key: str, url: str, kind: str, linked_from: str, published: date | None, body: bytes
    ) -> DetectionResult:
        """Queue an attachment; returns work already done (in order)."""
        args = (key, url, kind, linked_from, published, body)
        if self._stopped():
            return DetectionResult()
        if self.executor is None:
            return check_attachment(*args)
        self.files.append(args)
        self.files_bytes += len(body)
        if len(self.files) < ATTACHMENTS_PER_TASK and self.files_bytes < ATTACHMENT_TASK_BYTES:
            return DetectionResult()
        self._submit_files()
        return self._collect()

    def _submit_files(self) -> None:
        self.pending.append(self._submit(check_attachments, self.files))
        self.files, self.files_bytes = [], 0

    def _collect(self) -> DetectionResult:
        """Results of finished tasks, in order (never waits)."""
        done = DetectionResult()
        while not self._stopped() and self.pending and self.pending[0].done():
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
        if self._stopped() or len(self.pending) <= MAX_PENDING:
            return None
        oldest = self.pending[0]
        if self._waiter is None or self._waiter[0] is not oldest:
            self._waiter = (oldest, asyncio.wrap_future(oldest))
        return self._waiter[1]

    def finish(self) -> DetectionResult:
        """Wait for every queued page and attachment; their results. The wait looks up
        every ``POLL_S`` (a signal's handler runs in between): a stopped scan gets
        nothing back, at once."""
        done = DetectionResult()
        if self._stopped():
            return done
        if self.executor is not None and self.batch:
            self.pending.append(self._submit(check_pages, self.batch))
            self.batch = []
        if self.executor is not None and self.files:
            self._submit_files()
        logger.info("waiting for page detection (%d tasks)", len(self.pending))
        while self.pending:
            wait([self.pending[0]], timeout=POLL_S)
            if self._stopped():
                return DetectionResult()
            if self.pending[0].done():
                done.extend(self._result(self.pending.popleft()))
        self.close()
        return done

    def close(self) -> None:
        interrupt.forget(self.abort)
        if self.executor is not None:
            self.executor.shutdown(wait=not self.aborted, cancel_futures=True)
            self.executor = None

    def _result(self, future: Future[DetectionResult]) -> DetectionResult:
        try:
            return future.result()
        except Exception as error:  # BrokenProcessPool and the like
            if self._stopped():  # the worker was stopped with the scan, it did not crash
                return DetectionResult()
            raise PageDetectionError(f"内容检测进程异常退出（{error}）") from error
