"""Outdated institution names in context: when a name a reform abolished is no error.

An outdated name (``outdated_name`` entries) is an error only where the text speaks of
the present in the past's words. The matcher (``TermMatcher._consider``) asks this
module about each hit of such an entry; everything here reads the *plain detection
copy* (full-width digits and letters folded, punctuation as written) and is pure.

* **Quoted and issued titles** are history: a name inside 《…》 on its line
  (``book_title``) is part of a document's or book's title and stays as it was
  issued. A name followed, on its line and without sentence punctuation, by the rest
  of a document title (``关于……的通知``, ``……行政许可事项撤销决定书``: a 公文 kind that
  ends the title, and no verb such as 发布 on the way; ``document_title``) names the
  issuer or subject of a document issued when that body existed: such a hit is judged
  by the document's own date (below), and not at all when it has none.
* **Lead-ins** (``led_by``): 原 / 原来的 / 撤销 / 组建 / 前身为 … followed by a run of
  place or organisation names (四川, 江西省, 县, 市人民政府, 宜春地区行署 …) and then the
  name: 原四川银监局, 原江西省国土资源厅, 原县计生委. The lead word must stand as a
  word of its own (jieba): 太原市国土资源局 is not 原 + 市. A place run is made of
  jieba's place names (POS ``ns``), administrative words (县、市、自治州、特区、人民政府
  …) and names ending in an administrative suffix (万载县, 邱县). The same rule carries
  regional exceptions: 重庆 + 市渝中区 + 文化和旅游发展委员会.
* **Own dates** (``own_date``): a hit is judged at the earliest date its own context
  gives, when that is earlier than the page's: a full date or a year-month in its
  sentence (``2017年6月5日，县国土资源局……``), a 文号 year there (``〔2016〕12号``:
  1 January of that year), or, for a short line without a full stop such as a list
  entry (``short_line``), the date on the next few short lines (a table row: title,
  索引号, 发布机构, date) or on a preceding line that is only a date. Dates after
  ``latest`` (the page's date, else today) are deadlines, not dates of writing.

Page-level evidence (``stamp_dates``, ``document_year``) is used by the term detector
to date a page; see ``detectors/term.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from functools import lru_cache

# --- dates -----------------------------------------------------------------------------

_FULL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)"
)
_YEAR_MONTH = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:年\s*(\d{1,2})\s*月|-(\d{1,2})(?![\d-]))")
# 〔2016〕12号, [2016]12号, （2016）第12号 …: a 文号's year.
_NUMBER_YEAR = re.compile(r"[〔\[［【(（]\s*((?:19|20)\d{2})\s*[〕\]］】)）]\s*第?\s*\d{1,5}\s*号")
# A line that ends with a date (a list entry's or a signature's, a "last updated" stamp).
_STAMP_TAIL = re.compile(
    r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*(?:星期.|周.)?\s*[\]】)）〕]?\s*$"
)
_DATE_ONLY = re.compile(
    r"^\s*[\[【(（〔]?\s*((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*[\]】)）〕]?\s*$"
)

SENTENCE_BREAKS = "\n。!?;！？；"
SENTENCE_REACH = 200  # chars each side of a hit searched for its sentence's end
ENTRY_LINE = 100  # a hit's line at most this long may be dated by the lines around it
ENTRY_NEXT_LINES = 3  # … by a date within this many following lines
SHORT_LINE = 40  # … each at most this long


def _date(year: str, month: str | None, day: str | None = "1") -> date | None:
    try:
        found = date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    return found if 1990 <= found.year <= 2100 else None


def dates_in(text: str) -> list[date]:
    """Full dates, year-months (as their first day) and 文号 years (1 January) in ``text``."""
    found: list[date] = []
    for m in _FULL_DATE.finditer(text):
        if (d := _date(*m.groups())) is not None:
            found.append(d)
    if found:  # a full date's own year and month are not a second, earlier date
        text = _FULL_DATE.sub(" ", text)
    for m in _YEAR_MONTH.finditer(text):
        if (d := _date(m.group(1), m.group(2) or m.group(3))) is not None:
            found.append(d)
    for m in _NUMBER_YEAR.finditer(text):
        if (d := _date(m.group(1), "1")) is not None:
            found.append(d)
    return found


def line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The line (between newlines) around ``[start, end)``."""
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    return lo, len(text) if hi < 0 else hi


def short_line(text: str, start: int, end: int) -> bool:
    """Whether the hit's line is a short one without a full stop: a link, a heading, a
    footer or navigation item, a list entry's title, not running prose."""
    lo, hi = line_bounds(text, start, end)
    if hi - lo > ENTRY_LINE:
        return False
    line = text[lo:hi]
    return "。" not in line and "！" not in line and "？" not in line


