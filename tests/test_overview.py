"""The overview block of the summary (columns, home page, interpretations), with the
column veto lines; its headings and lines come from the detectors' declarations."""

from __future__ import annotations

from reports.overview import overview_lines


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
            "unit": "市政府办",
            "page_url": "http://x/",
            "last_new_content": "2024-11-01",
            "days_since": 24,
        },
        {
            "detector": "missing_interpretation",
            "status": "open",
            "unit": "市政府办",
            "page_url": "http://x/d.html",
            "reason": "late",
            "document_title": "某办法",
            "document_number": "某府规〔2024〕1号",
            "published": "2024-09-27",
        },
        stale("notice", "已整改栏目") | {"status": "fixed"},
    ]
    text = "\n".join(overview_lines(records))
    assert "栏目不更新（1 个）：\n  乡镇动态（动态要闻类，限 14 天） · 市政府办" in text
    assert "已整改栏目" not in text
    assert "空白栏目（1 个）：\n  工作计划 · 市政府办：http://x/k/" in text
    assert "首页不更新（1 个）：\n  已 24 天无新内容（最近 2024-11-01），单项否决" in text
    assert "解读超过时限发布 · 《某办法》（某府规〔2024〕1号） 2024-09-27" in text
    assert "结论：未触及栏目单项否决线" in text


def test_summary_says_when_a_veto_line_is_crossed():
    records = [stale("news", f"动态{i}") for i in range(3)] + [
        stale("notice", f"公告{i}") for i in range(2)
    ]
    text = "\n".join(overview_lines(records))
    assert "= 5 个（否决线 5 个）" in text and "单项否决：" in text
    assert "首页不更新（0 个）：\n  无" in text and "政策解读缺失（0 个）：\n  无" in text


def test_overview_leaves_out_detectors_the_site_does_not_run():
    text = "\n".join(overview_lines([stale("news", "乡镇动态")], {"stale_column"}, veto=False))
    assert text.startswith("栏目不更新（1 个）：") and "首页不更新" not in text
    assert "栏目单项否决线" not in text
