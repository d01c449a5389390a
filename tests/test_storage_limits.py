"""PostgreSQL never fails a whole scan over one value.

A 3,000-character URL exceeded a btree index row ("index row size … exceeds btree
maximum"), a NUL in a feed title could not be stored ("text fields cannot contain NUL"),
and a configured name longer than its column failed the scan that stored it. Each is
shown on SQLite and, with ``GOVWATCH_TEST_PG_URL``, on PostgreSQL: a real scan of a
hostile local site, the migration of a database stored before the fix, and
``check-config``.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import create_engine, inspect, select, text

from govwatch.cli import cli
from storage.db import MIGRATIONS_DIR, open_database
from storage.models import Base, Finding, Link, NewMediaFetch, NewMediaPost, Page, Site, UrlCheck
from storage.site_content import outlinks
from tests.hostile_site import HostileSite


def ticket(chars: int, seed: str = "") -> str:
    """URL-safe text that does not compress (as a signed ticket does not)."""
    out = ""
    n = 0
    while len(out) < chars:
        out += hashlib.sha256(f"{seed}{n}".encode()).hexdigest()
        n += 1
    return out[:chars]


LONG_PAGE = f"/search.html?ticket={ticket(3000)}"
LONG_MISSING = f"/gone.html?ticket={ticket(3000, 'gone')}"
JSON_FEED = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "龙南\u0000旅游",
        "items": [
            {
                "id": "a\u00001",
                "url": "http://127.0.0.1:1/lvyou/1.html",
                "title": "围屋\u0000文化节",
                "content_text": "正文\u0000内容",
                "date_published": "2024-11-20T09:00:00+08:00",
            }
        ],
    },
    ensure_ascii=False,
)


def govwatch(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "govwatch", *args], capture_output=True, text=True, timeout=180
    )


@pytest.mark.integration  # a govwatch scan subprocess against a local site
def test_a_scan_stores_3000_character_urls_and_nul_characters(tmp_path, db_url):
    pages = {
        "/": f'<html><head><title>首页</title></head><body><a href="{LONG_PAGE}">查询</a>'
        f'<a href="{LONG_MISSING}">旧查询</a></body></html>',
        "/search.html": "<html><head><title>查询结果</title></head><body>"
        "<p>您查询的业务已经办结，请携带身份证件到政务服务中心领取。</p></body></html>",
        "/feed.json": (JSON_FEED, "application/feed+json; charset=utf-8"),
    }
    with HostileSite(pages) as site:
        feed = f"{site.url}feed.json"
        config = tmp_path / "site.yaml"
        config.write_text(
            site.config_yaml(
                extra=f'new_media:\n  - {{name: 龙南旅游, platform: other, feed: "{feed}"}}\n'
            ),
            encoding="utf-8",
        )
        scan = govwatch("scan", "--config", str(config), "--db", db_url)
        base = site.url.rstrip("/")
    assert scan.returncode == 0, scan.stderr
    from storage.models import key_hash

    db = open_database(db_url)
    with db.session() as session:
        long_key = next(k for k in session.scalars(select(Page.url_key)) if "ticket=" in k)
        assert len(long_key) > 3000
        # the lookups by key find the long URL through its hash
        assert outlinks(session, 1, [f"{base}/"])[f"{base}/"] >= {long_key}
        # only the failed URL has a check row (and a link row), found through its hash
        (check,) = session.scalars(select(UrlCheck)).all()
        assert "gone.html?ticket=" in check.url_key and len(check.url_key) > 3000
        assert check.outcome == "broken" and check.url_hash == key_hash(check.url_key)
        fetch = session.scalars(select(NewMediaFetch)).one()
        assert fetch.outcome == "ok" and fetch.feed_title == "龙南旅游"
        post = session.scalars(select(NewMediaPost)).one()
        assert (post.post_key, post.title, post.text) == ("a1", "围屋文化节", "正文内容")
        assert post.post_hash == key_hash("a1")
        (link,) = session.scalars(select(Link)).all()
        assert link.target_key == check.url_key and link.target_hash == check.url_hash
    db.dispose()
    found = json.loads(govwatch("findings", "--db", db_url, "--format", "json").stdout)
    (broken,) = [f for f in found if f["detector"] == "broken_link"]
    assert broken["target_url"] == f"{base}{LONG_MISSING}"
    notices = govwatch("report", "notices", "--out", str(tmp_path / "out"), "--db", db_url)
    assert notices.returncode == 0, notices.stderr


def _alembic(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def test_migration_hashes_the_keys_already_stored(db_url):
    """A database stored before the hashes (revision 0004) is upgraded in place: every
    key gets its hash, the constraints move to the hashes, and the schema is the models'."""
    from storage.models import key_hash

    engine = create_engine(db_url)
    long_key = f"http://h/search.html?ticket={ticket(3000)}"
    with engine.begin() as conn:
        command.upgrade(_alembic(conn), "0004")
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
        conn.execute(
            text(
                "INSERT INTO pages (id, scan_id, url_key, url, final_url, status, title, encoding,"
                " depth, fetched_at, meta) VALUES (1, 1, 'http://h/', 'http://h/', 'http://h/',"
                " 200, '', '', 0, '2024-11-25', '{}')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO links (scan_id, page_id, target_key, target_url, element, text)"
                " VALUES (1, 1, 'http://h/a.html', 'http://h/a.html', 'a', '甲')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO new_media_posts (site_id, account, platform, post_key, url, url_key,"
                " title, published_estimated, pinned, deleted, text, first_seen, last_seen,"
                " first_scan_id, last_scan_id) VALUES ('s', '号', 'other', '帖子1', 'http://h/p',"
                " 'http://h/p', '', false, false, false, '', '2024-11-25', '2024-11-25', 1, 1)"
            )
        )
        command.upgrade(_alembic(conn), "head")
        assert conn.execute(text("SELECT url_hash FROM pages")).scalar() == key_hash("http://h/")
        assert conn.execute(text("SELECT target_hash FROM links")).scalar() == key_hash(
            "http://h/a.html"
        )
        assert conn.execute(text("SELECT post_hash FROM new_media_posts")).scalar() == key_hash(
            "帖子1"
        )
        # a key too long for a btree index row is stored now (then rolled back: an index
        # on the keys, as the downgrade below makes, could not hold it)
        saved = conn.begin_nested()
        conn.execute(
            text(
                "INSERT INTO url_checks (scan_id, url_key, url_hash, url, outcome, elapsed_ms,"
                " content_type, attempts) VALUES (1, :key, :hash, :key, 'ok', 0, '', '[]')"
            ),
            {"key": long_key, "hash": key_hash(long_key)},
        )
        saved.rollback()
        assert not compare_metadata(MigrationContext.configure(conn), Base.metadata)
        uniques = {tuple(u["column_names"]) for u in inspect(conn).get_unique_constraints("pages")}
        assert uniques == {("scan_id", "url_hash")}
        command.downgrade(_alembic(conn), "0004")  # and back, for an operator who must
        assert "url_hash" not in {c["name"] for c in inspect(conn).get_columns("pages")}
    engine.dispose()


