"""Writes the sample portal's static files: the main site 龙南市人民政府, the "external"
site 龙南旅游网, the HTTPS site, and the error pages the servers answer with.

One function per section; each writes its pages through :class:`SiteWriter`, which fills
in the host placeholders (``{main}``, ``{external}``, ``{tls}``, ``{refused}``) and encodes
the page. Planted broken links are marked ``PLANTED`` in comments and listed in
``expected_findings.yaml`` (``broken_link``); traps (links that only look broken) are listed in
``traps.TRAPS``. Directory index pages are always linked as ``/dir/``.

Layout under ``root``: ``main/``, ``external/``, ``tls/`` (document roots) and ``errors/``.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import quote

from sample_portal import (
    assets,
    attachment_problems,
    column_problems,
    content_problems,
    plan_pages,
    plan_problems,
    policy_problems,
    precision_traps,
)
from sample_portal.content import Story, stories
from sample_portal.hosts import PortalHosts
from sample_portal.layout import Column, crumb_bar, page

# The 司法局 section is stored as GB18030 and declared gb2312 (as many TRS sites do).
GBK_SECTION = "/xxgk/sfj/"
GBK_CHARSET = "gb2312"
GBK_CODEC = "gb18030"
# A title in the GBK section with a character (镕) that GB2312 lacks: only a client that
# decodes gb2312 as GB18030 reads it correctly.
GBK_TITLE = stories()["sfj"][0].title

ATTACHMENT_DIR = "/xxgk/sfj/P020241105/"
ATTACHMENT_PDF = "关于开展法律援助工作的通知.pdf"
ATTACHMENT_DOCX = "行政复议申请书样式.docx"

YWDT = Column(
    path="/xwzx/ywdt/",
    name="要闻动态",
    kind="要闻动态",
    description="龙南市政务要闻",
    keywords="要闻,动态",
    parents=(("新闻中心", "/xwzx/"),),
)
BMDT = Column(
    path="/xwzx/bmdt/",
    name="部门动态",
    kind="部门动态",
    description="市直部门工作动态",
    keywords="部门,动态",
    parents=(("新闻中心", "/xwzx/"),),
)
TZGG = Column(
    path="/xxgk/tzgg/",
    name="通知公告",
    kind="通知公告",
    description="市政府及部门通知公告",
    keywords="通知,公告",
    parents=(("信息公开", "/xxgk/"),),
)
ZCWJ = Column(
    path="/xxgk/zcwj/",
    name="政策文件",
    kind="政策文件",
    description="市政府及办公室政策文件",
    keywords="政策,文件",
    parents=(("信息公开", "/xxgk/"),),
)
SFJ = Column(
    path="/xxgk/sfj/",
    name="司法局",
    kind="部门信息公开",
    description="龙南市司法局信息公开",
    keywords="司法,普法,法律援助",
    parents=(("信息公开", "/xxgk/"),),
)
NEWS_PAGE_SIZE = 5  # stories per 要闻动态 list page: 12 stories -> 3 pages


@dataclass(frozen=True)
class SiteWriter:
    root: Path
    hosts: PortalHosts

    def file(self, site: str, path: str, data: bytes) -> None:
        """Write ``data`` at URL ``path`` of ``site`` (``main``, ``external``, ``tls``)."""
        target = self.root / site / path.lstrip("/")
        if path.endswith("/"):
            target = target / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    def html(self, site: str, path: str, text: str, codec: str = "utf-8") -> None:
        self.file(site, path, self.hosts.fill(text).encode(codec))

    def error_page(self, name: str, text: str) -> None:
        target = self.root / "errors" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(self.hosts.fill(text), encoding="utf-8")


def build_site(root: Path, hosts: PortalHosts) -> None:
    """Write every file of the sample portal under ``root`` (created if missing)."""
    site = SiteWriter(Path(root), hosts)
    static_assets(site)
    home(site)
    news_center(site)
    disclosure(site)
    justice_bureau(site)
    attachments(site)
    online_services(site)
    interaction(site)
    trap_pages(site)
    external_site(site)
    content_problems.hacked_page(site, _simple_page)
    content_problems.spam_targets(site, _tourism_page)
    content_problems.topic_pages(site, page, crumb_bar)
    attachment_problems.write(site)
    column_problems.write(site)
    policy_problems.write(site)
    plan_pages.write(site)
    plan_problems.write(site)
    precision_traps.write(site, _tourism_page)
    tls_site(site)
    error_pages(site)


# -- building blocks ---------------------------------------------------------------------


def _entry(href: str, title: str, day: str) -> str:
    return f'<li><a href="{href}" target="_blank">{escape(title)}</a><span>{day}</span></li>'


def _relative(story: Story, column: Column, prefix: str = "./") -> str:
    return prefix + story.url_path(column.path).removeprefix(column.path)


def _entries(items: Iterable[Story], column: Column, prefix: str = "./") -> list[str]:
    return [_entry(_relative(s, column, prefix), s.title, s.day) for s in items]


def _latest(items: Iterable[Story], column: Column) -> str:
    """A home/overview block: absolute links to a column's newest stories."""
    return "\n".join(_entry(s.url_path(column.path), s.title, s.day) for s in items)


