# ruff: noqa: E501  (HTML fixtures read best on one line each)
"""Reading columns and policy facts from pages: list shapes of real CMSs, article pages,
breadcrumbs, blank and explained columns, 文号 and quoted titles."""

from __future__ import annotations

from datetime import date

from crawler.page_links import page_meta, page_title
from detectors.page import parse_html
from detectors.page_facts import normalise_number, read_page_facts
from detectors.page_text import visible_text

TODAY = date(2024, 11, 25)
URL = "http://www.example.gov.cn/xxgk/tzgg/"


def facts(body: str, head: str = "", url: str = URL):
    doc = f"<html><head><title>通知公告_某市人民政府</title>{head}</head><body>{body}</body></html>"
    root = parse_html(doc.encode())  # the tree the detection worker reads
    return read_page_facts(
        url, page_title(root), page_meta(root), root, visible_text(root).text, TODAY
    )


CHROME = """<div class="header"><a href="/">首页</a></div>
<div class="nav"><ul><li><a href="/xwzx/">新闻中心</a></li><li><a href="/xxgk/">信息公开</a></li>
</ul></div>"""
FOOTER = '<div class="footer"><p>网站标识码：3607270001 <a href="/wzdt/">网站地图</a></p></div>'
COLUMN_META = (
    '<meta name="ColumnName" content="通知公告"><meta name="ColumnType" content="通知公告">'
)


def test_trs_list_with_column_meta_and_breadcrumb():
    body = f"""{CHROME}
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">信息公开</a> &gt;
<a href="/xxgk/tzgg/">通知公告</a></div>
<ul class="list">
<li><a href="./202411/t20241115_1.html" title="关于开展冬季环境卫生整治行动的通知（全文）">关于开展冬季环境卫生整治…</a>
<span>  2024-11-15  </span></li>
<li><a href="./202410/t20241030_2.html">关于政府开放日活动预告的公告</a><span>2024-10-30</span></li>
</ul>
<div class="page"><a href="index_1.html">下一页</a> <a href="index_2.html">3</a></div>
{FOOTER}"""
    page = facts(body, COLUMN_META)
    assert page.kind == "list"
    assert (page.column_name, page.column_type) == ("通知公告", "通知公告")
    assert page.crumbs == ["信息公开", "通知公告"]
    assert [(e.url, e.listed) for e in page.entries] == [
        ("http://www.example.gov.cn/xxgk/tzgg/202411/t20241115_1.html", date(2024, 11, 15)),
        ("http://www.example.gov.cn/xxgk/tzgg/202410/t20241030_2.html", date(2024, 10, 30)),
    ]
    assert page.entries[0].title == "关于开展冬季环境卫生整治行动的通知（全文）"  # the full title


def test_dated_list_without_meta_is_a_column_by_its_shape():
    rows = "".join(
        f'<li><a href="/news/{i}.html">第{i}条新闻标题内容</a><span>[11-{i:02d}]</span></li>'
        for i in range(1, 5)
    )
    page = facts(f'{CHROME}<ul class="news">{rows}</ul>{FOOTER}')
    assert page.kind == "list" and len(page.entries) == 4
    assert page.entries[0].listed == date(2024, 11, 1)


def test_navigation_and_footer_links_are_not_entries():
    page = facts(f"{CHROME}<p>欢迎访问。</p>{FOOTER}")
    assert page.kind == "page" and page.entries == []


def test_article_pages_are_not_columns():
    head = '<meta name="ArticleTitle" content="关于某事的通知"><meta name="PubDate" content="2024-07-19 10:30">'
    related = "".join(
        f'<li><a href="/x/{i}.html">相关新闻{i}号标题</a><span>2024-07-0{i}</span></li>'
        for i in range(1, 6)
    )
    page = facts(f"<h1>关于某事的通知</h1><p>正文。</p><ul>{related}</ul>", head)
    assert page.kind == "article" and page.entries == []
    assert page.published == date(2024, 7, 19) and page.headline == "关于某事的通知"


def test_trs_article_url_is_an_article_without_meta():
    page = facts("<h1>标题</h1><p>正文</p>", url="http://x.gov.cn/xwzx/202407/t20240719_35.html")
    assert page.kind == "article"


