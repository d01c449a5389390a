"""Bundled term lists (错敏词库) and the data the typo generator reads.

This package holds data, not code: the loader (``detectors.terms.lexicon``) finds the
bundled lists through ``WORDLIST_DIR`` so that they are located the same way in a
checkout, an editable install and a wheel (setuptools ships ``*.yaml``/``*.txt`` as
package data).
"""

from __future__ import annotations

from pathlib import Path

WORDLIST_DIR = Path(__file__).parent
