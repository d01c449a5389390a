"""Writing the notices of one site into a directory: docx, html and xlsx per unit.

Each file is written beside its final name and renamed into place, so an
interrupted run never leaves a half-written notice that looks complete. Notices
of an earlier run for units that now have nothing open are removed: a unit with
nothing to fix must not find last week's notice in the directory.

Removed are only files govwatch wrote there for this site: each site keeps a manifest
in the directory (``.govwatch-notices-<site>.json``), the list of the files its last
run wrote. A file the manifest does not list — an operator's own, another site's
notices — is never touched, and a file another site's manifest also lists (two sites
with a unit of the same name, one directory) is left to that site. The manifest is
written before the notices, listing old and new, so an interrupted run forgets nothing.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from reports.notice_docx import write_notice_docx
from reports.notice_html import write_notice_html
from reports.notice_xlsx import write_notice_xlsx
from reports.notices import Notice, build_notices, notice_stems
from reports.page_context import page_contexts
from reports.report_data import ReportInputs

SUFFIXES = (".docx", ".html", ".xlsx")
MANIFEST_PREFIX = ".govwatch-notices-"


@dataclass
class WrittenNotices:
    notices: list[Notice]
    files: list[Path]
    removed: list[Path]
    shared: dict[Path, list[str]] = field(default_factory=dict)  # file → other sites' ids


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    partial = path.with_name(f".{path.name}.partial")
    try:
        write(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def manifest_path(out_dir: Path, site_id: str) -> Path:
    safe = re.sub(r"[^0-9A-Za-z_.-]+", "_", site_id)
    return out_dir / f"{MANIFEST_PREFIX}{safe}.json"


def _read_manifest(path: Path) -> tuple[str | None, set[str]]:
    """The site a manifest is of and the file names it lists (nothing when unreadable:
    then nothing is deleted on its word)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        names = {n for n in data["files"] if isinstance(n, str) and Path(n).name == n}
        return str(data["site"]), names
    except (OSError, ValueError, KeyError, TypeError):
        return None, set()


def _write_manifest(path: Path, site_id: str, names: set[str]) -> None:
    text = json.dumps({"site": site_id, "files": sorted(names)}, ensure_ascii=False, indent=1)
    write_atomically(path, lambda p: p.write_text(text + "\n", encoding="utf-8"))


def write_notices(
    session: Session, inputs: ReportInputs, out_dir: Path, issued: date
) -> WrittenNotices:
    notices = build_notices(inputs, issued)
    contexts = page_contexts(session, inputs.site_id, inputs.scan_id, inputs.unresolved)
    out_dir.mkdir(parents=True, exist_ok=True)
    stems = notice_stems([n.unit for n in notices])
    names = {f"{stems[n.unit]}{suffix}" for n in notices for suffix in SUFFIXES}
    own = manifest_path(out_dir, inputs.site_id)
    _, written_before = _read_manifest(own)
    others: dict[str, list[str]] = {}
    for path in sorted(out_dir.glob(f"{MANIFEST_PREFIX}*.json")):
        site, listed = _read_manifest(path)
        if path != own and site is not None and site != inputs.site_id:
            for name in listed:
                others.setdefault(name, []).append(site)
    _write_manifest(own, inputs.site_id, written_before | names)

    files: list[Path] = []
    for notice in notices:
        writers: dict[str, Callable[[Path], None]] = {
            ".docx": lambda p, n=notice: write_notice_docx(n, p),
            ".html": lambda p, n=notice: write_notice_html(n, p),
            ".xlsx": lambda p, n=notice: write_notice_xlsx(n, contexts, p),
        }
        for suffix in SUFFIXES:
            path = out_dir / f"{stems[notice.unit]}{suffix}"
            write_atomically(path, writers[suffix])
            files.append(path)
    removed = []
    for name in sorted(written_before - names):
        old = out_dir / name
        if name not in others and old.is_file():
            old.unlink()
            removed.append(old)
    _write_manifest(own, inputs.site_id, names)
    shared = {out_dir / name: others[name] for name in sorted(names) if name in others}
    return WrittenNotices(notices=notices, files=files, removed=removed, shared=shared)
