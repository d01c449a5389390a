"""HTTP download handler whose connection pool fits govwatch's per-host limits.

Scrapy sizes the keep-alive pool for ``CONCURRENT_REQUESTS_PER_DOMAIN`` (the
limit for other people's hosts), so the site's own hosts, fetched with more
concurrency, would open and close a connection per request. Twisted's
automatic re-send of a GET/HEAD that fails on a *reused* keep-alive connection
stays on: browsers do the same, and a server closing idle connections is not a
broken link.
"""

from __future__ import annotations

from typing import Any

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler


class PooledHTTPDownloadHandler(HTTP11DownloadHandler):
    def __init__(self, crawler: Any):
        super().__init__(crawler)
        self._pool.maxPersistentPerHost = crawler.settings.getint("CONCURRENT_REQUESTS")