def own_date(text: str, start: int, end: int, latest: date | None = None) -> date | None:
    """The earliest date the hit's own context gives (see the module docstring), among
    those not after ``latest`` (a deadline is not when a text was written)."""
    floor = max(0, start - SENTENCE_REACH)
    first = start
    while first > floor and text[first - 1] not in SENTENCE_BREAKS:
        first -= 1
    ceiling = min(len(text), end + SENTENCE_REACH)
    stop = end
    while stop < ceiling and text[stop] not in SENTENCE_BREAKS:
        stop += 1
    found = _until(dates_in(text[first:stop]), latest)
    if found:
        return min(found)
    if not short_line(text, start, end):
        return None  # running prose: the lines around it are not its entry
    line_lo, line_hi = line_bounds(text, start, end)
    candidates: list[date] = []
    pos = line_hi
    for _ in range(ENTRY_NEXT_LINES):
        if pos >= len(text):
            break
        nxt = text.find("\n", pos + 1)
        nxt = len(text) if nxt < 0 else nxt
        line = text[pos + 1 : nxt]
        if len(line.strip()) > SHORT_LINE:
            break
        dated = _until(dates_in(line), latest)
        if dated:
            candidates.append(min(dated))
            break
        pos = nxt
    if line_lo > 0:
        prev = text[text.rfind("\n", 0, line_lo - 1) + 1 : line_lo - 1]
        m = _DATE_ONLY.match(prev)
        if m and (d := _date(*m.groups())) is not None and (latest is None or d <= latest):
            candidates.append(d)
    return min(candidates) if candidates else None


def _until(found: list[date], latest: date | None) -> list[date]:
    return found if latest is None else [d for d in found if d <= latest]


def stamp_dates(text: str) -> list[date]:
    """Dates that end a line: a list entry's date, a signature, a "last updated" stamp.

    Dates inside running text (a deadline, an event) are not stamps."""
    found = []
    for line in text.splitlines():
        m = _STAMP_TAIL.search(line)
        if m and (d := _date(*m.groups())) is not None:
            found.append(d)
    return found


# A report on a past period names the bodies of that period: 万载县2015年国民经济和社会发展统计公报.
_PERIOD_TITLE = re.compile(
    r"((?:19|20)\d{2})\s*年度?[^\n，。,;；]{0,40}?(?:统计公报|公报|工作报告|报告|工作总结|总结|决算|年报)"
)
# A 文号 field: the label, then the number ending its line, on the same line or the next
# (a metadata table's cells). A list's 文号 column header is followed by another header.
_LABELLED_NUMBER = re.compile(
    r"(?:发文字号|发文文号|发文号|文[ \t]*号)[ \t]*[:：]?[ \t]*\n?[ \t]*[\u4e00-\u9fa5]{1,15}"
    + _NUMBER_YEAR.pattern
    + r"[ \t]*(?:\n|$)"
)


def document_year(headline: str, text: str) -> date | None:
    """1 January of the year of the page's own document, when the page says it: the
    year of a report's period in its headline (2015年……统计公报), or the year of its own
    文号 (a 文号 field near the top, or one in the headline). An interpretation (解读)
    quotes its document's number and is not dated by it."""
    found = []
    if "解读" not in headline:
        m = _LABELLED_NUMBER.search(text[:3000]) or _NUMBER_YEAR.search(headline)
        if m and (d := _date(m.group(1), "1")) is not None:
            found.append(d)
    m = _PERIOD_TITLE.search(headline)
    if m and (d := _date(m.group(1), "1")) is not None:
        found.append(d)
    return min(found) if found else None


# --- titles ----------------------------------------------------------------------------

TITLE_REACH = 150


