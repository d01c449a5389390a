"""Issue 12's traps: pages that real portals write and that a careless reader misjudges.

Each trap imitates markup seen on real TRS, Hanweb/大汉 and 江西集约化 portals (several
follow saved pages under ``tests/pages/``: 009 the legacy article, 016/017 the countPage
pager, the platform's ColumnName and the 网站导航 select, 019 the hub, 020 the search
page, 001/011 the badges, ng-hide and ``.content``) and says what must and must not be
reported. Judged as of ``sample_portal.TODAY`` (2024-11-25). Numbers are those of the
issue's trap list.

Page reading
 1. ``stray_end_tags``: a 基层动态 article whose included header is a whole document
    ending in ``</body></html>`` right after the nav. Its body's typo (迅期) is found, and
    the link after the stray tags is crawled: the article it leads to (linked from
    nowhere else) has a typo of its own (签暑).
 2. ``legacy_news``: the 融媒体中心's old ASP news system (``/xwzx/show.asp?id=1523``):
    no CMS meta, ``<h1>``, then "2024年11月18日 来源：市融媒体中心", then a sidebar of 17
    dated 2023 links. Articles, never columns: no stale_column (read as lists, the 18
    pages would be 18 stale 要闻动态 columns, the breadcrumb's name). One of them
    (``LEGACY_SHORT``) is a short report whose links outweigh its text.
 3. ``search_page``: a site-search results page (``/search/?q=乡镇动态``, "已为您找到约120条
    相关结果", results dated 2023), its title led by the query as search systems write
    it. Not a column: no stale_column, no blank_column.
 4. ``guide_hub``: 政府信息公开指南, a hub of 20 undated links to the departments'
    sections (``/xxgk/bm/<dept>/``). Not a column, no 没有可识别的发布日期 (its name is a
    static column's, as on the real page, so only the page kind is held here).
 5. (not planted) An undated home page: 首页不更新 judges only the site's home page,
    whose entries are dated (the demo's), and a sub-site home is a home page only at the
    root of its own host, which the sample portal does not have.
 6. ``department_documents``: 部门文件, ColumnType 政策文件 but not in the config's
    ``policy.document_columns``, holding news without a 文号 (one about 《…条例》).
    No missing_interpretation.
 7. ``procurement``: 政府采购, a TRS list whose template writes its pager from
    ``countPage`` with ``document.write`` (no createPageHTML); only index_2.html lists
    the notice whose title has the typo 峻工: found there and on the notice.
 8. ``catalogue``: three columns of the 信息公开 platform's catalogue that all carry the
    ColumnName 龙南市政府信息公开, each with a ``首页->信息公开->…`` breadcrumb. The stale
    one is reported as 人事信息 (the breadcrumb's name), not as the platform.

Template awareness
 9. ``sidebar()``: the same 4 old links (政务公开专栏, 2021–2023) beside the list of most
    list pages of the portal, and 公开招聘, a column that says only 暂无信息 beside it:
    a blank column, not a stale one. Beside 乡村振兴动态's undated list too, which keeps
    its own entries. Not beside 工作计划 (see ``SIDEBAR_LEFT_OUT``).

hidden_link (every target on ``{external}``, which answers 200)
 Not reported: 10 a bShare box whose hidden "more" panel has 8 share links (基层动态
 articles); 11 the hidden 纠错 link beside the 党政机关 badge (部门文件 articles); 12 a
 政务微博 block hidden only on phones (``@media``), 5 links (政务新媒体); 13 a related-
 links block hidden by ``.content{display:none}`` and shown again inline, 5 links (在线
 访谈); 14 a hidden tab panel of 6 dated news beside its visible sibling (文广新旅局);
 15 a hidden drop-down of 6 county sites under a menu item (the hub); 16 a hidden share
 table whose Weibo link carries the title 打击六合彩专项行动 (部门文件).
 Found: 17 a ``display:none`` block of 6 undated links to one foreign site on a page
 that links it nowhere visibly (统计局's guide, a link farm); 18 a 1×1 ``<marquee>`` of
 casino links (医保局's guide; its words are also terms).

outdated_name
 Not reported: 19 historical names in a 2024 article (《…》 titles, a 2016 文号, 原 + place,
 国家海洋局 as a brand); 20 a 2024 article's sidebar entry "县国土资源局关于土地确权的公示"
 2017-06-05; 21 国土资源局 and 布署 inside ``<div class="ng-hide">``; 22 国土资源局 in the
 prose of an undated page (自然资源局's guide). Found: 23 新闻出版总署 in the 网站导航
 of an undated list whose entries go up to 2024-11-20 (文广新旅局), a line of the
 sub-site's template that its two columns show too: one finding for the three pages.

Expected findings: ``expected_findings.yaml`` (the lines the comments there tie to this
module); the pages judged and not reported are its ``not_reported``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Protocol
from urllib.parse import quote

from sample_portal import assets
from sample_portal.layout import SITE_ID_CODE, Column, crumb_bar, page


class _Writer(Protocol):
    def html(self, site: str, path: str, text: str, codec: str = "utf-8") -> None: ...

    def file(self, site: str, path: str, data: bytes) -> None: ...


@dataclass(frozen=True)
class Item:
    id: int
    title: str
    day: str  # YYYY-MM-DD

    def path(self, column: str) -> str:
        compact = self.day.replace("-", "")
        return f"{column}{compact[:6]}/t{compact}_{self.id}.html"


def _col(path: str, name: str, kind: str, parent: tuple[str, str]) -> Column:
    return Column(path, name, kind, name, name, parents=(parent,))


NEWS = ("新闻中心", "/xwzx/")
XXGK = ("信息公开", "/xxgk/")
HDJL = ("互动交流", "/hdjl/")

# -- 9. the template's sidebar --------------------------------------------------------------

SIDEBAR = (
    Item(6101, "龙南市人民政府2023年政府工作报告", "2023-03-01"),
    Item(6102, "龙南市2022年政府信息公开工作年度报告", "2023-01-20"),
    Item(6103, "龙南市“八五”普法规划（2021—2025年）", "2022-02-15"),
    Item(6104, "龙南市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要", "2021-04-12"),
)
SIDEBAR_DIR = "/xxgk/zfgzbg/"
# A column whose emptiness would be lost beside the sidebar, a limit of the reader: an
# empty list that does not say 暂无信息 reads as the sidebar's list (工作计划 would be
# stale instead of blank; a page that lists only template links keeps them, for
# precision). 乡村振兴动态's undated list beside the dated sidebar keeps its own
# entries (detectors.page_facts.read_entries), dated by its articles.
SIDEBAR_LEFT_OUT = ("/xxgk/gzjh/",)


def sidebar() -> str:
    """The 政务公开专栏 box the template shows beside a column's list: the same old links
    on every list page. Real templates name such boxes by position (``list-right``,
    ``con_r``), not ``sidebar``, so only the site-wide repetition gives it away. Its
    dates are older than every column's own newest entry: a column with entries of its
    own keeps the template's beside them (``column_discovery``), so a fresher template
    link would make a stale column look fresh (a limit reported with these traps)."""
    rows = "\n".join(
        f'<li><a href="{i.path(SIDEBAR_DIR)}" target="_blank" title="{escape(i.title)}">'
        f"{escape(i.title)}</a><span>{i.day}</span></li>"
        for i in SIDEBAR
    )
    return f"""
