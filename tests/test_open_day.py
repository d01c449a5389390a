"""open_day_notice on strings: which pages are previews, the activity date, and working
days counted on the official calendar with its 调休 weekends."""

from __future__ import annotations

from datetime import date

import pytest

from detectors.open_day import OpenDayNoticeDetector, activity_date, is_preview
from detectors.page import PageContext, parse_html
from detectors.registry import detectors_for
from govwatch.config import ConfigError, parse_config

URL = "http://www.longnan.gov.cn/hdjl/zfkfr/202409/t20240920_1.html"


def check(title: str, published: str, body: str, days: int = 15) -> list:
    meta = {"ArticleTitle": title, "PubDate": f"{published} 09:00"}
    html = f"<html><head><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>"
    page = PageContext(url=URL, title=title, meta=meta, root=parse_html(html.encode()))
    return list(OpenDayNoticeDetector(days).check(page))


def test_exactly_15_working_days_across_national_day_is_on_time():
    # Fri 2024-09-20 → Wed 2024-10-16: 1–7 Oct off, Sun 29 Sep and Sat 12 Oct worked
    body = "<p>我局定于2024年10月16日（星期三）上午举办“政府开放日”活动，欢迎报名。</p>"
    assert check("关于举办“政府开放日”活动的预告", "2024-09-20", body) == []


def test_one_working_day_short_is_reported_with_its_count():
    body = "<p>我局定于2024年10月15日（星期二）上午举办“政府开放日”活动。</p>"
    [finding] = check("关于举办“政府开放日”活动的预告", "2024-09-20", body)
    assert finding.details["working_days_before"] == 14
    assert finding.details["activity_date"] == "2024-10-15"
    assert finding.details["published"] == "2024-09-20"
    assert finding.severity == "medium"
    assert "仅提前 14 个工作日" in finding.message


def test_a_weekday_count_would_have_said_otherwise():
    # Mon–Fri only, 2024-09-20 → 2024-10-16 is 18 days; the holidays make it 15 and the
    # limit of 16 reports it
    body = "<p>定于2024年10月16日举办政府开放日活动。</p>"
    [finding] = check("政府开放日活动预告", "2024-09-20", body, days=16)
    assert finding.details["working_days_before"] == 15


def test_the_activity_time_label_and_a_date_without_its_year():
    assert activity_date("活动时间：12月6日 9:00", date(2024, 11, 1)) == date(2024, 12, 6)
    assert activity_date("定于1月8日在市政务中心开展开放日活动", date(2024, 12, 20)) == date(
        2025, 1, 8
    )


def test_two_different_dates_are_not_judged():
    text = "定于12月6日举办第一场，定于12月20日举办第二场。"
    assert activity_date(text, date(2024, 11, 1)) is None


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        ("关于举办“政府开放日”活动的预告", True),
        ("龙南市司法局政府开放日活动招募公告", True),
        ("我局“政府开放日”活动顺利举办", False),
        ("关于举办政府开放日活动的通知", True),
        ("市民走进政府开放日活动回顾", False),
        ("关于开展安全生产月活动的通知", False),
    ],
)
def test_previews(headline, expected):
    assert is_preview(headline) is expected


def test_a_report_of_the_activity_is_not_a_preview():
    body = "<p>2024年10月15日，我局举办“政府开放日”活动。</p>"
    assert check("我局“政府开放日”活动圆满举办", "2024-10-15", body) == []


def test_the_config_key_sets_the_limit_and_bad_values_name_it():
    base = "site:\n  id: t\n  name: 测试\n  start_urls: ['http://127.0.0.1/']\n"
    config = parse_config(base + "open_days:\n  min_working_days: 10\n")
    [detector] = [d for d in detectors_for(config, "markup") if d.id == "open_day_notice"]
    assert detector.min_working_days == 10
    assert parse_config(base).open_days.min_working_days == 15
    with pytest.raises(ConfigError) as error:
        parse_config(base + "open_days:\n  min_working_days: 0\n", "site.yaml")
    assert any(
        p.startswith("site.yaml: open_days.min_working_days: 数值过小")
        for p in error.value.problems
    )


def test_check_config_names_the_bad_key(tmp_path):
    from click.testing import CliRunner

    from govwatch.cli import cli

    config = tmp_path / "site.yaml"
    config.write_text(
        'site: {id: t, name: 测试, start_urls: ["http://127.0.0.1:1/"]}\n'
        "open_days: {min_working_days: many}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["check-config", str(config)])
    assert result.exit_code == 2
    assert f"{config}: open_days.min_working_days: 应为整数" in result.output
