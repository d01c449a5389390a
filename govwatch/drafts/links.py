"""The links of a draft, checked live before publication with the scan's fetch policy.

The scan confirms a URL through :class:`crawler.fetch_policy.UrlFetch` (retries, HEAD
then GET, redirects, ``Retry-After``) inside Scrapy's reactor; a draft has a handful of
links and is checked in a command or a web request, so the same decisions are driven
here by httpx, a few URLs at a time. A browser's identity is sent (the crawler's), the
site's ``timeout_s``, ``retries`` and ``retry_after_cap_s`` apply, and only what the
policy calls broken is reported (``inconclusive``, a 429 that never lifts, is not).
The broken ones become the rows of a :class:`DraftLinks` subject, which the registry's
``checks_drafts`` site detectors read as they read a scan's.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx

from common.urls import url_key
from crawler.errors import classify_error
from crawler.fetch_policy import Done, FetchPolicy, Retry, UrlFetch, UrlResult
from crawler.page_links import extract_links
from crawler.settings import DEFAULT_REQUEST_HEADERS, USER_AGENT
from detectors.broken_link import BrokenLinkRow

MAX_LINKS = 200  # links of one draft checked; the rest are said to be skipped
WORKERS = 8
_URL_RE = re.compile(r"https?://[^\s<>\"'“”‘’（）()，。；、！？【】《》]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}"


@dataclass(frozen=True)
class DraftLink:
    url: str
    element: str  # a, img, script … ("a" for an address written in text)
    text: str


@dataclass
class DraftLinks:
    """The site-detector subject of a draft: its broken links (``BrokenLinkSubject``)."""

    page_url: str
    home_key: str  # empty: a draft is an article, never the home page
    timeout_s: float
    rows: list[BrokenLinkRow] = field(default_factory=list)
    checked: int = 0
    skipped: int = 0

    def broken_links(self) -> Iterable[BrokenLinkRow]:
        return self.rows


def links_in_html(root: Any, base_url: str) -> list[DraftLink]:
    """The page's web links (every element the scan follows), once per target."""
    seen: set[str] = set()
    found = []
    for link in extract_links(root, base_url):
        if link.target_url.startswith(("http://", "https://")) and link.target_key not in seen:
            seen.add(link.target_key)
            found.append(DraftLink(link.target_url, link.element, link.text))
    return found


def links_in_text(text: str) -> list[DraftLink]:
    """Web addresses written out in the text, once each."""
    seen: set[str] = set()
    found = []
    for match in _URL_RE.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        if url_key(url) not in seen:
            seen.add(url_key(url))
            found.append(DraftLink(url, "a", url))
    return found


def _error_of(error: Exception) -> str:
    if isinstance(error, httpx.TimeoutException):
        return "timeout"
    if isinstance(error, httpx.TooManyRedirects):
        return "too_many_redirects"
    return classify_error(error)


def confirm(client: httpx.Client, url: str, policy: FetchPolicy, wait_cap_s: float) -> UrlResult:
    """One URL through the scan's fetch policy; GET is streamed and its body not read."""
    fetch = UrlFetch(url_key(url), url, False, policy, method="GET")
    while True:
        started = time.monotonic()
        try:
            with client.stream(fetch.method, fetch.current_url) as response:
                elapsed = int((time.monotonic() - started) * 1000)
                fetch.record(response.status_code, None, elapsed)
                action = fetch.on_response(
                    response.status_code,
                    response.headers.get("location"),
                    response.headers.get("retry-after"),
                )
                content_type = response.headers.get("content-type", "")
        except httpx.HTTPError as error:
            elapsed = int((time.monotonic() - started) * 1000)
            action = fetch.fail(_error_of(error), elapsed)
            content_type = ""
        if isinstance(action, Done):
            return fetch.result(action, content_type)
        if isinstance(action, Retry):
            time.sleep(min(action.delay_s, wait_cap_s))


def check_links(
    links: list[DraftLink],
    page_url: str,
    site: Any,
    client: httpx.Client | None = None,
) -> DraftLinks:
    """The draft's links confirmed live (at most ``MAX_LINKS``); ``site`` is the config's
    ``site`` section (timeout, retries, user agent)."""
    subject = DraftLinks(page_url, "", float(site.timeout_s))  # a draft is no home page
    todo, subject.skipped = links[:MAX_LINKS], max(0, len(links) - MAX_LINKS)
    subject.checked = len(todo)
    if not todo:
        return subject
    policy = FetchPolicy(retries=site.retries, retry_after_cap_s=site.retry_after_cap_s)
    own = client is None
    client = client or httpx.Client(
        headers={**DEFAULT_REQUEST_HEADERS, "User-Agent": site.user_agent or USER_AGENT},
        timeout=float(site.timeout_s),
        follow_redirects=False,  # the policy follows them, counting
        verify=False,  # as the scan: a visitor's browser opens these pages
        trust_env=False,
    )
    try:
        with ThreadPoolExecutor(min(WORKERS, len(todo))) as pool:
            results = list(
                pool.map(
                    lambda link: confirm(client, link.url, policy, site.retry_after_cap_s), todo
                )
            )
    finally:
        if own:
            client.close()
    subject.rows = list(_rows(page_url, todo, results))
    return subject


def _rows(
    page_url: str, links: list[DraftLink], results: list[UrlResult]
) -> Iterator[BrokenLinkRow]:
    for link, result in zip(links, results, strict=True):
        if result.outcome != "broken":
            continue
        yield result.broken_link(page_url, link.url, link.element, link.text)
