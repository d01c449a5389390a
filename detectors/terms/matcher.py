"""Find erroneous and sensitive terms (错敏词) in page text.

``TermMatcher`` is built once per scan from the term base and then used for every page,
from any thread: after ``__init__`` nothing in it changes (the automata, the term tables
and jieba's dictionary are only read).

How a page is searched, and why:

* **Two detection copies** (``normalize``): non-sensitive entries are matched over the
  normal copy (case, width, traditional → simplified, format characters removed);
  ``sensitive`` entries over the *noise-stripped* copy instead, where punctuation and
  symbols between Han characters are gone (法@轮功 reads 法轮功; a term occurring plainly
  is in that copy too). Only sensitive words are deliberately disguised; stripping noise
  for typos would join words across commas. A word formed across a comma in the
  stripped copy (依法。轮流) is then rejected by the boundary rule below, which segments
  the stripped clause (依法/轮流).
* **Aho–Corasick** (``ahocorasick_rs``, Rust) finds every occurrence of every term of
  a copy in one pass, overlapping matches included, so a short term inside a longer
  one is seen. Each copy is searched with its own automaton.
* **Dates**: ``entry.applies_on(published)`` — an outdated institution name counts only
  in content published after the reform; undated content is not held to such entries.
* **Outdated names in context** (``context``; ``outdated_name`` entries only): a name
  inside 《…》 is not reported; a hit is judged at the earliest date its own context
  gives when that is earlier than ``published`` (a date or a 文号 year in its sentence,
  the date of its list entry), so a text without a date of its own can still have
  dated hits; a name in a document's title (``……关于……的通知``) is judged only by such
  a date of its own; and a name after a lead word and a run of place names (原四川银监局,
  原江西省国土资源厅, the entry's ``leads``) is history, not an error. A text with no
  ``published`` date may come with a ``seen`` date (an undated page: the newest date it
  shows): hits on its short lines (navigation, footers, list titles: at most
  ``context.ENTRY_LINE`` characters and no full stop, ``context.short_line``) are
  judged at it, running prose is not (an old article whose own date was not read must
  not be judged by a fresh sidebar). A text's ``region`` (its site's province-level
  region) allows the names an entry lists as current there (``current_in``:
  重庆's 区文化和旅游发展委员会).
* **Allow phrases beat terms**: a hit is dropped when an allow phrase (the entry's own,
  or a global one) occurs in the same detection copy and covers the whole hit
  (原国土资源局 covers 国土资源局). Allow phrases have their own automaton, run only on
  pages that have a hit.
* **Word boundaries** (jieba, HMM off): a hit is dropped when its start or end falls
  strictly inside a word jieba finds in the clause around it — 办法轮流 is 办法/轮流, so
  法轮 is not there; 舞台独特 is 舞台/独特; 路口交通 is 路口/交通. Only the clause (split at
  punctuation and newlines, at most ``CLAUSE_REACH`` characters each side) is segmented:
  segmenting whole pages is ~100 times slower than matching them. The rule applies to
  ``sensitive`` entries and to every entry of at most ``SHORT_TERM`` characters: short
  terms made of common characters are the ones that occur by accident across two
  words. Longer wrong expressions, outdated names and typos are specific enough to be
  errors wherever they occur, and jieba does not know most of them, so it would only
  guess. A typo is not a dictionary word, so jieba leaves its characters alone unless a
  neighbour forms a real word with one of them: 布署了 is 布署/了 (kept), while 按装修
  is 按/装修 (dropped: 装修 is right there, nothing is misspelt). The price: a short
  term inside a longer dictionary word is not reported (贯彻 in 认真贯彻落实, which jieba
  keeps as one word) — list the longer form as its own entry when that matters.
* **Overlaps**: every entry's hits are reported, overlapping ones too, except that for
  one original span only the most severe entry is kept, and a hit contained in a longer
  hit of the same category is dropped (法轮 inside 法轮功 is one finding, not two).

Offsets in a ``TermHit`` are into the original text; ``matched`` is its slice there
(so 法@轮功 is quoted as written) and ``context`` about 20 characters either side. Hits
come ordered by start, the longer first at one start.

Speed (``bench/terms.py``, 20,000 terms): the search is dominated by the automaton
pass; ``find_many`` runs it over a batch of pages before judging any match, which keeps
the automaton in the processor's cache. jieba runs only on the clauses around raw
matches, and only when a dictionary word could cross an end of the hit (``_may_cross``: a few dict
look-ups; most hits sit between ordinary words and need no segmentation), with an LRU
cache of clause segmentations shared by all pages (boilerplate repeats). Allow phrases
are searched in a window around each hit, not over the page. A ``find`` on a short
string (anchor text) costs ~5 µs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache

import ahocorasick_rs as _ac

from common.clock import today
from common.vocabulary import severity_rank
from detectors.terms import context
from detectors.terms.entry import TermEntry
from detectors.terms.normalize import (
    Normalized,
    detection_copies,
    normalize,
    punctuation_variants,
)

logger = logging.getLogger(__name__)

DFA_MAX_PATTERNS = 5000
CONTEXT_CHARS = 20
CLAUSE_REACH = 16  # chars each side; 8 … 40 gave the same decisions on 2,823 bench hits
SHORT_TERM = 2

CATEGORY_RANK = {"sensitive": 0, "wrong_expression": 1, "outdated_name": 2, "typo": 3}

# Clause ends for the boundary check: Chinese and ASCII punctuation, whitespace.
_CLAUSE_BREAKS = frozenset(
    "\n\r\t \u3000。，、；：？！…—·“”‘’「」『』（）《》〈〉【】〔〕［］｛｝～"
    "，．：；！？（）［］｛｝＂＇"
    ".,;:?!()[]{}<>\"'|/\\"
)
_CONTEXT_WS = str.maketrans({"\n": " ", "\r": " ", "\t": " "})


@dataclass(frozen=True, slots=True)
class TextFacts:
    """What dates and places a text: its publication date; for an undated text, the
    newest date it shows (``seen``); its site's province-level region
    (``common.regions``)."""

    published: date | None = None
    seen: date | None = None
    region: str | None = None


@dataclass(frozen=True, slots=True)
class TermHit:
    """One occurrence of a term: where it is in the original text and how it reads there."""

    entry: TermEntry
    start: int
    end: int
    matched: str
    context: str


class _Automaton:
    """Aho–Corasick over a set of patterns, overlapping matches as (pattern, start, end).

    ``ahocorasick_rs`` (Rust, ~50 MB/s on 20,000 Chinese terms and offsets in
    characters)."""

    def __init__(self, patterns: list[str]):
        self.patterns = patterns
        # A DFA is the fastest search (260 against 190 MB/s for 2,000 Chinese terms) but
        # its memory and build time grow fast; past a few thousand terms the contiguous
        # NFA is both faster (125 against 110 MB/s at 20,000) and smaller.
        small = len(patterns) <= DFA_MAX_PATTERNS
        kind = _ac.Implementation.DFA if small else _ac.Implementation.ContiguousNFA
        self._rs = _ac.AhoCorasick(patterns, matchkind=_ac.MATCHKIND_STANDARD, implementation=kind)

    def find(self, text: str) -> list[tuple[int, int, int]]:
        """Matches in ``text``, in character offsets."""
        return self._rs.find_matches_as_indexes(text, overlapping=True)


def _build(table: dict[str, list[int]]) -> tuple[_Automaton | None, list[tuple[int, ...]]]:
    """The automaton over ``table``'s patterns and, per pattern index, the owners."""
    if not table:
        return None, []
    patterns = list(table)
    return _Automaton(patterns), [tuple(table[p]) for p in patterns]



