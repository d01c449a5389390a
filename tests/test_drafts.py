"""The pre-publication check (``govwatch check``): drafts in every format, located findings."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
import time
import zipfile
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from detectors.attachment_text import MAX_INFLATED
from govwatch.drafts import MAX_DRAFT_BYTES, DraftError, check_draft, read_draft
from tests.drafts import (
    HTML_CLEAN_FRAGMENT,
    HTML_PREVIEW,
    ID_NUMBER,
    MOBILE,
    OUTDATED,
    TYPO,
    docx_draft,
    pdf_draft,
    xlsx_draft,
)


def located(data: bytes, name: str, **kwargs) -> list[tuple[str, str, str]]:
    """(detector, location, what) of each finding, links not checked."""
    result = check_draft(read_draft(data, name), links=False, **kwargs)
    return [
        (f["detector"], f["location"], f.get("term") or f.get("kind") or f.get("target_url"))
        for f in result.findings
    ]


def test_docx_problems_are_found_in_their_paragraph_and_table_cell():
    assert located(docx_draft(), "通知.docx") == [
        ("term", "第 2 段", TYPO),
        ("term", "第 3 段", OUTDATED),
        ("privacy_leak", "表格 1 第 2 行第 3 列", "id_card"),
    ]


def test_html_preview_is_checked_in_its_body_not_in_the_template():
    # The header and footer repeat the typo and carry a mobile number: the template's,
    # not the editor's.
    assert located(HTML_PREVIEW.encode(), "preview.html") == [
        ("term", "正文第 3 段", TYPO),
        ("privacy_leak", "正文第 4 段", "mobile"),
        ("hidden_link", "正文第 5 段", "http://x.example.com/"),
    ]


def test_text_xlsx_and_pdf_problems_are_located():
    text = f"关于冬季安全生产的通知\n\n各乡镇：进一步{TYPO}工作。\n联系电话 {MOBILE}\n".encode()
    assert located(text, "草稿.txt") == [
        ("term", "第 3 行", TYPO),
        ("privacy_leak", "第 4 行", "mobile"),
    ]
    assert located(xlsx_draft(), "名单.xlsx") == [
        ("term", "名单!C2", TYPO),
        ("privacy_leak", "名单!B3", "mobile"),
    ]
    pdf = pdf_draft([["第一页内容正常。"], ["第二页：", f"进一步{TYPO}工作。"]])
    assert located(pdf, "附件.pdf") == [("term", "第 2 页", TYPO)]


def test_clean_drafts_come_back_empty():
    assert located(docx_draft(planted=False), "clean.docx") == []
    assert located(HTML_CLEAN_FRAGMENT.encode(), "clean.html") == []


def test_every_occurrence_is_placed_without_its_value():
    text = f"一、{TYPO}。\n二、再次{TYPO}。\n电话 {MOBILE}".encode()
    result = check_draft(read_draft(text, "a.txt"), links=False)
    term, privacy = result.findings
    assert term["occurrences"] == 2
    assert [(p["location"], p["start"], p["end"]) for p in term["places"]] == [
        ("第 1 行", 2, 4),
        ("第 2 行", 4, 6),
    ]
    block = result.draft.blocks[privacy["places"][0]["block"]]
    assert block.text[privacy["places"][0]["start"] : privacy["places"][0]["end"]] == MOBILE
    assert MOBILE not in json.dumps(privacy, ensure_ascii=False)  # masked only
    assert "page_url" not in term  # a file has no address: its location says where


def test_as_of_decides_what_an_outdated_name_is():
    text = f"请按{OUTDATED}要求执行。".encode()
    assert located(text, "a.txt", as_of=date(2018, 1, 1)) == []
    assert located(text, "a.txt", as_of=date(2024, 11, 25)) == [("term", "第 1 行", OUTDATED)]
    with pytest.raises(DraftError, match="晚于今天"):
        check_draft(read_draft(text, "a.txt"), as_of=date(2030, 1, 1), links=False)


def test_site_allow_list_is_honoured():
    from govwatch.config import parse_config

    config = parse_config(
        "site: {id: ln, name: 龙南市人民政府, start_urls: ['http://127.0.0.1:8000/']}\n"
        f"terms: {{allow: [{TYPO}]}}\n"
    )
    text = f"进一步{TYPO}工作。".encode()
    result = check_draft(read_draft(text, "a.txt"), config, links=False)
    assert result.findings == []
    assert result.checked["site"] == "ln"


# -- hostile drafts -----------------------------------------------------------------------


def test_oversized_draft_is_refused_with_a_clear_message():
    with pytest.raises(DraftError, match=r"草稿过大（20\.0 MB），发布前检查最多接受 10 MB"):
        read_draft(b"a" * (20 * 1024 * 1024), "big.txt")
    assert MAX_DRAFT_BYTES == 10 * 1024 * 1024


def test_zip_bomb_docx_is_refused_unread():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (MAX_INFLATED // 50))
    started = time.monotonic()
    with pytest.raises(DraftError, match="压缩"):
        read_draft(buffer.getvalue(), "bomb.docx")
    assert time.monotonic() - started < 5


def test_billion_laughs_inside_docx_is_not_expanded():
    entities = '<!ENTITY a0 "哈哈哈哈哈哈哈哈哈哈">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
    )
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE w:document [{entities}]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body><w:p><w:r><w:t>&a9;</w:t></w:r></w:p><w:p><w:r><w:t>进一步{TYPO}</w:t></w:r>"
        "</w:p></w:body></w:document>"
    ).encode()
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx_draft()), "r") as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for item in source.infolist():
            data = document if item.filename == "word/document.xml" else source.read(item)
            archive.writestr(item.filename, data)
    started = time.monotonic()
    try:
        draft = read_draft(buffer.getvalue(), "laughs.docx")
    except DraftError as error:
        assert "无法解析" in str(error)
    else:
        assert len(draft.text) < 1000  # 10^10 characters were never made
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>",
        b"%PDF-1.4\n" + bytes(range(256)) * 40,
        pdf_draft([["第一页"]])[:200],
    ],
)
def test_malformed_pdf_is_an_error_message_not_a_crash(data):
    started = time.monotonic()
    with pytest.raises(DraftError) as error:
        read_draft(data, "broken.pdf")
    assert "PDF" in str(error.value)
    assert time.monotonic() - started < 10


def test_unknown_binary_is_refused():
    with pytest.raises(DraftError, match="无法识别文件格式"):
        read_draft(b"PK\x03\x04" + b"\0" * 100, "x.bin")


# -- links --------------------------------------------------------------------------------


class _Links(BaseHTTPRequestHandler):
    def do_GET(self):
        body = HTML_PREVIEW.encode() if self.path == "/preview/1.html" else b"ok"
        found = self.path in ("/ok", "/preview/1.html")
        self.send_response(200 if found else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_HEAD = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture
def link_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Links)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.mark.integration
def test_broken_links_are_checked_live_and_located(link_server):
    html = (
        f'<p>详见<a href="{link_server}/ok">办事指南</a>。</p>'
        f'<p>附件：<a href="{link_server}/gone">申请表</a></p>'
        '<p>本站<a href="/relative">栏目</a></p>'
    ).encode()
    result = check_draft(read_draft(html, "a.html"))
    assert [
        (f["detector"], f["location"], f["target_url"], f["http_status"]) for f in result.findings
    ] == [("broken_link", "正文第 2 段", f"{link_server}/gone", 404)]
    assert result.findings[0]["on_home_page"] is False
    # the relative link belongs to a site not configured: not checked
    assert result.checked["links"] == {"checked": 2, "broken": 1, "skipped": 0}
    text = f"网址：{link_server}/gone。".encode()
    result = check_draft(read_draft(text, "a.txt"))
    assert [(f["location"], f["error"]) for f in result.findings] == [("第 1 行", "http_404")]
    assert check_draft(read_draft(text, "a.txt"), links=False).findings == []


@pytest.mark.integration
def test_a_cms_preview_page_is_read_from_its_address(link_server):
    from govwatch.drafts.reading import fetch_draft

    draft = fetch_draft(f"{link_server}/preview/1.html")
    result = check_draft(draft, links=False)
    assert [(f["detector"], f["location"], f["page_url"]) for f in result.findings] == [
        ("term", "正文第 3 段", f"{link_server}/preview/1.html"),
        ("privacy_leak", "正文第 4 段", f"{link_server}/preview/1.html"),
        ("hidden_link", "正文第 5 段", f"{link_server}/preview/1.html"),
    ]
    with pytest.raises(DraftError, match="HTTP 404"):
        fetch_draft(f"{link_server}/preview/2.html")


def test_detectors_and_word_lists_are_built_once_per_config():
    from govwatch.drafts.check import detectors_of, no_site_config

    config = no_site_config()
    assert detectors_of(config, False) is detectors_of(config, False)
    assert detectors_of(config, True) is not detectors_of(config, False)


# -- the command --------------------------------------------------------------------------


@pytest.fixture
def govwatch(monkeypatch):
    """``govwatch`` in this process (``--as-of`` pins the clock: restored afterwards)."""
    from click.testing import CliRunner

    from govwatch.cli import cli

    monkeypatch.setenv("GOVWATCH_TODAY", "2024-11-25")

    def run(*args: str, stdin: bytes = b""):
        monkeypatch.setenv("GOVWATCH_TODAY", "2024-11-25")  # as each new process has it
        return CliRunner().invoke(cli, list(args), input=stdin)

    return run


def test_cli_json_fail_on_and_as_of(govwatch, tmp_path: Path):
    draft = tmp_path / "通知.docx"
    draft.write_bytes(docx_draft())
    run = govwatch("check", str(draft), "--format", "json", "--no-links")
    assert run.exit_code == 0, run.output
    document = json.loads(run.stdout)
    assert [f["location"] for f in document["findings"]] == [
        "第 2 段",
        "第 3 段",
        "表格 1 第 2 行第 3 列",
    ]
    assert ID_NUMBER not in run.stdout
    assert document["checked"]["format"] == "docx"
    assert govwatch("check", str(draft), "--no-links", "--fail-on", "high").exit_code == 3
    assert govwatch("check", str(draft), "--no-links", "--fail-on", "medium").exit_code == 3
    assert govwatch("check", str(draft), "--no-links", "--fail-on", "veto").exit_code == 0
    # Before the reform the old name was the right one.
    text = f"请按{OUTDATED}要求执行。".encode()
    args = ("check", "-", "--format", "json", "--no-links")
    old = govwatch(*args, "--as-of", "2018-01-01", stdin=text)
    new = govwatch(*args, stdin=text)
    assert json.loads(old.stdout)["findings"] == []
    assert [f["term"] for f in json.loads(new.stdout)["findings"]] == [OUTDATED]


def test_cli_usage_and_refusals(govwatch, tmp_path: Path):
    clean = tmp_path / "clean.html"
    clean.write_text(HTML_CLEAN_FRAGMENT, encoding="utf-8")
    run = govwatch("check", str(clean), "--no-links", "--fail-on", "low")
    assert run.exit_code == 0 and "未发现问题" in run.stdout
    assert govwatch("check", str(clean), "--as-of", "2024-02-30").exit_code == 2
    assert govwatch("check", str(clean), "--fail-on", "urgent").exit_code == 2
    assert govwatch("check", str(tmp_path / "missing.docx")).exit_code == 2
    assert govwatch("check", str(clean), "--site", "x").exit_code == 2
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (20 * 1024 * 1024))
    run = govwatch("check", str(big))
    assert run.exit_code == 1
    assert "草稿过大（20.0 MB）" in run.output


@pytest.mark.integration
def test_cli_as_a_publication_hook(tmp_path: Path):
    """What a CMS runs: a separate process, its exit code."""
    draft = tmp_path / "通知.docx"
    draft.write_bytes(docx_draft())
    run = subprocess.run(
        [sys.executable, "-m", "govwatch", "check", str(draft), "--no-links", "--fail-on", "high"],
        capture_output=True,
        timeout=120,
    )
    assert run.returncode == 3
    assert "表格 1 第 2 行第 3 列" in run.stdout.decode()


def test_a_title_given_with_a_text_is_checked_as_its_title():
    draft = read_draft(
        f"正文第一行。\n联系电话 {MOBILE}".encode(), "a.txt", title=f"关于{TYPO}工作的通知"
    )
    page = draft.page("http://draft.invalid/", date(2024, 11, 25))
    assert page.text.text == draft.text  # offsets of findings are offsets of the blocks
    result = check_draft(draft, links=False)
    assert [(f["location"], f.get("where")) for f in result.findings] == [
        ("标题", "标题"),
        ("第 2 行", None),
    ]


@pytest.mark.integration
def test_a_pdf_page_longer_than_the_budget_is_cut_short():
    """One page pypdf works on for seconds (about 4 s on an idle machine), longer than the
    budget and the child's grace together: the child reading it is stopped."""
    from govwatch.drafts.reading import read_pdf_apart
    from tests.hostile_files import pdf_of_heavy_pages

    started = time.monotonic()
    try:  # the child's alarm stops it, or (a slow start) the parent gives up and kills it
        read = read_pdf_apart(pdf_of_heavy_pages(1, 240_000), budget_s=0.5, grace_s=1.5)
        assert read.error.startswith("读取超过 0.5 秒") and not read.text
    except DraftError as error:
        assert str(error) == "PDF 读取超过 0.5 秒，未能完成"
    assert time.monotonic() - started < 0.5 + 2 * 1.5 + 5  # budget, grace, process start


def test_terms_added_to_the_allow_file_count_at_the_next_check(tmp_path: Path):
    from govwatch.config import load_config

    config_file = tmp_path / "site.yaml"
    config_file.write_text(
        "site: {id: ln, name: 龙南市人民政府, start_urls: ['http://127.0.0.1:8000/']}\n",
        encoding="utf-8",
    )
    config = load_config(config_file).config
    text = f"进一步{TYPO}工作。".encode()
    assert len(check_draft(read_draft(text, "a.txt"), config, links=False).findings) == 1
    (tmp_path / "ln.allow.txt").write_text(f"{TYPO}\n", encoding="utf-8")  # the review app
    assert check_draft(read_draft(text, "a.txt"), config, links=False).findings == []
    (tmp_path / "ln.allow.txt").write_text("# 误报\n坏\u2028词\n", encoding="utf-8")
    with pytest.raises(DraftError, match="白名单文件有误"):
        check_draft(read_draft(text, "a.txt"), config, links=False)
