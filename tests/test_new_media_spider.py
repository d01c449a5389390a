"""The new-media spider's callbacks, fed responses built in the test.

An account is one ``NewMediaBatch``, emitted once its feed, the article pages of its
WeChat posts and the links in them are all known; a feed that fails in any way is an
``unreachable`` read with its reason; a link shared by several accounts is checked once.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from scrapy.exceptions import CannotResolveHostError, StopDownload

from crawler.fetch_policy import FetchPolicy
from crawler.new_media.feeds import MAX_FEED_BYTES
from crawler.new_media.reads import NewMediaBatch
from crawler.new_media.wechat import MAX_PAGE_CHARS
from crawler.spiders.new_media import NewMediaSpider
from tests.crawler_harness import (
    answer,
    fail,
    headers_received,
    html,
    make_crawler,
    requests,
    response,
    start_requests,
)

MIRROR = "http://rss.example.com"
RSS = "application/rss+xml"


def account(name: str, platform: str = "wechat") -> SimpleNamespace:
    """What the spider reads of a configured account (``new_media:`` in site.yaml)."""
    return SimpleNamespace(
        name=name, platform=platform, feed=f"{MIRROR}/{name}.xml", unit=None, max_silent_days=14
    )


def media_spider(*accounts: SimpleNamespace, **kwargs) -> NewMediaSpider:
    crawler = make_crawler(NewMediaSpider)
    spider = NewMediaSpider.from_crawler(crawler, accounts=list(accounts), **kwargs)
    crawler.spider = spider
    return spider


def rss(*items: tuple[str, str, str]) -> bytes:
    """(title, link, description) items, published the day before the test's today."""
    body = "".join(
        f"<item><title>{title}</title><link>{link}</link>"
        f"<pubDate>Sun, 24 Nov 2024 09:00:00 +0800</pubDate>"
        f"<description><![CDATA[{description}]]></description></item>"
        for title, link, description in items
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>发布</title>{body}</channel></rss>"
    ).encode()


def wechat_page(text: str, link: str) -> str:
    return (
        '<html><body><h1 id="activity-name">标题</h1><a id="js_name">龙南发布</a>'
        f'<div id="js_content"><p>{text}</p><a href="{link}">附件</a></div>'
        '<script>var ct = "1732410000";</script></body></html>'
    )


def reads(outputs) -> list:
    return [o.read for o in outputs if isinstance(o, NewMediaBatch)]


def test_each_account_starts_with_its_feed():
    spider = media_spider(account("a"), account("b", "weibo"))
    feeds = start_requests(spider)
    assert [(r.method, r.url) for r in feeds] == [
        ("GET", f"{MIRROR}/a.xml"),
        ("GET", f"{MIRROR}/b.xml"),
    ]
    assert b"application/rss+xml" in feeds[0].headers[b"Accept"]
    assert feeds[0].meta["download_maxsize"] == MAX_FEED_BYTES


@pytest.mark.parametrize(
    ("reply", "error", "status"),
    [
        ((404, b"", {"Content-Type": "text/html"}), "http_404", 404),
        ((200, b"<html><title>x</title></html>", {"Content-Type": "text/html"}), "not_a_feed", 200),
        ((200, rss(), {"Content-Type": RSS}), "empty_feed", 200),
        (CannotResolveHostError("rss.example.com"), "dns", None),
    ],
    ids=["404", "a web page", "no posts", "dns"],
)
def test_a_feed_that_fails_is_one_unreachable_read_saying_why(reply, error, status):
    spider = media_spider(account("a"))
    (feed,) = start_requests(spider)
    outputs = fail(feed, reply) if isinstance(reply, Exception) else answer(feed, *reply)
    (read,) = reads(outputs)
    assert (read.outcome, read.error, read.http_status) == ("unreachable", error, status)
    assert len(read.attempts) == 1


def test_a_flaky_feed_is_retried_before_it_counts():
    spider = media_spider(account("a", "weibo"), policy=FetchPolicy(retries=1, backoff_s=0.5))
    (feed,) = start_requests(spider)
    (again,) = answer(feed, 502)
    assert again.meta["delay_s"] == 0.5
    (read,) = reads(
        answer(again, 200, rss(("通知", f"{MIRROR}/p/1", "正文")), {"Content-Type": RSS})
    )
    assert read.outcome == "ok" and [p.title for p in read.feed.posts] == ["通知"]
    assert [a["status"] for a in read.attempts] == [502, 200]