def _block(title: str, more: str, entries: str) -> str:
    return f"""<div class="block">
<h3>{title}<a class="more" href="{more}">更多&gt;&gt;</a></h3>
<ul class="list">
{entries}
</ul>
</div>"""


def _list_page(
    column: Column,
    entries: list[str],
    *,
    pager: tuple[int, int] | None = None,
    charset: str = "utf-8",
    base_href: str | None = None,
    after: str = "",
) -> str:
    script = ""
    if pager:
        count, current = pager
        script = (
            '\n<div class="page"><script type="text/javascript">'
            f'createPageHTML({count}, {current}, "index", "html");</script></div>'
        )
    items = "\n".join(entries)
    body = f"""{crumb_bar(column.crumbs())}
<div class="column">
<h2>{column.name}</h2>
<ul class="list">
{items}
</ul>{script}
</div>{after}{precision_traps.sidebar()}"""
    return page(
        f"{column.name}_龙南市人民政府",
        body,
        meta=column.meta(),
        charset=charset,
        base_href=base_href,
    )


def _article(
    column: Column,
    story: Story,
    *,
    related: str = "",
    head_extra: str = "",
    charset: str = "utf-8",
    base_href: str | None = None,
) -> str:
    paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in story.paragraphs)
    number = ""
    if story.doc_number:
        number = (
            '\n<table class="xxgk-info"><tr><td>发文机关：</td>'
            f"<td>{story.source}</td><td>文号：</td><td>{story.doc_number}</td></tr>"
            f"<tr><td>成文日期：</td><td>{story.day}</td><td>发布日期：</td>"
            f"<td>{story.day}</td></tr></table>"
        )
    body = f"""{crumb_bar(column.crumbs())}
<div class="article">
<h1>{escape(story.title)}</h1>
<div class="info">发布时间：{story.published}　来源：{story.source}　字号：[<a
 href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> <a
 href="javascript:doZoom(14)">小</a>]</div>{number}
<div class="TRS_Editor" id="zoom">
{paragraphs}
</div>{related}
<div class="tools"><a href="javascript:window.print()">【打印本页】</a> <a
 href="javascript:window.close()">【关闭窗口】</a></div>
</div>"""
    meta = {
        "ColumnName": column.name,
        "ColumnType": column.kind,
        "ArticleTitle": story.title,
        "PubDate": story.published,
        "ContentSource": story.source,
    }
    return page(
        story.title,
        body,
        meta=meta,
        charset=charset,
        base_href=base_href,
        head_extra=head_extra,
    )


