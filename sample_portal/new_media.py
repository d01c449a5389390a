"""The sample portal's new-media mirror: accounts of every kind, served as mirrors serve them.

A second server on 127.0.0.1 (``{mirror}``) plays RSSHub / WeWe-RSS / wechat2rss and
m.weibo.cn. Accounts (as of ``TODAY`` = 2024-11-25):

* 龙南发布 (WeChat, RSS 2.0 title-only items like wechat-feeds, two sharing one push
  timestamp, one undated): fresh. Its article pages (``#activity-name``, ``#js_name``,
  ``#js_content``, ``var ct``) plant the typo 贯切 and a link to a missing page; one
  article was deleted by the publisher (该内容已被发布者删除) and is no finding.
* 龙南司法 (Toutiao, Atom with full bodies): last post 2024-11-01 → stale; a post
  publishes a mobile number unmasked.
* 龙南旅游 (other, JSON Feed 1.1): last post 2023-06-10 → 僵尸账号.
* 龙南微博 (Weibo, m.weibo.cn container JSON): a pinned post from 2022 first, fresh
  posts dated ``昨天 10:30`` and ``11-20``; one plants the typo 再接再励.
* 龙南政务服务 (WeChat): the mirror answers HTTP 500 → unreachable.
* 龙南教育 (Douyin): the mirror answers a login page (HTML, 200) → unreachable, not a feed.

Expected findings: ``expected_findings.yaml``, the records with an ``account``.
"""

from __future__ import annotations

import json
from dataclasses import replace
from html import escape
from pathlib import Path

from sample_portal.traps import Exchange, Reply, Route, always

MIRROR_DIR = "mirror"
WEIBO_CONTAINER = "/api/container/getIndex"
WEIBO_CONTAINER_ID = "1076037654321098"

ARTICLE_FRESH = "/s/lnfb-20241122a"
ARTICLE_TYPO = "/s/lnfb-20241122b"
ARTICLE_BROKEN_LINK = "/s/lnfb-20241115"
ARTICLE_DELETED = "/s/lnfb-20241108"
ARTICLE_UNDATED = "/s/lnfb-video"
MISSING_PAGE = "/xwzx/tzgg/zbtj2024.html"  # on the main host: 404

FEED_FABU = "/feeds/longnanfabu.xml"
FEED_SIFA = "/feeds/longnansifa.atom"
FEED_LVYOU = "/feeds/longnanlvyou.json"
FEED_ZWFW = "/feeds/longnanzwfw.xml"
FEED_JIAOYU = "/feeds/longnanjiaoyu.xml"

XML = "application/xml; charset=utf-8"
HTML = "text/html; charset=utf-8"


def _typed(content_type: str) -> Route:
    """The file at the path, with the content type a mirror would send."""

    def route(exchange: Exchange) -> Reply:
        reply = exchange.static()
        if reply.status != 200:
            return reply
        return replace(reply, headers=(("Content-Type", content_type),))

    return route


MIRROR_ROUTES: dict[str, Route] = {
    FEED_FABU: _typed("application/rss+xml; charset=utf-8"),
    FEED_SIFA: _typed("application/atom+xml; charset=utf-8"),
    FEED_LVYOU: _typed("application/feed+json; charset=utf-8"),
    WEIBO_CONTAINER: _typed("application/json; charset=utf-8"),
    FEED_ZWFW: always(500),
    FEED_JIAOYU: _typed(HTML),
    **{
        path: _typed(HTML)
        for path in (
            ARTICLE_FRESH,
            ARTICLE_TYPO,
            ARTICLE_BROKEN_LINK,
            ARTICLE_DELETED,
            ARTICLE_UNDATED,
        )
    },
}


def config_yaml(mirror: str) -> str:
    """The ``new_media`` section for a mirror at origin ``mirror``."""
    weibo = f"{mirror}{WEIBO_CONTAINER}?containerid={WEIBO_CONTAINER_ID}"
    return f"""
new_media:
  - {{name: 龙南发布, platform: wechat, feed: "{mirror}{FEED_FABU}", unit: 市融媒体中心}}
  - {{name: 龙南司法, platform: toutiao, feed: "{mirror}{FEED_SIFA}", unit: 市司法局}}
  - {{name: 龙南旅游, platform: other, feed: "{mirror}{FEED_LVYOU}"}}
  - {{name: 龙南微博, platform: weibo, feed: "{weibo}", unit: 市融媒体中心}}
  - {{name: 龙南政务服务, platform: wechat, feed: "{mirror}{FEED_ZWFW}", unit: 市政务服务中心}}
  - {{name: 龙南教育, platform: douyin, feed: "{mirror}{FEED_JIAOYU}", unit: 市政府办,
     max_silent_days: 30}}
"""