<div class="list-right">
<div class="rtit"><span>政务公开专栏</span></div>
<ul class="rlist">
{rows}
</ul>
</div>"""


# -- building blocks ------------------------------------------------------------------------


def _list_row(href: str, title: str, day: str) -> str:
    t = escape(title)
    return f'<li><a href="{href}" target="_blank" title="{t}">{t}</a><span>{day}</span></li>'


def _list_page(
    column: Column,
    rows: list[str],
    *,
    extra: str = "",
    side: bool = True,
    crumbs: str | None = None,
    meta: dict[str, str] | None = None,
) -> str:
    listing = "\n".join(rows)
    body = f"""{crumbs if crumbs is not None else crumb_bar(column.crumbs())}
<div class="column">
<h2>{column.name}</h2>
<ul class="list">
{listing}
</ul>{extra}
</div>{sidebar() if side else ""}"""
    return page(f"{column.name}_龙南市人民政府", body, meta=meta or column.meta())


def _article_meta(column_name: str, column_type: str, title: str, day: str) -> dict[str, str]:
    return {
        "ColumnName": column_name,
        "ColumnType": column_type,
        "ArticleTitle": title,
        "PubDate": f"{day} 09:30",
        "ContentSource": "龙南市人民政府办公室",
    }


def _paragraphs(texts: tuple[str, ...] | list[str]) -> str:
    return "\n".join(f"<p>{escape(t)}</p>" for t in texts)


def _article(
    column: Column,
    item: Item,
    body: str,
    *,
    source: str = "龙南市人民政府办公室",
    after: str = "",
    meta: dict[str, str] | None = None,
    crumbs: str | None = None,
) -> str:
    html = f"""{crumbs if crumbs is not None else crumb_bar(column.crumbs())}
<div class="article">
<h1>{escape(item.title)}</h1>
<div class="info">发布时间：{item.day} 09:30　来源：{source}</div>
<div class="TRS_Editor" id="zoom">
{body}
</div>{after}
</div>"""
    meta = meta or _article_meta(column.name, column.kind, item.title, item.day)
    meta["ContentSource"] = source
    return page(item.title, html, meta=meta)


def _own_url(page_path: str) -> str:
    """The page's address as share and 纠错 links carry it: the site's public domain."""
    return quote(f"https://www.longnan.gov.cn{page_path}", safe="")


def _share_query(page_path: str, title: str) -> str:
    return f"url={_own_url(page_path)}&amp;title={quote(title)}"


# -- 1. a stray end of document; 10. a bShare box --------------------------------------------

JCDT = _col("/xwzx/jcdt/", "基层动态", "基层动态", NEWS)
STRAY = Item(9101, "杨村镇全力做好冬修水利工作", "2024-11-21")
AFTER_STRAY = Item(9102, "杨村镇与市水投集团签订农村供水保障项目合作协议", "2024-11-20")
LEGACY_ID = 1523
LEGACY_TITLE = "程龙镇“项目建设年”活动取得阶段性成效"
LEGACY_DAY = "2024-11-18"
HISTORY = Item(9103, "市自然资源局召开不动产登记历史遗留问题化解工作会", "2024-11-15")
SIDE_2017 = Item(9104, "里仁镇完成农村集体土地所有权确权登记颁证工作", "2024-11-12")
OLD_NOTICE = Item(7609, "县国土资源局关于土地确权的公示", "2017-06-05")
OLD_NOTICE_DIR = "/xxgk/gsgg/"

BSHARE_PLATFORMS = (
    ("qzone", "QQ空间"),
    ("qqim", "QQ好友"),
    ("renren", "人人网"),
    ("douban", "豆瓣"),
    ("kaixin001", "开心网"),
    ("tqq", "腾讯微博"),
    ("baiduhi", "百度空间"),
    ("neteasemb", "网易微博"),
)


def _bshare(page_path: str, title: str) -> str:
    """bShare's toolbar: two buttons and a "more" panel the widget shows on click (10)."""
    query = _share_query(page_path, title)
    more = "\n".join(
        f'<a class="bshare-{key}" href="{{external}}/share/{key}.html?{query}" '
        f'title="分享到{name}">{name}</a>'
        for key, name in BSHARE_PLATFORMS
    )
    return f"""
<div class="bshare-custom icon-medium"><span class="bshare-text">分享到：</span>
<a title="分享到新浪微博" class="bshare-sinaminiblog" href="javascript:void(0);"></a>
<a title="分享到微信" class="bshare-weixin" href="javascript:void(0);"></a>
<a title="更多平台" class="bshare-more bshare-more-icon more-style-addthis"
 href="javascript:void(0);"></a>
<div class="bshare-more-panel" style="display:none">
{more}
</div>
</div>"""


def _jcdt_article(item: Item, body: str, after: str = "") -> str:
    path = item.path(JCDT.path)
    return _article(
        JCDT, item, body, source="龙南市融媒体中心", after=after + _bshare(path, item.title)
    )


def _stray_end_tags(html: str) -> str:
    """The header and nav as the CMS includes them: a whole document of their own, whose
    ``</body></html>`` lands in the page right after the nav (a browser ignores them;
    libxml2 drops everything after ``</html>``)."""
    marker = '</ul></div>\n<div class="main">'
    assert marker in html
    include_end = "</ul></div>\n<!-- #EndInclude header.html -->\n</body>\n</html>"
    return html.replace(marker, include_end + '\n<div class="main">', 1)


