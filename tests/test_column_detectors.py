"""Column discovery, categories and the stale/blank column detectors, on stored page facts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from common.urls import url_key
from detectors.blank_column import BlankColumnDetector
from detectors.column_categories import (
    CategoryFileError,
    load_categories,
    parse_categories,
)
from detectors.column_discovery import discover_columns, first_page_key, template_entry_keys
from detectors.page_facts import ListEntry, PageFacts
from detectors.stale_column import StaleColumnDetector
from govwatch.config import ColumnOverride

TODAY = date(2024, 11, 25)
HOST = "http://www.example.gov.cn"


def entry(path: str, listed: date | None, pinned: bool = False) -> ListEntry:
    return ListEntry(HOST + path, path, "", listed, pinned)


def stored(path: str, kind: str = "list", name: str = "", entries=(), **kw) -> PageFacts:
    values = {
        "column_type": "",
        "crumbs": [],
        "headline": name,
        "published": None,
        "document_number": None,
        "cites": {},
        "content_chars": 0,
        "placeholder": False,
        "note": False,
    }
    values.update(kw)
    return PageFacts(HOST + path, kind, name, entries=list(entries), **values)


class Snapshot:
    def __init__(self, *pages: PageFacts, home: str = "/"):
        self._pages = {p.key: p for p in pages}
        self.home_key = url_key(HOST + home)

    def pages(self):
        return self._pages


def stale(*pages, overrides=None):
    detector = StaleColumnDetector(load_categories(), overrides or {}, TODAY)
    return list(detector.check(Snapshot(*pages)))


def test_categories_by_longest_keyword():
    table = load_categories()
    assert table.classify("乡镇动态").id == "news"
    assert table.classify("政策解读").id == "policy"
    assert table.classify("人事任免").id == "personnel"
    assert table.classify("发展规划").id == "planning"
    assert table.classify("信息公开年报").id == "planning"
    assert table.classify("机构职能").id == "static"
    assert table.classify("公示公告").id == "notice"
    assert table.classify("疫情通报").id == "notice"  # 通报, a 公文 of the 通知/通告 family
    assert table.classify("司法局", "部门信息公开") is None
    assert table.classify("其他", "通知公告").id == "notice"  # ColumnType counts too


def test_category_file_errors_name_file_and_line(tmp_path: Path):
    text = """categories:
  - id: news
    max_age_days: 14
    keywords: [动态]
  - id: gossip
    keywords: [八卦]
  - id: notice
    max_age_days: -3
    keywords: [公告]
  - id: policy
    max_age_days: 180
    keywords: [动态]
