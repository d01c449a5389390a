"""Term matcher: normalisation, offsets back into the original, allow phrases, dates,
word boundaries and overlaps, on small hand-made term lists."""

from __future__ import annotations

import threading
from datetime import date

import lxml.html
import pytest

from detectors.page_text import visible_text
from detectors.terms.entry import TermEntry
from detectors.terms.matcher import TermHit, TermMatcher
from detectors.terms.normalize import fold, normalize, punctuation_variants

REFORM = date(2018, 3, 17)


def sensitive(term: str, **kw) -> TermEntry:
    return TermEntry(term, "sensitive", "veto", **kw)


def typo(term: str, suggestion: str | None = None, **kw) -> TermEntry:
    return TermEntry(term, "typo", "medium", suggestion=suggestion, **kw)


def wrong(term: str, **kw) -> TermEntry:
    return TermEntry(term, "wrong_expression", "high", **kw)


def outdated(term: str, **kw) -> TermEntry:
    return TermEntry(term, "outdated_name", "high", valid_from=REFORM, **kw)


def found(matcher: TermMatcher, text: str, **kw) -> list[tuple[str, str]]:
    """(entry term, original slice) of every hit, checking that offsets and slices agree."""
    hits = matcher.find(text, **kw)
    for h in hits:
        assert text[h.start : h.end] == h.matched
    return [(h.entry.term, h.matched) for h in hits]


# --- normalisation -------------------------------------------------------------------


def test_fold_is_length_preserving() -> None:
    text = "ＡＢＣ１２３ İstanbul 貫徹落實 PDF"
    assert fold(text) == "abc123 istanbul 贯彻落实 pdf"
    assert len(fold(text)) == len(text)


def test_normalize_maps_back_through_deletions() -> None:
    text = "法@轮\u200b功。布\u200b署"
    n = normalize(text, strip_noise=True)
    assert n.text == "法轮功布署"  # 。 between two Han characters is noise too
    assert text[slice(*n.to_original(0, 3))] == "法@轮\u200b功"
    assert text[slice(*n.to_original(3, 5))] == "布\u200b署"
    plain = normalize(text, strip_noise=False)
    assert plain.text == "法@轮功。布署"
    assert text[slice(*plain.to_original(0, 4))] == "法@轮\u200b功"


def test_noise_is_only_between_han_and_never_a_newline() -> None:
    assert normalize("法 轮", strip_noise=True).text == "法轮"
    assert normalize("法&nbsp;轮", strip_noise=True).text == "法轮"
    assert normalize("法\n轮", strip_noise=True).text == "法\n轮"
    assert normalize("法x轮", strip_noise=True).text == "法x轮"  # letters are not noise
    assert normalize("a, b", strip_noise=True).text == "a, b"
    assert normalize("法 。 ， 轮", strip_noise=True).text == "法 。 ， 轮"  # too long a run


def test_punctuation_variants() -> None:
    assert punctuation_variants("国家计委（已撤销）") == {"国家计委（已撤销）", "国家计委(已撤销)"}


# --- offsets and context -------------------------------------------------------------


def test_offsets_and_context_with_invisible_and_full_width_characters() -> None:
    m = TermMatcher([typo("布署", "部署"), wrong("abc公司")])
    text = "第一行\n各部门要认真布\u200b署了，ＡＢＣ公司负责。"
    hits = m.find(text)
    assert [(h.entry.term, h.matched) for h in hits] == [
        ("布署", "布\u200b署"),
        ("abc公司", "ＡＢＣ公司"),
    ]
    first = hits[0]
    assert (first.start, first.end) == (text.index("布"), text.index("署") + 1)
    assert first.context == "第一行 各部门要认真【布\u200b署】了，ＡＢＣ公司负责。"


def test_context_is_about_twenty_characters_each_side() -> None:
    m = TermMatcher([typo("布署")])
    text = "甲" * 30 + "布署" + "乙" * 30
    (hit,) = m.find(text)
    assert hit.context == "甲" * 20 + "【布署】" + "乙" * 20


def test_traditional_text_matches_simplified_term_and_back() -> None:
    m = TermMatcher([wrong("贯彻落实")])
    text = "各地要認真貫徹落實。"
    assert found(m, text) == [("贯彻落实", "貫徹落實")]
    m2 = TermMatcher([wrong("貫徹落實")])
    assert found(m2, "各地要认真贯彻落实。") == [("貫徹落實", "贯彻落实")]


def test_term_split_by_inline_element_in_html() -> None:
    root = lxml.html.document_fromstring(
        "<html><head><title>标题</title></head><body>"
        "<p>各部门要认真布<span>署</span>了</p><table><tr><td>按</td><td>装空调</td></tr></table>"
        "</body></html>"
    )
    page = visible_text(root)
    m = TermMatcher([typo("布署"), typo("按装")])
    hits = m.find(page.text)
    assert [(h.matched, page.source_at(h.start)) for h in hits] == [("布署", "body")]