def test_hanweb_datastore_records():
    body = """<div id="4018"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href="/art/2024/11/20/art_1229_35.html" target="_blank">政务公开工作会议召开</a><span>2024-11-20</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2024/11/2/art_1229_34.html">全市安全生产工作会议召开</a></li>]]></record>
</recordset></datastore></script></div>"""
    page = facts(body, COLUMN_META)
    assert [(e.title, e.listed) for e in page.entries] == [
        ("政务公开工作会议召开", date(2024, 11, 20)),
        ("全市安全生产工作会议召开", date(2024, 11, 2)),  # from the Hanweb URL
    ]


def test_handan_style_table():
    body = """<table><tr><th>索引号</th><th>名称</th><th>发布机构</th><th>发布日期</th></tr>
<tr><td>11130400MB1234567X/2020-00123</td><td><a href="/xxgk/1.html">关于印发某办法的通知</a></td>
<td>市政府办公室</td><td>2020-08-02</td></tr>
<tr><td>11130400MB1234567X/2020-00122</td><td><a href="/xxgk/2.html">关于某事项的公告</a></td>
<td>市政府办公室</td><td>2020/7/30</td></tr></table>"""
    page = facts(body, COLUMN_META)
    assert [e.listed for e in page.entries] == [date(2020, 8, 2), date(2020, 7, 30)]


def test_pinned_entries_are_marked():
    body = """<ul>
<li><span class="zhiding">[置顶]</span><a href="/a.html">长期有效的办事指南说明</a><span>2023-01-05</span></li>
<li><img src="/images/top.gif"><a href="/b.html">另一条置顶的重要通知</a><span>2023-02-05</span></li>
<li><a href="/c.html">普通信息标题内容</a><span>2024-11-20</span></li>
</ul>"""
    page = facts(body, COLUMN_META)
    assert [e.pinned for e in page.entries] == [True, True, False]


def test_image_entries_take_their_alt_text():
    body = (
        '<ul><li><a href="/xw/202411/t20241111_1.html"><img src="/a.png" alt="秋收美景"></a></li>'
    )
    body += (
        '<li><a href="/xw/202411/t20241101_2.html"><img src="/b.png" alt="围屋夜景"></a></li></ul>'
    )
    page = facts(body, COLUMN_META)
    assert [(e.title, e.listed) for e in page.entries] == [
        ("秋收美景", date(2024, 11, 11)),
        ("围屋夜景", date(2024, 11, 1)),
    ]


def test_undated_list_on_a_tagged_column_keeps_its_entries():
    body = '<ul><li><a href="/a/content_1.html">第一条信息</a></li><li><a href="/a/content_2.html">第二条信息</a></li></ul>'
    page = facts(body, COLUMN_META)
    assert [e.listed for e in page.entries] == [None, None]  # dated later by the articles


def test_empty_column_placeholder_and_note():
    empty = facts(f'{CHROME}<h2>通知公告</h2><ul class="list"></ul>{FOOTER}', COLUMN_META)
    assert empty.kind == "list" and empty.entries == [] and empty.content_chars == 0
    placeholder = facts(f"{CHROME}<h2>通知公告</h2><p>暂无信息</p>{FOOTER}", COLUMN_META)
    assert placeholder.placeholder and not placeholder.note
    noted = facts(
        f"{CHROME}<h2>通知公告</h2><p>本栏目暂无信息。因本单位未发生此类事项，故无相关内容。</p>{FOOTER}",
        COLUMN_META,
    )
    assert noted.note


def test_breadcrumb_and_placeholder_make_an_untagged_column():
    body = (
        f'{CHROME}<div class="crumb">您的位置：<a href="/">首页</a> > 重点项目</div><p>暂无数据</p>'
    )
    page = facts(body)
    assert page.kind == "list" and page.crumbs == ["重点项目"] and page.placeholder


def test_document_number_from_field_line_or_title():
    head = '<meta name="ArticleTitle" content="关于印发某办法的通知"><meta name="PubDate" content="2024-09-27">'
    field = facts("<table><tr><td>文号：</td><td>龙府办字〔2024〕36号</td></tr></table>", head)
    assert field.document_number == "龙府办字〔2024〕36号"
    line = facts('<p class="wh">云府规[2025]3号</p><p>各县（市、区）人民政府：</p>', head)
    assert line.document_number == "云府规〔2025〕3号"
    cited = facts("<p>根据国办发〔2019〕19号文件精神，制定本办法。</p>", head)
    assert cited.document_number is None  # quoting another document's number
    assert cited.cites["numbers"] == ["根据国办发〔2019〕19号"]


