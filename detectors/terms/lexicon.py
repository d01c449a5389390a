"""Load and validate the term base (错敏词库): the bundled ``wordlists/*.yaml`` and site lists.

Lists are YAML so that operators can edit them; every mistake is reported with its file and
line (``wordlists/typo.yaml:57: 缺少 term``) and all of them at once, because a list that
silently loses an entry silently loses findings. The format is described for operators in
``wordlists/README.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

from common import yamlfile
from common.regions import PROVINCES, region_key
from common.vocabulary import SEVERITIES, more_severe
from common.yamlfile import LineDict
from detectors.terms.confusables import ProtectedName, generate_variants
from detectors.terms.entry import Category, Severity, TermEntry
from wordlists import WORDLIST_DIR

CATEGORIES: tuple[str, ...] = ("sensitive", "wrong_expression", "outdated_name", "typo")
KINDS: tuple[str, ...] = ("terms", "protected")

HEADER_KEYS = frozenset({"kind", "category", "severity", "source", "allow", "brands", "entries"})
TERM_KEYS = frozenset(
    {
        "term",
        "suggestion",
        "severity",
        "category",
        "source",
        "valid_from",
        "valid_until",
        "allow",
        "current_in",
    }
)
BRAND_KEYS = frozenset({"name", "holder", "reason"})
CURRENT_IN_KEYS = frozenset({"region", "names", "reason"})
PROTECTED_KEYS = frozenset({"term", "severity", "source", "allow", "exclude"})
TERM_PLACEHOLDER = "{term}"
# In a file-level template “原{place}{term}”: any run of place or organisation names
# (none, 县, 四川, 江西省, 市人民政府 …) between the lead word and the term.
PLACE_PLACEHOLDER = "{place}"


class LexiconError(ValueError):
    """The lists have mistakes; ``problems`` holds one ``file:line: message`` line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("词表有误：\n" + "\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Brand:
    """A name a reform abolished but whose successor keeps it as a 牌子 (国家海洋局 of
    自然资源部): a current name, so an outdated-name term inside it is not reported."""

    name: str
    holder: str
    reason: str
    file: str = ""
    line: int = 0


@dataclass
class Lexicon:
    """The loaded term base.

    ``entries`` holds each term once: when two lists carry the same term, the more severe
    entry is kept (on a tie, the one loaded first: files in the order given, bundled lists
    by file name) and the allow phrases of both are merged. Typo variants generated from
    the protected names are among the entries. ``allow`` holds the site-wide allow phrases
    (site config ``terms.allow``): a term inside one of them is never reported.
    ``protected`` holds the protected names the variants were generated from, ``brands``
    the retained 牌子 (their names are allow phrases of every outdated name inside them).
    """

    entries: list[TermEntry]
    allow: frozenset[str] = frozenset()
    protected: tuple[ProtectedName, ...] = field(default_factory=tuple)
    brands: tuple[Brand, ...] = field(default_factory=tuple)

    def by_category(self, category: Category) -> list[TermEntry]:
        """The entries of one category, in load order."""
        return [e for e in self.entries if e.category == category]


def bundled_lists() -> list[Path]:
    """The bundled YAML lists, by file name."""
    return sorted(WORDLIST_DIR.glob("*.yaml"))


def load_lexicon(
    paths: Iterable[Path] | None = None, *, extra_allow: Iterable[str] = ()
) -> Lexicon:
    """Read and validate ``paths`` (None: the bundled lists) into one deduplicated lexicon.

    Raises ``LexiconError`` listing every problem found in every file.
    """
    files = bundled_lists() if paths is None else [Path(p) for p in paths]
    problems: list[str] = []
    terms: list[TermEntry] = []
    protected: list[ProtectedName] = []
    brands: list[Brand] = []
    for path in files:
        parsed = _load_file(path, problems)
        if parsed is not None:
            terms.extend(parsed[0])
            protected.extend(parsed[1])
            brands.extend(parsed[2])
    allow = [a.strip() for a in extra_allow]
    if any(not a for a in allow):
        problems.append("terms.allow: 白名单中有空短语")
    if problems:
        raise LexiconError(problems)
    entries = merge_duplicates(terms + (generate_variants(protected) if protected else []))
    entries = [_in_context(e, brands) for e in entries]
    return Lexicon(
        entries=entries, allow=frozenset(allow), protected=tuple(protected), brands=tuple(brands)
    )


def _in_context(entry: TermEntry, brands: Sequence[Brand]) -> TermEntry:
    """An outdated name with the allow phrases of the retained 牌子 that contain it, and
    a lead per region where a name is current (重庆 + 市渝中区 + 文化和旅游发展委员会: a
    text that names the region right before it). On a page of that region the matcher
    allows the name itself (``TermMatcher.find``'s ``region``)."""
    if entry.category != "outdated_name":
        return entry
    extra = [b.name for b in brands if entry.term in b.name]
    leads = [(where, name) for where, name, _reason in entry.current_in]
    if not extra and not leads:
        return entry
    return replace(
        entry,
        allow=tuple(dict.fromkeys(entry.allow + tuple(extra))),
        leads=tuple(dict.fromkeys(entry.leads + tuple(leads))),
    )


def merge_duplicates(entries: Sequence[TermEntry]) -> list[TermEntry]:
    """One entry per term: the more severe one (the first on a tie), with all allow
    phrases, leads and regions of both."""
    kept: dict[str, TermEntry] = {}
    for entry in entries:
        held = kept.get(entry.term)
        if held is None:
            kept[entry.term] = entry
            continue
        winner = entry if more_severe(entry.severity, held.severity) else held
        kept[entry.term] = replace(
            winner,
            allow=tuple(dict.fromkeys(held.allow + entry.allow)),
            leads=tuple(dict.fromkeys(held.leads + entry.leads)),
            current_in=tuple(dict.fromkeys(held.current_in + entry.current_in)),
        )
    return list(kept.values())


def _display(path: Path) -> str:
    """``wordlists/typo.yaml`` for bundled lists, the path as given otherwise."""
    try:
        return str(path.resolve().relative_to(WORDLIST_DIR.parent))
    except ValueError:
        return str(path)


def _read_yaml(path: Path, where: str, problems: list[str]) -> tuple[bool, Any]:
    """(read without error, the document: None for an empty file)."""
    try:
        document = yamlfile.load(path, where)
    except yamlfile.YamlSyntaxError as exc:
        line = f":{exc.line}" if exc.line is not None else ""
        problems.append(f"{where}{line}: YAML 格式错误（{exc.detail}）")
        return False, None
    except yamlfile.YamlFileError as exc:
        problems.append(str(exc))
        return False, None
    problems.extend(f"{where}:{d.line}: 重复的字段 {d.key}" for d in document.duplicates)
    return True, document.data


# --- validation -------------------------------------------------------------------------


def _load_file(
    path: Path, problems: list[str]
) -> tuple[list[TermEntry], list[ProtectedName], list[Brand]] | None:
    where = _display(path)
    ok, data = _read_yaml(path, where, problems)
    if not ok:
        return None
    if data is None:
        problems.append(f"{where}: 文件为空")
        return None
    if not isinstance(data, LineDict):
        problems.append(f"{where}:1: 文件应为映射（含 entries 等字段）")
        return None
    before = len(problems)
    lines = data.key_lines
    for key in data:
        if key not in HEADER_KEYS:
            problems.append(f"{where}:{lines.get(key, 1)}: 未知的文件字段 {key}")
    kind = data.get("kind", "terms")
    if kind not in KINDS:
        problems.append(f"{where}:{lines.get('kind', 1)}: kind 只能是 {'、'.join(KINDS)}")
        return None
    defaults = _header_defaults(data, where, kind, problems)
    brands = _brands(data, where, problems)
    if len(problems) > before:
        return None  # entries read with wrong defaults would only add noise
    entries = data.get("entries")
    if not isinstance(entries, list):
        problems.append(f"{where}:{lines.get('entries', 1)}: 缺少 entries 列表")
        return None
    terms: list[TermEntry] = []
    names: list[ProtectedName] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(entries):
        if not isinstance(raw, LineDict):
            problems.append(f"{where}: entries 第 {index + 1} 项应为映射（term: …）")
            continue
        line = raw.line
        item = (
            _protected(raw, defaults, where, problems)
            if kind == "protected"
            else _term(raw, defaults, where, problems)
        )
        if item is None:
            continue
        term = item.name if isinstance(item, ProtectedName) else item.term
        if term in seen:
            problems.append(f"{where}:{line}: 词条 {term} 重复（第 {seen[term]} 行已有）")
            continue
        seen[term] = line
        if isinstance(item, ProtectedName):
            names.append(item)
        else:
            terms.append(item)
    for brand in brands:
        if brand.name in seen:
            problems.append(
                f"{where}:{brand.line}: “{brand.name}”是保留的牌子，不能同时列为过时名称"
                f"（第 {seen[brand.name]} 行）"
            )
    if len(problems) > before:
        return None
    return terms, names, brands


def _brands(data: LineDict, where: str, problems: list[str]) -> list[Brand]:
    """The file's ``brands``: ``{name, holder, reason}`` each, in an outdated-name list."""
    if "brands" not in data:
        return []
    line = data.key_lines["brands"]
    if data.get("category") != "outdated_name":
        problems.append(f"{where}:{line}: brands 只能写在 category: outdated_name 的词表中")
        return []
    raw = data["brands"]
    if not isinstance(raw, list):
        problems.append(f"{where}:{line}: brands 应为列表（每项写 name、holder、reason）")
        return []
    brands = []
    for item in raw:
        if not isinstance(item, LineDict):
            problems.append(f"{where}:{line}: brands 的每一项应为映射（name、holder、reason）")
            continue
        if not _check_keys(item, BRAND_KEYS, where, problems):
            continue
        values = [item.get(key) for key in ("name", "holder", "reason")]
        if not all(isinstance(v, str) and v.strip() for v in values):
            problems.append(f"{where}:{item.line}: 牌子须写明 name、holder 和 reason")
            continue
        name, holder, reason = (cast(str, v).strip() for v in values)
        brands.append(Brand(name, holder, reason, where, item.line))
    return brands


def _header_defaults(data: LineDict, where: str, kind: str, problems: list[str]) -> dict[str, Any]:
    lines = data.key_lines
    defaults: dict[str, Any] = {}
    if kind == "protected":
        for key in ("category", "allow"):
            if key in data:
                problems.append(f"{where}:{lines[key]}: protected 词表的文件头不设 {key}")
    for key, allowed in (("category", CATEGORIES), ("severity", SEVERITIES)):
        if key in data:
            if data[key] not in allowed:
                problems.append(
                    f"{where}:{lines[key]}: {key} 不能是 {data[key]}，只能是 {'、'.join(allowed)}"
                )
            else:
                defaults[key] = data[key]
    source = data.get("source", "")
    if not isinstance(source, str):
        problems.append(f"{where}:{lines['source']}: source 应为文字")
    else:
        defaults["source"] = source.strip()
    templates = data.get("allow", [])
    if not isinstance(templates, list) or not all(isinstance(t, str) for t in templates):
        problems.append(f"{where}:{lines['allow']}: allow 应为短语列表")
        templates = []
    for t in templates:
        if TERM_PLACEHOLDER not in t:
            problems.append(
                f"{where}:{lines['allow']}: 文件级 allow 短语“{t}”须含 {TERM_PLACEHOLDER}"
            )
        elif PLACE_PLACEHOLDER in t and not _lead_of(t):
            problems.append(
                f"{where}:{lines['allow']}: 文件级 allow 短语“{t}”中的 {PLACE_PLACEHOLDER}"
                f" 须写成“引导词{PLACE_PLACEHOLDER}{TERM_PLACEHOLDER}”（如 原{{place}}{{term}}）"
            )
    defaults["allow"] = [
        t for t in templates if TERM_PLACEHOLDER in t and PLACE_PLACEHOLDER not in t
    ]
    defaults["leads"] = [lead for t in templates if (lead := _lead_of(t))]
    return defaults


def _lead_of(template: str) -> str | None:
    """The lead word of a template “原{place}{term}” (None for any other shape)."""
    suffix = PLACE_PLACEHOLDER + TERM_PLACEHOLDER
    if not template.endswith(suffix):
        return None
    lead = template[: -len(suffix)]
    if not lead.strip() or "{" in lead or "}" in lead:
        return None
    return lead


def _check_keys(raw: LineDict, keys: frozenset[str], where: str, problems: list[str]) -> bool:
    ok = True
    for key, line in raw.key_lines.items():
        if key not in keys:
            problems.append(f"{where}:{line}: 未知的字段 {key}")
            ok = False
    return ok


def _get_term(raw: LineDict, where: str, problems: list[str]) -> str | None:
    line = raw.line
    if "term" not in raw:
        problems.append(f"{where}:{line}: 缺少 term")
        return None
    term = raw["term"]
    if isinstance(term, int | float) and not isinstance(term, bool):
        term = str(term)
    if not isinstance(term, str) or not term.strip():
        problems.append(f"{where}:{line}: term 为空")
        return None
    if term != term.strip():
        problems.append(f"{where}:{line}: term“{term}”首尾有空白")
        return None
    return term


def _get_choice(
    raw: LineDict,
    key: str,
    allowed: tuple[str, ...],
    default: str | None,
    where: str,
    problems: list[str],
) -> str | None:
    line = raw.key_lines.get(key, raw.line)
    value = raw.get(key, default)
    if value is None:
        problems.append(f"{where}:{line}: 缺少 {key}（词条和文件头都没有）")
        return None
    if value not in allowed:
        problems.append(f"{where}:{line}: {key} 不能是 {value}，只能是 {'、'.join(allowed)}")
        return None
    return cast(str, value)


def _get_text(raw: LineDict, key: str, default: str, where: str, problems: list[str]) -> str | None:
    value = raw.get(key, default)
    if value is None:
        return None
    if not isinstance(value, str):
        problems.append(f"{where}:{raw.key_lines.get(key, raw.line)}: {key} 应为文字")
        return None
    return value.strip()


def _get_date(raw: LineDict, key: str, where: str, problems: list[str]) -> tuple[bool, date | None]:
    if key not in raw or raw[key] is None:
        return True, None
    value = raw[key]
    line = raw.key_lines[key]
    if isinstance(value, date) and not isinstance(value, datetime):
        return True, value
    if isinstance(value, str):
        try:
            return True, date.fromisoformat(value.strip())
        except ValueError:
            pass
    problems.append(f"{where}:{line}: {key} 不是有效日期（应为 YYYY-MM-DD）：{value}")
    return False, None


def _get_phrases(raw: LineDict, key: str, where: str, problems: list[str]) -> list[str] | None:
    value = raw.get(key, [])
    line = raw.key_lines.get(key, raw.line)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(f"{where}:{line}: {key} 应为非空短语的列表")
        return None
    return [v.strip() for v in value]


def _term(
    raw: LineDict, defaults: dict[str, Any], where: str, problems: list[str]
) -> TermEntry | None:
    line = raw.line
    before = len(problems)
    _check_keys(raw, TERM_KEYS, where, problems)
    term = _get_term(raw, where, problems)
    category = _get_choice(raw, "category", CATEGORIES, defaults.get("category"), where, problems)
    severity = _get_choice(raw, "severity", SEVERITIES, defaults.get("severity"), where, problems)
    suggestion = _get_text(raw, "suggestion", "", where, problems) or None
    source = _get_text(raw, "source", defaults.get("source", ""), where, problems) or ""
    ok_from, valid_from = _get_date(raw, "valid_from", where, problems)
    ok_until, valid_until = _get_date(raw, "valid_until", where, problems)
    allow = _get_phrases(raw, "allow", where, problems)
    current_in = _current_in(raw, term, category, where, problems)
    if term is None or allow is None or len(problems) > before:
        return None
    if valid_from and valid_until and valid_until < valid_from:
        problems.append(f"{where}:{line}: valid_until 早于 valid_from")
    if suggestion is not None and suggestion == term:
        problems.append(f"{where}:{line}: suggestion 与 term 相同（{term}）")
    elif (
        suggestion is not None
        and term in suggestion
        and not any(term in a and a in suggestion for a in allow)
    ):
        problems.append(
            f"{where}:{line}: suggestion“{suggestion}”仍包含 term“{term}”，改正后会再次报出"
            "（如确属正确写法，请把它加入 allow）"
        )
    allow = list(
        dict.fromkeys(allow + [t.replace(TERM_PLACEHOLDER, term) for t in defaults["allow"]])
    )
    for phrase in allow:
        if term not in phrase:
            problems.append(f"{where}:{line}: allow 短语“{phrase}”不包含 term“{term}”")
    if len(problems) > before or not (ok_from and ok_until):
        return None
    return TermEntry(
        term=term,
        category=cast(Category, category),
        severity=cast(Severity, severity),
        suggestion=suggestion,
        source=source,
        valid_from=valid_from,
        valid_until=valid_until,
        allow=tuple(allow),
        leads=tuple((lead, term) for lead in defaults.get("leads", ())),
        current_in=tuple(current_in),
        file=where,
        line=line,
    )


def _current_in(
    raw: LineDict, term: str | None, category: str | None, where: str, problems: list[str]
) -> list[tuple[str, str, str]]:
    """An outdated name's ``current_in``: ``{region, names, reason}`` items, each name
    containing the term (where it is still the official name, and why)."""
    if "current_in" not in raw:
        return []
    line = raw.key_lines["current_in"]
    if category != "outdated_name":
        problems.append(f"{where}:{line}: current_in 只用于过时名称（outdated_name）")
        return []
    value = raw["current_in"]
    if not isinstance(value, list) or not value:
        problems.append(f"{where}:{line}: current_in 应为列表（每项写 region、names、reason）")
        return []
    found = []
    for item in value:
        if not isinstance(item, LineDict):
            problems.append(f"{where}:{line}: current_in 的每一项应为映射（region、names、reason）")
            continue
        if not _check_keys(item, CURRENT_IN_KEYS, where, problems):
            continue
        region, names, reason = item.get("region"), item.get("names"), item.get("reason")
        key = region_key(region) if isinstance(region, str) else None
        if key is None:
            problems.append(
                f"{where}:{item.line}: current_in 的 region 应为省级行政区名称"
                f"（{'、'.join(list(PROVINCES)[:4])}……），现为 {region}"
            )
            continue
        if not isinstance(reason, str) or not reason.strip():
            problems.append(f"{where}:{item.line}: current_in 须写明 reason（依据）")
            continue
        if (
            not isinstance(names, list)
            or not names
            or not all(isinstance(n, str) and n.strip() for n in names)
        ):
            problems.append(f"{where}:{item.line}: current_in 的 names 应为非空名称的列表")
            continue
        for name in names:
            if term is not None and term not in name:
                problems.append(f"{where}:{item.line}: current_in 名称“{name}”不包含 term“{term}”")
                continue
            found.append((key, name.strip(), reason.strip()))
    return found


def _protected(
    raw: LineDict, defaults: dict[str, Any], where: str, problems: list[str]
) -> ProtectedName | None:
    before = len(problems)
    _check_keys(raw, PROTECTED_KEYS, where, problems)
    term = _get_term(raw, where, problems)
    severity = _get_choice(raw, "severity", SEVERITIES, defaults.get("severity"), where, problems)
    source = _get_text(raw, "source", defaults.get("source", ""), where, problems) or ""
    allow = _get_phrases(raw, "allow", where, problems)
    exclude = _get_phrases(raw, "exclude", where, problems)
    if term is None or allow is None or exclude is None or len(problems) > before:
        return None
    if len(term) < 2:
        problems.append(f"{where}:{raw.line}: 受保护名称至少两个字")
        return None
    for variant in exclude:
        if (
            len(variant) != len(term)
            or sum(a != b for a, b in zip(variant, term, strict=True)) != 1
        ):
            problems.append(f"{where}:{raw.line}: exclude“{variant}”不是“{term}”的单字变体")
    if len(problems) > before:
        return None
    return ProtectedName(
        name=term,
        severity=cast(Severity, severity),
        source=source,
        allow=tuple(allow),
        exclude=tuple(exclude),
        file=where,
        line=raw.line,
    )
