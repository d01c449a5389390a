"""The holiday schedule operators keep (放假和调休上班日期), beside the term lists but
apart from them: the lexicon loads every ``wordlists/*.yaml``."""

from __future__ import annotations

from pathlib import Path

CALENDAR_DATA_DIR = Path(__file__).parent
