"""Publication dates as portals write them.

An article's publication date is read from the evidence a visitor and the CMS give,
strongest first (:func:`publication_evidence`):

1. ``label``: a visible 发布时间/发布日期/公开日期/上网时间 … line
   (``发布时间：2024-07-19``, ``发布日期：\n2024年7月19日`` in a 信息公开 table);
2. ``line``: an unlabelled visible date on the headline's own line or the short lines
   just under it (``( 2022-04-26)``), or on the source line (``2005年08月16日
   来源：新华网``): what is left of the line once the date, the time and the headline are
   taken out is punctuation, or names the source/author/hits (来源、作者、浏览 …);
3. ``meta``: ``PubDate``, ``publishdate``, ``ArticlePubDate``, gov.cn's
   ``firstpublishedtime`` (``2007-08-20-23:59:59``) and the like;
4. ``written``: a visible 成文日期/生成日期/发文日期/印发日期 or a bare ``日期：``/
   ``时间：`` label (the day a document was signed, which may precede publication;
   ``时间`` must not be the end of another word: 留言时间 and 公示时间 are not it);
5. ``generated``: a ``PubDate`` that the page itself declares to be the time the page was
   generated (江西集约化: ``<meta name="others" content="页面生成时间 …">`` with the same
   value): a platform migration re-stamps every page, so it says little;
6. ``url``: the date a CMS writes into the article's URL (:func:`url_date`).

Visible dates are taken near the headline, where the article's own date line is: the
labelled date nearest to the headline's first occurrence in the body text (within
``NEAR_HEADLINE`` characters; above the headline counts double), never one further
away, so that the dates of a sidebar, a 留言 list or a footer are not the article's.
Without the headline in the text, the breadcrumb's 当前位置 label stands in for it;
without either, only the first ``FIRST_CHARS`` characters are searched.

List pages write an entry's date beside its link: ``2024-07-19`` (padded with
whitespace), ``[2024-07-19]``, ``2024/7/19``, ``2024.07.19``, ``2024年7月19日``, or
without the year, ``07-19`` / ``[07-19]`` (:func:`list_date`); many CMSs put it in the
article's URL (:func:`url_date`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_DATE = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}"
# Publication tags, strongest first (names compared in lower case).
_PUB_META = (
    "pubdate",
    "articlepubdate",
    "publishdate",
    "firstpublishedtime",
    "publishtime",
    "pubtime",
    "publish_date",
    "releasedate",
    "dcterms.issued",
    "dc.date.issued",
    "dc.date",
)
_GENERATED_RE = re.compile(r"(?:页面)?生成时间\s*[:：]?\s*(" + _DATE + ")")
_LABEL_RE = re.compile(
    r"(?:(?:发布|公开|上网|发稿|发表|刊发|刊登)(?:时间|日期)|发布于)\s*[:：]?\s*(" + _DATE + ")"
)
_WRITTEN_RE = re.compile(
    r"(?:(?:成文|生成|发文|印发|签发|制发)日期|(?<![\u4e00-\u9fff])(?:日期|时间))"
    r"\s*[:：]?\s*(" + _DATE + ")"
)
_LINE_DATE_RE = re.compile(_DATE + r"\s*日?(?:\s*\d{1,2}\s*[:：∶]\s*\d{2}(?:\s*[:：∶]\s*\d{2})?)?")
_SOURCE_WORDS_RE = re.compile(
    r"来源|出处|作者|编辑|供稿|撰稿|记者|通讯员|摄影|发布机构|发布单位|浏览|点击|阅读|访问|字号"
)
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_PLACE_RE = re.compile(r"(?:当前位置|您的位置|您现在的位置|您当前的位置|所在位置)\s*[:：]")
FIRST_CHARS = 3000  # searched when the headline is not found in the text
NEAR_HEADLINE = 5000  # how far from the headline a labelled date may be
LINE_CHARS = 120  # a date line is short
LINES_UNDER_HEADLINE = 4
HEADLINE_KEY = 12  # characters of the headline looked for in the text


@dataclass(frozen=True, slots=True)
class DateEvidence:
    """A publication date and where it was read: ``label``, ``line``, ``meta``,
    ``written``, ``generated`` or ``url`` (see the module's precedence)."""

    published: date
    source: str

    @property
    def visible(self) -> bool:
        """Whether the page shows it as its own date (a date line, or the 成文日期/生成日期
        of a document's metadata table)."""
        return self.source in ("label", "line", "written")


def parse_date(text: str | None) -> date | None:
    """The first plausible full date (year, month, day) in ``text``."""
    if not text:
        return None
    for match in _DATE_RE.finditer(text):
        year, month, day = (int(g) for g in match.groups())
        try:
            parsed = date(year, month, day)
        except ValueError:
            continue
        if 1990 <= parsed.year <= 2100:
            return parsed
    return None


def headline_span(text: str, headline: str) -> tuple[int, int] | None:
    """Where the headline first appears in ``text`` (found by its first characters), as
    (start, end) offsets, if it does."""
    headline = re.sub(r"\s+", " ", headline).strip()
    for key in (headline[:HEADLINE_KEY], headline.replace(" ", "")[:HEADLINE_KEY]):
        if len(key) < 4:
            continue
        found = text.find(key)
        if found >= 0:
            full = text.startswith(headline, found)
            return found, found + (len(headline) if full else len(key))
    return None


def _distance(start: int, end: int, anchor: tuple[int, int]) -> int:
    """How far a stretch of text is from the headline; the article's date line is more
    often under the headline than above it, so above counts double."""
    if start >= anchor[0]:
        return max(0, start - anchor[1])
    return 2 * max(0, anchor[0] - end)


def _nearest(pattern: re.Pattern, text: str, anchor: tuple[int, int] | None) -> date | None:
    """The date of the match of ``pattern`` nearest to the headline (within
    ``NEAR_HEADLINE``), or of the first match in the first ``FIRST_CHARS`` without one."""
    if anchor is None:
        for match in pattern.finditer(text, 0, FIRST_CHARS):
            found = parse_date(match.group(1))
            if found:
                return found
        return None
    best: tuple[int, date] | None = None
    lo, hi = max(0, anchor[0] - NEAR_HEADLINE), anchor[1] + NEAR_HEADLINE
    for match in pattern.finditer(text, lo, hi):
        found = parse_date(match.group(1))
        if found is None:
            continue
        distance = _distance(match.start(), match.end(), anchor)
        if best is None or distance < best[0]:
            best = (distance, found)
    return best[1] if best else None


def _line_date(line: str, headline: str) -> date | None:
    """The date of a short date line: what the date, its time and the headline leave is
    punctuation, or says where the article comes from."""
    if headline and headline in line:
        line = line.replace(headline, " ")
    if len(line) > LINE_CHARS:
        return None
    match = _LINE_DATE_RE.search(line)
    if match is None:
        return None
    rest = line[: match.start()] + " " + line[match.end() :]
    if _CJK_RE.search(rest) and not _SOURCE_WORDS_RE.search(rest):
        return None
    if _LINE_DATE_RE.search(rest):
        return None  # two dates (a period, 公示时间 …–…): not a date line
    return parse_date(match.group(0))


def _unlabelled(text: str, anchor: tuple[int, int] | None, headline: str) -> date | None:
    """An unlabelled date on the headline's line or just under it, else on the source
    line nearest to the headline."""
    if anchor is not None:
        start = text.rfind("\n", 0, anchor[0]) + 1
        lines = text[start : anchor[1] + LINE_CHARS * (LINES_UNDER_HEADLINE + 1)].split("\n")
        previous = ""
        for line in lines[: LINES_UNDER_HEADLINE + 1]:
            # a value under its label (生成日期：/2023-05-11) is the labels' business
            if not previous.rstrip().endswith((":", "：")):
                found = _line_date(line, headline)
                if found:
                    return found
            previous = line
    if anchor is None:
        lo, hi = 0, FIRST_CHARS
    else:
        lo, hi = max(0, anchor[0] - NEAR_HEADLINE), anchor[1] + NEAR_HEADLINE
    best: tuple[int, date] | None = None
    for match in _SOURCE_WORDS_RE.finditer(text, lo, hi):
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.start())
        end = end if end >= 0 else len(text)
        found = _line_date(text[start:end], headline)
        if found is None:
            continue
        if anchor is None:
            return found
        distance = _distance(start, end, anchor)
        if best is None or distance < best[0]:
            best = (distance, found)
    return best[1] if best else None


