"""HTML from the Jinja2 templates in ``reports/templates/``, and PDF from that HTML.

One template set serves the browser and the printer: the weekly report's PDF is its
HTML laid out by WeasyPrint (A4, page numbers from CSS counters), so the two never
disagree. CJK text needs a CJK font installed (Debian: fonts-noto-cjk or
fonts-wqy-zenhei); the stylesheet names the official fonts first and those after.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from common.inert_text import xml_text

TEMPLATES = Path(__file__).with_name("templates")


def _printable(value: Any) -> Any:
    """What a template prints, without the characters XML forbids (a page's ``\\x08``):
    the HTML stays well-formed for WeasyPrint and for browsers' XHTML views."""
    if isinstance(value, Markup):
        return Markup(xml_text(value))
    return xml_text(value) if isinstance(value, str) else value


@cache
def environment() -> Environment:
    env = Environment(
        finalize=_printable,
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def render_html(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


SYSTEM_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk"


class PdfUnavailable(RuntimeError):
    """This machine lacks what PDF output needs (Pango, a CJK font); says what to install."""


def _has_cjk_font() -> bool | None:
    """Whether fontconfig knows a Chinese font (None when fc-list is not there to ask)."""
    if shutil.which("fc-list") is None:
        return None
    found = subprocess.run(
        ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False
    )
    return bool(found.stdout.strip())


def write_pdf(html: str, path: Path) -> int:
    """Lay out ``html`` as a PDF at ``path``; returns the number of pages."""
    try:
        from weasyprint import HTML
    except OSError as error:  # the Pango shared libraries are missing
        raise PdfUnavailable(
            f"无法生成 PDF：缺少 Pango 库（{error}）；"
            f"Debian/Ubuntu 上请安装：apt-get install {SYSTEM_PACKAGES}"
        ) from None
    if _has_cjk_font() is False:
        raise PdfUnavailable(
            "无法生成 PDF：系统中没有中文字体，汉字会显示为方框；"
            "Debian/Ubuntu 上请安装：apt-get install fonts-noto-cjk（或 fonts-wqy-zenhei）"
        )

    # WeasyPrint logs every CSS property it does not know; the operator cannot act on it.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    document = HTML(string=html, base_url=str(TEMPLATES)).render()
    document.write_pdf(str(path))
    return len(document.pages)
