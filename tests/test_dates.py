from __future__ import annotations

from datetime import date

import pytest

from detectors.dates import (
    list_date,
    parse_date,
    publication_date,
    publication_evidence,
    url_date,
)


def test_formats():
    assert parse_date("2024-07-19 10:30") == date(2024, 7, 19)
    assert parse_date("2020年08月02日") == date(2020, 8, 2)
    assert parse_date("2007-08-20-23:59:59") == date(2007, 8, 20)
    assert parse_date("2024/7/9") == date(2024, 7, 9)
    assert parse_date("2024.07.19") == date(2024, 7, 19)
    assert parse_date("2024-02-30") is None
    assert parse_date("") is None


def test_publication_date_sources():
    assert publication_date({"PubDate": "2019-01-05 09:00"}) == date(2019, 1, 5)
    assert publication_date({"firstpublishedtime": "2007-08-20-23:59:59"}) == date(2007, 8, 20)
    assert publication_date({}, "来源：县政府办 发布时间：2024年7月19日 浏览次数") == date(
        2024, 7, 19
    )
    assert publication_date({}, "没有日期") is None


TODAY = date(2024, 11, 25)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("  2024-07-19  ", date(2024, 7, 19)),
        ("\n\t2024-07-19\r\n", date(2024, 7, 19)),
        ("[2024-07-19]", date(2024, 7, 19)),
        ("2024/7/19", date(2024, 7, 19)),
        ("2024/07/19", date(2024, 7, 19)),
        ("2024.07.19", date(2024, 7, 19)),
        ("2024年7月19日", date(2024, 7, 19)),
        ("2024年07月19日 10:30", date(2024, 7, 19)),
        ("07-19", date(2024, 7, 19)),
        ("[07-19]", date(2024, 7, 19)),
        ("【11-25】", date(2024, 11, 25)),  # the scan day itself
        ("7月19日", date(2024, 7, 19)),
        ("", None),
        ("10:30", None),
        ("2024", None),
        ("02-30", None),
    ],
)
def test_list_date_formats(text, expected):
    assert list_date(text, TODAY) == expected


def test_year_less_dates_across_the_new_year():
    # the latest such day not after the scan day
    assert list_date("[12-30]", TODAY) == date(2023, 12, 30)
    assert list_date("11-26", TODAY) == date(2023, 11, 26)
    assert list_date("12-30", date(2025, 1, 3)) == date(2024, 12, 30)
    assert list_date("01-02", date(2025, 1, 3)) == date(2025, 1, 2)
    assert list_date("02-29", date(2025, 3, 1)) == date(2024, 2, 29)  # leap day: last one


def test_url_dates():
    assert url_date("http://x.gov.cn/xxgk/202407/t20240719_3512.html") == date(2024, 7, 19)
    assert url_date("http://x.gov.cn/art/2024/7/9/art_1229_3512.html") == date(2024, 7, 9)
    assert url_date("http://www.gov.cn/zhengce/2024-07/19/content_6963.htm") == date(2024, 7, 19)
    assert url_date("http://x.gov.cn/xxgk/t20241340_1.html") is None
    assert url_date("http://x.gov.cn/news/123.html") is None


def test_pubdate_fallback_forms():
    assert publication_date({"PubDate": "2020年08月02日"}) == date(2020, 8, 2)
    assert publication_date({"pubdate": "2024-07-19"}) == date(2024, 7, 19)
    assert publication_date({}, "发布日期：2024-07-19  来源：市政府办") == date(2024, 7, 19)


# -- publication dates from evidence ---------------------------------------------------

TITLE = "县政府召开全县安全生产工作会议"


def evidence(text: str, meta: dict | None = None, url: str = "", headline: str = TITLE):
    found = publication_evidence(meta or {}, text, url, headline)
    return (found.published, found.source) if found else None


def test_labelled_date_beats_meta_and_url():
    text = f"首页 > 工作动态\n{TITLE}\n发布时间：2024-07-19 来源：县政府办\n正文……"
    meta = {"PubDate": "2024-08-01 10:00"}
    url = "http://x.gov.cn/xxgk/202406/t20240601_1.html"
    assert evidence(text, meta, url) == (date(2024, 7, 19), "label")


def test_unlabelled_date_on_the_source_line():
    # 振兴东北网: "2005年08月16日 来源：新华网" under the headline, no 发布时间 label
    text = (
        f"当前位置：首页｜人物专访\n{TITLE}\nwww.example.gov.cn\n"
        "2005年08月16日 来源：新华网\n记者……"
    )
    assert evidence(text) == (date(2005, 8, 16), "line")


def test_unlabelled_date_on_the_headline_line_or_just_under_it():
    assert evidence(f"{TITLE} 2023-08-19 来源：解放日报\n字号：大 中 小") == (
        date(2023, 8, 19),
        "line",
    )
    assert evidence(f"新闻发布\n{TITLE}\n( 2022-04-26)\n市卫健委今早通报……") == (
        date(2022, 4, 26),
        "line",
    )


def test_a_date_in_the_headline_or_the_first_sentence_is_not_the_date_line():
    headline = "上海2022年4月25日新增本土确诊病例1661例"
    text = f"{headline}\n2022年4月25日0—24时，新增本土新冠肺炎确诊病例1661例，含968例无症状感染者"
    assert evidence(text, headline=headline) is None
    assert evidence(f"{TITLE}\n2024年7月19日上午，县长主持召开会议。") is None


