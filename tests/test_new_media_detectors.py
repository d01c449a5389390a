"""``new_media_stale`` and ``new_media_unreachable`` on plain rows, and how a post's content
is merged and judged "read in full" (``crawler.new_media.pipeline.post_contents``)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from crawler.fetch_policy import UrlResult
from crawler.new_media.feeds import Feed
from crawler.new_media.pipeline import post_contents
from crawler.new_media.posts import Post
from crawler.new_media.reads import AccountRead, ArticleRead
from crawler.new_media.wechat import WeChatArticle
from crawler.page_links import PageLink
from detectors.new_media_stale import NewMediaStaleDetector
from detectors.new_media_unreachable import NewMediaUnreachableDetector
from govwatch.config import ConfigError, parse_config
from storage.new_media import FeedState

TODAY = date(2024, 11, 25)
CONFIG_TEXT = """
site: {id: t, name: 测试, start_urls: ["http://127.0.0.1:1/"]}
new_media:
  - {name: 甲, platform: wechat, feed: "http://127.0.0.1:1/a.xml", unit: 市融媒体中心}
  - {name: 乙, platform: weibo, feed: "http://127.0.0.1:1/b.json", max_silent_days: 30}
"""
CONFIG = parse_config(
    CONFIG_TEXT + "units: [{name: 市政府办, default: true}, {name: 市融媒体中心}]\n"
)


def state(account: str, last: date | None, outcome: str = "ok", **kw) -> FeedState:
    return FeedState(
        account=account,
        platform="wechat" if account == "甲" else "weibo",
        feed_url=f"http://127.0.0.1:1/{account}.xml",
        outcome=outcome,
        http_status=kw.get("http_status"),
        error=kw.get("error"),
        error_detail=kw.get("error_detail", ""),
        last_published=last,
        posts=3,
    )


class Subject:
    def __init__(self, *rows: FeedState):
        self.rows = rows

    def new_media_feeds(self):
        return self.rows


def stale(*rows: FeedState):
    detector = NewMediaStaleDetector.build(CONFIG)
    detector.today = TODAY
    return list(detector.check(Subject(*rows)))


def test_fourteen_days_is_not_yet_stale_fifteen_is():
    assert stale(state("甲", date(2024, 11, 11))) == []
    (finding,) = stale(state("甲", date(2024, 11, 10)))
    assert (finding.severity, finding.unit, finding.details["days_since"]) == (
        "veto",
        "市融媒体中心",
        15,
    )
    assert finding.details["last_published"] == "2024-11-10"
    assert "僵尸账号" not in finding.message and "15 天" in finding.message


def test_per_account_limit_and_default_unit():
    assert stale(state("乙", date(2024, 10, 27))) == []  # 29 days, limit 30
    (finding,) = stale(state("乙", date(2024, 10, 20)))
    assert finding.unit == "市政府办"


def test_zombie_after_a_year():
    (finding,) = stale(state("甲", date(2023, 11, 1)))
    assert "僵尸账号" in finding.message and finding.details["zombie"]


def test_no_dated_post_counts_as_not_updated():
    (finding,) = stale(state("甲", None))
    assert finding.details["last_published"] is None and finding.details["days_since"] is None


def test_unreadable_or_unknown_accounts_are_not_judged_stale():
    assert stale(state("甲", date(2020, 1, 1), "unreachable", error="http_500")) == []
    assert stale(state("丙", date(2020, 1, 1))) == []  # no longer configured


def test_unreachable_names_the_reason():
    detector = NewMediaUnreachableDetector.build(CONFIG)
    rows = (
        state("甲", None, "unreachable", error="http_500", http_status=500),
        state("乙", None, "unreachable", error="timeout"),
        state("甲", date(2024, 11, 24)),
    )
    first, second = detector.check(Subject(*rows))
    assert first.details["error"] == "http_500"
    assert "HTTP 500" in first.message and "“甲”（微信公众号）" in first.message
    assert second.details["error"] == "timeout" and "15 秒" in second.message
    assert first.fingerprint != second.fingerprint


def test_an_unreadable_feed_goes_to_the_monitoring_office_in_plain_words():
    """市融媒体中心 opened 甲 but cannot mend a mirror: the finding goes to whoever runs the
    monitoring (the default unit, or reports.monitoring_unit), names the account's unit,
    and says what happened without feed jargon."""
    rows = (
        state("甲", None, "unreachable", error="http_500", http_status=500),
        state("乙", None, "unreachable", error="not_a_feed", error_detail=""),
    )
    first, second = NewMediaUnreachableDetector.build(CONFIG).check(Subject(*rows))
    assert (first.unit, second.unit) == ("市政府办", "市政府办")
    assert "请与账号开设单位（市融媒体中心）核实" in first.message
    assert "镜像返回的不是文章列表" in second.message
    for finding in (first, second):
        assert not any(word in finding.message for word in ("RSS", "Atom", "JSON"))
    office = parse_config(
        CONFIG_TEXT + "reports: {monitoring_unit: 政务公开办}\n"
        "units: [{name: 市政府办, default: true}, {name: 市融媒体中心}, {name: 政务公开办}]\n"
    )
    (routed,) = NewMediaUnreachableDetector.build(office).check(Subject(rows[0]))
    assert routed.unit == "政务公开办"


def test_the_monitoring_office_must_be_a_configured_unit():
    with pytest.raises(ConfigError) as error:
        parse_config(
            CONFIG_TEXT + "reports: {monitoring_unit: 政务公开科}\nunits: [{name: 市融媒体中心}]\n",
            "s.yaml",
        )
    assert "reports.monitoring_unit: 未在 units 中定义的单位“政务公开科”" in str(error.value)


def test_fingerprint_stays_when_the_message_changes():
    early = stale(state("甲", date(2024, 11, 1)))[0]
    zombie = stale(state("甲", date(2023, 1, 1)))[0]
    assert early.fingerprint == zombie.fingerprint


# -- merging feed items with article pages ---------------------------------------------

LINK = PageLink("http://127.0.0.1:9/gone", "http://127.0.0.1:9/gone", "a", "名单")


def read_with(article: ArticleRead | None, link_outcome: str | None) -> AccountRead:
    post = Post("k", "http://127.0.0.1:9/s/1", "标题", None)
    read = AccountRead(CONFIG.new_media[0], "http://127.0.0.1:1/a.xml", "ok", datetime.now(UTC))
    read.feed = Feed("甲", "rss20", [post])
    if article is not None:
        read.articles["http://127.0.0.1:9/s/1"] = article
    if link_outcome is not None:
        read.links[LINK.target_key] = UrlResult(
            LINK.target_key, LINK.target_url, None, link_outcome, 404, "http_404", 1
        )
    return read


def contents(read: AccountRead):
    return post_contents(read)


def test_article_text_replaces_the_title_only_item():
    page = WeChatArticle(
        "article", "文章标题", "甲", datetime(2024, 11, 22, tzinfo=UTC), "正文", [LINK]
    )
    (content,) = contents(read_with(ArticleRead("u", page), "broken"))
    post = content.stored
    assert (post.title, post.text, post.checked, post.deleted) == ("文章标题", "正文", True, False)
    assert post.published == datetime(2024, 11, 22, tzinfo=UTC)
    assert content.links == [LINK]


def test_unread_article_or_unsettled_link_leaves_the_post_unchecked():
    blocked = WeChatArticle("blocked", reason="环境异常")
    assert not contents(read_with(ArticleRead("u", blocked), None))[0].stored.checked
    assert not contents(read_with(ArticleRead("u", error="timeout"), None))[0].stored.checked
    page = WeChatArticle("article", "t", "甲", None, "正文", [LINK])
    assert not contents(read_with(ArticleRead("u", page), "inconclusive"))[0].stored.checked
    assert not contents(read_with(ArticleRead("u", page), None))[0].stored.checked


def test_deleted_article_is_checked_and_empty():
    gone = WeChatArticle("deleted", reason="该内容已被发布者删除")
    (content,) = contents(read_with(ArticleRead("u", gone), None))
    assert content.stored.deleted and content.stored.checked and content.stored.text == ""