def _meta_dates(meta: dict[str, str]) -> tuple[date | None, set[date]]:
    """The publication tag's date, and the page-generation dates the meta declares."""
    lowered = {k.lower(): v for k, v in meta.items()}
    published = None
    for name in _PUB_META:
        published = parse_date(lowered.get(name))
        if published:
            break
    generated = {
        found
        for value in lowered.values()
        if "生成时间" in value
        for found in (parse_date(m.group(1)) for m in _GENERATED_RE.finditer(value))
        if found
    }
    return published, generated


def publication_evidence(
    meta: dict[str, str], text: str = "", url: str = "", headline: str = ""
) -> DateEvidence | None:
    """The page's publication date and its source, by the module's precedence.

    ``text`` is the page's visible body text (without its ``<title>``), ``headline`` its
    headline (``ArticleTitle``, ``<h1>`` or the title's first part)."""
    anchor = headline_span(text, headline) if headline else None
    if anchor is None:  # the breadcrumb's label, just above an article's headline
        place = _PLACE_RE.search(text)
        anchor = place.span() if place else None
    found = _nearest(_LABEL_RE, text, anchor)
    if found:
        return DateEvidence(found, "label")
    found = _unlabelled(text, anchor, headline.strip())
    if found:
        return DateEvidence(found, "line")
    tagged, generated = _meta_dates(meta)
    if tagged and tagged not in generated:
        return DateEvidence(tagged, "meta")
    found = _nearest(_WRITTEN_RE, text, anchor)
    if found:
        return DateEvidence(found, "written")
    if tagged:
        return DateEvidence(tagged, "generated")
    found = url_date(url) if url else None
    return DateEvidence(found, "url") if found else None


