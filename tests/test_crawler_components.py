"""The crawler's Scrapy components as the project's settings wire them, in this process.

A crawler from ``get_crawler`` with ``crawler/settings.py`` and a site's overrides
(``site_settings``), its downloader middleware chain on synthetic requests and
responses, and the portal spider's answer to what comes out of it: timeouts as
configured, Scrapy's own retry/redirect/offsite handling off (the fetch policy decides),
retry delays that hold up no one else, HEAD→GET, and every download error classified.
"""

from __future__ import annotations

import asyncio
import gc
import time
import weakref

import pytest
from OpenSSL import SSL
from scrapy import Request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    NotConfigured,
)
from twisted.internet.error import ConnectionLost, DNSLookupError
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseNeverReceived

from crawler import gc_tuning
from crawler.dns import LocalFirstResolver
from crawler.errors import classify_error
from crawler.fetch_policy import FetchPolicy
from crawler.progress import ScanProgress
from crawler.settings import site_settings
from crawler.spiders.portal import PortalSpider
from govwatch.config import parse_config
from tests.crawler_harness import (
    Network,
    answer,
    fail,
    html,
    is_probe,
    make_crawler,
    middlewares,
    portal_spider,
    pump,
    requests,
    response,
    start_requests,
)

HOME = "http://www.example.gov.cn/"
SITE_YAML = f"""site:
  id: t
  name: 测试市人民政府
  start_urls: ["{HOME}"]
  timeout_s: 7
  concurrency: 5
  politeness:
    own_hosts: {{concurrency: 3}}
    other_hosts: {{concurrency: 1, delay_s: 0.5}}
    hosts: {{"WWW.GOV.CN": {{concurrency: 1, delay_s: 2}}}}
"""


def site_crawler(extra: str = "", **settings):
    site = parse_config(SITE_YAML + extra, "site.yaml").site
    return make_crawler(PortalSpider, **{**site_settings(site), **settings})


def through(crawler, request: Request, reply) -> tuple[object, Network]:
    """``request`` down the middleware chain to ``reply`` and back up."""
    network = Network(reply)
    got = asyncio.run(middlewares(crawler).download_async(network, request))
    return got, network


# -- settings → middlewares ------------------------------------------------------------------


def test_requests_leave_with_the_sites_timeout_and_a_browser_identity():
    crawler = site_crawler()
    (request,) = start_requests(portal_spider(crawler))
    got, network = through(crawler, request, lambda r: html(r, "<title>首页</title>"))
    assert got.status == 200
    ((_, sent),) = network.sent
    assert sent.meta["download_timeout"] == 7
    agent = sent.headers[b"User-Agent"].decode()
    assert agent.startswith("Mozilla/5.0") and "Chrome/" in agent and "govwatch/" in agent
    assert sent.headers[b"Accept-Language"].startswith(b"zh-CN")
    assert sent.headers[b"Accept"].startswith(b"text/html")


def test_a_configured_user_agent_replaces_the_browser_identity():
    crawler = site_crawler('  user_agent: "govwatch-selfcheck/1.0"\n')
    (request,) = start_requests(portal_spider(crawler))
    _, network = through(crawler, request, lambda r: html(r, ""))
    assert network.sent[0][1].headers[b"User-Agent"] == b"govwatch-selfcheck/1.0"


def test_site_limits_become_crawler_settings():
    settings = site_crawler().settings
    assert settings.getint("CONCURRENT_REQUESTS") == 5
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 1
    assert settings.getfloat("DOWNLOAD_DELAY") == 0.5
    assert settings.getfloat("DOWNLOAD_TIMEOUT") == 7
    slots = settings.getdict("DOWNLOAD_SLOTS")
    assert slots["www.example.gov.cn"] == {"concurrency": 3, "delay": 0.0, "jitter": 0}
    assert slots["www.gov.cn"] == {"concurrency": 1, "delay": 2.0, "jitter": 0}
    assert settings.getbool("ROBOTSTXT_OBEY") is False


@pytest.mark.parametrize(
    ("status", "headers"),
    [
        (301, {"Location": "/new.html"}),
        (302, {"Location": "http://elsewhere.example.com/"}),
        (404, {}),
        (429, {"Retry-After": "1"}),
        (500, {}),
        (503, {}),
    ],
)
def test_scrapy_neither_retries_nor_redirects(status, headers):
    """Every answer reaches the spider as it came: the fetch policy decides what it means."""
    crawler = site_crawler()
    (request,) = start_requests(portal_spider(crawler))
    got, network = through(crawler, request, lambda r: response(r, status, b"", headers))
    assert isinstance(got, type(response(request)))  # a response, not a new request
    assert got.status == status and len(network.sent) == 1


