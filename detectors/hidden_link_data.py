"""The hidden-link detector's data: legitimate hidden links, spam hosts, spam words.

Three files under ``wordlists/hidden_link/`` that operators edit (their formats are
described in each file's header and in ``wordlists/README.md``):

- ``benign.yaml``: share widgets, badges, 纠错 entries, accessibility toolbars, vendor
  marks … — hidden links that are never 暗链, each with its reason;
- ``spam_hosts.txt``: hosts whose hidden links are 暗链, one a line;
- ``spam_words.yaml``: words that mark a hidden link's text or address as spam, and the
  words of a news headline that void them (打击, 整治 …).

Every mistake is reported as ``file:line: 问题``, all of them at once
(:class:`HiddenLinkDataError`), because a list that silently loses an entry silently
loses findings (or raises false ones).
"""

from __future__ import annotations

import fnmatch
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from cssselect import HTMLTranslator, SelectorError
from cssselect import parser as css_parser
from cssselect.xpath import ExpressionError
from lxml import etree

from common import yamlfile
from common.yamlfile import LineDict, LineList
from wordlists.hidden_link import HIDDEN_LINK_DATA_DIR

BENIGN_FILE = "benign.yaml"
SPAM_HOSTS_FILE = "spam_hosts.txt"
SPAM_WORDS_FILE = "spam_words.yaml"
ELEMENT_DEPTH = 4  # an element pattern may match the link or this many ancestors up

_HOST_RE = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9-]+$")
_URL_PATTERN_RE = re.compile(r"^[a-z0-9*][a-z0-9.*_-]*(?::\d+)?(?:/\S*)?$")
_ASCII_WORD_RE = re.compile(r"^[a-z0-9]+$")
_LETTERS_RE = re.compile(r"[a-z]+")
_BENIGN_KEYS = frozenset({"name", "reason", "urls", "elements"})
_WORD_KEYS = ("text", "url_words", "url_tokens", "not_spam")
_TRANSLATOR = HTMLTranslator()


