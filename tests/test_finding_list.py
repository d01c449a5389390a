"""The review app's findings list, counts and trend: filters, sorting, pages, access —
on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from storage.access import Access
from storage.finding_list import (
    SEARCH_SORT_MAX,
    FindingQuery,
    QueryError,
    all_findings,
    counts_by,
    counts_by_each,
    list_findings,
    trend,
)
from storage.reviews import apply_review
from tests.review_db import Row, build

ADMIN = Access.admin()
OFFICE = Access(role="unit", unit="办公室", name="小王")
JUSTICE = Access(role="unit", unit="司法局", name="小李")

ROWS = [
    Row(
        "a",
        severity="veto",
        detector="term",
        message="错误表述“国务院办公厅”",
        details={"term": "示例词", "context": "……示例词……"},
    ),
    Row("b", severity="high", first_seen="2024-11-11", deadline="2024-11-18"),
    Row("c", unit="司法局", severity="low", status="fixed", scan=1),
    Row("d", unit="司法局", severity="medium", status="false_positive"),
    Row(
        "e",
        severity="medium",
        status="confirmed",
        deadline="2024-11-29",
        message="100%_完成 的链接",
    ),
]


@pytest.fixture
def listed(db_url):
    db, ids = build(db_url, ROWS)
    yield db, ids
    db.dispose()


def keys(db, ids, access=ADMIN, **params) -> list[str]:
    by_id = {v: k for k, v in ids.items()}
    with db.session() as session:
        page, _total = list_findings(
            session, FindingQuery(today=date(2024, 11, 25), **params), access
        )
        return [by_id[f.id] for f in page]


def total(db, access=ADMIN, **params) -> int:
    with db.session() as session:
        return list_findings(session, FindingQuery(today=date(2024, 11, 25), **params), access)[1]


def test_each_filter(listed):
    db, ids = listed
    everything = set(ids)
    assert set(keys(db, ids)) == everything
    assert set(keys(db, ids, site="s")) == everything
    assert keys(db, ids, site="other") == []
    assert set(keys(db, ids, scan="latest")) == everything - {"c"}
    assert keys(db, ids, scan=1) == ["c"]
    assert keys(db, ids, scan=1, site="other") == []
    assert set(keys(db, ids, unit="司法局")) == {"c", "d"}
    assert keys(db, ids, detector="term") == ["a"]
    assert keys(db, ids, severity="high") == ["b"]
    assert set(keys(db, ids, status="open")) == {"a", "b"}
    assert set(keys(db, ids, status=("fixed", "false_positive"))) == {"c", "d"}
    # overdue: unresolved and past the deadline (e's is to come; c is fixed)
    assert keys(db, ids, overdue=True) == ["b"]


def test_text_search_reads_message_url_and_details(listed):
    db, ids = listed
    assert keys(db, ids, q="国务院") == ["a"]
    assert keys(db, ids, q="示例词") == ["a"]  # only in details (stored JSON-escaped)
    assert keys(db, ids, q="B.HTML") == ["b"]  # Latin letters in any case
    assert keys(db, ids, q="100%_") == ["e"]  # % and _ are themselves, not wildcards
    assert keys(db, ids, q="%") == ["e"]
    assert keys(db, ids, q="_") == ["e"]
    assert keys(db, ids, q="   ") == keys(db, ids)  # blank: no search


def test_unit_filter_and_access_follow_a_reassignment(listed):
    db, ids = listed
    with db.session() as session:
        apply_review(
            session, ids["b"], actor="运维", access=ADMIN, action="reassign", unit="司法局"
        )
    assert set(keys(db, ids, unit="司法局")) == {"b", "c", "d"}
    assert set(keys(db, ids, JUSTICE)) == {"b", "c", "d"}
    assert set(keys(db, ids, OFFICE)) == {"a", "e"}
    # a unit editor filtering on another unit gets nothing, not that unit's findings
    assert keys(db, ids, OFFICE, unit="司法局") == []
    assert keys(db, ids, Access(role="unit")) == []
    assert total(db, OFFICE, q="b.html") == 0


def test_sorts_and_pages(listed):
    db, ids = listed
    assert keys(db, ids, sort="severity") == ["a", "b", "d", "e", "c"]
    assert keys(db, ids, sort="severity", desc=False) == ["c", "e", "d", "b", "a"]
    # by unit (in the database's collation), then by id: the units' findings together
    assert keys(db, ids, sort="unit", desc=False) in (
        ["a", "b", "e", "c", "d"],
        ["c", "d", "a", "b", "e"],
    )
    assert keys(db, ids, sort="first_seen", desc=False)[0] == "b"
    assert keys(db, ids, sort="detector", desc=False)[0] != "a"  # term sorts after broken_link
    assert keys(db, ids, sort="last_seen")[-1] == "c"  # seen by scan 1 only
    first = keys(db, ids, sort="severity", per_page=2)
    second = keys(db, ids, sort="severity", per_page=2, page=2)
    third = keys(db, ids, sort="severity", per_page=2, page=3)
    assert first + second + third == keys(db, ids, sort="severity")
    assert keys(db, ids, per_page=2, page=9) == []
    assert total(db, per_page=2, page=9) == 5
    # a search pages and counts like any list
    assert keys(db, ids, q="问题", sort="severity", per_page=1, page=2) == ["d"]
    assert total(db, q="问题", per_page=1) == 3


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"per_page": 201}, "每页条数"),
        ({"per_page": 0}, "每页条数"),
        ({"page": 0}, "页码"),
        ({"sort": "message"}, "排序“message”无效"),
        ({"status": "closed"}, "状态“closed”无效"),
        ({"severity": "critical"}, "严重程度“critical”无效"),
        ({"scan": "1; DROP TABLE findings"}, "扫描编号"),
        ({"q": "长" * 201}, "搜索词过长"),
    ],
)
def test_bad_filters_are_named(sqlite_url, params, message):
    db, _ids = build(sqlite_url, ROWS[:1])
    with db.session() as session, pytest.raises(QueryError, match=message):
        list_findings(session, FindingQuery(**params), ADMIN)


def test_counts_and_export_are_scoped(listed):
    db, ids = listed
    with db.session() as session:
        assert counts_by(session, ADMIN, "unit") == {"办公室": 3}
        assert counts_by(session, ADMIN, "severity") == {"high": 1, "medium": 1, "veto": 1}
        assert counts_by(session, ADMIN, "detector") == {"broken_link": 2, "term": 1}
        assert counts_by(session, JUSTICE, "unit") == {}
        assert counts_by(session, JUSTICE, "status", statuses=()) == {
            "false_positive": 1,
            "fixed": 1,
        }
        assert counts_by(session, OFFICE, "unit", site="other") == {}
        assert counts_by_each(session, ADMIN, ("detector", "unit", "severity")) == {
            "detector": {"broken_link": 2, "term": 1},
            "unit": {"办公室": 3},
            "severity": {"high": 1, "medium": 1, "veto": 1},
        }
        with pytest.raises(QueryError, match="统计字段"):
            counts_by(session, ADMIN, "message")
        exported = all_findings(session, FindingQuery(sort="severity", per_page=1), JUSTICE)
        assert [f.id for f in exported] == [ids["d"], ids["c"]]


def test_trend_counts_new_fixed_and_dismissed_per_day(listed):
    db, ids = listed
    with db.session() as session:
        apply_review(session, ids["e"], actor="小王", access=OFFICE, action="fixed")
        apply_review(session, ids["d"], actor="小李", access=JUSTICE, action="comment", reason="x")
        apply_review(session, ids["a"], actor="小王", access=OFFICE, action="dismiss", reason="误")
        days = trend(session, ADMIN, days=8)
        justice = trend(session, JUSTICE, days=8)
    assert [d.day for d in days] == [date(2024, 11, d) for d in range(18, 26)]
    assert days[0].new == 4  # first seen on the 18th (b on the 11th is before the window)
    assert (days[-1].fixed, days[-1].dismissed, days[-1].new) == (1, 1, 0)
    assert justice[0].new == 2 and justice[-1].fixed == justice[-1].dismissed == 0


def test_a_search_matching_many_findings_pages_the_same(sqlite_url, monkeypatch):
    """Past SEARCH_SORT_MAX matches the search is ordered by the database: same pages."""
    db, ids = build(sqlite_url, ROWS)
    expected = keys(db, ids, q="http", sort="severity", per_page=2, page=2)
    monkeypatch.setattr("storage.finding_list.SEARCH_SORT_MAX", 2)
    assert SEARCH_SORT_MAX > 2
    assert keys(db, ids, q="http", sort="severity", per_page=2, page=2) == expected
    assert total(db, q="http") == 5
    assert total(db, q="http", per_page=2, page=9) == 5
