"""Check one draft with every detector that applies to a single document.

The detectors are the registry's (:func:`detectors.registry.draft_detectors`), built with
the site's settings, word lists and allow list once per process and config (the term
base is loaded once: :func:`detectors.resources.term_matcher`), and run through
:func:`detectors.runner.run_detectors` like a scan's. The draft is judged as of its
publication date (``as_of``, today by default): an outdated name is one abolished by
then. Its links are checked live unless ``links=False``.

Findings come out as the contract's objects (§4) without ``id``, ``scan_id``, status or
dates (nothing is stored), and without ``page_url`` for a file: ``location`` names the
place of the first occurrence (第 3 段, 表格 1 第 2 行第 3 列, 工作表!B3, 第 2 页,
正文第 4 段) and ``places`` lists every occurrence the detector located, with its block
and the characters within it (never the characters themselves: they may be an ID
number), so that the review app can highlight each one and put a
suggestion in its place.
"""

from __future__ import annotations

import bisect
import os
import threading
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from common.clock import today
from common.urls import host_of
from detectors.base import Detector, Finding
from detectors.registry import draft_detectors, title_of
from detectors.runner import Detection, run_detectors
from detectors.terms.allow_file import AllowFileError
from govwatch.drafts.links import DraftLinks, check_links, links_in_html, links_in_text
from govwatch.drafts.reading import Draft, DraftError

# The address a draft file is read at when no site is configured: relative links belong
# to the site-to-be, and are neither checked nor taken for another site's.
NO_SITE_URL = "http://draft.invalid/"
NO_SITE_YAML = f"""
site:
  id: draft
  name: 发布前检查
  start_urls: ["{NO_SITE_URL}"]
"""

_lock = threading.Lock()
# Per config and links: the allow file's state they were built with, and the detectors.
_detectors: dict[tuple[str, bool], tuple[Any, list[Detector]]] = {}


@lru_cache(maxsize=1)
def no_site_config() -> Any:
    """The config of a check without ``--config``: bundled word lists, default settings."""
    from govwatch.config import parse_config

    return parse_config(NO_SITE_YAML, "<默认配置>")


def _allow_file_state(config: Any) -> tuple[int, int] | None:
    """When and how large the site's allow file is (the review app appends to it)."""
    try:
        found = os.stat(config.terms.allow_file)
    except (TypeError, OSError):
        return None
    return (found.st_mtime_ns, found.st_size)


def detectors_of(config: Any, links: bool) -> list[Detector]:
    """The draft detectors of this config, built once per process, and again when the
    site's allow file has changed (an editor dismissed a term as a false positive)."""
    key = (config.model_dump_json(), links)
    state = _allow_file_state(config)
    with _lock:
        cached = _detectors.get(key)
        if cached is None or cached[0] != state:
            try:
                cached = _detectors[key] = (state, draft_detectors(config, links))
            except AllowFileError as error:
                raise DraftError(f"站点的白名单文件有误：{error}") from None
        return cached[1]


@dataclass
class CheckResult:
    draft: Draft
    findings: list[dict[str, Any]] = field(default_factory=list)
    checked: dict[str, Any] = field(default_factory=dict)


def check_draft(
    draft: Draft,
    config: Any | None = None,
    as_of: date | None = None,
    links: bool = True,
    client: Any = None,
) -> CheckResult:
    """The findings of a read draft (see the module docstring)."""
    config = config or no_site_config()
    now = today()
    as_of = as_of or now
    if as_of > now:
        raise DraftError(f"发布日期 {as_of.isoformat()} 晚于今天（{now.isoformat()}）")
    home = str(config.site.home_url)
    page = draft.page(home, as_of)
    detectors = detectors_of(config, links)
    on_page = [d for d in detectors if d.scope != "site"]
    detection = run_detectors(on_page, page, draft.name)
    ran = [d for d in on_page if d.scope != "markup" or draft.root is not None]
    link_subject = None
    if links:
        found = (
            links_in_html(draft.root, page.url)
            if draft.root is not None
            else links_in_text(draft.text)
        )
        found = [link for link in found if host_of(link.url) != host_of(NO_SITE_URL)]
        link_subject = check_links(found, page.url, config.site, client)
        on_site = [d for d in detectors if d.scope == "site"]
        detection.extend(run_detectors(on_site, link_subject, draft.name))
        ran += on_site
    result = CheckResult(draft)
    result.findings = _records(detection.findings, draft, config)
    result.checked = _checked(draft, config, as_of, ran, detection, link_subject)
    return result


