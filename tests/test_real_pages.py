"""Saved pages of real government sites read as their golden files say.

Every page under ``tests/pages/<platform>/NNN.html`` has a golden file ``NNN.yaml``
written by someone who read the page (its kind, date, list entries, 文号, the true
problems on it, usually none; ``NNN.src.txt`` says where the copy came from). Each page
goes through what the detection worker does with a crawled page
(:class:`crawler.page_detection.PageDetection`: ``parse_html``, ``PageContext``, the
``markup`` and ``text`` detectors, ``read_page_facts``), with the title and meta the
spider reads, at the page's real URL, for a site whose ``allowed_domains`` is the
page's host, on the truth's day (2026-12-06). Each golden fact is its own test case.

A fact the code does not read right yet is listed in the golden file under
``known_failures: {check: why}`` and runs as a strict xfail: the suite passes, and a
fix that makes it right fails the case until its marker is removed. A golden fact is
never changed to make a case pass.

Checks: ``kind``; for articles ``published`` and ``doc_number``; for pages with a list
``entries``, ``dated`` and ``newest``; on every page ``false_findings`` (a finding of the
page detectors that is not a true problem of the page, detectors ``not_judged`` aside)
and, where the page has true problems the page detectors report (terms, personal data,
hidden links), ``missed_findings``. Stale columns are the site's business: the harness
``bench/realpages.py`` (``test_harness_*`` below, marked ``integration``) scans the pages
as sites and judges those too.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from parsel import Selector
from w3lib.encoding import html_to_unicode

from bench import realpages
from bench.realpages import (
    GOLDEN_KEYS,
    PAGE_KINDS,
    PAGE_PROBLEMS,
    SUITE,
    TODAY,
    GoldenPage,
    judge,
    load_corpus,
)
from crawler.page_detection import DetectionResult, PageDetection
from crawler.page_links import page_meta, page_title
from detectors.page_facts import PageFacts, normalise_number
from govwatch.config import parse_config

# More corpus directories (same layout) can be added with GOVWATCH_REALPAGES=DIR[:DIR…]:
# pages kept outside the repository run through the same checks.
CORPUS = [
    SUITE,
    *(Path(d) for d in os.environ.get("GOVWATCH_REALPAGES", "").split(os.pathsep) if d),
]
PAGES = [page for directory in CORPUS for page in load_corpus(directory)]
CHECKS = (
    "kind",
    "published",
    "doc_number",
    "entries",
    "dated",
    "newest",
    "false_findings",
    "missed_findings",
)
# What the reader may call a page of each true kind. ``PageFacts.kind`` knows article,
# list and page (neither); a reader that learns the finer kinds may name them instead.
READ_AS = {
    "article": {"article"},
    "list": {"list"},
    "home": {"home", "page"},
    "hub": {"hub", "page"},
    "search": {"search", "page"},
    "message": {"message", "article"},
    "other": {"other", "page"},
}
# The page says its 文号 is 无 (none): the reader must not find one.
NO_NUMBER = {None, "无"}


def _checks_of(page: GoldenPage) -> list[str]:
    facts = page.facts
    checks = ["kind"]
    if facts["kind"] in ("article", "message") or facts.get("published"):
        checks.append("published")
    if facts["kind"] in ("article", "message") or facts.get("doc_number") not in NO_NUMBER:
        checks.append("doc_number")
    if facts.get("list"):
        checks += ["entries", "dated", "newest"]
    checks.append("false_findings")
    if any(p.get("type") in PAGE_PROBLEMS for p in page.problems):
        checks.append("missed_findings")
    return checks


def _scan_checks_of(page: GoldenPage) -> list[str]:
    return ["scan_false_findings"] + (["scan_missed_findings"] if page.problems else [])


def _cases(checks_of: Any) -> list[Any]:
    """One case per page and check; a known failure of the page is a strict xfail."""
    cases = []
    for page in PAGES:
        known = page.known_failures
        for check in checks_of(page):
            marks = []
            if check in known:
                reason = f"issue 12: {known[check]}"
                marks.append(pytest.mark.xfail(strict=True, reason=reason))
            cases.append(pytest.param(page, check, id=f"{page.label}-{check}", marks=marks))
    return cases


@dataclass
class Reading:
    facts: PageFacts
    findings: list[dict[str, Any]]  # flat records: detector, severity and the details


def _config(page: GoldenPage) -> Any:
    host = urlsplit(page.url).hostname
    site = {"id": "realpage", "name": page.facts.get("org") or host, "start_urls": [page.url]}
    return parse_config(yaml.safe_dump({"site": {**site, "allowed_domains": [host]}}))


@cache
def read(page: GoldenPage) -> Reading:
    """The page as the crawl reads it: decoded like a response without a charset header
    (its BOM or ``<meta charset>`` decides), title and meta as the spider reads them,
    then the detection worker's reading."""
    _, html = html_to_unicode(None, page.html.read_bytes())
    root = Selector(text=html).root
    detection = PageDetection(_config(page), workers=0)
    result: DetectionResult = detection.submit(page.url, page_title(root), page_meta(root), html)
    detection.close()
    assert not result.failures, result.failures
    assert len(result.facts) == 1, f"{page.label}: the page was not read"
    findings = [
        {"detector": f.detector, "severity": f.severity, "key": f.key, **f.details}
        for f in result.findings
    ]
    return Reading(result.facts[0], findings)


