"""Outdated institution names in context (``detectors/terms/context.py``, the matcher's
``_InContext`` and the term detector's ``content_date``): history is not an error, the
present in the past's words is."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import lxml.html
import pytest

from detectors.page import PageContext
from detectors.resources import term_matcher
from detectors.term import TermDetector, content_date, page_region, seen_date
from detectors.terms import context
from detectors.terms.entry import TermEntry
from detectors.terms.lexicon import LexiconError, load_lexicon
from detectors.terms.matcher import TermMatcher

D2024 = date(2024, 11, 18)


def outdated(term: str, since: date = date(2019, 3, 31), **kw) -> TermEntry:
    return TermEntry(term, "outdated_name", "high", valid_from=since, **kw)


LAND = outdated("国土资源局", leads=(("原", "国土资源局"), ("撤销", "国土资源局")))
CBIRC = outdated("中国银行保险监督管理委员会", date(2023, 5, 18))


def terms(
    matcher: TermMatcher, text: str, published: date | None = D2024, region: str | None = None
) -> list[str]:
    return [h.matched for h in matcher.find(text, published=published, region=region)]


@pytest.fixture(scope="module")
def bundled() -> TermMatcher:
    return term_matcher((), ())


# --- the present is still an error ------------------------------------------------------


def test_an_outdated_name_in_2024_body_text_is_reported(bundled: TermMatcher) -> None:
    text = "11月18日，市国土资源局负责同志汇报了用地保障情况。"
    assert terms(bundled, text) == ["国土资源局"]
    assert terms(bundled, text, date(2018, 6, 1)) == []  # before the local reform


def test_the_sample_portals_planted_names_are_still_reported(bundled: TermMatcher) -> None:
    text = (
        "市国土资源局负责同志汇报了用地保障情况。会议指出，原国土资源局承担的职责已整合划入"
        "市自然资源局。\n各单位主要负责同志要亲自部署、亲自督促，市安监局要加强统筹协调和督促检查，"
    )
    hits = bundled.find(text, published=D2024)
    assert [(h.matched, h.start) for h in hits] == [
        ("国土资源局", 1),  # 市国土资源局, not 原国土资源局
        ("安监局", text.index("安监局")),
    ]


# --- titles -----------------------------------------------------------------------------


def test_a_name_inside_a_book_title_is_history() -> None:
    m = TermMatcher([outdated("国土资源部", date(2018, 4, 10))])
    assert terms(m, "根据《国土资源部关于加强土地管理的通知》要求，做好工作。") == []
    assert terms(m, "《土地管理办法》由国土资源部负责解释。") == ["国土资源部"]  # outside 《》
    assert terms(m, "《关于国土资源部\n的通知》") == ["国土资源部"]  # 《》 do not span lines


def test_titles_of_documents_issued_by_the_old_body_are_judged_by_their_own_date() -> None:
    m = TermMatcher([CBIRC])
    sidebar = (
        "中国银行保险监督管理委员会行政许可事项撤销决定书\n"
        "中国银行保险监督管理委员会行政监管措施决定书 〔2022〕3号\n"
    )
    assert terms(m, sidebar, date(2025, 6, 3)) == []
    # a 文号 after the reform: the document itself used the old name
    late = "中国银行保险监督管理委员会行政监管措施决定书〔2024〕3号"
    assert terms(m, late, date(2025, 6, 3)) == ["中国银行保险监督管理委员会"]
    # a sentence about a document is not its title
    assert terms(TermMatcher([LAND]), "市国土资源局发布通知，要求各地开展检查。") == ["国土资源局"]
    assert terms(TermMatcher([LAND]), "市国土资源局关于开展土地检查的通知\n") == []


def test_a_document_number_year_dates_the_name_beside_it() -> None:
    m = TermMatcher([LAND])
    assert terms(m, "按照县国土资源局〔2017〕5号文件要求，完成确权登记。") == []
    assert terms(m, "按照县国土资源局〔2020〕5号文件要求，完成确权登记。") == ["国土资源局"]


# --- own dates --------------------------------------------------------------------------


def test_a_date_in_the_same_sentence_makes_it_history() -> None:
    m = TermMatcher([LAND])
    assert terms(m, "2017年6月5日，县国土资源局组织开展土地执法专项检查。") == []
    assert terms(m, "2017年6月，县国土资源局组织开展检查。") == []
    # another sentence's date is not the hit's
    assert terms(m, "2017年6月5日开展检查。县国土资源局负责同志汇报。") == ["国土资源局"]


def test_list_entries_are_judged_by_their_own_dates() -> None:
    m = TermMatcher([LAND])
    assert terms(m, "县国土资源局开展土地执法检查2017-06-05") == []
    assert terms(m, "首页\n县国土资源局开展土地执法检查\n2017-06-05\n") == []
    row = "名称\n县国土资源局关于土地确权的公示\n000014348/2017-35428\n县政府办\n2017-08-05\n"
    assert terms(m, row, None) == []
    assert terms(m, row.replace("2017-08-05", "2020-08-05"), None) == ["国土资源局"]
    # the date of an entry comes only from short lines next to it
    far = "县国土资源局开展检查\n" + "这是一段很长的正文，" * 6 + "2017-06-05\n"
    assert terms(m, far) == ["国土资源局"]


def test_undated_text_with_an_own_date_is_judged_by_it() -> None:
    m = TermMatcher([LAND])
    assert terms(m, "县国土资源局开展检查2020-05-06", None) == ["国土资源局"]
    assert terms(m, "县国土资源局开展检查", None) == []  # nothing dates it


# --- lead-ins ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "原四川银监局党委书记、局长王泽平接受纪律审查",
        "原江西省国土资源厅副厅长",
        "据原县计生委统计",
        "原邯郸市国土资源局",
        "原宜春市万载县卫生局",
        "原宜春地区行署计生委",
        "原市人民政府法制办",
        "原邱县国土资源局",  # a county jieba does not know: 邱 + 县
        "原来的县国土资源局",
        "撤销县卫生局，组建县卫生和计划生育局",
        "原中国银监会",
        "原内蒙古自治区国土资源厅",
    ],
)
def test_lead_word_and_any_place_name_make_it_history(bundled: TermMatcher, text: str) -> None:
    assert terms(bundled, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("太原市国土资源局召开会议", ["国土资源局"]),  # 原 of 太原 is no lead word
        ("原则上由县国土资源局负责", ["国土资源局"]),
        ("他原在办公室，县国土资源局负责", ["国土资源局"]),
        ("原办公室主任在县国土资源局任职", ["国土资源局"]),
    ],
)
def test_lead_word_must_stand_alone_before_a_place_run(
    bundled: TermMatcher, text: str, expected: list[str]
) -> None:
    assert terms(bundled, text) == expected


def test_place_runs() -> None:
    for run in ["", "县", "四川", "江西省", "市人民政府", "宜春地区行署", "特别行政区政府"]:
        assert context.place_run(run), run
    for run in ["则上县", "办公室主任在", "一二三四五六七八九十一二三四五六七", "A县"]:
        assert not context.place_run(run), run


# --- brands and regions -----------------------------------------------------------------


def test_a_brand_retained_by_its_successor_is_not_reported(bundled: TermMatcher) -> None:
    assert terms(bundled, "国家海洋局发布2024年中国海洋灾害公报") == []
    assert terms(bundled, "国家林业局印发了方案") == ["国家林业局"]  # no 牌子 kept


BRANDS = """category: outdated_name
severity: high
source: 改革
brands:
  - {name: 国家海洋局, holder: 自然资源部, reason: 对外保留牌子}