def _related(*links: tuple[str, str]) -> str:
    items = "\n".join(
        f'<li><a href="{href}" target="_blank">{text}</a></li>' for href, text in links
    )
    return f'\n<div class="related"><h4>相关链接</h4>\n<ul>\n{items}\n</ul>\n</div>'


def _simple_page(path: str, name: str, body: str, kind: str = "功能页面") -> str:
    meta = {
        "ColumnName": name,
        "ColumnType": kind,
        "ColumnDescription": name,
        "ColumnKeywords": name,
    }
    html = f'<div class="column">\n<h2>{name}</h2>\n{body}\n</div>'
    return page(f"{name}_龙南市人民政府", f"{crumb_bar(((name, path),))}\n{html}", meta=meta)


# -- sections ----------------------------------------------------------------------------


def static_assets(site: SiteWriter) -> None:
    """Stylesheet, script, images, favicon and robots.txt of the main site."""
    site.file("main", "/css/style.css", assets.STYLE_CSS.encode("utf-8"))
    site.file("main", "/js/common.js", assets.COMMON_JS.encode("utf-8"))
    site.file("main", "/favicon.ico", assets.ico((181, 5, 11)))
    images = {
        "logo.png": (42, 8, (181, 5, 11)),
        "header_bg.png": (4, 120, (181, 5, 11)),
        "banner1.png": (60, 20, (200, 60, 40)),
        "banner2.png": (60, 20, (30, 90, 160)),
        "zjln.png": (40, 30, (60, 140, 80)),
        "icon_zxfw.png": (8, 8, (240, 180, 0)),
    }
    for name, (width, height, rgb) in images.items():
        site.file("main", f"/images/{name}", assets.png(width, height, rgb))
    site.file("main", "/robots.txt", b"User-agent: *\nAllow: /\n")


def home(site: SiteWriter) -> None:
    """The home page: banners, latest news and notices, links to every column."""
    s = stories()
    body = f"""<div class="banner">
<a href="/xwzx/ywdt/"><img src="/images/banner1.png" alt="聚焦高质量发展"></a>
<a href="/xxgk/"><img src="/images/banner2.png" alt="政务公开"></a>
<!-- PLANTED http_404 (img, home page): the National Day banner was never uploaded -->
<img src="/images/banner-gq75.png" alt="庆祝中华人民共和国成立75周年">
</div>
{_block("要闻动态", "/xwzx/ywdt/", _latest(s["ywdt"][:NEWS_PAGE_SIZE], YWDT))}
{_block("部门动态", "/xwzx/bmdt/", _latest(s["bmdt"][:3], BMDT))}
{_block("通知公告", "/xxgk/tzgg/", _latest(s["tzgg"][:4], TZGG))}
{_block("政策文件", "/xxgk/zcwj/", _latest(s["zcwj"][:3], ZCWJ))}
<div class="block">
<h3>专题专栏</h3>
<ul class="topics">
<li><a href="  /xwzx/  ">新闻中心</a></li>
<li><a href="/xwzx/#main">今日龙南</a></li>
<li><a href="/xxgk/sfj/">法治龙南</a></li>
<li><a href="/zxfw/"><img src="/images/icon_zxfw.png" alt="在线服务">在线服务</a></li>
<li><a href="#"><img src="{assets.PIXEL_DATA_URI}" alt="">更多专题</a></li>
</ul>
</div>
<div class="links">
<h3>友情链接</h3>
<a href="{{external}}/" target="_blank">龙南旅游网</a>
<a href="{{external}}/news/2024/content_1.html" target="_blank">龙南围屋文化旅游节开幕</a>
<!-- PLANTED dns: the retired domain of the old portal (RFC 6761 .invalid) -->
<a href="http://www.longnan-old.invalid/" target="_blank">龙南市人民政府（旧版）</a>
</div>"""
    meta = {
        "ColumnName": "首页",
        "ColumnType": "首页",
        "ColumnDescription": "龙南市人民政府门户网站首页",
        "ColumnKeywords": "龙南,政府",
    }
    site.html("main", "/", page("龙南市人民政府", body, meta=meta))


