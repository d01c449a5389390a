"""Mirror formats → posts, on strings: RSS, Atom, JSON Feed, Weibo JSON, WeChat pages,
and the dates mirrors write. "Now" is fixed: nothing depends on the day tests run."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from common.clock import BEIJING
from crawler.new_media.feeds import MAX_POSTS, FeedError, parse_feed
from crawler.new_media.post_time import parse_post_time
from crawler.new_media.wechat import parse_article

NOW = datetime(2024, 11, 25, 12, 0, tzinfo=BEIJING)
FEED = "http://127.0.0.1:9/feeds/a.xml"


def day(moment: datetime | None) -> date | None:
    return moment.astimezone(BEIJING).date() if moment else None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Fri, 22 Nov 2024 23:30:00 +0800", date(2024, 11, 22)),
        ("Fri, 22 Nov 2024 16:30:00 GMT", date(2024, 11, 23)),  # 00:30 in Beijing
        ("2024-11-22T23:30:00+08:00", date(2024, 11, 22)),
        ("2024-11-22 23:30", date(2024, 11, 22)),  # no zone: Beijing is meant
        ("2024年11月22日", date(2024, 11, 22)),
        ("2024/11/22 08:00:00", date(2024, 11, 22)),
        ("Fri Nov 22 23:30:00 +0800 2024", date(2024, 11, 22)),  # Weibo
        ("刚刚", date(2024, 11, 25)),
        ("30分钟前", date(2024, 11, 25)),
        ("13小时前", date(2024, 11, 24)),
        ("3天前", date(2024, 11, 22)),
        ("2 days ago", date(2024, 11, 23)),
        ("昨天 10:30", date(2024, 11, 24)),
        ("前天", date(2024, 11, 23)),
        ("11-20", date(2024, 11, 20)),
        ("12-30", date(2023, 12, 30)),  # later than today: last year's
        ("", None),
        ("不详", None),
        ("2024-13-45", None),
        ("Fri, 99 Nov 2024 23:30:00 +0800", None),
    ],
)
def test_post_times(raw, expected):
    assert day(parse_post_time(raw, NOW)) == expected


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>龙南发布</title>
<item><title>第一条</title><link>https://mp.weixin.qq.com/s/aaa</link>
<pubDate>Fri, 22 Nov 2024 18:30:00 +0800</pubDate><description>第一条</description></item>
<item><title>第二条</title><link>https://mp.weixin.qq.com/s/bbb</link>
<pubDate>Fri, 22 Nov 2024 18:30:00 +0800</pubDate></item>
<item><title>有正文</title><link>/p/3.html</link><pubDate>3小时前</pubDate>
<description><![CDATA[<p>详见<a href="/files/list.html">名单</a>
<img src="https://mmbiz.qpic.cn/x.jpg"></p><script>var x = "脚本";</script>]]></description></item>
<item><title>无日期</title><guid isPermaLink="false">id-4</guid></item>
</channel></rss>"""


def test_rss_title_only_shared_timestamp_relative_and_missing_dates():
    feed = parse_feed(RSS.encode(), FEED, "application/rss+xml", NOW)
    assert feed.title == "龙南发布" and feed.format == "rss20"
    by_title = {p.title: p for p in feed.posts}
    assert len(by_title) == 4
    first, second = by_title["第一条"], by_title["第二条"]
    assert first.published == second.published  # one push
    assert first.key != second.key
    assert first.text == ""  # the description only repeats the title
    body = by_title["有正文"]
    assert body.url == "http://127.0.0.1:9/p/3.html"
    assert day(body.published) == date(2024, 11, 25)
    assert "脚本" not in body.text and "名单" in body.text
    # relative links resolved; the platform's image CDN is not a link to check
    assert [link.target_url for link in body.links] == ["http://127.0.0.1:9/files/list.html"]
    undated = by_title["无日期"]
    assert undated.published is None and undated.url == FEED and undated.key == "id-4"
    assert feed.posts[-1] is undated  # newest first, undated last


def test_atom_with_content():
    atom = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>司法</title><id>x</id>
