"""The shared YAML loader: lines of mappings, keys and items; repeated keys; read and
syntax failures as one ``文件:行号: 问题`` line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from common import yamlfile
from common.yamlfile import DuplicateKey, LineDict, LineList, YamlFileError, YamlSyntaxError


def test_duplicate_key_is_noted_with_its_line_and_the_last_value_kept():
    document = yamlfile.parse("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert document.data == {"a": 3, "b": 2}
    assert document.duplicates == (DuplicateKey("a", line=3, column=1, first_line=1),)
    assert document.data.key_lines == {"a": 3, "b": 2}


def test_duplicates_are_in_document_order_at_any_depth():
    text = "top:\n  - {x: 1, x: 2}\n  - y: 1\n    y: 2\ntop: []\n"
    lines = [(d.key, d.line, d.column) for d in yamlfile.parse(text, "f").duplicates]
    assert lines == [("x", 2, 12), ("y", 4, 5), ("top", 5, 1)]


def test_a_merged_key_overridden_is_no_duplicate():
    text = "base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  x: 3\n"
    document = yamlfile.parse(text, "f")
    assert document.data["m"] == {"x": 3, "y": 2} and document.duplicates == ()
    assert document.data["m"].key_lines["x"] == 4


def test_nested_mappings_and_sequence_items_know_their_lines():
    text = "# comment\nsite:\n  id: t\n  units:\n    - name: a\n      default: true\n    - b\n"
    data = yamlfile.parse(text, "f").data
    assert isinstance(data, LineDict) and data.line == 2 and data.key_lines == {"site": 2}
    site = data["site"]
    assert site.line == 3 and site.key_lines == {"id": 3, "units": 4}
    units = site["units"]
    assert isinstance(units, LineList) and units.item_lines == [5, 7]
    assert units[0].line == 5 and units[0].key_lines == {"name": 5, "default": 6}
    assert units[1] == "b"


def test_flow_collections_know_their_lines():
    data = yamlfile.parse("entries:\n  - {term: a}\n  - [b, c]\n", "f").data
    assert data["entries"].item_lines == [2, 3]
    assert data["entries"][0].line == 2 and data["entries"][1].item_lines == [3, 3]


def test_a_date_that_is_no_date_stays_text():
    data = yamlfile.parse("good: 2024-11-25\nbad: 2019-13-01\n", "f").data
    assert data == {"good": date(2024, 11, 25), "bad": "2019-13-01"}


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("site:\n  id: [unclosed\n", 3, 1),
        ("a: 1\n b: 2\n", 2, 3),
        ("a: 1\nb: \x07\n", 2, 4),  # a control character
        ("a: 1\n---\nb: 2\n", 2, 1),  # two documents
        ("{[1]: 2}\n", 1, 2),  # an unhashable key
    ],
)
def test_syntax_error_is_one_line_with_file_and_line(text: str, line: int, column: int):
    with pytest.raises(YamlSyntaxError) as caught:
        yamlfile.parse(text, "site.yaml")
    error = caught.value
    assert (error.source, error.line, error.column) == ("site.yaml", line, column)
    assert str(error).startswith(f"site.yaml:{line}: YAML 语法错误（第 {column} 列）：")
    assert "\n" not in str(error) and error.detail


def test_empty_file_is_none(tmp_path: Path):
    for text in ("", "\n", "# only a comment\n", "\ufeff"):
        (tmp_path / "empty.yaml").write_text(text, encoding="utf-8")
        assert yamlfile.load(tmp_path / "empty.yaml") == yamlfile.Document(None)


def test_bom_is_dropped_and_lines_unchanged(tmp_path: Path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: \xe4\xb8\xad\nb: [\n")
    assert yamlfile.read_text(path) == "a: 中\nb: [\n"
    with pytest.raises(YamlSyntaxError) as caught:
        yamlfile.load(path, "bom.yaml")
    assert (caught.value.line, caught.value.column) == (3, 1)
    data = yamlfile.parse("\ufeffa: 1\n", "f").data
    assert data == {"a": 1} and data.key_lines == {"a": 1}


def test_non_utf8_file_names_the_line_of_the_first_bad_byte(tmp_path: Path):
    path = tmp_path / "gbk.yaml"
    path.write_bytes("site:\n  name: 测试\n".encode("gbk"))
    with pytest.raises(YamlFileError) as caught:
        yamlfile.load(path, "gbk.yaml")
    assert str(caught.value) == "gbk.yaml:2: 文件不是 UTF-8 编码，请用 UTF-8 另存"
    assert caught.value.line == 2


def test_missing_and_unreadable_files(tmp_path: Path):
    with pytest.raises(YamlFileError) as caught:
        yamlfile.load(tmp_path / "none.yaml")
    assert str(caught.value) == f"{tmp_path / 'none.yaml'}: 文件不存在"
    with pytest.raises(YamlFileError) as caught:
        yamlfile.read_text(tmp_path, "dir.yaml")
    assert str(caught.value).startswith("dir.yaml: 无法读取（")


def test_imports_nothing_of_the_project():
    source = Path(yamlfile.__file__).read_text(encoding="utf-8")
    modules = {
        line.split()[1].split(".")[0]
        for line in source.splitlines()
        if line.startswith(("import ", "from "))
    }
    assert modules <= {"__future__", "dataclasses", "pathlib", "typing", "yaml"}, modules


# --- the callers: what they now report through the loader -------------------------------

SITE = 'site: {id: t, name: 测试, start_urls: ["http://127.0.0.1:1/"]}\n'


def test_config_with_bom_loads_and_gbk_config_names_its_line(tmp_path: Path):
    from govwatch.config import ConfigError, load_config

    path = tmp_path / "site.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + SITE.encode("utf-8"))
    assert load_config(path).config.site.id == "t"
    path.write_bytes(("# 测试站点\n" + SITE).encode("gbk"))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.problems == [f"{path}:1: 文件不是 UTF-8 编码，请用 UTF-8 另存"]


def test_config_control_character_is_one_line():
    from govwatch.config import ConfigError, parse_config

    with pytest.raises(ConfigError) as caught:
        parse_config(SITE + "x: \x07\n", "site.yaml")
    assert caught.value.problems == [
        "site.yaml: YAML 语法错误 第 2 行第 4 列：含有不允许的字符 U+0007"
    ]


def test_lexicon_reports_control_characters_and_missing_files(tmp_path: Path):
    from detectors.terms.lexicon import LexiconError, load_lexicon

    bad = tmp_path / "bad.yaml"
    bad.write_text("category: typo\nseverity: low\nentries:\n  - {term: 布\x07署}\n", "utf-8")
    with pytest.raises(LexiconError) as caught:
        load_lexicon([bad, tmp_path / "none.yaml"])
    assert caught.value.problems == [
        f"{bad}:4: YAML 格式错误（含有不允许的字符 U+0007）",
        f"{tmp_path / 'none.yaml'}: 文件不存在",
    ]


def test_column_categories_report_a_repeated_key(tmp_path: Path):
    from detectors.column_categories import CategoryFileError, load_categories, parse_categories

    text = "categories:\n  - id: news\n    keywords: [动态]\n    keywords: [要闻]\n"
    with pytest.raises(CategoryFileError) as caught:
        parse_categories(text, "cats.yaml")
    assert caught.value.problems == ["cats.yaml:4: 重复的键“keywords”"]
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes(text.encode("gbk"))
    with pytest.raises(CategoryFileError) as caught:
        load_categories(gbk)
    assert caught.value.problems == [f"{gbk}:3: 文件不是 UTF-8 编码，请用 UTF-8 另存"]
