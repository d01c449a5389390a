"""Writing the notices of one site into a directory: docx, html and xlsx per unit.

Each file is written beside its final name and renamed into place, so an
interrupted run never leaves a half-written notice that looks complete. Notices
of an earlier run for units that now have nothing open are removed: a unit with
nothing to fix must not find last week's notice in the directory.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from reports.notice_docx import write_notice_docx
from reports.notice_html import write_notice_html
from reports.notice_xlsx import write_notice_xlsx
from reports.notices import Notice, build_notices, notice_filename
from reports.page_context import page_contexts
from reports.report_data import ReportInputs

SUFFIXES = (".docx", ".html", ".xlsx")


@dataclass
class WrittenNotices:
    notices: list[Notice]
    files: list[Path]
    removed: list[Path]


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    partial = path.with_name(f".{path.name}.partial")
    try:
        write(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def write_notices(
    session: Session, inputs: ReportInputs, out_dir: Path, issued: date
) -> WrittenNotices:
    notices = build_notices(inputs, issued)
    contexts = page_contexts(session, inputs.site_id, inputs.scan_id, inputs.unresolved)
    out_dir.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    for notice in notices:
        writers: dict[str, Callable[[Path], None]] = {
            ".docx": lambda p, n=notice: write_notice_docx(n, p),
            ".html": lambda p, n=notice: write_notice_html(n, p),
            ".xlsx": lambda p, n=notice: write_notice_xlsx(n, contexts, p),
        }
        for suffix in SUFFIXES:
            path = out_dir / notice_filename(notice.unit, suffix)
            write_atomically(path, writers[suffix])
            files.append(path)
    keep = set(files)
    removed = []
    for suffix in SUFFIXES:
        for old in sorted(out_dir.glob(f"整改通知-*{suffix}")):
            if old not in keep:
                old.unlink()
                removed.append(old)
    return WrittenNotices(notices=notices, files=files, removed=removed)
