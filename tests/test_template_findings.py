"""A problem in the site's template (a footer on every page) is one finding, not one a page."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from common.urls import url_key
from detectors.base import Finding
from storage.db import open_database
from storage.lifecycle import observation_row
from storage.models import Observation, Scan, Site
from storage.template_findings import TEMPLATE_PAGES, merge_template_findings

HOST = "http://www.example.gov.cn"
FOOTER = "主办：某市人民政府办公室 技术支持：新闻出版总署信息中心 网站标识码：3607270001"


def term(page: str, context: str, term_: str = "新闻出版总署", severity: str = "high") -> Finding:
    details = {
        "term": term_,
        "category": "outdated_name",
        "suggestion": "国家新闻出版署",
        "context": context,
        "offset": 100,
        "occurrences": 1,
        "where": "正文",
    }
    return Finding("term", HOST + page, term_, severity, f"正文中出现…{context}", details)


def broken(page: str) -> Finding:
    details = {"target_url": HOST + "/gone.html", "context": "失效链接"}
    return Finding("broken_link", HOST + page, HOST + "/gone.html", "medium", "链接不可用", details)


def scan_with(tmp_path: Path, findings: list[Finding]):
    db = open_database(f"sqlite:///{tmp_path / 'findings.db'}")
    with db.session() as session:
        session.add(Site(id="s", name="某市人民政府", created_at=datetime.now(UTC)))
        session.flush()
        session.add(Scan(id=1, site_id="s", started_at=datetime.now(UTC), stats={}))
        session.flush()
        for finding in findings:
            finding.unit = "市政府办"
            session.add(Observation(**observation_row(1, finding)))
    return db


def observations(db) -> list[Observation]:
    with db.session() as session:
        rows = session.scalars(select(Observation).order_by(Observation.page_url)).all()
        session.expunge_all()
    return list(rows)


def merge(db, home: str = "/") -> int:
    with db.session() as session:
        return merge_template_findings(session, 1, url_key(HOST + home))


def test_a_footer_term_on_every_page_is_one_finding_on_the_home_page(tmp_path: Path):
    pages = ["/", "/xwzx/", "/xxgk/", "/xwzx/202411/t20241120_1.html"]
    article = "该局前身为新闻出版总署，2013年改组"  # the same term in one article's own text
    # (one finding a page and term: its context is the term's first line on the page)
    findings = [term(p, FOOTER) for p in pages] + [term("/xwzx/202411/t20241121_2.html", article)]
    db = scan_with(tmp_path, [*findings, *(broken(p) for p in pages[1:])])
    assert merge(db) == len(pages) - 1
    rows = observations(db)
    template = [r for r in rows if r.detector == "term" and r.details["context"] == FOOTER]
    assert len(template) == 1
    one = template[0]
    assert one.page_url == HOST + "/" and one.subject_key == "新闻出版总署"
    assert one.details["pages"] == 4 and one.details["where"] == "网站模板（4 个页面）"
    assert sorted(one.details["template_pages"]) == sorted(HOST + p for p in pages)
    assert one.message.startswith(
        "网站模板（页脚、导航等 4 个页面共有的文字）中出现过时的机构名称“新闻出版总署”"
    )
    # the article's own line stays its own finding, and other detectors are left alone
    assert [r.details["context"] for r in rows if r.detector == "term"].count(article) == 1
    assert sum(r.detector == "broken_link" for r in rows) == 3
    # another scan of the same site merges into the same fingerprint (lifecycle keeps it)
    (tmp_path / "again").mkdir()
    again = scan_with(tmp_path / "again", [term(p, FOOTER) for p in reversed(pages)])
    merge(again)
    assert [r.fingerprint for r in observations(again)] == [one.fingerprint]


def test_fewer_pages_than_the_template_needs_stay_per_page(tmp_path: Path):
    pages = [f"/p{n}.html" for n in range(TEMPLATE_PAGES - 1)]
    db = scan_with(tmp_path, [term(p, FOOTER) for p in pages])
    assert merge(db) == 0
    assert [r.page_url for r in observations(db)] == [HOST + p for p in pages]


def test_without_the_home_page_the_first_page_carries_it_with_the_worst_severity(tmp_path: Path):
    pages = {"/b/": "high", "/a/": "veto", "/c/": "high"}
    db = scan_with(tmp_path, [term(p, FOOTER, severity=s) for p, s in pages.items()])
    merge(db)
    (one,) = observations(db)
    assert one.page_url == HOST + "/a/" and one.severity == "veto"
