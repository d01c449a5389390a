"""Columns planted in the sample portal for ``stale_column`` and ``blank_column``.

Judged as of ``sample_portal.TODAY`` (2024-11-25). Each column exercises one thing
real portals do, in the list markup they use:

* fresh / stale / just inside the limit, per category (news 14 days, notice and
  policy 180, personnel and planning 365, static never);
* a pinned (置顶) entry: an old pinned entry does not make a fresh column stale, a
  recent pinned entry does not make a stale column fresh;
* year-less ``[MM-DD]`` dates across the new year (``12-30`` read on 2024-11-25 is
  2023-12-30);
* dates as ``2024.10.20`` in a GBK-encoded section, ``2023年6月30日``, ``2023/12/01`` in
  a 邯郸-style table (索引号/名称/发布机构/发布日期), ``[2024-04-01]``, padded
  ``  2024-10-08  `` in a Hanweb/大汉 ``<datastore>`` list, none at all (dates from TRS
  URLs, or from the articles' ``PubDate``);
* a TRS paginated column (``createPageHTML``; ``index_1.html`` is the same column);
* blank columns: an empty list, a page that only says 暂无信息; and one that explains
  why it has no content (not blank).

Expected findings: ``expected_findings.yaml`` → ``stale_column``, ``blank_column``; the
columns judged and not reported are its ``not_reported``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Protocol

from sample_portal import precision_traps
from sample_portal.layout import Column, crumb_bar, page

GBK_CODEC = "gb18030"


class _Writer(Protocol):
    def html(self, site: str, path: str, text: str, codec: str = "utf-8") -> None: ...


@dataclass(frozen=True)
class Item:
    id: int
    title: str
    day: str  # YYYY-MM-DD: the article's PubDate
    pinned: bool = False


@dataclass(frozen=True)
class Planted:
    column: Column
    style: str  # how the list writes dates and links (see _row)
    items: tuple[Item, ...] = ()
    later_pages: tuple[tuple[Item, ...], ...] = ()  # TRS index_1.html, …
    body: str = ""  # for columns without entries
    charset: str = "utf-8"
    urls: str = "trs"  # trs | hanweb | content
    extra: dict[str, str] = field(default_factory=dict)


def _col(path: str, name: str, kind: str, parent: tuple[str, str]) -> Column:
    return Column(path, name, kind, name, name, parents=(parent,))


NEWS = ("新闻中心", "/xwzx/")
XXGK = ("信息公开", "/xxgk/")
SFJ = ("司法局", "/xxgk/sfj/")

COLUMNS: tuple[Planted, ...] = (
    # news, stale: year-less dates across the new year (2023-12-30 … 2023-11-28)
    Planted(
        _col("/xwzx/xzdt/", "乡镇动态", "乡镇动态", NEWS),
        "yearless",
        (
            Item(7101, "里仁镇开展冬季森林防火宣传活动", "2023-12-30"),
            Item(7102, "杨村镇召开2023年度脱贫攻坚总结会", "2023-12-18"),
            Item(7103, "临塘乡举办农技培训班", "2023-11-28"),
        ),
    ),
    # news, fresh: an old pinned entry first, then year-less dates of this year
    Planted(
        _col("/xwzx/gzdt/", "工作动态", "工作动态", NEWS),
        "yearless",
        (
            Item(7201, "关于开展政务服务满意度评价的说明", "2023-01-05", pinned=True),
            Item(7202, "市行政审批局推行“一件事一次办”改革", "2024-11-22"),
            Item(7203, "全市政务服务工作推进会召开", "2024-11-15"),
        ),
    ),
    # news, just inside the limit: image entries without dates; the TRS URL says 2024-11-11
    Planted(
        _col("/xwzx/tpxw/", "图片新闻", "图片新闻", NEWS),
        "image",
        (
            Item(7301, "龙南围屋文化旅游节开幕式", "2024-11-11"),
            Item(7302, "秋收时节稻田美", "2024-10-30"),
        ),
    ),
    # news, stale: a Hanweb/大汉 datastore list, dates padded with whitespace
    Planted(
        _col("/xwzx/mtjj/", "媒体聚焦", "媒体聚焦", NEWS),
        "datastore",
        (
            Item(7401, "人民网：龙南围屋焕发新活力", "2024-10-08"),
            Item(7402, "江西日报：龙南推进营商环境优化", "2024-09-26"),
        ),
        urls="hanweb",
    ),
    # news, fresh: no dates on the list nor in the URLs; the articles' PubDate counts
    Planted(
        _col("/xwzx/xczx/", "乡村振兴动态", "乡村振兴动态", NEWS),
        "undated",
        (
            Item(7501, "程龙镇发展特色蔬菜种植带动农户增收", "2024-11-19"),
            Item(7502, "东江乡建成农产品冷链仓储中心", "2024-11-02"),
        ),
        urls="content",
    ),
    # notice, stale: a recent pinned entry does not make it fresh; paginated (TRS)
    Planted(
        _col("/xxgk/gsgg/", "公示公告", "公示公告", XXGK),
        "bracketed",
        (
            Item(7601, "关于2024年度龙南市政府开放日活动的公告", "2024-11-20", pinned=True),
            Item(7602, "龙南市2024年第一批专项资金分配结果公示", "2024-04-01"),
            Item(7603, "龙南市2024年春季征兵工作公告", "2024-03-15"),
        ),
        later_pages=(
            (
                Item(7604, "龙南市2023年度城乡低保资金发放公示", "2023-12-20"),
                Item(7605, "龙南市2023年第四季度重点项目公示", "2023-11-02"),
            ),
        ),
    ),
    # personnel, just inside 365 days (360): a 邯郸-style table with slash dates
    Planted(
        _col("/xxgk/rsrm/", "人事任免", "人事任免", XXGK),
        "table",
        (
            Item(7701, "龙南市人民政府关于刘某某等同志职务任免的通知", "2023-12-01"),
            Item(7702, "龙南市人民政府关于陈某某同志职务任免的通知", "2023-08-14"),
        ),
    ),
    # planning, stale (514 days): dates written 2023年6月30日
    Planted(
        _col("/xxgk/fzgh/", "发展规划", "发展规划", XXGK),
        "chinese",
        (
            Item(7801, "龙南市国民经济和社会发展第十四个五年规划中期评估报告", "2023-06-30"),
            Item(7802, "龙南市国土空间总体规划（2021—2035年）", "2023-02-10"),
        ),
    ),
    # static: old entries, never stale
    Planted(
        _col("/xxgk/jgzn/", "机构职能", "机构职能", XXGK),
        "plain",
        (Item(7901, "龙南市人民政府办公室主要职责", "2019-03-01"),),
    ),
    # news, stale, GBK-encoded, 市司法局: dates written 2024.10.20
    Planted(
        _col("/xxgk/sfj/pfdt/", "普法动态", "普法动态", SFJ),
        "dotted",
        (
            Item(7951, "市司法局开展“宪法进万家”普法宣传活动", "2024-10-20"),
            Item(7952, "龙南镇举办民法典专题讲座", "2024-09-12"),
        ),
        charset="gb2312",
    ),
    # blank: an empty list
    Planted(_col("/xxgk/gzjh/", "工作计划", "工作计划", XXGK), "plain"),
    # blank: only a placeholder
    Planted(
        _col("/xxgk/zdxm/", "重点项目", "重点项目", XXGK),
        "plain",
        body='<p class="empty">暂无信息</p>',
    ),
    # not blank: says why there is no content
    Planted(
        _col("/xxgk/yjgl/", "突发事件应对", "突发事件应对", XXGK),
        "plain",
        body=(
            '<p class="empty">本栏目暂无信息。因2024年以来我市未发生需向社会公开的突发公共事件，'
            "故暂无相关内容，如有将及时发布。</p>"
        ),
    ),
)


def _article_path(planted: Planted, item: Item) -> str:
    y, m, d = item.day.split("-")
    if planted.urls == "hanweb":
        return f"/art/{int(y)}/{int(m)}/{int(d)}/art_31_{item.id}.html"
    if planted.urls == "content":
        return f"{planted.column.path}content_{item.id}.html"
    return f"{planted.column.path}{y}{m}/t{y}{m}{d}_{item.id}.html"


def _row(planted: Planted, item: Item, index_no: int) -> str:
    href = _article_path(planted, item)
    title = escape(item.title)
    pin = '<span class="zhiding">[置顶]</span>' if item.pinned else ""
    y, m, d = item.day.split("-")
    style = planted.style
    if style == "yearless":
        return f'<li>{pin}<a href="{href}">{title}</a><span>[{m}-{d}]</span></li>'
    if style == "image":
        return f'<li><a href="{href}"><img src="/images/banner1.png" alt="{title}"></a></li>'
    if style == "undated":
        return f'<li><a href="{href}">{title}</a></li>'
    if style == "bracketed":
        return f'<li>{pin}<a href="{href}">{title}</a><span>[{item.day}]</span></li>'
    if style == "table":
        return (
            f'<tr><td>360727-{y}-{index_no:05d}</td><td><a href="{href}">{title}</a></td>'
            f"<td>龙南市人民政府</td><td>{y}/{m}/{d}</td></tr>"
        )
    if style == "chinese":
        return f'<li><a href="{href}">{title}</a><span>{y}年{int(m)}月{int(d)}日</span></li>'
    if style == "dotted":
        return f'<li><a href="{href}">{title}</a><span>{y}.{m}.{d}</span></li>'
    if style == "datastore":
        return (
            f'<record><![CDATA[<li><a href="{href}" target="_blank">{title}</a>'
            f"<span>  {item.day}  </span></li>]]></record>"
        )
    return f'<li><a href="{href}">{title}</a><span>{item.day}</span></li>'


def _list(planted: Planted, items: tuple[Item, ...], pager: tuple[int, int] | None) -> str:
    column = planted.column
    rows = "\n".join(_row(planted, item, n + 1) for n, item in enumerate(items))
    if planted.style == "table":
        listing = (
            '<table class="xxgk-list"><tr><th>索引号</th><th>名称</th><th>发布机构</th>'
            f"<th>发布日期</th></tr>\n{rows}\n</table>"
        )
    elif planted.style == "datastore":
        listing = (
            '<div id="378"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="'
            '/module/web/jpage/dataproxy.jsp?page=1&webid=1&columnid=31"></a>]]></nextgroup>'
            f"<recordset>\n{rows}\n</recordset></datastore></script></div>"
        )
    else:
        listing = f'<ul class="list">\n{rows}\n</ul>' if items or not planted.body else ""
    script = ""
    if pager:
        script = (
            '\n<div class="page"><script type="text/javascript">'
            f'createPageHTML({pager[0]}, {pager[1]}, "index", "html");</script></div>'
        )
    # The template's sidebar (issue 12, trap 9), but not beside the empty list it would
    # hide (precision_traps.SIDEBAR_LEFT_OUT).
    side = "" if column.path in precision_traps.SIDEBAR_LEFT_OUT else precision_traps.sidebar()
    body = f"""{crumb_bar(column.crumbs())}
