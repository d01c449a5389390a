"""Typo variants of protected names (“领导小组” → “领导小姐”), generated rather than listed.

A one-character slip in a protected name (a leader's name, the Party's or the state's
name, a formulation) is a serious error, and the slips people actually make come from
three sources, each a data file in ``wordlists/``:

* homophones, from the pinyin input method: same pinyin ignoring tone, among the
  3,500 common characters of ``common_chars.txt`` (pinyin precomputed with pypinyin, so
  that generating needs no pypinyin at run time; ``build_common_chars`` remakes it);
* similar shapes (``similar_shapes.txt``: one group of mutually confusable characters a
  line, e.g. ``已己巳``);
* shape-code input-method slips seen in real incidents (``ime_confusions.txt``: a right
  character and the wrong one it became, e.g. ``组 姐`` for 领导小组 → 领导小姐).

Where the substitution may go, and which variants survive, is what keeps the set small
and precise:

* homophones replace only *inner* characters: a changed first or last character can
  join the neighbouring text into something legitimate (“中国共产党” → “美国共产党” shares
  “国共产党”; “党中央” → “当中央”). Two-character names have no inner character, so there
  the first character is replaced (政府 → 证府) and never the second (行政复议, 行政腐败);
* the curated shape/IME pairs replace any character (same rule for two-character names),
  but a first or last character only when the rest is not a word by itself (中央委员会 →
  中央委员今 would match “中央委员今天”);
* a variant is dropped when it is a word of jieba's dictionary or part of one (政复 in
  行政复议), another protected name, listed under the name's ``exclude``, or present in the
  ``known_text`` given (the tests check the bundled names against the clean corpus; a hit
  there becomes an ``exclude``);
* a variant containing another kept variant is dropped (人民攻府 is found as 攻府).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from common.vocabulary import more_severe
from detectors.terms.entry import Severity, TermEntry
from wordlists import WORDLIST_DIR

COMMON_CHARS_FILE = "common_chars.txt"
SIMILAR_SHAPES_FILE = "similar_shapes.txt"
IME_CONFUSIONS_FILE = "ime_confusions.txt"
COMMON_CHAR_COUNT = 3500
HOMOPHONES_PER_CHAR = 8  # the most frequent homophones: the ones an input method offers first

_CJK = re.compile(r"[\u4e00-\u9fff]+")


@dataclass(frozen=True)
class ProtectedName:
    """A name whose one-character corruptions are reported (from a ``kind: protected`` list)."""

    name: str
    severity: Severity
    source: str = ""
    allow: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class ConfusionData:
    """The character tables the generator substitutes from, and the vocabulary that vetoes."""

    homophones: dict[str, tuple[str, ...]]
    shapes: dict[str, tuple[str, ...]]
    ime: dict[str, tuple[str, ...]]
    vocabulary: frozenset[str] = field(default_factory=frozenset)
    words_by_char: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def is_word_or_part(self, text: str) -> bool:
        """Whether ``text`` is a dictionary word or occurs inside one."""
        if text in self.vocabulary:
            return True
        rarest = min(text, key=lambda ch: len(self.words_by_char.get(ch, ())))
        return any(text in word for word in self.words_by_char.get(rarest, ()))


def _data_lines(path: Path) -> Iterable[tuple[int, str]]:
    """Non-blank lines without ``#`` comments, numbered from 1."""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if line:
            yield number, line


