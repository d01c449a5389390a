"""Page reading on saved real pages against their hand-checked truth.

    .venv/bin/python -m bench.reading_facts [--blind] [PAGES_DIR] [TRUTH_YAML]

Reads every page of a realpages-style corpus (``NNN.html`` + ``truth.yaml``) the way a
scan does (Scrapy decodes the response; title and meta from its tree; the detection
worker parses again and reads the page facts) and compares kind, publication date,
list entries (count, dated, newest) and 文号 with the truth. ``today`` is the truth's
``meta.today``. Prints one line per page and the totals of facts read right.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

import yaml
from scrapy.http import HtmlResponse

from crawler.page_links import page_meta, page_title
from detectors.page import parse_html
from detectors.page_facts import read_page_facts
from detectors.page_text import visible_text

DEFAULT_DIR = Path("/work/shared/realpages")


BLIND_META = {"articletitle", "pubdate", "columnname", "columntype", "publishdate"}


def read(path: Path, url: str, today: date, blind: bool = False):
    """The page's facts; ``blind`` reads it without the CMS's article meta and at a URL
    that says nothing (``/page/<id>``), on the page's own evidence."""
    if blind:
        url = url.split("//", 1)[0] + "//" + url.split("//", 1)[1].split("/", 1)[0]
        url += "/page/" + path.stem
    response = HtmlResponse(url=url, body=path.read_bytes())
    crawl_root = response.selector.root
    title, meta = page_title(crawl_root), page_meta(crawl_root)
    if blind:
        meta = {k: v for k, v in meta.items() if k.lower() not in BLIND_META}
    root = parse_html(response.text.encode("utf-8", "surrogatepass"))
    page_text = visible_text(root)
    return read_page_facts(url, title, meta, root, page_text, today), page_text.text


def compare(page: dict, facts) -> list[tuple[str, object, object, bool]]:
    """(fact, truth, read, right) for the facts the truth states."""
    rows = []
    kind = page["kind"]
    same = facts.kind == kind or (kind == "other" and facts.kind == "page")
    rows.append(("kind", kind, facts.kind, same))
    if kind == "article":
        want = page.get("published")
        got = facts.published.isoformat() if facts.published else None
        rows.append(("published", want, got, want == got))
    want_no = page.get("doc_number")
    got_no = facts.document_number
    if want_no == "无":
        want_no = None
    rows.append(("doc_number", want_no, got_no, (want_no or None) == (got_no or None)))
    listing = page.get("list")
    if listing:
        dated = [e.listed for e in facts.entries if e.listed]
        newest = max(dated).isoformat() if dated else None
        count = len(facts.entries)
        rows.append(("entries", listing["entries"], count, listing["entries"] == count))
        rows.append(("dated", listing["dated"], len(dated), listing["dated"] == len(dated)))
        rows.append(("newest", listing["newest"], newest, listing["newest"] == newest))
    return rows


def main(argv: list[str]) -> int:
    blind = "--blind" in argv
    argv = [a for a in argv if a != "--blind"]
    root = Path(argv[1]) if len(argv) > 1 else DEFAULT_DIR
    truth_path = Path(argv[2]) if len(argv) > 2 else root / "truth.yaml"
    truth = yaml.safe_load(truth_path.read_text(encoding="utf-8"))
    today = date.fromisoformat(truth["meta"]["today"])
    right = total = 0
    for page in truth["pages"]:
        path = truth_path.parent / page["file"]
        if not path.exists():
            path = root / Path(page["file"]).name
        start = time.perf_counter()
        url = page["url"]
        if blind and page["kind"] == "home":
            url = url.split("?", 1)[0]  # a home page is known by its URL
        facts, text = read(path, url, today, blind and page["kind"] != "home")
        ms = (time.perf_counter() - start) * 1000
        rows = compare(page, facts)
        wrong = [r for r in rows if not r[3]]
        right += len(rows) - len(wrong)
        total += len(rows)
        detail = "; ".join(f"{n}: want {w!r} got {g!r}" for n, w, g, _ in wrong) or "ok"
        score = f"{len(rows) - len(wrong)}/{len(rows)}"
        print(f"{page['id']} {page['kind']:8} {score} text={len(text):6} {ms:6.1f}ms  {detail}")
    print(f"facts read right: {right}/{total}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