<div class="column">
<h2>{column.name}</h2>
{listing}{planted.body}{script}
</div>{side}"""
    return page(f"{column.name}_龙南市人民政府", body, meta=column.meta(), charset=planted.charset)


def _article(planted: Planted, item: Item) -> str:
    column = planted.column
    meta = {
        "ColumnName": column.name,
        "ColumnType": column.kind,
        "ArticleTitle": item.title,
        "PubDate": f"{item.day} 09:00",
        "ContentSource": "龙南市人民政府办公室",
    }
    body = f"""{crumb_bar(column.crumbs())}
<div class="article">
<h1>{escape(item.title)}</h1>
<div class="info">发布时间：{item.day} 09:00　来源：龙南市人民政府办公室</div>
<div class="TRS_Editor"><p>{escape(item.title)}。相关工作正按计划有序推进。</p></div>
</div>"""
    return page(item.title, body, meta=meta, charset=planted.charset)


def write(site: _Writer) -> None:
    for planted in COLUMNS:
        codec = GBK_CODEC if planted.charset != "utf-8" else "utf-8"
        pages = (planted.items, *planted.later_pages)
        count = len(pages)
        for number, items in enumerate(pages):
            pager = (count, number) if count > 1 else None
            name = f"index_{number}.html" if number else ""
            site.html("main", planted.column.path + name, _list(planted, items, pager), codec)
            for item in items:
                site.html("main", _article_path(planted, item), _article(planted, item), codec)


def nav_links(parent: str) -> str:
    """Links to the planted columns under ``parent`` (``/xwzx/`` or ``/xxgk/``)."""
    return " ".join(
        f'<a href="{p.column.path}">{p.column.name}</a>'
        for p in COLUMNS
        if p.column.path.startswith(parent)
    )
