"""Python's cyclic garbage collector, tuned while a crawl runs.

A crawl makes and drops objects at a high rate (requests, responses, deferreds, items,
parsed pages) while its long-lived state (the URLs seen, the queue, the caches) keeps
growing. Under CPython's default threshold the collector looks at the young objects
every 700 allocations: objects that live a little longer than that (a page's links
waiting for a batch, a queued request) survive two looks, are promoted to the oldest
generation, and every promotion counts toward a full collection. A 20,000-article scan
ran 66 full collections, one a second, each walking the whole heap and none freeing an
object: 9–10 s of the crawl process's CPU, 12–14 s with the young collections
(``bench/README.md``, issue 18). Looking every ``GOVWATCH_GC_THRESHOLD`` (10,000)
allocations lets those objects die young: 150 collections, about 1 s.

Larger thresholds cost more than they save (the young generation outgrows the processor's
caches; 50,000 was slower than 10,000). Cyclic garbage is still collected, only in larger
rounds. ``GOVWATCH_GC_THRESHOLD = 0`` leaves the collector as Python set it. The previous
thresholds are restored when the last crawl of the process closes.
"""

from __future__ import annotations

import gc
import weakref
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

DEFAULT_THRESHOLD = 10_000

# The crawls of this process that are open (a crawler dropped unclosed drops out), and
# the thresholds found when the first of them opened.
_open: weakref.WeakSet[CrawlGC] = weakref.WeakSet()
_saved: tuple[int, ...] | None = None


class CrawlGC:
    """Raises the young generation's threshold for the duration of the crawl."""

    def __init__(self, threshold: int):
        self.threshold = threshold

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlGC:
        threshold = crawler.settings.getint("GOVWATCH_GC_THRESHOLD", DEFAULT_THRESHOLD)
        if threshold <= 0:
            raise NotConfigured
        ext = cls(threshold)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, **_: Any) -> None:
        global _saved
        if not _open:
            _saved = gc.get_threshold()
        _open.add(self)
        young, *older = gc.get_threshold()
        if young < self.threshold:
            gc.set_threshold(self.threshold, *older)

    def spider_closed(self, **_: Any) -> None:
        global _saved
        _open.discard(self)
        if not _open and _saved is not None:
            gc.set_threshold(*_saved)
            _saved = None