def needs_boundary_check(entry: TermEntry) -> bool:
    """Sensitive entries and short terms of any category (see the module docstring)."""
    return entry.category == "sensitive" or len(entry.term) <= SHORT_TERM


class _Pass:
    """One detection copy's automata: terms and the allow phrases that apply there."""

    def __init__(
        self,
        entries: list[TermEntry],
        indexes: list[int],
        global_allow: Iterable[str],
        strip_noise: bool,
    ):
        terms: dict[str, list[int]] = {}
        allows: dict[str, list[int]] = {}
        for i in indexes:
            entry = entries[i]
            key = normalize(entry.term, strip_noise=strip_noise).text
            if not key.strip():
                logger.warning(
                    "词条“%s”规范化后为空，已忽略（%s:%s）", entry.term, entry.file, entry.line
                )
                continue
            for variant in punctuation_variants(key):
                _own(terms, variant, i)
            for phrase in entry.allow:
                for variant in _allow_keys(phrase, strip_noise):
                    _own(allows, variant, i)
        for phrase in global_allow:
            for variant in _allow_keys(phrase, strip_noise):
                allows.setdefault(variant, []).insert(0, GLOBAL)
        self.keys = {key: tuple(owners) for key, owners in terms.items()}
        self.allows, self.allow_owners = _build(allows)
        # An allow occurrence that covers a hit lies within this reach of it.
        self.allow_reach = max(map(len, allows), default=0)

    @cached_property
    def terms(self) -> _Automaton:
        """This copy's own automaton."""
        return _Automaton(list(self.keys))

    @cached_property
    def term_owners(self) -> list[tuple[int, ...]]:
        return list(self.keys.values())

    def allow_spans(
        self, text: str, start: int, end: int
    ) -> list[tuple[int, int, tuple[int, ...]]]:
        """Allow occurrences that could cover ``text[start:end]``: those inside the window
        ``[end - reach, start + reach)``, since an allow phrase is at most ``reach`` long.
        Searching the window instead of the whole page finds exactly the same covering
        occurrences at a fraction of the cost (a whole-page pass per page with a hit was
        a quarter of the matching time)."""
        if self.allows is None:
            return []
        lo = max(0, end - self.allow_reach)
        hi = start + self.allow_reach
        owners = self.allow_owners
        return [(lo + s, lo + e, owners[a]) for a, s, e in self.allows.find(text[lo:hi])]