class HiddenLinkDataError(ValueError):
    """The data files have mistakes; ``problems`` holds one ``file:line: …`` line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("暗链检测数据有误：\n" + "\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class UrlPattern:
    """``host[/path-prefix]`` (the host and its subdomains), or a glob with ``*`` over
    ``host/path``."""

    text: str

    def matches(self, host: str, path: str) -> bool:
        pattern = self.text
        if "*" in pattern:
            return fnmatch.fnmatchcase(f"{host}{path}", pattern)
        want_host, _, want_path = pattern.partition("/")
        if host != want_host and not host.endswith("." + want_host):
            return False
        return not want_path or path.startswith("/" + want_path)


@dataclass(frozen=True)
class BenignEntry:
    name: str
    reason: str
    urls: tuple[UrlPattern, ...]
    elements: tuple[tuple[str, Any], ...]  # (selector as written, compiled XPath)
    line: int


@dataclass(frozen=True)
class HiddenLinkData:
    benign: tuple[BenignEntry, ...]
    spam_hosts: frozenset[str]
    text_words: tuple[str, ...]
    url_words: tuple[str, ...]
    url_tokens: frozenset[str]
    not_spam: tuple[str, ...]

    def __post_init__(self) -> None:
        # Patterns by host, so that a link costs a few dictionary look-ups (every page
        # repeats its navigation and footer links), and the globs apart.
        by_host: dict[str, list[tuple[int, UrlPattern, BenignEntry]]] = defaultdict(list)
        globs: list[tuple[int, UrlPattern, BenignEntry]] = []
        order = 0
        for entry in self.benign:
            for pattern in entry.urls:
                order += 1
                if "*" in pattern.text:
                    globs.append((order, pattern, entry))
                else:
                    by_host[pattern.text.partition("/")[0]].append((order, pattern, entry))
        object.__setattr__(self, "_by_host", dict(by_host))
        object.__setattr__(self, "_globs", tuple(globs))
        object.__setattr__(self, "_benign_url", lru_cache(maxsize=65536)(self._find_benign_url))
        object.__setattr__(self, "_url_word", lru_cache(maxsize=65536)(self._find_url_word))
        object.__setattr__(self, "_text_re", _alternation(self.text_words))
        object.__setattr__(self, "_not_spam_re", _alternation(self.not_spam))
        # One XPath for every element selector: most links match none of them.
        union = " | ".join(x.path for entry in self.benign for _, x in entry.elements)
        object.__setattr__(self, "_any_element", etree.XPath(union) if union else None)

    def benign_url(self, url: str) -> BenignEntry | None:
        """The entry whose address pattern ``url`` matches (the first in the file)."""
        return self._benign_url(url)  # type: ignore[attr-defined]

    def _find_benign_url(self, url: str) -> BenignEntry | None:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        path = parts.path or "/"
        labels = host.split(".")
        candidates = list(self._globs)  # type: ignore[attr-defined]
        for i in range(len(labels)):
            candidates.extend(self._by_host.get(".".join(labels[i:]), ()))  # type: ignore[attr-defined]
        matched = [(order, entry) for order, p, entry in candidates if p.matches(host, path)]
        return min(matched, key=lambda m: m[0])[1] if matched else None

    def benign_element(self, link: Any) -> BenignEntry | None:
        """The entry one of whose selectors matches ``link`` or an ancestor at most
        :data:`ELEMENT_DEPTH` levels up."""
        any_selector = self._any_element  # type: ignore[attr-defined]
        if any_selector is None:
            return None
        chain = [link]
        for ancestor in link.iterancestors():
            if len(chain) > ELEMENT_DEPTH:
                break
            chain.append(ancestor)
        matching = [el for el in chain if any_selector(el)]
        for entry in self.benign if matching else ():
            for _, xpath in entry.elements:
                if any(xpath(el) for el in matching):
                    return entry
        return None

    def spam_host(self, host: str) -> str | None:
        """The listed host that ``host`` is or is a subdomain of."""
        labels = host.lower().split(".")
        for i in range(len(labels) - 1):
            candidate = ".".join(labels[i:])
            if candidate in self.spam_hosts:
                return candidate
        return host if host in self.spam_hosts else None

    def url_word(self, url: str) -> str | None:
        """A spam word in the address's host and path (the query is left out: share and
        纠错 links carry the page's own title there)."""
        return self._url_word(url)  # type: ignore[attr-defined]

    def _find_url_word(self, url: str) -> str | None:
        parts = urlsplit(url)
        address = f"{parts.hostname or ''}{unquote(parts.path)}".lower()
        for word in self.url_words:
            if word in address:
                return word
        for token in _LETTERS_RE.findall(address):
            if token in self.url_tokens:
                return token
        return self.text_word(address)

    def text_word(self, text: str) -> str | None:
        """A spam word of the list in ``text`` (the first to occur)."""
        pattern = self._text_re  # type: ignore[attr-defined]
        found = pattern.search(text) if pattern is not None else None
        return found.group(0) if found else None

    def voided(self, text: str) -> bool:
        """Whether ``text`` reads as news about spam (打击网上赌场) rather than spam."""
        pattern = self._not_spam_re  # type: ignore[attr-defined]
        return pattern is not None and pattern.search(text) is not None


