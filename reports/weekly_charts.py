"""The weekly report's charts (matplotlib): SVG for HTML and PDF, PNG for Word.

Text is drawn as paths (``svg.fonttype = path``), so the SVG shows Chinese
correctly whatever fonts the reader has; the ids are salted with a constant and
dates left out, so the same data gives the same bytes.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib import pyplot as plt

from reports.weekly import WeeklyReport

CJK_FONTS = [
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
]
NEW, FIXED, OPEN, VETO, OTHER = "#c0392b", "#27ae60", "#1f3f8f", "#c0392b", "#7f8c8d"


def _style() -> None:
    installed = {f.name for f in font_manager.fontManager.ttflist}
    fonts = [name for name in CJK_FONTS if name in installed]
    plt.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [*fonts, "DejaVu Sans"],
            "axes.unicode_minus": False,
            "svg.fonttype": "path",
            "svg.hashsalt": "govwatch",
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )


def trend_chart(report: WeeklyReport):
    """New and fixed per week (bars), problems open at each week's end (line)."""
    _style()
    labels = [f"{w.end.month}/{w.end.day}" for w in report.trend]
    x = list(range(len(labels)))
    fig, ax = plt.subplots(figsize=(6.6, 2.7))
    new = [w.new + w.reopened for w in report.trend]
    fixed = [w.fixed for w in report.trend]
    ax.bar([i - 0.2 for i in x], new, width=0.4, color=NEW, label="新发现（含再次出现）")
    ax.bar([i + 0.2 for i in x], fixed, width=0.4, color=FIXED, label="已整改")
    ax.plot(x, [w.open_at_end for w in report.trend], color=OPEN, marker="o", label="周末待整改")
    for i, w in enumerate(report.trend):
        ax.annotate(
            str(w.open_at_end),
            (i, w.open_at_end),
            textcoords="offset points",
            xytext=(0, 5),
            ha="center",
            color=OPEN,
            fontsize=8,
        )
    ax.set_xticks(x, labels)
    ax.set_xlabel("周（截止日期）")
    ax.set_ylabel("问题数")
    top = max([*new, *fixed, *(w.open_at_end for w in report.trend), 1])
    ax.set_ylim(0, top * 1.25)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="upper left", ncols=3, frameon=False, fontsize=8)
    fig.tight_layout()
    return fig


def units_chart(report: WeeklyReport):
    """Open problems per unit, single-veto ones highlighted."""
    _style()
    units = [u for u in report.units if u.open][::-1] or report.units[::-1]
    height = max(1.6, 0.42 * len(units) + 0.8)
    fig, ax = plt.subplots(figsize=(6.6, height))
    names = [u.unit for u in units]
    veto = [u.veto for u in units]
    other = [u.open - u.veto for u in units]
    ax.barh(names, veto, color=VETO, label="单项否决")
    ax.barh(names, other, left=veto, color=OTHER, label="其他问题")
    for i, u in enumerate(units):
        ax.annotate(
            str(u.open), (u.open, i), textcoords="offset points", xytext=(4, -3), fontsize=8
        )
    ax.set_xlabel("待整改问题数")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlim(0, max([u.open for u in units] + [1]) * 1.15)
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    fig.tight_layout()
    return fig


CHARTS: dict[str, Callable] = {"trend": trend_chart, "units": units_chart}


def chart_svg(report: WeeklyReport, name: str) -> str:
    fig = CHARTS[name](report)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    return buffer.getvalue()


def chart_data_uri(report: WeeklyReport, name: str) -> str:
    """The SVG as a ``data:`` URI for an ``<img>``: each chart keeps its own ids and
    styles, which two inline SVGs in one page would share and clash on."""
    encoded = base64.b64encode(chart_svg(report, name).encode("utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"


def chart_png(report: WeeklyReport, name: str, dpi: int = 200) -> bytes:
    fig = CHARTS[name](report)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()