def test_a_header_clock_before_the_headline_is_not_the_date():
    text = f"万载县人民政府\n| 2023年10月11日 星期三\n网站首页\n{TITLE}\n正文"
    assert evidence(text, {"PubDate": "2017-05-15"}) == (date(2017, 5, 15), "meta")


def test_dates_of_a_sidebar_far_from_the_headline_are_not_the_articles():
    sidebar = "\n".join(f"相关新闻{i} 发布时间：2024-0{i}-01" for i in range(1, 4))
    text = f"{TITLE}\n{'正文内容。' * 1200}\n{sidebar}"
    assert evidence(text, url="http://x.gov.cn/news/1.html") is None
    # the nearest labelled date to the headline wins
    text = f"最新发布 发布时间：2024-01-01\n{TITLE}\n发布时间：2024-07-19\n正文"
    assert evidence(text) == (date(2024, 7, 19), "label")


def test_other_words_ending_in_time_are_not_labels():
    text = (
        f"{TITLE}\n请问如何查询许可证？\n留言时间： 2025-04-27\n"
        "公示时间：2025年8月4日－2025年8月8日"
    )
    assert evidence(text) is None
    assert evidence(f"{TITLE}\n时间：2024-07-19 来源：办公室") == (date(2024, 7, 19), "line")


def test_written_dates_rank_below_the_publication_tag():
    text = f"索引号：001\n生成日期：\n2023-05-11\n{TITLE}\n正文"
    assert evidence(text, {"PubDate": "2023-05-20"}) == (date(2023, 5, 20), "meta")
    assert evidence(text) == (date(2023, 5, 11), "written")
    # 成文日期 and 发布日期 both shown: the publication date
    text = f"{TITLE}\n成文日期：2024-06-04\n发布日期：2024-06-13"
    assert evidence(text) == (date(2024, 6, 13), "label")


def test_a_pubdate_that_is_the_page_generation_time_gives_way():
    # 江西集约化: PubDate is the day the platform regenerated the page
    meta = {"PubDate": "2023-08-16 10:33:59", "others": "页面生成时间 2023-08-16 10:33:59"}
    text = f"{TITLE}\n生成日期：\n2023-05-11\n正文"
    assert evidence(text, meta) == (date(2023, 5, 11), "written")
    assert evidence("正文", meta) == (date(2023, 8, 16), "generated")


def test_meta_names_and_url_as_last_resort():
    for name in ("PubDate", "publishdate", "ArticlePubDate", "firstpublishedtime"):
        assert evidence("正文", {name: "2024-07-19 10:30"}) == (date(2024, 7, 19), "meta")
    assert evidence("正文", url="http://x.gov.cn/art/2024/7/9/art_1_2.html") == (
        date(2024, 7, 9),
        "url",
    )


def test_more_url_date_patterns():
    assert url_date("http://www.chinaneast.gov.cn/jizhe/2005-08/16/content_4894059.htm") == date(
        2005, 8, 16
    )
    assert url_date("https://www.shanghai.gov.cn/nw4411/20230819/0000000000024.html") == date(
        2023, 8, 19
    )
    assert url_date("http://x.people.com.cn/n1/2024/0719/c1001-4026.html") == date(2024, 7, 19)
    assert url_date("http://x.gov.cn/2024/07/19/abc.html") == date(2024, 7, 19)
    assert url_date("http://x.gov.cn/news/12345678/1.html") is None  # not a date
    assert url_date("http://x.gov.cn/list.jsp?d=/20240719/") is None  # the query is not the path


def test_headline_skips_the_sites_logo():
    from crawler.page_links import page_title
    from detectors.page import page_headline, parse_html

    def headline(html: str, meta: dict | None = None) -> str:
        root = parse_html(html.encode())
        return page_headline(meta or {}, page_title(root), root)

    logo = '<a href="/"><h1 class="zz-name">万载县人民政府-</h1></a>'
    title = "<title>万载县人民政府 | 万载县2015年国民经济和社会发展统计公报</title>"
    assert headline(f"<html><head>{title}</head><body>{logo}</body></html>") == (
        "万载县2015年国民经济和社会发展统计公报"
    )
    article = '<h1 class="article-title">万载县2022年统计公报</h1>'
    assert headline(f"<html><head>{title}</head><body>{logo}{article}</body></html>") == (
        "万载县2022年统计公报"
    )
    site = '<h1>国家金融监督管理总局</h1><h1>行政处罚信息公开表</h1>'
    assert headline(f"<html><body>{site}</body></html>", {"SiteName": "国家金融监督管理总局"}) == (
        "行政处罚信息公开表"
    )
    assert headline("<html><head><title>通知公告_某市人民政府</title></head></html>") == "通知公告"


def test_breadcrumb_label_stands_in_for_a_missing_headline():
    nav = "导航栏目 " * 800
    text = f"{nav}\n当前位置： 首页\n行政处罚\n发布时间：2025-06-03 来源：浙江监管局\n正文"
    assert evidence(text, headline="国家金融监督管理总局") == (date(2025, 6, 3), "label")