def date_labels(text: str) -> int:
    """How many 发布时间/成文日期 … labels with a date the text shows (an article shows one
    to three; a list of dated items one per item)."""
    return sum(1 for _ in _LABEL_RE.finditer(text)) + sum(
        1 for m in _WRITTEN_RE.finditer(text) if not m.group(0).startswith(("日期", "时间"))
    )


def publication_date(
    meta: dict[str, str], text: str = "", url: str = "", headline: str = ""
) -> date | None:
    """The page's publication date (:func:`publication_evidence`), if any."""
    evidence = publication_evidence(meta, text, url, headline)
    return evidence.published if evidence else None


# A month-day with no year: not part of a longer number or a full date.
_MONTH_DAY_RE = re.compile(r"(?<![\d/.\-年])(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?![\d/.\-:])\s*日?")
# TRS ``/202407/t20240719_123.html``; Hanweb ``/art/2024/7/19/art_12_345.html``;
# ``/2024-07/19/content_1.htm`` (gov.cn, xinhuanet); ``/2024/07/19/…`` and
# ``/2024/0719/…`` (people.cn and others); ``/20240719/…`` (上海 etui: ``/nw4411/20230819/``).
_URL_DATE_RES = (
    re.compile(r"/t(\d{4})(\d{2})(\d{2})_\w+\.\w+"),
    re.compile(r"/art/(\d{4})/(\d{1,2})/(\d{1,2})/"),
    re.compile(r"/(\d{4})-(\d{1,2})/(\d{1,2})/"),
    re.compile(r"/(\d{4})/(\d{1,2})/(\d{1,2})/"),
    re.compile(r"/(\d{4})/(\d{2})(\d{2})/"),
    re.compile(r"/(\d{4})(\d{2})(\d{2})/"),
)


def has_visible_date_line(text: str) -> bool:
    """Whether the page shows an article's 发布时间/发布日期 line near its top."""
    return _LABEL_RE.search(text, 0, FIRST_CHARS) is not None


def list_date(text: str | None, today: date) -> date | None:
    """The date written beside a list entry; a year-less ``MM-DD`` is the latest such
    day not after ``today`` (``12-30`` read on 2024-01-05 is 2023-12-30)."""
    if not text:
        return None
    full = parse_date(text)
    if full is not None:
        return full
    for match in _MONTH_DAY_RE.finditer(text):
        month, day = int(match.group(1)), int(match.group(2))
        for year in (today.year, today.year - 1):
            try:
                candidate = date(year, month, day)
            except ValueError:
                continue
            if candidate <= today:
                return candidate
    return None


def url_date(url: str) -> date | None:
    """The publication date a CMS writes into an article URL, if any."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    for pattern in _URL_DATE_RES:
        for match in pattern.finditer(path):
            try:
                found = date(*(int(g) for g in match.groups()))
            except ValueError:
                continue
            if 1990 <= found.year <= 2100:
                return found
    return None
