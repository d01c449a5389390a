"""Term findings on saved pages of real government sites (``tests/pages``; expected terms
in ``tests/data/terms_realpages/expected.yaml``):
none false, and the outdated names in an undated page's footer found.

The pages are read as the crawler reads them (encoding from the page, ``<meta>`` tags,
title) and checked by the term detector as the page worker runs it (``prepare`` for the
batch, then ``check``)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from w3lib.encoding import html_to_unicode

from crawler.page_links import page_meta, page_title
from detectors.page import PageContext, parse_html
from detectors.resources import term_matcher
from detectors.term import TermDetector
from tests.page_corpus import page_bytes

DATA = Path(__file__).parent / "data" / "terms_realpages"
EXPECTED = yaml.safe_load((DATA / "expected.yaml").read_text(encoding="utf-8"))["pages"]


def read(page_id: str, url: str) -> PageContext:
    _encoding, html = html_to_unicode(None, page_bytes(page_id))
    root = parse_html(html.encode("utf-8", "surrogatepass"))
    assert root is not None
    return PageContext(url=url, title=page_title(root), meta=page_meta(root), root=root)


@pytest.fixture(autouse=True)
def judged_as_the_corpus_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVWATCH_TODAY", "2026-12-06")


@pytest.mark.parametrize("page_id", sorted(EXPECTED))
def test_term_findings_on_real_pages(page_id: str) -> None:
    expected = EXPECTED[page_id]
    page = read(page_id, expected["url"])
    detector = TermDetector(term_matcher((), ()), expected["region"])
    detector.prepare([page])
    found = sorted(f.key for f in detector.check(page))
    assert found == sorted(expected["terms"])


def test_the_footer_of_an_undated_page_is_checked() -> None:
    """016 shows no publication date; its footer names 新闻出版总署 (abolished 2013)."""
    page = read("016", EXPECTED["016"]["url"])
    assert page.published is None
    [finding] = TermDetector(term_matcher((), ()), "河北").check(page)
    assert finding.details["category"] == "outdated_name"
    assert "国家广播电视总局 【新闻出版总署】 国家体育总局" in finding.details["context"]