def book_title(text: str, start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies inside 《…》 on its line."""
    lo = max(0, start - TITLE_REACH)
    for i in range(start - 1, lo - 1, -1):
        c = text[i]
        if c == "《":
            break
        if c in "》\n":
            return False
    else:
        return False
    hi = min(len(text), end + TITLE_REACH)
    for i in range(end, hi):
        c = text[i]
        if c == "》":
            return True
        if c in "《\n":
            return False
    return False


_KINDS = (
    "决定书|通知书|决定|通知|通告|公告|通报|公报|意见|办法|规定|细则|批复|复函|纪要|请示"
    "|报告|方案|规划|答复|决议|条例|规则"
)
# Kinds that end a title without 关于……的: 行政许可事项撤销决定书, 关于……的批复 aside.
_OWN_KINDS = "决定书|通知书|处罚决定|批复|复函"
# Verbs that make “X 发布……通知” a sentence about a document, not its title.
_ACTIONS = "发布|下发|出台|制定|发出|下达|召开|作出|做出|收到|根据|按照|依据"
# After the name, on its line and without sentence punctuation: the rest of a title.
_TITLE_REST = re.compile(
    r"(?:(?!" + _ACTIONS + r")[^\n。，,；;！!？?：:]){0,60}?"
    r"(?:关于[^\n。；;！!？?]{1,80}?的(?:" + _KINDS + r"|函|令)|(?:" + _OWN_KINDS + r"))"
    r"(?=$|[\s〔\[［【(（》”\"」』]|\d)",
    re.MULTILINE,
)


def document_title(text: str, start: int, end: int) -> bool:
    """Whether the name at ``[start, end)`` is part of a document's title: its line
    goes on to the end of a title (``……关于……的通知``, ``……撤销决定书``), with no verb
    on the way that would make it a sentence about a document (``……发布……通知``)."""
    return _TITLE_REST.match(text, end) is not None


# --- lead-ins and place runs -----------------------------------------------------------

ADMIN_SUFFIXES = frozenset("省市县区州盟旗镇乡")
ORG_WORDS = frozenset(
    {
        "人民政府",
        "政府",
        "国家",
        "中国",
        "中华人民共和国",
        "国务院",
        "中央",
        "地区",
        "行署",
        "行政公署",
        "特别行政区",
        "特区",
        "自治区",
        "自治州",
        "自治县",
        "新区",
        "开发区",
        "高新区",
    }
)
_ORG_SPLIT = re.compile("|".join(sorted(ORG_WORDS, key=len, reverse=True)))
ORG_ENDINGS = ("政府", "行署", "特区", "特别行政区", "自治区", "自治州", "自治县", "新区")
MAX_RUN = 16  # chars of place and organisation names between a lead word and the name
MAX_PENDING = 3  # chars of an unknown place name before its suffix (邱 + 县)
_HAN = re.compile(r"^[\u4e00-\u9fff]*$")

_jieba = None
_tags: dict[str, str] | None = None


def segmenter():
    """jieba, initialised once and quietly (its dictionary load logs to stderr); shared
    with the matcher's word-boundary checks."""
    global _jieba
    if _jieba is None:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        _jieba = jieba
    return _jieba


def _tag(word: str) -> str | None:
    """jieba's part of speech of a dictionary word (its posseg table, loaded once)."""
    global _tags
    if _tags is None:
        segmenter()
        import jieba.posseg

        _tags = jieba.posseg.dt.word_tag_tab
    return _tags.get(word)


@lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(segmenter().lcut(text, HMM=False))


def _place_token(token: str) -> bool:
    if len(token) == 1:
        return token in ADMIN_SUFFIXES  # 县, 市: the county, the city
    if token in ORG_WORDS or _tag(token) == "ns":
        return True
    if len(token) >= 2 and token[-1] in ADMIN_SUFFIXES and len(token) <= 8:
        return True  # 万载县, 我县, 高新区, 黔东南州
    return token.endswith(ORG_ENDINGS) and len(token) <= 10  # 市政府, 澳门特区政府


def _name_like(token: str) -> bool:
    """Whether jieba reads ``token`` as a noun or a name, or does not know it."""
    tag = _tag(token)
    return tag is None or tag[0] in "nj"


@lru_cache(maxsize=4096)
def place_run(text: str) -> bool:
    """Whether ``text`` is a run of place and organisation names (or empty)."""
    if not text:
        return True
    if len(text) > MAX_RUN or not _HAN.match(text):
        return False
    # Administrative words first (jieba reads 特别行政区 as 特别/行政区), then the rest.
    return all(_names(piece) for piece in _ORG_SPLIT.split(text))


def _names(text: str) -> bool:
    pending = ""
    for token in _tokens(text) if text else ():
        if pending or not _place_token(token):
            if len(token) == 1 and token in ADMIN_SUFFIXES and pending:
                pending = ""  # 邱 + 县
                continue
            if not _name_like(token):
                return False  # 则上县: 则 and 上 are no place's name
            pending += token
            if len(pending) > MAX_PENDING:
                return False
    return not pending


def _lead_stands(text: str, lead_at: int, lead: str, name_at: int) -> bool:
    """Whether the lead word at ``lead_at`` is a word of its own in jieba's reading of
    its clause: it starts a word (太原市 has no 原 of its own) and ends one, or starts a
    place or organisation name that contains it (澳门特区政府)."""
    lo = lead_at
    floor = max(0, lead_at - 8)
    while lo > floor and "\u4e00" <= text[lo - 1] <= "\u9fff":
        lo -= 1
    pos = lo
    tokens = _tokens(text[lo:name_at])
    for i, token in enumerate(tokens):
        if pos == lead_at:
            joined = ""
            for following in tokens[i:]:
                joined += following
                if joined == lead:
                    return True
                if len(joined) >= len(lead):
                    break
            return token.startswith(lead) and _tag(token) in ("ns", "nt")
        pos += len(token)
        if pos > lead_at:
            return False
    return False


def led_by(text: str, start: int, end: int, leads: Iterable[tuple[str, str]]) -> bool:
    """Whether the hit ``[start, end)`` lies in one of the ``(lead word, phrase)`` pairs'
    phrase, preceded by its lead word and a run of place or organisation names."""
    hit = text[start:end]
    for lead, phrase in leads:
        k = phrase.find(hit)
        while k >= 0:
            at = start - k
            if at >= 0 and text.startswith(phrase, at) and _preceded(text, at, lead):
                return True
            k = phrase.find(hit, k + 1)
    return False


def _preceded(text: str, at: int, lead: str) -> bool:
    lo = max(0, at - MAX_RUN - len(lead))
    q = text.rfind(lead, lo, at)
    while q >= 0:
        run = text[q + len(lead) : at]
        if place_run(run) and _lead_stands(text, q, lead, at):
            return True
        q = text.rfind(lead, lo, q + len(lead) - 1) if q > lo else -1
    return False