<updated>2024-11-01T16:20:00+08:00</updated>
<entry><title>标题</title><id>tag:1</id><link href="http://127.0.0.1:9/item/1/"/>
<published>2024-11-01T16:20:00+08:00</published><updated>2024-11-02T09:00:00+08:00</updated>
<summary>摘要</summary><content type="html">&lt;p&gt;完整正文&lt;/p&gt;</content></entry></feed>"""
    (post,) = parse_feed(atom.encode(), FEED, "application/atom+xml", NOW).posts
    assert (post.key, post.url, post.text) == ("tag:1", "http://127.0.0.1:9/item/1/", "完整正文")
    assert day(post.published) == date(2024, 11, 1)


def test_json_feed_11():
    data = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "旅游",
        "items": [
            {"id": "1", "url": "/a.html", "title": "甲", "content_text": "甲的正文"},
            {
                "id": 2,
                "title": "乙",
                "content_html": "<p>乙<a href='http://127.0.0.1:9/b'>链接</a></p>",
                "date_published": "2023-06-10T09:00:00+08:00",
            },
            "not an item",
        ],
    }
    feed = parse_feed(json.dumps(data).encode(), FEED, "application/feed+json", NOW)
    assert feed.format == "json_feed"
    first, second = feed.posts  # dated first
    assert (first.key, first.title, day(first.published)) == ("2", "乙", date(2023, 6, 10))
    assert [link.target_url for link in first.links] == ["http://127.0.0.1:9/b"]
    assert (second.url, second.text, second.published) == (
        "http://127.0.0.1:9/a.html",
        "甲的正文",
        None,
    )


def test_weibo_container_pinned_and_relative_dates():
    pinned = {"bid": "P1", "isTop": 1, "created_at": "Mon Jan 10 09:00:00 +0800 2022", "text": "置"}
    grouped = {"bid": "G1", "created_at": "昨天 10:30", "text": "组内<br/>第二行"}
    topic = '<a href="https://m.weibo.cn/search?q=1">#话题#</a>正文'
    cards = [
        {"card_type": 9, "mblog": pinned},
        {"card_type": 11, "card_group": [{"card_type": 9, "mblog": grouped}]},
        {"card_type": 9, "mblog": {"id": 42, "created_at": "11-20", "text": topic}},
        {"card_type": 58},
    ]
    body = json.dumps({"ok": 1, "data": {"cards": cards}}).encode()
    url = "http://127.0.0.1:9/api/container/getIndex?containerid=107603"
    feed = parse_feed(body, url, "application/json", NOW)
    posts = {p.key: p for p in feed.posts}
    assert set(posts) == {"P1", "G1", "42"}
    assert posts["P1"].pinned and not posts["G1"].pinned
    assert posts["G1"].url == "http://127.0.0.1:9/status/G1"
    assert day(posts["G1"].published) == date(2024, 11, 24)
    assert day(posts["42"].published) == date(2024, 11, 20)
    assert posts["42"].links == []  # platform links are not the editor's to fix


EMPTY_RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>'


@pytest.mark.parametrize(
    ("body", "content_type", "code"),
    [
        (b"<html><body><h1>Login</h1></body></html>", "text/html", "not_a_feed"),
        (b"", "", "not_a_feed"),
        (b"\x00\xff\xfe binary", "application/octet-stream", "not_a_feed"),
        (b'{"a": 1}', "application/json", "not_a_feed"),
        (b'{"ok": 0, "msg": "login"}', "application/json", "not_a_feed"),
        (b'{"a": ', "application/json", "bad_json"),
        (EMPTY_RSS.encode(), "", "empty_feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', "", "empty_feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": 3}', "", "not_a_feed"),
    ],
)  # fmt: skip
def test_unreadable_feeds_say_why(body, content_type, code):
    with pytest.raises(FeedError) as error:
        parse_feed(body, FEED, content_type, NOW)
    assert error.value.code == code
    assert str(error.value)  # a Chinese reason for the finding


def test_huge_feed_is_cut_to_the_newest_posts():
    items = "".join(
        f"<item><title>第{i}条</title><link>http://127.0.0.1:9/{i}</link>"
        f"<pubDate>{parse_post_time(f'{i % 1000}天前', NOW).strftime('%a, %d %b %Y %H:%M:%S %z')}"
        "</pubDate></item>"
        for i in range(MAX_POSTS + 300)
    )
    rss = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{items}</channel></rss>'
    )
    posts = parse_feed(rss.encode(), FEED, "", NOW).posts
    assert len(posts) == MAX_POSTS
    assert day(posts[0].published) == date(2024, 11, 25)


WECHAT = """<html><head><title></title><meta property="og:title" content="备用标题"></head>
<body><h1 class="rich_media_title" id="activity-name">  文章标题  </h1>
<a id="js_name">龙南发布</a><em id="publish_time"></em>
<div id="js_content" style="visibility: hidden;"><p>要认真贯切落实</p>
<img data-src="https://mmbiz.qpic.cn/1.jpg"><a href="http://127.0.0.1:9/gone.html">名单</a></div>
<div class="footer">阅读原文 分享 在看</div>
<script>var ct = "1732271400";</script></body></html>"""


def test_wechat_article():
    article = parse_article(WECHAT, "http://127.0.0.1:9/s/x", NOW)
    assert (article.state, article.title, article.account) == ("article", "文章标题", "龙南发布")
    assert article.published == datetime(2024, 11, 22, 18, 30, tzinfo=BEIJING)
    assert article.text == "要认真贯切落实\n名单"  # #js_content only, not the page chrome
    assert [link.target_url for link in article.links] == ["http://127.0.0.1:9/gone.html"]


@pytest.mark.parametrize(
    ("html", "state"),
    [
        ("<html><body><h2>该内容已被发布者删除</h2></body></html>", "deleted"),
        ("<html><body><p>此内容因违规无法查看</p></body></html>", "deleted"),
        ("<html><body><p>环境异常</p><p>完成验证后即可继续访问</p></body></html>", "blocked"),
        ("<html><body><p>随便一个页面</p></body></html>", "unknown"),
        ("", "unknown"),
    ],
)
def test_wechat_pages_that_are_not_articles(html, state):
    assert parse_article(html, "http://127.0.0.1:9/s/x", NOW).state == state
