"""What govwatch reports on saved pages of real government sites, against their hand-read truth.

Each page is served at its original URL path on 127.0.0.1 (one local server per original
host, so that a site's pages keep their paths, queries and relative links), each host is
scanned as its own site by a real ``govwatch scan`` (subprocess, ``GOVWATCH_TODAY`` =
the truth's day, 2026-12-06), and the findings whose ``page_url`` is one of the pages are
compared with the truth's ``problems``. It prints, per detector, the true positives, the
false positives (each listed), the misses and the false *veto* findings, and the ratio of
pages to false findings (the issue's target: no false veto finding, at most one false
finding per 20 pages). It is not a test (``tests/test_real_pages.py`` calls it, marked
``integration``)::

    .venv/bin/python bench/realpages.py                         # tests/pages
    .venv/bin/python bench/realpages.py --pages /work/shared/realpages
    .venv/bin/python bench/realpages.py --pages DIR --pages DIR2 --json

A corpus directory is either the suite's layout (``<platform>/NNN.html`` beside
``NNN.yaml``, the golden facts, and ``NNN.src.txt``) or the shared one (``pages/NNN.html``
and one ``truth.yaml``). Both describe a page with the same fields (url, kind, published,
doc_number, list, problems, not_judged).

Nothing leaves the machine: every page is served locally, and the scan runs with
``http_proxy``/``https_proxy`` pointing at a closed local port (``no_proxy`` = 127.0.0.1),
so a link to another host (the pages' own absolute links to their real host included)
fails at once without a DNS query or a connection. Such ``broken_link`` findings, and those
on local links to pages the corpus does not hold (the saved page's site had them), say
nothing about the tool (nor does a consultation channel found broken through them): they
are left out of the counts and only reported as a total.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common.urls import host_of, url_key  # noqa: E402

TODAY = date(2026, 12, 6)  # the day the truth is judged on
SUITE = ROOT / "tests" / "pages"
INDEX_PATH = "/realpages-index.html"
PAGE_KINDS = ("article", "list", "home", "hub", "search", "message", "other")
# Truth problem types the page detectors report (the others, ``stale``, are the site's).
PAGE_PROBLEMS = ("term", "privacy_leak", "hidden_link", "late_publication", "expired_document")
# Keys of a page's golden facts (the truth's fields, plus the suite's known failures).
GOLDEN_KEYS = frozenset(
    {
        "id",
        "group",
        "split",
        "site",
        "host",
        "org",
        "platform",
        "url",
        "url_known",
        "kind",
        "subkind",
        "title",
        "published",
        "doc_number",
        "list",
        "problems",
        "not_judged",
        "notes",
        "file",
        "known_failures",
        "harness",
    }
)


@dataclass(eq=False)  # hashed by identity: readings are cached per page
class GoldenPage:
    """One saved page and what a careful reader found on it."""

    html: Path
    facts: dict[str, Any]
    source: str = ""  # the golden file (or truth.yaml) it was read from

    @property
    def id(self) -> str:
        return str(self.facts["id"])

    @property
    def url(self) -> str:
        return str(self.facts["url"])

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def label(self) -> str:
        return f"{self.facts.get('platform', '?')}/{self.id}"

    @property
    def problems(self) -> list[dict[str, Any]]:
        return list(self.facts.get("problems") or [])

    @property
    def not_judged(self) -> set[str]:
        return set(self.facts.get("not_judged") or [])

    @property
    def known_failures(self) -> dict[str, str]:
        return dict(self.facts.get("known_failures") or {})


def load_corpus(directory: Path) -> list[GoldenPage]:
    """The pages of a corpus directory, in either layout, in id order."""
    directory = Path(directory)
    truth = directory / "truth.yaml"
    if truth.is_file():
        data = yaml.safe_load(truth.read_text(encoding="utf-8"))
        pages = []
        for entry in data["pages"]:
            html = directory / (entry.get("file") or f"pages/{entry['id']}.html")
            pages.append(GoldenPage(html, entry, str(truth)))
        return sorted(pages, key=lambda p: (p.id, p.label))
    pages = []
    for golden in sorted(directory.glob("*/*.yaml")):
        facts = yaml.safe_load(golden.read_text(encoding="utf-8"))
        pages.append(GoldenPage(golden.with_suffix(".html"), facts, str(golden)))
    return sorted(pages, key=lambda p: (p.id, p.label))


# -- matching findings with the truth ---------------------------------------------------


def matches(finding: dict[str, Any], problem: dict[str, Any]) -> bool:
    """Whether a finding (a flat record: ``detector`` and its fields) is this true problem."""
    detector = finding.get("detector")
    kind = problem.get("type")
    if kind == "stale":
        return detector in (problem.get("detectors") or ("stale_column", "home_page_stale"))
    if detector != kind:
        return False
    if kind == "term":
        term = str(finding.get("term") or "")
        if problem.get("category") and finding.get("category") != problem["category"]:
            return False
        return any(t and (t in term or term in t) for t in problem.get("terms") or ())
    if kind == "privacy_leak":
        return not problem.get("kind") or finding.get("kind") == problem["kind"]
    if kind in ("late_publication", "expired_document"):
        # the dates the truth read (issued/published, valid_until), where it gives them
        facts = {k: v for k, v in problem.items() if k not in ("type", "why")}
        return all(finding.get(k) == v for k, v in facts.items())
    if kind == "hidden_link":
        target = str(finding.get("target_url") or "")
        wanted = str(problem.get("target") or "")
        return bool(wanted) and (wanted in unquote(target) or host_of(target) == host_of(wanted))
    return False


@dataclass
class Judgement:
    """The findings on one page, sorted against its truth."""

    true: list[dict[str, Any]] = field(default_factory=list)
    false: list[dict[str, Any]] = field(default_factory=list)
    not_judged: list[dict[str, Any]] = field(default_factory=list)
    missed: list[dict[str, Any]] = field(default_factory=list)


def judge(
    findings: list[dict[str, Any]], problems: list[dict[str, Any]], not_judged: set[str]
) -> Judgement:
    """True and false findings, and the true problems no finding matched."""
    result = Judgement()
    found = [False] * len(problems)
    for finding in findings:
        hit = [i for i, problem in enumerate(problems) if matches(finding, problem)]
        if hit:
            result.true.append(finding)
            for i in hit:
                found[i] = True
        elif finding.get("detector") in not_judged:
            result.not_judged.append(finding)
        else:
            result.false.append(finding)
    result.missed = [p for p, seen in zip(problems, found, strict=True) if not seen]
    return result


# -- serving ------------------------------------------------------------------------------


def _local_target(url: str) -> str:
    """A page's path and query as requested on the local server (percent-encoded)."""
    parts = urlsplit(url)
    path = quote(unquote(parts.path or "/"), safe="/%:@!$&'()*+,;=-._~")
    return path + (f"?{parts.query}" if parts.query else "")


