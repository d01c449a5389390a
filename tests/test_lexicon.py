"""The term base: bundled lists load, mistakes name file and line, clean prose stays clean."""

from __future__ import annotations

import importlib.util
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from detectors.terms.confusables import (
    ProtectedName,
    default_data,
    generate_variants,
    read_common_chars,
    read_ime_pairs,
    read_shape_groups,
)
from detectors.terms.context import led_by
from detectors.terms.lexicon import Lexicon, LexiconError, load_lexicon, merge_duplicates
from wordlists import WORDLIST_DIR

CORPUS_DIR = Path(__file__).parent / "data" / "clean_corpus"
PROTECTED_FILE = "wordlists/protected.yaml"


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


@pytest.fixture(scope="module")
def corpus() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(CORPUS_DIR.glob("*.txt"))}


def write(tmp_path: Path, text: str, name: str = "list.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(*paths: Path) -> list[str]:
    with pytest.raises(LexiconError) as info:
        load_lexicon(list(paths))
    return info.value.problems


# --- the bundled lists ------------------------------------------------------------------


def test_bundled_lists_load_with_minimum_counts(lexicon: Lexicon) -> None:
    generated = [e for e in lexicon.entries if e.file == PROTECTED_FILE]
    listed = Counter(e.category for e in lexicon.entries if e.file != PROTECTED_FILE)
    assert listed["typo"] >= 300
    assert listed["wrong_expression"] >= 80
    assert listed["outdated_name"] >= 80
    assert listed["sensitive"] >= 60
    assert len(lexicon.protected) >= 40
    assert 500 <= len(generated) <= 5000  # bounded: see confusables' rules
    assert {e.category for e in generated} == {"typo"}
    assert len({e.term for e in lexicon.entries}) == len(lexicon.entries)


def test_bundled_entries_are_complete(lexicon: Lexicon) -> None:
    for e in lexicon.entries:
        assert e.source, e.term
        assert e.file.startswith("wordlists/") and e.line > 0, e.term
        if e.category != "sensitive":
            assert e.suggestion and e.suggestion != e.term, e.term
        assert all(e.term in a for a in e.allow), e.term


def test_bundled_examples(lexicon: Lexicon) -> None:
    by_term = {e.term: e for e in lexicon.entries}
    assert by_term["布署"].suggestion == "部署"
    assert by_term["江西省省委"].suggestion == "江西省委"
    assert "村长期" in by_term["村长"].allow
    land = by_term["国土资源局"]
    assert land.suggestion == "自然资源局" and land.valid_from == date(2019, 3, 31)
    assert ("原", "国土资源局") in land.leads  # file-level template 原{place}{term}
    assert not land.applies_on(date(2018, 12, 1)) and land.applies_on(date(2020, 1, 1))
    assert by_term["法轮功"].severity == "veto"
    for ordinary in (
        "政府",
        "中央",
        "干部",
        "总书记",
        "赌博",
        "扫黄打非",
        "宗教事务",
        "发展和改革委员会",
    ):
        assert ordinary not in by_term


def test_zero_findings_on_clean_corpus(lexicon: Lexicon, corpus: dict[str, str]) -> None:
    """Naive matcher: every occurrence of a term must lie inside one of its allow phrases
    or follow one of its lead words and a run of place names (原 + 县 + 国土资源局)."""
    findings = []
    for entry in lexicon.entries:
        for name, text in corpus.items():
            start = text.find(entry.term)
            while start >= 0:
                end = start + len(entry.term)
                if not _inside_allowed(text, start, entry.term, entry.allow) and not (
                    entry.leads and led_by(text, start, end, entry.leads)
                ):
                    context = text[max(0, start - 10) : start + len(entry.term) + 10]
                    findings.append(f"{name}: {entry.term}（{entry.category}）…{context}…")
                start = text.find(entry.term, start + 1)
    assert findings == []


def _inside_allowed(text: str, start: int, term: str, allow: tuple[str, ...]) -> bool:
    for phrase in allow:
        offset = phrase.find(term)
        while offset >= 0:
            if text.startswith(phrase, start - offset) and start >= offset:
                return True
            offset = phrase.find(term, offset + 1)
    return False


def test_clean_corpus_is_large_enough(corpus: dict[str, str]) -> None:
    assert "longnan-2024-plan.txt" in corpus
    own = sum(len(t.encode("utf-8")) for n, t in corpus.items() if n != "longnan-2024-plan.txt")
    assert own >= 30 * 1024


# --- validation -------------------------------------------------------------------------

HEADER = "category: typo\nseverity: medium\nsource: 测试\nentries:\n"


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("  - {term: 布署, suggestion: 部署}\n  - suggestion: 部署\n", 6, "缺少 term"),
        ("  - term: 布署\n    suggest: 部署\n", 6, "未知的字段 suggest"),
        ("  - {term: 布署, valid_from: 2019-13-01}\n", 5, "valid_from 不是有效日期"),
        ("  - {term: 布署, valid_from: 三月}\n", 5, "valid_from 不是有效日期"),
        ("  - {term: 布署, severity: urgent}\n", 5, "severity 不能是 urgent"),
        ("  - {term: 布署, category: typos}\n", 5, "category 不能是 typos"),
        ("  - {term: ''}\n", 5, "term 为空"),
        ("  - {term: '   '}\n", 5, "term 为空"),
        ("  - {term: ' 布署'}\n", 5, "首尾有空白"),
        ("  - {term: 部署, suggestion: 部署}\n", 5, "suggestion 与 term 相同"),
        ("  - {term: 建设部, suggestion: 住房和城乡建设部}\n", 5, "仍包含 term"),
        ("  - {term: 村长, allow: [村主任]}\n", 5, "不包含 term"),
        ("  - {term: 布署, allow: 布署一下}\n", 5, "allow 应为非空短语的列表"),
        ("  - term: 布署\n    term: 部暑\n", 6, "重复的字段 term"),
        ("  - {term: 布署}\n  - {term: 布署}\n", 6, "词条 布署 重复"),
        ("  - {term: 布署, valid_from: 2020-01-01, valid_until: 2019-01-01}\n", 5, "早于"),
        ("  - [布署]\n", None, "应为映射"),
        ("  - {term: 布署\n", 6, "YAML 格式错误"),
    ],
)
def test_validation_errors_name_file_and_line(
    tmp_path: Path, body: str, line: int | None, message: str
) -> None:
    path = write(tmp_path, HEADER + body)
    problems = problems_of(path)
    assert len(problems) == 1, problems
    prefix = f"{path}:{line}:" if line else f"{path}:"
    assert problems[0].startswith(prefix) and message in problems[0], problems


