from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from govwatch.config import ConfigError, load_config, parse_config

CONTRACT = Path(__file__).resolve().parents[2] / "shared" / "spec" / "contract.md"

EXAMPLE = """
site:
  id: longnan
  name: 龙南市人民政府
  start_urls: ["http://127.0.0.1:8000/"]
  allowed_domains: ["127.0.0.1"]
  home_url: "http://127.0.0.1:8000/"
  max_pages: 50000
  timeout_s: 15
  concurrency: 16
  respect_robots_txt: false
units:
  - name: 市政府办
    default: true
  - name: 市司法局
    paths: ["/xxgk/sfj/"]
  - name: 市融媒体中心
    paths: ["/xwzx/"]
columns:
  - url: "http://127.0.0.1:8000/xwzx/ywdt/"
    category: news
    unit: 市融媒体中心
policy:
  document_columns: ["http://127.0.0.1:8000/xxgk/zcwj/gfxwj/"]
  interpretation_columns: ["http://127.0.0.1:8000/xxgk/zcjd/"]
  max_working_days: 3
new_media:
  - name: 龙南发布
    platform: wechat
    feed: "http://127.0.0.1:8000/feeds/longnanfabu.xml"
    unit: 市融媒体中心
    max_silent_days: 14
terms:
  allow: ["台湾地区"]
  extra_lists: []
schedule:
  scan: "0 2 * * *"
  probe_every_minutes: 10
  weekly_report: "0 8 * * mon"
"""


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_config(text, "site.yaml")
    return info.value.problems


def test_contract_example_validates():
    config = parse_config(EXAMPLE)
    assert config.site.id == "longnan"
    assert config.default_unit == "市政府办"
    assert config.site.politeness.own_hosts.concurrency >= 1


@pytest.mark.skipif(not CONTRACT.exists(), reason="shared/spec not beside the repository")
def test_contract_document_example_validates():
    text = CONTRACT.read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(.*?)```", text, re.S)
    assert block
    parse_config(block.group(1))


def test_bad_url_names_file_and_key():
    bad = EXAMPLE.replace('start_urls: ["http://127.0.0.1:8000/"]', 'start_urls: ["ftp:/x"]')
    assert problems(bad) == ["site.yaml: site.start_urls[0]: 不是有效的网址"]


def test_unknown_key_is_an_error():
    bad = EXAMPLE.replace("  max_pages: 50000", "  max_page: 50000")
    assert problems(bad) == ["site.yaml: site.max_page: 未知的配置项（请检查拼写）"]


def test_every_problem_is_one_line():
    bad = """
site:
  id: Bad Id
  name: x
  start_urls: []
  timeout_s: -1
units:
  - {name: a, default: true}
  - {name: b, default: true}
new_media:
  - {name: n, platform: qq, feed: "http://x/"}
"""
    lines = problems(bad)
    assert "site.yaml: site.id: 格式无效（只能用小写字母、数字、- 和 _）" in lines
    assert "site.yaml: site.start_urls: 不能为空" in lines
    assert any(line.startswith("site.yaml: site.timeout_s: 数值过小") for line in lines)
    assert any(line.startswith("site.yaml: new_media[0].platform: 取值无效") for line in lines)
    assert all("\n" not in line for line in lines)


def test_site_region_is_given_or_read_from_the_site_name():
    assert parse_config(EXAMPLE, "site.yaml").site.region is None  # 龙南市: no province
    name = "  name: 龙南市人民政府\n"
    given = EXAMPLE.replace(name, name + "  region: 江西省\n")
    assert parse_config(given, "site.yaml").site.region == "江西"
    named = EXAMPLE.replace("name: 龙南市人民政府", "name: 重庆市渝中区人民政府")
    assert parse_config(named, "site.yaml").site.region == "重庆"
    bad = EXAMPLE.replace(name, name + "  region: 赣南\n")
    assert problems(bad) == [
        "site.yaml: site.region: “赣南”不是省级行政区的名称（如 重庆、江西省、广西壮族自治区）"
    ]


def test_regions_from_names_and_site_codes():
    from common.regions import region_key, region_of_site, region_of_site_code

    assert region_key("广西壮族自治区") == "广西" and region_key("赣") is None
    assert region_of_site("海南藏族自治州人民政府") is None  # in 青海, not 海南
    assert region_of_site("新疆维吾尔自治区人民政府") == "新疆"
    assert region_of_site_code("3609220011") == "江西"
    assert region_of_site_code("bm55000001") is None
    assert region_of_site_code("9909220011") is None


def test_two_default_units_rejected():
    bad = EXAMPLE.replace("  - name: 市司法局\n", "  - name: 市司法局\n    default: true\n")
    assert problems(bad) == [
        "site.yaml: units: 只能有一个默认单位（default: true），现有 市政府办、市司法局"
    ]


def test_yaml_syntax_error_has_line():
    lines = problems("site:\n  id: [unclosed\n")
    assert lines[0].startswith("site.yaml: YAML 语法错误 第 ")


def test_duplicate_key_rejected():
    lines = problems(EXAMPLE + "\nsite:\n  id: again\n")
    assert "重复的键“site”" in lines[0]


def test_bad_cron_and_unit_reference():
    bad = EXAMPLE.replace('scan: "0 2 * * *"', 'scan: "61 2 * * *"').replace(
        "    unit: 市融媒体中心\n    max_silent_days", "    unit: 不存在\n    max_silent_days"
    )
    lines = problems(bad)
    assert any(
        line.startswith("site.yaml: schedule.scan: 不是有效的 cron 表达式") for line in lines
    )


def test_missing_extra_list_file(tmp_path):
    path = tmp_path / "site.yaml"
    path.write_text(EXAMPLE.replace("extra_lists: []", 'extra_lists: ["my.yaml"]'), "utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.problems == [f"{path}: terms.extra_lists[0]: 词表文件不存在（my.yaml）"]


@pytest.mark.integration  # runs the govwatch command in a subprocess
def test_check_config_command(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(EXAMPLE, "utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(EXAMPLE.replace("timeout_s: 15", "timeout_s: fast"), "utf-8")
    run = [sys.executable, "-m", "govwatch", "check-config"]
    ok = subprocess.run([*run, str(good)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    failed = subprocess.run([*run, str(bad)], capture_output=True, text=True)
    assert failed.returncode == 2
    assert failed.stderr.strip() == f"{bad}: site.timeout_s: 应为数字"
    missing = subprocess.run([*run, str(tmp_path / "none.yaml")], capture_output=True, text=True)
    assert missing.returncode == 2 and "文件不存在" in missing.stderr


def test_shipped_example_validates():
    example = Path(__file__).resolve().parents[1] / "examples" / "site.yaml"
    assert load_config(example).config.site.id == "longnan"


def test_column_overrides_and_policy_validated():
    twice = EXAMPLE.replace(
        "    unit: 市融媒体中心\npolicy:",
        '    unit: 市融媒体中心\n  - url: "http://127.0.0.1:8000/xwzx/ywdt"\n'
        "    category: notice\npolicy:",
    )
    assert problems(twice) == [
        "site.yaml: columns[1].url: 与 columns[0] 是同一个栏目，请合并为一条"
    ]
    bad = EXAMPLE.replace("category: news", "category: gossip").replace(
        "max_working_days: 3", "max_working_days: -1"
    )
    lines = problems(bad)
    assert any(line.startswith("site.yaml: columns[0].category: 取值无效") for line in lines)
    assert any(line.startswith("site.yaml: policy.max_working_days: 数值过小") for line in lines)