def news_center(site: SiteWriter) -> None:
    """新闻中心: overview, 要闻动态 (three list pages via createPageHTML), 部门动态."""
    s = stories()
    ywdt, bmdt = s["ywdt"], s["bmdt"]
    overview = f"""{crumb_bar((("新闻中心", "/xwzx/"),))}
<a name="main" id="main"></a>
<div class="xwzx-nav">{column_problems.nav_links("/xwzx/")}
{precision_traps.nav_links("/xwzx/")}</div>
{_block("要闻动态", "/xwzx/ywdt/", _latest(ywdt[:3], YWDT))}
{_block("部门动态", "/xwzx/bmdt/", _latest(bmdt[:3], BMDT))}{precision_traps.sidebar()}"""
    meta = {
        "ColumnName": "新闻中心",
        "ColumnType": "新闻中心",
        "ColumnDescription": "龙南市新闻中心",
        "ColumnKeywords": "新闻,要闻,动态",
    }
    site.html("main", "/xwzx/", page("新闻中心_龙南市人民政府", overview, meta=meta))

    pages = [ywdt[i : i + NEWS_PAGE_SIZE] for i in range(0, len(ywdt), NEWS_PAGE_SIZE)]
    for number, chunk in enumerate(pages):
        entries = _entries(chunk, YWDT)
        if number == 1:
            # PLANTED http_404 (a): a list entry whose article was deleted
            entries.insert(
                3,
                _entry(
                    "./202408/t20240816_1098.html",
                    "龙南市开展2024年“安全生产月”活动总结",
                    "2024-08-16",
                ),
            )
        name = "index.html" if number == 0 else f"index_{number}.html"
        html = _list_page(YWDT, entries, pager=(len(pages), number))
        site.html("main", YWDT.path + (name if number else ""), html)

    related = {
        1001: _related(
            # PLANTED soft_404 (by text): answers 200 with <title>页面不存在</title>
            ("/xwzx/ywdt/202401/t20240105_0999.html", "2023年龙南市经济社会发展情况回顾"),
            ("{external}/news/2024/content_1.html", "龙南围屋文化旅游节开幕"),
        ),
    }
    # PLANTED http_404 (script, link): a story reachable only from index_2.html loads a
    # slider script and stylesheet that were removed from the server
    head_extra = {
        1012: '<link rel="stylesheet" href="/css/swiper.min.css">\n'
        '<script src="/js/jquery.SuperSlide.2.1.1.js"></script>',
    }
    for story in ywdt:
        html = _article(
            YWDT, story, related=related.get(story.id, ""), head_extra=head_extra.get(story.id, "")
        )
        site.html("main", story.url_path(YWDT.path), html)

    entries = _entries(bmdt, BMDT)
    # PLANTED http_410: a withdrawn notice the server answers with 410 Gone
    entries.append(_entry("./old-notice.html", "关于调整城区部分公交线路的公告", "2024-03-01"))
    site.html("main", BMDT.path, _list_page(BMDT, entries))
    for story in bmdt:
        related_html = ""
        if story.id == bmdt[0].id:
            related_html = _related(("{external}/news/2024/content_1.html", "围屋文化旅游节"))
        site.html("main", story.url_path(BMDT.path), _article(BMDT, story, related=related_html))


