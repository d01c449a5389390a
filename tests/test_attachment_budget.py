"""Attachments are read within a time and memory budget, and every cut is recorded.

The hostile files are generated (tests/hostile_files.py). Costly reads run in a fresh
interpreter, which reports its CPU time and how much its peak memory grew while reading
(``ru_maxrss``: lxml and pypdf allocate outside Python's tracing), and which a test can
give up on: a reader without bounds takes minutes or hours on these files.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler import page_detection
from detectors.attachment_text import MAX_CHARS, MAX_PDF_PAGES, extract_text
from sample_portal import assets
from tests import hostile_files

_MEASURE = """
import json, resource, sys, time
from detectors.attachment_text import extract_text
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
cpu = time.process_time()
text = extract_text(data, sys.argv[2])
print(json.dumps({
    "cpu_s": time.process_time() - cpu,
    "memory_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024,
    "text": text.text[:100], "chars": len(text.text), "units": text.units,
    "error": text.error, "truncated": text.truncated,
}))
"""


def measure(tmp_path: Path, data: bytes, kind: str, timeout_s: float = 60) -> dict:
    path = tmp_path / f"hostile.{kind}"
    path.write_bytes(data)
    try:
        done = subprocess.run(
            [sys.executable, "-c", _MEASURE, str(path), kind],
            capture_output=True,
            text=True,
            timeout=timeout_s,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"reading the {kind} took more than {timeout_s} s")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_spreadsheet_declaring_a_million_rows_costs_what_its_cells_cost(tmp_path):
    data = hostile_files.xlsx_declaring_everything()
    assert len(data) < 2000
    read = measure(tmp_path, data, "xlsx", timeout_s=30)
    assert read["cpu_s"] < 5
    assert read["text"] == "13807971234\nlast" and read["error"] is None


def test_a_word_document_is_read_as_a_stream(tmp_path):
    """24 MB of XML (a 3 MB file): read whole as a tree, it took 300 MB more."""
    data, paragraphs = hostile_files.docx_of_markup(24)
    read = measure(tmp_path, data, "docx")
    assert read["units"] == paragraphs and read["error"] is None
    assert read["memory_mb"] < 60, read


def test_pages_sharing_one_content_stream_are_read_once(tmp_path):
    """400 pages showing one heavy stream: read once, not 400 times."""
    data = hostile_files.pdf_pages_sharing_one_stream(400, 100_000)
    read = measure(tmp_path, data, "pdf")
    assert read["units"] == 400 and read["chars"] == 100_000 and read["error"] is None
    assert read["cpu_s"] < 8, read


def test_reading_stops_when_its_time_is_spent():
    data = hostile_files.pdf_of_heavy_pages(30, 100_000)
    started = time.monotonic()
    text = extract_text(data, "pdf", budget_s=1.0)
    elapsed = time.monotonic() - started
    assert elapsed < 8  # the budget, and the page under way when it ran out
    assert text.truncated and text.text
    assert text.error == f"读取超过 1 秒，只检查了前 {text.units} 页"
    assert 1 <= text.units < 30


def test_the_worker_cuts_one_endless_step_short(monkeypatch):
    """One page can take longer than the whole budget; in the worker an alarm stops it."""
    monkeypatch.setattr(page_detection, "_in_worker", True)
    monkeypatch.setattr(page_detection, "READ_BUDGET_S", 0.3)
    monkeypatch.setattr(page_detection, "ALARM_GRACE_S", 0.3)
    data = hostile_files.pdf_of_heavy_pages(1, 240_000)
    started = time.monotonic()
    result = page_detection.check_attachment("k", "http://x/a.pdf", "pdf", "http://x/", None, data)
    assert time.monotonic() - started < 3
    (read,) = result.attachments
    assert read.error == "读取超过 0.3 秒，只检查了前 0 页"


def test_character_and_page_limits_are_recorded():
    text = extract_text(hostile_files.docx_of_text(MAX_CHARS + 50_000), "docx")
    assert text.truncated and len(text.text) == MAX_CHARS
    assert text.error == "文字超过 200 万字，只检查了前 200 万字"
    pdf = extract_text(hostile_files.pdf_pages_sharing_one_stream(MAX_PDF_PAGES + 1, 10), "pdf")
    assert pdf.truncated and pdf.units == MAX_PDF_PAGES
    assert pdf.error == f"PDF 共 {MAX_PDF_PAGES + 1} 页，只检查了前 {MAX_PDF_PAGES} 页"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (hostile_files.pdf_undecodable(), "PDF 文件已损坏（页面内容无法读取）"),
        (hostile_files.pdf_without_pages(), "PDF 文件已损坏（没有可读取的页面）"),
        (assets.pdf_image_only(), "PDF 无文字层（可能是扫描件）"),
        (assets.pdf(""), "PDF 中没有文字"),
    ],
    ids=["undecodable", "no pages", "scanned", "blank"],
)
def test_a_pdf_without_text_says_why(data, error):
    """Only a PDF of images is called a scan."""
    text = extract_text(data, "pdf")
    assert text.text == "" and text.error == error
