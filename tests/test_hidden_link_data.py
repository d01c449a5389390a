"""The hidden-link data files: the bundled ones load, and every mistake names its line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from detectors import hidden_link_data
from detectors.hidden_link_data import (
    BENIGN_FILE,
    SPAM_HOSTS_FILE,
    SPAM_WORDS_FILE,
    HiddenLinkDataError,
    load_hidden_link_data,
)
from wordlists.hidden_link import HIDDEN_LINK_DATA_DIR


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the bundled files to break."""
    for name in (BENIGN_FILE, SPAM_HOSTS_FILE, SPAM_WORDS_FILE):
        shutil.copy(HIDDEN_LINK_DATA_DIR / name, tmp_path / name)
    return tmp_path


def problems(folder: Path) -> list[str]:
    with pytest.raises(HiddenLinkDataError) as caught:
        load_hidden_link_data(folder)
    return [p.replace(str(folder) + "/", "") for p in caught.value.problems]


def test_bundled_data_loads_and_every_entry_says_why():
    data = load_hidden_link_data()
    assert len(data.benign) >= 15 and data.spam_hosts and data.text_words and data.not_spam
    for entry in data.benign:
        assert entry.reason and any("\u4e00" <= ch <= "\u9fff" for ch in entry.reason)
        assert entry.urls or entry.elements
    names = {entry.name for entry in data.benign}
    assert {
        "党政机关网站标识",
        "我为政府网站找错",
        "大汉网络版权标识",
        "无障碍与适老化工具条",
    } <= names


def test_benign_addresses_and_elements():
    data = load_hidden_link_data()
    assert (
        data.benign_url("https://bszs.conac.cn/sitename?method=show&id=1").name
        == "党政机关网站标识"
    )
    assert data.benign_url("http://121.43.68.40/exposure/jiucuo.html?site_code=1").name == (
        "我为政府网站找错"
    )
    assert data.benign_url("http://service.weibo.com/share/share.php?url=x").name == "微博分享"
    assert data.benign_url("http://weibo.com.example.com/") is None
    assert data.benign_url("http://www.notconac.cn/") is None
    from detectors.page import parse_html

    root = parse_html(
        b'<div class="bshare-custom"><p><span><a id="a" href="http://x.example.com/">x</a>'
        b"</span></p></div>"
    )
    [link] = root.iter("a")
    assert data.benign_element(link).name == "bShare 分享"
    deep = parse_html(
        b'<div class="bshare-custom"><div><div><div><div><a href="http://x/">x</a>'
        b"</div></div></div></div></div>"
    )
    assert data.benign_element(next(deep.iter("a"))) is None  # more than 4 levels up


def test_spam_hosts_match_subdomains():
    data = load_hidden_link_data()
    assert data.spam_host("www.bet365.com") == "bet365.com"
    assert data.spam_host("bet365.com.example.org") is None


def test_benign_mistakes_name_their_lines(folder):
    (folder / BENIGN_FILE).write_text(
        "entries:\n"
        "  - name: 甲\n"  # 2
        "    reason: 理由\n"
        "    urls: [http://a.example.com/]\n"  # 4
        "  - name: 乙\n"  # 5
        "    urls:\n"
        "      - 'bad host!'\n"  # 7
        "    elements: ['.a .b', '..x']\n"  # 8
        "  - name: 甲\n"  # 9
        "    reason: 重复\n"
        "    colour: red\n"  # 11
        "  - reason: 没有名称\n"  # 12
        "  - plain text\n",  # 13
        encoding="utf-8",
    )
    found = problems(folder)
    assert "wordlists/hidden_link/benign.yaml" not in found[0]  # a copy names its own path
    assert found == [
        "benign.yaml:4: “http://a.example.com/”不要写 http://，只写主机名和路径",
        "benign.yaml:5: 缺少 reason（中文）",
        "benign.yaml:7: “bad host!”不是有效的地址（如 service.weibo.com/share/）",
        "benign.yaml:8: “.a .b”只能写单个元素的选择器（如 .bshare-custom、#_ideConac），"
        "不能含空格、> 等组合符",
        "benign.yaml:8: “..x”不是有效的 CSS 选择器",
        "benign.yaml:11: 未知的键“colour”",
        "benign.yaml:9: urls 和 elements 至少写一项",
        "benign.yaml:9: 名称“甲”重复（第 2 行已有）",
        "benign.yaml:12: 缺少 name（中文）",
        "benign.yaml:12: urls 和 elements 至少写一项",
        "benign.yaml:13: 每一项应为映射（name、reason、urls、elements）",
    ]