# -- content ------------------------------------------------------------------------------


def _write(root: Path, path: str, text: str) -> None:
    target = root / MIRROR_DIR / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def _wechat_article(title: str, ct: int, paragraphs: list[str]) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{escape(title)}</title>
<meta property="og:title" content="{escape(title)}"></head>
<body id="activity-detail" class="zh_CN">
<div class="rich_media_area_primary">
<h1 class="rich_media_title" id="activity-name">
  {escape(title)}
</h1>
<div id="meta_content" class="rich_media_meta_list">
<span class="rich_media_meta rich_media_meta_nickname" id="profileBt">
<a href="javascript:void(0);" id="js_name">龙南发布</a></span>
<em id="publish_time" class="rich_media_meta rich_media_meta_text"></em>
</div>
<div class="rich_media_content js_underline_content" id="js_content" style="visibility: hidden;">
{body}
<p><img data-src="https://mmbiz.qpic.cn/mmbiz_jpg/sample/640?wx_fmt=jpeg" alt=""></p>
</div></div>
<script type="text/javascript" nonce="1">
var nickname = htmlDecode("龙南发布");
var ct = "{ct}";
var msg_title = '{escape(title)}'.html(false);
</script>
</body></html>
"""


DELETED_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title></title></head>
<body><div class="weui-msg"><div class="weui-msg__text-area">
<h2 class="weui-msg__title">该内容已被发布者删除</h2>
</div></div></body></html>
"""

LOGIN_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>登录</title></head>
<body><h1>请登录后访问</h1><p>该订阅需要登录授权，请联系管理员。</p></body></html>
"""


def _rss_fabu(mirror: str) -> str:
    """wechat-feeds style: title-only items, ``pubDate`` in +0800."""
    push = "Fri, 22 Nov 2024 18:30:00 +0800"  # one push, two articles
    items = [
        ("龙南市召开2024年冬季森林防火工作部署会", ARTICLE_FRESH, push),
        ("我市扎实推进营商环境优化提升", ARTICLE_TYPO, push),
        ("【视频】四季龙南", ARTICLE_UNDATED, None),
        ("2024年秋季征兵体检结果公示", ARTICLE_BROKEN_LINK, "Fri, 15 Nov 2024 17:05:00 +0800"),
        ("关于调整部分公交线路的通知", ARTICLE_DELETED, "Fri, 08 Nov 2024 09:00:00 +0800"),
    ]
    out = []
    for title, path, date in items:
        pub = f"<pubDate>{date}</pubDate>" if date else ""
        out.append(
            f"<item><title><![CDATA[{title}]]></title><link>{mirror}{path}</link>"
            f"<guid>{mirror}{path}</guid>{pub}<description><![CDATA[{title}]]></description></item>"
        )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>龙南发布</title><link>{mirror}/</link><description>龙南市人民政府新闻办公室官方微信</description>
{chr(10).join(out)}
</channel></rss>
"""


def _atom_sifa(mirror: str) -> str:
    """RSSHub style Atom with full HTML bodies."""
    entries = [
        (
            "6002",
            "法律援助进社区 群众家门口享受免费法律服务",
            "2024-11-01T16:20:00+08:00",
            "<p>11月1日，市司法局组织律师走进社区，为群众提供免费法律咨询。</p>"
            "<p>需要法律援助的群众可联系社区网格员王某某，手机13907975678。</p>",
        ),
        (
            "6001",
            "市司法局开展宪法宣传周活动预热",
            "2024-10-20T10:00:00+08:00",
            "<p>市司法局在城区广场设置宣传展板，发放宣传资料，引导群众尊法学法守法用法。</p>",
        ),
    ]
    out = []
    for ident, title, date, html in entries:
        out.append(
            f"""<entry><title>{escape(title)}</title><id>{mirror}/toutiao/item/{ident}/</id>
<link href="{mirror}/toutiao/item/{ident}/"/><published>{date}</published><updated>{date}</updated>
<content type="html">{escape(html)}</content></entry>"""
        )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>龙南司法 - 今日头条</title><id>{mirror}{FEED_SIFA}</id>
