"""Pairing policy documents with interpretations, each reason, and working-day edges."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from common.urls import url_key
from detectors.holiday_schedule import official_calendar
from detectors.missing_interpretation import MissingInterpretationDetector
from detectors.page_facts import ListEntry, PageFacts

HOST = "http://www.example.gov.cn"
DOC_COL = HOST + "/zcwj/"
JD_COL = HOST + "/zcjd/"


def page(path, kind="article", headline="", published=None, number=None, cites=None, **kw):
    return PageFacts(
        url=HOST + path,
        kind=kind,
        column_name=kw.get("column_name", ""),
        column_type=kw.get("column_type", ""),
        crumbs=[],
        headline=headline,
        published=published,
        document_number=number,
        cites=cites or {},
        content_chars=0,
        placeholder=False,
        note=False,
        entries=kw.get("entries", []),
    )


def listed(path: str, day: date | None = None) -> ListEntry:
    return ListEntry(HOST + path, path, "", day, False)


class Snapshot:
    def __init__(self, pages, links):
        self._pages = {p.key: p for p in pages}
        self._links = {
            url_key(HOST + a): {url_key(HOST + b) for b in bs} for a, bs in links.items()
        }

    def pages(self):
        return self._pages

    def outlinks(self, keys):
        return {k: v for k, v in self._links.items() if k in keys}


DOC = "/zcwj/202409/t20240927_1.html"
JD = "/zcjd/202410/t20241008_2.html"
TITLE = "某市人民政府关于印发某市医疗救助办法的通知"


def run(doc_day, jd_day, links, jd_headline="《某市医疗救助办法》解读", cites=None, days=3):
    pages = [
        page("/zcwj/", "list", entries=[listed(DOC)]),
        page("/zcjd/", "list", entries=[listed(JD)]),
        page(DOC, headline=TITLE, published=doc_day, number="某府规〔2024〕3号"),
        page(JD, headline=jd_headline, published=jd_day, cites=cites),
    ]
    detector = MissingInterpretationDetector([DOC_COL], [JD_COL], days)
    return list(detector.check(Snapshot(pages, links)))


BOTH = {DOC: [JD], JD: [DOC]}


@pytest.mark.parametrize(
    "doc_day, jd_day, late",
    [
        (date(2024, 9, 27), date(2024, 10, 8), False),  # Sun 29 Sep worked, 1–7 Oct off: 3
        (date(2024, 9, 27), date(2024, 10, 9), True),  # 4
        (date(2024, 9, 30), date(2024, 10, 10), False),  # 8, 9, 10 Oct: 3
        (date(2024, 9, 30), date(2024, 10, 11), True),  # 4
        (date(2024, 11, 22), date(2024, 11, 27), False),  # Fri → Wed: Mon, Tue, Wed
        (date(2024, 11, 22), date(2024, 11, 28), True),
        (date(2024, 11, 22), date(2024, 11, 22), False),  # the same day
        (date(2025, 1, 24), date(2025, 2, 6), True),  # Sun 26 Jan worked, 28 Jan–4 Feb off: 4
        (date(2025, 1, 24), date(2025, 1, 27), False),  # 26 (Sun, worked), 27: 2
    ],
)
def test_late_by_working_days(doc_day, jd_day, late):
    found = run(doc_day, jd_day, BOTH)
    assert [f.details["reason"] for f in found] == (["late"] if late else [])
    if late:
        assert found[0].details["working_days"] > 3
        assert found[0].details["interpretation_published"] == jd_day.isoformat()


def test_none_when_nothing_pairs():
    (finding,) = run(date(2024, 9, 27), date(2024, 10, 8), {}, jd_headline="另一项政策的解读")
    assert finding.details["reason"] == "none" and finding.details["interpretation_url"] is None
    assert finding.details["document_number"] == "某府规〔2024〕3号"
    assert finding.details["published"] == "2024-09-27"
    assert finding.page_url == HOST + DOC


@pytest.mark.parametrize("links", [{JD: [DOC]}, {DOC: [JD]}])
def test_linked_one_way_only(links):
    (finding,) = run(date(2024, 9, 27), date(2024, 10, 8), links)
    assert finding.details["reason"] == "not_linked_back"
    assert finding.details["interpretation_url"] == HOST + JD


def test_paired_by_quoted_title_or_number_is_not_linked():
    by_title = run(date(2024, 9, 27), date(2024, 10, 8), {}, cites={"titles": ["某市医疗救助办法"]})
    by_number = run(
        date(2024, 9, 27),
        date(2024, 10, 8),
        {},
        jd_headline="政策问答",
        cites={"numbers": ["印发了某府规〔2024〕3号"]},
    )
    for found in (by_title, by_number):
        assert [f.details["reason"] for f in found] == ["not_linked_back"]


def test_late_and_not_linked_are_two_findings():
    found = run(date(2024, 9, 27), date(2024, 10, 9), {JD: [DOC]})
    assert sorted(f.details["reason"] for f in found) == ["late", "not_linked_back"]
    assert len({f.fingerprint for f in found}) == 2


DAY = date(2024, 3, 1)


def test_documents_recognised_without_configuration():
    pages = [
        page(
            "/a/1.html", headline="关于印发某办法的通知", published=DAY, number="某府发〔2024〕1号"
        ),
        page("/a/2.html", headline="关于某项目的新闻", published=DAY),
        page("/a/3.html", headline="某市城区停车管理办法", published=DAY, column_type="政策文件"),
        page("/a/4.html", headline="《某办法》政策解读", published=DAY, number=None),
    ]
    detector = MissingInterpretationDetector([], [], 3)
    found = {f.page_url for f in detector.check(Snapshot(pages, {}))}
    assert found == {HOST + "/a/1.html", HOST + "/a/3.html"}


def test_without_configuration_only_pages_that_read_as_policy_are_documents():
    typed = {"column_type": "政策文件"}
    pages = [
        # ordinary news in a column typed 政策文件, no 文号
        page("/b/1.html", headline="我县召开2024年春季森林防火工作会议", published=DAY, **typed),
        page("/b/2.html", headline="县领导调研乡村振兴工作", published=DAY, **typed),
        # a 函 on an activity and a penalty table carry a 文号 but are no policy
        page(
            "/b/3.html",
            headline="教育部办公厅关于举办2024年高校宣传教育活动的通知",
            published=DAY,
            number="教思政厅函〔2024〕10号",
        ),
        page(
            "/b/4.html",
            headline="浙江监管局行政处罚信息公开表（浙金罚决字〔2024〕52号）",
            published=DAY,
            number="浙金罚决字〔2024〕52号",
        ),
        page("/b/5.html", headline="关于某某同志职务任免的通知", number="某府任〔2024〕2号"),
        page("/b/6.html", headline="关于《某某管理办法（征求意见稿）》公开征求意见的公告", **typed),
        # policy: 实施意见, 印发…方案, a 规定 in a typed column
        page("/b/7.html", headline="关于促进建筑业健康发展的实施意见", number="某府〔2024〕3号"),
        page("/b/8.html", headline="关于印发全市安全专项整治三年行动实施方案的通知", **typed),
        page("/b/9.html", headline="某市养犬管理规定", **typed),
    ]
    detector = MissingInterpretationDetector([], [], 3)
    found = {f.page_url.rsplit("/", 1)[1] for f in detector.check(Snapshot(pages, {}))}
    assert found == {"7.html", "8.html", "9.html"}


def test_configured_document_columns_are_authoritative():
    news_col = HOST + "/zcwj/"
    pages = [
        page("/zcwj/", "list", entries=[listed("/zcwj/1.html")]),
        page("/zcwj/1.html", headline="关于印发某某办法的通知", published=DAY),
        # a policy-typed column the operator did not list, with a 文号 even
        page("/bmwj/1.html", headline="某局关于印发某某方案的通知", number="某局发〔2024〕1号"),
        page("/bmwj/2.html", headline="某局召开工作会议", column_type="政策文件"),
    ]
    detector = MissingInterpretationDetector([news_col], [], 3)
    found = {f.page_url for f in detector.check(Snapshot(pages, {}))}
    assert found == {HOST + "/zcwj/1.html"}


def test_a_year_without_a_schedule_is_estimated_and_says_so(caplog):
    """2027 is in neither chinesecalendar nor the holiday file: weekends and the estimated
    National Day (1–5 Oct) are off, and the finding says its count is an estimate."""
    official_calendar.cache_clear()
    with caplog.at_level(logging.WARNING):
        (found,) = run(date(2027, 9, 24), date(2027, 10, 8), BOTH)
    assert found.details["reason"] == "late"
    assert found.details["working_days"] == 7  # 27–30 Sep, 6–8 Oct
    assert found.details["calendar_note"] == "按估算的节假日计算（2027 年的节假日安排尚未收录）"
    assert "7 个工作日（按估算的节假日计算" in found.message
    assert "2027 年的法定节假日安排未收录" in caplog.text


def test_an_announced_year_carries_no_estimate_note():
    (found,) = run(date(2024, 9, 27), date(2024, 10, 9), BOTH)
    assert "calendar_note" not in found.details and "估算" not in found.message
