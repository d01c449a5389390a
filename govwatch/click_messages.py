"""Click's own messages (usage lines, "No such command", "Missing option", "Invalid
value" …) in Chinese, like every other message of govwatch.

Click words them through gettext: each of its modules does ``from gettext import
gettext as _`` (and ``ngettext``) and calls them at run time. gettext would pick a
catalogue by the operator's locale, and servers mostly run ``C.UTF-8``, so govwatch
gives click's modules its own ``_`` and ``ngettext`` instead: a lookup in the table
below, which falls back to click's English for an id it does not know (a newer click
may add some; ``tests/test_cli_errors.py`` checks that every id here is still one click
uses). Metavars (``[OPTIONS]``, ``COMMAND [ARGS]...``) are set by :class:`ChineseGroup`.
"""

from __future__ import annotations

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types


class _Sentence(str):
    """A template whose formatted text ends with a Chinese full stop: click appends
    ASCII punctuation outside its message ids (``Missing option '--config'.``)."""

    def format(self, *args: object, **kwargs: object) -> str:
        text = super().format(*args, **kwargs)
        return text[:-1] + "。" if text.endswith(".") else text


MESSAGES: dict[str, str] = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "位置参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "deprecated": "已弃用",
    "Aborted!": "已中止。",
    "Error: {message}": _Sentence("错误：{message}"),
    "Try '{command} {option}' for help.": "运行“{command} {option}”查看帮助。",
    "No such command {name!r}.": "没有“{name}”这个命令。",
    "No such option {name!r}.": "没有“{name}”这个选项。",
    "Missing command.": "缺少命令。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的取值无效：{message}",
    "Invalid value: {message}": "取值无效：{message}",
    "Option {name!r} does not take a value.": "选项“{name}”不接受取值。",
    "Argument {name!r} takes {nargs} values.": "参数“{name}”需要 {nargs} 个值。",
    "Could not open file {filename!r}: {message}": "无法打开文件“{filename}”：{message}",
    "unknown error": "未知错误",
    "file": "文件",
    "directory": "目录",
    "path": "路径",
    "{name} {filename!r} does not exist.": "{name}“{filename}”不存在。",
    "{name} {filename!r} is a file.": "{name}“{filename}”是文件，应为目录。",
    "{name} {filename!r} is a directory.": "{name}“{filename}”是目录，应为文件。",
    "{name} {filename!r} is not readable.": "{name}“{filename}”不可读。",
    "{name} {filename!r} is not writable.": "{name}“{filename}”不可写。",
    "{value!r} is not a valid {number_type}.": "“{value}”不是有效的数字。",
    "{value} is not in the range {range}.": "{value} 不在 {range} 范围内。",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
}

PLURALS: dict[str, tuple[str, str]] = {
    "Got unexpected extra argument ({args})": ("多余的参数（{args}）", "多余的参数（{args}）"),
    "Option {name!r} requires an argument.": (
        "选项“{name}”需要一个值。",
        "选项“{name}”需要 {nargs} 个值。",
    ),
    "{value!r} is not {choice}.": ("“{value}”不是 {choice}。", "“{value}”不是 {choices} 之一。"),
    "Did you mean {possibility}?": (
        "是否想输入 {possibility}？",
        "（是否想输入以下之一：{possibilities}？）",
    ),
}

_MODULES = (
    click.core,
    click.decorators,
    click.exceptions,
    click.formatting,
    click.parser,
    click.termui,
    click.types,
)


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    if singular in PLURALS:
        one, many = PLURALS[singular]
        return one if n == 1 else many
    return singular if n == 1 else plural


def install() -> None:
    """Give click's modules the Chinese ``_`` and ``ngettext`` (idempotent)."""
    for module in _MODULES:
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]


class ChineseCommand(click.Command):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)


class ChineseGroup(click.Group):
    """A group whose usage line reads ``用法： govwatch [选项] 命令 [参数]...``, and whose
    commands and subgroups do too."""

    command_class = ChineseCommand
    group_class = type  # subgroups are ChineseGroups

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)