def disclosure(site: SiteWriter) -> None:
    """信息公开: overview, 通知公告, 政策文件 (pages with <base href>)."""
    s = stories()
    tzgg, zcwj, sfj = s["tzgg"], s["zcwj"], s["sfj"]
    missing_title = "关于做好2024年中秋节、国庆节期间安全生产工作的通知"
    # PLANTED http_404 (a) on two pages, /xxgk/ and /xxgk/tzgg/: a deleted notice
    missing = _entry("/xxgk/tzgg/202409/t20240901_3009.html", missing_title, "2024-09-01")
    overview = f"""{crumb_bar((("信息公开", "/xxgk/"),))}
<div class="xxgk-nav">
<a href="/xxgk/tzgg/">通知公告</a> <a href="/xxgk/zcwj/">政策文件</a>
<a href="/xxgk/sfj/">司法局</a>
<a href="{policy_problems.GFXWJ.path}">规范性文件</a>
<a href="{policy_problems.ZCJD.path}">政策解读</a>
{column_problems.nav_links("/xxgk/")}
{precision_traps.nav_links("/xxgk/")}
{plan_pages.nav_links("/xxgk/")}
{plan_problems.nav_links("/xxgk/")}
</div>
{_block("通知公告", "/xxgk/tzgg/", _latest(tzgg[:3], TZGG) + chr(10) + missing)}
{_block("政策文件", "/xxgk/zcwj/", _latest(zcwj, ZCWJ))}
{_block("司法局", "/xxgk/sfj/", _latest(sfj[:2], SFJ))}{precision_traps.sidebar()}"""
    meta = {
        "ColumnName": "信息公开",
        "ColumnType": "信息公开",
        "ColumnDescription": "龙南市政府信息公开",
        "ColumnKeywords": "信息公开,政务公开",
    }
    site.html("main", "/xxgk/", page("信息公开_龙南市人民政府", overview, meta=meta))

    entries = _entries(tzgg, TZGG)
    entries.append(_entry("./202409/t20240901_3009.html", missing_title, "2024-09-01"))
    site.html("main", TZGG.path, _list_page(TZGG, entries))
    encoded = ATTACHMENT_DIR + quote(ATTACHMENT_PDF)
    for story in tzgg:
        related = ""
        if story.id == 3005:
            # Trap: the attachment linked percent-encoded (the GBK page links it raw)
            related = _related((encoded, f"附件：{ATTACHMENT_PDF}"))
        site.html("main", story.url_path(TZGG.path), _article(TZGG, story, related=related))

    # 政策文件 pages carry <base href="/xxgk/zcwj/">: their relative links resolve against it
    base = ZCWJ.path
    site.html("main", ZCWJ.path, _list_page(ZCWJ, _entries(zcwj, ZCWJ, prefix=""), base_href=base))
    for index, story in enumerate(zcwj):
        other = zcwj[(index + 1) % len(zcwj)]
        links = [(_relative(other, ZCWJ, prefix=""), other.title)]
        links += policy_problems.interpretation_links(story.url_path(ZCWJ.path), base)
        if index == 0:
            # PLANTED soft_404 (by probe): the external host answers every unknown path 200
            links.append(("{external}/old/zhengce/2019.html", "龙南旅游网·2019年旅游扶持政策汇编"))
        html = _article(ZCWJ, story, related=_related(*links), base_href=base)
        site.html("main", story.url_path(ZCWJ.path), html)


def justice_bureau(site: SiteWriter) -> None:
    """司法局: a section stored as GB18030 and served as ``charset=gb2312``.

    Attachment links are raw Chinese in the GBK bytes: a browser percent-encodes the
    path as UTF-8 whatever the page encoding.
    """
    sfj = stories()["sfj"]
    downloads = f"""
<div class="downloads">
<h3>相关下载</h3>
<ul>
<li><a href="{ATTACHMENT_DIR}{ATTACHMENT_PDF}">关于开展法律援助工作的通知</a></li>
<li><a href="{ATTACHMENT_DIR}{ATTACHMENT_DOCX}">行政复议申请书（样式）</a></li>
{attachment_problems.link_for_justice_list()}
<!-- PLANTED http_404 (a): a Chinese-named attachment that was never uploaded -->
<li><a href="{ATTACHMENT_DIR}2023年度法治政府建设情况报告.pdf">2023年度法治政府建设情况报告</a></li>
</ul>
</div>"""
    html = _list_page(SFJ, _entries(sfj, SFJ), charset=GBK_CHARSET, after=downloads)
    site.html("main", SFJ.path, html, codec=GBK_CODEC)
    related = {
        # PLANTED connection_reset: the server drops the connection without answering
        4002: _related(("/trap/reset.html", "龙南市公共法律服务网")),
        # Trap: a relative raw-Chinese link to the same existing attachment
        4003: _related((f"../P020241105/{ATTACHMENT_PDF}", f"附件：{ATTACHMENT_PDF}")),
    }
    for story in sfj:
        html = _article(SFJ, story, related=related.get(story.id, ""), charset=GBK_CHARSET)
        site.html("main", story.url_path(SFJ.path), html, codec=GBK_CODEC)