def basic_news(site: _Writer) -> None:
    """基层动态: traps 1, 2 (its list links the legacy system), 10, 19, 20."""
    rows = [
        _list_row(f"./{STRAY.path('').lstrip('/')}", STRAY.title, STRAY.day),
        _list_row(f"/xwzx/show.asp?id={LEGACY_ID}", LEGACY_TITLE, LEGACY_DAY),
        _list_row(f"./{HISTORY.path('').lstrip('/')}", HISTORY.title, HISTORY.day),
        _list_row(f"./{SIDE_2017.path('').lstrip('/')}", SIDE_2017.title, SIDE_2017.day),
    ]
    site.html("main", JCDT.path, _list_page(JCDT, rows))

    # 1. PLANTED term (typo 迅期) after the stray </body></html>; the 相关链接 after them
    # leads to the only link to AFTER_STRAY, whose typo 签暑 is found only if it is crawled.
    body = _paragraphs(
        (
            "入冬以来，杨村镇抢抓农闲有利时机，组织党员干部和群众开展冬修水利工作，"
            "清淤疏浚山塘水库12座、沟渠36公里，加固河堤2.3公里。",
            "镇党委主要负责同志表示，要赶在明年迅期到来之前完成全部在建水利工程，"
            "切实提升农田灌溉和防洪排涝能力，为来年粮食生产打下坚实基础。",
            "截至目前，全镇冬修水利工程已完成投资860万元，占年度计划的78%。",
        )
    )
    related = (
        '\n<div class="related"><h4>相关链接</h4>\n<ul>\n'
        f'<li><a href="../{AFTER_STRAY.path("").lstrip("/")}" target="_blank">'
        f"{AFTER_STRAY.title}</a></li>\n</ul>\n</div>"
    )
    html = _stray_end_tags(_jcdt_article(STRAY, body, related))
    site.html("main", STRAY.path(JCDT.path), html)
    body = _paragraphs(
        (
            "11月20日，杨村镇人民政府与市水投集团在镇政府会议室举行农村供水保障项目合作协议签约仪式，"
            "双方签暑了合作协议。",
            "项目总投资1.2亿元，将新建水厂1座、改造供水管网85公里，建成后可解决全镇2.6万群众的安全饮水问题。",
        )
    )
    site.html("main", AFTER_STRAY.path(JCDT.path), _jcdt_article(AFTER_STRAY, body))

    # 19. NOT findings: names of abolished bodies where history is told, in a 2024 article.
    body = _paragraphs(
        (
            "11月15日，市自然资源局召开不动产登记历史遗留问题化解工作会，"
            "对全市2016年以前形成的房地产项目办证难问题进行再梳理、再部署。",
            "会议回顾了相关工作历程：根据《国土资源部关于加强土地管理的通知》（国土资发〔2016〕12号）要求，"
            "原江西省国土资源厅和原龙南县国土资源局先后对全县国有建设用地供应情况开展了清查。"
            "2019年机构改革后，相关职责整合划入市自然资源局。",
            "会议还传达了国家海洋局发布的《2023年中国海平面公报》有关内容，"
            "要求沿河低洼地带项目在规划选址时充分考虑洪涝风险。",
            "会议要求，各相关单位要按照“尊重历史、分类处置”的原则，力争年底前再化解一批遗留问题。",
        )
    )
    site.html("main", HISTORY.path(JCDT.path), _jcdt_article(HISTORY, body))

    # 20. NOT a finding: a 2017 entry in a 2024 article's sidebar, dated beside it.
    body = _paragraphs(
        (
            "近日，里仁镇全面完成农村集体土地所有权确权登记颁证工作，"
            "共确权登记村、组集体土地所有权1326宗，面积18.7万亩。",
            "镇农业农村办负责同志介绍，确权登记颁证工作自2017年启动，"
            "历经权属调查、地籍测量、公示审核等环节，做到了权属清楚、界址清晰、面积准确。",
            "下一步，里仁镇将以确权成果为基础，稳妥推进农村集体经营性建设用地入市试点工作。",
        )
    )
    side = f"""
<div class="xgxx"><h4>相关信息</h4>
<ul>
<li><a href="{OLD_NOTICE.path(OLD_NOTICE_DIR)}" target="_blank">{OLD_NOTICE.title}</a>
<span>{OLD_NOTICE.day}</span></li>
<li><a href="/xwzx/bmdt/202411/t20241101_1102.html"
 target="_blank">市自然资源局召开耕地保护工作推进会</a>
<span>2024-11-01</span></li>
</ul>
</div>"""
    site.html("main", SIDE_2017.path(JCDT.path), _jcdt_article(SIDE_2017, body, side))
    notice_col = _col(OLD_NOTICE_DIR, "公示公告", "公示公告", XXGK)
    body = _paragraphs(
        (
            "根据《土地登记办法》有关规定，现将里仁镇第一批农村集体土地所有权确权登记结果予以公示。",
            "公示期为2017年6月5日至6月19日。如有异议，请在公示期内以书面形式向县国土资源局地籍股提出。",
        )
    )
    site.html(
        "main",
        OLD_NOTICE.path(OLD_NOTICE_DIR),
        _article(notice_col, OLD_NOTICE, body, source="龙南县国土资源局"),
    )


# -- 2. the legacy news system -------------------------------------------------------------

# In-depth reports of a special topic, as the 融媒体中心's old system carries them: each
# page's own text is over three times its 17-link sidebar's link text, except the last
# report's (LEGACY_SHORT): a short news body beside the same sidebar, an article by its
# prose outside the sidebar's rows (detectors.page_facts: PROSE_RUN), not a stale list.
_LEGACY_PARAGRAPHS = (
    "今年以来，该镇坚持把项目建设作为推动高质量发展的主抓手，成立项目建设工作专班，"
    "实行“一个项目、一名领导、一套班子、一抓到底”的工作机制，定期召开项目调度会，"
    "协调解决征地拆迁、水电配套、手续办理等方面的困难和问题，推动项目早落地、早开工、早见效。",
    "在项目谋划上，该镇紧扣产业发展方向，围绕现代农业、文旅融合、基础设施等领域，"
    "深入谋划储备了一批打基础、利长远、惠民生的好项目，建立项目库动态管理机制，"
    "做到储备一批、开工一批、建成一批，形成了梯次推进、滚动发展的良好格局。",
    "在要素保障上，该镇主动对接市直有关部门，积极争取上级专项资金和政府专项债券支持，"
    "用足用好各项惠企政策；同时盘活闲置土地和低效用地，优先保障重点项目用地需求，"
    "为项目建设提供了坚实支撑。",
    "在服务优化上，该镇全面推行项目建设“全程代办”服务，安排专人跟踪服务，"
    "对项目审批事项实行容缺受理、并联审批，审批时限平均压缩40%以上，"
    "企业和群众的获得感、满意度明显提升。",
    "在群众参与上，该镇坚持项目建设为了群众、依靠群众，在项目选址、方案设计等环节广泛征求群众意见，"
    "组织党员干部深入村组宣讲政策，化解矛盾纠纷，引导群众主动支持和参与项目建设，"
    "营造了“人人关心项目、人人支持项目”的浓厚氛围。",
    "在督查考核上，该镇建立项目建设“红黄绿”三色管理制度，对进度滞后的项目亮牌警示、"
    "跟踪督办，将项目建设成效纳入村干部年度考核，以考核结果论英雄、凭实绩用干部，"
    "激发了干部干事创业的热情。",
    "下一步，该镇将继续保持项目建设的强劲势头，聚焦年度目标任务，倒排工期、挂图作战，"
    "加快在建项目建设进度，推动新开工项目尽快形成实物工作量，确保全年各项目标任务圆满完成。",
)
LEGACY_SIDEBAR = (
    (1498, "程龙镇召开“项目建设年”活动动员大会", "2023-02-16"),
    (1499, "桃江乡现代农业产业园项目开工建设", "2023-03-08"),
    (1500, "东江乡农村人居环境整治项目通过验收", "2023-03-27"),
    (1501, "关西镇围屋文旅融合项目签约落地", "2023-04-14"),
    (1502, "南亨乡农村公路提升改造项目加快推进", "2023-05-06"),
    (1503, "临塘乡高标准农田建设项目全面开工", "2023-05-25"),
    (1504, "夹湖乡光伏发电项目并网发电", "2023-06-13"),
    (1505, "渡江镇农产品冷链物流项目建成投用", "2023-07-03"),
    (1506, "武当镇生态旅游项目完成主体工程", "2023-07-21"),
    (1507, "杨村镇农村供水保障工程进展顺利", "2023-08-10"),
    (1508, "里仁镇工业园区标准厂房项目封顶", "2023-08-29"),
    (1509, "龙南镇老旧小区改造项目惠及群众", "2023-09-15"),
    (1510, "程龙镇特色蔬菜基地项目带动增收", "2023-10-09"),
    (1511, "桃江乡集镇提升项目完成招标", "2023-10-26"),
    (1512, "东江乡村级光伏电站项目实现收益", "2023-11-14"),
    (1513, "关西镇乡村振兴示范点项目建成", "2023-12-05"),
    (1514, "全市“项目建设年”活动年终观摩会召开", "2023-12-27"),
)
LEGACY_SHORT = 1514  # its report is short: its own text is less than its sidebar's links
LEGACY_DIR = "/xwzx/show/"  # where the route by_id finds show.asp?id=N (traps.MAIN_ROUTES)


