"""Policy documents and their interpretations (政策解读), paired as a reader would.

Documents are the crawled entries of ``policy.document_columns`` when the operator lists
any: that list is authoritative. Only when none are listed are documents typed
automatically: articles that carry their own 文号 (``龙府办字〔2024〕36号``) or the
ColumnType 政策文件/规范性文件, and that read as policy (:func:`reads_as_policy`): an
ordinary news item in a column typed 政策文件, a 函 on an activity or a 行政处罚 table
with a 文号 never needs a 解读. Interpretations are the crawled entries of
``policy.interpretation_columns`` and the articles whose title says 解读.
A document and an interpretation pair when either links to the other (相关解读, 原文,
相关文件 … relative or absolute, compared as resolved URL keys), else when the
interpretation quotes the document's title (《…》) or its 文号.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from common.urls import url_key
from detectors.column_discovery import first_page_key
from detectors.page_facts import PageFacts, normalise_number

_POLICY_TYPES = ("政策文件", "规范性文件")
# What a policy document calls itself (关于印发…的通知 issues one); what a routine one does.
_POLICY_TITLE_RE = re.compile(
    r"办法|规定|意见|方案|措施|细则|条例|规则|关于印发.{2,}的通知|印发.{2,}(?:的通知|的决定)"
)
_NOT_POLICY_TITLE_RE = re.compile(
    r"征求意见|意见建议|意见反馈|任免|任职|免职|批复|复函|处罚|表彰|通报|公示|中标|采购|招标"
)
_STRIP_RE = re.compile(r"[\s《》“”\"'（）()]")
MIN_QUOTED = 6  # a quoted title shorter than this is too generic to pair on


@dataclass
class PolicyPage:
    key: str
    url: str
    title: str
    number: str | None
    published: date | None
    cites_titles: list[str]
    cites_numbers: list[str]


@dataclass
class Pairing:
    interpretation: PolicyPage
    links_to_document: bool  # the interpretation links to the document
    linked_from_document: bool  # the document links to the interpretation
    quoted: bool

    @property
    def both_ways(self) -> bool:
        return self.links_to_document and self.linked_from_document


def _entries_of(columns: list[str], pages: dict[str, PageFacts]) -> dict[str, object]:
    """Entry URL key → list date, for every crawled list page of the given columns
    (their paginated pages included)."""
    wanted = {url_key(c) for c in columns}
    found: dict[str, object] = {}
    for page in pages.values():
        if page.kind != "list" or first_page_key(page.url) not in wanted:
            continue
        for entry in page.entries:
            found.setdefault(entry.url_key, entry.listed)
    return found


def _policy_page(page: PageFacts, listed: object = None) -> PolicyPage:
    cites = page.cites or {}
    return PolicyPage(
        key=page.key,
        url=page.url,
        title=page.headline,
        number=page.document_number,
        published=page.published or (listed if isinstance(listed, date) else None),
        cites_titles=list(cites.get("titles", [])),
        cites_numbers=[normalise_number(n) for n in cites.get("numbers", [])],
    )


def reads_as_policy(headline: str) -> bool:
    """Whether a document's title says it is a policy (办法, 规定, 意见, 方案, 措施, 细则,
    关于印发…的通知 …) and not a routine one (任免, 批复, 处罚, 公示, 征求意见 …)."""
    return bool(_POLICY_TITLE_RE.search(headline)) and not _NOT_POLICY_TITLE_RE.search(headline)


def policy_pages(
    pages: dict[str, PageFacts], document_columns: list[str], interpretation_columns: list[str]
) -> tuple[list[PolicyPage], list[PolicyPage]]:
    """(documents, interpretations) among the articles this scan read."""
    doc_entries = _entries_of(document_columns, pages)
    interp_entries = _entries_of(interpretation_columns, pages)
    documents, interpretations = [], []
    for key, page in sorted(pages.items()):
        if page.kind != "article":
            continue
        is_interpretation = key in interp_entries or "解读" in page.headline
        if is_interpretation:
            interpretations.append(_policy_page(page, interp_entries.get(key)))
            continue
        if document_columns:
            is_document = key in doc_entries
        else:
            typed = any(t in page.column_type for t in _POLICY_TYPES)
            is_document = (bool(page.document_number) or typed) and reads_as_policy(page.headline)
        if is_document:
            documents.append(_policy_page(page, doc_entries.get(key)))
    return documents, interpretations


def _plain(text: str) -> str:
    return _STRIP_RE.sub("", text)


def quotes(interpretation: PolicyPage, document: PolicyPage) -> bool:
    """The interpretation quotes the document's 文号, or its title (in 《》 or its own title)."""
    # A quoted number is read with the words before it (印发了龙府办字〔2024〕48号): it
    # quotes the document when it ends with the document's number.
    if document.number and (
        any(cited.endswith(document.number) for cited in interpretation.cites_numbers)
        or document.number in normalise_number(interpretation.title)
    ):
        return True
    title = _plain(document.title)
    if len(title) < MIN_QUOTED:
        return False
    for quoted in interpretation.cites_titles:
        quoted = _plain(quoted)
        if len(quoted) >= MIN_QUOTED and (quoted == title or quoted in title):
            return True
    return title in _plain(interpretation.title)


def pair(
    document: PolicyPage, interpretations: list[PolicyPage], outlinks: dict[str, set[str]]
) -> Pairing | None:
    """The document's interpretation: linked both ways first, then linked one way, then
    quoted; the earliest published among equals."""
    out = outlinks.get(document.key, set())
    best: tuple[tuple, Pairing] | None = None
    for interp in interpretations:
        to_doc = document.key in outlinks.get(interp.key, set())
        from_doc = interp.key in out
        quoted = (to_doc or from_doc) or quotes(interp, document)
        if not quoted:
            continue
        found = Pairing(interp, to_doc, from_doc, quoted)
        rank = (
            -(to_doc + from_doc),
            interp.published or date.max,
            interp.url,
        )
        if best is None or rank < best[0]:
            best = (rank, found)
    return best[1] if best else None
