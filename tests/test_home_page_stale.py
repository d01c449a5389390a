"""首页不更新 on the home page's entries, their URLs and the pages they link to."""

from __future__ import annotations

from datetime import date

from common.urls import url_key
from detectors.home_page_stale import HomePageStaleDetector
from detectors.page_facts import ListEntry, PageFacts
from detectors.site_subject import HomeListing

HOST = "http://www.example.gov.cn"
TODAY = date(2024, 11, 25)


class Subject:
    scan_id = 2
    home_key = url_key(HOST + "/")

    def __init__(self, entries, articles=(), earlier=()):
        self._pages = {p.key: p for p in articles}
        self._listings = [HomeListing(1, date(2024, 10, 1), tuple(earlier))] if earlier else []
        self._listings.append(HomeListing(2, TODAY, tuple(entries)))

    def pages(self):
        return self._pages

    def home_listings(self):
        return self._listings


def undated(path: str) -> ListEntry:
    return ListEntry(HOST + path, path, "", None, False)


def article(path: str, published: date | None) -> PageFacts:
    return PageFacts(HOST + path, "article", headline=path, published=published)


def check(subject) -> list:
    return list(HomePageStaleDetector(HOST + "/", TODAY).check(subject))


def test_a_home_page_without_dates_is_dated_by_the_pages_it_links_to():
    # www.gov.cn: updated daily, no date printed on the home page
    entries = [undated("/yaowen/202411/content_1.htm"), undated("/zhengce/202411/content_2.htm")]
    fresh = [article(entries[0].url[len(HOST) :], date(2024, 11, 24))]
    assert check(Subject(entries, fresh)) == []
    old = [
        article("/yaowen/202411/content_1.htm", date(2024, 10, 2)),
        article("/zhengce/202411/content_2.htm", date(2024, 9, 30)),
    ]
    (finding,) = check(Subject(entries, old))
    assert finding.severity == "veto" and finding.details["last_new_content"] == "2024-10-02"


def test_a_linked_page_re_dated_does_not_make_an_old_entry_new():
    entry = undated("/yaowen/content_1.htm")
    relabelled = [article("/yaowen/content_1.htm", date(2024, 11, 24))]
    (finding,) = check(Subject([entry], relabelled, earlier=[entry]))  # first seen 10-01
    assert finding.details["last_new_content"] == "2024-10-01"


def test_nothing_to_date_the_home_page_by_is_no_veto():
    entries = [undated("/a.html"), undated("/b.html")]
    not_articles = [PageFacts(HOST + "/a.html", "list", headline="栏目", published=None)]
    assert check(Subject(entries, [article("/b.html", None), *not_articles])) == []
    assert check(Subject([])) == []


def test_dates_beside_entries_or_in_their_urls_come_first():
    dated = ListEntry(HOST + "/xw/202411/t20241120_1.html", "新闻", "", date(2024, 11, 20), False)
    stale_page = [article("/xw/202411/t20241120_1.html", date(2024, 1, 1))]
    assert check(Subject([dated], stale_page)) == []