def attachments(site: SiteWriter) -> None:
    """Downloadable files: the 司法局 attachments and the 在线服务 guide."""
    site.file(
        "main",
        ATTACHMENT_DIR + ATTACHMENT_PDF,
        assets.pdf("Longnan Justice Bureau: legal aid notice (2024)"),
    )
    site.file(
        "main",
        ATTACHMENT_DIR + ATTACHMENT_DOCX,
        assets.docx(["行政复议申请书（样式）", "申请人：", "被申请人：", "行政复议请求："]),
    )
    # An old-format Word file: link-checked (HEAD), its text is not read.
    site.file("main", "/upload/guide-head405.doc", assets.legacy_doc())


def online_services(site: SiteWriter) -> None:
    """在线服务: service links, most of the traps and the network-level faults."""
    body = """<div class="services">
<h3>办事服务</h3>
<ul class="list">
<!-- PLANTED ssl: the HTTPS service hall's certificate is trusted by nobody -->
<li><a href="{tls}/bsdt/" target="_blank">网上办事大厅</a></li>
<!-- PLANTED connection_refused: the old service site is switched off -->
<li><a href="{refused}/zwfw/" target="_blank">龙南市政务服务网（旧版）</a></li>
<!-- PLANTED timeout: answers after 4 s, beyond the configured timeout -->
<li><a href="/trap/hang.html">不动产登记进度查询</a></li>
<!-- PLANTED too_many_redirects: loop-a -> loop-b -> loop-a -->
<li><a href="/trap/loop-a">社保缴费查询</a></li>
<li><a href="/trap/flaky.html">公积金查询</a></li>
<li><a href="/trap/busy.html">医院预约挂号</a></li>
<li><a href="/trap/slow.html">水电气缴费</a></li>
<li><a href="/trap/moved">企业开办“一网通办”</a></li>
<li><a href="/upload/guide-head405.doc">办事指南下载</a></li>
<!-- PLANTED no finding: a link of 3,000 characters (a search with its ticket), too long
     for a PostgreSQL btree index -->
<li><a href="LONG_LINK">办件结果查询</a></li>
</ul>
<h3>便民服务</h3>
<ul class="list">
<li><a href="{external}/docs/head501.pdf" target="_blank">旅游服务指南</a></li>
<li><a href="{external}/trap/browser-only.html" target="_blank">景区实时客流</a></li>
<li><a href="{external}/trap/always429.html" target="_blank">景区门票预约</a></li>
<li><a href="tel:0797-12345">12345政务服务便民热线</a></li>
<li><a href="#">更多服务</a></li>
</ul>
<h3>政务服务中心位置</h3>
<!-- PLANTED http_404 (iframe): the map page was never published -->
<iframe src="/zxfw/map/zwfwzx.html" width="600" height="300" title="政务服务中心位置"></iframe>
<p><a href="//{main_netloc}/xxgk/">政府信息公开</a> | <a href="/index.html">返回首页</a></p>
</div>"""
    body = body.replace("LONG_LINK", long_link())
    site.html("main", "/zxfw/", _simple_page("/zxfw/", "在线服务", body, kind="在线服务"))
    result = (
        "<p>办件结果：您查询的不动产登记业务已办结，请携带本人身份证件到市政务服务中心领取证书。</p>"
        '\n<p><a href="/zxfw/">返回在线服务</a></p>'
    )
    result_page = _simple_page("/zxfw/", "办件结果查询", result, kind="在线服务")
    site.html("main", LONG_LINK_PATH, result_page)


