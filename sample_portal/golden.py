"""The golden findings of the sample portal: one file, one normalised record per finding.

``expected_findings.yaml`` lists every finding a correct scan reports — the portal's and
its new-media accounts' — as records of one shape: ``detector``, ``page``, ``unit``,
``severity``, ``account`` (only on a finding about a new-media account), then the fields
the detector declares (``Detector.fields``: the contract's fields, §4).
URLs carry placeholders for the servers' origins (``{main}``, ``{mirror}``, …) because the
ports are chosen when the servers are bound.

:func:`normalise` turns the findings of ``govwatch findings --format json`` into the same
records, so a test compares the whole set; :func:`line` writes a record on one line (as in
the file) and :func:`diff` shows what a scan added (``+``) or lost (``-``), as LinkChecker's
golden ``.result`` files are diffed. Nothing here knows how a detector works.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from detectors.registry import detector_class

GOLDEN_FILE = Path(__file__).with_name("expected_findings.yaml")

COMMON = ("detector", "page", "unit", "severity")
ABSENT = "<absent>"  # a pinned field the finding does not have


@dataclass(frozen=True)
class Golden:
    """The golden file: ``findings`` (records with placeholders, sorted), and what a
    correct scan leaves undecided (``inconclusive``) or judges and does NOT report
    (``not_reported``: page paths on the main host)."""

    findings: list[dict[str, Any]]
    inconclusive: list[dict[str, Any]]
    not_reported: list[str]


def load(path: Path = GOLDEN_FILE) -> Golden:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Golden(data["findings"], data["inconclusive"], data["not_reported"])


def keys(detector: str, account: bool) -> tuple[str, ...]:
    """The fields of a record, in order."""
    cls = detector_class(detector)
    fields = cls.fields if cls is not None else ()
    extra = ("account",) if account and "account" not in fields else ()
    return (*COMMON, *extra, *fields)


def normalise(findings: Iterable[Mapping[str, Any]], origins: Mapping[str, str]) -> list[dict]:
    """Findings as ``govwatch findings --format json`` prints them → golden records, sorted.
    ``origins`` maps each placeholder (``{main}``) to its origin (``http://127.0.0.1:<port>``);
    a detector not registered keeps only the common fields (and so shows up in a diff)."""
    records = []
    for finding in findings:
        finding = {**finding, "page": finding.get("page_url", ABSENT)}
        names = keys(finding["detector"], "account" in finding)
        records.append({k: _with_placeholders(finding.get(k, ABSENT), origins) for k in names})
    return sort(records)


def _with_placeholders(value: Any, origins: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        for placeholder, origin in origins.items():
            if value == origin or value.startswith(origin + "/"):
                return placeholder + value[len(origin) :]
    return value


def fill(record: Mapping[str, Any], origins: Mapping[str, str]) -> dict[str, Any]:
    """A record with absolute URLs (the inverse of the placeholders)."""
    out = dict(record)
    for key, value in record.items():
        if isinstance(value, str):
            for placeholder, origin in origins.items():
                if value.startswith(placeholder):
                    out[key] = origin + value[len(placeholder) :]
    return out


def line(record: Mapping[str, Any]) -> str:
    """One record on one line, as the golden file writes it (a YAML flow mapping)."""
    text = yaml.safe_dump(
        dict(record), default_flow_style=True, allow_unicode=True, sort_keys=False, width=math.inf
    )
    return text.rstrip("\n")


def sort(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The golden order: by line (detector, then page, then the rest)."""
    return sorted(records, key=line)


def diff(expected: Iterable[Mapping[str, Any]], actual: Iterable[Mapping[str, Any]]) -> str:
    """A unified diff, one line per finding: ``-`` expected but not reported, ``+`` reported
    but not expected. Empty when the two are the same."""
    return "\n".join(
        difflib.unified_diff(
            [line(r) for r in sort(expected)],
            [line(r) for r in sort(actual)],
            f"expected (sample_portal/{GOLDEN_FILE.name})",
            "actual (govwatch findings)",
            n=0,
            lineterm="",
        )
    )
