"""HTML from the Jinja2 templates in ``reports/templates/``, and PDF from that HTML.

One template set serves the browser and the printer: the weekly report's PDF is its
HTML laid out by WeasyPrint (A4, page numbers from CSS counters), so the two never
disagree. CJK text needs a CJK font installed (Debian: fonts-noto-cjk or
fonts-wqy-zenhei); the stylesheet names the official fonts first and those after.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).with_name("templates")


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def render_html(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def write_pdf(html: str, path: Path) -> int:
    """Lay out ``html`` as a PDF at ``path``; returns the number of pages."""
    from weasyprint import HTML

    # WeasyPrint logs every CSS property it does not know; the operator cannot act on it.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    document = HTML(string=html, base_url=str(TEMPLATES)).render()
    document.write_pdf(str(path))
    return len(document.pages)
