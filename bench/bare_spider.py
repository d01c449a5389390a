"""The reference crawl: a bare Scrapy link-checking spider with no storage and no detectors.

It GETs every HTML page of one host (recursively) and HEADs every other URL found on those
pages (images, attachments, css, js), each URL exactly once. Tuned as measured in
``shared/reference/link-checkers.md``: ``CONCURRENT_ITEMS = 4`` and a seen-set in the spider
so each URL becomes one ``Request`` (``dont_filter=True``); retry and redirect middleware off.

Run in its own interpreter (a Twisted reactor cannot be restarted)::

    python bench/bare_spider.py http://127.0.0.1:8080/ [--bad-urls FILE]

The last stdout line is a JSON object: ``pages``, ``others``, ``status_4xx``, ``status_5xx``,
``errors``, ``crawl_s`` (time from spider open to close).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.http import Request, Response, TextResponse
from twisted.python.failure import Failure

LINK_XPATH = "//a/@href | //area/@href | //img/@src | //link/@href | //script/@src | //iframe/@src"
PAGE_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml", ".jsp", ".php", ".asp", ".aspx")

SETTINGS: dict[str, Any] = {
    "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "CONCURRENT_ITEMS": 4,
    "HTTPERROR_ALLOW_ALL": True,
    "RETRY_ENABLED": False,
    "REDIRECT_ENABLED": False,
    "DOWNLOADER_MIDDLEWARES": {
        "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
        "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    },
    "ROBOTSTXT_OBEY": False,
    "TELNETCONSOLE_ENABLED": False,
    "DOWNLOAD_TIMEOUT": 15,
    "LOG_LEVEL": "WARNING",
}


def is_page_url(url: str) -> bool:
    """True for URLs that look like HTML pages (fetched with GET and parsed)."""
    last = urlsplit(url).path.rpartition("/")[2].lower()
    return not last or "." not in last or last.endswith(PAGE_SUFFIXES)


class BareSpider(scrapy.Spider):
    """GET pages, HEAD everything else on the same host; count, store nothing."""

    name = "bare"

    def __init__(self, start_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_url = start_url
        self.host = urlsplit(start_url).netloc
        self.seen: set[str] = {start_url}
        self.counts: Counter[str] = Counter()
        self.bad_urls: list[tuple[int, str]] = []
        self.opened_at = 0.0
        self.crawl_s = 0.0

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> BareSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._opened, signal=signals.spider_opened)
        crawler.signals.connect(spider._closed, signal=signals.spider_closed)
        return spider

    def _opened(self) -> None:
        self.opened_at = time.perf_counter()

    def _closed(self) -> None:
        self.crawl_s = time.perf_counter() - self.opened_at

    async def start(self) -> AsyncIterator[Request]:
        yield Request(self.start_url, callback=self.parse, errback=self.failed, dont_filter=True)

    def _count_status(self, response: Response) -> None:
        if response.status >= 400:
            self.counts["status_4xx" if response.status < 500 else "status_5xx"] += 1
            self.bad_urls.append((response.status, response.url))

    def parse(self, response: Response) -> Iterator[Request]:
        """Count the page and turn each new same-host link into exactly one request."""
        self.counts["pages"] += 1
        self._count_status(response)
        if not isinstance(response, TextResponse) or response.status >= 400:
            return
        content_type = response.headers.get(b"Content-Type", b"").lower()
        if b"html" not in content_type:
            return
        for href in response.xpath(LINK_XPATH).getall():
            url = urldefrag(response.urljoin(href.strip()))[0]
            if url in self.seen:
                continue
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or parts.netloc != self.host:
                continue
            self.seen.add(url)
            if is_page_url(url):
                yield Request(url, callback=self.parse, errback=self.failed, dont_filter=True)
            else:
                yield Request(
                    url, method="HEAD", callback=self.checked, errback=self.failed, dont_filter=True
                )

    def checked(self, response: Response) -> None:
        """Count a HEAD-checked URL."""
        self.counts["others"] += 1
        self._count_status(response)

    def failed(self, failure: Failure) -> None:
        """Count a request that got no HTTP response at all."""
        self.counts["errors"] += 1
        request = getattr(failure, "request", None)
        self.bad_urls.append((0, request.url if request else repr(failure.value)))

    def result(self) -> dict[str, int | float]:
        keys = ("pages", "others", "status_4xx", "status_5xx", "errors")
        return {**{k: self.counts[k] for k in keys}, "crawl_s": round(self.crawl_s, 3)}


def crawl(start_url: str) -> BareSpider:
    """Run one crawl to completion in this process and return the finished spider."""
    process = CrawlerProcess(settings=SETTINGS)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, start_url=start_url)
    process.start()
    spider = crawler.spider
    assert isinstance(spider, BareSpider)
    return spider


def main() -> int:
    parser = argparse.ArgumentParser(description="Bare Scrapy link-checking crawl of one host.")
    parser.add_argument("start_url")
    parser.add_argument("--bad-urls", type=Path, help="write 'status<TAB>url' lines here")
    args = parser.parse_args()
    spider = crawl(args.start_url)
    if args.bad_urls:
        lines = "".join(f"{status}\t{url}\n" for status, url in sorted(spider.bad_urls))
        args.bad_urls.write_text(lines, encoding="utf-8")
    print(json.dumps(spider.result()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
