"""Column data (栏目类别与更新时限): kept apart from the term lists, which the lexicon
loads as every ``wordlists/*.yaml``."""

from __future__ import annotations

from pathlib import Path

COLUMN_DATA_DIR = Path(__file__).parent