LONG_LINK_PATH = "/zxfw/bjjg.html"
LONG_LINK_CHARS = 3000


def long_link() -> str:
    """A link to ``LONG_LINK_PATH`` of ``LONG_LINK_CHARS`` characters (a query that does not
    compress, as a signed ticket does not)."""
    digests = (hashlib.sha256(b"%d" % i).digest() for i in range(LONG_LINK_CHARS // 40))
    ticket = "".join(base64.urlsafe_b64encode(d).decode().rstrip("=") for d in digests)
    return f"{LONG_LINK_PATH}?ticket={ticket}"[:LONG_LINK_CHARS]


def interaction(site: SiteWriter) -> None:
    """互动交流, 走进龙南, 政府网站找错."""
    hdjl = """<ul class="list">
<li><a href="mailto:szxx@longnan.gov.cn">市长信箱</a></li>
<!-- PLANTED http_500: the consultation backend fails -->
<li><a href="/api/broken500">在线咨询</a></li>
<li><a href="tel:12345">12345热线</a></li>
<li><a href="javascript:void(0)" onclick="alert('本期征集已结束')">征集调查</a></li>
<li><a href="/xxgk/tzgg/">政府开放日活动预告</a></li>
<li><a href="/hdjl/dcyj/">调查征集</a></li>
<li><a href="/ztzl/">专题专栏</a></li>
</ul>"""
    hdjl += f"\n<p>{precision_traps.nav_links('/hdjl/')}</p>"
    hdjl += f"\n<p>{plan_pages.nav_links('/hdjl/')}</p>"
    hdjl += f"\n<p>{plan_problems.nav_links('/hdjl/')}</p>"
    site.html("main", "/hdjl/", _simple_page("/hdjl/", "互动交流", hdjl, kind="互动交流"))

    zjln = """<div class="intro">
<img src="/images/zjln.png" alt="龙南风光">
<p>龙南市位于江西省最南端，素有“江西南大门”之称，是全国重点客家围屋集中分布地之一，
境内现存围屋376座，被誉为“世界围屋之都”。</p>
<p>了解更多旅游资讯，请访问<a href="{external}/" target="_blank">龙南旅游网</a>。</p>
</div>"""
    site.html("main", "/zjln/", _simple_page("/zjln/", "走进龙南", zjln, kind="信息发布"))

    zfwzzc = """<p>如您发现本网站存在链接不可用、内容错误、更新不及时等问题，
请通过全国政府网站“我为政府网站找错”平台或市长信箱反馈，我们将在3个工作日内处理答复。</p>
<p><a href="mailto:wzjc@longnan.gov.cn">发送邮件反馈</a></p>"""
    site.html("main", "/zfwzzc/", _simple_page("/zfwzzc/", "政府网站找错", zfwzzc))


# Pages served behind trap routes (traps.py decides when they are answered with 200).
_TRAP_PAGES = {
    "/trap/flaky.html": ("公积金查询", "住房公积金缴存、提取、贷款信息查询服务。"),
    "/trap/busy.html": ("医院预约挂号", "龙南市人民医院、中医院门诊预约挂号服务。"),
    "/trap/slow.html": ("水电气缴费", "供水、供电、供气费用在线缴纳服务。"),
    "/trap/moved-target.html": ("企业开办“一网通办”", "企业设立登记、公章刻制、发票申领一网通办。"),
    "/trap/hang.html": ("不动产登记进度查询", "不动产登记业务办理进度查询服务。"),
}


def trap_pages(site: SiteWriter) -> None:
    """Pages behind the trap routes, and the soft-404 article page."""
    for path, (name, text) in _TRAP_PAGES.items():
        body = f'<p>{text}</p>\n<p><a href="/zxfw/">返回在线服务</a></p>'
        site.html("main", path, _simple_page("/zxfw/", name, body, kind="在线服务"))
    # PLANTED soft_404 target: a deleted article the CMS answers with 200 and an error text
    site.html("main", "/xwzx/ywdt/202401/t20240105_0999.html", _SOFT_404_PAGE)


_SOFT_404_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>页面不存在</title>
</head>
<body>
<div class="error">
<p>抱歉，您访问的页面不存在或已被删除</p>
<p><a href="/">返回首页</a></p>
</div>
</body>
</html>
"""


def _tourism_page(title: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{title}</title>
</head>
<body>
<div class="top"><a href="/">龙南旅游网</a>
<span class="menu"><a href="/">首页</a>
<a href="/news/2024/content_1.html">旅游资讯</a></span></div>
{body}
<div class="foot">龙南市文化广电新闻出版旅游局 主办</div>
</body>
</html>
"""


def external_site(site: SiteWriter) -> None:
    """龙南旅游网 on the external host, and the 200 page it answers unknown paths with."""
    home_body = """<h1>龙南旅游网</h1>
<p>世界围屋之都，生态山水龙南。关帝围、燕翼围、栗园围等客家围屋向游客开放。</p>
<ul><li><a href="/news/2024/content_1.html">龙南围屋文化旅游节开幕</a></li></ul>"""
    site.html("external", "/", _tourism_page("龙南旅游网", home_body))
    article = """<h1>龙南围屋文化旅游节开幕</h1>
<p class="date">2024-10-01</p>
<p>10月1日，2024龙南围屋文化旅游节在关西新围开幕。旅游节为期七天，设置客家民俗展演、
围屋夜游、非遗美食市集等活动，吸引省内外游客数万人次。</p>
<p>近年来，龙南以“世界围屋之都”为品牌，推进文旅融合发展，围屋群已成为全国知名的客家文化旅游目的地。</p>"""
    site.html("external", "/news/2024/content_1.html", _tourism_page("围屋文化旅游节开幕", article))
    crowd = """<h1>景区实时客流</h1>
<table><tr><th>景区</th><th>在园人数</th><th>舒适度</th></tr>
<tr><td>关西新围</td><td>1260</td><td>舒适</td></tr>
<tr><td>燕翼围</td><td>830</td><td>舒适</td></tr>
<tr><td>九连山</td><td>2150</td><td>较舒适</td></tr></table>"""
    site.html("external", "/trap/browser-only.html", _tourism_page("景区实时客流", crowd))
    site.file("external", "/docs/head501.pdf", assets.pdf("Longnan tourism service guide"))
    # Not a marker title: only comparing with the host's answer for a random path reveals it
    notfound = """<div class="tip"><p>您要找的内容可能已经移走，请返回首页</p>
<p><a href="/">返回首页</a></p></div>"""
    site.error_page("external-notfound.html", _tourism_page("龙南旅游网 - 提示", notfound))


def tls_site(site: SiteWriter) -> None:
    """网上办事大厅 on the HTTPS server (only a client that skips verification sees it)."""
    body = "<h1>龙南市网上办事大厅</h1>\n<p>个人办事、法人办事、部门服务、阳光审批。</p>"
    text = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>龙南市网上办事大厅</title></head>
<body>{body}</body></html>
"""
    site.html("tls", "/", text)
    site.html("tls", "/bsdt/", text)


def error_pages(site: SiteWriter) -> None:
    """The main site's real 404 page (answered with status 404)."""
    site.error_page(
        "main-404.html",
        """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>404 页面不存在</title>
</head>
<body>
<div class="error">
<h1>404</h1>
<p>抱歉，您访问的页面不存在或已被删除</p>
<p><a href="/">返回首页</a></p>
</div>
</body>
</html>
""",
    )
