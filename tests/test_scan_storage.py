"""What a scan keeps: packed page links, link rows only for failed targets, the raw rows
of old scans pruned after ``retention`` scans (findings and summaries kept), and the
migration that packs the links already stored."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, func, select, text

from govwatch.config import ConfigError, parse_config
from reports.page_context import page_contexts
from storage.db import MIGRATIONS_DIR, open_database
from storage.models import (
    Finding,
    Link,
    ListEntry,
    Observation,
    Page,
    PageFact,
    Scan,
    Site,
    UrlCheck,
    pack_keys,
    unpack_keys,
)
from storage.retention import DEFAULT_RETENTION, prune_old_scans
from storage.site_content import linking_pages, outlinks
from tests.hostile_site import HostileSite

H = "http://h"
WHEN = datetime(2024, 11, 25, tzinfo=UTC)


def _page(scan_id: int, path: str, depth: int, targets: list[str]) -> Page:
    return Page(
        scan_id=scan_id,
        url_key=f"{H}{path}",
        url=f"{H}{path}",
        final_url=f"{H}{path}",
        status=200,
        depth=depth,
        fetched_at=WHEN,
        outlinks=pack_keys(f"{H}{t}" for t in targets),
    )


def _scan(session, status: str = "completed") -> int:
    scan = Scan(site_id="s", status=status, started_at=WHEN)
    session.add(scan)
    session.flush()
    return scan.id


def _raw_rows(session, scan_id: int, home: bool = True) -> None:
    """One scan's raw rows: the home page and an article, a failed link, facts."""
    pages = [_page(scan_id, "/", 0, ["/a.html"]), _page(scan_id, "/a.html", 1, ["/"])]
    session.add_all(pages)
    session.flush()
    session.add(
        Link(
            scan_id=scan_id,
            page_id=pages[1].id,
            target_key=f"{H}/gone.pdf",
            target_url=f"{H}/gone.pdf",
            element="a",
        )
    )
    session.add(
        UrlCheck(scan_id=scan_id, url_key=f"{H}/gone.pdf", url=f"{H}/gone.pdf", outcome="broken")
    )
    for path in ("/", "/a.html") if home else ("/a.html",):
        session.add(PageFact(scan_id=scan_id, page_key=f"{H}{path}", url=f"{H}{path}", kind="x"))
        session.add(
            ListEntry(
                scan_id=scan_id, page_key=f"{H}{path}", position=0, url=f"{H}/n", url_key=f"{H}/n"
            )
        )
    session.add(
        Observation(
            scan_id=scan_id,
            fingerprint=f"f{scan_id}",
            detector="broken_link",
            severity="high",
            unit="办公室",
            page_url=f"{H}/a.html",
            page_key=f"{H}/a.html",
            subject_key=f"{H}/gone.pdf",
            message="死链",
        )
    )


def _count(session, model, scan_id: int) -> int:
    return session.scalar(select(func.count()).select_from(model).where(model.scan_id == scan_id))


def test_packed_keys_round_trip():
    keys = ["http://h/a.html", "http://h/查询?x=1&y=\udcff", "http://h/" + "x" * 5000]
    assert unpack_keys(pack_keys(keys)) == keys
    assert unpack_keys(pack_keys([])) == [] and unpack_keys(None) == []


def test_outlinks_and_the_linking_page_read_the_packed_links(db_url):
    db = open_database(db_url)
    with db.session() as session:
        session.add(Site(id="s", name="站", created_at=WHEN))
        scan_id = _scan(session)
        session.add_all(
            [
                _page(scan_id, "/", 0, ["/b/", "/a.html"]),
                _page(scan_id, "/b/", 1, ["/a.html", "/b/"]),
                _page(scan_id, "/a/", 1, ["/a.html"]),
                _page(scan_id, "/z.html", 2, ["/z.html"]),  # links only itself
                _page(scan_id, "/a.html", 2, []),
            ]
        )
        session.commit()
        assert outlinks(session, scan_id, [f"{H}/b/", f"{H}/nowhere"]) == {
            f"{H}/b/": {f"{H}/a.html", f"{H}/b/"}
        }
        # the shallowest page linking it, then the first by URL; never the page itself
        assert linking_pages(session, scan_id, [f"{H}/a.html", f"{H}/b/", f"{H}/z.html"]) == {
            f"{H}/a.html": f"{H}/",
            f"{H}/b/": f"{H}/",
        }
        contexts = page_contexts(session, "s", scan_id, [{"page_url": f"{H}/a.html"}])
        assert contexts[f"{H}/a.html"].parent_url == f"{H}/"
    db.dispose()


