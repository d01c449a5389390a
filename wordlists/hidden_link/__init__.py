"""Data of the hidden-link detector (暗链): what hidden links are legitimate, what marks
spam. Kept apart from the term lists, which the lexicon loads as every
``wordlists/*.yaml``; read and validated by :mod:`detectors.hidden_link_data`."""

from __future__ import annotations

from pathlib import Path

HIDDEN_LINK_DATA_DIR = Path(__file__).parent