def test_terms_in_title_alt_and_description_say_where() -> None:
    root = lxml.html.document_fromstring(
        "<html><head><title>关于布署工作的通知</title>"
        "<meta name='description' content='宣传法轮功的材料'></head>"
        "<body><p>正文</p><img alt='按装空调现场'></body></html>"
    )
    page = visible_text(root)
    m = TermMatcher([typo("布署"), typo("按装"), sensitive("法轮功")])
    where = {h.entry.term: page.label_at(h.start) for h in m.find(page.text)}
    assert where == {"布署": "标题", "法轮功": "页面描述", "按装": "图片说明"}


# --- sensitive words and noise -------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["宣传法@轮功", "宣传法 轮 功", "宣传法*轮·功", "宣传法&nbsp;轮功"]
)
def test_noise_between_characters_is_seen_for_sensitive_words(text: str) -> None:
    m = TermMatcher([sensitive("法轮功")])
    assert found(m, text) == [("法轮功", text[2:])]


def test_noise_is_not_stripped_for_other_categories() -> None:
    m = TermMatcher([typo("布署"), wrong("台湾政府")])
    assert found(m, "要布，署好。台湾 政府") == []


def test_sensitive_words_do_not_join_across_blocks() -> None:
    root = lxml.html.document_fromstring(
        "<html><body><table><tr><td>法</td><td>轮功</td></tr></table><p>法</p><p>轮功</p>"
        "<div>法<br>轮功</div></body></html>"
    )
    m = TermMatcher([sensitive("法轮功")])
    assert m.find(visible_text(root).text) == []


# --- allow phrases -------------------------------------------------------------------


def test_allow_phrase_of_the_entry_beats_the_term() -> None:
    m = TermMatcher([outdated("国土资源局", allow=("原国土资源局",))])
    text = "原国土资源局的职责划入市自然资源局，市国土资源局不再保留。"
    assert [(h.start, h.matched) for h in m.find(text, published=date(2020, 1, 1))] == [
        (text.index("市国土") + 1, "国土资源局")
    ]


def test_global_allow_phrase_beats_every_entry() -> None:
    m = TermMatcher([typo("布署"), sensitive("台独")], allow=["分布署名", "反台独"])
    assert found(m, "分布署名") == []
    assert found(m, "支持反台独。") == []


def test_allow_phrase_of_another_entry_does_not_apply() -> None:
    m = TermMatcher([typo("布署", allow=("布署图",)), wrong("布署计划", allow=("无关",))])
    assert found(m, "制定布署计划") == [("布署计划", "布署计划"), ("布署", "布署")]


# --- dates ---------------------------------------------------------------------------


def test_outdated_name_counts_only_after_the_reform() -> None:
    m = TermMatcher([outdated("国土资源局")])
    text = "市国土资源局发布通知"
    assert found(m, text, published=date(2017, 5, 1)) == []
    assert found(m, text, published=None) == []  # unknown date: may be an old page
    assert found(m, text, published=date(2019, 1, 1)) == [("国土资源局", "国土资源局")]


def test_entry_without_dates_applies_to_undated_pages() -> None:
    m = TermMatcher([wrong("台湾政府", valid_until=date(2030, 1, 1))])
    assert found(m, "台湾政府表示") == [("台湾政府", "台湾政府")]
    assert found(m, "台湾政府表示", published=date(2031, 1, 1)) == []


# --- word boundaries -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "text"),
    [
        ("法轮", "这个办法轮流执行"),
        ("台独", "在舞台独特的灯光下"),
        ("口交", "路口交通管制"),
        ("法轮", "依法。轮流值班"),  # noise stripping must not create a word across clauses
    ],
)
def test_terms_cutting_through_words_are_not_found(term: str, text: str) -> None:
    assert TermMatcher([sensitive(term)]).find(text) == []


def test_sensitive_word_in_a_sentence_is_found() -> None:
    m = TermMatcher([sensitive("法轮功"), sensitive("台独")])
    assert found(m, "坚决抵制法轮功邪教组织，反对台独。") == [
        ("法轮功", "法轮功"),
        ("台独", "台独"),
    ]


def test_short_typos_are_checked_but_not_against_themselves() -> None:
    m = TermMatcher([typo("布署", "部署"), typo("按装", "安装")])
    assert found(m, "要认真布署了") == [("布署", "布署")]
    assert found(m, "请按装空调") == [("按装", "按装")]
    assert found(m, "各部门按装修标准执行") == []  # 按/装修: nothing is misspelt


def test_long_terms_are_not_boundary_checked() -> None:
    m = TermMatcher([outdated("国土资源局")])
    assert found(m, "原国土资源局长", published=date(2020, 1, 1)) == [("国土资源局", "国土资源局")]


