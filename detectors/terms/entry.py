"""One entry of the term base, as loaded from ``wordlists/`` and site configs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from common.vocabulary import Severity

Category = Literal["sensitive", "wrong_expression", "outdated_name", "typo"]


@dataclass(frozen=True)
class TermEntry:
    """A term that is an error (or sensitive) wherever it appears, except in ``allow``.

    ``valid_from``/``valid_until`` bound the publication dates of content in which
    the term counts as an error (an outdated institution name is an error only in
    content published after the reform: ``valid_from`` = the date it stopped being
    correct). ``allow`` holds phrases containing the term in which it is fine
    (``原国土资源局``). ``leads`` holds ``(lead word, phrase)`` pairs: the term is fine
    inside ``phrase`` when the lead word and a run of place or organisation names come
    right before it (原 + 四川 + 银监局; 重庆 + 市渝中区 + 文化和旅游发展委员会; see
    ``detectors.terms.context``). ``current_in`` records the regions where a name is
    still current, as ``(region, name, reason)`` (``wordlists/outdated_name.yaml``).
    ``file``/``line`` say where the entry was written.
    """

    term: str
    category: Category
    severity: Severity
    suggestion: str | None = None
    source: str = ""
    valid_from: date | None = None
    valid_until: date | None = None
    allow: tuple[str, ...] = field(default_factory=tuple)
    leads: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    current_in: tuple[tuple[str, str, str], ...] = field(default_factory=tuple)
    file: str = ""
    line: int = 0

    def applies_on(self, published: date | None) -> bool:
        """Whether content published on ``published`` (None: unknown) is held to this entry.

        Unknown dates are held to it only when the entry has no lower bound: an outdated
        name in an undated page is not reported (it may be an old page)."""
        if published is None:
            return self.valid_from is None
        if self.valid_from and published < self.valid_from:
            return False
        return not (self.valid_until and published > self.valid_until)