def test_interpretations_quote_without_owning_a_number():
    head = '<meta name="ArticleTitle" content="《龙南市城区停车管理办法》政策解读">'
    page = facts("<p>《龙南市城区停车管理办法》（龙府发〔2024〕12号）已印发。</p>", head)
    assert page.document_number is None
    assert page.cites["titles"] == ["龙南市城区停车管理办法"]


def test_normalise_number():
    assert normalise_number("龙府发 [2024] 第12号") == "龙府发〔2024〕12号"
    assert normalise_number("赣府字（2024）3号") == "赣府字〔2024〕3号"


def test_breadcrumb_label_in_its_own_span():
    body = '<div class="wz"><span>当前位置：</span><a href="/">首页</a> &gt; <a href="/xxgk/">信息公开</a> &gt; <a href="/xxgk/tzgg/">通知公告</a></div>'
    body += '<ul><li><a href="/1.html">某条通知标题</a><span>2024-11-20</span></li></ul>'
    page = facts(body, COLUMN_META)
    assert page.crumbs == ["信息公开", "通知公告"]
    assert [e.title for e in page.entries] == ["某条通知标题"]


def test_date_inside_the_link_text():
    body = '<ul><li><a href="/1.html">关于2024-2025年度供暖的通知 2024-11-20</a></li>'
    body += '<li><a href="/2.html">某某工作会议召开[11-02]</a></li>'
    body += '<li><a href="/3.html">2024-2025学年安排</a></li></ul>'
    page = facts(body, COLUMN_META)
    assert [(e.title, e.listed) for e in page.entries] == [
        ("关于2024-2025年度供暖的通知", date(2024, 11, 20)),
        ("某某工作会议召开", date(2024, 11, 2)),
        ("2024-2025学年安排", None),
    ]


def test_trs_table_layout_without_column_meta():
    """Older TRS templates: layout tables, a menu table, a left column list, the breadcrumb
    in a ``td`` that starts with 您现在的位置是, dated rows, a JS pager, a footer table."""
    menu = "".join(
        f'<td class="td3"><a href="../../c{i}/">栏目{i}</a></td><td><img src="/l.jpg"></td>'
        for i in range(6)
    )
    left = "".join(
        f'<tr><td><img src="/i.jpg"></td><td><a href="../s{i}/">左侧栏目{i}</a></td></tr>'
        for i in range(8)
    )
    rows = "".join(
        f'<tr valign="top"><td><img src="/ico.jpg"></td><td>\n<a href="./2020{m:02d}/t2020{m:02d}03_{m}.html">第{m}份年度报告标题</a>\n</td><td>\n 2020-{m:02d}-03\n</td></tr>'
        for m in (9, 5, 3)
    )
    body = f"""<table id="memu"><tr>{menu}</tr></table>
<table><tr><td><table class="gl_left">{left}</table></td>
<td><table class="bor"><tr><td class="pos">您现在的位置是：
<a href="../../">首页</a>&nbsp;&gt;&gt;&nbsp;<a href="../">信息公开</a>&nbsp;&gt;&gt;&nbsp;<a href="./">信息公开年报</a></td></tr>
<tr><td><table class="gl_list">{rows}</table></td></tr>
<tr><td class="page"><script>document.write("<a href=index_1.html>下一页</a>");</script>
<a href="index.html">首页</a> | <a href="index_1.html">2</a> | <a href="index_1.html">下一页</a></td></tr></table></td></tr></table>
<table id="down"><tr><td>主办：某某管委会 <a href="../../wzdt/">网站地图</a> | <a href="../../lxwm/">联系我们</a> 网站标识码：1506000140</td></tr></table>"""
    page = facts(body, url="http://www.example.gov.cn/xxgk/xxgknb/")
    assert page.kind == "list" and page.crumbs == ["信息公开", "信息公开年报"]
    assert [(e.title, e.listed) for e in page.entries] == [
        ("第9份年度报告标题", date(2020, 9, 3)),
        ("第5份年度报告标题", date(2020, 5, 3)),
        ("第3份年度报告标题", date(2020, 3, 3)),
    ]


