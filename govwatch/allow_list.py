"""Adding a term to a site's allow list from the review app ("误报，并加入白名单").

The term goes into the site's allow-list data file (config ``terms.allow_file``, by
default ``<site id>.allow.txt`` beside the config), never into the operator's YAML; the
next scan reads it with ``terms.allow`` (:mod:`detectors.terms.allow_file`). Appends are
serialised by a file lock, so two editors clicking at once both land.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import Any

from detectors.terms.allow_file import HEADER, AllowFileError, parse_allow_text, term_problem


class AllowListError(ValueError):
    """A term that cannot be added (the message is for the user, in Chinese)."""


def allow_file_of(config: Any) -> Path:
    """The allow file of a loaded config (``LoadedConfig`` or its ``SiteConfig``)."""
    site_config = getattr(config, "config", config)
    path = site_config.terms.allow_file
    if not path:
        raise AllowListError("该站点配置没有白名单文件（terms.allow_file），请通过配置文件加载站点")
    return Path(path)


def add_allowed_term(config: Any, term: str) -> Path:
    """Allow ``term`` from the next scan on: append it to the site's allow file, unless
    the file or the config's ``terms.allow`` has it already (nothing is written twice).
    Returns the allow file. :class:`AllowListError` for a term that cannot be a line of
    the file (empty, a comment, a line break, too long) or a file that cannot be written."""
    term = (term or "").strip()
    problem = term_problem(term)
    if problem:
        raise AllowListError(f"无法加入白名单：{problem}")
    site_config = getattr(config, "config", config)
    path = allow_file_of(config)
    if term in site_config.terms.allow:
        return path
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
    except OSError as error:
        raise AllowListError(f"无法写入白名单文件 {path}（{error.strerror}）") from None
    with os.fdopen(fd, "r+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        text = handle.read().decode("utf-8", "replace")
        try:
            present = parse_allow_text(text, str(path))
        except AllowFileError as error:  # a line edited by hand that the scan refuses too
            raise AllowListError("白名单文件有误，请先修正：" + "；".join(error.problems)) from None
        if term in present:
            return path
        lines = "" if text else HEADER
        if text and not text.endswith("\n"):
            lines += "\n"
        handle.write(f"{lines}{term}\n".encode())
        handle.flush()
        os.fsync(handle.fileno())
    return path