@pytest.mark.postgres
def test_key_lookups_use_the_hash_index(tmp_path):
    """The queries that look a URL up by its key can use the hash's index."""
    from storage.models import key_hash
    from tests.conftest import fresh_database

    with fresh_database("postgresql", tmp_path) as url:
        db = open_database(url)
        with db.session() as session:
            session.execute(text("SET enable_seqscan = off"))
            plan = "\n".join(
                session.execute(
                    text(
                        "EXPLAIN SELECT id FROM pages WHERE scan_id = 1 AND url_hash = :h"
                        " AND url_key = :k"
                    ),
                    {"h": key_hash("http://h/"), "k": "http://h/"},
                ).scalars()
            )
        db.dispose()
    assert "uq_pages_scan_url_hash" in plan


def test_check_config_enforces_the_storage_limits(tmp_path):
    from govwatch.config import ACCOUNT_NAME_CHARS, SITE_NAME_CHARS, UNIT_NAME_CHARS

    assert Site.__table__.c.name.type.length == SITE_NAME_CHARS
    assert Finding.__table__.c.unit.type.length == UNIT_NAME_CHARS
    assert NewMediaPost.__table__.c.account.type.length == ACCOUNT_NAME_CHARS

    def config(site: int, unit: int, account: int) -> str:
        path = tmp_path / "site.yaml"
        path.write_text(
            f"site: {{id: s, name: {'站' * site}, start_urls: ['http://127.0.0.1/']}}\n"
            f"units: [{{name: {'单' * unit}, default: true}}]\n"
            f"new_media: [{{name: {'号' * account}, platform: wechat,"
            " feed: 'http://127.0.0.1/f.xml'}]\n",
            encoding="utf-8",
        )
        return str(path)

    at_limit = config(SITE_NAME_CHARS, UNIT_NAME_CHARS, ACCOUNT_NAME_CHARS)
    assert CliRunner().invoke(cli, ["check-config", at_limit]).exit_code == 0
    result = CliRunner().invoke(
        cli,
        ["check-config", config(SITE_NAME_CHARS + 1, UNIT_NAME_CHARS + 1, ACCOUNT_NAME_CHARS + 1)],
    )
    assert result.exit_code == 2
    lines = result.output.splitlines()
    for key, limit in (
        ("site.name", SITE_NAME_CHARS),
        ("units[0].name", UNIT_NAME_CHARS),
        ("new_media[0].name", ACCOUNT_NAME_CHARS),
    ):
        assert (
            f"site.yaml: {key}: 过长（最多 {limit} 个字符：数据库中只能保存这么长）"
            in "\n".join(line.split("/")[-1] for line in lines)
        )
