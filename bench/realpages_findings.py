"""Findings of govwatch's detectors on saved real pages, against their true problems.

    GOVWATCH_TODAY=2026-12-06 .venv/bin/python -m bench.realpages_findings [PAGES_DIR]

Runs what a scan runs on each page of a realpages-style corpus (``truth.yaml`` beside
the pages): the page detectors and the page's facts in the detection worker
(``crawler.page_detection.check_page``), then the site detectors (columns, home page,
interpretations) on the facts of each site's pages, with a default site config (no
``columns:``, no ``policy:`` lists), the home page being the root of the site's host
when the corpus holds it. No crawl: broken links are not judged.

A finding on a page is right when the page's truth lists a problem of its kind (a
``stale`` problem names the detectors it is right for), ignored when the truth does not
judge that detector there, else false. Prints the false findings and a table per
detector.
"""

from __future__ import annotations

import os
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from scrapy.http import HtmlResponse

from common.urls import url_key
from crawler import page_detection
from crawler.page_links import extract_links, page_meta, page_title
from detectors.registry import detectors_for
from detectors.site_subject import HomeListing
from govwatch.config import parse_config

DEFAULT_DIR = Path("/work/shared/realpages")
PAGE_TYPES = {"term": "term", "hidden_link": "hidden_link", "privacy_leak": "privacy_leak"}


class Site:
    """The stored scan of one site, as the site detectors see it."""

    scan_id = 1
    timeout_s = 15.0

    def __init__(self, root: str, facts: dict, links: dict, today: date):
        self.home_key = url_key(root)
        self._pages, self._links, self._today = facts, links, today

    def pages(self):
        return self._pages

    def outlinks(self, keys):
        return {k: v for k, v in self._links.items() if k in keys}

    def home_listings(self):
        home = self._pages.get(self.home_key)
        if home is None:
            return []
        return [HomeListing(self.scan_id, self._today, tuple(home.entries))]

    def broken_links(self):
        return []

    def new_media_feeds(self):
        return []


def site_config(root: str, name: str):
    return parse_config(
        f"site:\n  id: realpages\n  name: {name}\n  start_urls: ['{root}']\n"
        f"  home_url: '{root}'\nunits:\n  - {{name: 网站, default: true}}\n"
    )


def judge(finding, page: dict) -> str:
    """``right``, ``ignored`` or ``false``."""
    detector = finding.detector
    if detector in page.get("not_judged", []):
        return "ignored"
    for problem in page.get("problems", []):
        if problem["type"] == "stale" and detector in problem.get("detectors", []):
            return "right"
        if PAGE_TYPES.get(problem["type"]) == detector:
            return "right"
    return "false"


def main(argv: list[str]) -> int:
    root_dir = Path(argv[1]) if len(argv) > 1 else DEFAULT_DIR
    truth = yaml.safe_load((root_dir / "truth.yaml").read_text(encoding="utf-8"))
    today = date.fromisoformat(truth["meta"]["today"])
    os.environ["GOVWATCH_TODAY"] = today.isoformat()
    by_site: dict[str, list[dict]] = defaultdict(list)
    for page in truth["pages"]:
        by_site[page["site"]].append(page)
    counts: dict[str, Counter] = defaultdict(Counter)
    false: list[str] = []
    for site, pages in sorted(by_site.items()):
        parts = urlsplit(pages[0]["url"])
        root = f"{parts.scheme}://{parts.netloc}/"
        config = site_config(root, site)
        page_detection._load(config)
        facts, links, truth_of = {}, {}, {}
        findings = []
        for page in pages:
            path = root_dir / page["file"]
            response = HtmlResponse(url=page["url"], body=path.read_bytes())
            crawl_root = response.selector.root
            result = page_detection.check_page(
                page["url"],
                page_title(crawl_root),
                page_meta(crawl_root),
                response.text,
            )
            for read in result.facts:
                facts[read.key] = read
            links[url_key(page["url"])] = {
                link.target_key
                for link in extract_links(crawl_root, page["url"])
                if link.element == "a"
            }
            truth_of[url_key(page["url"])] = page
            findings.extend(result.findings)
        subject = Site(root, facts, links, today)
        for detector in detectors_for(config, "site"):
            findings.extend(detector.check(subject))
        for finding in findings:
            page = truth_of.get(url_key(finding.page_url))
            if page is None:
                continue  # a finding on a page the corpus does not hold
            verdict = judge(finding, page)
            counts[finding.detector][verdict] += 1
            if verdict == "false":
                false.append(f"{page['id']} {finding.detector}: {finding.message[:90]}")
    for line in false:
        print("FALSE", line)
    print(f"{'detector':24} right false ignored")
    for detector, c in sorted(counts.items()):
        print(f"{detector:24} {c['right']:5} {c['false']:5} {c['ignored']:7}")
    print(f"pages: {len(truth['pages'])}, false findings: {len(false)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
