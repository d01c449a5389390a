"""Scan the sample portal with its new-media accounts and assert the exact findings.

The mirror (``sample_portal/new_media.py``) serves accounts of every kind;
``expected_findings.yaml`` lists what a correct scan reports — the portal's findings
and, with an ``account``, the accounts' — no more, no fewer, each with its unit. Later
scans keep the fingerprints; a fixed post becomes ``fixed``, while an account whose
feed can no longer be read keeps its findings open (nothing was seen, so nothing is
fixed).
"""

from __future__ import annotations

import json
from datetime import UTC, date

import pytest
from sqlalchemy import select

from common.clock import BEIJING
from sample_portal import SamplePortal, new_media
from storage.db import open_database
from storage.models import NewMediaFetch, NewMediaPost
from tests.conftest import fresh_database
from tests.test_sample_portal_scan import assert_golden, govwatch

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("sample_portal")]

ACCOUNT_DETECTORS = ("new_media_stale", "new_media_unreachable")


class MediaScan:
    def __init__(self, portal: SamplePortal, db_url: str, tmp_path):
        self.portal = portal
        self.db_url = db_url
        self.config = tmp_path / "site.yaml"
        self.config.write_text(portal.site_config_yaml(new_media=True), encoding="utf-8")

    def scan(self):
        self.portal.reset_log()
        result = govwatch("scan", "--config", str(self.config), "--db", self.db_url)
        assert result.returncode == 0, result.stderr
        return result

    def findings(self, *args: str) -> list[dict]:
        result = govwatch("findings", "--db", self.db_url, "--format", "json", *args)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    def media_findings(self, *args: str) -> list[dict]:
        return [
            f for f in self.findings(*args) if f["detector"] in ACCOUNT_DETECTORS or "account" in f
        ]


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def media_scan(request, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("media")
    with (
        fresh_database(request.param, tmp_path) as db_url,
        SamplePortal(tmp_path / "site") as portal,
    ):
        state = MediaScan(portal, db_url, tmp_path)
        state.first = state.scan()
        state.first_findings = state.findings()
        yield state


def test_findings_match_the_golden_file(media_scan):
    """The portal's findings unchanged by the accounts, and the accounts' own."""
    portal = media_scan.portal
    actual = portal.normalise(media_scan.first_findings)
    assert_golden(portal.expected_findings(new_media=True), actual)


def test_zombie_accounts_are_called_so(media_scan):
    for finding in media_scan.first_findings:
        if finding["detector"] == "new_media_stale":
            assert ("僵尸账号" in finding["message"]) == finding["zombie"]
            assert finding["account"] in finding["message"]


def test_posts_and_feed_reads_stored(media_scan):
    db = open_database(media_scan.db_url)
    try:
        with db.session() as session:
            fetches = {f.account: f for f in session.scalars(select(NewMediaFetch))}
            posts = list(session.scalars(select(NewMediaPost)))
    finally:
        db.dispose()
    assert {a: (f.outcome, f.error) for a, f in fetches.items()} == {
        "龙南发布": ("ok", None),
        "龙南司法": ("ok", None),
        "龙南旅游": ("ok", None),
        "龙南微博": ("ok", None),
        "龙南政务服务": ("unreachable", "http_500"),
        "龙南教育": ("unreachable", "not_a_feed"),
    }
    assert fetches["龙南发布"].articles_read == 5  # four articles and one deleted stub
    by_account: dict[str, list[NewMediaPost]] = {}
    for post in posts:
        by_account.setdefault(post.account, []).append(post)
    assert {a: len(p) for a, p in by_account.items()} == {
        "龙南发布": 5,
        "龙南司法": 2,
        "龙南旅游": 2,
        "龙南微博": 3,
    }
    deleted = [p.url for p in posts if p.deleted]
    assert deleted == [media_scan.portal.mirror_url.rstrip("/") + new_media.ARTICLE_DELETED]
    assert [p.post_key for p in posts if p.pinned] == ["LbPinned01"]
    # The feed gives no date for the video; its article page does (``var ct``).
    video = next(p for p in by_account["龙南发布"] if p.title == "【视频】四季龙南")
    published = video.published.replace(tzinfo=video.published.tzinfo or UTC)
    assert published.astimezone(BEIJING).date() == date(2024, 10, 27)
    assert not video.published_estimated
    typo = next(p for p in posts if p.url.endswith(new_media.ARTICLE_TYPO))
    assert "贯切" in typo.text  # the article page's text, not the title-only feed item


def test_scan_summary_lists_accounts(media_scan):
    out = media_scan.first.stdout
    assert "政务新媒体账号 6 个" in out and "无法读取 2 个" in out


def test_later_scans_keep_fix_and_hold(media_scan):
    """Second scan: same fingerprints. Then the typo is corrected, 龙南司法's mirror breaks
    and 龙南旅游 posts again: the typo is fixed, 龙南司法's problems stay open, the zombie
    finding is fixed."""
    before = {f["fingerprint"]: f for f in media_scan.findings()}
    second = media_scan.scan()
    assert "新增 0" in second.stdout
    assert {f["fingerprint"] for f in media_scan.findings()} == before.keys()

    mirror_root = media_scan.portal.root / new_media.MIRROR_DIR
    article = mirror_root / new_media.ARTICLE_TYPO.lstrip("/")
    article.write_text(article.read_text(encoding="utf-8").replace("贯切", "贯彻"), "utf-8")
    (mirror_root / new_media.FEED_SIFA.lstrip("/")).write_text(new_media.LOGIN_PAGE, "utf-8")
    feed = mirror_root / new_media.FEED_LVYOU.lstrip("/")
    data = json.loads(feed.read_text(encoding="utf-8"))
    data["items"].insert(0, {"id": "lvyou-new", "title": "冬季旅游线路推荐", "content_text": "…"})
    feed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    media_scan.scan()

    status = {
        (f["detector"], f.get("account"), f.get("term") or f.get("kind")): f["status"]
        for f in media_scan.findings("--status", "fixed") + media_scan.findings("--status", "open")
    }
    assert status[("term", "龙南发布", "贯切")] == "fixed"
    assert status[("new_media_stale", "龙南旅游", None)] == "fixed"  # undated, but new
    assert status[("new_media_stale", "龙南司法", None)] == "open"
    assert status[("privacy_leak", "龙南司法", "mobile")] == "open"
    assert status[("new_media_unreachable", "龙南司法", None)] == "open"
    assert status[("term", "龙南微博", "再接再励")] == "open"
    latest = {(f["detector"], f.get("account")) for f in media_scan.media_findings()}
    assert ("new_media_stale", "龙南司法") not in latest  # not judged while unreadable