# --- overlaps ------------------------------------------------------------------------


def test_shorter_term_inside_longer_one_of_same_category_is_one_hit() -> None:
    m = TermMatcher([sensitive("法轮"), sensitive("法轮功")])
    assert found(m, "宣传法轮功") == [("法轮功", "法轮功")]


def test_same_span_keeps_the_most_severe_entry() -> None:
    low = TermEntry("台湾政府", "wrong_expression", "low", source="a")
    high = TermEntry("台湾政府", "wrong_expression", "high", source="b")
    (hit,) = TermMatcher([low, high]).find("台湾政府表示")
    assert hit.entry is high


def test_overlapping_hits_of_different_categories_are_all_reported() -> None:
    m = TermMatcher([typo("布署"), wrong("布署计划")])
    assert found(m, "制定布署计划") == [("布署计划", "布署计划"), ("布署", "布署")]


def test_hits_come_in_order_longest_first_at_one_start() -> None:
    m = TermMatcher([typo("布署"), wrong("布署计划"), wrong("台湾政府")])
    hits = m.find("台湾政府制定布署计划")
    assert [(h.start, h.end) for h in hits] == [(0, 4), (6, 10), (6, 8)]


def test_every_occurrence_is_reported() -> None:
    m = TermMatcher([typo("布署")])
    assert [h.start for h in m.find("布署了。又布署了。")] == [0, 5]


# --- misc ----------------------------------------------------------------------------


def test_punctuation_in_terms_matches_both_widths() -> None:
    m = TermMatcher([outdated("国家计委（已撤销）")])
    assert found(m, "原国家计委(已撤销)文件", published=date(2020, 1, 1)) == [
        ("国家计委（已撤销）", "国家计委(已撤销)")
    ]


def test_empty_inputs() -> None:
    assert TermMatcher([]).find("任何文字") == []
    assert TermMatcher([typo("布署")]).find("") == []
    assert TermMatcher([typo("\u200b")]).find("布署") == []  # empty after normalisation


def test_hit_is_a_plain_dataclass() -> None:
    (hit,) = TermMatcher([typo("布署")]).find("布署")
    assert isinstance(hit, TermHit)
    assert (hit.start, hit.end, hit.matched, hit.context) == (0, 2, "布署", "【布署】")


def test_one_matcher_serves_many_threads() -> None:
    m = TermMatcher([sensitive("法轮功"), typo("布署"), outdated("国土资源局")])
    texts = [f"第{i}页：宣传法@轮功，认真布署了，市国土资源局。" for i in range(200)]
    expected = [found(m, t, published=date(2020, 1, 1)) for t in texts]
    results: dict[int, list[list[tuple[str, str]]]] = {}

    def work(k: int) -> None:
        results[k] = [found(m, t, published=date(2020, 1, 1)) for t in texts]

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results.values())
    assert expected[0] == [
        ("法轮功", "法@轮功"),
        ("布署", "布署"),
        ("国土资源局", "国土资源局"),
    ]


def test_boundary_shortcut_never_disagrees_with_jieba() -> None:
    """``_may_cross`` lets the matcher skip jieba; wherever it says "no word across",
    jieba's own segmentation must have a boundary there (checked on 3,000 clauses of
    dictionary words, letters, digits and punctuation)."""
    import random

    from detectors.terms.context import segmenter
    from detectors.terms.matcher import _may_cross, _word_bounds

    rng = random.Random(3)
    words = [w for w, f in segmenter().dt.FREQ.items() if f > 50 and 1 <= len(w) <= 4][:20000]
    extra = ["，", "。", "、", "a", "B", "3", "x1", "\u3000", "·", "布署", "法轮", "国土资源局"]
    skipped = 0
    for _ in range(3000):
        clause = "".join(rng.choice(words if rng.random() < 0.85 else extra) for _ in range(8))
        for b in range(len(clause) + 1):
            if not _may_cross(clause, b, 0, len(clause)):
                skipped += 1
                assert b in _word_bounds(clause), (clause, b)
    assert skipped > 3000  # the shortcut does apply, or this test proves nothing


def test_plain_terms_keep_their_punctuation() -> None:
    matcher = TermMatcher(
        [
            typo("贯切"),
            wrong("一带一路”战略"),
            wrong("（已撤销）国家计委"),  # starts with noise
            sensitive("法轮功"),
        ]
    )

    def terms(text: str) -> list[str]:
        return [h.entry.term for h in matcher.find(text)]

    assert terms("要贯切落实") == ["贯切"]
    assert terms("要贯，切实落实") == []  # no typo across a comma, though 法，轮 is 法轮
    assert terms("推进“一带一路”战略") == ["一带一路”战略"]
    assert terms("推进一带一路，战略上") == []
    assert terms("的（已撤销）国家计委") == ["（已撤销）国家计委"]
    assert terms("练习法，轮，功") == ["法轮功"]