class _Handler(BaseHTTPRequestHandler):
    """Serves one host's pages by path (and query); everything else is a plain 404."""

    routes: dict[str, bytes]

    def __init__(self, *args: Any, routes: dict[str, bytes], hits: Counter, **kwargs: Any) -> None:
        self.routes = routes
        self.hits = hits
        super().__init__(*args, **kwargs)

    def _route(self) -> str | None:
        for target in (self.path, _local_target(self.path)):
            if target in self.routes:
                return target
        return None

    def _answer(self, send_body: bool) -> None:
        route = self._route()
        body = None if route is None else self.routes[route]
        if route is not None and send_body:
            self.hits[route] += 1
        status = 200 if body is not None else 404
        if body is None:
            body = b"<html><head><title>404 Not Found</title></head><body>Not Found</body></html>"
        self.send_response(status)
        # No charset: the page's own <meta> decides, as for a server that sends none.
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def do_GET(self) -> None:
        self._answer(True)

    def do_HEAD(self) -> None:
        self._answer(False)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class HostSite:
    """One original host, served locally: its pages by local URL."""

    host: str
    server: ThreadingHTTPServer
    pages: dict[str, GoldenPage]  # url_key of the local URL -> page
    hits: Counter = field(default_factory=Counter)  # GET requests by local path

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def site_id(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.host.lower()).strip("-")
        return f"rp-{slug}"[:63]

    def local_url(self, page: GoldenPage) -> str:
        return self.origin + _local_target(page.url)


def serve(pages: list[GoldenPage]) -> list[HostSite]:
    """One local server per original host, each with an index page linking its pages."""
    by_host: dict[str, list[GoldenPage]] = defaultdict(list)
    for page in pages:
        by_host[page.host].append(page)
    sites = []
    for host, hosted in sorted(by_host.items()):
        routes: dict[str, bytes] = {}
        for page in hosted:
            target = _local_target(page.url)
            if target in routes:
                raise SystemExit(f"{page.label}: {page.url} is served twice")
            routes[target] = page.html.read_bytes()
        links = "\n".join(f'<li><a href="{_local_target(p.url)}">{p.id}</a></li>' for p in hosted)
        routes[INDEX_PATH] = (
            f"<html><head><meta charset='utf-8'><title>{host}</title></head>"
            f"<body><ul>\n{links}\n</ul></body></html>"
        ).encode()
        hits: Counter = Counter()
        handler = partial(_Handler, routes=routes, hits=hits)
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        site = HostSite(host, server, {}, hits)
        site.pages = {url_key(site.local_url(p)): p for p in hosted}
        sites.append(site)
    return sites


