"""How one URL is confirmed: methods, retries, redirects — as pure decisions.

A link is broken only when a visitor would find it broken. ``UrlFetch`` holds
the state of confirming one URL and, given what the server answered, returns
the next :class:`Action`: send again later, switch HEAD to GET, follow a
redirect, or stop with a :class:`UrlResult`. No I/O here, so every rule is a
unit test on plain values.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, Literal

from common.urls import resolve, url_key
from crawler.errors import TRANSIENT_ERRORS
from detectors.broken_link import BrokenLinkRow

Outcome = Literal["ok", "broken", "inconclusive"]

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 10


@dataclass(frozen=True)
class FetchPolicy:
    retries: int = 2
    backoff_s: float = 1.0
    retry_after_cap_s: float = 30.0
    max_redirects: int = MAX_REDIRECTS


@dataclass
class Attempt:
    url: str
    method: str
    status: int | None
    error: str | None
    elapsed_ms: int

    def as_dict(self) -> dict:
        return {
            "url": self.url,
            "method": self.method,
            "status": self.status,
            "error": self.error,
            "elapsed_ms": self.elapsed_ms,
        }


@dataclass
class UrlResult:
    """What confirming one URL concluded; shared by every page that links to it."""

    key: str
    url: str
    final_url: str | None
    outcome: Outcome
    http_status: int | None
    error: str | None
    elapsed_ms: int
    content_type: str = ""
    attempts: list[Attempt] = field(default_factory=list)

    def broken_link(
        self, page_url: str, target_url: str, element: str, link_text: str
    ) -> BrokenLinkRow:
        """A link of ``page_url`` to this (broken) URL, as the broken_link detector reads
        links (a new-media post's, a draft's)."""
        return BrokenLinkRow(
            page_url=page_url,
            page_key=url_key(page_url),
            target_url=target_url,
            target_key=self.key,
            element=element,
            link_text=link_text,
            http_status=self.http_status,
            error=self.error or "",
            final_url=self.final_url,
            attempts=[a.as_dict() for a in self.attempts],
        )


@dataclass(frozen=True)
class Retry:
    delay_s: float


@dataclass(frozen=True)
class SwitchToGet:
    pass


@dataclass(frozen=True)
class FollowRedirect:
    url: str


@dataclass(frozen=True)
class Done:
    outcome: Outcome
    http_status: int | None
    error: str | None


Action = Retry | SwitchToGet | FollowRedirect | Done


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


@dataclass
class UrlFetch:
    """The state of confirming one URL (across retries, HEAD→GET and redirects)."""

    key: str
    url: str
    as_page: bool
    policy: FetchPolicy
    method: str = "GET"
    current_url: str = ""
    tries: int = 0  # failed tries of the current URL and method
    chain: list[str] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.current_url = self.current_url or self.url
        if not self.chain:
            self.chain = [self.key]

    def record(self, status: int | None, error: str | None, elapsed_ms: int) -> None:
        self.attempts.append(Attempt(self.current_url, self.method, status, error, elapsed_ms))

    def answer(self, status: int, headers: Mapping[bytes, Any], elapsed_ms: int) -> Action:
        """Record an HTTP answer and decide what it means, from the ``Location`` and
        ``Retry-After`` headers as Scrapy gives them (bytes keys and values)."""
        self.record(status, None, elapsed_ms)
        location = headers.get(b"Location")
        retry_after = headers.get(b"Retry-After")
        return self.on_response(
            status,
            location.decode("latin-1") if location else None,
            retry_after.decode("latin-1") if retry_after else None,
        )

    def fail(self, error: str, elapsed_ms: int) -> Action:
        """Record a try that got no HTTP answer (``error`` as classified by
        :func:`crawler.errors.classify_error`) and decide what follows."""
        self.record(None, error, elapsed_ms)
        return self.on_error(error)

    def _backoff(self) -> float:
        return self.policy.backoff_s * (2 ** (self.tries - 1))

    def on_response(self, status: int, location: str | None, retry_after: str | None) -> Action:
        """Decide what an HTTP answer means (after :meth:`record`)."""
        if status in REDIRECT_STATUSES and location:
            target = resolve(self.current_url, location)
            if target is None:
                return Done("broken", status, f"http_{status}")
            target_key = url_key(target)
            if target_key in self.chain or len(self.chain) > self.policy.max_redirects:
                return Done("broken", status, "too_many_redirects")
            self.chain.append(target_key)
            self.current_url = target
            self.tries = 0
            if status == 303:
                self.method = "GET"
            return FollowRedirect(target)
        if self.method == "HEAD" and status >= 400 and status != 429:
            # Many servers mishandle HEAD (405, 501, 403, 404, even 500): ask as a browser does.
            self.method = "GET"
            self.tries = 0
            return SwitchToGet()
        if status == 429 or (status == 503 and retry_after):
            wait = parse_retry_after(retry_after)
            self.tries += 1
            if self.tries <= self.policy.retries and (
                wait is None or wait <= self.policy.retry_after_cap_s
            ):
                return Retry(max(wait if wait is not None else 0.0, self._backoff()))
            if status == 429:
                return Done("inconclusive", 429, "rate_limited")
            return Done("broken", status, f"http_{status}")
        if status >= 500 or status == 408:
            self.tries += 1
            if self.tries <= self.policy.retries:
                return Retry(self._backoff())
            return Done("broken", status, f"http_{status}")
        if 200 <= status < 300:
            return Done("ok", status, None)
        return Done("broken", status, f"http_{status}")

    def on_error(self, error: str) -> Action:
        """Decide what a network failure means (after :meth:`record`)."""
        if self.method == "HEAD" and error == "connection_reset":
            self.method = "GET"
            self.tries = 0
            return SwitchToGet()
        if error in TRANSIENT_ERRORS:
            self.tries += 1
            if self.tries <= self.policy.retries:
                return Retry(self._backoff())
        return Done("broken", None, error)

    def result(self, done: Done, content_type: str = "") -> UrlResult:
        elapsed = int((time.monotonic() - self.started) * 1000)
        final = self.current_url if done.http_status is not None else None
        return UrlResult(
            key=self.key,
            url=self.url,
            final_url=final,
            outcome=done.outcome,
            http_status=done.http_status,
            error=done.error,
            elapsed_ms=elapsed,
            content_type=content_type,
            attempts=list(self.attempts),
        )