def test_a_wechat_account_is_emitted_once_its_articles_and_their_links_are_known():
    spider = media_spider(account("a"))
    (feed,) = start_requests(spider)
    body = rss(("一", f"{MIRROR}/s/1", ""), ("二", f"{MIRROR}/s/2", ""))
    articles = requests(answer(feed, 200, body, {"Content-Type": RSS}))
    assert [(r.url, r.meta["download_maxsize"]) for r in articles] == [
        (f"{MIRROR}/s/1", MAX_PAGE_CHARS),
        (f"{MIRROR}/s/2", MAX_PAGE_CHARS),
    ]
    first, second = articles
    (link,) = requests(answer(first, html(first, wechat_page("要认真落实", "http://x.gov.cn/a"))))
    assert (link.method, link.url) == ("GET", "http://x.gov.cn/a")
    assert (
        answer(second, html(second, "<html><body><h2>该内容已被发布者删除</h2></body></html>"))
        == []
    )
    (read,) = reads(answer(link, html(link, "<title>页面不存在</title>")))
    assert read.outcome == "ok"
    states = {a.url: a.article.state for a in read.articles.values()}
    assert states == {f"{MIRROR}/s/1": "article", f"{MIRROR}/s/2": "deleted"}
    (checked,) = read.links.values()
    assert (checked.url, checked.outcome, checked.error) == (
        "http://x.gov.cn/a",
        "broken",
        "soft_404",
    )


def test_a_link_in_two_accounts_is_checked_once_and_reported_to_both():
    spider = media_spider(account("a", "weibo"), account("b", "weibo"))
    feed_a, feed_b = start_requests(spider)
    shared = '<a href="http://x.gov.cn/notice.pdf">通知</a>'
    (link,) = requests(
        answer(feed_a, 200, rss(("甲", f"{MIRROR}/p/1", shared)), {"Content-Type": RSS})
    )
    assert link.method == "HEAD"  # a file: HEAD is enough
    assert answer(feed_b, 200, rss(("乙", f"{MIRROR}/p/2", shared)), {"Content-Type": RSS}) == []
    both = reads(answer(link, 200, b"", {"Content-Type": "application/pdf"}))
    assert [r.account.name for r in both] == ["a", "b"]
    assert [[r.outcome for r in read.links.values()] for read in both] == [["ok"], ["ok"]]


def test_accounts_still_waiting_at_close_are_handed_over_once():
    spider = media_spider(account("a", "weibo"), account("b", "weibo"))
    feed_a, _ = start_requests(spider)
    answer(
        feed_a,
        200,
        rss(("甲", f"{MIRROR}/p/1", '<a href="http://x.gov.cn/a">链接</a>')),
        {"Content-Type": RSS},
    )
    left = [batch.read for batch in spider.unfinished()]
    assert [(r.account.name, r.outcome, r.links) for r in left] == [
        ("a", "ok", {}),
        ("b", "unreachable", {}),
    ]
    assert spider.unfinished() == []


def test_link_bodies_are_read_only_when_they_are_html_pages():
    spider = media_spider(account("a", "weibo"))
    (feed,) = start_requests(spider)
    (link,) = requests(
        answer(
            feed,
            200,
            rss(("甲", f"{MIRROR}/p/1", '<a href="http://x.gov.cn/a">链接</a>')),
            {"Content-Type": RSS},
        )
    )
    crawler = spider.crawler
    stop = headers_received(crawler, link, {"Content-Type": "video/mp4"}, 10_000_000)
    assert isinstance(stop, StopDownload) and not stop.fail
    assert headers_received(crawler, link, {"Content-Type": "text/html"}, 20_000) is None
    (read,) = reads(
        answer(
            link,
            response(link, 200, b"", {"Content-Type": "video/mp4"}, flags=["download_stopped"]),
        )
    )
    (checked,) = read.links.values()
    assert (checked.outcome, checked.http_status) == ("ok", 200)  # a file is not broken
