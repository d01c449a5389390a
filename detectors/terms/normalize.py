"""The detection copy of a text: what terms are matched against, and the way back.

Page text is written in many ways that mean the same word to a reader: full-width
letters (``ＡＢＣ１２３``), upper case, traditional characters (貫徹 for 贯彻), invisible
format characters pasted from Word or inserted on purpose (``布\\u200b署``), and, for
sensitive words, noise put between the characters to get past filters (法@轮、法 轮).
``normalize`` builds a *detection copy* in which all of these read the same, plus an
index map from every position of the copy back to the original, so that a finding
quotes and locates exactly what the page says.

Steps, in order:

1. **Case and width** (length-preserving): ``str.lower()`` (C speed; U+0130 İ, the only
   character whose lower case is two characters long, is folded to ``i`` first), then
   full-width letters and digits (U+FF10–FF5A) become ASCII. Full-width *punctuation*
   (，：（）) and the ideographic space are left alone: they are the normal forms in
   Chinese text, so folding them would rewrite nearly every page (a full
   ``str.translate`` runs at ~45 MB/s, ten times slower than the rest); terms that
   contain punctuation are instead matched in both forms (see ``punctuation_variants``).
2. **Traditional → simplified**, character by character, with a table built once from
   OpenCC's own ``t2s`` conversion (``opencc`` package, the official binding), applied
   with ``str.translate``. OpenCC's phrase-level conversion can change the length
   (and so the index map) and costs far more; character-level conversion is exact for
   detection because terms go through the same table: whatever 乾 becomes in a page, it
   becomes in the term too (measured: the char-by-char ``t2s`` table has 5,118 entries,
   all 1:1). Finding the characters to change is a regex search (~600 MB/s); a few
   (simplified pages hold some: 乾、拚、夥) are replaced one by one, a traditional page
   gets one whole ``str.translate`` (~45 MB/s, but only on those pages).
3. **Deletions** (the only length-changing step): format characters (category Cf:
   U+200B–U+200F, U+2060–U+206F, U+FEFF, U+00AD …) everywhere; with
   ``strip_noise=True`` also runs of at most ``MAX_NOISE_RUN`` noise characters
   (punctuation, symbols, spaces, tabs, literal entity references like ``&nbsp;``)
   *between two Han characters*, counted after the format characters are gone
   (they are invisible: 法@\u200b@轮 has a run of two). Newlines are never noise: they are the block
   separators of ``page_text`` and no term may be formed across blocks. Letters and
   digits are never noise either: ``法x轮`` is rare as an evasion and common as real
   text (型号、编号), so dropping them would cost more false findings than it gains.

Literal ``&nbsp;`` in text (a page that escaped its entities twice) is shown to the
visitor as ``&nbsp;``, so it is not unescaped; for sensitive words it counts as noise.

How: ``str`` methods and regular expressions, which state the rules plainly (~70 MB/s
of text for both copies on generated government pages). The map is two
``array('I')``: the copy offsets where a run of kept characters starts after a
deletion, and how many characters were deleted before it, built lazily (``re.split``,
``itertools.accumulate``) when a hit has to be mapped back. A C version of the copies
(Cython, three to seven times faster) was tried and removed: over a whole scan it saved
less than 1% of the CPU time (``bench/README.md``).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from array import array
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import accumulate

logger = logging.getLogger(__name__)

MAX_NOISE_RUN = 3  # longer runs between two Han characters are layout, not evasion
FOLD_PIECEWISE_MAX = 64  # more characters to fold than this: one str.translate is cheaper

_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
_HAN_BMP = "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _HAN_RANGES if hi < 0x10000)
_HAN_ASTRAL = "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _HAN_RANGES if lo > 0xFFFF)
_FULLWIDTH_ALNUM = [(0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)]
# Noise also taken from symbol blocks outside the BMP (emoji, dingbats, mahjong …).
_NOISE_PLANES = [(0, 0x10000), (0x1F000, 0x1FB00)]
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_ENTITY = r"&(?:[a-z]{2,8}|#[0-9]{1,7}|#x[0-9a-f]{1,6});"  # text is lower-cased by now
_ENTITY_RE = re.compile(_ENTITY)


def _ranges(codepoints: Iterable[int]) -> str:
    """A regex character class body for code points, written as ranges."""
    points = sorted(codepoints)
    out: list[str] = []
    i = 0
    while i < len(points):
        j = i
        while j + 1 < len(points) and points[j + 1] == points[j] + 1:
            j += 1
        a, b = points[i], points[j]
        out.append(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}")
        i = j + 1
    return "".join(out)


def _t2s_table() -> dict[int, str]:
    """OpenCC ``t2s`` applied to every Han code point on its own: a 1:1 character map.

    Converting all characters in one call, separated by newlines, takes ~40 ms; phrase
    rules cannot fire across the newlines, so each output is the character-level one.
    Entries whose output is not exactly one character are left out (there are none in
    OpenCC 1.4, but the map must stay length-preserving whatever the data says)."""
    try:
        import opencc
    except ImportError:  # the degraded mode is still useful; say so loudly
        logger.warning("未安装 opencc，繁体字将不转换为简体后再匹配")
        return {}
    chars = [
        chr(cp)
        for lo, hi in ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00), (0x20000, 0x2FA20))
        for cp in range(lo, hi)
    ]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):
        logger.warning("opencc 转换结果与输入不对应，繁体字将不转换")
        return {}
    return {ord(c): s for c, s in zip(chars, converted, strict=True) if s != c and len(s) == 1}


@dataclass(frozen=True)
class _Tables:
    """Compiled once, shared read-only by every thread.

    ``re`` compiles a class of BMP characters into a bitmap and, when a pattern starts
    with such a class, skips ahead in C to the next candidate (~500–900 MB/s). A class
    with one character above U+FFFF becomes a list of ranges tested one by one, and a
    pattern starting with a lookbehind or an alternation gets no skip-ahead: both are
    20–100× slower. So every hot pattern here is a BMP class first; astral characters,
    format characters and ``&`` (rare in visible text) send a text to the exact, slower
    patterns instead."""

    fold: dict[int, str]
    fold_bmp: re.Pattern[str]  # characters ``fold`` changes (BMP)
    fold_astral: re.Pattern[str]
    fmt_bmp_any: re.Pattern[str]  # one format character (BMP): the fast presence test
    fmt_bmp: re.Pattern[str]  # runs of format characters (BMP), one group, for split
    fmt_all: re.Pattern[str]
    noise_fast: re.Pattern[str]  # noise between Han, for texts without fmt/astral/entities
    noise_all: re.Pattern[str]  # exact: noise between Han (any plane, entities)


@cache
def _tables() -> _Tables:
    """Built on first use (~80 ms)."""
    fold = _t2s_table()
    for lo, hi in _FULLWIDTH_ALNUM:
        for cp in range(lo, hi + 1):
            fold[cp] = chr(cp - 0xFEE0).lower()
    fold_astral = [cp for cp in fold if cp > 0xFFFF]

    fmt = {
        cp
        for lo, hi in ((0, 0x10000), (0xE0000, 0xE0080))
        for cp in range(lo, hi)
        if unicodedata.category(chr(cp)) == "Cf"
    }
    fmt |= {0x00AD, 0xFEFF, *range(0x200B, 0x2010), *range(0x2060, 0x2070)}
    fmt_bmp = _ranges(cp for cp in fmt if cp < 0x10000)
    fmt_astral = _ranges(cp for cp in fmt if cp > 0xFFFF)

    noise = {
        cp
        for lo, hi in _NOISE_PLANES
        for cp in range(lo, hi)
        if unicodedata.category(chr(cp))[0] in "PSZ"
    }
    noise |= {0x09, 0x0B, 0x0C, 0x0D}  # tab, VT, FF, CR (not "\n": a block break)
    noise_bmp = _ranges(cp for cp in noise if cp < 0x10000)
    noise_astral = _ranges(cp for cp in noise if cp > 0xFFFF)
    han = f"[{_HAN_BMP}{_HAN_ASTRAL}]"
    any_noise = f"[{noise_bmp}]|[{noise_astral}]|{_ENTITY}"
    rest = MAX_NOISE_RUN - 1
    return _Tables(
        fold=fold,
        fold_bmp=re.compile(f"[{_ranges(cp for cp in fold if cp < 0x10000)}]"),
        fold_astral=re.compile(f"[{_ranges(fold_astral)}]" if fold_astral else "(?!)"),
        # A quantifier after the class also costs the skip-ahead (×3): the presence test
        # is the bare class.
        fmt_bmp_any=re.compile(f"[{fmt_bmp}]"),
        fmt_bmp=re.compile(f"([{fmt_bmp}]+)"),
        fmt_all=re.compile(f"([{fmt_bmp}{fmt_astral}]+)"),
        # The first noise character comes first so that ``re`` can skip ahead to it; the
        # lookbehind then checks the Han character before it.
        noise_fast=re.compile(
            f"([{noise_bmp}](?<=[{_HAN_BMP}][{noise_bmp}])[{noise_bmp}]{{0,{rest}}}"
            f"(?=[{_HAN_BMP}]))"
        ),
        noise_all=re.compile(f"((?<={han})(?:{any_noise}){{1,{MAX_NOISE_RUN}}}(?={han}))"),
    )


def fold(text: str) -> str:
    """Steps 1 and 2 (case, width, traditional → simplified); same length as ``text``."""
    return _fold(text)[0]


def _fold(text: str) -> tuple[str, bool]:
    """``fold(text)`` and whether the text has characters above U+FFFF (checked once here,
    since it decides which patterns the deletion step may use).

    Simplified pages still hold a few characters OpenCC converts (乾、拚、夥 are valid in
    simplified text too), so up to ``FOLD_PIECEWISE_MAX`` of them are replaced one by
    one; a traditional page gets one whole ``str.translate``."""
    t = _tables()
    if "\u0130" in text:
        text = text.replace("\u0130", "i")
    folded = text.lower()
    astral = _ASTRAL.search(folded) is not None
    positions: list[int] = []
    for pattern in (t.fold_bmp, t.fold_astral) if astral else (t.fold_bmp,):
        for m in pattern.finditer(folded):
            positions.append(m.start())
            if len(positions) > FOLD_PIECEWISE_MAX:
                return _checked(folded.translate(t.fold), text), astral
    if positions:
        positions.sort()
        pieces: list[str] = []
        prev = 0
        table = t.fold
        for pos in positions:
            pieces.append(folded[prev:pos])
            pieces.append(table[ord(folded[pos])])
            prev = pos + 1
        pieces.append(folded[prev:])
        folded = "".join(pieces)
    return _checked(folded, text), astral


def _checked(folded: str, text: str) -> str:
    if len(folded) != len(text):  # cannot happen with the tables above; never corrupt the map
        raise AssertionError("fold() changed the length of the text")
    return folded


class Normalized:
    """A detection copy and its map back to the original text.

    The map is two ``array('I')``: ``_starts[k]`` is the copy offset where the k-th run
    of kept characters begins after a deletion, ``_shifts[k]`` the number of original
    characters deleted before it; positions before ``_starts[0]`` are unshifted. It is
    built only when first asked for, from the pieces ``re.split`` returned (kept,
    deleted, kept, …): most pages have no hit in the noise-stripped copy, and their
    thousands of deleted commas need no map. ``_parent`` chains two deletion steps
    (format characters, then noise) without a second pass over the original."""

    __slots__ = (
        "_parent",
        "_parts",
        "_pattern",
        "_shifts",
        "_source",
        "_starts",
        "text",
    )

    def __init__(
        self,
        text: str,
        parts: list[str] | None = None,
        parent: Normalized | None = None,
        *,
        source: str | None = None,
        pattern: re.Pattern[str] | None = None,
    ):
        self.text = text
        self._parts = parts
        self._parent = parent
        self._source = source  # with _pattern: split lazily (the copy came from re.sub)
        self._pattern = pattern
        self._starts: array | None = None
        self._shifts: array | None = None

    def __repr__(self) -> str:
        return f"Normalized({self.text!r})"

    def _map(self) -> tuple[array, array]:
        if self._starts is None or self._shifts is None:
            if self._pattern is not None and self._source is not None:
                self._parts = self._pattern.split(self._source)
                self._source = self._pattern = None
            parts = self._parts or []
            # accumulate/map/len keep the loop in C.
            self._starts = array("I", accumulate(map(len, parts[0:-1:2])))
            self._shifts = array("I", accumulate(map(len, parts[1::2])))
            self._parts = None
        return self._starts, self._shifts

    def position(self, i: int) -> int:
        """Original offset of the copy's character ``i``."""
        if self._starts is None or self._starts:
            starts, shifts = self._map()
            k = bisect_right(starts, i)
            if k:
                i += shifts[k - 1]
        return i if self._parent is None else self._parent.position(i)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The original span ``[ostart, oend)`` whose characters make up copy ``[start, end)``.

        The span runs from the first to the last kept character, so deleted characters
        inside a match (法@轮) are part of it and deleted characters around it are not."""
        if end <= start:
            pos = self.position(start)
            return pos, pos
        return self.position(start), self.position(end - 1) + 1


def delete_spans(
    text: str, pattern: re.Pattern[str], parent: Normalized | None = None
) -> Normalized:
    """``text`` without the matches of ``pattern`` (which has one capturing group
    around the whole of it, so that ``split`` returns the deleted pieces too)."""
    parts = pattern.split(text)
    if len(parts) == 1:
        return Normalized(text, parent=parent)
    return Normalized("".join(parts[0::2]), parts, parent)


def _delete_format(folded: str, astral: bool) -> Normalized:
    t = _tables()
    if astral:
        return delete_spans(folded, t.fmt_all)
    if t.fmt_bmp_any.search(folded) is None:
        return Normalized(folded)
    return delete_spans(folded, t.fmt_bmp)


def _delete_noise(folded: str, astral: bool, base: Normalized | None) -> Normalized:
    """Format characters first (``base``, usually nothing deleted: they are invisible
    and never count towards a run of noise), then noise between Han characters:
    ``noise_fast``, or, for texts with astral characters or literal entity references,
    the exact and slower ``noise_all``."""
    t = _tables()
    if base is None:
        base = _delete_format(folded, astral)
    source = base.text
    parent = None if source is folded else base
    if astral or ("&" in source and _ENTITY_RE.search(source)):
        return delete_spans(source, t.noise_all, parent)
    # ``sub`` builds the copy 1.4× faster than ``split`` + ``join``; the pieces (for the
    # map) are split again only if a sensitive term is found in this copy.
    copy = t.noise_fast.sub("", source)
    if len(copy) == len(source):
        return base
    return Normalized(copy, parent=parent, source=source, pattern=t.noise_fast)


def delete_format(folded: str) -> Normalized:
    """Step 3 without noise: the copy for non-sensitive terms."""
    return _delete_format(folded, _ASTRAL.search(folded) is not None)


def delete_noise(folded: str) -> Normalized:
    """Step 3 with noise between Han characters: the copy for sensitive terms."""
    return _delete_noise(folded, _ASTRAL.search(folded) is not None, None)


def normalize(text: str, *, strip_noise: bool) -> Normalized:
    """The detection copy of ``text`` (see the module docstring for the steps)."""
    folded, astral = _fold(text)
    return _delete_noise(folded, astral, None) if strip_noise else _delete_format(folded, astral)


def detection_copies(
    text: str, *, plain: bool = True, stripped: bool = True
) -> tuple[Normalized | None, Normalized | None]:
    """Both detection copies of ``text`` (either may be skipped), sharing the work: one
    fold, one check for astral and format characters, regular expressions for the
    deletions."""
    folded, astral = _fold(text)
    base = _delete_format(folded, astral) if plain or not astral else None
    noise = _delete_noise(folded, astral, base) if stripped else None
    return (base if plain else None), noise


_FULL_PUNCT = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)} | {0x3000: " "}
_FULL_PUNCT = {k: v for k, v in _FULL_PUNCT.items() if not v.isalnum()}
_HALF_PUNCT = {ord(v): chr(k) for k, v in _FULL_PUNCT.items()}


def punctuation_variants(term: str) -> set[str]:
    """``term`` with its punctuation as written, all full-width and all ASCII.

    Pages write 国家计委（已撤销） and 国家计委(已撤销) alike; the detection copy keeps
    punctuation as it is (step 1), so a term with punctuation is matched in both forms."""
    return {term, term.translate(_FULL_PUNCT), term.translate(_HALF_PUNCT)}
