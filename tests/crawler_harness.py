"""Scrapy components of govwatch in the test process: no network, no reactor, no subprocess.

``scrapy.utils.test.get_crawler`` builds a crawler from the project's settings (the
module ``crawler/settings.py``, as ``govwatch scan`` loads it) plus a test's overrides.
No Twisted reactor is installed in the test process, so Scrapy (≥ 2.14) runs the
crawler reactorless, on asyncio: downloader middlewares and whole in-process crawls are
coroutines that ``asyncio.run`` drives, and nothing here leaves a reactor behind for the
next test.

Three ways in, from the smallest:

* spider callbacks: a spider from ``from_crawler``, requests from its ``start()``, and
  :func:`answer` / :func:`fail` to call a request's callback or errback with a response
  or an exception built here, as Scrapy's engine would;
* the downloader middleware chain the settings enable (:func:`middlewares`), with a
  stand-in for the network;
* a whole crawl through Scrapy's engine (:func:`crawl`) against a :class:`FakeSite`:
  :class:`FakeSiteHandler` answers from a dict of URLs and keeps the contract of
  Scrapy's HTTP handlers that govwatch depends on (``headers_received`` and
  ``bytes_received`` signals, ``StopDownload`` → ``download_stopped``, the request's
  ``download_timeout``).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.core.downloader.middleware import DownloaderMiddlewareManager
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadTimeoutError, StopDownload
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

import crawler.settings as project_settings_module
from crawler.items import ScanBatch
from crawler.spiders.portal import PortalSpider

HTML = "text/html; charset=utf-8"


def project_settings(module: ModuleType = project_settings_module, **overrides: Any) -> dict:
    """The settings ``crawler/settings.py`` defines, with ``overrides`` on top."""
    values = {name: value for name, value in vars(module).items() if name.isupper()}
    return {**values, **overrides}


def make_crawler(spidercls: type[Spider] = PortalSpider, **settings: Any) -> Crawler:
    """A crawler with the project's settings; the terminal progress line (which needs a
    reactor) stays off unless a test turns it on."""
    return get_crawler(spidercls, project_settings(**{"GOVWATCH_PROGRESS": False, **settings}))


def portal_spider(
    crawler: Crawler | None = None,
    start_urls: Iterable[str] = ("http://www.example.gov.cn/",),
    allowed_domains: Iterable[str] = ("www.example.gov.cn",),
    **kwargs: Any,
) -> PortalSpider:
    crawler = crawler or make_crawler(PortalSpider)
    spider = PortalSpider.from_crawler(
        crawler, start_urls=list(start_urls), allowed_domains=list(allowed_domains), **kwargs
    )
    crawler.spider = spider  # as Crawler.crawl() does
    return spider


def start_requests(spider: Spider) -> list[Request]:
    async def collect() -> list[Request]:
        return [request async for request in spider.start()]

    return asyncio.run(collect())


# -- what a download handler would give a callback ----------------------------------------


def response(
    request: Request,
    status: int = 200,
    body: bytes | str = b"",
    headers: dict[str, str] | None = None,
    *,
    url: str | None = None,
    flags: list[str] | None = None,
) -> Response:
    """The response Scrapy would build for ``request`` (class chosen from the headers)."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    if request.method == "HEAD":
        body = b""
    url = url or request.url
    prepared = Headers(headers or {})
    cls = responsetypes.from_args(headers=prepared, url=url, body=body)
    return cls(
        url, status=status, headers=prepared, body=body, request=request, flags=list(flags or [])
    )


def html(request: Request, text: str, status: int = 200, **kwargs: Any) -> Response:
    return response(request, status, text, {"Content-Type": HTML}, **kwargs)


def answer(request: Request, *args: Any, **kwargs: Any) -> list[Any]:
    """Call ``request``'s callback with a response built by :func:`response` (or the
    given one); everything the callback yields."""
    got = args[0] if args and isinstance(args[0], Response) else response(request, *args, **kwargs)
    assert request.callback is not None
    return list(request.callback(got) or ())


def fail(request: Request, error: BaseException) -> list[Any]:
    """Call ``request``'s errback as Scrapy does when the download raised ``error``."""
    failure = Failure(error)
    failure.request = request  # type: ignore[attr-defined]
    assert request.errback is not None
    return list(request.errback(failure) or ())


