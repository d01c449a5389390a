"""Scan the bundled sample portal and assert the exact findings.

The expectations live beside the generator that plants them
(``sample_portal/expected_findings.yaml``, one record per finding); this test
normalises the findings of a real ``govwatch scan`` into the same records and
diffs the whole set against them — no more, no fewer — on SQLite and on
PostgreSQL, and counts the requests the portal received.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections import Counter
from urllib.parse import unquote, urlsplit

import pytest
from sqlalchemy import select

from sample_portal import SamplePortal, golden
from sample_portal.generate import GBK_TITLE
from storage.db import open_database
from storage.models import Page, UrlCheck
from tests.conftest import fresh_database

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("sample_portal")]


def govwatch(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "govwatch", *args], capture_output=True, text=True, timeout=300
    )


class PortalScan:
    def __init__(self, portal: SamplePortal, db_url: str, tmp_path):
        self.portal = portal
        self.db_url = db_url
        self.config = tmp_path / "site.yaml"
        self.config.write_text(portal.site_config_yaml(), encoding="utf-8")

    def scan(self) -> subprocess.CompletedProcess:
        self.portal.reset_log()
        result = govwatch("scan", "--config", str(self.config), "--db", self.db_url)
        assert result.returncode == 0, result.stderr
        return result

    def findings(self, *args: str) -> list[dict]:
        result = govwatch("findings", "--db", self.db_url, "--format", "json", *args)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def portal_scan(request, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("portal")
    with (
        fresh_database(request.param, tmp_path) as db_url,
        SamplePortal(tmp_path / "site") as portal,
    ):
        state = PortalScan(portal, db_url, tmp_path)
        state.first = state.scan()
        state.first_requests = portal.requests()
        yield state


def assert_golden(expected: list[dict], actual: list[dict]) -> None:
    """The whole set, one line per finding; on failure the diff says which finding a
    scan added (+) or lost (-)."""
    __tracebackhide__ = True
    if expected != actual:
        pytest.fail("findings differ from the golden file:\n" + golden.diff(expected, actual))


def test_findings_match_the_golden_file(portal_scan):
    portal = portal_scan.portal
    assert_golden(portal.expected_findings(), portal.normalise(portal_scan.findings()))


def test_term_findings_point_at_the_text(portal_scan):
    for f in portal_scan.findings("--detector", "term"):
        assert "【" in f["context"] and "】" in f["context"]
        assert isinstance(f["offset"], int) and f["offset"] >= 0


def test_privacy_leaks_counted_and_never_shown_in_full(portal_scan):
    found = portal_scan.findings("--detector", "privacy_leak")
    assert found and all(f["count"] == 1 for f in found)
    from sample_portal.content_problems import LEAKED_ID, LEAKED_MOBILE

    dumped = json.dumps(found, ensure_ascii=False)
    assert LEAKED_ID not in dumped and LEAKED_MOBILE not in dumped


COLUMN_DETECTORS = ("stale_column", "blank_column", "home_page_stale", "missing_interpretation")
# Issue 16 part A: the traps (a message answered the next day, a Friday issue published
# on Monday, a void document shown 失效) are in ``not_reported`` too.
PLAN_DETECTORS = ("interaction_unanswered", "late_publication", "expired_document")


def test_fresh_columns_and_timely_interpretations_not_reported(portal_scan):
    judged = COLUMN_DETECTORS + PLAN_DETECTORS
    reported = {f["page_url"] for f in portal_scan.findings() if f["detector"] in judged}
    assert not reported & set(portal_scan.portal.not_reported())


def test_findings_fields_and_severity(portal_scan):
    for f in portal_scan.findings("--detector", "broken_link"):
        assert f["site"] == "longnan" and f["status"] == "open"
        assert f["severity"] == ("high" if f["on_home_page"] else "medium")
        assert unquote(f["target_url"]) in f["message"]
        assert f["first_seen"] == f["last_seen"]
        assert len(f["fingerprint"]) == 32


def test_rate_limited_is_inconclusive_not_a_finding(portal_scan):
    (entry,) = portal_scan.portal.expected_inconclusive()
    assert "无法确认的网址 1 个" in portal_scan.first.stdout
    assert entry["target_url"] in portal_scan.first.stdout
    db = open_database(portal_scan.db_url)
    with db.session() as session:
        check = session.scalars(select(UrlCheck).where(UrlCheck.url == entry["target_url"])).one()
        assert (check.outcome, check.error, check.http_status) == (
            "inconclusive",
            "rate_limited",
            429,
        )
        assert len(check.attempts) == 3  # first try + 2 retries, each after Retry-After
    db.dispose()


def test_gbk_section_decoded_as_gb18030(portal_scan):
    db = open_database(portal_scan.db_url)
    with db.session() as session:
        titles = set(session.scalars(select(Page.title)))
    db.dispose()
    assert any(GBK_TITLE in title for title in titles)


# Requests a correct scan sends beyond one per URL: retries and HEAD→GET fallbacks.
# Every other (method, path) is requested exactly once; redirect hops are URLs too.
EXTRA_REQUESTS = {
    ("GET", "/trap/flaky.html"): 2,  # 503 then 200
    ("GET", "/trap/busy.html"): 2,  # 429 (Retry-After: 1) then 200
    ("GET", "/trap/always429.html"): 3,  # 429 three times: rate_limited
    ("GET", "/api/broken500"): 3,  # 500, retried twice
    ("GET", "/trap/hang.html"): 3,  # timed out three times
}
# A reset on a reused keep-alive connection is re-sent once by the HTTP client (as browsers
# do), so each of the 3 attempts at the resetting URL may reach the server twice.
RESET_PATH = "/trap/reset.html"


def _target(raw: str) -> str:
    """A request's path, percent-decoded, with its query (share links and show.asp?id=N
    differ only there)."""
    parts = urlsplit(raw)
    return unquote(parts.path) + (f"?{parts.query}" if parts.query else "")


def test_each_url_fetched_once_plus_retries(portal_scan):
    counts = Counter()
    for record in portal_scan.first_requests:
        counts[(record.host.split(":")[0], record.method, _target(record.path))] += 1
    probes = [key for key in counts if "govwatch-probe-" in key[2]]
    assert sorted(host for host, _, _ in probes) == ["127.0.0.1", "127.0.0.2"]
    resets = counts.pop(("127.0.0.1", "GET", RESET_PATH))
    assert 3 <= resets <= 6
    wrong = {key: n for key, n in counts.items() if n != EXTRA_REQUESTS.get(key[1:], 1)}
    assert not wrong, wrong
    for (method, path), n in EXTRA_REQUESTS.items():
        assert sum(c for (_, m, p), c in counts.items() if (m, p) == (method, path)) == n, path
    # A file is asked for with HEAD; GET follows only when HEAD is refused or fails.
    heads = {p for _, m, p in counts if m == "HEAD"}
    assert "/upload/guide-head405.doc" in heads and "/docs/head501.pdf" in heads
    gets_after_head = {p for _, m, p in counts if m == "GET" and p in heads}
    assert gets_after_head == {
        p
        for (_, m, p), _ in counts.items()
        if m == "HEAD"
        and any(
            r.status >= 400
            for r in portal_scan.first_requests
            if r.method == "HEAD" and _target(r.path) == p
        )
    }


def test_second_scan_keeps_fingerprints(portal_scan):
    before = {f["fingerprint"]: f for f in portal_scan.findings()}
    portal = portal_scan.portal
    assert len(before) == portal.expected_portal_count()
    second = portal_scan.scan()
    assert "新增 0" in second.stdout
    after = {f["fingerprint"]: f for f in portal_scan.findings()}
    assert after.keys() == before.keys()
    for fingerprint, finding in after.items():
        assert finding["id"] == before[fingerprint]["id"]
        assert finding["scan_id"] == before[fingerprint]["scan_id"] + 1
        assert finding["status"] == "open"
    by_scan = portal_scan.findings("--scan", str(before[next(iter(before))]["scan_id"]))
    assert by_scan == []  # the first scan's view: every finding was last seen by the second


def test_csv_and_table_formats(portal_scan):
    expected = sum(f["detector"] == "broken_link" for f in portal_scan.portal.expected_findings())
    csv_out = govwatch(
        "findings", "--db", portal_scan.db_url, "--format", "csv", "--detector", "broken_link"
    )
    assert csv_out.returncode == 0, csv_out.stderr
    assert csv_out.stdout.startswith("\ufeff")  # Excel's cue for UTF-8
    rows = list(csv.DictReader(io.StringIO(csv_out.stdout.removeprefix("\ufeff"))))
    assert len(rows) == expected
    assert {"target_url", "element", "error", "on_home_page", "unit"} <= set(rows[0])
    table = govwatch("findings", "--db", portal_scan.db_url, "--unit", "市司法局")
    assert table.returncode == 0, table.stderr
    # 2 links, 1 xlsx leak, the stale 普法动态 column
    assert "链接不可用" in table.stdout and "共 4 条" in table.stdout
