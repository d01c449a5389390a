"""The new-media spider: read each configured account through its mirror.

Per account: fetch the feed (the fetch policy's retries, redirects and timeouts,
like any URL), parse it (:func:`crawler.new_media.feeds.parse_feed`), then fetch
the article pages of its newest WeChat posts (title-only mirrors put the text
there, and a deleted post shows up only there) and confirm every link in the
posts, once per scan. When all of that is known, the account is emitted as one
:class:`~crawler.new_media.reads.NewMediaBatch`. A feed that fails, in any way,
is an ``unreachable`` read with its reason; it never stops the other accounts
or the portal's crawl, which runs beside this spider in the same process.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest, StopDownload
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from common import clock
from common.urls import looks_like_resource, url_key
from crawler.errors import classify_error, ignored_reason
from crawler.fetch_policy import Done, FetchPolicy, Retry, UrlFetch, UrlResult
from crawler.middlewares import elapsed_ms
from crawler.new_media.feeds import MAX_FEED_BYTES, FeedError, parse_feed
from crawler.new_media.post_time import now_beijing
from crawler.new_media.reads import AccountRead, ArticleRead, NewMediaBatch
from crawler.new_media.wechat import MAX_PAGE_CHARS, parse_article
from crawler.page_links import page_title
from crawler.soft404 import may_say_not_found, says_not_found
from detectors.page_text import visible_text

logger = logging.getLogger(__name__)

MAX_ARTICLES_PER_ACCOUNT = 20  # newest posts whose article page is read each scan
MAX_LINKS_PER_ACCOUNT = 500
LINK_BODY_LIMIT = 2 * 1024 * 1024
SOFT404_BODY_BYTES = 30_000
HTML_TYPES = ("text/html", "application/xhtml")


def _is_html(content_type: str) -> bool:
    return content_type.split(";", 1)[0].strip().lower() in HTML_TYPES


class _AccountState:
    """What is still outstanding for one account."""

    def __init__(self, read: AccountRead):
        self.read = read
        self.pending: set[str] = set()  # "article:<key>" and "link:<key>" tasks
        self.link_keys: set[str] = set()
        self.emitted = False


class NewMediaSpider(scrapy.Spider):
    name = "new_media"
    custom_settings = {  # noqa: RUF012  (Scrapy reads this class attribute)
        "ITEM_PIPELINES": {"crawler.new_media.pipeline.NewMediaPipeline": 300},
        "EXTENSIONS": {"crawler.progress.ScanProgress": None},
    }

    def __init__(self, accounts: list[Any], policy: FetchPolicy | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.accounts = list(accounts)
        self.policy = policy or FetchPolicy()
        self.states: list[_AccountState] = []
        self.link_results: dict[str, UrlResult] = {}
        self.link_waiters: dict[str, list[_AccountState]] = {}

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> NewMediaSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._on_headers, signal=signals.headers_received)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for account in self.accounts:
            read = AccountRead(account, account.feed, "unreachable", clock.now())
            state = _AccountState(read)
            self.states.append(state)
            fetch = UrlFetch(url_key(account.feed), account.feed, True, self.policy)
            yield self._request(fetch, "feed", state)

    def _request(
        self, fetch: UrlFetch, role: str, state: _AccountState | None, delay: float = 0.0
    ) -> scrapy.Request:
        meta: dict[str, Any] = {
            "fetch": fetch,
            "role": role,
            "state": state,
            "delay_s": delay,
            "dont_redirect": True,
            "handle_httpstatus_all": True,
            "dont_retry": True,
        }
        if role == "feed":
            meta["download_maxsize"] = MAX_FEED_BYTES
        elif role == "article":
            meta["download_maxsize"] = MAX_PAGE_CHARS
        headers = None
        if role == "feed":
            headers = {
                "Accept": "application/rss+xml, application/atom+xml, application/feed+json, "
                "application/json;q=0.9, application/xml;q=0.9, */*;q=0.8"
            }
        return scrapy.Request(
            fetch.current_url,
            method=fetch.method,
            headers=headers,
            callback=self._on_response,
            errback=self._on_error,
            dont_filter=True,
            priority=1 if role != "link" else 0,
            meta=meta,
        )

    def _on_headers(self, headers, body_length, request, spider, **_: Any) -> None:
        """Links: read only HTML bodies of a sensible size (soft-404 check)."""
        if request.meta.get("role") != "link" or request.method != "GET":
            return
        content_type = (headers.get(b"Content-Type") or b"").decode("latin-1")
        if not _is_html(content_type) or (body_length and body_length > LINK_BODY_LIMIT):
            raise StopDownload(fail=False)

    # -- outcomes -------------------------------------------------------------------------

    def _on_response(self, response: Response) -> Iterator[Any]:
        meta = response.meta
        fetch: UrlFetch = meta["fetch"]
        elapsed = int(meta.get("download_latency", 0) * 1000)
        action = fetch.answer(response.status, response.headers, elapsed)
        if not isinstance(action, Done):
            delay = action.delay_s if isinstance(action, Retry) else 0.0
            yield self._request(fetch, meta["role"], meta["state"], delay)
            return
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        result = fetch.result(action, content_type)
        yield from self._done(meta["role"], meta["state"], fetch, result, response)

    def _on_error(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        meta = request.meta
        fetch: UrlFetch = meta["fetch"]
        if failure.check(IgnoreRequest) and ignored_reason(failure.value) == "too_large":
            fetch.record(None, "too_large", 0)  # unpacks beyond the size cap
            action: Any = Done("broken", None, "too_large")
        elif failure.check(IgnoreRequest):
            action = Done("inconclusive", None, ignored_reason(failure.value))
        elif type(failure.value).__name__ == "DownloadCancelledError":  # over the size cap
            fetch.record(None, "too_large", 0)
            action = Done("broken", None, "too_large")
        else:
            action = fetch.fail(classify_error(failure.value), elapsed_ms(meta))
        if not isinstance(action, Done):
            delay = action.delay_s if isinstance(action, Retry) else 0.0
            yield self._request(fetch, meta["role"], meta["state"], delay)
            return
        yield from self._done(meta["role"], meta["state"], fetch, fetch.result(action), None)

    def _done(
        self,
        role: str,
        state: _AccountState | None,
        fetch: UrlFetch,
        result: UrlResult,
        response: Response | None,
    ) -> Iterator[Any]:
        try:
            if role == "feed":
                assert state is not None
                yield from self._feed_done(state, fetch, result, response)
            elif role == "article":
                assert state is not None
                yield from self._article_done(state, fetch, result, response)
            else:
                yield from self._link_done(result, response)
        except Exception:  # one odd answer must not stop the other accounts
            logger.exception("new media: could not handle %s", fetch.url)
            if role == "link":
                yield from self._notify(result)
            elif state is not None:
                state.pending.discard(f"article:{fetch.key}")
                if role == "feed":
                    state.read.error = "parse_error"
                    state.read.error_detail = "镜像返回的内容无法识别"
                yield from self._maybe_emit(state)

    def _feed_done(
        self, state: _AccountState, fetch: UrlFetch, result: UrlResult, response: Response | None
    ) -> Iterator[Any]:
        read = state.read
        read.http_status = result.http_status
        read.attempts = [a.as_dict() for a in result.attempts]
        if result.outcome != "ok" or response is None:
            read.error = result.error or f"http_{result.http_status}"
            yield from self._maybe_emit(state)
            return
        try:
            feed = parse_feed(response.body, response.url, result.content_type, now_beijing())
        except FeedError as error:
            read.error, read.error_detail = error.code, str(error)
            yield from self._maybe_emit(state)
            return
        read.outcome, read.feed = "ok", feed
        if state.read.account.platform == "wechat":
            yield from self._schedule_articles(state)
        for post in feed.posts:
            yield from self._schedule_links(state, post.links)
        yield from self._maybe_emit(state)

    def _schedule_articles(self, state: _AccountState) -> Iterator[scrapy.Request]:
        read = state.read
        assert read.feed is not None
        feed_key = url_key(read.feed_url)
        wanted = 0
        for post in read.feed.posts:
            if wanted >= MAX_ARTICLES_PER_ACCOUNT:
                break
            key = url_key(post.url)
            if key == feed_key or key in read.articles or looks_like_resource(post.url):
                continue
            wanted += 1
            read.articles[key] = ArticleRead(post.url)
            state.pending.add(f"article:{key}")
            fetch = UrlFetch(key, post.url, True, self.policy)
            yield self._request(fetch, "article", state)

    def _article_done(
        self, state: _AccountState, fetch: UrlFetch, result: UrlResult, response: Response | None
    ) -> Iterator[Any]:
        task = f"article:{fetch.key}"
        article = state.read.articles[fetch.key]
        if result.outcome == "ok" and isinstance(response, TextResponse):
            article.article = parse_article(response.text, response.url, now_beijing())
            if article.article.state == "article":
                yield from self._schedule_links(state, article.article.links)
        else:
            article.error = result.error or "unreadable"
        state.pending.discard(task)
        yield from self._maybe_emit(state)

    def _schedule_links(self, state: _AccountState, links: list[Any]) -> Iterator[scrapy.Request]:
        for link in links:
            key = link.target_key
            if key in state.link_keys:
                continue
            if len(state.link_keys) >= MAX_LINKS_PER_ACCOUNT:
                return
            state.link_keys.add(key)
            if key in self.link_results:
                state.read.links[key] = self.link_results[key]
                continue
            state.pending.add(f"link:{key}")
            waiters = self.link_waiters.get(key)
            if waiters is not None:
                waiters.append(state)
                continue
            self.link_waiters[key] = [state]
            method = "HEAD" if looks_like_resource(link.target_url) else "GET"
            fetch = UrlFetch(key, link.target_url, False, self.policy, method)
            yield self._request(fetch, "link", None)

    def _link_done(self, result: UrlResult, response: Response | None) -> Iterator[Any]:
        self._check_soft404(result, response)
        yield from self._notify(result)

    @staticmethod
    def _check_soft404(result: UrlResult, response: Response | None) -> None:
        """A link that answers 200 with "page not found" is broken (as on the portal)."""
        if (
            result.outcome == "ok"
            and isinstance(response, TextResponse)
            and response.request is not None
            and response.request.method == "GET"
            and _is_html(result.content_type or "")
            and "download_stopped" not in response.flags
        ):
            try:
                root = response.selector.root
                title = page_title(root)
                small = len(response.body) < SOFT404_BODY_BYTES and may_say_not_found(response.text)
                if says_not_found(title, visible_text(root).text if small else None):
                    result.outcome, result.error = "broken", "soft_404"
            except Exception:  # an unparsable page is not a broken link
                logger.debug("new media: unparsable link target %s", result.url)

    def _notify(self, result: UrlResult) -> Iterator[NewMediaBatch]:
        self.link_results[result.key] = result
        for state in self.link_waiters.pop(result.key, []):
            state.read.links[result.key] = result
            state.pending.discard(f"link:{result.key}")
            yield from self._maybe_emit(state)

    def _maybe_emit(self, state: _AccountState) -> Iterator[NewMediaBatch]:
        if not state.pending and not state.emitted:
            state.emitted = True
            yield NewMediaBatch(state.read)

    def unfinished(self) -> list[NewMediaBatch]:
        """Accounts still waiting when the spider closes (a cut-short crawl): what is known.
        Their unread articles and unchecked links leave those posts unchecked."""
        left = [NewMediaBatch(s.read) for s in self.states if not s.emitted]
        for state in self.states:
            state.emitted = True
        return left
