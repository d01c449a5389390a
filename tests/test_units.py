from __future__ import annotations

from common.units import UnitResolver
from govwatch.config import parse_config

CONFIG = """
site: {id: t, name: 测试, start_urls: ["http://h/"]}
units:
  - {name: 市政府办, default: true}
  - {name: 市司法局, paths: ["/xxgk/sfj/"]}
  - {name: 信息公开科, paths: ["/xxgk/"]}
  - {name: 分站, paths: ["http://sub.h/"]}
"""


def test_longest_prefix_wins_and_default():
    units = UnitResolver(parse_config(CONFIG))
    assert units.unit_for("http://h/xxgk/sfj/t1.html") == "市司法局"
    assert units.unit_for("http://h/xxgk/tzgg/") == "信息公开科"
    assert units.unit_for("http://h/xwzx/") == "市政府办"
    assert units.unit_for("http://sub.h/a/") == "分站"
    assert units.unit_for("http://h/%78xgk/sfj/a.html") == "市司法局"
