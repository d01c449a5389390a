"""The saved real government pages of the suite, one copy each, in ``tests/pages/``.

Every test that reads a real page finds it here by its id (``tests/pages/<platform>/NNN.html``,
with ``NNN.src.txt`` saying where the copy came from and ``NNN.yaml`` its golden facts).
"""

from __future__ import annotations

from pathlib import Path

PAGES = Path(__file__).parent / "pages"


def page_path(page_id: str) -> Path:
    """The one saved copy of real page ``page_id``."""
    found = sorted(PAGES.glob(f"*/{page_id}.html"))
    if len(found) != 1:
        raise FileNotFoundError(f"tests/pages has {len(found)} copies of page {page_id}")
    return found[0]


def page_bytes(page_id: str) -> bytes:
    return page_path(page_id).read_bytes()
