"""Benchmark of the term matcher: raw Aho–Corasick speed against the whole content pipeline.

Generates a term base (default 20,000 synthetic 2–6 character terms plus real-looking
sensitive words, outdated institution names, wrong expressions and typos) and ≥ 50 MB of
government-style HTML pages (head with scripts and styles, navigation, breadcrumb,
article paragraphs, a data table, related links, footer; 2% of the pages in traditional
characters; planted terms, some disguised with noise, zero-width characters, ``<span>``
splits or traditional characters). Then it prints:

(a) **raw**: ``ahocorasick_rs`` alone (one automaton of all normalised terms, overlapping
    matches) over the pages' normalised visible text — the ceiling;
(b) **pipeline**: HTML bytes → lxml parse (``parse_html``, as the detection worker) →
    ``visible_text`` → ``normalize``
    (both detection copies) → both automata → date, allow, jieba boundary checks → hits,

with MB/s of HTML and of visible text (UTF-8), a per-stage split, hit counts and peak
memory (``ru_maxrss``). Generation is setup, not measured. It is not a test::

    .venv/bin/python bench/terms.py                 # 20,000 terms, 50 MB of HTML
    .venv/bin/python bench/terms.py --mb 5 --terms 5000   # quick run
    .venv/bin/python bench/terms.py --cpu --repeat 3       # CPU seconds (a busy machine)
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import random
import resource
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawler.page_detection import PAGES_PER_TASK
from detectors.page import parse_html
from detectors.page_text import visible_text
from detectors.terms.entry import TermEntry
from detectors.terms.matcher import TermMatcher, _word_bounds
from detectors.terms.normalize import (
    delete_format,
    detection_copies,
    fold,
    normalize,
)

REFORM = date(2018, 3, 17)

SENSITIVE = [
    "法轮功", "台独", "藏独", "疆独", "网上赌场", "澳门赌场", "百家乐", "时时彩", "六合彩",
    "代开发票", "办理假证", "裸聊", "博彩平台", "菠菜网", "棋牌游戏下载", "成人视频", "一夜情",
    "私服发布", "刷单返利", "网赚兼职",
]  # fmt: skip
OUTDATED = [
    "国土资源局", "国土资源厅", "国土资源部", "国家工商行政管理总局", "工商行政管理局",
    "卫生和计划生育委员会", "卫生计生委", "环境保护局", "环境保护厅", "食品药品监督管理局",
    "安全生产监督管理局", "国家旅游局", "质量技术监督局", "国家质量监督检验检疫总局",
    "文化广电新闻出版局", "人口和计划生育局", "城乡规划局", "农业委员会",
]  # fmt: skip
WRONG = [
    ("台湾政府", "台湾当局"), ("台湾总统", "台湾地区领导人"), ("香港政府", "香港特区政府"),
    ("澳门政府", "澳门特区政府"), ("中国与台湾", "大陆与台湾"), ("北韩", "朝鲜"),
    ("南韩", "韩国"), ("一国两治", "一国两制"), ("两个一百年奋斗目标任务", None),
    ("中华民国", None),
]  # fmt: skip
TYPOS = [
    ("布署", "部署"), ("按装", "安装"), ("既使", "即使"), ("再接再励", "再接再厉"),
    ("迫不急待", "迫不及待"), ("一股作气", "一鼓作气"), ("不径而走", "不胫而走"),
    ("默守成规", "墨守成规"), ("谈笑风声", "谈笑风生"), ("走头无路", "走投无路"),
    ("按步就班", "按部就班"), ("出奇不意", "出其不意"), ("甘拜下风", None),
    ("穿流不息", "川流不息"), ("恪守职守", "恪尽职守"), ("贯彻落时", "贯彻落实"),
]  # fmt: skip
NAV = [
    "首页", "政务公开", "政策文件", "政策解读", "新闻动态", "通知公告", "部门动态", "乡镇动态",
    "办事服务", "互动交流", "数据发布", "人事信息", "规划计划", "财政资金", "政府采购",
    "重大项目", "教育服务", "医疗卫生", "社会保障", "就业创业",
]  # fmt: skip
DEPTS = ["自然资源局", "市场监督管理局", "卫生健康委员会", "生态环境局", "应急管理局"]


def _vocabulary() -> tuple[list[str], list[int], str]:
    """Common simplified words (jieba's dictionary, GB2312 characters only) and weights."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    words: list[str] = []
    weights: list[int] = []
    chars: set[str] = set()
    for word, freq in jieba.dt.FREQ.items():
        if freq < 30 or not 1 <= len(word) <= 4:
            continue
        if not all("\u4e00" <= c <= "\u9fff" for c in word):
            continue
        try:
            word.encode("gb2312")
        except UnicodeEncodeError:
            continue
        words.append(word)
        weights.append(min(freq, 20000))
        chars.update(word)
    return words, weights, "".join(sorted(chars))


def make_terms(count: int, rng: random.Random, chars: str) -> list[TermEntry]:
    """Real-looking entries plus synthetic ones up to ``count``."""
    entries: list[TermEntry] = []
    for t in SENSITIVE:
        entries.append(TermEntry(t, "sensitive", "veto", source="bench"))
    for t in OUTDATED:
        entries.append(TermEntry(t, "outdated_name", "high", valid_from=REFORM, allow=(f"原{t}",)))
    for t, s in WRONG:
        entries.append(TermEntry(t, "wrong_expression", "high", suggestion=s))
    for t, s in TYPOS:
        entries.append(TermEntry(t, "typo", "medium", suggestion=s))
    categories = ["sensitive", "wrong_expression", "outdated_name", "typo"]
    seen = {e.term for e in entries}
    while len(entries) < count:
        term = "".join(rng.choices(chars, k=rng.randint(2, 6)))
        if term in seen:
            continue
        seen.add(term)
        category = rng.choices(categories, weights=[10, 20, 20, 50])[0]
        valid_from = REFORM if category == "outdated_name" else None
        entries.append(TermEntry(term, category, "medium", valid_from=valid_from))
    return entries


class PageMaker:
    """Government-style article pages (TRS-like layout) from a word pool."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.words, weights, self.chars = _vocabulary()
        self.cum = []
        total = 0
        for w in weights:
            total += w
            self.cum.append(total)
        self.sentences = [self._sentence() for _ in range(30000)]
        import opencc

        self.s2t = opencc.OpenCC("s2t")
        self.planted: Counter[str] = Counter()

    def _sentence(self) -> str:
        rng = self.rng
        words = rng.choices(self.words, cum_weights=self.cum, k=rng.randint(6, 18))
        out = []
        for i, w in enumerate(words):
            out.append(w)
            if i and i % 5 == 0 and i != len(words) - 1:
                out.append(rng.choice("，，，、；"))
        return "".join(out) + rng.choice("。。。；！")

    def _planted(self) -> str:
        """A term occurrence, plain or disguised, inside an inline context."""
        rng = self.rng
        kind = rng.random()
        if kind < 0.25:
            term = rng.choice(SENSITIVE)
            self.planted["sensitive"] += 1
            if rng.random() < 0.5:  # noise between the characters
                return rng.choice(["@", " ", "*", "·", "&nbsp;"]).join(term)
            return term
        if kind < 0.5:
            term = rng.choice(OUTDATED)
            self.planted["outdated_name"] += 1
            return ("原" + term) if rng.random() < 0.3 else term
        if kind < 0.7:
            self.planted["wrong_expression"] += 1
            return rng.choice(WRONG)[0]
        term = rng.choice(TYPOS)[0]
        self.planted["typo"] += 1
        r = rng.random()
        if r < 0.2:
            return term[0] + "\u200b" + term[1:]
        if r < 0.4:
            return f"{term[0]}<span>{term[1:]}</span>"
        return term

    def _paragraph(self) -> str:
        rng = self.rng
        parts = rng.choices(self.sentences, k=rng.randint(2, 6))
        if rng.random() < 0.08:
            parts.insert(rng.randrange(len(parts) + 1), "按照" + self._planted() + "的要求，")
        text = "".join(parts)
        if rng.random() < 0.15:
            cut = rng.randrange(len(text))
            text = f"{text[:cut]}<strong>{text[cut : cut + 8]}</strong>{text[cut + 8 :]}"
        return f'<p style="text-indent:2em">{text}</p>'

    def _table(self) -> str:
        rng = self.rng
        cols = rng.randint(4, 6)
        rows = [
            "<tr>" + "".join(f"<th>{rng.choice(self.words)}</th>" for _ in range(cols)) + "</tr>"
        ]
        for r in range(rng.randint(5, 15)):
            cells = [f"<td>{r + 1}</td>"]
            for _ in range(cols - 1):
                cell = (
                    f"{rng.randint(1, 99999)}"
                    if rng.random() < 0.4
                    else "".join(rng.choices(self.words, k=rng.randint(1, 3)))
                )
                cells.append(f"<td>{cell}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        return '<table class="data" border="1">' + "".join(rows) + "</table>"

    def page(self, n: int) -> bytes:
        rng = self.rng
        title = "".join(rng.choices(self.words, k=rng.randint(4, 8)))
        body_parts = [self._paragraph() for _ in range(rng.randint(10, 40))]
        if rng.random() < 0.6:
            body_parts.insert(rng.randrange(len(body_parts)), self._table())
        article = "\n".join(body_parts)
        if rng.random() < 0.02:  # a page in traditional characters
            article = self.s2t.convert(article)
        nav = "".join(f'<li><a href="/c{i}/">{name}</a></li>' for i, name in enumerate(NAV))
        related = "".join(
            f'<li><a href="/xw/t{n}_{i}.html">{rng.choice(self.sentences)[:24]}</a>'
            f"<span>2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}</span></li>"
            for i in range(10)
        )
        pub = f"20{rng.randint(15, 25)}-0{rng.randint(1, 9)}-{rng.randint(10, 28)}"
        html = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{title}_清溪市人民政府</title>
<meta name="description" content="{rng.choice(self.sentences)}">
<meta name="keywords" content="{",".join(rng.choices(self.words, k=5))}">
<meta name="PubDate" content="{pub} 10:00">
<link rel="stylesheet" href="/css/main.css">
<style>.nav li{{float:left;margin:0 10px}} .data td{{border:1px solid #ccc}}</style>
<script src="/js/jquery.min.js"></script>
<script>var _hmt = _hmt || []; (function() {{ var hm = document.createElement("script");
hm.src = "https://hm.example/hm.js?{n}"; document.body.appendChild(hm); }})();
// 统计代码 法轮功 台湾政府 (never visible)
</script></head>
<body>
<!-- 头部开始 -->
<div class="header"><a href="/"><img src="/images/logo.png" alt="清溪市人民政府"></a>
<div class="search"><input type="hidden" name="siteid" value="国土资源局">
<input type="text" name="q"><input type="submit" value="搜索"></div>
<div class="nav"><ul>{nav}</ul></div></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/xw/">新闻动态</a> &gt; 正文</div>
<div class="article"><h1>{title}</h1>
<div class="info">发布时间：{pub}　来源：清溪市{rng.choice(DEPTS)}　【字体：<a href="#">大</a>
<a href="#">中</a> <a href="#">小</a>】</div>
<div class="TRS_Editor">
{article}
<p style="text-align:center"><img src="./W0{n}.jpg" alt="{title}"></p>
</div></div>
<div class="related"><h3>相关新闻</h3><ul>{related}</ul></div>
<div style="display:none">隐藏的内容 六合彩</div>
<template><p>模板内容</p></template>
<noscript>您的浏览器不支持JavaScript</noscript>
<div class="footer"><p>主办：清溪市人民政府办公室　承办：清溪市大数据中心</p>
<p>网站标识码：3607270001　赣ICP备05001234号　<img src="/images/dzjg.png" alt="党政机关"></p>
</div>
<!-- 尾部结束 -->
</body></html>
"""
        return html.encode("utf-8")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--terms", type=int, default=20000, help="terms in the base (≥ 20,000)")
    ap.add_argument("--mb", type=float, default=50.0, help="MB of HTML to generate")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=1, help="time each measurement N times, best")
    ap.add_argument(
        "--batch",
        type=int,
        default=PAGES_PER_TASK,
        help=f"pages per batch, as the detection worker gets them (default {PAGES_PER_TASK})",
    )
    ap.add_argument(
        "--cpu",
        action="store_true",
        help="time with this process's CPU clock instead of the wall clock (shared machine)",
    )
    args = ap.parse_args(argv)

    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    maker = PageMaker(rng)
    entries = make_terms(args.terms, rng, maker.chars)
    pages: list[bytes] = []
    size = 0
    while size < args.mb * 1e6:
        page = maker.page(len(pages))
        pages.append(page)
        size += len(page)
    print(
        f"setup: {len(entries):,} terms, {len(pages):,} pages, {size / 1e6:.1f} MB HTML "
        f"({time.perf_counter() - t0:.1f} s); planted {dict(maker.planted)}",
        flush=True,
    )
    rss_data = _rss_mb()

    t = time.perf_counter()
    matcher = TermMatcher(entries, allow=["国土资源局长"])
    build_s = time.perf_counter() - t
    rss_matcher = _rss_mb()

    published = date(2024, 6, 1)
    html_mb = size / 1e6
    clock = time.process_time if args.cpu else time.perf_counter

    # (b) first, streaming in batches as the detection worker gets them (parse and read
    # each page of a batch, then search the batch), so that the peak memory is the
    # pipeline's. Per-stage clocks inside the same loop give the split.
    batch = max(1, args.batch)
    best_total = best_parse = best_vis = best_find = float("inf")
    hits_per_page: list[list] = []
    texts: list[str] = []
    for _ in range(args.repeat):
        # The clause cache would make later rounds unfairly fast: the generator reuses
        # sentences far more than a real site (whose repeats are its nav and footer).
        _word_bounds.cache_clear()
        t_parse = t_vis = t_find = 0.0
        hits_per_page = []
        texts = []
        start = clock()
        for first in range(0, len(pages), batch):
            batch_texts = []
            for html in pages[first : first + batch]:
                t0 = clock()
                root = parse_html(html)
                t1 = clock()
                batch_texts.append(visible_text(root).text)
                t2 = clock()
                t_parse += t1 - t0
                t_vis += t2 - t1
            t2 = clock()
            hits_per_page.extend(matcher.find_many([(tx, published) for tx in batch_texts]))
            t_find += clock() - t2
            texts.extend(batch_texts)
        total = clock() - start
        if total < best_total:
            best_total, best_parse, best_vis, best_find = total, t_parse, t_vis, t_find
    rss_pipeline = _rss_mb()

    text_mb = sum(len(tx.encode()) for tx in texts) / 1e6
    normalised = [delete_format(fold(tx)).text for tx in texts]
    norm_mb = sum(len(tx.encode()) for tx in normalised) / 1e6

    def best(fn) -> float:
        times = []
        for _ in range(args.repeat):
            t = clock()
            fn()
            times.append(clock() - t)
        return min(times)

    # (a) the ceiling: one automaton of every normalised term over the normalised text.
    import ahocorasick_rs

    keys = sorted({normalize(e.term, strip_noise=False).text for e in entries})
    raw_ac = ahocorasick_rs.AhoCorasick(
        keys, implementation=ahocorasick_rs.Implementation.ContiguousNFA
    )
    raw_matches = sum(
        len(raw_ac.find_matches_as_indexes(tx, overlapping=True)) for tx in normalised
    )
    raw_s = best(
        lambda: [raw_ac.find_matches_as_indexes(tx, overlapping=True) for tx in normalised]
    )

    norm_s = best(lambda: [detection_copies(tx) for tx in texts])
    digest = hashlib.sha256(
        repr(
            [[(h.entry.term, h.start, h.end, h.matched, h.context) for h in hits]
             for hits in hits_per_page]
        ).encode()
    ).hexdigest()[:16]  # fmt: skip

    short = ["点击查看详情", "政府信息公开指南", "澳门赌场在线", "首页"] * 25000
    t = clock()
    for s in short:
        matcher.find(s)
    short_us = (clock() - t) / len(short) * 1e6

    by_cat: Counter[str] = Counter()
    for hits in hits_per_page:
        for h in hits:
            by_cat[h.entry.category] += 1
    raw_rate = norm_mb / raw_s
    pipe_rate = html_mb / best_total
    pipe_text_rate = text_mb / best_total
    no_parse = best_total - best_parse

    print(f"matcher build: {build_s:.2f} s ({len(entries):,} entries)")
    print(
        f"visible text: {text_mb:.1f} MB ({text_mb / html_mb:.0%} of HTML); "
        f"normalised {norm_mb:.1f} MB"
    )
    print(
        f"(a) raw ahocorasick_rs over normalised text: {raw_rate:6.1f} MB/s of text "
        f"({raw_matches:,} raw matches, {raw_s:.2f} s)"
    )
    print(
        f"(b) pipeline HTML → hits:                    {pipe_rate:6.1f} MB/s of HTML, "
        f"{pipe_text_rate:.1f} MB/s of visible text ({best_total:.2f} s)"
    )
    print(
        f"    without the parse (the crawler parses anyway): {html_mb / no_parse:.1f} MB/s of "
        f"HTML, {text_mb / no_parse:.1f} MB/s of text"
    )
    print(
        f"    ratio (b)/(a): {pipe_rate / raw_rate:.2f} (HTML MB), "
        f"{pipe_text_rate / raw_rate:.2f} (text MB); target ≥ 0.33"
    )
    print(
        f"    split: parse {best_parse:.2f} s ({html_mb / best_parse:.0f} MB/s of HTML), "
        f"visible_text {best_vis:.2f} s ({html_mb / best_vis:.0f} MB/s of HTML), "
        f"find {best_find:.2f} s ({text_mb / best_find:.0f} MB/s of text; of which "
        f"both detection copies {norm_s:.2f} s, {text_mb / norm_s:.0f} MB/s)"
    )
    print(
        f"hits: {sum(by_cat.values()):,} {dict(by_cat)} (digest {digest}); "
        f"find() on short strings: {short_us:.1f} µs/call"
    )
    print(
        f"peak RSS: {rss_pipeline:.0f} MB after the pipeline (generated data {rss_data:.0f} MB, "
        f"+ matcher {rss_matcher - rss_data:.0f} MB); {_rss_mb():.0f} MB at the end"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
