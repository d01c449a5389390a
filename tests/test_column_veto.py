"""The three single-veto lines for columns, counted from finding records."""

from __future__ import annotations

from detectors import veto_groups
from detectors.registry import group_records


def column_veto(records: list[dict]) -> veto_groups.ColumnVeto:
    """The lines counted over mixed records, split by the groups the detectors feed."""
    stale = group_records(records, veto_groups.STALE_COLUMNS)
    return veto_groups.column_veto(stale, group_records(records, veto_groups.BLANK_COLUMNS))


def _stale(category: str, status: str = "open") -> dict:
    return {"detector": "stale_column", "category": category, "status": status}


def _blank(status: str = "open") -> dict:
    return {"detector": "blank_column", "status": status}


def test_no_findings_no_veto():
    veto = column_veto([])
    assert not veto.vetoed and veto.reasons == []


def test_first_line_news_plus_notice_policy_reaches_five():
    records = [_stale("news")] * 3 + [_stale("notice"), _stale("policy")]
    veto = column_veto(records)
    assert (veto.news_stale, veto.notice_policy_stale, veto.first_line_total) == (3, 2, 5)
    assert veto.vetoed and len(veto.reasons) == 1 and "合计 5 个" in veto.reasons[0]


def test_four_first_line_columns_and_personnel_do_not_veto():
    records = [_stale("news")] * 4 + [_stale("personnel")] * 5
    veto = column_veto(records)
    assert veto.first_line_total == 4 and veto.stale_total == 9
    assert not veto.vetoed


def test_ten_stale_columns_of_any_category():
    veto = column_veto([_stale("personnel")] * 6 + [_stale("planning")] * 4)
    assert veto.stale_total == 10 and veto.first_line_total == 0
    assert veto.vetoed and "10 个" in veto.reasons[0]


def test_five_blank_columns():
    assert not column_veto([_blank()] * 4).vetoed
    veto = column_veto([_blank()] * 5)
    assert veto.blank == 5 and veto.vetoed


def test_resolved_and_dismissed_findings_do_not_count():
    records = [_blank("fixed"), _blank("false_positive"), _blank("confirmed")] + [
        _stale("news", "fixed")
    ] * 5
    veto = column_veto(records)
    assert (veto.blank, veto.stale_total) == (1, 0)
    assert not veto.vetoed
