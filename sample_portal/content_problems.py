"""Content problems planted in the sample portal: injected hidden links (暗链), wording
errors (错敏词) and personal data published without masking.

The hacked page is 调查征集 (``/hdjl/dcyj/``), linked from 互动交流. Its visible
content is ordinary; an attacker's blocks hide gambling links off-screen, in a
``font-size:0`` paragraph and in a ``display:none`` block styled from the
page's own ``<style>``. Traps that must not be reported: a hidden drop-down
menu of the site's own pages and a visible link to the tourism site. The
spam targets exist on the external host (200), so they are not broken links.
Expected findings: ``expected_findings.yaml`` → ``hidden_link``, ``term``,
``privacy_leak``.
"""

from __future__ import annotations

from typing import Protocol

from sample_portal import attachment_problems, precision_traps

HACKED_PAGE = "/hdjl/dcyj/"


class _Writer(Protocol):
    def html(self, site: str, path: str, text: str, codec: str = "utf-8") -> None: ...


def hacked_page(site: _Writer, simple_page) -> None:
    body = """<style>.gg-box{display:none}</style>
<p>为进一步提升政务服务质量，现面向社会公开征集意见建议，征集时间为2024年11月1日至11月30日。</p>
<ul class="menu-sub" style="display:none">
<li><a href="/xxgk/tzgg/">通知公告</a></li><li><a href="/zxfw/">在线服务</a></li>
</ul>
<p>了解龙南旅游资讯，请访问<a href="{external}/">龙南旅游网</a>。</p>
<!-- PLANTED hidden_link: an injected off-screen block -->
<div style="position:absolute; top:-1200px; left:-1200px;">
<a href="{external}/yl/home.html">澳门威尼斯人娱乐城</a>
<a href="{external}/yl/bjl.html">真人百家乐</a>
</div>
<!-- PLANTED hidden_link: zero-size text -->
<p style="font-size:0px;line-height:0"><a href="{external}/cp/ssc.html">时时彩平台</a></p>
<!-- PLANTED hidden_link: hidden by the page's own stylesheet, commercial target -->
<div class="gg-box"><a href="{external}/shop/">点击进入</a></div>"""
    site.html("main", HACKED_PAGE, simple_page(HACKED_PAGE, "调查征集", body, kind="互动交流"))


def spam_targets(site: _Writer, tourism_page) -> None:
    """The pages the injected links point to (so they are not also broken links)."""
    pages = {
        "/yl/home.html": "娱乐城",
        "/yl/bjl.html": "百家乐",
        "/cp/ssc.html": "彩票平台",
        "/shop/": "商城",
    }
    for path, title in pages.items():
        site.html("external", path, tourism_page(title, f"<h1>{title}</h1><p>注册即送</p>"))


# -- 专题专栏: articles with planted wording errors and a notice that leaks personal data ----

TOPIC = "/ztzl/"
ARTICLE_2024 = "/ztzl/202411/t20241118_5001.html"
ARTICLE_2017 = "/ztzl/201706/t20170605_5002.html"
NOTICE_2024 = "/ztzl/202410/t20241025_5003.html"


def _id_number(prefix17: str) -> str:
    """A synthetic resident ID with a valid GB 11643 check digit (no real person)."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(prefix17, weights, strict=True))
    return prefix17 + "10X98765432"[total % 11]


LEAKED_ID = _id_number("36072719800101123")
LEAKED_MOBILE = "13907971234"


def topic_pages(site: _Writer, page, crumb_bar) -> None:
    def article(path: str, title: str, pub: str, body: str) -> None:
        meta = {"ArticleTitle": title, "PubDate": pub, "ContentSource": "龙南市人民政府办公室"}
        html = f"""{crumb_bar((("专题专栏", TOPIC),))}
<div class="article"><h1>{title}</h1>
<div class="info">发布时间：{pub[:10]}　来源：龙南市人民政府办公室</div>
<div class="TRS_Editor">{body}</div></div>"""
        site.html("main", path, page(f"{title}_龙南市人民政府", html, meta=meta))

    listing = f"""<ul class="list">
<li><a href="{ARTICLE_2024}">全市优化营商环境推进会召开</a><span>2024-11-18</span></li>
<li><a href="{NOTICE_2024}">2024年第三季度城乡低保新增对象公示</a><span>2024-10-25</span></li>
<li><a href="{ARTICLE_2017}">县国土资源局开展土地执法检查</a><span>2017-06-05</span></li>
</ul>"""
    meta = {"ColumnName": "专题专栏", "ColumnType": "专题专栏", "ColumnDescription": "专题专栏"}
    site.html(
        "main",
        TOPIC,
        page(
            "专题专栏_龙南市人民政府",
            f"{crumb_bar((('专题专栏', TOPIC),))}\n{listing}{precision_traps.sidebar()}",
            meta=meta,
        ),
    )

    # PLANTED term: a typo split by an inline tag, a typo with a zero-width space, an
    # outdated institution name (2024 > reform date), a wrong political expression, a
    # corrupted protected name; NOT findings: 原国土资源局 (allow context), the same
    # words inside <script> and a comment.
    article(
        ARTICLE_2024,
        "全市优化营商环境推进会召开",
        "2024-11-18 09:30",
        """
<p>11月18日，全市优化营商环境推进会召开。会议对下一阶段工作进行了布<span>署</span>，
要求各地各部门再接&#8203;再励，持续提升政务服务水平。</p>
<p>市国土资源局负责同志汇报了用地保障情况。会议指出，原国土资源局承担的职责已整合划入市自然资源局。</p>
<p>会议还通报了北朝鲜籍船员救助工作的经验做法。</p>
<p>市人民攻府将持续深化“放管服”改革。</p>
<script>var note = "布署 再接再励 北朝鲜";</script>
<!-- 草稿：布署工作 -->
"""
        + attachment_problems.links_for_2024_article(),
    )
    # NOT a finding: the former name was correct in 2017.
    article(
        ARTICLE_2017,
        "县国土资源局开展土地执法检查",
        "2017-06-05 10:00",
        """
<p>6月5日，县国土资源局组织开展土地执法专项检查，对全县违法用地行为进行排查。</p>
"""
        + attachment_problems.link_for_2017_article(),
    )
    # PLANTED privacy_leak: one unmasked ID and one unmasked mobile; the masked rows are fine.
    article(
        NOTICE_2024,
        "2024年第三季度城乡低保新增对象公示",
        "2024-10-25 16:00",
        f"""
<p>根据《社会救助暂行办法》，现将2024年第三季度城乡低保新增对象公示如下：</p>
<table>
<tr><th>姓名</th><th>身份证号</th><th>联系电话</th><th>保障人数</th></tr>
<tr><td>张某某</td><td>{LEAKED_ID}</td><td>{LEAKED_MOBILE}</td><td>3</td></tr>
<tr><td>李某某</td><td>360727********2345</td><td>139****5678</td><td>2</td></tr>
<tr><td>王某某</td><td>360727********3456</td><td>0797-3521234</td><td>1</td></tr>
</table>
<p>公示期为7天。如有异议，请向市民政局反映，电话：0797-3521234。</p>
""",
    )