def _checked(
    draft: Draft,
    config: Any,
    as_of: date,
    ran: list[Detector],
    detection: Detection,
    links: DraftLinks | None,
) -> dict[str, Any]:
    checked: dict[str, Any] = {
        "name": draft.name,
        "format": draft.kind,
        "site": config.site.id,
        "as_of": as_of.isoformat(),
        "blocks": len(draft.blocks),
        "characters": len(draft.text),
        "detectors": [{"id": d.id, "title": d.title} for d in ran],
        "links": None
        if links is None
        else {"checked": links.checked, "broken": len(links.rows), "skipped": links.skipped},
    }
    if draft.note:
        checked["note"] = draft.note
    if detection.failures:
        checked["failures"] = [
            {"detector": f.detector, "title": title_of(f.detector)} for f in detection.failures
        ]
    return checked


def _records(findings: list[Finding], draft: Draft, config: Any) -> list[dict[str, Any]]:
    starts = []
    pos = 0
    for block in draft.blocks:
        starts.append(pos)
        pos += len(block.text) + 1
    records = [_record(f, draft, starts, config) for f in findings]
    records.sort(key=_order)
    return records


def _order(record: dict[str, Any]) -> tuple[int, int, str]:
    place = record["places"][0] if record["places"] else None
    if place is None:
        return (1 << 30, 0, record["detector"])
    return (place["block"], place["start"], record["detector"])


def _record(finding: Finding, draft: Draft, starts: list[int], config: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "fingerprint": finding.fingerprint,
        "site": config.site.id,
        "detector": finding.detector,
        "title": title_of(finding.detector),
        "severity": finding.severity,
        "unit": finding.unit or config.default_unit,
    }
    if draft.url:
        record["page_url"] = draft.url
    places = [_place(draft, starts, start, end) for start, end in finding.evidence.get("spans", ())]
    places = [p for p in places if p is not None]
    if not places:
        places = _places_of_link(draft, finding.details)
    record["location"] = places[0]["location"] if places else _link_location(finding.details)
    record["message"] = finding.message
    for key, value in finding.details.items():
        record.setdefault(key, value)
    record["places"] = places
    return record


def _place(draft: Draft, starts: list[int], start: int, end: int) -> dict[str, Any] | None:
    """Where characters ``start:end`` of the draft's text are: block and offsets in it."""
    i = bisect.bisect_right(starts, start) - 1
    if i < 0 or i >= len(draft.blocks):
        return None
    block = draft.blocks[i]
    a = start - starts[i]
    b = min(end - starts[i], len(block.text))
    if a >= len(block.text):
        return None
    return {"block": i, "start": a, "end": b, "location": block.location}


def _places_of_link(draft: Draft, details: dict[str, Any]) -> list[dict[str, Any]]:
    """A link's finding in the text: where its text (or address) is shown, if it is."""
    for needle in (details.get("link_text"), details.get("target_url")):
        if not needle:
            continue
        for i, block in enumerate(draft.blocks):
            at = block.text.find(needle)
            if at >= 0:
                end = at + len(needle)
                return [{"block": i, "start": at, "end": end, "location": block.location}]
    return []


def _link_location(details: dict[str, Any]) -> str:
    target = details.get("target_url")
    return f"链接 {target}" if target else "全文"