def _closed_port() -> int:
    """A local port nothing listens on (the scan's proxy: every off-site request fails)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_config(site: HostSite) -> str:
    """The site config of one host: the index page starts the crawl; the home page is
    the corpus page of kind ``home`` (without one, the host's real home page is not
    there to judge, and ``home_page_stale`` is off)."""
    home = next(
        (site.local_url(p) for p in site.pages.values() if p.facts.get("kind") == "home"),
        None,
    )
    config: dict[str, Any] = {
        "site": {
            "id": site.site_id,
            "name": f"{site.host}（本地副本）",
            "start_urls": [site.origin + INDEX_PATH],
            "allowed_domains": ["127.0.0.1"],
            "home_url": home or site.origin + INDEX_PATH,
            "max_pages": 500,
            "timeout_s": 5,
            "retries": 0,
            "attachment_max_mb": 0,
        }
    }
    if home is None:
        config["detectors"] = {"home_page_stale": {"enabled": False}}
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


# -- scanning -------------------------------------------------------------------------------


def _govwatch(args: list[str], env: dict[str, str], timeout: float) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "govwatch", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise SystemExit(f"govwatch {args[0]} failed ({result.returncode}):\n{result.stderr}")
    return result.stdout


def scan(sites: list[HostSite], workdir: Path, timeout: float) -> list[dict[str, Any]]:
    """One ``govwatch scan`` of every host (each its own site); all their findings."""
    db = f"sqlite:///{workdir / 'realpages.db'}"
    proxy = f"http://127.0.0.1:{_closed_port()}"
    env = {
        **os.environ,
        "GOVWATCH_TODAY": TODAY.isoformat(),
        "http_proxy": proxy,
        "https_proxy": proxy,
        "HTTP_PROXY": proxy,
        "HTTPS_PROXY": proxy,
        "no_proxy": "127.0.0.1,localhost",
        "NO_PROXY": "127.0.0.1,localhost",
    }
    args = ["scan", "--db", db]
    for site in sites:
        config = workdir / f"{site.site_id}.yaml"
        config.write_text(site_config(site), encoding="utf-8")
        args += ["--config", str(config)]
    _govwatch(args, env, timeout)
    findings = json.loads(_govwatch(["findings", "--db", db, "--format", "json"], env, 120))
    return findings


# -- comparing ------------------------------------------------------------------------------


@dataclass
class Report:
    pages: int
    sites: int
    per_detector: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    false: list[dict[str, Any]] = field(default_factory=list)
    missed: list[dict[str, Any]] = field(default_factory=list)
    excluded_broken: Counter = field(default_factory=Counter)
    not_judged: int = 0
    elsewhere: int = 0  # findings on pages outside the corpus (the index, 404 targets)
    verdicts: dict[str, Judgement] = field(default_factory=dict)  # by page label
    unread: list[str] = field(default_factory=list)  # pages the scan never fetched

    @property
    def false_total(self) -> int:
        return len(self.false)

    @property
    def false_veto(self) -> int:
        return sum(1 for f in self.false if f.get("severity") == "veto")

    @property
    def pages_per_false(self) -> float | None:
        return self.pages / self.false_total if self.false_total else None

    @property
    def meets_target(self) -> bool:
        return self.false_veto == 0 and self.false_total * 20 <= self.pages

    def as_json(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "sites": self.sites,
            "false_findings": self.false_total,
            "false_veto": self.false_veto,
            "pages_per_false_finding": self.pages_per_false,
            "meets_target": self.meets_target,
            "per_detector": {k: dict(v) for k, v in sorted(self.per_detector.items())},
            "false": self.false,
            "missed": self.missed,
            "broken_link_left_out": dict(self.excluded_broken),
            "not_judged": self.not_judged,
            "findings_elsewhere": self.elsewhere,
            "unread": self.unread,
        }


def compare(sites: list[HostSite], findings: list[dict[str, Any]]) -> Report:
    pages = {key: (site, page) for site in sites for key, page in site.pages.items()}
    served = set(pages) | {url_key(site.origin + INDEX_PATH) for site in sites}
    report = Report(pages=len(pages), sites=len(sites))
    on_page: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for finding in findings:
        key = url_key(finding.get("page_url") or "")
        if key not in pages:
            report.elsewhere += 1
            continue
        # a broken channel (interaction_unanswered's no_channel) is a broken link too
        from_broken = finding["detector"] == "broken_link" or finding.get("reason") == "no_channel"
        if from_broken and url_key(finding["target_url"]) not in served:
            where = "off-site" if host_of(finding["target_url"]) != "127.0.0.1" else "not saved"
            report.excluded_broken[where] += 1
            continue
        on_page[key].append(finding)
    for key, (site, page) in sorted(pages.items(), key=lambda kv: kv[1][1].id):
        if not site.hits[_local_target(page.url)]:
            report.unread.append(page.label)
        verdict = judge(on_page.get(key, []), page.problems, page.not_judged)
        report.verdicts[page.label] = verdict
        report.not_judged += len(verdict.not_judged)
        for finding in verdict.true:
            report.per_detector[finding["detector"]]["true"] += 1
        for finding in verdict.false:
            report.per_detector[finding["detector"]]["false"] += 1
            if finding.get("severity") == "veto":
                report.per_detector[finding["detector"]]["false_veto"] += 1
            report.false.append({"page": page.label, **_brief(finding)})
        for problem in verdict.missed:
            for detector in _detectors_of(problem):
                report.per_detector[detector]["missed"] += 1
            report.missed.append({"page": page.label, **problem})
    return report


def _detectors_of(problem: dict[str, Any]) -> list[str]:
    if problem.get("type") == "stale":
        return ["|".join(problem.get("detectors") or ("stale_column", "home_page_stale"))]
    return [str(problem.get("type"))]


def _brief(finding: dict[str, Any]) -> dict[str, Any]:
    keep = ("detector", "severity", "page_url", "target_url", "link_text", "term", "category")
    brief = {k: finding[k] for k in keep if finding.get(k) not in (None, "")}
    brief["message"] = finding.get("message", "")
    return brief


def print_report(report: Report, corpus: list[str]) -> None:
    print(f"realpages: {report.pages} pages from {report.sites} hosts ({', '.join(corpus)})")
    print(f"judged as of {TODAY.isoformat()}\n")
    print(f"{'detector':<26}{'true':>6}{'false':>7}{'missed':>8}{'false veto':>12}")
    for detector, counts in sorted(report.per_detector.items()):
        print(
            f"{detector:<26}{counts['true']:>6}{counts['false']:>7}{counts['missed']:>8}"
            f"{counts['false_veto']:>12}"
        )
    ratio = report.pages_per_false
    print(
        f"\nfalse findings: {report.false_total} (veto: {report.false_veto}); "
        f"pages per false finding: {'∞' if ratio is None else f'{ratio:.1f}'} "
        f"(target: no false veto, ≥ 20 pages per false finding) — "
        f"{'met' if report.meets_target else 'NOT met'}"
    )
    if report.false:
        print("\nfalse findings:")
        for f in report.false:
            what = f.get("target_url") or f.get("term") or ""
            print(f"  {f['page']:<24} {f['detector']:<16} {f['severity']:<7} {what}")
            print(f"  {'':<24} {f['message'][:150]}")
    if report.missed:
        print("\nmissed:")
        for m in report.missed:
            what = m.get("terms") or m.get("target") or m.get("newest") or m.get("kind") or ""
            print(f"  {m['page']:<24} {m['type']:<16} {what}")
    if report.unread:
        print(f"\nNOT READ by the scan: {', '.join(report.unread)}")
    left_out = ", ".join(f"{n} {k}" for k, n in sorted(report.excluded_broken.items()))
    print(
        f"\nleft out: broken_link to targets the corpus does not serve ({left_out or 'none'}); "
        f"{report.not_judged} not-judged findings; {report.elsewhere} findings on other pages"
    )


def run(corpus: list[Path], timeout: float = 900, workdir: Path | None = None) -> Report:
    pages = [page for directory in corpus for page in load_corpus(directory)]
    if not pages:
        raise SystemExit(f"no pages in {', '.join(map(str, corpus))}")
    sites = serve(pages)
    try:
        with tempfile.TemporaryDirectory(prefix="realpages-") as tmp:
            findings = scan(sites, workdir or Path(tmp), timeout)
    finally:
        for site in sites:
            site.server.shutdown()
            site.server.server_close()
    return compare(sites, findings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--pages",
        action="append",
        type=Path,
        help="corpus directory (repeatable; default tests/pages)",
    )
    parser.add_argument("--json", action="store_true", help="the report as one JSON object")
    parser.add_argument("--workdir", type=Path, help="keep configs and the database here")
    parser.add_argument("--timeout", type=float, default=900, help="seconds for the scan")
    args = parser.parse_args(argv)
    corpus = args.pages or [SUITE]
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    report = run(corpus, args.timeout, args.workdir)
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        print_report(report, [str(c) for c in corpus])
        print(f"({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