def headers_received(
    crawler: Crawler, request: Request, headers: dict[str, str], body_length: int | None
) -> StopDownload | None:
    """Send ``headers_received`` as Scrapy's HTTP handlers do; the ``StopDownload`` a
    receiver raised, if any (the handler then ends the download there)."""
    return _stop(
        crawler.signals.send_catch_log(
            signal=signals.headers_received,
            headers=Headers(headers),
            body_length=body_length,
            request=request,
            spider=crawler.spider,
        )
    )


def bytes_received(crawler: Crawler, request: Request, data: bytes) -> StopDownload | None:
    return _stop(
        crawler.signals.send_catch_log(
            signal=signals.bytes_received, data=data, request=request, spider=crawler.spider
        )
    )


def _stop(results: list[tuple[Any, Any]]) -> StopDownload | None:
    for _receiver, result in results:
        if isinstance(result, Failure) and isinstance(result.value, StopDownload):
            return result.value
    return None


def requests(outputs: Iterable[Any]) -> list[Request]:
    return [o for o in outputs if isinstance(o, Request)]


def batches(outputs: Iterable[Any]) -> list[ScanBatch]:
    return [o for o in outputs if isinstance(o, ScanBatch)]


def is_probe(request: Request) -> bool:
    """The spider's soft-404 probe: a GET of a random page that cannot exist."""
    return "/govwatch-probe-" in request.url


# -- the downloader middleware chain ---------------------------------------------------------


def middlewares(crawler: Crawler) -> DownloaderMiddlewareManager:
    """The downloader middlewares the crawler's settings enable, built as Scrapy builds them
    and told that the crawler's spider opened (some set themselves up then)."""
    manager = DownloaderMiddlewareManager.from_crawler(crawler)
    if crawler.spider is not None:
        crawler.signals.send_catch_log(signal=signals.spider_opened, spider=crawler.spider)
    return manager


@dataclass
class Network:
    """Stands in for the download handler below the middlewares: records what reached it
    (and when), answers with ``reply(request)``."""

    reply: Callable[[Request], Response | BaseException]
    sent: list[tuple[float, Request]] = field(default_factory=list)

    async def __call__(self, request: Request) -> Response:
        self.sent.append((time.monotonic(), request))
        result = self.reply(request)
        if isinstance(result, BaseException):
            raise result
        return result


def pump(
    crawler: Crawler,
    first: Iterable[Request],
    reply: Callable[[Request], Response | BaseException],
) -> tuple[list[Any], Network]:
    """Send ``first`` and every request the callbacks yield, one at a time, through the
    middleware chain to ``reply``, and call back as the engine would. What the callbacks
    yielded besides requests, and the network record."""
    manager = middlewares(crawler)
    network = Network(reply)
    outputs: list[Any] = []

    async def run() -> None:
        queue = deque(first)
        while queue:
            request = queue.popleft()
            try:
                got = await manager.download_async(network, request)
            except Exception as error:
                produced = fail(request, error)
            else:
                produced = answer(request, got) if isinstance(got, Response) else [got]
            for output in produced:
                (queue if isinstance(output, Request) else outputs).append(output)

    asyncio.run(run())
    return outputs, network


# -- a whole crawl through Scrapy's engine ---------------------------------------------------


@dataclass
class Reply:
    """How the fake site answers one request."""

    status: int = 200
    body: bytes | str = b""
    content_type: str | None = HTML
    headers: dict[str, str] = field(default_factory=dict)
    declare_length: bool = True  # send Content-Length
    delay_s: float = 0.0  # before the headers; past the request's download_timeout: timeout
    error: BaseException | None = None  # raised instead of answering


@dataclass
class FakeSite:
    """URL → reply (a list: one reply per request, the last one repeated); anything
    else is a 404 page. ``log`` records (method, url) of every request that reached it."""

    routes: dict[str, Reply | list[Reply]]
    log: list[tuple[str, str]] = field(default_factory=list)
    items: list[Any] = field(default_factory=list)

    def __deepcopy__(self, memo: dict) -> FakeSite:
        return self  # the crawler copies its settings; the test must see the same site

    def reply(self, request: Request) -> Reply:
        self.log.append((request.method, request.url))
        route = self.routes.get(request.url)
        if route is None:
            return Reply(404, "<html><head><title>404 Not Found</title></head></html>")
        if isinstance(route, list):
            return route.pop(0) if len(route) > 1 else route[0]
        return route

    def requested(self, url: str) -> list[str]:
        """The methods used on ``url``, in order."""
        return [method for method, logged in self.log if logged == url]