def test_spam_host_mistakes_name_their_lines(folder):
    (folder / SPAM_HOSTS_FILE).write_text(
        "# 名单\n\ncasino.example.com\nhttp://bad.example.com/\nCASINO.example.com\nx y\n",
        encoding="utf-8",
    )
    not_a_host = "不是主机名（每行只写一个主机名，如 casino.example.com）"
    assert problems(folder) == [
        f"spam_hosts.txt:4: “http://bad.example.com/”{not_a_host}",
        "spam_hosts.txt:5: “casino.example.com”重复（第 3 行已有）",
        f"spam_hosts.txt:6: “x y”{not_a_host}",
    ]


def test_a_list_saved_in_gbk_is_refused_with_its_line(folder):
    (folder / SPAM_HOSTS_FILE).write_bytes("a.example.com\n# 博彩\n".encode("gbk"))
    assert problems(folder) == ["spam_hosts.txt:2: 文件不是 UTF-8 编码，请用 UTF-8 另存"]


def test_spam_word_mistakes_name_their_lines(folder):
    (folder / SPAM_WORDS_FILE).write_text(
        "text: [赌场, 赌场]\nurl_words: [Casino, 赌场]\nurl_tokens: [bet365]\ncolour: [red]\n",
        encoding="utf-8",
    )
    assert problems(folder) == [
        "spam_words.yaml:4: 未知的键“colour”",
        "spam_words.yaml:1: “赌场”重复（第 1 行已有）",
        "spam_words.yaml:2: url_words 只能写小写字母和数字：“赌场”",
        "spam_words.yaml:3: url_tokens 只能写字母：“bet365”",
        "spam_words.yaml:1: 缺少 not_spam: 列表",
    ]


def test_yaml_syntax_errors_and_repeated_keys(folder):
    (folder / SPAM_WORDS_FILE).write_text("text: [a\n", encoding="utf-8")
    (folder / BENIGN_FILE).write_text(
        "entries:\n  - {name: 甲, reason: 乙, urls: [a.example.com]}\nentries: []\n",
        encoding="utf-8",
    )
    found = problems(folder)
    assert found[0] == "benign.yaml:3: 重复的键“entries”"
    assert found[1].startswith("spam_words.yaml:2: YAML 语法错误")


def test_check_config_and_scans_refuse_broken_data(folder, monkeypatch, capsys):
    """``govwatch check-config`` and every scan read the lists before anything runs: a
    mistake is one line naming file and line, and exit 2."""
    from govwatch.cli import load_or_exit

    config = Path(__file__).resolve().parents[1] / "examples" / "site.yaml"
    load_or_exit(str(config))  # the bundled lists are fine
    (folder / SPAM_HOSTS_FILE).write_text("casino.example.com\nhttp://x/\n", encoding="utf-8")
    monkeypatch.setattr(hidden_link_data, "HIDDEN_LINK_DATA_DIR", folder)
    with pytest.raises(SystemExit) as stopped:
        load_or_exit(str(config))
    assert stopped.value.code == 2
    assert (
        capsys.readouterr()
        .err.strip()
        .endswith(
            "spam_hosts.txt:2: “http://x/”不是主机名（每行只写一个主机名，如 casino.example.com）"
        )
    )
