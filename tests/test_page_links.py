from __future__ import annotations

from lxml import html

from crawler.page_links import extract_links, page_meta, page_title, pager_urls

PAGE = """<html><head><title> 要闻动态 </title>
<meta name="SiteName" content="龙南市人民政府"><meta name="ColumnName" content="要闻动态">
<link rel="stylesheet" href="/css/a.css"><link rel="alternate" href="/rss.xml">
<link rel="icon" href="/favicon.ico">
<script src="/js/common.js"></script></head><body>
<a href="  ./202411/t20241120_1.html ">  市政府召开
  常务会议 </a>
<a href="202411/t20241120_1.html">重复</a>
<a href="#top">顶部</a><a href="mailto:a@b">信箱</a><a href="javascript:void(0)">x</a>
<a href="/"><img src="/images/logo.png" alt="网站标志"></a>
<area href="/map.html"><iframe src="/embed/map.html"></iframe><embed src="/v.swf">
<object data="/o.pdf"></object><video><source src="/v.mp4"></video>
<script>createPageHTML(3, 0, "index", "html");</script>
</body></html>"""


def links(page: str, url: str = "http://h/xwzx/ywdt/"):
    root = html.fromstring(page)
    return [(link.target_url, link.element, link.text) for link in extract_links(root, url)]


def test_extracts_every_element_kind():
    found = links(PAGE)
    assert found == [
        ("http://h/css/a.css", "link", ""),
        ("http://h/favicon.ico", "link", ""),
        ("http://h/js/common.js", "script", ""),
        ("http://h/xwzx/ywdt/202411/t20241120_1.html", "a", "市政府召开 常务会议"),
        ("http://h/", "a", "网站标志"),
        ("http://h/images/logo.png", "img", "网站标志"),
        ("http://h/map.html", "area", ""),
        ("http://h/embed/map.html", "iframe", ""),
        ("http://h/v.swf", "embed", ""),
        ("http://h/o.pdf", "object", ""),
        ("http://h/v.mp4", "source", ""),
        ("http://h/xwzx/ywdt/index.html", "a", "第1页"),
        ("http://h/xwzx/ywdt/index_1.html", "a", "第2页"),
        ("http://h/xwzx/ywdt/index_2.html", "a", "第3页"),
    ]


def test_base_href_is_honoured():
    page = '<html><head><base href="/xxgk/zcwj/"></head><body><a href="202410/t1.html">文件</a>'
    assert links(page, "http://h/xxgk/zcwj/index.html") == [
        ("http://h/xxgk/zcwj/202410/t1.html", "a", "文件")
    ]


def test_pager_variants():
    assert pager_urls("createPageHTML('2','1','index','shtml')", "http://h/c/") == [
        "http://h/c/index.shtml",
        "http://h/c/index_1.shtml",
    ]
    assert pager_urls('createPageHTML(1, 0, "index", "html")', "http://h/c/") == [
        "http://h/c/index.html"
    ]


def test_meta_title_text():
    root = html.fromstring(PAGE)
    assert page_title(root) == "要闻动态"
    assert page_meta(root)["ColumnName"] == "要闻动态"


def test_hanweb_datastore_records_are_links():
    html = """<html><body><div id="378"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href="/art/2024/11/20/art_1229_35.html" target="_blank">政务<b>公开</b>
</a></li>]]></record>
<record><![CDATA[<li><span>[11-02]</span><a title="x" href='art_1229_34.html'>安全生产</a>
</li>]]></record>
</recordset></datastore></script></div></body></html>"""
    from lxml import html as lxml_html

    from crawler.page_links import extract_links

    root = lxml_html.document_fromstring(html)
    links = extract_links(root, "http://x.gov.cn/col/col1229/index.html")
    assert [(link.target_url, link.text) for link in links] == [
        ("http://x.gov.cn/art/2024/11/20/art_1229_35.html", "政务公开"),
        ("http://x.gov.cn/col/col1229/art_1229_34.html", "安全生产"),
    ]
