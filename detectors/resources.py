"""Expensive things detectors share, built once per process: the term base and matchers."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any


@lru_cache(maxsize=8)
def term_matcher(extra_lists: tuple[str, ...] = (), allow: tuple[str, ...] = ()) -> Any:
    """The matcher over the bundled word lists plus a site's extra lists and allow terms."""
    from detectors.terms.lexicon import bundled_lists, load_lexicon
    from detectors.terms.matcher import TermMatcher

    lexicon = load_lexicon([*bundled_lists(), *map(Path, extra_lists)], extra_allow=allow)
    return TermMatcher(lexicon.entries, lexicon.allow)


@lru_cache(maxsize=1)
def spam_matcher() -> Any:
    """A matcher over the bundled ``sensitive`` entries only (gambling, porn, fraud …)."""
    from detectors.terms.lexicon import bundled_lists, load_lexicon
    from detectors.terms.matcher import TermMatcher

    lexicon = load_lexicon(bundled_lists())
    return TermMatcher([e for e in lexicon.entries if e.category == "sensitive"], lexicon.allow)


def looks_like_spam(text: str) -> bool:
    """Whether anchor text or an address uses gambling, porn or fraud vocabulary."""
    return spam_term(text) is not None


@lru_cache(maxsize=65536)
def spam_term(text: str) -> str | None:
    """The first gambling, porn or fraud term of the term base in ``text``, if any (cached:
    the hidden-link detector asks about every off-site link of every page, and navigation
    and footers repeat them)."""
    if not text:
        return None
    hits = spam_matcher().find(text)
    return hits[0].entry.term if hits else None