entries:
  - {term: 海洋局, suggestion: 自然资源局, valid_from: 2019-03-31}
"""


def test_brands_cover_outdated_names_inside_them(tmp_path: Path) -> None:
    path = tmp_path / "names.yaml"
    path.write_text(BRANDS, encoding="utf-8")
    lexicon = load_lexicon([path])
    assert [b.name for b in lexicon.brands] == ["国家海洋局"]
    m = TermMatcher(lexicon.entries)
    assert terms(m, "国家海洋局发布公报") == []
    assert terms(m, "省海洋局发布公报") == ["海洋局"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (BRANDS.replace("term: 海洋局", "term: 国家海洋局"), "是保留的牌子，不能同时列为过时名称"),
        (BRANDS.replace("reason: 对外保留牌子", "reason: ''"), "须写明 name、holder 和 reason"),
        (BRANDS.replace("category: outdated_name", "category: typo"), "brands 只能写在"),
    ],
)
def test_brand_mistakes(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "names.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_lexicon([path])
    assert any(message in p for p in info.value.problems), info.value.problems


REGIONAL = """category: outdated_name
severity: high
source: 改革
entries:
  - term: 旅游发展委员会
    suggestion: 文化和旅游局
    valid_from: 2019-03-31
    current_in:
      - {region: 重庆市, names: [文化和旅游发展委员会], reason: 重庆现行名称}
