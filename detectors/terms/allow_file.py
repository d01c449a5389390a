"""A site's allow-list data file (config ``terms.allow_file``): terms the site's editors
dismissed as false positives, one per line.

The review app appends to it (``govwatch.allow_list``); each scan reads it alongside the
config's ``terms.allow``, so the operator's YAML is never edited by a program. Format:
UTF-8 text, one term or phrase per line; blank lines and lines starting with ``#`` are
skipped. A missing file is an empty list.
"""

from __future__ import annotations

from pathlib import Path

TERM_MAX_CHARS = 100
HEADER = "# govwatch 白名单：审核系统中标记误报并加入白名单的词语，每行一个；# 开头的行为注释\n"


class AllowFileError(ValueError):
    """An allow file that cannot be used; ``problems`` holds one line each (Chinese)."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def term_problem(term: str) -> str | None:
    """Why ``term`` (already stripped) cannot be a line of the file, or None."""
    if not term:
        return "词语为空"
    if term.startswith("#"):
        return "词语不能以 # 开头（会被当作注释）"
    if len(term) > TERM_MAX_CHARS:
        return f"词语过长（最多 {TERM_MAX_CHARS} 个字符）"
    if any(ord(c) < 32 or ord(c) == 127 or c in "\u2028\u2029\x85" for c in term):
        return "词语含有换行或控制字符"
    return None


def parse_allow_text(text: str, source: str) -> tuple[str, ...]:
    """The terms of an allow file's text; :class:`AllowFileError` names each bad line."""
    terms: list[str] = []
    problems: list[str] = []
    for number, line in enumerate(text.removeprefix("\ufeff").split("\n"), start=1):
        term = line.strip()
        if not term or term.startswith("#"):
            continue
        problem = term_problem(term)
        if problem:
            problems.append(f"{source}: 第 {number} 行：{problem}")
        elif term not in terms:
            terms.append(term)
    if problems:
        raise AllowFileError(problems)
    return tuple(terms)


def read_allow_file(path: str | Path | None) -> tuple[str, ...]:
    """The terms of the allow file at ``path`` (none when it is None or missing)."""
    if path is None:
        return ()
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return ()
    except OSError as error:
        raise AllowFileError([f"{path}: 无法读取白名单文件（{error.strerror}）"]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise AllowFileError([f"{path}: 白名单文件不是 UTF-8 编码"]) from None
    return parse_allow_text(text, str(path))
