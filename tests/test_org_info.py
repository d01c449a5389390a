"""org_info_incomplete on strings: which pages are judged, the items and their synonyms,
tables and labelled paragraphs, and hubs of sub-pages that are never called incomplete."""

from __future__ import annotations

import pytest

from detectors.org_info import (
    ITEMS,
    OrgInfoIncompleteDetector,
    items_linked,
    items_shown,
    page_name,
)
from detectors.page import PageContext, parse_html

URL = "http://www.longnan.gov.cn/xxgk/sfj/jgxx/"
FOOTER = '<div class="footer"><p>地址：金塘大道1号 联系电话：0797-3512991</p></div>'


def check(body: str, title: str = "机构信息", meta: dict | None = None) -> list:
    head = f"<head><title>{title}_龙南市司法局</title></head>"
    html = f"<html>{head}<body>{body}{FOOTER}</body></html>"
    page = PageContext(url=URL, title=title, meta=meta or {}, root=parse_html(html.encode()))
    return list(OrgInfoIncompleteDetector().check(page))


FULL_TABLE = """<h1>机构信息</h1><table>
<tr><td>机构设置</td><td>办公室、法治督察股、行政复议股</td></tr>
<tr><td>主要职责</td><td>负责全市法治政府建设工作。</td></tr>
<tr><td>办公地址</td><td>龙南市龙南镇金塘大道8号</td></tr>
<tr><td>工作时间</td><td>周一至周五 8:00—12:00，14:30—17:30</td></tr>
<tr><td>联系电话</td><td>0797-3521234</td></tr>
<tr><td>负责人</td><td>王建华</td></tr>
</table>"""


def test_a_complete_table_with_synonyms_is_not_reported():
    # 工作时间 for 办公时间, 主要职责 for 单位职能, 联系电话 for 联系方式, 负责人 for the name
    assert check(FULL_TABLE) == []


def test_an_incomplete_page_names_the_missing_items_in_the_plans_order():
    body = """<h1>机构信息</h1>
<p><strong>主要职责：</strong>负责全市法治政府建设工作。</p>
<p>内设机构：办公室、法治督察股。</p>
<p>通讯地址：龙南市龙南镇金塘大道8号</p>"""
    [finding] = check(body)
    assert finding.details["missing"] == ["办公时间", "联系方式", "负责人姓名"]
    assert finding.severity == "medium"
    assert "办公时间、联系方式、负责人姓名" in finding.message
    assert finding.details["present"] == ["机构设置", "单位职能", "办公地址"]


def test_the_breadcrumbs_link_to_the_page_itself_covers_nothing():
    crumb = f'<div class="crumb"><a href="/">首页</a> &gt; <a href="{URL}">机构信息</a></div>'
    body = crumb + "<h1>机构信息</h1><p>主要职责：法治建设。</p><p>内设机构：办公室。</p>"
    [finding] = check(body)
    assert finding.details["missing"] == ["办公地址", "办公时间", "联系方式", "负责人姓名"]


def test_the_footer_is_not_the_units_contact():
    body = "<h1>机构信息</h1><p>主要职责：法治建设。</p><p>内设机构：办公室。</p>"
    [finding] = check(body)
    assert "联系方式" in finding.details["missing"] and "办公地址" in finding.details["missing"]


@pytest.mark.parametrize(
    "line",
    ["局长：王建华", "王建华　党组书记、局长", "领导信息", "主要负责人：王建华"],
)
def test_leader_lines_count_as_the_name(line):
    assert "负责人姓名" in items_shown([line])


@pytest.mark.parametrize(
    ("line", "item"),
    [
        ("一、主要职责", "单位职能"),
        ("（二）职能职责：", "单位职能"),
        ("咨询电话：0797-3521234", "联系方式"),
        ("对外办公时间：工作日", "办公时间"),
        ("地址：龙南镇", "办公地址"),
        ("内设科室", "机构设置"),
        ("内设机构及职责", "机构设置"),
        ("职能配置", "单位职能"),
        ("姓名", "负责人姓名"),  # the header of a leaders' table
    ],
)
def test_labelled_paragraphs_and_headings(line, item):
    assert item in items_shown([line])