GLOBAL = -1  # owner of a global allow phrase: it applies to every entry


def _own(table: dict[str, list[int]], key: str, i: int) -> None:
    owners = table.setdefault(key, [])
    if i not in owners:
        owners.append(i)


def _allow_keys(phrase: str, strip_noise: bool) -> set[str]:
    key = normalize(phrase, strip_noise=strip_noise).text
    return punctuation_variants(key) if key.strip() else set()


class TermMatcher:
    """All entries of a term base, ready to search many texts (see the module docstring)."""

    def __init__(self, entries: Iterable[TermEntry], allow: Iterable[str] = ()):
        self.entries: list[TermEntry] = list(entries)
        global_allow = [a for a in allow if a and a.strip()]
        sensitive = [i for i, e in enumerate(self.entries) if e.category == "sensitive"]
        others = [i for i, e in enumerate(self.entries) if e.category != "sensitive"]
        plain = _Pass(self.entries, others, global_allow, strip_noise=False)
        stripped = _Pass(self.entries, sensitive, global_allow, strip_noise=True)
        self._plain = plain if plain.keys else None
        self._stripped = stripped if stripped.keys else None
        self._rank = [_rank(e) for e in self.entries]
        self._check = [needs_boundary_check(e) for e in self.entries]
        self._outdated = [e.category == "outdated_name" for e in self.entries]
        self._leads = [
            tuple((_plain_key(lead), _plain_key(phrase)) for lead, phrase in e.leads)
            for e in self.entries
        ]
        self._regional = [
            tuple((region, _plain_key(name)) for region, name, _reason in e.current_in)
            for e in self.entries
        ]
        if any(self._check):
            context.segmenter()  # load the dictionary now, not during the first page

    def find(
        self,
        text: str,
        *,
        published: date | None = None,
        seen: date | None = None,
        region: str | None = None,
    ) -> list[TermHit]:
        """Every reportable occurrence of a term in ``text``, in order of position."""
        return self.find_many([(text, TextFacts(published, seen, region))])[0]

    def find_many(
        self, texts: Sequence[tuple[str, date | TextFacts | None]]
    ) -> list[list[TermHit]]:
        """``find`` for several texts at once, each with its publication date or its
        ``TextFacts`` (publication date, ``seen`` date of an undated text, region).

        The automata search the texts one after the other before any match is
        judged: their tables stay in the processor's cache. Interleaved with parsing and
        judging, the same search took half as long again (the detection worker gets
        pages in batches, see ``crawler.page_detection``)."""
        if self._plain is None and self._stripped is None:
            return [[] for _ in texts]
        copies = [detection_copies(text) if text else (None, None) for text, _ in texts]
        searched = [
            [
                (p, copy, p.terms.find(copy.text))
                for p, copy in ((self._plain, plain), (self._stripped, stripped))
                if p is not None and copy is not None
            ]
            for plain, stripped in copies
        ]
        results: list[list[TermHit]] = []
        for (text, facts), passes in zip(texts, searched, strict=True):
            published = facts if isinstance(facts, TextFacts) else TextFacts(facts)
            found: dict[tuple[int, int], int] = {}  # original span → entry index
            for p, copy, matches in passes:
                owners_of = p.term_owners
                for pid, start, end in matches:
                    self._consider(p, copy, owners_of[pid], start, end, published, found)
            kept = _drop_contained(found, self.entries) if found else []
            results.append([_hit(self.entries[i], text, s, e) for (s, e), i in kept])
        return results

    def _consider(
        self,
        p: _Pass | None,
        copy: Normalized,
        owners: tuple[int, ...],
        start: int,
        end: int,
        published: TextFacts,
        found: dict[tuple[int, int], int],
    ) -> None:
        """Record the match ``copy.text[start:end]`` for each owner that reports it:
        in force on the publication date, not covered by an allow phrase, on word
        boundaries; one entry per original span, the highest ranked."""
        assert p is not None
        allow_spans: list[tuple[int, int, tuple[int, ...]]] | None = None
        in_context: _InContext | None = None
        for i in owners:
            entry = self.entries[i]
            if self._outdated[i]:
                # Its own context can only date a hit earlier than the page.
                day = published.published or published.seen
                if day and entry.valid_until is None and not entry.applies_on(day):
                    continue
            elif not entry.applies_on(published.published):
                continue
            if p.allows is not None:
                if allow_spans is None:
                    allow_spans = p.allow_spans(copy.text, start, end)
                if _allowed(i, start, end, allow_spans):
                    continue
            if self._check[i] and not _on_boundaries(copy.text, start, end):
                continue
            if self._outdated[i]:
                if in_context is None:
                    in_context = _InContext(copy.text, start, end, published)
                if not in_context.reportable(entry, self._leads[i], self._regional[i]):
                    continue
            span = copy.to_original(start, end)
            held = found.get(span)
            if held is None or self._rank[i] < self._rank[held]:
                found[span] = i