"""


def test_names_current_in_a_region(tmp_path: Path) -> None:
    path = tmp_path / "names.yaml"
    path.write_text(REGIONAL, encoding="utf-8")
    [entry] = load_lexicon([path]).entries
    assert entry.current_in == (("重庆", "文化和旅游发展委员会", "重庆现行名称"),)
    m = TermMatcher([entry])
    district = "区文化和旅游发展委员会组织开展文旅活动"
    assert terms(m, district, region="重庆") == []  # a 重庆 page: its own current name
    assert terms(m, district, region="四川") == ["旅游发展委员会"]
    assert terms(m, district) == ["旅游发展委员会"]
    # another region's page naming 重庆's body
    assert terms(m, "重庆市渝中区文化和旅游发展委员会来我市考察") == []
    assert terms(m, "市旅游发展委员会发布通告", region="重庆") == ["旅游发展委员会"]  # old name


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("region: 重庆市", "region: 火星"),
        ("names: [文化和旅游发展委员会]", "names: [文化和旅游局]"),
        ("reason: 重庆现行名称", "reason: ''"),
    ],
)
def test_current_in_mistakes(tmp_path: Path, change: str, message: str) -> None:
    path = tmp_path / "names.yaml"
    path.write_text(REGIONAL.replace(change, message), encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_lexicon([path])
    assert "current_in" in info.value.problems[0]


def test_bundled_regional_names(bundled: TermMatcher) -> None:
    text = "渝北区文化和旅游发展委员会开展检查"
    assert terms(bundled, text, region="重庆") == []
    assert terms(bundled, text) == ["旅游发展委员会"]
    assert terms(bundled, "澳门特别行政区政府卫生局与我省卫生健康委会谈") == []
    assert terms(bundled, "澳门环保局来访") == []
    assert terms(bundled, "香港特区政府医务卫生局局长") == []
    assert terms(bundled, "县卫生局开展检查") == ["卫生局"]


# --- the page's date --------------------------------------------------------------------


def page(html: str, url: str = "http://x.gov.cn/a/", meta: dict | None = None) -> PageContext:
    root = lxml.html.fromstring(html)
    return PageContext(url=url, title="", meta=meta or {}, root=root)


FOOTER = "<div class=foot><a>新闻出版总署</a><a>中国银行保险监督管理委员会</a></div>"


def findings(p: PageContext, region: str | None = None) -> list[str]:
    return [f.key for f in TermDetector(term_matcher((), ()), region).check(p)]


def test_an_undated_page_is_judged_at_its_newest_stamp() -> None:
    listing = (
        "<html><body><ul><li><a>县国土资源局开展检查</a><span>2017-06-05</span></li>"
        "<li><a>全市推进会召开</a><span>2020-08-02</span></li></ul>" + FOOTER + "</body></html>"
    )
    p = page(listing)
    assert content_date(p) is None and seen_date(p) == date(2020, 8, 2)
    # 新闻出版总署 was abolished in 2013, the CBIRC in 2023; the list entry is of 2017
    assert findings(p) == ["新闻出版总署"]


def test_an_undated_page_without_dates_or_with_only_future_ones_is_not_judged() -> None:
    assert seen_date(page("<html><body><p>市扶贫办</p>" + FOOTER + "</body></html>")) is None
    future = "<html><body><p>报名</p><p>2099-01-01</p>" + FOOTER + "</body></html>"
    assert content_date(page(future)) is None and seen_date(page(future)) is None
    assert findings(page(future)) == []


def test_the_prose_of_an_undated_page_is_not_judged_by_its_sidebar() -> None:
    """An article whose own date was not read: its paragraphs may be years older than
    the fresh links beside them; its footer was served with them."""
    prose = "会议要求，" + "各地各部门要认真落实土地管理责任，" * 4 + "县国土资源局要加强执法检查。"
    article = (
        f"<html><body><h1>全县土地执法检查工作会议召开</h1><p>{prose}</p>"
        "<ul><li><a>最新动态</a><span>2024-11-01</span></li></ul>" + FOOTER + "</body></html>"
    )
    assert seen_date(page(article)) == date(2024, 11, 1)
    assert findings(page(article)) == ["新闻出版总署", "中国银行保险监督管理委员会"]


def test_a_stamp_is_a_date_that_ends_a_line() -> None:
    text = (
        "首页\n通知2020-08-02\n[2021-01-05]\n发布时间：2022年3月4日 10:30\n"
        "截至2023年5月6日完成任务。"
    )
    assert context.stamp_dates(text) == [date(2020, 8, 2), date(2021, 1, 5), date(2022, 3, 4)]


def test_text_without_markup_is_not_dated_by_its_stamps() -> None:
    p = PageContext.from_text("http://x.gov.cn/a.pdf", "", "市安监局开展检查\n2024年5月6日")
    assert content_date(p) is None
    # … but its hits are dated by their own lines
    assert findings(p) == ["安监局"]


def test_the_earliest_publication_evidence_wins() -> None:
    article = (
        "<html><body><h1>通知</h1><p>发布日期：2017-05-15 10:49</p>"
        "<p>据县计生委统计，饮用水源按时向省环保厅报送。</p></body></html>"
    )
    migrated = page(article, meta={"PubDate": "2022-04-24 10:00:43"})
    # The visible 发布日期 outranks the platform's PubDate (detectors.dates precedence).
    assert migrated.published == date(2017, 5, 15)
    assert content_date(migrated) == date(2017, 5, 15)
    assert findings(migrated) == ["计生委"]  # abolished in 2015, not 环保厅 (2019)


def test_a_report_on_a_past_year_names_the_bodies_of_that_year() -> None:
    body = "<html><body><p>据县计生委统计，全县人口出生率为12.16‰。</p></body></html>"
    meta = {"ArticleTitle": "万载县2015年国民经济和社会发展统计公报", "PubDate": "2017-05-15"}
    assert content_date(page(body, meta=meta)) == date(2015, 1, 1)
    assert findings(page(body, meta=meta)) == []
    meta["ArticleTitle"] = "万载县2016年国民经济和社会发展统计公报"
    assert findings(page(body, meta=meta)) == ["计生委"]


def test_the_pages_own_document_number_dates_it() -> None:
    body = "<html><body><p>文号：国土资发〔2016〕12号</p><p>各县国土资源局：</p></body></html>"
    assert content_date(page(body, meta={"PubDate": "2020-05-01"})) == date(2016, 1, 1)
    assert findings(page(body, meta={"PubDate": "2020-05-01"})) == []
    table = (
        "<html><body><table><tr><td>文号</td><td>国土资发〔2016〕12号</td></tr>"
        "</table></body></html>"
    )
    assert content_date(page(table, meta={"PubDate": "2020-05-01"})) == date(2016, 1, 1)
    listing = (
        "<html><body><table><tr><th>名称</th><th>文号</th><th>发布日期</th></tr>"
        "<tr><td>关于土地的通知</td><td>国土资发〔2016〕12号</td><td>2020-05-01</td></tr>"
        "</table></body></html>"
    )
    assert content_date(page(listing)) is None  # a list's 文号 column is not the page's
    # an interpretation quotes its document's number: not its own date
    title = "《关于土地的通知》（国土资发〔2016〕12号）解读"
    meta = {"ArticleTitle": title, "PubDate": "2020-05-01"}
    assert content_date(page("<html><body><p>x</p></body></html>", meta=meta)) == date(2020, 5, 1)


def test_a_pages_region_is_its_site_code_else_the_sites() -> None:
    body = "<html><body><p>区文化和旅游发展委员会开展检查。</p>{}</body></html>"
    meta = {"PubDate": "2024-05-06"}
    plain = page(body.format(""), meta=meta)
    assert page_region(plain) is None
    assert findings(plain) == ["旅游发展委员会"]
    assert findings(plain, region="重庆") == []  # the site's config
    coded = page(body.format(""), meta={**meta, "SiteIDCode": "5001030001"})
    assert page_region(coded) == "重庆" and findings(coded, region="四川") == []
    footer = page(body.format("<p>网站标识码：5001120003</p>"), meta=meta)
    assert page_region(footer) == "重庆" and findings(footer) == []
    department = page(body.format(""), meta={**meta, "SiteIDCode": "bm55000001"})
    assert page_region(department) is None and findings(department) == ["旅游发展委员会"]
