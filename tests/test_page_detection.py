"""Back-pressure between the crawl and the page-detection worker."""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from concurrent.futures import Future

from crawler.page_detection import MAX_PENDING, DetectionResult, PageDetection


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
