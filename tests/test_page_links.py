# ruff: noqa: E501  (real scripts and markup read best on one line each)
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


# The pager script of a TRS column list (邯郸市政府信息公开, 近期信息公开): no
# createPageHTML, the template writes the pager itself from countPage.
TRS_COUNT_PAGE = r"""
var countnum= 6348;
var currentPage=0;
var prevPage=currentPage-1
var nextPage=currentPage+1
var countPage=56
var endPage=countPage-1
document.write("<a href=\"index.html\" target=\"_self\" >首页</a>&nbsp;&nbsp;");
if(countPage>1&&currentPage!=0&&currentPage!=1)
    document.write("<a  href=\"index"+"_"+prevPage+"."+"html\" target=\"_self\">上一页</a>&nbsp;&nbsp;");
var num=6;
for(var i=startPage;i<endpage;i++){
    if(currentPage==i)
        document.write("<span class='now'>"+(i+1)+"</span>&nbsp;&nbsp;");
    else
        document.write("<a href=\"index"+"_"+i+"."+"html\" target=\"_self\" class='pnum'>"+(i+1)+"</a>&nbsp;&nbsp;");}
if(countPage>1)
    document.write("<a  href=\"index_"+endPage+".html\" target=\"_self\">尾页</a>");
"""


def test_trs_count_page_pager_written_by_the_template():
    urls = pager_urls(TRS_COUNT_PAGE, "http://hdzfxxgk.example.gov.cn/zfwj/jinqixxgk/")
    assert len(urls) == 56
    assert urls[:2] == [
        "http://hdzfxxgk.example.gov.cn/zfwj/jinqixxgk/index.html",
        "http://hdzfxxgk.example.gov.cn/zfwj/jinqixxgk/index_1.html",
    ]
    assert urls[-1] == "http://hdzfxxgk.example.gov.cn/zfwj/jinqixxgk/index_55.html"
    shtml = TRS_COUNT_PAGE.replace('"."+"html', '"."+"shtml').replace("countPage=56", "countPage=2")
    assert pager_urls(shtml, "http://h/c/") == ["http://h/c/index.shtml", "http://h/c/index_1.shtml"]
    # a script that only counts, writing nothing, is not a pager
    assert pager_urls("var countPage = 5;", "http://h/c/") == []


def test_newer_create_page_html_signature():
    script = "createPageHTML('page_div', 3, 0, 'index', 'html', 1122);"
    assert pager_urls(script, "http://h/c/") == [
        "http://h/c/index.html",
        "http://h/c/index_1.html",
        "http://h/c/index_2.html",
    ]


def test_pagers_are_capped():
    from crawler.page_links import MAX_PAGER_PAGES

    assert len(pager_urls('createPageHTML(999999, 0, "index", "html")', "http://h/")) == (
        MAX_PAGER_PAGES
    )


HANWEB_LIST = """<html><body><div id="4018"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=3185&path=/&columnid=1621004&unitid=4018&webname=%E6%B5%99&permissiontype=0"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href="/art/2024/11/20/art_1621004_35.html">投资运行情况</a><span>2024-11-20</span></li>]]></record>
</recordset></datastore></script></div>
<script type="text/javascript" src="/module/jslib/jquery/jpage/jquery.jpage.js"></script>
<script>$(document).ready(function(){ $('#4018').jpage({ dataStore: dataStore, proxyUrl: '/module/web/jpage/dataproxy.jsp',
  perPage: 15, totalRecord: 46, groupSize: 3, barPosition: 'bottom', ajaxParam: {webid: 3185} }); });</script>
</body></html>"""


def test_hanweb_jpage_pages_from_its_record_count():
    found = links(HANWEB_LIST, "http://fgw.example.gov.cn/col/col1621004/index.html")
    pages = [url for url, _element, text in found if text.startswith("第")]
    assert pages == [
        f"http://fgw.example.gov.cn/col/col1621004/index.html?uid=4018&pageNum={n}"
        for n in (2, 3, 4)
    ]
    # the datastore says how many pages itself
    own = HANWEB_LIST.replace("</recordset>", "</recordset><totalpage>2</totalpage>")
    own = own.replace("totalRecord: 46,", "")
    found = links(own, "http://fgw.example.gov.cn/col/col1621004/")
    assert [u for u, _e, t in found if t.startswith("第")] == [
        "http://fgw.example.gov.cn/col/col1621004/?uid=4018&pageNum=2"
    ]
    # without a count, no pages are guessed
    bare = HANWEB_LIST.replace("totalRecord: 46,", "")
    assert not [t for _u, _e, t in links(bare) if t.startswith("第")]