def test_prune_keeps_the_newest_scans_findings_and_the_home_page(db_url):
    db = open_database(db_url)
    with db.session() as session:
        session.add(Site(id="s", name="站", created_at=WHEN))
        scans = [_scan(session) for _ in range(4)]
        failed = _scan(session, "failed")
        running = _scan(session, "running")
        for scan_id in [*scans, failed, running]:
            _raw_rows(session, scan_id)
        session.commit()
        # fewer completed scans than kept: nothing goes
        assert prune_old_scans(session, "s", 5, f"{H}/") == []
        assert prune_old_scans(session, "s", 2, f"{H}/") == scans[:2]
        session.commit()
        for scan_id in scans[:2]:
            for model in (Page, Link, UrlCheck):
                assert _count(session, model, scan_id) == 0
            # what the home page listed stays (home_page_stale reads every earlier scan)
            for model in (PageFact, ListEntry):
                kept = session.scalars(select(model.page_key).where(model.scan_id == scan_id))
                assert list(kept) == [f"{H}/"]
            assert _count(session, Observation, scan_id) == 0  # merged into findings
        for scan_id in [*scans[2:], failed, running]:  # newer than the kept, or running
            assert _count(session, Page, scan_id) == 2
            assert _count(session, Link, scan_id) == 1
            assert _count(session, ListEntry, scan_id) == 2
            assert _count(session, Observation, scan_id) == 1
        assert session.scalar(select(func.count()).select_from(Scan)) == 6
        # keep 0: every scan not running (a scan about to crawl, with retention 1)
        assert prune_old_scans(session, "s", 0, f"{H}/") == [*scans, failed]
        session.commit()
        assert _count(session, Page, scans[3]) == 0 and _count(session, Page, running) == 2
    db.dispose()


@pytest.mark.integration  # govwatch scan subprocesses against a local site
def test_scans_keep_the_raw_rows_of_retention_scans_and_every_finding(tmp_path):
    pages = {
        "/": '<html><head><title>首页</title></head><body><a href="/a.html">甲</a>'
        '<a href="/gone.html">旧</a></body></html>',
        "/a.html": "<html><head><title>甲</title></head><body><p>正文</p></body></html>",
    }
    db_url = f"sqlite:///{tmp_path / 'govwatch.db'}"
    with HostileSite(pages) as site:
        config = tmp_path / "site.yaml"
        config.write_text(site.config_yaml(extra="retention: 1\n"), encoding="utf-8")
        for _ in range(2):
            scan = subprocess.run(
                [sys.executable, "-m", "govwatch", "scan", "--config", str(config), "--db", db_url],
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert scan.returncode == 0, scan.stderr
    db = open_database(db_url)
    with db.session() as session:
        first, second = session.scalars(select(Scan).order_by(Scan.id)).all()
        assert (first.status, second.status) == ("completed", "completed")
        assert first.pages_crawled == 2 and first.findings_count == 1  # the summary stays
        assert _count(session, Page, first.id) == 0  # pruned before the second crawl
        assert _count(session, Observation, first.id) == 0
        assert _count(session, Page, second.id) == 2
        (finding,) = session.scalars(select(Finding)).all()  # the history stays
        assert finding.first_scan_id == first.id
        # the one broken link: its page and target, nothing for the working links
        assert [link.target_url for link in session.scalars(select(Link))] == [
            f"{site.url}gone.html"
        ]
        assert len(session.scalars(select(UrlCheck)).all()) == 1
    db.dispose()


def test_retention_is_a_validated_config_key():
    base = "site:\n  id: s\n  name: 站\n  start_urls: ['http://h/']\n"
    assert parse_config(base).retention == DEFAULT_RETENTION
    assert parse_config(base + "retention: 8\n").retention == 8
    with pytest.raises(ConfigError) as info:
        parse_config(base + "retention: 0\n", "site.yaml")
    assert "retention" in str(info.value)


def _alembic(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def test_migration_packs_the_links_already_stored(db_url):
    """Pages stored before 0008 get their <a> targets packed from their link rows (each
    target once, in page order); the rows stay."""
    engine = create_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(_alembic(conn), "0005")
        conn.execute(
            text("INSERT INTO sites (id, name, created_at) VALUES ('s', '站', '2024-11-25')")
        )
        conn.execute(
            text(
                "INSERT INTO scans (id, site_id, status, started_at, hostname, pid, pages_crawled,"
                " urls_checked, links_found, findings_count, inconclusive_count, stats)"
                " VALUES (1, 's', 'completed', '2024-11-25', '', 0, 0, 0, 0, 0, 0, '{}')"
            )
        )
        for page_id in (1, 2, 3):
            conn.execute(
                text(
                    "INSERT INTO pages (id, scan_id, url_key, url_hash, url, final_url, status,"
                    " title, encoding, depth, fetched_at, meta) VALUES (:id, 1, :key, :id, :key,"
                    " :key, 200, '', '', 0, '2024-11-25', '{}')"
                ),
                {"id": page_id, "key": f"{H}/{page_id}"},
            )
        for page_id, target, element in [
            (1, "/b.html", "a"),
            (1, "/logo.png", "img"),
            (1, "/a.html", "a"),
            (1, "/b.html", "a"),
            (2, "/c.html", "a"),
        ]:
            conn.execute(
                text(
                    "INSERT INTO links (scan_id, page_id, target_key, target_hash, target_url,"
                    " element, text) VALUES (1, :page, :key, 'h', :key, :element, '')"
                ),
                {"page": page_id, "key": f"{H}{target}", "element": element},
            )
        command.upgrade(_alembic(conn), "head")
        packed = dict(conn.execute(text("SELECT id, outlinks FROM pages")).all())
        assert unpack_keys(packed[1]) == [f"{H}/b.html", f"{H}/a.html"]
        assert unpack_keys(packed[2]) == [f"{H}/c.html"]
        assert packed[3] is None
        assert conn.execute(text("SELECT count(*) FROM links")).scalar() == 5
        command.downgrade(_alembic(conn), "0005")
    engine.dispose()
