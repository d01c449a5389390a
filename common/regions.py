"""China's province-level regions (省级行政区), by the short name used as their key.

A page's region (its 网站标识码, else the site's ``site.region``, else the start of the
site's name) selects the regional exceptions of the term base: names that a reform
abolished elsewhere but that are still the official names there
(``wordlists/outdated_name.yaml``, ``current_in``).
"""

from __future__ import annotations

import re

# Short name → full name, in the order of the national administrative division code.
PROVINCES: dict[str, str] = {
    "北京": "北京市",
    "天津": "天津市",
    "河北": "河北省",
    "山西": "山西省",
    "内蒙古": "内蒙古自治区",
    "辽宁": "辽宁省",
    "吉林": "吉林省",
    "黑龙江": "黑龙江省",
    "上海": "上海市",
    "江苏": "江苏省",
    "浙江": "浙江省",
    "安徽": "安徽省",
    "福建": "福建省",
    "江西": "江西省",
    "山东": "山东省",
    "河南": "河南省",
    "湖北": "湖北省",
    "湖南": "湖南省",
    "广东": "广东省",
    "广西": "广西壮族自治区",
    "海南": "海南省",
    "重庆": "重庆市",
    "四川": "四川省",
    "贵州": "贵州省",
    "云南": "云南省",
    "西藏": "西藏自治区",
    "陕西": "陕西省",
    "甘肃": "甘肃省",
    "青海": "青海省",
    "宁夏": "宁夏回族自治区",
    "新疆": "新疆维吾尔自治区",
    "台湾": "台湾省",
    "香港": "香港特别行政区",
    "澳门": "澳门特别行政区",
}
_BY_FULL = {full: short for short, full in PROVINCES.items()}
# The first two digits of the administrative division code (GB/T 2260).
CODES: dict[str, str] = {
    "11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古",
    "21": "辽宁", "22": "吉林", "23": "黑龙江",
    "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽", "35": "福建", "36": "江西",
    "37": "山东",
    "41": "河南", "42": "湖北", "43": "湖南", "44": "广东", "45": "广西", "46": "海南",
    "50": "重庆", "51": "四川", "52": "贵州", "53": "云南", "54": "西藏",
    "61": "陕西", "62": "甘肃", "63": "青海", "64": "宁夏", "65": "新疆",
}  # fmt: skip
_SITE_CODE = re.compile(r"^(\d{2})\d{8}$")


def region_key(name: str) -> str | None:
    """The key of a region written by its short or full name (重庆、重庆市 → 重庆)."""
    name = name.strip()
    if name in PROVINCES:
        return name
    return _BY_FULL.get(name)


def region_of_site(site_name: str) -> str | None:
    """The region a site's name starts with, by full name only: 重庆市渝中区人民政府 →
    重庆, 江西省人民政府 → 江西; 龙南市人民政府 → None (a city's name does not say its
    province). Short names are not enough: 海南藏族自治州 is in 青海, 吉林市 is a city."""
    site_name = site_name.strip()
    for full, short in _BY_FULL.items():
        if site_name.startswith(full):
            return short
    return None


def region_of_site_code(code: str) -> str | None:
    """The region of a local government site's 网站标识码: ten digits, the first six its
    administrative division code (3609220011 → 江西; 5001000001 → 重庆). A department's
    code (bm55000001) names no region."""
    m = _SITE_CODE.match(code.strip())
    return CODES.get(m.group(1)) if m else None