def test_header_mistakes(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "category: typo\nseverity: medium\ncolour: red\nallow: ['原{place}']\nentries: []\n",
    )
    problems = problems_of(path)
    assert f"{path}:3: 未知的文件字段 colour" in problems
    assert any(p.startswith(f"{path}:4:") and "{term}" in p for p in problems)
    missing = write(tmp_path, "entries:\n  - {term: 布署}\n", "missing.yaml")
    assert any("缺少 category" in p for p in problems_of(missing))
    assert problems_of(write(tmp_path, "", "empty.yaml")) == [
        f"{tmp_path / 'empty.yaml'}: 文件为空"
    ]


def test_all_problems_of_all_files_are_reported(tmp_path: Path) -> None:
    one = write(
        tmp_path, HEADER + "  - {term: 布署, severity: urgent}\n  - {suggestion: x}\n", "a.yaml"
    )
    two = write(tmp_path, HEADER + "  - {term: 迫不急待, valid_until: 明年}\n", "b.yaml")
    problems = problems_of(one, two)
    assert [p.split(": ", 1)[0] for p in problems] == [f"{one}:5", f"{one}:6", f"{two}:5"]


def test_protected_list_validation(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "kind: protected\nseverity: high\nentries:\n"
        "  - {term: 政府, suggestion: 政府}\n"
        "  - {term: 领导小组, exclude: [领导小队员]}\n"
        "  - {term: 国}\n",
    )
    assert problems_of(path) == [
        f"{path}:4: 未知的字段 suggestion",
        f"{path}:5: exclude“领导小队员”不是“领导小组”的单字变体",
        f"{path}:6: 受保护名称至少两个字",
    ]
    header = write(tmp_path, "kind: protected\ncategory: typo\nentries: []\n", "header.yaml")
    assert problems_of(header) == [f"{header}:2: protected 词表的文件头不设 category"]
    unknown_kind = write(tmp_path, "kind: words\nentries: []\n", "kind.yaml")
    assert any("kind 只能是" in p for p in problems_of(unknown_kind))


# --- merging and allow phrases ----------------------------------------------------------


def test_same_term_in_two_lists_keeps_the_more_severe_and_merges_allow(tmp_path: Path) -> None:
    low = write(
        tmp_path,
        "category: typo\nseverity: low\nsource: 甲\nentries:\n"
        "  - {term: 村长, suggestion: 村主任, allow: [村长期]}\n"
        "  - {term: 布署, suggestion: 部署}\n",
        "a.yaml",
    )
    high = write(
        tmp_path,
        "category: wrong_expression\nseverity: high\nsource: 乙\nentries:\n"
        "  - {term: 村长, suggestion: 村委会主任, allow: [村长效, 村长期]}\n"
        "  - {term: 布署, suggestion: 布置, severity: low}\n",
        "b.yaml",
    )
    by_term = {e.term: e for e in load_lexicon([low, high]).entries}
    chief = by_term["村长"]
    assert (chief.category, chief.severity, chief.suggestion) == (
        "wrong_expression",
        "high",
        "村委会主任",
    )
    assert chief.allow == ("村长期", "村长效")
    assert (chief.file, chief.line) == (str(high), 5)
    assert by_term["布署"].suggestion == "部署"  # a tie keeps the first loaded
    assert len(merge_duplicates(load_lexicon([low, low.with_name("a.yaml")]).entries)) == 2