def test_a_download_error_reaches_the_spider_untouched():
    crawler = site_crawler()
    (request,) = start_requests(portal_spider(crawler))
    error = DownloadTimeoutError("took longer than 7s")
    with pytest.raises(DownloadTimeoutError):
        through(crawler, request, lambda r: error)


def test_links_to_other_sites_are_not_filtered_out():
    crawler = site_crawler()
    spider = portal_spider(crawler)
    (start,) = start_requests(spider)
    linked = answer(start, html(start, '<a href="http://www.other.gov.cn/x.html">外部</a>'))
    (offsite,) = [r for r in requests(linked) if r.url.startswith("http://www.other.gov.cn/")]
    got, network = through(crawler, offsite, lambda r: html(r, ""))
    assert got.status == 200 and len(network.sent) == 1


# -- the retry delay -------------------------------------------------------------------------


def test_a_retry_waits_its_delay_without_holding_up_other_requests():
    crawler = site_crawler()
    manager = middlewares(crawler)
    network = Network(lambda r: html(r, ""))
    later = Request("http://www.example.gov.cn/busy.html", meta={"delay_s": 0.3})
    now = Request("http://www.example.gov.cn/other.html")

    async def both() -> float:
        started = time.monotonic()
        await asyncio.gather(
            manager.download_async(network, later), manager.download_async(network, now)
        )
        return started

    started = asyncio.run(both())
    assert [r.url for _, r in network.sent] == [now.url, later.url]
    sent_later = network.sent[1][0]
    assert sent_later - started >= 0.3
    # Stamped when it really left, so a failure reports how long the server took.
    assert later.meta["sent_at"] >= started + 0.3


def test_the_spiders_backoff_is_waited_for_then_the_url_confirmed():
    crawler = site_crawler()
    spider = portal_spider(crawler, policy=FetchPolicy(retries=2, backoff_s=0.05))
    statuses = iter([503, 502, 200])

    def flaky(request):
        if is_probe(request):
            return response(request, 404)
        return html(request, "<title>首页</title>", next(statuses))

    _, network = pump(crawler, start_requests(spider), flaky)
    home = [(at, r) for at, r in network.sent if not is_probe(r)]
    assert [r.meta["delay_s"] for _, r in home] == [0.0, 0.05, 0.1]
    assert home[1][0] - home[0][0] >= 0.05 and home[2][0] - home[1][0] >= 0.1
    (result,) = spider.drain().results
    assert (result.url, result.outcome, result.http_status) == (HOME, "ok", 200)
    assert [a.status for a in result.attempts] == [503, 502, 200]


# -- HEAD → GET ------------------------------------------------------------------------------


@pytest.mark.parametrize("refusal", [405, 501, 403, 404, 500, ConnectionLost("reset")])
def test_a_file_refusing_head_is_asked_again_with_get(refusal):
    crawler = site_crawler()
    spider = portal_spider(crawler)
    (start,) = start_requests(spider)
    linked = answer(start, html(start, '<a href="/files/a.pdf">附件</a>'))
    (pdf,) = [r for r in requests(linked) if r.url.endswith(".pdf")]
    assert pdf.method == "HEAD"  # a file nobody reads: HEAD is enough, if the server agrees

    def server(request):
        if request.method == "HEAD":
            if isinstance(refusal, BaseException):
                return ResponseNeverReceived([Failure(refusal)])
            return response(request, refusal)
        return response(request, 200, b"%PDF-1.4", {"Content-Type": "application/pdf"})

    _, network = pump(crawler, [pdf], server)
    assert [(r.method, r.url) for _, r in network.sent] == [("HEAD", pdf.url), ("GET", pdf.url)]
    (result,) = spider.drain().results
    assert (result.outcome, result.http_status, result.error) == ("ok", 200, None)


# -- download errors -------------------------------------------------------------------------


