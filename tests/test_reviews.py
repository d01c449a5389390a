"""People's reviews of findings: actions, access, history, bulk; and what scans and
reports make of them (dismissals stick, confirmations stay, reassignments stick)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from reports.notices import build_notices
from reports.report_data import load_report_inputs
from reports.weekly import build_weekly
from storage.access import Access, scoped
from storage.db import open_database
from storage.lifecycle import deadline_days, rectification_deadline
from storage.models import Finding, FindingEvent
from storage.reviews import (
    Forbidden,
    NotFound,
    ReviewError,
    apply_review,
    bulk_review,
    history,
    known_units,
)
from tests.review_db import Row, at, build
from tests.test_lifecycle import A, B, scan_with

ADMIN = Access.admin()
OFFICE = Access(role="unit", unit="办公室", name="小王")
JUSTICE = Access(role="unit", unit="司法局", name="小李")
OPERATOR = Access(role="operator", name="运维")


def review(db, finding_id, access=ADMIN, **kwargs):
    with db.session() as session:
        finding = apply_review(session, finding_id, actor=access.name, access=access, **kwargs)
        return finding.status, finding.effective_unit


def test_each_action_moves_the_status_and_is_recorded(db_url):
    db, ids = build(db_url, [Row("a")])
    a = ids["a"]
    assert review(db, a, OFFICE, action="confirm") == ("confirmed", "办公室")
    assert review(db, a, OFFICE, action="fixed") == ("fixed", "办公室")
    assert review(db, a, OFFICE, action="reopen") == ("open", "办公室")
    assert review(db, a, OFFICE, action="dismiss", reason="  是引用原文  ") == (
        "false_positive",
        "办公室",
    )
    assert review(db, a, OFFICE, action="comment", reason="已与编辑核实") == (
        "false_positive",
        "办公室",
    )
    assert review(db, a, OPERATOR, action="reassign", unit="司法局", reason="栏目归司法局") == (
        "false_positive",
        "司法局",
    )
    with db.session() as session:
        events = history(session, a)
        finding = session.get(Finding, a)
        assert (finding.reviewed_by, finding.review_note) == ("小王", "是引用原文")
    assert [(e["actor"], e["action"], e["from_status"], e["to_status"]) for e in events] == [
        ("scan", "scan", None, "open"),
        ("小王", "confirm", "open", "confirmed"),
        ("小王", "fixed", "confirmed", "fixed"),
        ("小王", "reopen", "fixed", "open"),
        ("小王", "dismiss", "open", "false_positive"),
        ("小王", "comment", "false_positive", "false_positive"),
        ("运维", "reassign", "false_positive", "false_positive"),
    ]
    assert events[4]["reason"] == "是引用原文"
    assert events[5]["reason"] == "已与编辑核实"
    assert events[6]["reason"] == "改派：办公室 → 司法局（栏目归司法局）"
    assert events[1]["at"] is not None and events[0]["scan_id"] == 1


def test_marking_fixed_stamps_the_time_and_reopening_clears_it(sqlite_url):
    db, ids = build(sqlite_url, [Row("a")])
    review(db, ids["a"], action="fixed")
    with db.session() as session:
        assert session.get(Finding, ids["a"]).fixed_at is not None
    review(db, ids["a"], action="reopen")
    with db.session() as session:
        assert session.get(Finding, ids["a"]).fixed_at is None


@pytest.mark.parametrize(
    ("status", "kwargs", "message"),
    [
        ("open", {"action": "dismiss"}, "标记误报须填写原因"),
        ("open", {"action": "dismiss", "reason": "   "}, "标记误报须填写原因"),
        ("open", {"action": "comment"}, "评论内容不能为空"),
        ("open", {"action": "delete"}, "未知操作“delete”"),
        ("open", {"action": "reassign"}, "改派须指定有效的单位名称"),
        ("open", {"action": "reassign", "unit": "办公室"}, "已由“办公室”负责"),
        ("open", {"action": "reassign", "unit": "a\x1bb"}, "有效的单位名称"),
        ("fixed", {"action": "confirm"}, "当前状态为“已整改”，不能确认"),
        ("open", {"action": "reopen"}, "不能重新打开"),
        ("false_positive", {"action": "fixed"}, "不能标记已整改"),
        ("open", {"action": "comment", "reason": "长" * 2001}, "过长"),
    ],
)
def test_bad_input_is_a_review_error_and_changes_nothing(sqlite_url, status, kwargs, message):
    db, ids = build(sqlite_url, [Row("a", status=status)])
    with pytest.raises(ReviewError, match=message):
        review(db, ids["a"], **kwargs)
    with db.session() as session:
        assert len(history(session, ids["a"])) == 1
        finding = session.get(Finding, ids["a"])
        assert (finding.status, finding.effective_unit) == (status, "办公室")


def test_another_units_finding_is_not_found_like_a_missing_one(db_url):
    db, ids = build(db_url, [Row("a"), Row("b", unit="司法局")])
    with pytest.raises(NotFound):
        review(db, ids["b"], OFFICE, action="confirm")
    with pytest.raises(NotFound):
        review(db, 999_999, ADMIN, action="confirm")
    with pytest.raises(NotFound):
        review(db, "1 OR 1=1", ADMIN, action="confirm")
    with pytest.raises(NotFound):  # a unit editor without a unit sees nothing
        review(db, ids["a"], Access(role="unit"), action="confirm")
    with pytest.raises(NotFound):
        review(db, ids["a"], Access(role="guest", unit="办公室"), action="confirm")
    assert review(db, ids["b"], JUSTICE, action="confirm") == ("confirmed", "司法局")


def test_a_unit_editor_cannot_reassign(sqlite_url):
    db, ids = build(sqlite_url, [Row("a")])
    with pytest.raises(Forbidden, match="单位编辑不能改派"):
        review(db, ids["a"], OFFICE, action="reassign", unit="司法局")


def test_reassignment_moves_the_finding_between_units_views(db_url):
    db, ids = build(db_url, [Row("a"), Row("b")])
    review(db, ids["a"], OPERATOR, action="reassign", unit="司法局")
    with db.session() as session:

        def visible(access):
            return sorted(f.id for f in session.scalars(scoped(select(Finding), access)))

        assert visible(OFFICE) == [ids["b"]]
        assert visible(JUSTICE) == [ids["a"]]
        assert visible(ADMIN) == visible(OPERATOR) == sorted(ids.values())
        assert known_units(session, "s") == ["办公室", "司法局"]
    # back to the unit the detector named: no assignment left
    review(db, ids["a"], OPERATOR, action="reassign", unit="办公室")
    with db.session() as session:
        assert session.get(Finding, ids["a"]).assigned_unit is None


def test_bulk_review_does_what_it_can_and_says_why_not_for_the_rest(db_url):
    db, ids = build(
        db_url, [Row("a"), Row("b"), Row("c", status="false_positive"), Row("d", unit="司法局")]
    )
    with db.session() as session:
        result = bulk_review(
            session,
            [ids["a"], ids["b"], ids["c"], ids["d"], ids["a"], 999_999],
            actor="小王",
            access=OFFICE,
            action="dismiss",
            reason="栏目转载",
        )
    assert result.done == [ids["a"], ids["b"]]
    assert set(result.failed) == {ids["c"], ids["d"], 999_999}
    assert result.failed[ids["d"]] == result.failed[999_999] == "没有找到这条问题"
    assert "不能标记误报" in result.failed[ids["c"]]
    with db.session() as session:
        rows = {f.id: f.status for f in session.scalars(select(Finding))}
    assert rows[ids["a"]] == rows[ids["b"]] == "false_positive"
    assert rows[ids["d"]] == "open"
    with db.session() as session, pytest.raises(Forbidden):
        bulk_review(session, [ids["a"]], actor="小王", access=OFFICE, action="reassign", unit="x")


# -- what scans make of reviews ---------------------------------------------------------


def reviewed(db, page_url, access=ADMIN, **kwargs):
    with db.session() as session:
        finding = session.scalars(select(Finding).where(Finding.page_url == page_url)).one()
        apply_review(session, finding.id, actor="小王", access=access, **kwargs)


def state(db, page_url):
    with db.session() as session:
        f = session.scalars(select(Finding).where(Finding.page_url == page_url)).one()
        return f.status, f.unit, f.effective_unit


def test_a_dismissal_sticks_across_later_scans(db_url):
    db = open_database(db_url)
    both = {A.page_key, B.page_key}
    scan_with(db, [A, B], both)
    reviewed(db, A.page_url, action="dismiss", reason="转载原文")
    scan_with(db, [A, B], both)
    scan_with(db, [A, B], both)
    assert state(db, A.page_url)[0] == "false_positive"
    assert state(db, B.page_url)[0] == "open"


def test_a_confirmation_stays_while_seen_and_is_fixed_when_gone(db_url):
    db = open_database(db_url)
    both = {A.page_key, B.page_key}
    scan_with(db, [A, B], both)
    reviewed(db, A.page_url, action="confirm")
    scan_with(db, [A, B], both)
    assert state(db, A.page_url)[0] == "confirmed"
    scan_with(db, [B], both)
    assert state(db, A.page_url)[0] == "fixed"


def test_a_reassignment_sticks_while_scans_rewrite_the_detectors_unit(db_url):
    db = open_database(db_url)
    both = {A.page_key, B.page_key}
    scan_with(db, [A, B], both)
    reviewed(db, A.page_url, action="reassign", unit="司法局")
    scan_with(db, [A, B], both)
    assert state(db, A.page_url) == ("open", "办公室", "司法局")
    # fixed and seen again: still the reassigned unit's
    scan_with(db, [B], both)
    scan_with(db, [A, B], both)
    assert state(db, A.page_url) == ("open", "办公室", "司法局")


def test_a_reopened_finding_after_marking_fixed_comes_back_with_the_next_scan(db_url):
    db = open_database(db_url)
    both = {A.page_key, B.page_key}
    scan_with(db, [A], both)
    reviewed(db, A.page_url, action="fixed")
    scan_with(db, [A], both)
    assert state(db, A.page_url)[0] == "open"


# -- deadlines -------------------------------------------------------------------------


def test_deadlines_count_working_days_from_first_seen():
    # Mon 2024-11-18: veto 2 working days, others 5. The official calendar: Sun 29 Sep
    # 2024 was a working day (Fri 27 Sep + 2 → Mon 30 Sep), 1–7 Oct were holidays
    # (Mon 30 Sep + 2 → Wed 9 Oct).
    assert rectification_deadline(at("2024-11-18"), "veto") == date(2024, 11, 20)
    assert rectification_deadline(at("2024-11-18"), "high") == date(2024, 11, 25)
    assert rectification_deadline(at("2024-11-18"), "low") == date(2024, 11, 25)
    assert rectification_deadline(at("2024-09-27"), "veto") == date(2024, 9, 30)
    assert rectification_deadline(at("2024-09-30"), "veto") == date(2024, 10, 9)
    # 23:30 UTC on the 17th is already Monday the 18th in Beijing
    late = at("2024-11-18", 7).replace(hour=23, day=17)
    assert rectification_deadline(late, "veto") == date(2024, 11, 20)


def test_deadlines_follow_the_reports_settings():
    """config reports.deadline_working_days / veto_deadline_working_days, which the scan
    passes to the lifecycle."""
    days = deadline_days(10, 1)
    assert days == {"veto": 1, "high": 10, "medium": 10, "low": 10}
    assert rectification_deadline(at("2024-11-18"), "veto", days) == date(2024, 11, 19)
    assert rectification_deadline(at("2024-11-18"), "medium", days) == date(2024, 12, 2)


def test_a_scan_gives_new_findings_their_deadline_and_fills_old_ones(db_url):
    db = open_database(db_url)
    both = {A.page_key, B.page_key}
    scan_with(db, [A], both)
    with db.session() as session:
        finding = session.scalars(select(Finding)).one()
        assert finding.deadline == rectification_deadline(finding.first_seen, "medium")
        finding.deadline = None  # stored before deadlines existed
    scan_with(db, [A], both)
    with db.session() as session:
        finding = session.scalars(select(Finding)).one()
        assert finding.deadline == rectification_deadline(finding.first_seen, "medium")


# -- what reports make of reviews -----------------------------------------------------------


def test_notices_and_the_weekly_report_leave_dismissed_findings_out(sqlite_url):
    db, ids = build(
        sqlite_url,
        [Row("a"), Row("b"), Row("c", unit="司法局"), Row("d", unit="司法局")],
    )
    review(db, ids["a"], action="dismiss", reason="误报")
    review(db, ids["c"], action="dismiss", reason="误报")
    review(db, ids["d"], action="reassign", unit="财政局")
    review(db, ids["b"], action="comment", reason="稍后处理")
    review(db, ids["a"], action="comment", reason="引用原文，确认误报")
    with db.session() as session:
        inputs = load_report_inputs(session, "s", None)
        notices = {
            n.unit: [r["id"] for r in n.records] for n in build_notices(inputs, date(2024, 11, 25))
        }
        weekly = build_weekly(session, inputs, date(2024, 11, 25))
    # 司法局's only other finding went to 财政局: its notice goes there
    assert notices == {"办公室": [ids["b"]], "财政局": [ids["d"]]}
    assert weekly.open_total == 2
    assert {u.unit: u.open for u in weekly.units if u.open} == {"办公室": 1, "财政局": 1}
    assert weekly.this_week.dismissed == 2  # the comment is not a second dismissal


def test_review_events_are_stored_with_their_action(sqlite_url):
    db, ids = build(sqlite_url, [Row("a")])
    review(db, ids["a"], action="confirm")
    with db.session() as session:
        actions = [
            e.action for e in session.scalars(select(FindingEvent).order_by(FindingEvent.id))
        ]
    assert actions == ["scan", "confirm"]
