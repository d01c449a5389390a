"""The one YAML loader for files operators edit: every mistake can name its file and line.

Operators edit the site config, the term lists and the column categories by hand, so a
mistake has to point at the line to fix (``categories.yaml:12: …``). PyYAML's SafeLoader
forgets where a value was once it is built and silently keeps the last of two equal keys,
so a repeated key quietly drops data. ``LineLoader`` keeps the lines instead: every
mapping is a ``LineDict`` (its line, its keys' lines), every sequence a ``LineList`` (its
items' lines), and every repeated key is noted. Reading and syntax failures become one
line each (``YamlFileError``). Each caller words its own findings from these facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

_BOM = "\ufeff"
_MERGE_TAG = "tag:yaml.org,2002:merge"


class YamlFileError(ValueError):
    """A file that could not be read or parsed: ``文件:行号: 问题`` (no line when unknown)."""

    def __init__(self, source: str, problem: str, line: int | None = None) -> None:
        self.source = source
        self.problem = problem
        self.line = line
        super().__init__(f"{source}:{line}: {problem}" if line else f"{source}: {problem}")


class YamlSyntaxError(YamlFileError):
    """The text is not valid YAML. ``detail`` is PyYAML's own one-line description, kept
    because it says what was expected; ``line``/``column`` (1-based) are where it stopped."""

    def __init__(self, source: str, detail: str, line: int | None, column: int | None) -> None:
        self.detail = detail
        self.column = column
        where = f"（第 {column} 列）" if column else ""
        super().__init__(source, f"YAML 语法错误{where}：{detail}", line)


@dataclass(frozen=True)
class DuplicateKey:
    """A key written twice in one mapping (the later value is the one kept).

    ``line``/``column`` (1-based) are those of the repeated key, ``first_line`` the
    earlier one's.
    """

    key: Any
    line: int
    column: int
    first_line: int


class LineDict(dict[Any, Any]):
    """A mapping that knows its own line and each key's line (1-based).

    A dict subclass, so it passes wherever a dict does (pydantic, ``isinstance``); the
    lines are attributes, not keys, so they never clash with the data. For a repeated key
    ``key_lines`` holds the line of the occurrence whose value was kept (the last).
    """

    def __init__(self, line: int = 1) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[Any, int] = {}


class LineList(list[Any]):
    """A sequence that knows its own line and each item's line (1-based): ``item_lines[i]``
    is where item ``i`` starts, which is how a caller names an item that is no mapping."""

    def __init__(self, line: int = 1) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


@dataclass(frozen=True)
class Document:
    """What a file held: ``data`` (None for an empty file) and its repeated keys, in
    document order. Whether a repeated key is an error is the caller's word."""

    data: Any
    duplicates: tuple[DuplicateKey, ...] = ()


class LineLoader(yaml.SafeLoader):
    """SafeLoader building ``LineDict``/``LineList`` and noting repeated keys.

    Containers are built eagerly, in document order, rather than through PyYAML's
    generators, so the lines are known when the mapping is. The price is that a
    self-referencing alias (``&a [*a]``) is refused as a syntax error, which no data file
    needs. A scalar that only looks like a date (``2019-13-01``) is kept as the text
    written rather than raising ``ValueError``, so the caller can say which field is wrong.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[DuplicateKey] = []

    def construct_line_mapping(self, node: yaml.Node) -> LineDict:
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(
                None, None, f"应为映射，现为 {node.id}", node.start_mark
            )
        own = sum(1 for key_node, _ in node.value if key_node.tag != _MERGE_TAG)
        self.flatten_mapping(node)  # merged keys (<<: *base) come first, own keys override
        merged = len(node.value) - own
        mapping = LineDict(node.start_mark.line + 1)
        own_lines: dict[Any, int] = {}
        for index, (key_node, value_node) in enumerate(node.value):
            key = self.construct_object(key_node)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "键不能是列表或映射", key_node.start_mark
                ) from None
            line = key_node.start_mark.line + 1
            if index >= merged:
                if key in own_lines:
                    column = key_node.start_mark.column + 1
                    self.duplicates.append(DuplicateKey(key, line, column, own_lines[key]))
                own_lines[key] = line
            mapping[key] = self.construct_object(value_node)
            mapping.key_lines[key] = line
        return mapping

    def construct_line_sequence(self, node: yaml.Node) -> LineList:
        if not isinstance(node, yaml.SequenceNode):
            raise yaml.constructor.ConstructorError(
                None, None, f"应为列表，现为 {node.id}", node.start_mark
            )
        items = LineList(node.start_mark.line + 1)
        for child in node.value:
            items.append(self.construct_object(child))
            items.item_lines.append(child.start_mark.line + 1)
        return items

    def construct_lenient_timestamp(self, node: yaml.Node) -> Any:
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)  # type: ignore[arg-type]


LineLoader.add_constructor("tag:yaml.org,2002:map", LineLoader.construct_line_mapping)
LineLoader.add_constructor("tag:yaml.org,2002:seq", LineLoader.construct_line_sequence)
LineLoader.add_constructor("tag:yaml.org,2002:timestamp", LineLoader.construct_lenient_timestamp)


def _syntax_error(exc: yaml.YAMLError, source: str, text: str) -> YamlSyntaxError:
    """One line from PyYAML's error: where parsing stopped (``problem_mark``) and why."""
    if isinstance(exc, yaml.reader.ReaderError):  # a control character: only an offset
        at = int(exc.position)
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        return YamlSyntaxError(source, f"含有不允许的字符 U+{ord(char):04X}", line, column)
    mark = getattr(exc, "problem_mark", None)
    detail = getattr(exc, "problem", None) or getattr(exc, "context", None) or str(exc)
    detail = " ".join(str(detail).split())
    if mark is None:
        return YamlSyntaxError(source, detail, None, None)
    return YamlSyntaxError(source, detail, mark.line + 1, mark.column + 1)


def parse(text: str, source: str) -> Document:
    """Parse ``text`` (named ``source`` in messages); raises ``YamlSyntaxError``."""
    text = text.removeprefix(_BOM)
    try:
        loader = LineLoader(text)  # the reader refuses control characters here already
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, source, text) from None
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, source, text) from None
    finally:
        loader.dispose()
    order = sorted(loader.duplicates, key=lambda d: (d.line, d.column))
    return Document(data, tuple(order))


def read_text(path: str | Path, source: str | None = None) -> str:
    """The file's text, decoded as UTF-8 with a leading BOM dropped (Windows Notepad
    writes one). Raises ``YamlFileError`` naming ``source`` (default: the path) when the
    file is missing, unreadable, or in another encoding (GBK, say: the line of the first
    byte that is not UTF-8 is given)."""
    name = str(path) if source is None else source
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise YamlFileError(name, "文件不存在") from None
    except OSError as exc:
        raise YamlFileError(name, f"无法读取（{exc.strerror or exc}）") from None
    try:
        return raw.decode("utf-8").removeprefix(_BOM)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise YamlFileError(name, "文件不是 UTF-8 编码，请用 UTF-8 另存", line) from None


def load(path: str | Path, source: str | None = None) -> Document:
    """``read_text`` then ``parse``: the file's document, or ``YamlFileError``."""
    name = str(path) if source is None else source
    return parse(read_text(path, name), name)