def test_forms_frames_and_ajax_lists_are_content_govwatch_cannot_see():
    ajax = facts(
        '<h2>通知公告</h2><div id="list"></div><script>$.ajax({url: "/api/list.json"});</script>',
        COLUMN_META,
    )
    framed = facts('<h2>通知公告</h2><iframe src="/list.jsp"></iframe>', COLUMN_META)
    form = facts('<form action="/s"><input name="q"><button>提交</button></form>', COLUMN_META)
    plain = facts(
        '<h2>通知公告</h2><img src="/bg.jpg"><script src="/stat.js"></script>', COLUMN_META
    )
    assert (ajax.widgets, framed.widgets, form.widgets, plain.widgets) == (1, 1, 1, 0)


def test_malformed_pages_give_facts_not_errors():
    odd = [
        '<div class="crumb">当前位置：<a href="/"></a><a href="/x/"><img src="a.png"></a></div>',
        "<ul><li><a href='javascript:void(0)'>无效链接</a><span>2024-13-45</span></li></ul>",
        '<script type="text/xml"><datastore><record><![CDATA[<li><a>]]></record></datastore>',
        '<script type="text/xml"><datastore><record><![CDATA[]]></record></datastore></script>',
        "<table><tr><td><a href='/a.html'>标题</a></td><td>99-99</td></tr></table>",
        "<p>文号：龙府发〔2024〕号</p>" + "<p>" + "字" * 5000 + "</p>",
        "<a href='http://[::1'>坏网址</a><span>2024-01-01</span>",
    ]
    for body in odd:
        facts(body, COLUMN_META)
        facts(body, '<meta name="ArticleTitle" content="某文"><meta name="PubDate" content="x">')


def test_untagged_article_with_related_news_is_not_a_column():
    related = "".join(
        f'<li><a href="/x/{i}.html">相关新闻{i}</a><span>2024-07-0{i}</span></li>'
        for i in range(1, 4)
    )
    body = (
        "<h1>某某工作会议召开</h1><div>发布时间：2024-07-19 来源：县政府办</div>"
        + "<p>"
        + "会议强调要认真做好各项工作。" * 30
        + "</p>"
        + f"<h4>相关新闻</h4><ul>{related}</ul>"
    )
    page = facts(body, url="http://www.example.gov.cn/news/show.asp?id=35")
    assert page.kind == "article" and page.entries == []
    assert page.published == date(2024, 7, 19)


# -- page kinds from several signals ------------------------------------------------------

SIDEBAR = "".join(
    f'<li><a href="/jizhe/2005-08/{i:02d}/content_{i}.htm">东北振兴工作动态第{i}条</a>'
    f"<span>2005-08-{i:02d}</span></li>"
    for i in range(1, 18)
)
INTERVIEW = "<p>" + "记者：请问你怎样看待农业税补贴问题？李金泽：政府通过实行一增一减的农业政策。" * 12 + "</p>"


def test_article_with_a_sidebar_of_dated_links_is_an_article():
    # a legacy CMS: no article meta, no article URL, an unlabelled date beside the source
    body = (
        '<div class="crumb">当前位置： 首页｜人物专访</div>'
        "<h1>农机专家李金泽：为农机行业搭建现代化信息平台</h1>"
        "<div>2005年08月16日 来源：新华网</div>"
        f'{INTERVIEW}<div class="right"><h3>工作动态</h3><ul>{SIDEBAR}</ul></div>'
    )
    page = facts(body, url="http://www.example.gov.cn/show.asp?id=4894059")
    assert page.kind == "article" and page.entries == []
    assert page.published == date(2005, 8, 16)


def test_a_list_with_dated_summaries_is_not_an_article():
    rows = "".join(
        f'<li><a href="/news/{i}.html">第{i}条新闻的标题</a>'
        f"<p>{'新闻摘要内容。' * 12}</p><span>发布时间：2024-11-{i:02d}</span></li>"
        for i in range(1, 7)
    )
    page = facts(f"<h2>工作动态</h2><ul>{rows}</ul>", url="http://www.example.gov.cn/news/")
    assert page.kind == "list" and len(page.entries) == 6