def read_common_chars(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    """``common_chars.txt``: (character, toneless readings) in frequency order."""
    table: list[tuple[str, tuple[str, ...]]] = []
    for number, line in _data_lines(path):
        parts = line.split()
        if len(parts) != 2 or len(parts[0]) != 1:
            raise ValueError(f"{path}:{number}: 应为“字<TAB>拼音[,拼音…]”")
        table.append((parts[0], tuple(parts[1].split(","))))
    return table


def homophone_table(common: Sequence[tuple[str, tuple[str, ...]]]) -> dict[str, tuple[str, ...]]:
    """For each common character, the other common characters that sound alike, most frequent first.

    Only each character's first, usual reading counts: 不 is typed as “bu” and no one mistypes
    府 (fu) as 不, nor 和 (he) as 火 (huo). Protected names use their characters' usual
    readings, so nothing is lost that matters.
    """
    by_reading: dict[str, list[str]] = defaultdict(list)
    for ch, readings in common:
        by_reading[readings[0]].append(ch)
    return {
        ch: tuple(o for o in by_reading[readings[0]] if o != ch)  # already in frequency order
        for ch, readings in common
    }


def read_shape_groups(path: Path) -> dict[str, tuple[str, ...]]:
    """``similar_shapes.txt``: every character of a group may be mistaken for every other."""
    table: dict[str, list[str]] = defaultdict(list)
    for number, line in _data_lines(path):
        group = line.replace(" ", "")
        if len(group) < 2 or len(set(group)) != len(group) or not _CJK.fullmatch(group):
            raise ValueError(f"{path}:{number}: 形近字组至少两个不同的汉字")
        for ch in group:
            table[ch].extend(other for other in group if other != ch and other not in table[ch])
    return {ch: tuple(others) for ch, others in table.items()}


def read_ime_pairs(path: Path) -> dict[str, tuple[str, ...]]:
    """``ime_confusions.txt``: ``正确字 误写字`` a line, one direction only."""
    table: dict[str, list[str]] = defaultdict(list)
    for number, line in _data_lines(path):
        parts = line.split()
        if len(parts) != 2 or len(parts[0]) != 1 or len(parts[1]) != 1 or parts[0] == parts[1]:
            raise ValueError(f"{path}:{number}: 应为“正确字 误写字”")
        table[parts[0]].append(parts[1])
    return {ch: tuple(wrong) for ch, wrong in table.items()}


def jieba_dictionary() -> Path:
    """The main dictionary shipped with jieba (a dependency of govwatch)."""
    import jieba

    return Path(jieba.__file__).parent / "dict.txt"


def read_vocabulary(path: Path) -> frozenset[str]:
    """Words of a jieba-format dictionary (``word freq [tag]`` a line), multi-character only."""
    with path.open(encoding="utf-8") as handle:
        return frozenset(w for w in (line.split(" ", 1)[0] for line in handle) if len(w) > 1)


@lru_cache(maxsize=1)
def default_data() -> ConfusionData:
    """The bundled tables and jieba's vocabulary, read once per process."""
    vocabulary = read_vocabulary(jieba_dictionary())
    return _data_from(WORDLIST_DIR, vocabulary)


def _data_from(directory: Path, vocabulary: frozenset[str]) -> ConfusionData:
    common = read_common_chars(directory / COMMON_CHARS_FILE)
    shapes = read_shape_groups(directory / SIMILAR_SHAPES_FILE)
    ime = read_ime_pairs(directory / IME_CONFUSIONS_FILE)
    by_char: dict[str, list[str]] = defaultdict(list)
    for word in vocabulary:
        for ch in set(word):
            by_char[ch].append(word)
    return ConfusionData(
        homophones=homophone_table(common),
        shapes=shapes,
        ime=ime,
        vocabulary=vocabulary,
        words_by_char={ch: tuple(words) for ch, words in by_char.items()},
    )


@dataclass
class _Candidate:
    variant: str
    protected: ProtectedName
    how: str


def _substitutions(name: str, data: ConfusionData) -> Iterable[tuple[int, str, str]]:
    """(position, replacement character, how) for one protected name, per the module rules."""
    last = len(name) - 1
    for i, ch in enumerate(name):
        if not _CJK.fullmatch(ch) or (len(name) == 2 and i == 1):
            continue
        if 0 < i < last or len(name) == 2:
            for other in data.homophones.get(ch, ())[:HOMOPHONES_PER_CHAR]:
                yield i, other, "同音字"
        for other in data.shapes.get(ch, ()):
            yield i, other, "形近字"
        for other in data.ime.get(ch, ()):
            yield i, other, "输入法误选"


def generate_variants(
    names: Sequence[ProtectedName],
    *,
    data: ConfusionData | None = None,
    known_text: str = "",
) -> list[TermEntry]:
    """Typo entries for ``names``: one per surviving one-character variant (see module doc).

    A variant reachable from two names keeps the more severe name (then the first).
    """
    data = data or default_data()
    protected = {p.name for p in names}
    chosen: dict[str, _Candidate] = {}
    for p in names:
        excluded = set(p.exclude)
        for i, other, how in _substitutions(p.name, data):
            variant = p.name[:i] + other + p.name[i + 1 :]
            if (
                _edge_joins_text(p.name, i, data)
                or variant in protected
                or variant in excluded
                or (known_text and variant in known_text)
                or data.is_word_or_part(variant)
            ):
                continue
            held = chosen.get(variant)
            if held is None or more_severe(p.severity, held.protected.severity):
                chosen[variant] = _Candidate(variant, p, how)
    kept = _drop_redundant(chosen)
    return [_entry(chosen[v]) for v in kept]


def _edge_joins_text(name: str, i: int, data: ConfusionData) -> bool:
    """Whether changing the first/last character leaves a word that stands on its own.

    中央委员会 → 中央委员今 reads as “中央委员” + “今天…” in ordinary prose, so an edge
    substitution is kept only when the unchanged rest is not itself a dictionary word.
    """
    if 0 < i < len(name) - 1:
        return False
    rest = name[1:] if i == 0 else name[:-1]
    return len(rest) > 1 and rest in data.vocabulary


def _drop_redundant(chosen: dict[str, _Candidate]) -> list[str]:
    """Variants in order, less those containing another variant (found through that one)."""
    variants = set(chosen)
    kept = []
    for variant in chosen:
        inner = (
            variant[a:b]
            for a in range(len(variant))
            for b in range(a + 2, len(variant) + 1)
            if (a, b) != (0, len(variant))
        )
        if not any(part in variants for part in inner):
            kept.append(variant)
    return kept


def _entry(c: _Candidate) -> TermEntry:
    p = c.protected
    note = f"“{p.name}”的{c.how}误写（自动生成）"
    return TermEntry(
        term=c.variant,
        category="typo",
        severity=p.severity,
        suggestion=p.name,
        source=f"{p.source}；{note}" if p.source else note,
        allow=tuple(a for a in p.allow if c.variant in a),
        file=p.file,
        line=p.line,
    )


def build_common_chars(count: int = COMMON_CHAR_COUNT) -> list[str]:
    """Lines of ``common_chars.txt``: GB 2312 level-1 characters ranked by jieba frequency.

    GB 2312's first level (3,755 characters, rows 16–55) is the classic common set; ranking it
    by how often each character occurs in jieba's weighted dictionary and keeping ``count``
    approximates the 3,500 characters of 《现代汉语常用字表》 and orders homophones the way an
    input method does. Needs pypinyin (a development tool, not a run-time dependency).
    """
    from pypinyin import Style, pinyin

    freq: dict[str, int] = defaultdict(int)
    with jieba_dictionary().open(encoding="utf-8") as handle:
        for line in handle:
            word, weight = line.split(" ", 2)[:2]
            for ch in word:
                freq[ch] += int(weight)
    level1 = []
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                level1.append(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    ranked = sorted(level1, key=lambda ch: (-freq[ch], ch))[:count]
    lines = [
        f"# 常用字 {count} 个：GB 2312 一级汉字（3755 个）"
        f"按 jieba 词典加权字频排序后取前 {count} 个。",
        "# 每行：汉字<TAB>不带声调的拼音（多音字以逗号分隔，来自 pypinyin）。",
        "# 重新生成：.venv/bin/python -m detectors.terms.confusables --rebuild-common-chars",
    ]
    for ch in ranked:
        readings = dict.fromkeys(pinyin(ch, style=Style.NORMAL, heteronym=True)[0])
        lines.append(f"{ch}\t{','.join(readings)}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """``--rebuild-common-chars`` rewrites the table; otherwise list the bundled variants."""
    parser = argparse.ArgumentParser(description="受保护名称的错字变体")
    parser.add_argument("--rebuild-common-chars", action="store_true", help="重新生成常用字表")
    args = parser.parse_args(argv)
    if args.rebuild_common_chars:
        target = WORDLIST_DIR / COMMON_CHARS_FILE
        target.write_text("\n".join(build_common_chars()) + "\n", encoding="utf-8")
        print(f"已写入 {target}")
        return 0
    from detectors.terms.lexicon import load_lexicon

    generated = generate_variants(load_lexicon().protected)
    for entry in generated:
        print(f"{entry.term}\t{entry.suggestion}\t{entry.severity}")
    print(f"共 {len(generated)} 个变体", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
