from datetime import date

import pytest

from common.clock import ClockError, today


def test_pinned_today(monkeypatch):
    monkeypatch.setenv("GOVWATCH_TODAY", "2024-11-25")
    assert today() == date(2024, 11, 25)


def test_bad_pinned_today_names_the_variable(monkeypatch):
    monkeypatch.setenv("GOVWATCH_TODAY", "25/11/2024")
    with pytest.raises(ClockError, match="GOVWATCH_TODAY"):
        today()


def test_unpinned_today_is_a_date(monkeypatch):
    monkeypatch.delenv("GOVWATCH_TODAY", raising=False)
    assert isinstance(today(), date)