class FakeSiteHandler(BaseDownloadHandler):
    """A download handler answering from the crawl's :class:`FakeSite` (setting
    ``FAKE_SITE``), with the signal and timeout behaviour of Scrapy's HTTP handlers."""

    CHUNK = 16 * 1024

    async def download_request(self, request: Request) -> Response:
        reply = self.crawler.settings["FAKE_SITE"].reply(request)
        if reply.delay_s:
            timeout = request.meta.get("download_timeout", 0)
            if timeout and reply.delay_s >= timeout:
                await asyncio.sleep(timeout)
                raise DownloadTimeoutError(f"Getting {request.url} took longer than {timeout}s")
            await asyncio.sleep(reply.delay_s)
        if reply.error is not None:
            raise reply.error
        body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
        header_values = dict(reply.headers)
        if reply.content_type:
            header_values["Content-Type"] = reply.content_type
        if reply.declare_length:
            header_values["Content-Length"] = str(len(body))
        if request.method == "HEAD":
            body = b""
        length = len(body) if reply.declare_length else None
        stop = headers_received(self.crawler, request, header_values, length)
        if stop is not None:
            return self._response(request, reply, header_values, b"", stop)
        received = b""
        for start in range(0, len(body), self.CHUNK):
            received += body[start : start + self.CHUNK]
            stop = bytes_received(self.crawler, request, body[start : start + self.CHUNK])
            if stop is not None:
                return self._response(request, reply, header_values, received, stop)
        return self._response(request, reply, header_values, body, None)

    @staticmethod
    def _response(
        request: Request,
        reply: Reply,
        headers: dict[str, str],
        body: bytes,
        stop: StopDownload | None,
    ) -> Response:
        got = response(request, reply.status, body, headers)
        if stop is not None:
            got.flags.append("download_stopped")
            if stop.fail:
                stop.response = got
                raise stop
        return got


class CollectItems:
    """Item pipeline of :func:`crawl`: keeps every item, and at close what the spider has
    not emitted yet (``drain()``, as the storage pipeline takes it)."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.site: FakeSite = crawler.settings["FAKE_SITE"]

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CollectItems:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        self.site.items.append(item)
        return item

    def close_spider(self) -> None:
        drain = getattr(self.crawler.spider, "drain", None)
        if drain is not None:
            self.site.items.append(drain())


@dataclass
class Crawl:
    crawler: Crawler
    site: FakeSite

    @property
    def spider(self) -> Any:
        return self.crawler.spider

    @property
    def batches(self) -> list[ScanBatch]:
        return [item for item in self.site.items if isinstance(item, ScanBatch)]

    @property
    def results(self) -> dict[str, Any]:
        """URL → its UrlResult (each URL must be emitted once)."""
        found: dict[str, Any] = {}
        for batch in self.batches:
            for result in batch.results:
                assert result.url not in found, f"{result.url} emitted twice"
                found[result.url] = result
        return found

    @property
    def pages(self) -> list[Any]:
        return [page for batch in self.batches for page in batch.pages]

    @property
    def finish_reason(self) -> str | None:
        assert self.crawler.stats is not None
        return self.crawler.stats.get_value("finish_reason")


def crawl(
    site: FakeSite,
    spidercls: type[Spider] = PortalSpider,
    settings: dict[str, Any] | None = None,
    **spider_kwargs: Any,
) -> Crawl:
    """Run one crawl of ``site`` through Scrapy's engine, in this process. (Not for a
    spider whose ``custom_settings`` name its own item pipelines.)"""
    handler = f"{FakeSiteHandler.__module__}.{FakeSiteHandler.__qualname__}"
    values: dict[str, Any] = {
        "FAKE_SITE": site,
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
        "DOWNLOAD_DELAY": 0,
        "ITEM_PIPELINES": {f"{CollectItems.__module__}.{CollectItems.__qualname__}": 300},
        "GOVWATCH_PROGRESS": False,
        **(settings or {}),
    }
    crawler = make_crawler(spidercls, **values)
    asyncio.run(crawler.crawl_async(**spider_kwargs))
    return Crawl(crawler, site)
