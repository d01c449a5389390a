from __future__ import annotations

from datetime import date

from detectors.dates import parse_date, publication_date


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