class _InContext:
    """One hit of an outdated name in its context (``context``), worked out once for
    all the entries that own the span."""

    def __init__(self, text: str, start: int, end: int, dates: TextFacts):
        self.text, self.start, self.end = text, start, end
        self.quoted = context.book_title(text, start, end)
        self._dates = dates

    @cached_property
    def when(self) -> tuple[bool, date | None]:
        """Whether the hit can be dated, and the date it is judged at: the earlier of
        the text's and its own. A document's title with no date of its own cannot be;
        in an undated text, only a short line is judged at the text's ``seen`` date."""
        text, start, end = self.text, self.start, self.end
        page = self._dates.published
        if page is None and self._dates.seen and context.short_line(text, start, end):
            page = self._dates.seen
        latest = page or today()  # a later date is a deadline, not a date of writing
        own = context.own_date(self.text, self.start, self.end, latest)
        if own is None:
            if context.document_title(self.text, self.start, self.end):
                return False, None
            return True, page
        return True, own if page is None else min(own, page)

    def reportable(
        self,
        entry: TermEntry,
        leads: tuple[tuple[str, str], ...],
        regional: tuple[tuple[str, str], ...],
    ) -> bool:
        if self.quoted:
            return False
        region = self._dates.region
        if region and any(where == region and self._inside(name) for where, name in regional):
            return False  # the name is current in the text's region
        if entry.valid_from is not None or entry.valid_until is not None:
            datable, when = self.when
            if not datable or not entry.applies_on(when):
                return False
        return not (leads and context.led_by(self.text, self.start, self.end, leads))

    def _inside(self, phrase: str) -> bool:
        """Whether an occurrence of ``phrase`` covers the hit."""
        hit = self.text[self.start : self.end]
        k = phrase.find(hit)
        while k >= 0:
            at = self.start - k
            if at >= 0 and self.text.startswith(phrase, at):
                return True
            k = phrase.find(hit, k + 1)
        return False


def _plain_key(phrase: str) -> str:
    """``phrase`` as it reads in the plain detection copy."""
    return normalize(phrase, strip_noise=False).text


def _rank(entry: TermEntry) -> tuple[int, int]:
    """Lower is kept: more severe first, then sensitive > wrong expression > outdated > typo."""
    return severity_rank(entry.severity), CATEGORY_RANK.get(entry.category, 9)


