from __future__ import annotations

from datetime import date

import pytest

from detectors.dates import list_date, parse_date, publication_date, url_date


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