def _ssl_failure() -> Exception:
    error = DownloadFailedError("tls")
    error.__cause__ = ResponseNeverReceived(
        [Failure(SSL.Error([("SSL routines", "", "certificate verify failed")]))]
    )
    return error


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (DownloadTimeoutError("t"), "timeout"),
        (CannotResolveHostError("no such host"), "dns"),
        (DNSLookupError("x.invalid"), "dns"),
        (DownloadConnectionRefusedError("refused"), "connection_refused"),
        (ResponseNeverReceived([Failure(ConnectionLost("gone"))]), "connection_reset"),
        (_ssl_failure(), "ssl"),
        (RuntimeError("something else"), "connection"),
    ],
    ids=lambda v: v if isinstance(v, str) else type(v).__name__,
)
def test_every_download_error_is_a_broken_link_of_its_class(error, expected):
    spider = portal_spider(policy=FetchPolicy(retries=0))
    (start,) = start_requests(spider)
    assert fail(start, error) == []
    (result,) = spider.drain().results
    assert (result.outcome, result.http_status, result.error) == ("broken", None, expected)
    assert spider.start_failures[HOME] is result


@pytest.mark.parametrize(
    ("error", "retried"),
    [
        (DownloadTimeoutError("t"), True),
        (DownloadConnectionRefusedError("refused"), True),
        (ResponseNeverReceived([Failure(ConnectionLost("gone"))]), True),
        (CannotResolveHostError("no such host"), False),
        (_ssl_failure(), False),
    ],
    ids=lambda v: v if isinstance(v, bool) else type(v).__name__,
)
def test_transient_errors_are_retried_after_a_backoff_and_the_rest_are_not(error, retried):
    spider = portal_spider(policy=FetchPolicy(retries=2, backoff_s=1.5))
    (start,) = start_requests(spider)
    outputs = fail(start, error)
    if retried:
        (again,) = requests(outputs)
        assert (again.url, again.method, again.meta["delay_s"]) == (HOME, "GET", 1.5)
    else:
        assert outputs == [] and spider.drain().results[0].outcome == "broken"


def test_a_request_refused_by_robots_txt_is_inconclusive():
    spider = portal_spider()
    (start,) = start_requests(spider)
    fail(start, IgnoreRequest("Forbidden by robots.txt"))
    (result,) = spider.drain().results
    assert (result.outcome, result.error) == ("inconclusive", "robots_txt")


def test_a_timeout_through_the_whole_chain_is_retried_then_broken():
    crawler = site_crawler()
    spider = portal_spider(crawler, policy=FetchPolicy(retries=1, backoff_s=0.01))
    outputs, network = pump(
        crawler, start_requests(spider), lambda r: DownloadTimeoutError("took longer than 7s")
    )
    assert [r.meta["download_timeout"] for _, r in network.sent] == [7, 7]
    (result,) = spider.drain().results
    assert (result.outcome, result.error, len(result.attempts)) == ("broken", "timeout", 2)
    assert outputs == []


# -- DNS and the progress line ---------------------------------------------------------------


def test_special_use_names_fail_as_dns_without_asking_a_server():
    class NoReactor:
        def __getattr__(self, name):
            raise AssertionError(f"the resolver used the reactor ({name})")

    resolver = LocalFirstResolver.from_crawler(site_crawler(), NoReactor())
    failures: list[Failure] = []
    resolver.getHostByName("portal.example.INVALID.").addErrback(failures.append)
    (failure,) = failures
    assert failure.check(DNSLookupError) and classify_error(failure.value) == "dns"


def test_the_progress_line_stays_off_unless_asked_for():
    with pytest.raises(NotConfigured):
        ScanProgress.from_crawler(make_crawler(PortalSpider, GOVWATCH_PROGRESS=False))
    assert ScanProgress.from_crawler(make_crawler(PortalSpider, GOVWATCH_PROGRESS=True))


def test_young_objects_are_collected_in_larger_rounds_while_crawls_run(monkeypatch):
    """Python's default made the crawl spend a sixth of its CPU in full collections that
    freed nothing (crawler.gc_tuning); the thresholds come back when the last crawl
    closes, and 0 leaves them alone."""
    monkeypatch.setattr(gc_tuning, "_open", weakref.WeakSet())  # other tests' crawls
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        portal = gc_tuning.CrawlGC.from_crawler(make_crawler(PortalSpider))
        media = gc_tuning.CrawlGC.from_crawler(make_crawler(PortalSpider))
        portal.spider_opened()
        media.spider_opened()
        assert gc.get_threshold() == (10_000, 10, 10)
        portal.spider_closed()
        assert gc.get_threshold() == (10_000, 10, 10)  # the other crawl still runs
        media.spider_closed()
        assert gc.get_threshold() == (700, 10, 10)
        with pytest.raises(NotConfigured):
            gc_tuning.CrawlGC.from_crawler(make_crawler(PortalSpider, GOVWATCH_GC_THRESHOLD=0))
    finally:
        gc.set_threshold(*before)
