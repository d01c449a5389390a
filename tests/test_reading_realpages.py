"""Page reading on saved real government pages (``tests/pages``; this test's truth in
``tests/data/reading_realpages/truth.yaml``): kind,
publication date, 文号, list entries (how many, how many dated, the newest) and the
column's name, as their hand-checked truth says, judged as of the truth's day.

Each page is read as a scan reads it: Scrapy decodes the response (GB2312 included),
title and meta come from the crawl's tree, the detection worker parses again and reads
the facts. Pages whose kind does not hang on their CMS meta are also read "blind", at a
URL that says nothing and without ArticleTitle/PubDate/ColumnName: the page's own
evidence (date line, breadcrumb, pager, shape) must be enough.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from scrapy.http import HtmlResponse

from crawler.page_links import page_meta, page_title
from detectors.column_discovery import column_name
from detectors.dates import publication_evidence
from detectors.page import body_text, page_headline, parse_html
from detectors.page_facts import PageFacts, read_page_facts
from detectors.page_text import visible_text
from tests.page_corpus import page_bytes

DATA = Path(__file__).parent / "data" / "reading_realpages"
TRUTH = yaml.safe_load((DATA / "truth.yaml").read_text(encoding="utf-8"))
TODAY = date.fromisoformat(TRUTH["meta"]["today"])
PAGES = {page["id"]: page for page in TRUTH["pages"]}
CMS_META = {"articletitle", "pubdate", "publishdate", "columnname", "columntype"}


def read(page_id: str, url: str, body: bytes | None = None, blind: bool = False) -> PageFacts:
    response = HtmlResponse(url=url, body=body or page_bytes(page_id))
    crawl_root = response.selector.root
    title, meta = page_title(crawl_root), page_meta(crawl_root)
    if blind:
        meta = {k: v for k, v in meta.items() if k.lower() not in CMS_META}
    root = parse_html(response.text.encode("utf-8", "surrogatepass"))
    return read_page_facts(url, title, meta, root, visible_text(root), TODAY)


def blind_url(page: dict) -> str:
    if page["kind"] == "home":
        return page["url"]  # a home page is known by its URL
    host = page["url"].split("/")[2]
    return f"http://{host}/page/{page['id']}"


def assert_reads_as_truth(facts: PageFacts, page: dict) -> None:
    assert facts.kind == page["kind"]
    if page["kind"] == "article":
        assert facts.published == date.fromisoformat(page["published"])
    number = page["doc_number"] if page["doc_number"] != "无" else None
    assert facts.document_number == number
    listing = page.get("list")
    if listing:
        dated = [e.listed for e in facts.entries if e.listed]
        newest = max(dated).isoformat() if dated else None
        assert (len(facts.entries), len(dated), newest) == (
            listing["entries"],
            listing["dated"],
            listing["newest"],
        )
    if page.get("column_name"):
        assert column_name(facts) == page["column_name"]


@pytest.mark.parametrize("page_id", sorted(PAGES))
def test_real_page_reads_as_its_truth(page_id):
    page = PAGES[page_id]
    assert_reads_as_truth(read(page_id, page["url"]), page)


@pytest.mark.parametrize("page_id", sorted(i for i, p in PAGES.items() if not p.get("needs_meta")))
def test_real_page_reads_on_its_own_evidence(page_id):
    page = PAGES[page_id]
    facts = read(page_id, blind_url(page), blind=True)
    assert facts.kind == page["kind"]
    if page["kind"] == "article":
        assert facts.published == date.fromisoformat(page["published"])


@pytest.mark.parametrize("page_id", sorted(i for i, p in PAGES.items() if p["kind"] == "article"))
def test_articles_show_their_date(page_id):
    """The date a visitor sees (a date line, or a document's 成文/生成日期), not only the
    CMS's meta: a migrated platform re-stamps its PubDate (033, 034)."""
    page = PAGES[page_id]
    response = HtmlResponse(url=page["url"], body=page_bytes(page_id))
    root = parse_html(response.text.encode("utf-8"))
    meta = page_meta(root)
    headline = page_headline(meta, page_title(root), root)
    found = publication_evidence({}, body_text(visible_text(root)), "", headline)
    assert found is not None and found.visible
    assert found.published == date.fromisoformat(page["published"])


def test_a_stray_end_of_document_does_not_lose_a_real_article():
    """039 with a header include that is a whole document (``</body></html>``) right
    after its opening: the article is read whole, as a browser shows it."""
    page = PAGES["039"]
    html = page_bytes("039")
    body_at = html.index(b"<body")
    cut = html.index(b">", body_at) + 1
    include = b'<div class="top">header</div></body></html>\n'
    broken = html[:cut] + include + html[cut:]
    whole = read("039", page["url"])
    facts = read("039", page["url"], body=broken)
    assert_reads_as_truth(facts, page)
    response = HtmlResponse(url=page["url"], body=broken)
    text = visible_text(parse_html(response.text.encode("utf-8"))).text
    assert "新增本土无症状感染者15319例" in text and len(text) > 2500
    assert facts.headline == whole.headline
