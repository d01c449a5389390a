"""The compiled text pipeline gives exactly what its Python reference gives.

``detectors/_page_text.pyx`` (visible text) and ``detectors/terms/_normalize.pyx``
(detection copies), and the matcher's one-pass search over the noise-stripped copy
(``_Joint``), each have a Python twin that states the rules plainly. These tests hold
the fast versions to the reference on every page of the sample portal, on the clean
corpus and on seeded random markup and text built to hit the edge cases (whitespace
of every kind, marker characters, hidden elements, noise runs, entities, astral and
format characters)."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from detectors import page_text
from detectors.page import parse_html
from detectors.resources import term_matcher
from detectors.terms import matcher as matcher_module
from detectors.terms import normalize
from detectors.terms.entry import TermEntry
from detectors.terms.matcher import TermMatcher
from sample_portal.generate import build_site
from sample_portal.hosts import PortalHosts

CLEAN_CORPUS = Path(__file__).parent / "data" / "clean_corpus"


def test_the_extensions_are_built() -> None:
    # CI builds them (setup.py); a silent fallback would cost the speed bench/terms.py shows.
    assert page_text._compiled is not None
    assert normalize._compiled is not None


@pytest.fixture(scope="module")
def portal_pages(tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    """Every HTML page of the sample portal, as UTF-8 (the crawler re-encodes GBK pages)."""
    root = tmp_path_factory.mktemp("portal")
    hosts = PortalHosts(
        "http://127.0.0.1:1", "http://127.0.0.2:1", "https://127.0.0.1:2", "http://127.0.0.1:3"
    )
    build_site(root, hosts)
    pages = []
    for path in sorted(root.rglob("*.htm*")):
        data = path.read_bytes()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            data = data.decode("gb18030").encode("utf-8")
        pages.append(data)
    assert len(pages) > 80
    return pages


FRAGMENTS = [
    "<p>", "</p>", "<span>", "</span>", "<div hidden>", "</div>", "<b>", "</b>",
    "<div style='display: NONE'>", "<div style='color:red'>", "<p style='visibility:hıdden'>",
    "<div class='a ng-hide'>", "<span class='ng-hide-add'>", "<p class='x\u3000ng-hide'>",
    "<p class='ng-hide&#9;x'>", "<div class='NG-HIDE'>",
    "<br>", "<td>", "</td>", "<table><tr><td>1</td><td>2</td></tr></table>",
    "<img alt=' 图 片 '>", "<img alt='\x01x'>", "<img alt=''>", "<img alt='a\u3000 b'>",
    "<input type=SUBMIT value='搜 索'>", "<input type=hidden value=x>", "<input value=y>",
    "<script>法轮</script>", "<style>x</style>", "<noscript>n</noscript>",
    "<template>t</template>", "<svg:rect>s</svg:rect>", "<!-- c -->", "<![CDATA[x]]>",
    "text", " ", "\u3000", "\xa0", "&nbsp;", "\x1c", "\u2028", "\u0085", "\n\t", "&#1;",
    "法轮功", "a\x01b\x02c", "<title> 标 题 </title>", "<head>", "</head>", "<body>",
    "</body>", "<html>", "<meta name=' Description ' content=' 描 述 '>",
    "<meta name=description>", "<frameset>",
]  # fmt: skip
PREFIXES = [
    "", "<html>", "<!DOCTYPE html>", "<body>", "<p>x</p>", "<title>a</title><title>b</title>",
    "<html><head><title>t\x01</title><meta name=description content=d></head>",
]  # fmt: skip


def _random_pages(count: int, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    return [
        (rng.choice(PREFIXES) + "".join(rng.choices(FRAGMENTS, k=rng.randint(0, 25)))).encode()
        for _ in range(count)
    ]


def _compare_visible_text(pages: list[bytes]) -> None:
    for html in pages:
        root = parse_html(html)
        if root is not None:
            assert page_text.visible_text(root) == page_text.python_visible_text(root), html


def test_visible_text_matches_the_python_walk_on_the_portal(portal_pages: list[bytes]) -> None:
    _compare_visible_text(portal_pages)


def test_visible_text_matches_the_python_walk_on_random_markup() -> None:
    _compare_visible_text(_random_pages(4000, seed=1))


POOL = [
    *"法轮功台独，。、@ *·&;#x1aAbBＡｂ１\n\r\t 乾夥貫徹國臺灣İΣσ",
    "\u200b", "\u200d", "\ufeff", "\u00ad", "&nbsp;", "&#123;", "&#x1f;", "&amp", "&a;",
    "\U00020001", "\U0001f600", "\U000e0020", "𝐀", "\u3000", "．",
]  # fmt: skip


def _same_copies(text: str) -> None:
    fast = normalize.detection_copies(text)
    slow = normalize.python_detection_copies(text)
    for a, b in zip(fast, slow, strict=True):
        assert a.text == b.text, text
        assert [a.position(i) for i in range(len(a.text))] == [
            b.position(i) for i in range(len(b.text))
        ], text
    if fast[1].utf8 is None:  # the capital sigma's lower case needs Python's str.lower
        assert "Σ" in text
        return
    assert fast[1].utf8 == fast[1].text.encode()
    for start in range(len(fast[1].text)):  # the stripped copy maps into the plain one
        p_start, p_end = fast[1].to_plain(start, start + 1)
        assert fast[0].position(p_start) == fast[1].position(start)
        assert p_end == p_start + 1


def test_detection_copies_match_the_python_rules_on_random_text() -> None:
    rng = random.Random(2)
    for _ in range(20000):
        _same_copies("".join(rng.choices(POOL, k=rng.randint(1, 14))))


def test_detection_copies_match_the_python_rules_on_pages(portal_pages: list[bytes]) -> None:
    for html in portal_pages:
        root = parse_html(html)
        if root is not None:
            _same_copies(page_text.visible_text(root).text)


def _python_matcher(monkeypatch: pytest.MonkeyPatch, matcher: TermMatcher) -> None:
    """Make ``matcher`` search the way it does without the extensions: copies made in
    Python, each searched with its own automaton."""
    monkeypatch.setattr(matcher, "_joint", None)
    monkeypatch.setattr(matcher_module, "detection_copies", normalize.python_detection_copies)


def _hits(matcher: TermMatcher, texts: list[str]) -> list[list[tuple]]:
    return [
        [(h.entry.term, h.start, h.end, h.matched, h.context) for h in hits]
        for hits in matcher.find_many([(text, date(2024, 6, 1)) for text in texts])
    ]


def test_one_pass_over_the_stripped_copy_finds_what_two_passes_find(
    portal_pages: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    matcher = term_matcher((), ())
    roots = [parse_html(html) for html in portal_pages]
    texts = [page_text.visible_text(root).text for root in roots if root is not None]
    texts += [path.read_text(encoding="utf-8") for path in sorted(CLEAN_CORPUS.glob("*.txt"))]
    rng = random.Random(3)
    terms = [e.term for e in matcher.entries]
    for _ in range(2000):  # terms planted plainly, split by noise, across commas
        term = rng.choice(terms)
        glue = rng.choice(["", "@", "，", " ", "&nbsp;", "\u200b", "、、、、"])
        texts.append(rng.choice(POOL) + glue.join(term) + rng.choice(POOL) + "的" + term[:2])
    fast = _hits(matcher, texts)
    assert sum(map(len, fast)) > 500  # enough hits to compare
    _python_matcher(monkeypatch, matcher)
    assert _hits(matcher, texts) == fast


def _entry(term: str, category: str = "typo") -> TermEntry:
    return TermEntry(term, category, "high", source="test")


@pytest.mark.parametrize("python", [False, True])
def test_plain_terms_keep_their_punctuation(python: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    matcher = TermMatcher(
        [
            _entry("贯切"),
            _entry("一带一路”战略", "wrong_expression"),
            _entry("（已撤销）国家计委", "outdated_name"),  # starts with noise
            _entry("法轮功", "sensitive"),
        ]
    )
    if python:
        _python_matcher(monkeypatch, matcher)

    def terms(text: str) -> list[str]:
        return [h.entry.term for h in matcher.find(text)]

    assert terms("要贯切落实") == ["贯切"]
    assert terms("要贯，切实落实") == []  # no typo across a comma, though 法，轮 is 法轮
    assert terms("推进“一带一路”战略") == ["一带一路”战略"]
    assert terms("推进一带一路，战略上") == []
    assert terms("的（已撤销）国家计委") == ["（已撤销）国家计委"]
    assert terms("练习法，轮，功") == ["法轮功"]