def _alternation(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regular expression for a list of literal words (longest first)."""
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(HIDDEN_LINK_DATA_DIR.parents[1]))
    except ValueError:
        return str(path)


def _document(path: Path, problems: list[str]) -> tuple[str, bool, Any]:
    """(name in messages, whether the file was read, its data: None when empty)."""
    where = _display(path)
    try:
        document = yamlfile.load(path, where)
    except yamlfile.YamlFileError as exc:
        problems.append(str(exc))
        return where, False, None
    problems.extend(f"{where}:{d.line}: 重复的键“{d.key}”" for d in document.duplicates)
    return where, True, document.data


def _strings(
    value: Any, where: str, line: int, key: str, problems: list[str]
) -> list[tuple[str, int]]:
    """A list of non-empty strings, each with its line."""
    if not isinstance(value, LineList):
        problems.append(f"{where}:{line}: {key} 应为列表")
        return []
    found: list[tuple[str, int]] = []
    for item, item_line in zip(value, value.item_lines, strict=True):
        if not isinstance(item, str) or not item.strip():
            problems.append(f"{where}:{item_line}: {key} 中有空项或不是文字的项")
            continue
        found.append((item.strip(), item_line))
    return found


def _url_pattern(text: str, where: str, line: int, problems: list[str]) -> UrlPattern | None:
    lowered = text.lower()
    if "://" in lowered:
        problems.append(f"{where}:{line}: “{text}”不要写 http://，只写主机名和路径")
        return None
    if not _URL_PATTERN_RE.match(lowered):
        problems.append(f"{where}:{line}: “{text}”不是有效的地址（如 service.weibo.com/share/）")
        return None
    host = lowered.split("/", 1)[0]
    if "*" not in lowered and not _HOST_RE.match(host.split(":", 1)[0]):
        problems.append(f"{where}:{line}: “{host}”不是有效的主机名")
        return None
    return UrlPattern(lowered)


def _selector(text: str, where: str, line: int, problems: list[str]) -> Any:
    """A selector of one element (tag, #id, .class, [attr]), tested on the element itself."""
    try:
        parsed = css_parser.parse(text)
    except SelectorError:
        problems.append(f"{where}:{line}: “{text}”不是有效的 CSS 选择器")
        return None
    single = all(
        s.pseudo_element is None and not isinstance(s.parsed_tree, css_parser.CombinedSelector)
        for s in parsed
    )
    if not single:
        problems.append(
            f"{where}:{line}: “{text}”只能写单个元素的选择器（如 .bshare-custom、#_ideConac），"
            "不能含空格、> 等组合符"
        )
        return None
    try:
        return etree.XPath(
            " | ".join(_TRANSLATOR.selector_to_xpath(s, prefix="self::") for s in parsed)
        )
    except (ExpressionError, etree.XPathError):
        problems.append(f"{where}:{line}: “{text}”不是能判断的 CSS 选择器")
        return None


def _benign(path: Path, problems: list[str]) -> list[BenignEntry]:
    where, read, data = _document(path, problems)
    if not read:
        return []
    entries = data.get("entries") if isinstance(data, LineDict) else None
    if not isinstance(entries, LineList):
        problems.append(f"{where}:1: 缺少 entries: 列表")
        return []
    if isinstance(data, LineDict):
        for key in data:
            if key != "entries":
                problems.append(f"{where}:{data.key_lines[key]}: 未知的键“{key}”")
    found: list[BenignEntry] = []
    names: dict[str, int] = {}
    for raw, line in zip(entries, entries.item_lines, strict=True):
        if not isinstance(raw, LineDict):
            problems.append(f"{where}:{line}: 每一项应为映射（name、reason、urls、elements）")
            continue
        before = len(problems)
        for key in raw:
            if key not in _BENIGN_KEYS:
                problems.append(f"{where}:{raw.key_lines[key]}: 未知的键“{key}”")
        texts: dict[str, str] = {}
        for key in ("name", "reason"):
            value = raw.get(key)
            if not isinstance(value, str) or not value.strip():
                problems.append(f"{where}:{raw.key_lines.get(key, line)}: 缺少 {key}（中文）")
            else:
                texts[key] = value.strip()
        if "urls" not in raw and "elements" not in raw:
            problems.append(f"{where}:{line}: urls 和 elements 至少写一项")
        urls: list[UrlPattern] = []
        if "urls" in raw:
            for text, item_line in _strings(
                raw["urls"], where, raw.key_lines["urls"], "urls", problems
            ):
                if (pattern := _url_pattern(text, where, item_line, problems)) is not None:
                    urls.append(pattern)
        elements: list[tuple[str, Any]] = []
        if "elements" in raw:
            key_line = raw.key_lines["elements"]
            for text, item_line in _strings(raw["elements"], where, key_line, "elements", problems):
                if (xpath := _selector(text, where, item_line, problems)) is not None:
                    elements.append((text, xpath))
        name = texts.get("name")
        if name is not None:
            if name in names:
                problems.append(f"{where}:{line}: 名称“{name}”重复（第 {names[name]} 行已有）")
            names.setdefault(name, line)
        if len(problems) == before and name is not None:
            found.append(BenignEntry(name, texts["reason"], tuple(urls), tuple(elements), line))
    return found


def _spam_hosts(path: Path, problems: list[str]) -> frozenset[str]:
    where = _display(path)
    try:
        text = yamlfile.read_text(path, where)
    except yamlfile.YamlFileError as exc:
        problems.append(str(exc))
        return frozenset()
    hosts: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        host = line.lower().rstrip(".")
        if "://" in host or "/" in host or ":" in host or not _HOST_RE.match(host):
            problems.append(
                f"{where}:{number}: “{line}”不是主机名（每行只写一个主机名，如 casino.example.com）"
            )
            continue
        if host in hosts:
            problems.append(f"{where}:{number}: “{host}”重复（第 {hosts[host]} 行已有）")
            continue
        hosts[host] = number
    return frozenset(hosts)


def _spam_words(path: Path, problems: list[str]) -> dict[str, tuple[str, ...]]:
    where, read, data = _document(path, problems)
    words: dict[str, tuple[str, ...]] = {key: () for key in _WORD_KEYS}
    if not read:
        return words
    if not isinstance(data, LineDict):
        problems.append(f"{where}:1: 应为映射，写 {'、'.join(_WORD_KEYS)} 四个列表")
        return words
    for key in data:
        if key not in _WORD_KEYS:
            problems.append(f"{where}:{data.key_lines[key]}: 未知的键“{key}”")
    seen: dict[str, int] = {}
    for key in _WORD_KEYS:
        if key not in data:
            problems.append(f"{where}:1: 缺少 {key}: 列表")
            continue
        kept: list[str] = []
        for word, line in _strings(data[key], where, data.key_lines[key], key, problems):
            if key.startswith("url_"):
                word = word.lower()
                if not _ASCII_WORD_RE.match(word):
                    problems.append(f"{where}:{line}: {key} 只能写小写字母和数字：“{word}”")
                    continue
                if key == "url_tokens" and not word.isalpha():
                    problems.append(f"{where}:{line}: url_tokens 只能写字母：“{word}”")
                    continue
            tag = f"{key}:{word}"
            if tag in seen:
                problems.append(f"{where}:{line}: “{word}”重复（第 {seen[tag]} 行已有）")
                continue
            seen[tag] = line
            kept.append(word)
        words[key] = tuple(kept)
    return words


def load_hidden_link_data(directory: Path | str | None = None) -> HiddenLinkData:
    """Read and validate the three files in ``directory`` (default: the bundled
    ``wordlists/hidden_link/``); raises :class:`HiddenLinkDataError` listing every
    problem."""
    folder = Path(directory) if directory is not None else HIDDEN_LINK_DATA_DIR
    problems: list[str] = []
    benign = _benign(folder / BENIGN_FILE, problems)
    hosts = _spam_hosts(folder / SPAM_HOSTS_FILE, problems)
    words = _spam_words(folder / SPAM_WORDS_FILE, problems)
    if problems:
        raise HiddenLinkDataError(problems)
    return HiddenLinkData(
        benign=tuple(benign),
        spam_hosts=hosts,
        text_words=words["text"],
        url_words=words["url_words"],
        url_tokens=frozenset(words["url_tokens"]),
        not_spam=words["not_spam"],
    )


@lru_cache(maxsize=1)
def bundled_hidden_link_data() -> HiddenLinkData:
    """The bundled data, read once per process."""
    return load_hidden_link_data()
