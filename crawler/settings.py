"""Scrapy settings for govwatch (``scrapy.cfg`` points here).

Defaults suit a site's own monitor: brisk on the site's own hosts, gentle on
everyone else's, no robots.txt unless asked. Per-site values come from the
site config through :func:`site_settings`.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

BOT_NAME = "govwatch"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
TWISTED_DNS_RESOLVER = "crawler.dns.LocalFirstResolver"
LOG_INSTALL_ROOT_HANDLER = False

# A browser-like identity: sites that answer 403 to bots but 200 to browsers are not broken.
USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    f"Chrome/126.0.0.0 Safari/537.36 govwatch/{version('govwatch')}"
)
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5",
}

ROBOTSTXT_OBEY = False
COOKIES_ENABLED = False
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2  # hosts that are not the site's own
DOWNLOAD_DELAY = 0.25
DOWNLOAD_DELAY_JITTER = 0
# Scrapy starts this many asyncio workers per response; 4 is plenty and much faster.
CONCURRENT_ITEMS = 4
# Scrapy re-reads and parses the callback's source for every response to warn about
# `return` in generators (its cache misses on bound methods): 5% of a scan's CPU.
WARN_ON_GENERATOR_RETURN_VALUE = False
DOWNLOAD_TIMEOUT = 15
# Scrapy's outer limit (a larger body is cancelled, which reads as a network failure).
# The portal spider stops every body it reads at its own limit first (pages at 32 MB,
# attachments at ``attachment_max_mb``, setting this limit per request just above), so
# this guards the new-media spider's feeds and the unpacking of compressed bodies.
DOWNLOAD_MAXSIZE = 33 * 1024 * 1024
DOWNLOAD_WARNSIZE = 0
# Verify certificates as a browser does: a visitor sees an untrusted certificate as an error.
DOWNLOAD_VERIFY_CERTIFICATES = True

# The spider decides retries, redirects and duplicates itself (crawler.fetch_policy).
RETRY_ENABLED = False
REDIRECT_ENABLED = False
METAREFRESH_ENABLED = False
HTTPERROR_ALLOW_ALL = True
DUPEFILTER_CLASS = "scrapy.dupefilters.BaseDupeFilter"
DEPTH_LIMIT = 0

DOWNLOAD_HANDLERS = {
    "http": "crawler.download_handler.PooledHTTPDownloadHandler",
    "https": "crawler.download_handler.PooledHTTPDownloadHandler",
}
DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.RetryDelayMiddleware": 50,
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
}
SPIDER_MIDDLEWARES = {
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
}
ITEM_PIPELINES = {"crawler.pipelines.StoragePipeline": 300}
EXTENSIONS = {
    "scrapy.extensions.telnet.TelnetConsole": None,
    "crawler.progress.ScanProgress": 500,
    "crawler.gc_tuning.CrawlGC": 100,
}
# Young objects are collected every this many allocations during a crawl (Python's
# default, 700, made the crawl spend a sixth of its CPU on futile full collections;
# see crawler.gc_tuning). 0 leaves Python's setting.
GOVWATCH_GC_THRESHOLD = 10_000

LOG_LEVEL = "WARNING"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"


def site_settings(site: Any) -> dict[str, Any]:
    """Per-site overrides from a validated ``SiteSection``."""
    own = site.politeness.own_hosts
    other = site.politeness.other_hosts
    slots: dict[str, dict[str, Any]] = {}
    for host in site.allowed_domains:
        slots[host] = {"concurrency": own.concurrency, "delay": own.delay_s, "jitter": 0}
    for host, limits in site.politeness.hosts.items():
        slots[host.lower()] = {
            "concurrency": limits.concurrency,
            "delay": limits.delay_s,
            "jitter": 0,
        }
    settings: dict[str, Any] = {
        "CONCURRENT_REQUESTS": site.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": other.concurrency,
        "DOWNLOAD_DELAY": other.delay_s,
        "DOWNLOAD_SLOTS": slots,
        "DOWNLOAD_TIMEOUT": site.timeout_s,
        "ROBOTSTXT_OBEY": site.respect_robots_txt,
    }
    if site.user_agent:
        settings["USER_AGENT"] = site.user_agent
    return settings