def test_a_leaders_block_of_name_and_title_cells():
    body = """<h1>单位概况</h1><p>主要职责：法治建设。</p>
<div class="ld"><div class="ld_name">王建华</div><div class="ld_zw">局长</div></div>
<table><tr><td>办公地址</td><td>金塘大道8号</td></tr><tr><td>办公时间</td><td>工作日</td></tr>
<tr><td>电话</td><td>0797-3521234</td></tr></table>"""
    [finding] = check(body, title="单位概况")
    assert finding.details["missing"] == ["机构设置"]


def test_words_inside_prose_are_not_labels():
    prose = "本局负责人表示，将在办公时间内加强职责落实。"
    assert items_shown([prose]) == set()


def test_a_hub_of_sub_pages_is_judged_only_on_what_it_does_not_link_to():
    body = """<h1>机构信息</h1><p>主要职责：负责全市法治政府建设工作。</p>
<p>内设机构：办公室、法治督察股。</p>
<ul><li><a href="ldxx/">领导信息</a></li><li><a href="lxwm/">联系我们</a></li></ul>"""
    assert check(body) == []
    covered = items_linked(["领导信息", "联系我们"])
    assert covered == {"负责人姓名", "联系方式", "办公地址", "办公时间"}


def test_an_org_chart_picture_holds_the_structure():
    body = """<h1>机构信息</h1><p>主要职责：法治建设。</p><p>办公地址：金塘大道8号</p>
<p>办公时间：工作日</p><p>联系电话：0797-3521234</p><p>局长：王建华</p>
<p><img src="/images/zzjg.jpg" alt="组织架构图"></p>"""
    assert check(body) == []
    [finding] = check(body.replace("组织架构图", ""))
    assert finding.details["missing"] == ["机构设置"]


def test_a_page_that_is_only_links_is_not_judged():
    body = """<h1>机构信息</h1><ul><li><a href="a/">市司法局</a></li>
<li><a href="b/">市财政局</a></li><li><a href="c/">市民政局</a></li></ul>"""
    assert check(body) == []


def test_a_narrow_sub_page_is_not_judged_alone():
    body = "<h1>领导信息</h1><p>局长：王建华</p><p>副局长：李明</p><p>分工：负责全面工作</p>"
    assert check(body, title="领导信息") == []


def test_content_a_script_loads_is_not_judged():
    body = """<h1>机构信息</h1><p>主要职责：法治建设。</p><p>内设机构：办公室。</p>
<script>$.getJSON('/api/org', function (d) { render(d); });</script>"""
    assert check(body) == []


def test_an_article_under_the_column_is_not_the_units_page():
    crumb = '<div class="crumb"><a href="/">首页</a> &gt; <a href="/jgxx/">机构信息</a></div>'
    body = crumb + "<h1>关于印发职能配置的通知</h1><p>一、主要职责</p><p>二、内设机构</p>"
    meta = {"ArticleTitle": "关于印发职能配置的通知", "PubDate": "2024-01-05 09:00"}
    assert check(body, title="关于印发职能配置的通知", meta=meta) == []
    # the same page without its article tags is read by its breadcrumb
    assert check(body, title="关于印发职能配置的通知") != []


def test_other_pages_are_not_read():
    body = "<h1>关于调整机构职能的通知</h1><p>主要职责：法治建设。</p><p>内设机构：办公室。</p>"
    assert check(body, title="关于调整机构职能的通知") == []


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        ("龙南市司法局机构信息", "龙南市司法局机构信息"),
        ("单位概况", "单位概况"),
        ("机构职能", "机构职能"),
        ("关于调整机构职能的通知", None),
        ("新闻动态", None),
    ],
)
def test_page_names(headline, expected):
    assert page_name(headline) == expected


def test_the_column_name_or_breadcrumb_names_the_page():
    assert page_name("龙南市司法局", column_name="机构信息") == "机构信息"
    assert page_name("龙南市司法局", crumbs=["信息公开", "单位概况"]) == "单位概况"


def test_items_are_the_plans_six():
    assert ITEMS == ("机构设置", "单位职能", "办公地址", "办公时间", "联系方式", "负责人姓名")
