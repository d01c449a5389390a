"""Re-check one finding now ("已整改，立即复查"), from the review app.

The finding's page is fetched again with httpx under the scan's fetch policy
(:mod:`crawler.fetch_policy`: the site's timeout, retries and ``Retry-After`` cap, the
crawler's browser-like User-Agent and headers, HEAD then GET for files, redirects
followed one by one, soft-404 pages by what their title or short body says), and:

* a finding of a page detector (its scope is ``markup`` or ``text``) is looked for again
  by that detector alone, with the site's settings: gone → ``fixed``;
* a finding about a link target (``details.target_url``, e.g. a broken link): the target
  answers → ``fixed``; it still fails, but the page no longer links it → ``fixed``;
* anything else (a column, an account, the whole site) needs a full scan: nothing changes.

A fixed finding gets the event (actor = the user, action ``fixed``, note "复查已修复");
otherwise a comment says the problem is still there, or why the re-check could not tell
(a page that does not answer proves nothing). Only http(s) URLs are ever fetched.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx
from sqlalchemy.orm import Session

from common.urls import looks_like_resource, url_key
from common.vocabulary import UNRESOLVED, describe_error
from crawler.errors import classify_error
from crawler.fetch_policy import (
    Done,
    FetchPolicy,
    FollowRedirect,
    Retry,
    SwitchToGet,
    UrlFetch,
)
from crawler.page_links import extract_links, page_meta, page_title
from crawler.settings import DEFAULT_REQUEST_HEADERS, USER_AGENT
from crawler.soft404 import says_not_found
from detectors.base import PAGE_SCOPES
from detectors.page import PageContext, parse_html
from detectors.page_text import visible_text
from detectors.registry import detector_class, detectors_for
from detectors.runner import prepare_batch, run_detectors
from storage.access import Access
from storage.models import Finding
from storage.reviews import ReviewError, apply_review

PAGE_MAX_BYTES = 32 * 1024 * 1024  # as the crawler reads a page
CHECK_BODY_LIMIT = 2 * 1024 * 1024  # of a link target, for the soft-404 rules
MAX_WAIT_S = 10.0  # a person is waiting: no single retry waits longer

Result = Literal["fixed", "still_there", "inconclusive"]
FIXED_NOTE = "复查已修复"


@dataclass
class Fetched:
    """What fetching one URL concluded (``outcome`` as the crawler's), and its page."""

    outcome: str
    http_status: int | None
    error: str | None
    final_url: str
    body: bytes = b""
    content_type: str = ""
    attempts: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class RecheckOutcome:
    result: Result
    message: str  # for the user, in Chinese (also the history note)
    finding: Finding
    attempts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def fixed(self) -> bool:
        return self.result == "fixed"


class RecheckError(ReviewError):
    """A finding that cannot be re-checked now (the message says why, in Chinese)."""


def _http_url(url: str | None) -> bool:
    if not url:
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _site(config: Any) -> Any:
    return getattr(config, "config", config).site


def _client(config: Any) -> httpx.Client:
    site = _site(config)
    headers = {**DEFAULT_REQUEST_HEADERS, "User-Agent": site.user_agent or USER_AGENT}
    return httpx.Client(
        headers=headers, timeout=httpx.Timeout(site.timeout_s), follow_redirects=False
    )


def fetch(
    client: httpx.Client, url: str, policy: FetchPolicy, *, as_page: bool, limit: int
) -> Fetched:
    """Fetch ``url`` as the crawler confirms a URL (:class:`UrlFetch` decides each step),
    reading at most ``limit`` bytes of the final answer."""
    method = "HEAD" if not as_page and looks_like_resource(url) else "GET"
    state = UrlFetch(url_key(url), url, as_page, policy, method=method)
    body, content_type = b"", ""
    while True:
        if not _http_url(state.current_url):
            return Fetched("broken", None, "unsupported_scheme", state.current_url)
        started = time.monotonic()
        try:
            with client.stream(state.method, state.current_url) as response:
                elapsed = int((time.monotonic() - started) * 1000)
                content_type = response.headers.get("content-type", "")
                headers = {
                    name: response.headers[name.decode()].encode("latin-1", "replace")
                    for name in (b"Location", b"Retry-After")
                    if name.decode() in response.headers
                }
                action = state.answer(response.status_code, headers, elapsed)
                if isinstance(action, Done) and state.method == "GET":
                    body = _read(response, limit)
        except httpx.HTTPError as error:
            elapsed = int((time.monotonic() - started) * 1000)
            kind = "timeout" if isinstance(error, httpx.TimeoutException) else classify_error(error)
            action = state.fail(kind, elapsed)
        if isinstance(action, Retry):
            time.sleep(min(action.delay_s, MAX_WAIT_S))
        elif isinstance(action, (SwitchToGet, FollowRedirect)):
            continue
        elif isinstance(action, Done):
            attempts = [a.as_dict() for a in state.attempts]
            return Fetched(
                action.outcome,
                action.http_status,
                action.error,
                state.current_url,
                body,
                content_type,
                attempts,
            )


def _read(response: httpx.Response, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= limit:
            break
    return b"".join(chunks)[:limit]


def _html(fetched: Fetched) -> bool:
    kind = fetched.content_type.split(";")[0].strip().lower()
    return kind in ("", "text/html", "application/xhtml+xml")


def _page(fetched: Fetched, url: str) -> PageContext | None:
    """The fetched page, parsed (None when it is not an HTML page that says something)."""
    if fetched.outcome != "ok" or not fetched.body or not _html(fetched):
        return None
    root = parse_html(fetched.body)
    if root is None:
        return None
    title = page_title(root)
    if says_not_found(title, visible_text(root).text):
        fetched.outcome, fetched.error = "broken", "soft_404"
        return None
    return PageContext(url=url, title=title, meta=page_meta(root), root=root)


def _why(fetched: Fetched, timeout_s: float) -> str:
    if fetched.error == "unsupported_scheme":
        return "跳转到了非 http(s) 地址"
    return describe_error(fetched.error or "", fetched.http_status, timeout_s)


def _still_on_page(page: PageContext, fetched: Fetched, target: str) -> bool:
    key = url_key(target)
    links = extract_links(page.root, fetched.final_url or page.url)
    return any(url_key(link.target_url) == key for link in links)


def recheck(
    session: Session,
    finding: Finding,
    config: Any,
    *,
    actor: str,
    access: Access | None = None,
    client: httpx.Client | None = None,
) -> RecheckOutcome:
    """Re-check ``finding`` (of ``config``'s site, a ``LoadedConfig`` or ``SiteConfig``)
    now and record what was found as ``actor``. ``access`` is the user's (default: an
    administrator's: the caller already found the finding under the user's access)."""
    access = access or Access.admin(actor)
    if finding.status not in UNRESOLVED:
        raise RecheckError("只有待整改或已确认的问题可以复查")
    site = _site(config)
    if site.id != finding.site_id:
        raise RecheckError(f"配置文件是站点“{site.id}”的，不是该问题所在的站点“{finding.site_id}”")
    policy = FetchPolicy(retries=site.retries, retry_after_cap_s=site.retry_after_cap_s)
    cls = detector_class(finding.detector)
    target = (finding.details or {}).get("target_url")
    own = client is None
    client = client or _client(config)
    try:
        if cls is not None and cls.scope in PAGE_SCOPES:
            result, message, attempts = _recheck_page(client, policy, finding, config, cls)
        elif cls is not None and isinstance(target, str) and target:
            result, message, attempts = _recheck_target(
                client, policy, finding, target, site.timeout_s
            )
        else:
            result, message, attempts = "inconclusive", "该类问题需等待下次完整扫描复查", []
    finally:
        if own:
            client.close()
    if result == "fixed":
        apply_review(
            session, finding.id, actor=actor, access=access, action="fixed", reason=FIXED_NOTE
        )
        message = f"{FIXED_NOTE}：{message}"
    else:
        apply_review(
            session, finding.id, actor=actor, access=access, action="comment", reason=message
        )
    return RecheckOutcome(result, message, finding, attempts)


def _recheck_page(
    client: httpx.Client, policy: FetchPolicy, finding: Finding, config: Any, cls: Any
) -> tuple[Result, str, list[dict[str, Any]]]:
    timeout_s = _site(config).timeout_s
    if not _http_url(finding.page_url):
        return "inconclusive", "页面地址不是 http(s) 网址，无法复查", []
    fetched = fetch(client, finding.page_url, policy, as_page=True, limit=PAGE_MAX_BYTES)
    page = _page(fetched, finding.page_url)
    if page is None:
        why = _why(fetched, timeout_s) if fetched.outcome != "ok" else "不是可读取的网页"
        return "inconclusive", f"复查未完成：页面无法读取（{why}），问题状态不变", fetched.attempts
    site_config = getattr(config, "config", config)
    detectors = detectors_for(site_config, cls.scope, ids=[cls.id])
    if not detectors:
        return "inconclusive", "该检测项在本站点未启用，无法复查", fetched.attempts
    prepare_batch(detectors, [page])
    found = run_detectors(detectors, page)
    if found.failures:  # a detector that failed has not looked: that proves nothing
        return "inconclusive", "复查未完成：检测出错，问题状态不变", fetched.attempts
    if any(f.fingerprint == finding.fingerprint for f in found.findings):
        return "still_there", "复查：问题仍然存在", fetched.attempts
    return "fixed", "页面上已不再有该问题", fetched.attempts


def _recheck_target(
    client: httpx.Client, policy: FetchPolicy, finding: Finding, target: str, timeout_s: float
) -> tuple[Result, str, list[dict[str, Any]]]:
    if not _http_url(target):
        return "inconclusive", "链接地址不是 http(s) 网址，无法复查", []
    checked = fetch(client, target, policy, as_page=False, limit=CHECK_BODY_LIMIT)
    if checked.outcome == "ok" and checked.body and _html(checked):
        _page(checked, target)  # a soft 404 says so in its title or short body
    attempts = list(checked.attempts)
    if checked.outcome == "ok":
        return "fixed", "链接已可以正常访问", attempts
    if checked.outcome == "inconclusive":
        return (
            "inconclusive",
            "复查未完成：链接暂时无法确认（服务器限制访问频率），问题状态不变",
            attempts,
        )
    if _http_url(finding.page_url):
        fetched = fetch(client, finding.page_url, policy, as_page=True, limit=PAGE_MAX_BYTES)
        attempts += fetched.attempts
        page = _page(fetched, finding.page_url)
        if page is not None and not _still_on_page(page, fetched, target):
            return "fixed", "页面上已删除该链接", attempts
    return "still_there", f"复查：链接仍无法访问（{_why(checked, timeout_s)}）", attempts