"""
    with pytest.raises(CategoryFileError) as error:
        parse_categories(text, "cats.yaml")
    problems = error.value.problems
    assert any(p.startswith("cats.yaml:5: id 应为") for p in problems)
    assert any(p.startswith("cats.yaml:7: max_age_days") for p in problems)
    assert any(p.startswith("cats.yaml:10:") and "动态" in p for p in problems)


def test_paginated_column_is_one_column():
    assert first_page_key(HOST + "/xwzx/ywdt/index_2.html") == url_key(HOST + "/xwzx/ywdt/")
    assert first_page_key(HOST + "/news/list_3.shtml") == url_key(HOST + "/news/list.shtml")
    # Hanweb jpage: the unit's uid goes with the page number (its first page has neither)
    assert first_page_key(HOST + "/col/col1229/index.html?uid=1&pageNum=2") == url_key(
        HOST + "/col/col1229/index.html"
    )
    first = stored("/xwzx/ywdt/", name="要闻动态", entries=[entry("/a.html", date(2024, 11, 20))])
    later = stored(
        "/xwzx/ywdt/index_1.html", name="要闻动态", entries=[entry("/b.html", date(2024, 1, 2))]
    )
    columns = discover_columns(
        Snapshot(first, later).pages(), load_categories(), {}, url_key(HOST + "/")
    )
    assert [c.url for c in columns] == [HOST + "/xwzx/ywdt/"]


def test_stale_and_just_inside_limits():
    pages = [
        stored("/n1/", name="工作动态", entries=[entry("/1.html", date(2024, 11, 11))]),  # 14 d
        stored("/n2/", name="部门动态", entries=[entry("/2.html", date(2024, 11, 10))]),  # 15 d
        stored("/p1/", name="政策文件", entries=[entry("/3.html", date(2024, 5, 29))]),  # 180 d
        stored("/p2/", name="通知公告", entries=[entry("/4.html", date(2024, 5, 28))]),  # 181 d
        stored("/r1/", name="人事任免", entries=[entry("/5.html", date(2023, 11, 26))]),  # 365 d
        stored("/s1/", name="机构职能", entries=[entry("/6.html", date(2015, 1, 1))]),
        stored("/u1/", name="专题专栏", entries=[entry("/7.html", date(2015, 1, 1))]),
    ]
    found = {(f.page_url, f.details["days_since"], f.details["category"]) for f in stale(*pages)}
    assert found == {(HOST + "/n2/", 15, "news"), (HOST + "/p2/", 181, "notice")}


def test_pinned_entries_neither_freshen_nor_stale():
    fresh = stored(
        "/a/",
        name="工作动态",
        entries=[entry("/old.html", date(2023, 1, 5), pinned=True), entry("/new.html", TODAY)],
    )
    old = stored(
        "/b/",
        name="公示公告",
        entries=[entry("/p.html", TODAY, pinned=True), entry("/o.html", date(2024, 4, 1))],
    )
    (finding,) = stale(fresh, old)
    assert finding.page_url == HOST + "/b/"
    assert finding.details["last_published"] == "2024-04-01"
    assert finding.details["days_since"] == 238 and finding.details["max_age_days"] == 180


def test_entry_dates_fall_back_to_the_articles_pubdate():
    article = stored("/a/content_1.html", kind="article", published=date(2024, 10, 1))
    column = stored("/a/", name="媒体聚焦", entries=[entry("/a/content_1.html", None)])
    (finding,) = stale(column, article)
    assert finding.details["last_published"] == "2024-10-01"


def test_undated_entries_count_as_not_updated():
    column = stored("/a/", name="要闻", entries=[entry("/x.html", None)])
    (finding,) = stale(column)
    assert finding.details["last_published"] is None and finding.details["days_since"] is None


def test_config_overrides_name_category_and_unit():
    page = stored("/sfj/", name="司法局", entries=[entry("/1.html", date(2024, 1, 2))])
    override = ColumnOverride(
        url=HOST + "/sfj/", category="notice", unit="市司法局", name="司法公告"
    )
    (finding,) = stale(page, overrides={url_key(HOST + "/sfj/"): override})
    assert (finding.unit, finding.details["column_name"], finding.details["category"]) == (
        "市司法局",
        "司法公告",
        "notice",
    )


def test_home_page_is_not_a_column():
    home = stored("/", name="首页", entries=[entry("/1.html", date(2020, 1, 1))])
    assert stale(home) == []


def blank(*pages):
    return list(BlankColumnDetector(load_categories(), {}).check(Snapshot(*pages)))


def test_blank_columns():
    empty = stored("/a/", name="工作计划")
    placeholder = stored("/b/", name="重点项目", content_chars=4, placeholder=True)
    explained = stored("/c/", name="应急管理", content_chars=40, placeholder=True, note=True)
    service = stored("/d/", name="在线服务", content_chars=120)
    article = stored("/e/1.html", kind="article", name="某文章")
    with_entries = stored("/f/", name="通知公告", entries=[entry("/1.html", TODAY)])
    scripted = stored("/g/", name="政务公开", widgets=1)  # an Ajax list, a form, a frame
    found = blank(empty, placeholder, explained, service, article, with_entries, scripted)
    assert sorted(f.details["column_name"] for f in found) == ["工作计划", "重点项目"]
    assert all(f.severity == "high" and f.key == "column" for f in found)
    assert "暂无信息" in next(f.message for f in found if f.details["column_name"] == "重点项目")


def test_check_config_reports_a_broken_category_file(tmp_path: Path, monkeypatch):
    from click.testing import CliRunner

    from detectors import column_categories
    from govwatch.cli import cli

    bad = tmp_path / "categories.yaml"
    bad.write_text("categories:\n  - id: news\n    max_age_days: soon\n    keywords: [动态]\n")
    monkeypatch.setattr(column_categories, "CATEGORIES_FILE", bad)
    config = tmp_path / "site.yaml"
    config.write_text(
        'site: {id: t, name: 测试, start_urls: ["http://127.0.0.1:1/"]}\n', encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["check-config", str(config)])
    assert result.exit_code == 2
    assert f"{bad}:2: max_age_days 应为正整数或 null" in result.output


def _columns(*pages):
    return discover_columns({p.key: p for p in pages}, load_categories(), {}, url_key(HOST + "/"))


def test_search_pages_hubs_and_articles_are_never_columns():
    old = [entry("/a/202001/t20200101_1.html", date(2020, 1, 1))]
    pages = [
        stored("/irs-c-web/search.shtml", "search", entries=old),
        stored("/zfxxgkzn/", "hub", "政府信息公开指南", entries=[entry("/gszbm/a1/", None)] * 5),
        stored("/news/t20200101_1.html", "article", "某文章", entries=old),
        stored("/xwzx/", "list", "新闻中心", entries=old),
    ]
    assert [c.url for c in _columns(*pages)] == [HOST + "/xwzx/"]
    assert [f.page_url for f in stale(*pages)] == [HOST + "/xwzx/"]


def test_a_sub_sites_home_is_a_column_the_sites_home_is_not():
    old = [entry("/a/202001/t20200101_1.html", date(2020, 1, 1))]
    sub = PageFacts("http://xxgk.example.gov.cn/", "home", "信息公开", entries=old)
    home = stored("/", "home", "首页", entries=old)
    assert [c.url for c in _columns(sub, home)] == ["http://xxgk.example.gov.cn/"]


def test_a_site_wide_column_name_gives_way_to_the_breadcrumb_or_headline():
    site = "邯郸市政府信息公开"
    dated = [entry("/x/202008/t20200805_1.html", date(2020, 8, 5))]
    pages = [
        stored("/zfwj/jinqixxgk/", name=site, headline="近期信息公开", entries=dated),
        stored("/zfwj/szfwj/", name=site, crumbs=["政府文件", "市政府文件"], entries=dated),
        stored("/zfwj/bmwj/", name=site, headline="部门文件", entries=dated),
    ]
    assert [c.name for c in _columns(*pages)] == ["部门文件", "近期信息公开", "市政府文件"]
    # one page: the meta holds while the breadcrumb agrees, the breadcrumb wins otherwise
    agrees = stored("/xxgk/tzgg/", name="通知公告", crumbs=["信息公开", "通知公告"], entries=dated)
    differs = stored("/zfwj/jqxx/", name=site, crumbs=["政府文件", "近期信息公开"], entries=dated)
    assert [c.name for c in _columns(agrees, differs)] == ["通知公告", "近期信息公开"]


def test_hanweb_jpage_pages_are_the_same_column():
    first = f"{HOST}/col/col1621004/index.html"
    assert first_page_key(first + "?uid=4018&pageNum=3") == url_key(first)
    # a uid without a page number is another page
    assert first_page_key(first + "?uid=4018") != url_key(first)


def test_a_sub_sites_home_without_dates_is_not_a_column():
    # its undated links are kept for 首页不更新 to date by their pages, not judged as a column
    undated = [entry(f"/yaowen/content_{i}.htm", None) for i in range(3)]
    sub = PageFacts("http://xxgk.example.gov.cn/", "home", "信息公开", entries=undated)
    assert _columns(sub) == []
    assert stale(sub) == []


# ---- the site's template: a sidebar of the same links on every column page ----------------

SIDEBAR = [
    ("/zwgk/ldzc/", date(2021, 3, 1)),
    ("/zwgk/jgzn/", None),
    ("/zwgk/ghjh/", date(2020, 6, 5)),
]


def county_portal(*extra):
    """Four columns that each list their own items beside the same sidebar of 3 links."""
    pages = []
    for n, name in enumerate(("要闻动态", "部门动态", "乡镇动态", "通知公告")):
        own = [entry(f"/col{n}/202411/t2024111{n}_1.html", date(2024, 11, 18 + n))]
        sidebar = [entry(path, day) for path, day in SIDEBAR]
        pages.append(stored(f"/col{n}/", name=name, entries=own + sidebar, content_chars=120))
    return (*pages, *extra)


def test_template_links_are_learnt_from_the_columns_that_share_them():
    pages = {p.key: p for p in county_portal()}
    template = template_entry_keys(pages)
    assert template == {url_key(HOST + path) for path, _ in SIDEBAR}
    assert template_entry_keys(dict(list(pages.items())[:2])) == frozenset()  # too few columns


def test_a_placeholder_beside_only_the_sidebar_is_a_blank_column_not_a_stale_one():
    empty = stored(
        "/col9/",
        name="工作动态",
        entries=[entry(path, day) for path, day in SIDEBAR],
        placeholder=True,
        content_chars=len("暂无信息") + sum(len(path) for path, _ in SIDEBAR),
    )
    pages = county_portal(empty)
    assert [f.details["column_name"] for f in blank(*pages)] == ["工作动态"]
    assert [f.details["column_name"] for f in stale(*pages)] == []


def test_a_column_with_items_of_its_own_is_not_blank():
    """A column that also says 暂无信息 somewhere is not blank while it lists its own."""
    pages = county_portal()
    assert stale(*pages) == [] and blank(*pages) == []
    mixed = stored(
        "/col8/",
        name="政务动态",
        entries=[entry("/col8/a.html", date(2024, 11, 20))]
        + [entry(path, day) for path, day in SIDEBAR],
        placeholder=True,
        content_chars=200,
    )
    assert blank(*county_portal(mixed)) == []


FRESH_SIDEBAR = [
    ("/zwgk/zxdt/202411/t20241122_1.html", date(2024, 11, 22)),
    ("/zwgk/zxdt/202411/t20241115_2.html", date(2024, 11, 15)),
]


def test_a_fresh_sidebar_does_not_hide_a_stale_column():
    """The template's fresh links beside a column's own old list are not the column's."""
    pages = []
    for n, name in enumerate(("要闻动态", "部门动态", "乡镇动态", "通知公告")):
        day = date(2024, 11, 18 + n) if n < 3 else date(2023, 6, 1)  # 通知公告 is stale
        own = [entry(f"/col{n}/202411/t2024111{n}_1.html", day)]
        sidebar = [entry(path, when) for path, when in FRESH_SIDEBAR]
        pages.append(stored(f"/col{n}/", name=name, entries=own + sidebar, content_chars=120))
    found = stale(*pages)
    assert [f.details["column_name"] for f in found] == ["通知公告"]
    # the column whose newest items the sidebar shows keeps them: they sit under its path
    zxdt = stored(
        "/zwgk/zxdt/",
        name="最新动态",
        entries=[entry(p, d) for p, d in FRESH_SIDEBAR]
        + [entry("/zwgk/zxdt/old.html", date(2022, 1, 4))],
    )
    assert [f.details["column_name"] for f in stale(*pages, zxdt)] == ["通知公告"]
    # a site-wide 最新发布 box shows a rarely updated column's newest item (a Hanweb URL,
    # under no column's path): the column lists it too, so it stays the column's own
    newest = ("/art/2024/11/20/art_1234_5678.html", date(2024, 11, 20))
    boxed = [
        stored(
            p.url.removeprefix(HOST),
            name=p.headline,
            entries=[*p.entries, entry(*newest)],
            content_chars=120,
        )
        for p in pages
    ]
    gsgg = stored(
        "/col/col1234/index.html",
        name="公示公告",
        entries=[entry(*newest), entry("/art/2024/3/1/art_1234_5000.html", date(2024, 3, 1))]
        + [entry(*newest)]
        + [entry(p, d) for p, d in FRESH_SIDEBAR],
    )
    assert [f.details["column_name"] for f in stale(*boxed, gsgg)] == ["通知公告"]


def test_without_a_placeholder_sidebar_links_still_count_as_the_columns_entries():
    """Precision: only a page that says it is empty loses the template's links."""
    only_sidebar = stored(
        "/col7/", name="政策解读", entries=[entry(p, d) for p, d in SIDEBAR], content_chars=60
    )
    assert blank(*county_portal(only_sidebar)) == []
