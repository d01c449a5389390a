"""The columns/home/interpretation block of the summary, with the veto lines."""

from __future__ import annotations

from reports.column_summary import column_lines


def stale(category: str, name: str, days: int = 40) -> dict:
    return {
        "detector": "stale_column",
        "status": "open",
        "unit": "市政府办",
        "page_url": f"http://x/{name}/",
        "column_name": name,
        "category": category,
        "last_published": "2024-10-16",
        "days_since": days,
        "max_age_days": 14,
    }


def test_summary_lists_columns_home_and_interpretations():
    records = [
        stale("news", "乡镇动态"),
        {
            "detector": "blank_column",
            "status": "open",
            "unit": "市政府办",
            "page_url": "http://x/k/",
            "column_name": "工作计划",
        },
        {
            "detector": "home_page_stale",
            "status": "open",
            "last_new_content": "2024-11-01",
            "days_since": 24,
        },
        {
            "detector": "missing_interpretation",
            "status": "open",
            "page_url": "http://x/d.html",
            "reason": "late",
            "document_title": "某办法",
            "document_number": "某府规〔2024〕1号",
            "published": "2024-09-27",
        },
        stale("notice", "已整改栏目") | {"status": "fixed"},
    ]
    text = "\n".join(column_lines(records))
    assert "栏目不更新 1 个，空白栏目 1 个" in text
    assert "乡镇动态（动态要闻类，限 14 天）" in text and "已整改栏目" not in text
    assert "首页更新：已 24 天无新内容（最近 2024-11-01），单项否决" in text
    assert "解读超过时限发布 · 《某办法》（某府规〔2024〕1号） 2024-09-27" in text
    assert "结论：未触及栏目单项否决线" in text


def test_summary_says_when_a_veto_line_is_crossed():
    records = [stale("news", f"动态{i}") for i in range(3)] + [
        stale("notice", f"公告{i}") for i in range(2)
    ]
    text = "\n".join(column_lines(records))
    assert "= 5 个（否决线 5 个）" in text and "单项否决：" in text
    assert "首页更新：正常" in text and "政策解读（问题 0 个）：\n  无" in text