SEARCH = """<div class="result-count">已为您找到约10000条相关结果</div><div>排序方式：按相关度 按时间</div>
<div class="item"><a href="http://www.a.gov.cn/zwgk/202511/t20251105_7049699.html">棉花种植面积核实种植户公示</a>
<p>瑞昌市人民政府 发布时间：2025-11-05 16:28:36</p></div>
<div class="item"><a href="http://www.b.gov.cn/bjhd/202511/t20251128_7095247.html">种植趣味多</a>
<p>九江市中心幼儿园 发布时间：2025-11-28 16:02:49</p></div>
<div class="item"><a href="http://www.b.gov.cn/bjhd/202504/t20250424_6899791.html">种植活动</a>
<p>九江市中心幼儿园 发布时间：2025-04-24 08:22:20</p></div>"""


def test_site_search_results_are_a_search_page():
    page = facts(SEARCH, url="https://zmhd.example.gov.cn/irs-c-web/search.shtml?q=种植")
    assert page.kind == "search"
    # the count alone says so too, wherever the page is served
    assert facts(SEARCH, url="http://www.example.gov.cn/page/20").kind == "search"
    # a page that only has a search box is not one
    box = '<form action="/search"><input name="q"><a href="/adv/">高级搜索</a></form>'
    plain = facts(box + '<ul><li><a href="/1.html">某条信息标题</a><span>2024-11-20</span></li></ul>')
    assert plain.kind != "search"


def test_a_static_index_of_sections_is_a_hub():
    links = "".join(
        f'<li><a href="/gszbm/auto{i}/?id=1780">市直部门{i}</a></li>' for i in range(44)
    )
    meta = '<meta name="ColumnName" content="政府信息公开指南"><meta name="ColumnType" content="信息公开指南">'
    for head in (meta, ""):
        page = facts(f"<h1>政府信息公开指南</h1><ul>{links}</ul>", head)
        assert page.kind == "hub" and len(page.entries) == 44
        assert not any(e.listed for e in page.entries)
    # undated links to documents on a tagged column are a column (dated by the articles)
    docs = "".join(f'<li><a href="/a/content_{i}.html">第{i}份文件</a></li>' for i in range(8))
    assert facts(f"<ul>{docs}</ul>", COLUMN_META).kind == "list"


def test_the_root_of_a_host_is_a_home_page():
    rows = "".join(
        f'<li><a href="/xw/202011/t202011{d:02d}_{d}.html">第{d}条新闻标题</a><span>2020-11-{d:02d}</span></li>'
        for d in range(1, 6)
    )
    for url in ("http://hdzfxxgk.example.gov.cn/", "http://www.example.gov.cn/index.html"):
        page = facts(f"<ul>{rows}</ul>", COLUMN_META, url=url)
        assert page.kind == "home" and len(page.entries) == 5
    assert facts(f"<ul>{rows}</ul>", url=URL).kind == "list"


def test_breadcrumb_by_its_shape_and_a_pager_make_a_column():
    # TRS: 首页->政府文件->近期信息公开 without a class or 当前位置; one row; a pager
    body = """<h1>近期信息公开</h1><div class="sx-more1"><a href="/" class="CurrChnlCls">首页</a>-&gt;
<a href="/zfwj/" class="CurrChnlCls">政府文件</a>-&gt;<a href="/zfwj/jinqixxgk/" class="CurrChnlCls">近期信息公开</a></div>
<table><tr><td><a href="/gszbm/202008/t20200805_1353179.html">邯郸市教育局关于印发考核办法的通知</a></td><td>2020-08-05</td></tr></table>
<div><a href="index.html">首页</a> <a href="index_1.html">下一页</a> <a href="index_55.html">尾页</a></div>"""
    page = facts(body, url="http://www.example.gov.cn/zfwj/jinqixxgk/")
    assert page.crumbs == ["政府文件", "近期信息公开"]
    assert page.kind == "list" and [e.listed for e in page.entries] == [date(2020, 8, 5)]


def test_a_pager_is_not_a_breadcrumb():
    pager = '<div><a href="index.html">首页</a> <a href="index_1.html">上一页</a> <a href="index_2.html">下一页</a></div>'
    assert facts(pager).crumbs == []


def test_a_hidden_location_block_is_not_the_breadcrumb():
    # Hanweb's hidden column data: <div id="hiddenLocation" style="display:none;">
    hidden = '<div id="hiddenLocation" style="display:none;"><span>3185</span><span>/col/col1/index.html</span></div>'
    crumb = '<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/col/col1/">投资运行</a></div>'
    assert facts(hidden + crumb, COLUMN_META).crumbs == ["投资运行"]