def _legacy_page(title: str, day: str, paragraphs: list[str]) -> str:
    """An article of the old ASP system: table layout, no 《网页设计规范》 meta, the date on
    the source line without a label, and the 17-link sidebar of a 2023 special topic."""
    y, m, d = day.split("-")
    sidebar_rows = "\n".join(
        f'<tr><td class="list_l">·<a href="show.asp?id={n}" target="_blank">{escape(t)}</a></td>'
        f'<td class="list_r">{dd}</td></tr>'
        for n, t, dd in LEGACY_SIDEBAR
    )
    body = "\n".join(f"<p>　　{escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{escape(title)}-龙南市融媒体中心</title>
<link href="/css/style.css" rel="stylesheet" type="text/css" />
</head>
<body>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td height="90" bgcolor="#B5050B"><a href="/"><img src="/images/logo.png"
 alt="龙南市人民政府" border="0" /></a></td></tr>
</table>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
<tr>
<td width="700" valign="top">
<table width="100%" border="0" cellspacing="0" cellpadding="0">
<tr><td height="35" class="daohang">当前位置：<a href="/">首页</a> &gt;
 <a href="/xwzx/">新闻中心</a> &gt; <a href="/xwzx/ywdt/">要闻动态</a></td></tr>
</table>
<table width="660" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td align="center"><h1>{escape(title)}</h1></td></tr>
<tr><td align="center" class="zy">{y}年{m}月{d}日　来源：市融媒体中心　点击数：<span
 id="hits">326</span></td></tr>
<tr><td class="zw"><div id="Content">
{body}
</div></td></tr>
</table>
</td>
<td width="20"></td>
<td width="280" valign="top">
<table width="100%" border="0" cellspacing="0" cellpadding="0">
<tr><td class="rtitle" colspan="2">专题：2023年“项目建设年”活动</td></tr>
{sidebar_rows}
</table>
</td>
</tr>
</table>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td align="center" class="bottom">龙南市融媒体中心 主办　地址：龙南市龙南镇金塘大道1号
　网站标识码：{SITE_ID_CODE}</td></tr>
</table>
</body>
</html>
"""


def legacy_news(site: _Writer) -> None:
    """2. The old ASP system: ``show.asp?id=N`` answered from ``/xwzx/show/<N>.asp``."""
    lead = (
        "11月18日，记者从程龙镇获悉，今年以来该镇扎实开展“项目建设年”活动，"
        "全镇32个重点项目完成投资5.6亿元，占年度计划的92%。"
    )
    site.file(
        "main",
        f"{LEGACY_DIR}{LEGACY_ID}.asp",
        _legacy_page(LEGACY_TITLE, LEGACY_DAY, [lead, *_LEGACY_PARAGRAPHS]).encode("utf-8"),
    )
    for number, (n, title, day) in enumerate(LEGACY_SIDEBAR):
        m, d = int(day[5:7]), int(day[8:10])
        lead = f"{m}月{d}日，{title.rstrip('。')}。这是该地深入开展“项目建设年”活动的又一成果。"
        length = 2 if n == LEGACY_SHORT else 6
        rest = [_LEGACY_PARAGRAPHS[(number + k) % len(_LEGACY_PARAGRAPHS)] for k in range(length)]
        html = _legacy_page(title, day, [lead, *rest])
        site.file("main", f"{LEGACY_DIR}{n}.asp", html.encode("utf-8"))


# -- 3. the site search --------------------------------------------------------------------

SEARCH_PATH = "/search/"
SEARCH_QUERY = "乡镇动态"
SEARCH_RESULTS = (
    ("/xwzx/xzdt/202312/t20231230_7101.html", "里仁镇开展冬季森林防火宣传活动", "2023-12-30"),
    ("/xwzx/xzdt/202312/t20231218_7102.html", "杨村镇召开2023年度脱贫攻坚总结会", "2023-12-18"),
    ("/xwzx/xzdt/202311/t20231128_7103.html", "临塘乡举办农技培训班", "2023-11-28"),
    ("/xxgk/gsgg/202312/t20231220_7604.html", "龙南市2023年度城乡低保资金发放公示", "2023-12-20"),
    ("/xxgk/gsgg/202311/t20231102_7605.html", "龙南市2023年第四季度重点项目公示", "2023-11-02"),
)


def search_page(site: _Writer) -> None:
    """3. TRS 智能检索's results page, served for any query (the hot word links one)."""
    results = "\n".join(
        f"""<div class="result">
<h3><a href="{href}" target="_blank">{escape(title)}</a></h3>
<p class="abs">……{escape(title)}……全市各乡镇认真落实工作部署……</p>
<p class="url"><span>{href}</span> <span class="time">{day}</span></p>
</div>"""
        for href, title, day in SEARCH_RESULTS
    )
    body = f"""<div class="search-box"><form action="/search/" method="get">
<input type="text" name="q" value="{SEARCH_QUERY}"> <input type="submit" value="搜索"></form></div>
<div class="search-tabs"><span class="on">全部</span> <span>政策文件</span> <span>新闻动态</span>
 <span>办事服务</span></div>
<div class="search-info">已为您找到约120条相关结果，用时0.23秒　排序：<span
 class="on">按相关度</span> | <span>按时间</span></div>
<div class="search-list">
{results}
</div>
<div class="search-page"><span class="on">1</span>
<a href="javascript:void(0)" onclick="goPage(2)">2</a>
<a href="javascript:void(0)" onclick="goPage(3)">3</a>
<a href="javascript:void(0)" onclick="goPage(2)">下一页</a></div>"""
    # The search system's own template: site meta, no column tags; its title leads with the
    # query (乡镇动态, a news column's name: read as a column, it would be a stale one).
    html = page(f"{SEARCH_QUERY} - 站内搜索 - 龙南市人民政府", body)
    site.html("main", SEARCH_PATH, html)


# -- 4. the hub of department guides; 15. a hidden drop-down; 17, 18, 22 on the guides ------

HUB = _col("/xxgk/zfxxgkzn/", "政府信息公开指南", "信息公开指南", XXGK)
DEPARTMENTS = (
    ("fgw", "市发展和改革委员会"),
    ("jyj", "市教育局"),
    ("kjj", "市科学技术局"),
    ("gxj", "市工业和信息化局"),
    ("gaj", "市公安局"),
    ("mzj", "市民政局"),
    ("czj", "市财政局"),
    ("rsj", "市人力资源和社会保障局"),
    ("zrzyj", "市自然资源局"),
    ("sthjj", "市生态环境局"),
    ("zjj", "市住房和城乡建设局"),
    ("jtysj", "市交通运输局"),
    ("slj", "市水利局"),
    ("nyncj", "市农业农村局"),
    ("swj", "市商务局"),
    ("wjw", "市卫生健康委员会"),
    ("yjglj", "市应急管理局"),
    ("scjgj", "市市场监督管理局"),
    ("ybj", "市医疗保障局"),
    ("tjj", "市统计局"),
)
COUNTY_SITES = (
    ("ganzhou", "赣州市人民政府"),
    ("quannan", "全南县人民政府"),
    ("dingnan", "定南县人民政府"),
    ("xinfeng", "信丰县人民政府"),
    ("anyuan", "安远县人民政府"),
    ("xunwu", "寻乌县人民政府"),
)
FARM = (
    ("zx", "赣州装修公司"),
    ("bj", "赣州搬家公司"),
    ("dljz", "代理记账报税"),
    ("wzjs", "网站建设优化"),
    ("esc", "二手车评估"),
    ("hssy", "婚纱摄影工作室"),
)
FARM_PAGE = "/xxgk/bm/tjj/"
MARQUEE = (
    ("/yl/xpj.html", "澳门新葡京娱乐场"),
    ("/ty/hg.html", "皇冠体育投注"),
    ("/ty/365.html", "bet365体育在线"),
)
MARQUEE_PAGE = "/xxgk/bm/ybj/"
PROSE_PAGE = "/xxgk/bm/zrzyj/"


def _hub_menu() -> str:
    """15. The platform's menu: a 周边政府网站 drop-down under a menu item, shown on hover
    (NOT a finding: a drop-down of one set, ``_is_panel``)."""
    sub = "\n".join(
        f'<li><a href="{{external}}/xq/{key}/" target="_blank">{name}</a></li>'
        for key, name in COUNTY_SITES
    )
    return f"""<div class="zwgk-nav"><ul>
<li><a href="/xxgk/">信息公开首页</a></li>
<li><a href="/xxgk/zcwj/">政策文件</a></li>
<li class="drop"><a href="javascript:void(0)">周边政府网站</a>
<ul class="sub-menu" style="display:none">
{sub}
</ul></li>
</ul></div>"""


def guide_hub(site: _Writer) -> None:
    """4. 政府信息公开指南 by department: undated links to their sections, nothing else."""
    links = "\n".join(
        f'<li><a href="/xxgk/bm/{key}/" class="c-font1" target="_blank">{name}</a></li>'
        for key, name in DEPARTMENTS
    )
    body = f"""{crumb_bar(HUB.crumbs())}
{_hub_menu()}
<div class="column">
<h2>{HUB.name}</h2>
<div class="scroll_tit"><span>市政府部门</span></div>
<div class="scroll_con"><ul>
{links}
</ul></div>
</div>"""
    site.html("main", HUB.path, page(f"{HUB.name}_龙南市人民政府", body, meta=HUB.meta()))
    for key, name in DEPARTMENTS:
        path = f"/xxgk/bm/{key}/"
        site.html("main", path, _guide(path, name))


def _guide(path: str, name: str) -> str:
    column = Column(
        path, f"{name}政府信息公开指南", "信息公开指南", f"{name}政府信息公开指南", "公开指南",
        parents=(XXGK, (HUB.name, HUB.path)),
    )  # fmt: skip
    where = f"{name}办公室"
    if path == PROSE_PAGE:
        # 22. NOT a finding: running prose on an undated page (an old static text, its
        # only dates the template's sidebar) is not judged by outdated names.
        where = "市国土资源局一楼政务公开查阅点"
    paragraphs = (
        f"一、公开主体。{name}负责本机关政府信息公开工作，办公室为政府信息公开工作机构。",
        f"二、主动公开。{name}主动公开的政府信息，通过龙南市人民政府门户网站“信息公开”专栏、"
        "政务新媒体等途径公开，自该政府信息形成或者变更之日起20个工作日内予以公开。",
        f"三、依申请公开。公民、法人或者其他组织可以通过当面、邮寄、在线等方式提出申请；"
        f"当面申请的，请到{where}办理。",
        "四、监督和救济。申请人认为在政府信息公开工作中侵犯其合法权益的，"
        "可以依法申请行政复议或者提起行政诉讼。",
    )
    extra = ""
    if path == FARM_PAGE:
        # 17. PLANTED hidden_link (6 findings): an SEO customer's link farm injected into an
        # old static page: 6 hidden links, only link text, to one commercial site that the
        # page links nowhere visibly.
        farm = "\n".join(
            f'<a href="{{external}}/seo/{k}.html" target="_blank">{t}</a>' for k, t in FARM
        )
        extra = f'\n<div style="display:none">\n{farm}\n</div>'
    if path == MARQUEE_PAGE:
        # 18. PLANTED hidden_link (3 findings) and term (their words): casino links in a
        # 1×1 scrolling marquee.
        spam = " ".join(f'<a href="{{external}}{p}" target="_blank">{t}</a>' for p, t in MARQUEE)
        extra = f'\n<marquee height="1" width="1" scrollamount="1">{spam}</marquee>'
    body = f"""{crumb_bar(column.crumbs())}
<div class="column">
<h2>{column.name}</h2>
<div class="gkzn">
{_paragraphs(paragraphs)}
</div>{extra}
</div>{sidebar()}"""
    return page(f"{column.name}_龙南市人民政府", body, meta=column.meta())


# -- 6. news in a column typed 政策文件; 11. the 纠错 badge; 16. a hidden share table ---------

BMWJ = _col("/xxgk/bmwj/", "部门文件", "政策文件", XXGK)
BMWJ_ITEMS = (
    Item(9201, "市公安局部署开展打击六合彩专项行动", "2024-11-05"),
    Item(9202, "市农业农村局组织学习《江西省乡村振兴促进条例》", "2024-10-22"),
)
_BMWJ_TEXT = {
    9201: (
        "11月5日，市公安局召开专题会议，部署开展为期三个月的打击六合彩专项行动。",
        "会议要求，各派出所要加强线索摸排，依法严厉打击组织、参与六合彩等赌博违法犯罪活动，"
        "广泛开展宣传教育，引导群众自觉抵制赌博。",
    ),
    9202: (
        "10月22日，市农业农村局召开党组理论学习中心组会议，专题学习《江西省乡村振兴促进条例》。",
        "会议强调，要把学习贯彻条例与推进乡村全面振兴结合起来，切实抓好粮食生产、"
        "产业发展和农村人居环境整治等重点工作。",
    ),
}
CONAC_ID = "0B6AB2D8A3E74C2DE0530A3C10ACA9D3"


def _share_table(page_path: str, title: str) -> str:
    """16. The article's 分享到 table, shown by its 分享 button (NOT a finding: the share
    address carries the page's own title in its query, 打击六合彩 included)."""
    query = _share_query(page_path, title)
    cells = "".join(
        f'<td><a href="{{external}}/share/{key}.html?{query}" target="_blank" '
        f'title="分享到{name}">{name}</a></td>'
        for key, name in (
            ("weibo", "新浪微博"),
            ("tqq", "腾讯微博"),
            ("qzone", "QQ空间"),
            ("douban", "豆瓣"),
        )
    )
    return f"""
<div class="fx"><a href="javascript:void(0)" onclick="showShare()">【分享】</a>
<table id="shareBox" class="fx-table" style="display:none"><tr><td>分享到：</td>{cells}</tr></table>
</div>"""


def _badges(page_path: str) -> str:
    """The 党政机关 badge with the 纠错 entry beside it, its old link hidden (11: NOT a
    finding, the data's 纠错 entry)."""
    back = _own_url(page_path)
    return f"""
<div class="dzjg">
<span id="_ideConac"><a href="{{external}}/conac/sitename.html?method=show&amp;id={CONAC_ID}"
 target="_blank"><img src="/images/red.png" alt="党政机关" width="45" height="55"></a></span>
<span id="_span_jiucuo"><a style="display:none"
 href="{{external}}/exposure/jiucuo.html?site_code={SITE_ID_CODE}&amp;url={back}"
 target="_blank"><img src="/images/jiucuo.png" alt="政府网站找错"></a></span>
</div>"""


def department_documents(site: _Writer) -> None:
    rows = [_list_row(f"./{i.path('').lstrip('/')}", i.title, i.day) for i in BMWJ_ITEMS]
    site.html("main", BMWJ.path, _list_page(BMWJ, rows))
    for item in BMWJ_ITEMS:
        path = item.path(BMWJ.path)
        after = _share_table(path, item.title) + _badges(path)
        html = _article(BMWJ, item, _paragraphs(_BMWJ_TEXT[item.id]), after=after)
        site.html("main", path, html)


# -- 7. a countPage pager ------------------------------------------------------------------

ZFCG = _col("/xxgk/zfcg/", "政府采购", "政府采购", XXGK)
ZFCG_PAGES = (
    (
        Item(9301, "龙南市人民医院医疗设备采购项目中标结果公告", "2024-11-19"),
        Item(9302, "龙南市2024年农村公路养护项目竞争性磋商公告", "2024-11-08"),
        Item(9303, "龙南市第二中学学生食堂食材配送服务采购项目招标公告", "2024-10-30"),
    ),
    (
        Item(9304, "龙南市城区路灯节能改造项目成交结果公告", "2024-10-16"),
        Item(9305, "龙南市政务服务中心物业管理服务采购项目中标公告", "2024-09-27"),
        Item(9306, "龙南市农村饮水安全巩固提升工程招标公告", "2024-09-10"),
    ),
    (
        # PLANTED term (typo 峻工): on index_2.html, which only the countPage script names
        Item(9307, "龙南市城区排水管网改造工程峻工验收公示", "2024-08-26"),
        Item(9308, "龙南市2024年高标准农田建设项目中标候选人公示", "2024-08-05"),
    ),
)


def _count_page_pager(count: int, current: int) -> str:
    """The pager a TRS template writes itself (邯郸's 近期信息公开 does): ``countPage`` and
    ``document.write``, no createPageHTML and no plain link to the later pages."""
    return f"""
<div class="page"><script type="text/javascript">
var countPage = {count}//共多少页
var currentPage = {current}//当前页
var prevPage = currentPage-1//上一页
var nextPage = currentPage+1//下一页
if(countPage>1){{
document.write("<a href=\\"index.html\\" target=\\"_self\\">首页</a>&nbsp;&nbsp;");
if(currentPage>1)
    document.write("<a href=\\"index"+"_"+prevPage+"."+"html\\">上一页</a>&nbsp;&nbsp;");
if(currentPage==1)
    document.write("<a href=\\"index.html\\" target=\\"_self\\">上一页</a>&nbsp;&nbsp;");
for(var i=0;i<countPage;i++){{
if(i==currentPage)document.write("<span class=\\"now\\">"+(i+1)+"</span>&nbsp;&nbsp;");
else if(i==0)document.write("<a href=\\"index.html\\" target=\\"_self\\">1</a>&nbsp;&nbsp;");
else
    document.write("<a href=\\"index"+"_"+i+"."+"html\\" target=\\"_self\\">"+(i+1)+"</a>&nbsp;");
}}
if(nextPage<countPage)
    document.write("<a href=\\"index"+"_"+nextPage+"."+"html\\" target=\\"_self\\">下一页</a>");
document.write("共"+countPage+"页");
}}
</script></div>"""


def procurement(site: _Writer) -> None:
    count = len(ZFCG_PAGES)
    for number, items in enumerate(ZFCG_PAGES):
        rows = [_list_row(f"./{i.path('').lstrip('/')}", i.title, i.day) for i in items]
        html = _list_page(ZFCG, rows, extra=_count_page_pager(count, number))
        site.html("main", ZFCG.path + (f"index_{number}.html" if number else ""), html)
        for item in items:
            body = _paragraphs(
                (
                    f"{item.title}相关事项现予公告。",
                    "采购人：龙南市人民政府有关部门。采购代理机构：江西省某招标咨询有限公司。",
                    "如对本公告内容有异议，请于公告发布之日起7个工作日内以书面形式提出。",
                )
            )
            site.html("main", item.path(ZFCG.path), _article(ZFCG, item, body))


# -- 8. one ColumnName on three columns -----------------------------------------------------

PLATFORM_NAME = "龙南市政府信息公开"
CATALOGUE = (
    (
        Column("/xxgk/gkml/zbtb/", "招标投标", "信息公开", "招标投标", "招标投标", (XXGK,)),
        (
            Item(9401, "龙南经开区标准厂房三期建设项目招标公告", "2024-11-14"),
            Item(9402, "龙南市城乡供水一体化项目（二期）招标公告", "2024-10-09"),
        ),
    ),
    (
        Column("/xxgk/gkml/spcj/", "食品安全抽检公告", "信息公开", "食品抽检", "食品", (XXGK,)),
        (
            Item(9411, "龙南市市场监督管理局2024年第10期食品安全监督抽检信息公告", "2024-11-06"),
            Item(9412, "龙南市市场监督管理局2024年第9期食品安全监督抽检信息公告", "2024-09-20"),
        ),
    ),
    (
        # PLANTED stale_column: personnel (365 days), 2023-10-16, 406 days; named by its
        # breadcrumb, 人事信息 (the platform's name is no category's: it would be missed).
        # A personnel column counts toward the 10 long-idle columns, not toward the 5
        # news/notice/policy ones: the demo's column veto lines stay where they were.
        Column("/xxgk/gkml/rsxx/", "人事信息", "信息公开", "人事信息", "人事", (XXGK,)),
        (
            Item(9421, "龙南市人民政府关于张某某等同志职务任免的通知", "2023-10-16"),
            Item(9422, "龙南市人民政府关于赵某某同志职务任免的通知", "2023-08-02"),
        ),
    ),
)  # fmt: skip


def _arrow_crumbs(column: Column) -> str:
    """TRS's ``CurrChnlCls`` links joined by ``->``: a breadcrumb by its shape only."""
    links = [("首页", "/"), *column.parents, (column.name, column.path)]
    joined = "-&gt;".join(
        f'<a href="{href}" title="{name}" class="CurrChnlCls">{name}</a>' for name, href in links
    )
    return f'<div class="zwgk_lm">{joined}</div>'


def catalogue(site: _Writer) -> None:
    """8. Three columns of the platform's 信息公开目录, one ColumnName on all three."""
    for column, items in CATALOGUE:
        meta = {**column.meta(), "ColumnName": PLATFORM_NAME}
        rows = [_list_row(f"./{i.path('').lstrip('/')}", i.title, i.day) for i in items]
        crumbs = _arrow_crumbs(column)
        site.html("main", column.path, _list_page(column, rows, crumbs=crumbs, meta=meta))
        for item in items:
            body = _paragraphs((f"{item.title}。", "具体内容详见附件。"))
            meta = _article_meta(PLATFORM_NAME, column.kind, item.title, item.day)
            html = _article(column, item, body, meta=meta, crumbs=crumbs)
            site.html("main", item.path(column.path), html)


# -- 9. a blank column beside the sidebar ---------------------------------------------------

GKZP = _col("/xxgk/gkzp/", "公开招聘", "公开招聘", XXGK)


def blank_beside_sidebar(site: _Writer) -> None:
    """9. PLANTED blank_column: only 暂无信息, beside the template's dated sidebar (a
    notice column: read as a list of the sidebar's 2021–2023 links it would be stale)."""
    body = f"""{crumb_bar(GKZP.crumbs())}
<div class="column">
<h2>{GKZP.name}</h2>
<p class="empty">暂无信息</p>
</div>{sidebar()}"""
    site.html("main", GKZP.path, page(f"{GKZP.name}_龙南市人民政府", body, meta=GKZP.meta()))
    special = Column(SIDEBAR_DIR, "政务公开专栏", "专题专栏", "政务公开专栏", "政务公开")
    for item in SIDEBAR:
        body = _paragraphs((f"《{item.title}》全文如下。", "（正文略）"))
        html = _article(special, item, body, crumbs=crumb_bar((XXGK,)))
        site.html("main", item.path(SIDEBAR_DIR), html)


# -- 12. phone-only hiding -----------------------------------------------------------------

XMT = _col("/hdjl/xmt/", "政务新媒体", "互动交流", HDJL)
WEIBO_ACCOUNTS = (
    ("", "龙南发布"),
    ("lnsf/", "龙南司法"),
    ("lnga/", "平安龙南"),
    ("lnjy/", "龙南教育"),
    ("lnwl/", "龙南文旅"),
)


def new_media_page(site: _Writer) -> None:
    """12. NOT a finding: the 政务微博 list is hidden only on phones (which show the QR
    codes instead); on a desktop a visitor sees all 5 links."""
    weibo = "\n".join(
        f'<li><a class="m-weibo" href="{{external}}/weibo/{key}" target="_blank">{name}</a></li>'
        for key, name in WEIBO_ACCOUNTS
    )
    body = f"""<style>
.m-ewm{{display:none}}
@media (max-width:768px){{.m-weibo{{display:none}}.m-ewm{{display:block}}}}
</style>
<p>龙南市政务新媒体矩阵，欢迎关注。</p>
<h3>政务微博</h3>
<ul class="xmt-list m-weibo">
{weibo}
</ul>
<div class="m-ewm"><img src="/images/ewm.png" alt="扫码关注龙南发布"></div>"""
    html = f'{crumb_bar(XMT.crumbs())}\n<div class="column">\n<h2>{XMT.name}</h2>\n{body}\n</div>'
    site.html("main", XMT.path, page(f"{XMT.name}_龙南市人民政府", html, meta=XMT.meta()))


# -- 13, 21: an AngularJS page --------------------------------------------------------------

ZXFT = _col("/hdjl/zxft/", "在线访谈", "在线访谈", HDJL)
ZXFT_ITEMS = (
    Item(9801, "市自然资源局负责同志就不动产登记“带押过户”答网民问", "2024-11-19"),
    Item(9802, "市行政审批局负责同志就“高效办成一件事”答网民问", "2024-10-17"),
)
RELATED_SITES = (
    ("jxzrzy", "江西省自然资源厅"),
    ("gzzrzy", "赣州市自然资源局"),
    ("bdcdj", "江西省不动产登记网上服务平台"),
    ("dkcx", "赣州市地籍信息查询"),
    ("ghgs", "赣州市规划公示"),
)


def interviews(site: _Writer) -> None:
    rows = [_list_row(f"./{i.path('').lstrip('/')}", i.title, i.day) for i in ZXFT_ITEMS]
    site.html("main", ZXFT.path, _list_page(ZXFT, rows))
    links = "\n".join(
        f'<li><a href="{{external}}/site/{k}.html" target="_blank">{n}</a></li>'
        for k, n in RELATED_SITES
    )
    for item in ZXFT_ITEMS:
        extra = ""
        if item.id == 9801:
            # 13. NOT a finding: the site hides .content until its script runs; the saved,
            # rendered page carries the script's display:block inline, so it shows.
            # 21. NOT findings: AngularJS keeps an unused template under ng-hide (the
            # framework styles it display:none !important); its words are never shown.
            extra = f"""
<style type="text/css">.content{{display:none}}</style>
<div class="xgwz"><h4>相关网站</h4>
<div class="content" style="display:block"><ul>
{links}
</ul></div></div>
<div class="ng-hide" ng-show="vm.history.length">
<p>县国土资源局负责同志对下一步工作进行了布署。</p>
</div>"""
        body = _paragraphs(
            (
                f"{item.day[5:7].lstrip('0')}月{item.day[8:10].lstrip('0')}日上午，{item.title.split('就')[0]}"
                "做客龙南市人民政府门户网站“在线访谈”栏目，就网民关心的问题进行解答。",
                "主持人：请您介绍一下这项工作的主要内容。",
                "嘉宾：这项工作的核心是让企业和群众少跑腿、好办事，我们将持续优化流程，压缩办理时限。",
            )
        )
        site.html("main", item.path(ZXFT.path), _article(ZXFT, item, body, after=extra))


# -- 14, 23: a department's sub-site --------------------------------------------------------

WGXLJ = Column("/lnwglj/", "市文化广电新闻出版旅游局", "部门子站", "市文广新旅局", "文化,旅游", ())
WGXLJ_NEWS = (
    (
        "/xwzx/ywdt/202411/t20241120_1001.html",
        "龙南市召开2024年第四季度经济运行调度会",
        "2024-11-20",
    ),
    ("/xwzx/ywdt/202411/t20241112_1002.html", "全市安全生产暨消防安全工作会议召开", "2024-11-12"),
    ("/xwzx/ywdt/202411/t20241105_1003.html", "龙南市举行2024年重大项目集中开工活动", "2024-11-05"),
    (
        "/xwzx/ywdt/202410/t20241028_1004.html",
        "市政府常务会议研究部署秋冬季森林防火工作",
        "2024-10-28",
    ),
    (
        "/xwzx/ywdt/202410/t20241016_1005.html",
        "龙南市2024年“政府开放日”活动走进市行政审批局",
        "2024-10-16",
    ),
)
TOURISM_NEWS = (
    (2, "关西新围入选第三批国家级夜间文化和旅游消费集聚区", "2024-11-15"),
    (3, "龙南围屋文化旅游节圆满落幕", "2024-10-09"),
    (4, "“客家围屋·龙南味道”美食评选活动启动", "2024-09-21"),
    (5, "九连山国家级自然保护区开展生态研学活动", "2024-08-30"),
    (6, "燕翼围修缮工程通过竣工验收", "2024-08-12"),
    (7, "龙南入选2024年度江西省旅游强县", "2024-07-26"),
)
DEPARTMENT_SITES = (
    "国务院办公厅", "国家发展和改革委员会", "教育部", "科学技术部", "工业和信息化部",
    "公安部", "民政部", "司法部", "财政部", "人力资源和社会保障部", "自然资源部",
    "生态环境部", "住房和城乡建设部", "交通运输部", "水利部", "农业农村部", "商务部",
    "文化和旅游部", "国家卫生健康委员会", "应急管理部", "审计署", "海关总署",
    "国家税务总局", "国家市场监督管理总局", "国家广播电视总局", "新闻出版总署",
    "国家体育总局", "国家统计局", "国家医疗保障局",
)  # fmt: skip


def department_subsite(site: _Writer) -> None:
    """The 文广新旅局's sub-site on the 集约化 platform: its own tabbed home list and the
    网站导航 selects of its own template (undated: no 发布时间, no PubDate)."""
    visible = "\n".join(_list_row(href, title, day) for href, title, day in WGXLJ_NEWS)
    hidden = "\n".join(
        _list_row(f"{{external}}/news/2024/content_{n}.html", title, day)
        for n, title, day in TOURISM_NEWS
    )
    nav = _department_nav()
    body = f"""{crumb_bar(((WGXLJ.description, WGXLJ.path),))}
<div class="column">
<h2>{WGXLJ.name}</h2>
<div class="tab-hd"><ul><li class="on">要闻动态</li><li>旅游资讯</li></ul></div>
<div class="tab-bd">
<!-- 14. NOT a finding: the 旅游资讯 tab's panel, hidden until its tab is clicked, beside its
     visible sibling of the same class; 6 dated news of 龙南旅游网 -->
<ul class="tab-con list">
{visible}
</ul>
<ul class="tab-con list" style="display:none">
{hidden}
</ul>
</div>
</div>
<!-- 23. PLANTED term (outdated_name 新闻出版总署): the template's 网站导航; the page
     shows no date of its own, its entries go up to 2024-11-20 -->
{nav}
<div class="wgxlj-columns"><a href="{WGXLJ.path}whdt/">文化动态</a>
<a href="{WGXLJ.path}lydt/">旅游动态</a></div>"""
    meta = {**WGXLJ.meta(), "ColumnName": WGXLJ.name}
    site.html("main", WGXLJ.path, page(f"{WGXLJ.name}_龙南市人民政府", body, meta=meta))
    # 23. the same 网站导航 on the sub-site's two columns: three pages share the line, so
    # the term is the template's, one finding (on the first page by URL, the one above)
    for path, name in (("whdt/", "文化动态"), ("lydt/", "旅游动态")):
        column = f"""{crumb_bar(((WGXLJ.description, WGXLJ.path), (name, WGXLJ.path + path)))}
<div class="column">
<h2>{name}</h2>
<ul class="list">
{visible}
</ul>
</div>
{nav}"""
        meta = {"ColumnName": name, "ColumnType": "部门动态", "ColumnDescription": name}
        site.html("main", WGXLJ.path + path, page(f"{name}_{WGXLJ.name}", column, meta=meta))


def _department_nav() -> str:
    """The 文广新旅局 template's 网站导航 (trap 23)."""
    options = "\n".join(
        f'<option value="{{external}}/gov/{i}/">{n}</option>'
        for i, n in enumerate(DEPARTMENT_SITES)
    )
    return f"""<div class="wzdh">网站导航：
<select onchange="if(this.value)window.open(this.value)">
<option value="">国务院部门网站</option>
{options}
</select>
<select onchange="if(this.value)window.open(this.value)">
<option value="">省直部门网站</option>
<option value="{{external}}/gov/jx1/">江西省文化和旅游厅</option>
<option value="{{external}}/gov/jx2/">江西省广播电视局</option>
</select>
</div>"""


# -- the external site's pages that the traps link -------------------------------------------


def external_pages(site: _Writer, tourism_page: Callable[[str, str], str]) -> None:
    """Every ``{external}`` target of the traps exists (200): none is a broken link."""
    pages: dict[str, str] = {}
    for key, name in (*BSHARE_PLATFORMS, ("weibo", "新浪微博")):
        pages[f"/share/{key}.html"] = f"分享到{name}"
    pages["/exposure/jiucuo.html"] = "我为政府网站找错"
    pages["/conac/sitename.html"] = "党政机关网站标识"
    for key, name in WEIBO_ACCOUNTS:
        pages[f"/weibo/{key}"] = f"{name}的微博"
    for key, name in RELATED_SITES:
        pages[f"/site/{key}.html"] = name
    for key, name in COUNTY_SITES:
        pages[f"/xq/{key}/"] = name
    for n, title, _day in TOURISM_NEWS:
        pages[f"/news/2024/content_{n}.html"] = title
    for key, text in FARM:
        pages[f"/seo/{key}.html"] = text
    for path, text in MARQUEE:
        pages[path] = text
    for path, title in pages.items():
        site.html("external", path, tourism_page(title, f"<h1>{escape(title)}</h1>"))


def images(site: _Writer) -> None:
    for name, (w, h, rgb) in {
        "red.png": (45, 55, (200, 20, 20)),
        "jiucuo.png": (110, 55, (30, 90, 160)),
        "ewm.png": (30, 30, (20, 20, 20)),
    }.items():
        site.file("main", f"/images/{name}", assets.png(w, h, rgb))


def write(site: _Writer, tourism_page: Callable[[str, str], str]) -> None:
    images(site)
    basic_news(site)
    legacy_news(site)
    search_page(site)
    guide_hub(site)
    department_documents(site)
    procurement(site)
    catalogue(site)
    blank_beside_sidebar(site)
    new_media_page(site)
    interviews(site)
    department_subsite(site)
    external_pages(site, tourism_page)


def nav_links(parent: str) -> str:
    """Links to the trap pages under ``parent`` (``/xwzx/``, ``/xxgk/`` or ``/hdjl/``)."""
    found = {
        "/xwzx/": [
            (JCDT.path, JCDT.name),
            (WGXLJ.path, "部门子站：市文广新旅局"),
            (f"{SEARCH_PATH}?q={quote(SEARCH_QUERY)}", f"热门搜索：{SEARCH_QUERY}"),
        ],
        "/xxgk/": [
            (BMWJ.path, BMWJ.name),
            (ZFCG.path, ZFCG.name),
            *((c.path, c.name) for c, _ in CATALOGUE),
            (GKZP.path, GKZP.name),
            (HUB.path, HUB.name),
        ],
        "/hdjl/": [(XMT.path, XMT.name), (ZXFT.path, ZXFT.name)],
    }[parent]
    return " ".join(f'<a href="{path}">{name}</a>' for path, name in found)
