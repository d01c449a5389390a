"""Column categories and their allowed ages, from ``wordlists/columns/categories.yaml``.

The mapping is data an operator edits (which names mean "news", how long a notice
column may stay idle), so it is read from a file and validated on load: every
mistake is reported as ``file:line: 问题`` and all of them at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from common import yamlfile
from common.yamlfile import LineDict, LineList
from wordlists.columns import COLUMN_DATA_DIR

CATEGORIES_FILE = COLUMN_DATA_DIR / "categories.yaml"
CATEGORY_IDS = ("news", "notice", "policy", "personnel", "planning", "static")
_KEYS = frozenset({"id", "name", "max_age_days", "source", "keywords"})


class CategoryFileError(ValueError):
    """The category file has mistakes; ``problems`` holds one ``file:line: …`` each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("栏目类别文件有误：\n" + "\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ColumnCategory:
    id: str
    name: str
    max_age_days: int | None  # None: never stale (static columns)
    source: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class CategoryTable:
    categories: tuple[ColumnCategory, ...]

    def get(self, category_id: str) -> ColumnCategory | None:
        return next((c for c in self.categories if c.id == category_id), None)

    def name_of(self, category_id: str | None) -> str:
        """The Chinese name reports print (the id itself for an unknown category)."""
        found = self.get(category_id or "")
        return found.name if found else (category_id or "")

    def classify(self, *texts: str) -> ColumnCategory | None:
        """The category whose longest keyword occurs in the column's name or type."""
        haystack = " ".join(t for t in texts if t)
        best: tuple[int, int, ColumnCategory] | None = None
        for order, category in enumerate(self.categories):
            for keyword in category.keywords:
                if keyword in haystack:
                    rank = (len(keyword), -order)
                    if best is None or rank > best[:2]:
                        best = (rank[0], rank[1], category)
        return best[2] if best else None


def parse_categories(text: str, source: str) -> CategoryTable:
    """Validate the YAML ``text`` (named ``source`` in messages)."""
    try:
        document = yamlfile.parse(text, source)
    except yamlfile.YamlSyntaxError as exc:
        raise CategoryFileError([f"{source}:{exc.line or 1}: YAML 语法错误"]) from None
    problems = [f"{source}:{d.line}: 重复的键“{d.key}”" for d in document.duplicates]
    root = document.data
    if not isinstance(root, LineDict):
        raise CategoryFileError([f"{source}:1: 应为映射，顶层写 categories:"])
    items = root.get("categories")
    if not isinstance(items, LineList):
        raise CategoryFileError([f"{source}:1: 缺少 categories: 列表"])
    categories: list[ColumnCategory] = []
    owner: dict[str, str] = {}
    for fields, line in zip(items, items.item_lines, strict=True):
        where = f"{source}:{line}"
        if not isinstance(fields, LineDict):
            problems.append(f"{where}: 每个类别应为映射（id、max_age_days、keywords）")
            continue
        for key in fields:
            if key not in _KEYS:
                problems.append(f"{where}: 未知的键“{key}”（可用：{'、'.join(sorted(_KEYS))}）")
        cid = fields.get("id")
        if cid not in CATEGORY_IDS:
            problems.append(f"{where}: id 应为 {' | '.join(CATEGORY_IDS)} 之一，现为“{cid}”")
            continue
        if any(c.id == cid for c in categories):
            problems.append(f"{where}: 类别“{cid}”重复")
            continue
        age = fields.get("max_age_days")
        if age is not None and (not isinstance(age, int) or isinstance(age, bool) or age < 1):
            problems.append(f"{where}: max_age_days 应为正整数或 null，现为“{age}”")
            continue
        keywords = fields.get("keywords")
        if not isinstance(keywords, list) or not keywords:
            problems.append(f"{where}: keywords 应为非空列表")
            continue
        clean: list[str] = []
        for keyword in keywords:
            if not isinstance(keyword, str) or not keyword.strip():
                problems.append(f"{where}: 关键词应为非空文本，现为“{keyword}”")
                continue
            keyword = keyword.strip()
            if keyword in owner and owner[keyword] != cid:
                problems.append(f"{where}: 关键词“{keyword}”已属于类别 {owner[keyword]}")
                continue
            owner[keyword] = cid
            clean.append(keyword)
        categories.append(
            ColumnCategory(
                id=cid,
                name=str(fields.get("name") or cid),
                max_age_days=age,
                source=str(fields.get("source") or ""),
                keywords=tuple(clean),
            )
        )
    if problems:
        raise CategoryFileError(problems)
    return CategoryTable(tuple(categories))


def load_categories(path: Path | None = None) -> CategoryTable:
    """The category table from ``path`` (default: the bundled file), read once per path."""
    return _load(Path(path or CATEGORIES_FILE))


@cache
def _load(path: Path) -> CategoryTable:
    try:
        text = yamlfile.read_text(path)
    except yamlfile.YamlFileError as exc:
        raise CategoryFileError([str(exc)]) from None
    return parse_categories(text, str(path))
