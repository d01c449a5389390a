"""The pre-publication check (先审后发): one draft, every detector that applies to it.

:mod:`govwatch.drafts.reading` reads a draft (HTML, text, DOCX, XLSX, PDF) into blocks
with their places, :mod:`govwatch.drafts.links` checks its links live, and
:mod:`govwatch.drafts.check` runs the registry's detectors and locates each finding.
``govwatch check`` and the review app's ``POST /api/check`` are built on
:func:`check_draft`; nothing is stored.
"""

from govwatch.drafts.check import CheckResult, check_draft
from govwatch.drafts.reading import MAX_DRAFT_BYTES, Block, Draft, DraftError, read_draft

__all__ = [
    "MAX_DRAFT_BYTES",
    "Block",
    "CheckResult",
    "Draft",
    "DraftError",
    "check_draft",
    "read_draft",
]
