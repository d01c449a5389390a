"""Scan progress on a terminal: pages crawled, queued, URLs checked, errors.

Redraws one status line on stderr once a second when stderr is a terminal;
stays silent otherwise (cron, CI, logs).
"""

from __future__ import annotations

import sys
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task


class ScanProgress:
    def __init__(self, crawler: Any, stream: Any):
        self.crawler = crawler
        self.stream = stream
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ScanProgress:
        stream = sys.stderr
        if not crawler.settings.getbool("GOVWATCH_PROGRESS", stream.isatty()):
            raise NotConfigured
        ext = cls(crawler, stream)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, **_: Any) -> None:
        self.loop = task.LoopingCall(self.draw)
        self.loop.start(1.0, now=False)

    def spider_closed(self, **_: Any) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()
        self.draw()
        self.stream.write("\n")
        self.stream.flush()

    def draw(self) -> None:
        engine = self.crawler.engine
        queued = 0
        try:
            queued = len(engine._slot.scheduler) + len(engine.downloader.active)  # type: ignore[union-attr]
        except Exception:
            queued = 0
        spider = self.crawler.spider
        line = (
            f"\r已抓取页面 {len(spider.parsed_pages)}  待处理 {queued}"
            f"  已检查网址 {spider.checked}  不可用 {spider.broken}"
        )
        self.stream.write(line.ljust(70))
        self.stream.flush()
