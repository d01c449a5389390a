"""The site's allow-list data file: written by the review app, read by each scan, checked
by check-config; the operator's YAML is never touched."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from detectors.term import TermDetector
from govwatch.allow_list import AllowListError, add_allowed_term
from govwatch.cli import cli
from govwatch.config import ConfigError, load_config

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "site.yaml"
TEXT = "各单位要认真布署，落实工作要求。"


@pytest.fixture
def config_path(tmp_path) -> Path:
    path = tmp_path / "site.yaml"
    shutil.copy(EXAMPLE, path)
    return path


def with_terms(path: Path, line: str) -> Path:
    """The config with one more line in its ``terms:`` section."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("terms:\n", f"terms:\n{line}\n", 1), encoding="utf-8")
    return path


def hits(config_path: Path) -> list[str]:
    """What the term detector of a scan started now finds in TEXT."""
    detector = TermDetector.from_config(load_config(config_path).config, None)
    return [hit.entry.term for hit in detector.matcher.find(TEXT)]


def test_the_default_allow_file_sits_beside_the_config(config_path):
    loaded = load_config(config_path)
    site_id = loaded.config.site.id
    assert loaded.config.terms.allow_file == str(config_path.parent / f"{site_id}.allow.txt")


def test_a_term_added_from_the_app_is_allowed_by_the_next_scan(config_path):
    before = config_path.read_bytes()
    assert "布署" in hits(config_path)
    loaded = load_config(config_path)
    allow_file = Path(loaded.config.terms.allow_file)
    assert add_allowed_term(loaded, "  布署 ") == allow_file
    assert add_allowed_term(loaded, "布署") == allow_file  # once is enough
    assert "布署" not in hits(config_path)
    assert config_path.read_bytes() == before  # the operator's YAML is untouched
    lines = allow_file.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# govwatch 白名单") and lines[1:] == ["布署"]


def test_a_term_already_in_the_yaml_is_not_written_again(config_path):
    text = config_path.read_text(encoding="utf-8")
    config_path.write_text(text.replace('["台湾地区"]', '["台湾地区", "布署"]'), encoding="utf-8")
    loaded = load_config(config_path)
    assert add_allowed_term(loaded, "布署") == Path(loaded.config.terms.allow_file)
    assert not Path(loaded.config.terms.allow_file).exists()


@pytest.mark.parametrize(
    ("term", "message"),
    [
        ("", "词语为空"),
        ("   ", "词语为空"),
        ("# 注释", "不能以 # 开头"),
        ("布署\n# x", "换行或控制字符"),
        ("布署\r", None),  # stripped: a trailing line break is no line break
        ("a\u2028b", "换行或控制字符"),
        ("长" * 101, "过长"),
    ],
)
def test_hostile_terms_never_make_a_line_of_their_own(config_path, term, message):
    loaded = load_config(config_path)
    if message is None:
        add_allowed_term(loaded, term)
        assert Path(loaded.config.terms.allow_file).read_text(encoding="utf-8").endswith("\n布署\n")
        return
    with pytest.raises(AllowListError, match=message):
        add_allowed_term(loaded, term)
    assert not Path(loaded.config.terms.allow_file).exists()


def test_a_custom_allow_file_and_concurrent_appends(config_path):
    (config_path.parent / "lists").mkdir()
    with_terms(config_path, "  allow_file: lists/allow.txt")
    loaded = load_config(config_path)
    assert loaded.config.terms.allow_file == str(config_path.parent / "lists" / "allow.txt")
    terms = [f"词语{i}" for i in range(20)]
    threads = [threading.Thread(target=add_allowed_term, args=(loaded, t)) for t in terms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lines = (config_path.parent / "lists" / "allow.txt").read_text(encoding="utf-8").splitlines()
    assert sorted(lines[1:]) == sorted(terms)


def test_check_config_names_a_bad_allow_file(config_path):
    loaded = load_config(config_path)
    allow = Path(loaded.config.terms.allow_file)
    allow.write_text("# 注释\n\n布署\n好\x1b词\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(config_path)
    assert info.value.problems == [
        f"{config_path}: terms.allow_file: {allow}: 第 4 行：词语含有换行或控制字符"
    ]
    result = CliRunner().invoke(cli, ["check-config", str(config_path)])
    assert result.exit_code == 2 and "terms.allow_file" in result.output
    allow.write_bytes("布署\n".encode("gbk"))
    with pytest.raises(ConfigError, match="不是 UTF-8 编码"):
        load_config(config_path)
    # a hand-edited bad line stops the app too, with the same words
    allow.write_text("好\x1b词\n", encoding="utf-8")
    with pytest.raises(AllowListError, match="第 1 行"):
        add_allowed_term(loaded, "布署")


def test_an_allow_file_in_a_missing_folder_is_named(config_path):
    with_terms(config_path, "  allow_file: nowhere/allow.txt")
    with pytest.raises(ConfigError, match=r"terms\.allow_file: 白名单文件所在的目录不存在"):
        load_config(config_path)
