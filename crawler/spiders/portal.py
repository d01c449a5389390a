"""The portal spider: crawl a site's pages, confirm every URL they link to, once.

Each distinct URL (by :func:`common.urls.url_key`) becomes one
:class:`~crawler.fetch_policy.UrlFetch`; the spider only carries out what the
fetch policy decides (retry later, HEAD→GET, follow a redirect) and emits:

* a :class:`~crawler.items.PageItem` for every HTML page of the allowed domains
  it parsed, with the links on it;
* a :class:`~crawler.fetch_policy.UrlResult` for every URL it confirmed, shared
  by every page that links to it;

both in :class:`~crawler.items.ScanBatch` items of about ``BATCH_SIZE``.

Scrapy's own retry, redirect and dupefilter are off: deciding what counts as
broken is the point of this spider, so it does that itself.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from lxml import etree
from scrapy import signals
from scrapy.exceptions import IgnoreRequest, StopDownload
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from common.urls import in_domains, looks_like_resource, origin_of, url_key
from crawler.errors import classify_error, ignored_reason
from crawler.fetch_policy import (
    Done,
    FetchPolicy,
    FollowRedirect,
    Retry,
    SwitchToGet,
    UrlFetch,
    UrlResult,
)
from crawler.items import AttachmentItem, PageItem, ScanBatch
from crawler.middlewares import elapsed_ms
from crawler.page_links import extract_links, page_meta, page_title
from crawler.soft404 import PageSignature, matches_probe, may_say_not_found, says_not_found
from detectors.attachment_text import attachment_kind
from detectors.dates import publication_date
from detectors.deep_markup import NestingCut
from detectors.page import parse_page
from detectors.page_text import visible_text

logger = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml")
CHECK_BODY_LIMIT = 2 * 1024 * 1024  # bytes of an HTML link target read for soft-404 checks
# Bytes of a page read; a larger page is not parsed (the link to it works: "too_large").
# The spider stops every body at its own limit, below Scrapy's DOWNLOAD_MAXSIZE (whose
# cancellation would read as a network failure).
PAGE_MAX_BYTES = 32 * 1024 * 1024
MAXSIZE_SLACK = 1024 * 1024  # Scrapy's limit for a body the spider reads: its own + this
TOO_LARGE = "govwatch/too_large"  # stats: pages too large to read, responses too large to unpack
PAGES_BEYOND_LIMIT = "govwatch/pages_beyond_max_pages"  # stats: pages only link-checked
BATCH_SIZE = 100
# Attachment bodies held for one batch: beyond this the batch goes at once (memory).
BATCH_ATTACHMENT_BYTES = 8 * 1024 * 1024
SOFT404_BODY_BYTES = 30_000  # below this a page body is short enough to read for "not found"
DEEP_PAGES = "govwatch/deep_pages"  # stats: pages of the site read with nesting left out
DEEP_PAGE_URLS = "govwatch/deep_page_urls"  # the first MAX_DEEP_PAGE_URLS of them
MAX_DEEP_PAGE_URLS = 20


def _page_root(response: TextResponse) -> tuple[Any, NestingCut | None]:
    """The page's tree, parsed as the detection worker parses it
    (:func:`detectors.page.parse_page`: stray ``</body>``/``</html>`` repaired, nesting
    bounded), not through a parsel ``Selector``: a fresh parser per page and HTML element
    classes cost more than the parse itself. As parsel did, NULs are dropped (libxml2
    reads each as U+FFFD) and a page with no element reads as an empty ``<html>``."""
    text = response.text
    if "\x00" in text:
        text = text.replace("\x00", "")
    root, cut = parse_page(text.encode("utf-8", "surrogatepass"))
    return (etree.Element("html"), None) if root is None else (root, cut)


def _is_html(content_type: str) -> bool:
    return content_type.split(";", 1)[0].strip().lower() in HTML_TYPES


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(
        self,
        start_urls: list[str],
        allowed_domains: list[str],
        max_pages: int = 50000,
        policy: FetchPolicy | None = None,
        attachment_max_bytes: int = 0,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.start_urls = list(start_urls)
        self.allowed = tuple(allowed_domains)
        self.max_pages = max_pages
        self.policy = policy or FetchPolicy()
        # Attachments of the site (PDF/DOCX/XLSX) up to this size are read for the
        # text detectors (0: only link-checked); each is owned by the first page
        # seen linking it (url, its PubDate).
        self.attachment_max_bytes = attachment_max_bytes
        self.referrers: dict[str, tuple[str, Any]] = {}
        self._attachments: list[AttachmentItem] = []
        self._attachment_bytes = 0
        self.seen: set[str] = set()
        self.pages_scheduled = 0
        self.parsed_pages: set[str] = set()
        # soft-404 probes: origin -> signature of its "not found" page (None: honest 404)
        self.probes: dict[str, PageSignature | None] = {}
        self.parked: dict[str, list[tuple[UrlResult, PageSignature]]] = {}
        self.start_failures: dict[str, UrlResult] = {}
        self.start_keys = {url_key(u) for u in self.start_urls}
        self._pages: list[PageItem] = []
        self._results: list[UrlResult] = []
        self.checked = 0
        self.broken = 0

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> PortalSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._on_headers, signal=signals.headers_received)
        crawler.signals.connect(spider._on_bytes, signal=signals.bytes_received)
        return spider

    # -- scheduling ---------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.start_urls:
            request = self.schedule(url, depth=0)
            if request is not None:
                yield request

    def is_page_candidate(self, url: str) -> bool:
        return in_domains(url, self.allowed) and not looks_like_resource(url)

    def schedule(
        self, url: str, depth: int, referrer: tuple[str, Any] | None = None
    ) -> scrapy.Request | None:
        """A request for ``url`` unless it was already scheduled this scan."""
        key = url_key(url)
        if key in self.seen:
            return None
        self.seen.add(key)
        as_page = self.is_page_candidate(url)
        if as_page and self.pages_scheduled >= self.max_pages:
            as_page = False  # only link-checked; the scan says the limit was reached
            self.crawler.stats.inc_value(PAGES_BEYOND_LIMIT)
        if as_page:
            self.pages_scheduled += 1
        own = (
            self.attachment_max_bytes > 0 and referrer is not None and in_domains(url, self.allowed)
        )
        if own:
            self.referrers[key] = referrer  # type: ignore[assignment]
        # HEAD where a GET would download a file we do not read; GET where we read it.
        reads = not looks_like_resource(url) or (own and attachment_kind(url) is not None)
        method = "GET" if reads else "HEAD"
        fetch = UrlFetch(key, url, as_page, self.policy, method=method)
        return self._request(fetch, depth=depth)

    def _request(
        self, fetch: UrlFetch, depth: int, delay: float = 0.0, probe: bool = False
    ) -> scrapy.Request:
        priority = 10 if probe else self._priority(fetch)
        return scrapy.Request(
            fetch.current_url,
            method=fetch.method,
            callback=self._on_response,
            errback=self._on_error,
            dont_filter=True,
            priority=priority,
            meta={
                "fetch": fetch,
                "depth": depth,
                "probe": probe,
                "delay_s": delay,
                "sent_at": 0.0,
                "dont_redirect": True,
                "handle_httpstatus_all": True,
                "dont_retry": True,
            },
        )

    def _priority(self, fetch: UrlFetch) -> int:
        """Probes first (10: results of their host wait for them). Then the site's own
        files and images (2), checked as they are found: every page linking one waits in
        memory for its result, and a site's shared images and scripts are linked from
        every page, so queued behind the pages they held links of the whole site. Then
        pages (1), then other hosts' URLs (0): a scan cut short by its time limit has
        read the site rather than checked the rest of the web."""
        if fetch.as_page:
            return 1
        return 2 if in_domains(fetch.url, self.allowed) else 0

    def _on_headers(self, headers, body_length, request, spider, **_: Any) -> None:
        """Stop reading bodies we do not need: files, and oversized pages."""
        fetch = request.meta.get("fetch")
        if fetch is None or request.method != "GET":
            return
        content_type = (headers.get(b"Content-Type") or b"").decode("latin-1")
        if not _is_html(content_type):
            if fetch.as_page and not content_type:
                # an untyped page: read it and let the parser judge
                self._read_up_to(request, body_length, PAGE_MAX_BYTES)
                return
            if fetch.key in self.referrers and attachment_kind(request.url, content_type):
                request.meta["attachment"] = True  # to read, up to the size limit
                self._read_up_to(request, body_length, self.attachment_max_bytes)
                return
            raise StopDownload(fail=False)
        limit = PAGE_MAX_BYTES if fetch.as_page else CHECK_BODY_LIMIT
        self._read_up_to(request, body_length, limit)

    @staticmethod
    def _read_up_to(request: scrapy.Request, body_length: int, limit: int) -> None:
        """Read this body up to ``limit`` bytes (an undeclared size is cut as the bytes
        come, :meth:`_on_bytes`); Scrapy's own limit (and the limit of unpacking a
        compressed body) is set just above, so that the spider's stop comes first and
        keeps the link "ok"."""
        # Twisted says UNKNOWN_LENGTH (a string) when the server declares no length.
        if isinstance(body_length, int) and body_length > limit:
            raise StopDownload(fail=False)
        request.meta["body_limit"] = limit
        request.meta["download_maxsize"] = limit + MAXSIZE_SLACK

    def _on_bytes(self, data: bytes, request, spider, **_: Any) -> None:
        """Stop reading a body that turns out larger than its limit."""
        limit = request.meta.get("body_limit")
        if not limit:
            return
        received = request.meta.get("received_bytes", 0) + len(data)
        request.meta["received_bytes"] = received
        if received > limit:
            raise StopDownload(fail=False)

    # -- outcomes -------------------------------------------------------------

    def _on_response(self, response: Response) -> Iterator[Any]:
        request = response.request
        meta = response.meta
        fetch: UrlFetch = meta["fetch"]
        elapsed = int(meta.get("download_latency", 0) * 1000)
        action = fetch.answer(response.status, response.headers, elapsed)
        if not isinstance(action, Done):
            yield self._next(action, fetch, meta)
            return
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        result = fetch.result(action, content_type)
        if meta.get("probe"):
            yield from self._on_probe(fetch, result, response)
            return
        yield from self._finish(result, fetch, response, meta["depth"], request.method)

    def _on_error(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        meta = request.meta
        fetch: UrlFetch = meta["fetch"]
        if failure.check(IgnoreRequest):
            action: Any = Done("inconclusive", None, ignored_reason(failure.value))
            if action.error == "too_large":
                self.crawler.stats.inc_value(TOO_LARGE)
        else:
            error = classify_error(failure.value)
            action = fetch.fail(error, elapsed_ms(meta))
            if error not in ("dns", "ssl"):
                logger.debug("%s %s: %s (%s)", request.method, request.url, error, failure.value)
        if not isinstance(action, Done):
            yield self._next(action, fetch, meta)
            return
        result = fetch.result(action)
        if meta.get("probe"):
            yield from self._on_probe(fetch, result, None)
            return
        yield from self._finish(result, fetch, None, meta["depth"], request.method)

    def _next(self, action: Any, fetch: UrlFetch, meta: dict) -> scrapy.Request:
        delay = action.delay_s if isinstance(action, Retry) else 0.0
        assert isinstance(action, Retry | SwitchToGet | FollowRedirect)
        return self._request(fetch, meta["depth"], delay, probe=meta.get("probe", False))

    def _finish(
        self, result: UrlResult, fetch: UrlFetch, response: Response | None, depth: int, method: str
    ) -> Iterator[Any]:
        if result.key in self.start_keys and result.outcome != "ok":
            self.start_failures[result.url] = result
        final_key = url_key(fetch.current_url)
        if final_key != result.key and final_key not in self.seen:
            # A redirect reached a URL nobody linked yet: it now has its own result.
            self.seen.add(final_key)
            yield from self._emit(
                UrlResult(
                    final_key,
                    fetch.current_url,
                    fetch.current_url,
                    result.outcome,
                    result.http_status,
                    result.error,
                    0,
                    result.content_type,
                    [],
                )
            )
        referrer = self.referrers.pop(result.key, None)
        if referrer and result.outcome == "ok" and method == "GET" and response is not None:
            self._attachment(result, response, referrer)
        html = (
            result.outcome == "ok"
            and method == "GET"
            and isinstance(response, TextResponse)
            and _is_html(result.content_type or "text/html")
        )
        if html and response is not None and "download_stopped" in response.flags:
            html = False
            if fetch.as_page:  # it answers, but is too large to read: not a broken link
                result.error = "too_large"
                self.crawler.stats.inc_value(TOO_LARGE)
                logger.warning("页面超过 %d MB，未读取：%s", PAGE_MAX_BYTES >> 20, result.url)
        if not html:
            yield from self._emit(result)
            return
        assert isinstance(response, TextResponse)
        try:
            root, cut = _page_root(response)
        except Exception:  # a page lxml cannot parse is not a broken link
            logger.warning("无法解析页面：%s", response.url)
            yield from self._emit(result)
            return
        title = page_title(root)
        # Reading the visible text is costly; only pages that mention "not found" need it.
        body_text = (
            visible_text(root).text
            if len(response.body) < SOFT404_BODY_BYTES and may_say_not_found(response.text)
            else None
        )
        if says_not_found(title, body_text):
            result.outcome, result.error = "broken", "soft_404"
            yield from self._emit(result)
            return
        if (
            fetch.as_page
            and in_domains(response.url, self.allowed)
            and final_key not in self.parsed_pages
        ):
            self.parsed_pages.add(final_key)
            if cut is not None:
                self._record_cut(response.url, cut)
            yield from self._parse_page(result, response, root, title, depth)
        origin = origin_of(response.url)
        if origin not in self.probes:
            self.probes[origin] = None
            self.parked[origin] = []
            yield self._probe_request(origin, depth)
        if origin in self.parked:  # probe still under way (briefly: it goes first)
            text = body_text if body_text is not None else visible_text(root).text
            self.parked[origin].append((result, PageSignature.of(response.url, title, text)))
            return
        probe = self.probes[origin]
        if probe is not None and title.strip() == probe.title:  # only then compare bodies
            text = body_text if body_text is not None else visible_text(root).text
            if matches_probe(result.url, PageSignature.of(response.url, title, text), probe):
                result.outcome, result.error = "broken", "soft_404"
        yield from self._emit(result)

    def _attachment(self, result: UrlResult, response: Response, referrer: tuple[str, Any]) -> None:
        """Queue a downloaded attachment of the site for the text detectors."""
        kind = attachment_kind(response.url, result.content_type or "")
        if kind is None or not response.meta.get("attachment"):
            return
        linked_from, published = referrer
        item = AttachmentItem(
            key=result.key,
            url=result.url,
            kind=kind,
            linked_from=linked_from,
            linked_published=published,
            size=len(response.body),
            body=response.body,
        )
        if "download_stopped" in response.flags:
            size = max(response.meta.get("received_bytes", 0), len(response.body))
            declared = response.headers.get(b"Content-Length")
            if declared and declared.isdigit():
                size = max(size, int(declared))
            item.body, item.size = b"", size
            item.skipped = f"文件超过 {self.attachment_max_bytes / (1024 * 1024):g} MB，未检查内容"
        self._attachments.append(item)
        self._attachment_bytes += len(item.body)

    def _record_cut(self, url: str, cut: NestingCut) -> None:
        """A page of the site read with its middle nesting left out: logged and counted
        (the scan keeps the count and the first URLs, and its summary says so)."""
        logger.warning("页面 %s %s", url, cut.describe())
        stats = self.crawler.stats
        stats.inc_value(DEEP_PAGES)
        urls = stats.get_value(DEEP_PAGE_URLS, [])
        if len(urls) < MAX_DEEP_PAGE_URLS:
            stats.set_value(DEEP_PAGE_URLS, [*urls, url])

    def _parse_page(
        self, result: UrlResult, response: TextResponse, root: Any, title: str, depth: int
    ) -> Iterator[Any]:
        links = extract_links(root, response.url, response.encoding)
        meta = page_meta(root)
        referrer = (response.url, publication_date(meta)) if self.attachment_max_bytes else None
        self._pages.append(
            PageItem(
                key=result.key,
                url=result.url,
                final_url=response.url,
                status=response.status,
                title=title,
                encoding=response.encoding,
                depth=depth,
                meta=meta,
                links=links,
                html=response.text,
            )
        )
        for link in links:
            request = self.schedule(link.target_url, depth + 1, referrer)
            if request is not None:
                yield request

    def _emit(self, result: UrlResult) -> Iterator[ScanBatch]:
        """Emit a URL result, with the pages and attachments read since the last batch.

        Pages, results and attachments travel in batches: one Scrapy item per URL
        costs more than checking the URL. Attachment bodies are large: a batch holding
        ``BATCH_ATTACHMENT_BYTES`` of them goes at once."""
        self.checked += 1
        self.broken += result.outcome == "broken"
        self._results.append(result)
        if (
            len(self._results) + len(self._pages) + len(self._attachments) >= BATCH_SIZE
            or self._attachment_bytes >= BATCH_ATTACHMENT_BYTES
        ):
            yield self.drain()

    def drain(self) -> ScanBatch:
        """What is not yet emitted (the storage pipeline takes it when the spider closes)."""
        batch = ScanBatch(self._pages, self._results, self._attachments)
        self._pages, self._results, self._attachments = [], [], []
        self._attachment_bytes = 0
        return batch

    # -- soft-404 probes --------------------------------------------------------

    def _probe_request(self, origin: str, depth: int) -> scrapy.Request:
        url = f"{origin}/govwatch-probe-{secrets.token_hex(8)}.html"
        fetch = UrlFetch(url_key(url), url, False, self.policy, method="GET")
        return self._request(fetch, depth=depth, probe=True)

    def _on_probe(
        self, fetch: UrlFetch, result: UrlResult, response: Response | None
    ) -> Iterator[UrlResult]:
        origin = origin_of(fetch.url)
        signature = None
        if result.outcome == "ok" and isinstance(response, TextResponse):
            try:
                root = _page_root(response)[0]
                signature = PageSignature.of(
                    response.url, page_title(root), visible_text(root).text
                )
            except Exception:
                signature = None
        self.probes[origin] = signature
        for parked, page in self.parked.pop(origin, []):
            if signature is not None and matches_probe(parked.url, page, signature):
                parked.outcome, parked.error = "broken", "soft_404"
            yield from self._emit(parked)
