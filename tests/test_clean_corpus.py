"""The whole term base on clean official prose: zero findings, with the real matcher."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from detectors.personal_data import find_personal_data
from detectors.resources import term_matcher

CORPUS = sorted((Path(__file__).parent / "data" / "clean_corpus").glob("*.txt"))


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
@pytest.mark.parametrize("published", [date(2024, 6, 1), None])
def test_no_term_findings_on_clean_text(path, published):
    text = path.read_text(encoding="utf-8")
    hits = term_matcher().find(text, published=published)
    assert [(h.entry.term, h.context) for h in hits] == []


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_no_personal_data_in_clean_text(path):
    assert find_personal_data(path.read_text(encoding="utf-8")) == []


def test_corpus_is_substantial():
    assert sum(len(p.read_bytes()) for p in CORPUS) > 50_000
