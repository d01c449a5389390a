"""What a few tests need from the machine beyond Python: poppler's tools, a CJK font,
Pango, the right to mount a small file system, another user to run as.

``make test`` on a developer's machine skips such a test when the thing is missing,
saying what to install. CI runs ``.ci/run`` with ``CI=true``, and ``.ci/run`` installs
all of them, so there a missing one is a failure: a skip in CI would hide a missing
install step and leave the test never run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import cache

import pytest

APT_HINT = "apt-get install poppler-utils fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def need(available: bool, reason: str) -> None:
    """Go on when ``available``; else skip with ``reason`` — or fail, in CI."""
    if available:
        return
    if in_ci():
        pytest.fail(f"CI must provide this (see .ci/run): {reason}", pytrace=False)
    pytest.skip(reason)


def need_tools(*names: str) -> None:
    missing = [name for name in names if shutil.which(name) is None]
    need(not missing, f"needs {', '.join(missing)} on PATH ({APT_HINT})")


@cache
def _cjk_font() -> bool:
    if shutil.which("fc-list") is None:
        return False
    listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True)
    return bool(listed.stdout.strip())


def need_cjk_font() -> None:
    need(_cjk_font(), f"needs a CJK font known to fontconfig ({APT_HINT})")


@cache
def _pango() -> str | None:
    try:
        import weasyprint  # noqa: F401  (loads Pango through cffi)
    except OSError as error:
        return str(error)
    return None


def need_pango() -> None:
    problem = _pango()
    need(problem is None, f"needs Pango for WeasyPrint: {problem} ({APT_HINT})")


def need_pdf_tools() -> None:
    """Everything the weekly PDF's tests use: Pango and a CJK font to write it, poppler
    to read it back."""
    need_pango()
    need_cjk_font()
    need_tools("pdftoppm", "pdftotext", "pdffonts")
