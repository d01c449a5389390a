"""Site-level column and home-page findings across stored scans at chosen dates, through
the real judging step (site detectors → observations → lifecycle), on SQLite and
PostgreSQL: what the home page listed is compared across scans, a column's finding is
fixed only by a scan that saw the column fresh, and a scan that did not read a page
says nothing about it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import insert, select

from common.urls import url_key
from govwatch.config import LoadedConfig, parse_config
from govwatch.scan import _judge
from storage.db import open_database
from storage.models import Finding, ListEntry, Page, PageFact
from storage.scans import start_scan

HOST = "http://127.0.0.1:8000"
CONFIG = f"""
site:
  id: t
  name: 测试市人民政府
  start_urls: ["{HOST}/"]
units:
  - {{name: 市政府办, default: true}}
"""


def loaded() -> LoadedConfig:
    return LoadedConfig(Path("site.yaml"), parse_config(CONFIG))


def scan(db, monkeypatch, day: str, pages: dict[str, list[tuple[str, str, bool]]]) -> int:
    """Store a completed crawl of ``pages`` (path → entries (path, listed, pinned)) as of
    ``day`` and judge it."""
    monkeypatch.setenv("GOVWATCH_TODAY", day)
    now = datetime.now(UTC)
    with db.session() as session:
        scan_id = start_scan(session, "t", "测试市人民政府").id
        for path, entries in pages.items():
            url = HOST + path
            session.execute(
                insert(Page),
                [
                    {
                        "scan_id": scan_id,
                        "url_key": url_key(url),
                        "url": url,
                        "final_url": url,
                        "status": 200,
                        "title": path,
                        "fetched_at": now,
                        "meta": {},
                    }
                ],
            )
            name = "首页" if path == "/" else "工作动态"
            session.execute(
                insert(PageFact),
                [
                    {
                        "scan_id": scan_id,
                        "page_key": url_key(url),
                        "url": url,
                        "kind": "list",
                        "column_name": name,
                        "column_type": name,
                        "crumbs": [],
                        "headline": name,
                        "cites": {},
                        "entries": len(entries),
                        "content_chars": 0,
                        "placeholder": False,
                        "note": False,
                    }
                ],
            )
            if entries:
                session.execute(
                    insert(ListEntry),
                    [
                        {
                            "scan_id": scan_id,
                            "page_key": url_key(url),
                            "position": n,
                            "url": HOST + target,
                            "url_key": url_key(HOST + target),
                            "title": target,
                            "date_text": listed,
                            "listed": date.fromisoformat(listed),
                            "pinned": pinned,
                        }
                        for n, (target, listed, pinned) in enumerate(entries)
                    ],
                )
    _judge(loaded(), db, scan_id, {})
    return scan_id


def finding(db, detector: str) -> Finding | None:
    with db.session() as session:
        found = session.scalars(select(Finding).where(Finding.detector == detector)).all()
        assert len(found) <= 1
        if found:
            session.expunge(found[0])
            return found[0]
    return None


def test_home_page_compared_across_scans(db_url, monkeypatch):
    db = open_database(db_url)
    scan(db, monkeypatch, "2024-11-01", {"/": [("/x.html", "2024-11-01", False)]})
    assert finding(db, "home_page_stale") is None
    # Nineteen days on, the same item re-dated 11-19: it appeared on 11-01, nothing is new
    scan(
        db,
        monkeypatch,
        "2024-11-20",
        {"/": [("/x.html", "2024-11-19", False), ("/pin.html", "2024-11-20", True)]},
    )
    stale = finding(db, "home_page_stale")
    assert stale is not None and stale.status == "open" and stale.severity == "veto"
    assert stale.details["last_new_content"] == "2024-11-01"
    assert (stale.details["days_since"], stale.details["scans_compared"]) == (19, 2)
    assert stale.page_url == HOST + "/"
    # A scan that did not read the home page says nothing about it
    scan(db, monkeypatch, "2024-11-21", {"/xwzx/": []})
    assert finding(db, "home_page_stale").status == "open"
    # New dated content: fixed
    scan(db, monkeypatch, "2024-11-22", {"/": [("/y.html", "2024-11-21", False)]})
    assert finding(db, "home_page_stale").status == "fixed"
    db.dispose()


def test_home_page_that_nothing_dates_gets_no_veto(db_url, monkeypatch):
    # no date beside its entries, in their URLs or on the pages they link to: a veto
    # needs evidence, so the detector says nothing
    db = open_database(db_url)
    scan(db, monkeypatch, "2024-11-25", {"/": []})
    assert finding(db, "home_page_stale") is None
    db.dispose()


def test_column_finding_fixed_only_by_a_scan_that_saw_it_fresh(db_url, monkeypatch):
    db = open_database(db_url)
    home = [("/h.html", "2024-11-24", False)]
    scan(db, monkeypatch, "2024-11-25", {"/": home, "/gzdt/": [("/a.html", "2024-10-01", False)]})
    stale = finding(db, "stale_column")
    assert stale is not None and stale.status == "open" and stale.page_url == HOST + "/gzdt/"
    assert stale.details["days_since"] == 55
    # The column was not crawled: still open
    scan(db, monkeypatch, "2024-11-26", {"/": home})
    assert finding(db, "stale_column").status == "open"
    # Crawled and fresh: fixed
    scan(db, monkeypatch, "2024-11-27", {"/": home, "/gzdt/": [("/b.html", "2024-11-26", False)]})
    assert finding(db, "stale_column").status == "fixed"
    # Idle again for over two weeks: reopened, same finding
    scan(db, monkeypatch, "2024-12-20", {"/": home, "/gzdt/": [("/b.html", "2024-11-26", False)]})
    reopened = finding(db, "stale_column")
    assert reopened.id == stale.id and reopened.status == "open" and reopened.reopened_count == 1
    db.dispose()