def test_file_level_allow_templates(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "category: outdated_name\nseverity: high\nsource: 改革\n"
        "allow: ['原{place}{term}', '{term}更名']\nentries:\n"
        "  - {term: 国土资源局, suggestion: 自然资源局, valid_from: 2019-03-31,"
        " allow: [国土资源局关于]}\n",
    )
    [entry] = load_lexicon([path]).entries
    assert entry.valid_from == date(2019, 3, 31)
    assert entry.allow == ("国土资源局关于", "国土资源局更名")
    assert entry.leads == (("原", "国土资源局"),)  # {place}: any place run, in context


def test_extra_allow_becomes_global_allow(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "  - {term: 布署, suggestion: 部署}\n")
    lex = load_lexicon([path], extra_allow=["台湾地区", " 布署图 "])
    assert lex.allow == frozenset({"台湾地区", "布署图"})
    assert load_lexicon([path]).allow == frozenset()
    with pytest.raises(LexiconError) as info:
        load_lexicon([path], extra_allow=[""])
    assert info.value.problems == ["terms.allow: 白名单中有空短语"]


# --- generated typo variants ------------------------------------------------------------


def _variants(*names: str, **kwargs: object) -> dict[str, str]:
    protected = [ProtectedName(name=n, severity="high", source="测试") for n in names]
    return {e.term: e.suggestion or "" for e in generate_variants(protected, **kwargs)}  # type: ignore[arg-type]


def test_confusions_of_known_incidents() -> None:
    variants = _variants("政府", "领导小组", "扫黑除恶", "人民政府", "习近平")
    assert variants["攻府"] == "政府"  # similar shape
    assert variants["领导小姐"] == "领导小组"  # IME slip (wubi)
    assert variants["扫黑险恶"] == "扫黑除恶"  # IME slip (wubi)
    assert variants["人民正府"] == "人民政府"  # homophone
    assert variants["刁近平"] == "习近平"  # shape, at the edge
    assert "人民攻府" not in variants  # found through 攻府
    assert not {"政复", "政腐", "政协"} & set(variants)  # never the second of two characters


def test_variants_are_not_words_nor_legitimate_text() -> None:
    data = default_data()
    variants = _variants("中央委员会", "中国共产党", "党中央", "中国式现代化")
    assert variants
    assert not any(data.is_word_or_part(v) for v in variants)
    assert "中央委员今" not in variants  # 中央委员 + 今天
    assert not {"美国共产党", "当中央"} & set(variants)  # homophones only inside a name
    assert "中国实现代化" in variants
    assert "中国实现代化" not in _variants("中国式现代化", known_text="……中国实现代化……")


def test_generated_entries_carry_the_protected_name(lexicon: Lexicon) -> None:
    generated = {e.term: e for e in lexicon.entries if e.file == PROTECTED_FILE}
    slip = generated["领导小姐"]
    assert (slip.category, slip.suggestion, slip.severity) == ("typo", "领导小组", "high")
    assert "领导小组" in slip.source and slip.line > 0
    assert generated["刁近平"].severity == "veto"
    assert "中国是现代化" not in generated  # listed under exclude


def test_character_tables() -> None:
    common = read_common_chars(WORDLIST_DIR / "common_chars.txt")
    chars = [c for c, _ in common]
    assert len(chars) == 3500 == len(set(chars))
    readings = dict(common)
    assert readings["政"][0] == "zheng" and readings["正"][0] == "zheng"
    shapes = read_shape_groups(WORDLIST_DIR / "similar_shapes.txt")
    assert {"己", "巳"} <= set(shapes["已"]) and "政" in shapes["攻"]
    assert read_ime_pairs(WORDLIST_DIR / "ime_confusions.txt")["组"] == ("姐",)
    for p in load_lexicon([WORDLIST_DIR / "protected.yaml"]).protected:
        assert set(p.name) <= set(chars), p.name


@pytest.mark.skipif(
    importlib.util.find_spec("pypinyin") is None, reason="pypinyin 未安装（仅重建常用字表时需要）"
)
def test_common_chars_match_a_rebuild() -> None:
    from detectors.terms.confusables import build_common_chars

    shipped = (WORDLIST_DIR / "common_chars.txt").read_text(encoding="utf-8").splitlines()
    assert build_common_chars() == shipped
