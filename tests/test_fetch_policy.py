"""The rules that decide whether a URL is broken, on plain values."""

from __future__ import annotations

from common.urls import url_key
from crawler.fetch_policy import (
    Done,
    FetchPolicy,
    FollowRedirect,
    Retry,
    SwitchToGet,
    UrlFetch,
    parse_retry_after,
)

POLICY = FetchPolicy(retries=2, backoff_s=1.0, retry_after_cap_s=10)


def fetch(url: str = "http://h/a.html", method: str = "GET") -> UrlFetch:
    return UrlFetch(url_key(url), url, False, POLICY, method=method)


def answer(f: UrlFetch, status: int, location=None, retry_after=None):
    f.record(status, None, 5)
    return f.on_response(status, location, retry_after)


def test_ok_and_404():
    assert answer(fetch(), 200) == Done("ok", 200, None)
    assert answer(fetch(), 404) == Done("broken", 404, "http_404")
    assert answer(fetch(), 410) == Done("broken", 410, "http_410")


def test_head_rejected_falls_back_to_get():
    for status in (405, 501, 403, 404, 500):
        f = fetch("http://h/a.pdf", "HEAD")
        assert answer(f, status) == SwitchToGet()
        assert f.method == "GET"
        assert answer(f, 200) == Done("ok", 200, None)


def test_flaky_5xx_retried_with_backoff_then_ok():
    f = fetch()
    assert answer(f, 503) == Retry(1.0)
    assert answer(f, 502) == Retry(2.0)
    assert answer(f, 200) == Done("ok", 200, None)


def test_persistent_5xx_is_broken_after_retries():
    f = fetch()
    assert isinstance(answer(f, 500), Retry)
    assert isinstance(answer(f, 500), Retry)
    assert answer(f, 500) == Done("broken", 500, "http_500")
    assert len(f.attempts) == 3


def test_429_honours_retry_after_within_cap():
    f = fetch()
    assert answer(f, 429, retry_after="3") == Retry(3.0)
    assert answer(f, 200) == Done("ok", 200, None)


def test_persistent_429_is_inconclusive_not_broken():
    f = fetch()
    assert isinstance(answer(f, 429, retry_after="1"), Retry)
    assert isinstance(answer(f, 429, retry_after="1"), Retry)
    assert answer(f, 429, retry_after="1") == Done("inconclusive", 429, "rate_limited")


def test_retry_after_beyond_cap_is_not_waited_for():
    assert answer(fetch(), 429, retry_after="3600") == Done("inconclusive", 429, "rate_limited")
    assert answer(fetch(), 503, retry_after="3600") == Done("broken", 503, "http_503")


def test_retry_after_http_date():
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == 10.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after("7") == 7.0


def test_redirect_followed_and_chain_recorded():
    f = fetch("http://h/old")
    assert answer(f, 301, location="/new.html") == FollowRedirect("http://h/new.html")
    assert answer(f, 200) == Done("ok", 200, None)
    result = f.result(Done("ok", 200, None))
    assert result.final_url == "http://h/new.html"
    assert [a.status for a in result.attempts] == [301, 200]


def test_redirect_loop_is_too_many_redirects():
    f = fetch("http://h/a")
    assert isinstance(answer(f, 302, location="/b"), FollowRedirect)
    assert answer(f, 302, location="/a") == Done("broken", 302, "too_many_redirects")


def test_long_redirect_chain_is_too_many_redirects():
    f = fetch("http://h/r0")
    for i in range(1, 11):
        assert isinstance(answer(f, 302, location=f"/r{i}"), FollowRedirect)
    assert answer(f, 302, location="/r11") == Done("broken", 302, "too_many_redirects")


def test_redirect_without_location_is_broken():
    assert answer(fetch(), 302) == Done("broken", 302, "http_302")


def test_network_errors():
    f = fetch()
    f.record(None, "timeout", 2000)
    assert f.on_error("timeout") == Retry(1.0)
    f.record(None, "timeout", 2000)
    assert f.on_error("timeout") == Retry(2.0)
    f.record(None, "timeout", 2000)
    assert f.on_error("timeout") == Done("broken", None, "timeout")
    assert fetch().on_error("dns") == Done("broken", None, "dns")
    assert fetch().on_error("ssl") == Done("broken", None, "ssl")


def test_reset_on_head_tries_get():
    f = fetch("http://h/a.pdf", "HEAD")
    assert f.on_error("connection_reset") == SwitchToGet()
