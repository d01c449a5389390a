"""The page-detection worker: back-pressure towards the crawl, batches of pages."""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from concurrent.futures import Future

import pytest

from crawler import page_detection
from crawler.page_detection import MAX_PENDING, DetectionResult, PageDetection
from detectors.term import TermDetector


def _lagging_detection() -> PageDetection:
    """A ``PageDetection`` with one task more in flight than it allows (no worker)."""
    detection = PageDetection.__new__(PageDetection)
    detection.pending = deque(Future() for _ in range(MAX_PENDING + 1))
    detection.batch = []
    detection.executor = None
    detection._waiter = None
    return detection


def test_every_waiting_item_shares_one_wait_for_the_oldest_task() -> None:
    """Hundreds of items waiting cost one callback on the task and one hop into the
    event loop when it finishes, not one per item; a cancelled item does not cancel
    the others' wait."""
    detection = _lagging_detection()

    async def scenario() -> None:
        first = detection.backlog()
        assert first is not None and detection.backlog() is first
        waits = [asyncio.ensure_future(asyncio.shield(detection.backlog())) for _ in range(500)]
        await asyncio.sleep(0)
        oldest = detection.pending[0]
        assert len(oldest._done_callbacks) == 1  # type: ignore[attr-defined]
        waits[0].cancel()
        finisher = threading.Thread(target=oldest.set_result, args=(DetectionResult(),))
        finisher.start()
        done = await asyncio.gather(*waits[1:])
        finisher.join()
        assert len(done) == 499
        assert detection.collect().findings == []
        assert detection.backlog() is None  # back within the limit

    asyncio.run(scenario())


def test_a_new_oldest_task_gets_a_new_wait() -> None:
    detection = _lagging_detection()
    detection.pending.append(Future())  # two over the limit

    async def scenario() -> None:
        first = detection.backlog()
        detection.pending[0].set_result(DetectionResult())
        await asyncio.shield(first)
        detection.collect()
        second = detection.backlog()
        assert second is not None and second is not first
        detection.pending[0].set_result(DetectionResult())
        await asyncio.shield(second)

    asyncio.run(scenario())


PAGES = [
    ("http://127.0.0.1:1/a.html", "通知", {"PubDate": "2024-06-01"},
     "<html><body><p>各单位要认真布署，落实国土资源局的要求。</p></body></html>", ""),
    ("http://127.0.0.1:1/b.html", "空页", {}, "", ""),
    ("http://127.0.0.1:1/c.html", "新闻", {"PubDate": "2024-06-01"},
     "<html><body><p>联系电话13800138000</p><p>北朝鲜代表团来访</p></body></html>", ""),
]  # fmt: skip


def _findings(result: DetectionResult) -> list[tuple[str, str, str, str]]:
    return [(f.detector, f.page_url, f.key, f.message) for f in result.findings]


def _with_page_detectors(monkeypatch: pytest.MonkeyPatch) -> TermDetector:
    from datetime import date

    from detectors.privacy_leak import PrivacyLeakDetector
    from detectors.resources import term_matcher

    term = TermDetector(term_matcher((), ()))
    monkeypatch.setattr(page_detection, "_detectors", [term, PrivacyLeakDetector()])
    monkeypatch.setattr(page_detection, "_today", date(2024, 9, 27))
    return term


def test_a_batch_finds_what_its_pages_find_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """The batch is searched at once (``prepare``); findings and facts are the same and
    come in page order."""
    _with_page_detectors(monkeypatch)
    one_by_one = DetectionResult()
    for page in PAGES:
        one_by_one.extend(page_detection.check_page(*page))
    batch = page_detection.check_pages(PAGES)
    assert _findings(batch) == _findings(one_by_one)
    assert {f.detector for f in batch.findings} == {"term", "privacy_leak"}
    assert [f.url for f in batch.facts] == [f.url for f in one_by_one.facts]


def test_a_failed_batch_search_falls_back_to_each_page(monkeypatch: pytest.MonkeyPatch) -> None:
    term = _with_page_detectors(monkeypatch)
    expected = _findings(page_detection.check_pages(PAGES))

    find_many = term.matcher.find_many

    def broken(texts: list) -> list:  # fails on a batch, works page by page
        if len(texts) > 1:
            raise RuntimeError("boom")
        return find_many(texts)

    monkeypatch.setattr(term.matcher, "find_many", broken)
    assert _findings(page_detection.check_pages(PAGES)) == expected


def test_huge_pages_are_grouped_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch is parsed a bounded group at a time; the findings do not change."""
    _with_page_detectors(monkeypatch)
    expected = _findings(page_detection.check_pages(PAGES))
    sizes = [len(page[3]) for page in PAGES]
    monkeypatch.setattr(page_detection, "GROUP_CHARS", max(sizes) + 1)
    groups = list(page_detection._groups(PAGES))
    assert [p for group in groups for p in group] == PAGES
    assert all(sum(len(p[3]) for p in group) <= max(sizes) + 1 for group in groups)
    assert len(groups) > 1
    monkeypatch.setattr(page_detection, "GROUP_CHARS", 1)  # every page alone
    assert [len(group) for group in page_detection._groups(PAGES)] == [1, 1, 1]
    assert _findings(page_detection.check_pages(PAGES)) == expected


class _RecordingExecutor:
    """Stands in for the worker pool: records each task, runs it here."""

    def __init__(self) -> None:
        self.tasks: list[tuple[object, tuple]] = []

    def submit(self, fn, *args) -> Future:
        self.tasks.append((fn, args))
        future: Future = Future()
        future.set_result(DetectionResult())
        return future


def test_attachments_go_to_the_worker_in_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """One task per ``ATTACHMENTS_PER_TASK`` files (or per ``ATTACHMENT_TASK_BYTES`` of
    them), not one per file; what is left goes when the crawl finishes."""
    monkeypatch.setattr(page_detection, "ATTACHMENTS_PER_TASK", 3)
    monkeypatch.setattr(page_detection, "ATTACHMENT_TASK_BYTES", 100)
    detection = _lagging_detection()
    detection.pending = deque()
    detection.files, detection.files_bytes = [], 0
    detection.aborted = False
    executor = detection.executor = _RecordingExecutor()  # type: ignore[assignment]
    monkeypatch.setattr(detection, "close", lambda: None)

    def attach(name: str, size: int) -> None:
        detection.submit_attachment(name, f"http://x/{name}", "pdf", "http://x/", None, b"%" * size)

    for name in ("a", "b", "c", "d"):
        attach(name, 10)
    attach("big", 200)  # over the bytes limit: goes with what waits
    attach("e", 10)
    assert [[a[0] for a in args[0]] for _, args in executor.tasks] == [
        ["a", "b", "c"],
        ["d", "big"],
    ]
    detection.finish()
    assert [fn for fn, _ in executor.tasks] == [page_detection.check_attachments] * 3
    assert [a[0] for a in executor.tasks[2][1][0]] == ["e"]