def test_an_unclosed_heading_does_not_swallow_the_content():
    body = "<h2>新闻发布<div>" + "<p>今日通报疫情防控工作情况，全市各区持续做好防控。</p>" * 20
    page = facts(body, COLUMN_META)
    assert page.content_chars > 300


def test_a_second_link_to_the_same_item_is_not_another_entry():
    # a search result: its title links the item, and so does its source's name below
    summary = "彭泽县帽子尖生态农业开发有限公司助力其发展铁皮石斛三产融合产业项目。" * 5
    rows = "".join(
        f'<div class="item"><h3><a href="/x/202410/t202410{d:02d}_{d}.html">第{d}条信息</a></h3>'
        f'<p>{summary}</p><p class="src"><a href="/x/202410/t202410{d:02d}_{d}.html">九江市林业局</a>'
        f"<span>2024-10-{d:02d}</span></p></div>"
        for d in range(1, 4)
    )
    page = facts(f'<div class="list">{rows}</div>', COLUMN_META)
    assert [e.title for e in page.entries] == ["第1条信息", "第2条信息", "第3条信息"]


def test_a_home_page_without_dates_keeps_its_lists_for_the_pages_to_date():
    news = "".join(f'<li><a href="/yaowen/202411/content_{i}.htm">要闻标题第{i}条</a></li>' for i in range(4))
    policy = "".join(f'<li><a href="/zhengce/content_{i}.htm">政策标题第{i}条</a></li>' for i in range(3))
    single = '<div><a href="/hudong/">互动</a></div>'
    page = facts(f"<ul>{news}</ul><ul>{policy}</ul>{single}", url="http://www.example.gov.cn/")
    assert page.kind == "home" and len(page.entries) == 7
    assert not any(e.listed for e in page.entries)


def test_a_short_article_beside_a_long_dated_sidebar_is_an_article():
    # the sidebar's 17 links outweigh the article's text, but its prose stands outside them
    short = "<p>" + "8月16日，该市召开农机化工作推进会，部署秋收农机作业和安全生产工作。" * 5 + "</p>"
    body = (
        '<div class="crumb">当前位置： 首页｜工作动态</div>'
        "<h1>全市农机化工作推进会召开</h1>"
        "<div>2005年08月16日 来源：市农机局</div>"
        f'{short}<div class="right"><h3>工作动态</h3><ul>{SIDEBAR}</ul></div>'
    )
    page = facts(body, url="http://www.example.gov.cn/show.asp?id=4894060")
    assert page.kind == "article" and page.entries == []
    assert page.published == date(2005, 8, 16)


RIGHT_BOX = "".join(
    f'<li><a href="/xxgk/zfgzbg/t2023{i:02d}01_{i}.html">政务公开专栏第{i}条</a><span>2023-{i:02d}-01</span></li>'
    for i in range(1, 5)
)


def test_an_undated_column_list_beside_a_dated_sidebar_keeps_its_own_entries():
    # the column's own list shows no dates (its articles do); the template's box does
    own = "".join(
        f'<li><a href="/xwzx/xczx/content_{n}.html">乡村振兴第{n}条动态</a></li>' for n in (1, 2)
    )
    body = (
        f'{CHROME}<div class="column"><h2>乡村振兴动态</h2><ul class="list">{own}</ul></div>'
        f'<div class="list-right"><ul class="rlist">{RIGHT_BOX}</ul></div>{FOOTER}'
    )
    page = facts(body, head=COLUMN_META, url="http://www.example.gov.cn/xwzx/xczx/")
    assert page.kind == "list"
    urls = [e.url.rsplit("/", 1)[-1] for e in page.entries]
    assert urls[:2] == ["content_1.html", "content_2.html"] and len(urls) == 6
    # a menu of sections or links to other sites beside a dated list are not entries
    menu = "".join(f'<li><a href="/xwzx/{c}/">栏目{c}</a></li>' for c in ("a", "b", "c"))
    links = "".join(f'<li><a href="http://www.{c}.gov.cn/">{c}市</a></li>' for c in "xyz")
    body = f'<ul class="list">{RIGHT_BOX}</ul><ul class="m">{menu}</ul><ul class="l">{links}</ul>'
    page = facts(body, head=COLUMN_META)
    assert len(page.entries) == 4