<link href="{mirror}/toutiao/user/longnansifa"/><updated>2024-11-01T16:20:00+08:00</updated>
{chr(10).join(out)}
</feed>
"""


def _json_lvyou(mirror: str) -> str:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "龙南旅游\u0000",  # PLANTED no finding: a NUL, which PostgreSQL cannot store
        "home_page_url": f"{mirror}/lvyou/",
        "items": [
            {
                "id": "lvyou-0610",
                "url": f"{mirror}/lvyou/0610.html",
                "title": "龙南围屋文化旅游节即将开幕",
                "content_text": "龙南围屋文化旅游节即将开幕，欢迎各地游客前来观光。",
                "date_published": "2023-06-10T09:00:00+08:00",
            },
            {
                "id": "lvyou-0501",
                "url": f"{mirror}/lvyou/0501.html",
                "title": "五一假期全市景区\u0000接待游客情况",
                "content_html": "<p>五一假期，全市各景区秩序井然，游客满意度较高。</p>",
                "date_published": "2023-05-01T18:00:00+08:00",
            },
        ],
    }
    return json.dumps(feed, ensure_ascii=False, indent=1)


def _weibo_container() -> str:
    def card(mblog: dict) -> dict:
        return {"card_type": 9, "itemid": "", "scheme": "", "mblog": mblog}

    cards = [
        card(
            {
                "id": "4720000000000001",
                "bid": "LbPinned01",
                "created_at": "Mon Jan 10 09:00:00 +0800 2022",
                "isTop": 1,
                "title": {"text": "置顶", "base_color": 1},
                "text": "欢迎关注龙南市人民政府新闻办公室官方微博！",
            }
        ),
        card(
            {
                "id": "5100000000000002",
                "bid": "OzWeibo002",
                "created_at": "昨天 10:30",
                "text": "市政务服务中心开展“帮办代办”服务进园区活动，"
                "希望全体工作人员再接再励，持续提升服务水平。<br />"
                '<a href="https://m.weibo.cn/search?containerid=231522">#龙南政务#</a>',
            }
        ),
        card(
            {
                "id": "5100000000000001",
                "bid": "OzWeibo001",
                "created_at": "11-20",
                "text": "龙南市人民政府新闻办公室发布：全市秋粮收购工作有序开展。",
            }
        ),
    ]
    data = {"ok": 1, "data": {"cardlistInfo": {"containerid": WEIBO_CONTAINER_ID}, "cards": cards}}
    return json.dumps(data, ensure_ascii=False)


def build_mirror(root: Path, mirror: str, main: str) -> None:
    """Write the mirror's files under ``root/mirror`` for origins ``mirror`` and ``main``."""
    _write(root, FEED_FABU, _rss_fabu(mirror))
    _write(root, FEED_SIFA, _atom_sifa(mirror))
    _write(root, FEED_LVYOU, _json_lvyou(mirror))
    _write(root, WEIBO_CONTAINER, _weibo_container())
    _write(root, FEED_JIAOYU, LOGIN_PAGE)
    _write(
        root,
        ARTICLE_FRESH,
        _wechat_article(
            "龙南市召开2024年冬季森林防火工作部署会",
            1732271400,
            ["会议要求各乡镇压实责任，加强巡山护林，严防森林火灾发生。"],
        ),
    )
    _write(
        root,
        ARTICLE_TYPO,
        _wechat_article(
            "我市扎实推进营商环境优化提升",
            1732271400,
            [
                "企业开办时间压缩至1个工作日。",
                "全市上下要认真贯切落实市委决策部署，持续优化营商环境。",
            ],
        ),
    )
    _write(
        root,
        ARTICLE_BROKEN_LINK,
        _wechat_article(
            "2024年秋季征兵体检结果公示",
            1731661500,
            [
                "请应征青年按时参加政治考核。",
                f'详见<a href="{main}{MISSING_PAGE}">体检合格人员名单</a>。',
            ],
        ),
    )
    _write(
        root,
        ARTICLE_UNDATED,
        _wechat_article("【视频】四季龙南", 1730000000, ["春夏秋冬，四季龙南各有风景。"]),
    )
    _write(root, ARTICLE_DELETED, DELETED_PAGE)