def _allowed(i: int, start: int, end: int, spans: list[tuple[int, int, tuple[int, ...]]]) -> bool:
    """Whether an allow occurrence that applies to entry ``i`` covers ``[start, end)``."""
    for s, e, owners in spans:
        if s <= start and end <= e and (owners[0] == GLOBAL or i in owners):
            return True
    return False


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around ``[start, end)``: up to the nearest break, at most CLAUSE_REACH."""
    lo = start
    floor = max(0, start - CLAUSE_REACH)
    while lo > floor and text[lo - 1] not in _CLAUSE_BREAKS:
        lo -= 1
    hi = end
    ceiling = min(len(text), end + CLAUSE_REACH)
    while hi < ceiling and text[hi] not in _CLAUSE_BREAKS:
        hi += 1
    return lo, hi


def _on_boundaries(text: str, start: int, end: int) -> bool:
    """Whether jieba's segmentation of the clause has word boundaries at start and end."""
    lo, hi = _clause(text, start, end)
    if not (_may_cross(text, start, lo, hi) or _may_cross(text, end, lo, hi)):
        return True
    bounds = _word_bounds(text[lo:hi])
    return (start - lo) in bounds and (end - lo) in bounds


_JIEBA_JOINS = frozenset("\r\nabcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _may_cross(text: str, b: int, lo: int, hi: int) -> bool:
    """Whether jieba (HMM off) could put a word across offset ``b`` of the clause
    ``text[lo:hi]``; ``False`` means ``b`` is a boundary in its segmentation, for sure.

    jieba joins characters only along dictionary words (its DAG: every word of its
    prefix-closed ``FREQ`` with a non-zero count that starts at a position), runs of
    single ASCII letters and digits, and ``\\r\\n``. So when no dictionary word inside
    the clause spans ``b - 1`` and ``b`` and neither neighbour is such a character, no
    segmentation can cross ``b``. That is the common case (a hit between ordinary
    words) and costs a few dictionary look-ups instead of segmenting the clause (~150 µs
    with jieba's Python DAG). Words across jieba's own block breaks are counted too:
    seeing more than jieba does only sends more clauses to jieba, never fewer."""
    if b <= lo or b >= hi:
        return False  # a clause end is always a boundary
    if text[b - 1] in _JIEBA_JOINS or text[b] in _JIEBA_JOINS:
        return True
    freq = context.segmenter().dt.FREQ
    for k in range(b - 1, lo - 1, -1):
        if text[k:b] not in freq:
            continue  # not a prefix of any word: no word from k reaches past b
        for j in range(b + 1, hi + 1):
            count = freq.get(text[k:j])
            if count is None:
                break
            if count:
                return True
    return False


@lru_cache(maxsize=8192)
def _word_bounds(clause: str) -> frozenset[int]:
    """Offsets in ``clause`` where jieba (HMM off) puts a word boundary, ends included.

    Cached across pages and threads (``lru_cache`` is thread-safe): navigation, footers
    and boilerplate repeat on every page of a site, and so do their clauses."""
    bounds = [0]
    pos = 0
    for token in context.segmenter().lcut(clause, HMM=False):
        pos += len(token)
        bounds.append(pos)
    if pos != len(clause):  # jieba did not return the clause as written: do not judge
        return frozenset(range(len(clause) + 1))
    return frozenset(bounds)


def _drop_contained(
    found: dict[tuple[int, int], int], entries: list[TermEntry]
) -> list[tuple[tuple[int, int], int]]:
    """Spans in order, without those inside a longer span of the same category."""
    ordered = sorted(found.items(), key=lambda item: (item[0][0], -item[0][1]))
    reach: dict[str, int] = {}
    kept = []
    for (s, e), i in ordered:
        category = entries[i].category
        if reach.get(category, -1) >= e:
            continue
        reach[category] = max(reach.get(category, -1), e)
        kept.append(((s, e), i))
    return kept


def _hit(entry: TermEntry, text: str, start: int, end: int) -> TermHit:
    matched = text[start:end]
    before = text[max(0, start - CONTEXT_CHARS) : start]
    after = text[end : end + CONTEXT_CHARS]
    context = f"{before}【{matched}】{after}".translate(_CONTEXT_WS).strip()
    return TermHit(entry, start, end, matched, context)