@pytest.fixture(autouse=True)
def _truth_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """The truth is judged as of 2026-12-06, not the sample portal's day."""
    monkeypatch.setenv("GOVWATCH_TODAY", TODAY.isoformat())


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _describe(findings: list[dict[str, Any]]) -> str:
    return "; ".join(
        f"{f['detector']}({f['severity']}) {f.get('target_url') or f.get('term') or f['key']}"
        for f in findings
    )


@pytest.mark.parametrize(("page", "check"), _cases(_checks_of))
def test_real_page(page: GoldenPage, check: str) -> None:
    golden = page.facts
    reading = read(page)
    facts = reading.facts
    dated = [e for e in facts.entries if e.listed]
    if check == "kind":
        assert facts.kind in READ_AS[golden["kind"]], (
            f"a {golden['kind']} page read as {facts.kind!r} "
            f"({len(facts.entries)} entries, {len(dated)} dated)"
        )
    elif check == "published":
        assert _iso(facts.published) == golden.get("published")
    elif check == "doc_number":
        number = golden.get("doc_number")
        expected = None if number in NO_NUMBER else normalise_number(number)
        assert facts.document_number == expected
    elif check == "entries":
        assert len(facts.entries) == golden["list"]["entries"]
    elif check == "dated":
        assert len(dated) == golden["list"]["dated"]
    elif check == "newest":
        assert _iso(max((e.listed for e in dated), default=None)) == golden["list"]["newest"]
    elif check == "false_findings":
        verdict = judge(reading.findings, page.problems, page.not_judged)
        assert not verdict.false, f"false findings: {_describe(verdict.false)}"
    elif check == "missed_findings":
        wanted = [p for p in page.problems if p.get("type") in PAGE_PROBLEMS]
        verdict = judge(reading.findings, wanted, page.not_judged)
        assert not verdict.missed, f"missed: {verdict.missed}"
    else:  # pragma: no cover
        raise AssertionError(check)


# -- the golden files themselves ------------------------------------------------------------

_PAGE_ID = re.compile(r"^\d{3}$")


def test_the_suite_holds_every_given_page() -> None:
    assert len(load_corpus(SUITE)) >= 17
    assert len({p.id for p in PAGES}) == len(PAGES), "page ids repeat"


@pytest.mark.parametrize("page", PAGES, ids=[p.label for p in PAGES])
def test_golden_file_is_well_formed(page: GoldenPage) -> None:
    facts = page.facts
    assert set(facts) <= GOLDEN_KEYS, f"unknown keys: {set(facts) - GOLDEN_KEYS}"
    assert _PAGE_ID.match(page.id) and Path(page.source).stem == page.id
    assert page.html.is_file() and page.html.with_suffix(".src.txt").is_file()
    assert page.html.parent.name == facts["platform"]
    assert urlsplit(page.url).scheme in ("http", "https") and urlsplit(page.url).hostname
    assert facts["kind"] in PAGE_KINDS
    for name in ("published",):
        if facts.get(name) is not None:
            date.fromisoformat(facts[name])
    listing = facts.get("list")
    if listing:
        assert {"entries", "dated", "newest"} <= set(listing)
        assert 0 <= listing["dated"] <= listing["entries"]
        assert (listing["newest"] is None) == (listing["dated"] == 0)
    for problem in page.problems:
        assert problem.get("type") in (*PAGE_PROBLEMS, "stale"), problem
        assert problem.get("why"), f"a true problem says why: {problem}"
    unknown = set(page.known_failures) - {*_checks_of(page), *_scan_checks_of(page)}
    assert not unknown, f"known_failures name checks this page does not run: {unknown}"
    assert all(str(why).strip() for why in page.known_failures.values())


# -- the pages scanned as sites ------------------------------------------------------------


@pytest.fixture(scope="module")
def scan_report() -> realpages.Report:
    """Every page of the suite served at its URL path, each host scanned as a site by
    ``govwatch scan`` (``bench/realpages.py``), the findings judged against the truth."""
    return realpages.run(CORPUS)


scan = pytest.mark.xdist_group("realpages_scan")  # one scan, on one worker


@pytest.mark.integration
@scan
@pytest.mark.parametrize(("page", "check"), _cases(_scan_checks_of))
def test_scanned_page(scan_report: realpages.Report, page: GoldenPage, check: str) -> None:
    """The scan's findings on the page (stale columns and the home page included) are its
    true problems: no false one (``broken_link`` to targets the corpus does not serve
    and detectors ``not_judged`` aside), none missed."""
    verdict = scan_report.verdicts[page.label]
    if check == "scan_false_findings":
        assert not verdict.false, f"false findings: {_describe_records(verdict.false)}"
    else:
        assert not verdict.missed, f"missed: {verdict.missed}"


@pytest.mark.integration
@scan
def test_scan_reads_every_page(scan_report: realpages.Report) -> None:
    assert scan_report.pages == len(PAGES)
    assert not scan_report.unread, f"pages the scan never fetched: {scan_report.unread}"


@pytest.mark.integration
@scan
def test_scan_raises_no_false_veto(scan_report: realpages.Report) -> None:
    assert scan_report.false_veto == 0, _describe_records(
        [f for f in scan_report.false if f.get("severity") == "veto"]
    )


@pytest.mark.integration
@scan
def test_scan_false_findings_within_target(scan_report: realpages.Report) -> None:
    """At most one false finding per 20 pages."""
    assert scan_report.false_total * 20 <= scan_report.pages, _describe_records(scan_report.false)


def _describe_records(records: list[dict[str, Any]]) -> str:
    return "; ".join(
        f"{r.get('page', '')} {r['detector']}({r['severity']}) "
        f"{r.get('target_url') or r.get('term') or ''}"
        for r in records
    )
