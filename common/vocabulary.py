"""The words every layer shares about findings: severities, statuses, why a URL failed.

Defined once here; detectors, storage, reports and the app read them from here.
"""

from __future__ import annotations

from typing import Literal

Severity = Literal["veto", "high", "medium", "low"]

# Most severe first; a lower rank is more severe. Unknown severities sort last.
SEVERITIES: tuple[str, ...] = ("veto", "high", "medium", "low")
SEVERITY_RANK: dict[str, int] = {name: rank for rank, name in enumerate(SEVERITIES)}
SEVERITY_NAMES = {"veto": "单项否决", "high": "高", "medium": "中", "low": "低"}


def severity_rank(severity: str | None) -> int:
    """Sort key: 0 for ``veto`` … 3 for ``low``, 9 for anything else."""
    return SEVERITY_RANK.get(severity or "", 9)


def more_severe(a: str, b: str) -> bool:
    """Whether severity ``a`` outranks ``b``."""
    return severity_rank(a) < severity_rank(b)


STATUSES: tuple[str, ...] = ("open", "confirmed", "false_positive", "fixed")
STATUS_NAMES = {
    "open": "待整改",
    "confirmed": "已确认",
    "false_positive": "误报",
    "fixed": "已整改",
}
# Still to be rectified: counted in notices, the weekly report and veto lines.
UNRESOLVED: tuple[str, ...] = ("open", "confirmed")

_ERROR_WORDS = {
    "dns": "域名无法解析",
    "connection_refused": "服务器拒绝连接",
    "connection_reset": "连接被服务器中断",
    "connection": "网络连接失败",
    "too_many_redirects": "重定向次数过多或循环重定向",
    "soft_404": "页面显示“页面不存在”或已删除（软 404）",
    "ssl": "安全证书无效或加密连接失败",
    "too_large": "文件过大（超过下载上限）",
}


def describe_error(error: str, http_status: int | None, timeout_s: float) -> str:
    """Why a URL is unavailable (an error class of ``crawler.errors``, or an HTTP status),
    in the words of a notice."""
    if error == "timeout":
        return f"超过 {timeout_s:g} 秒无响应"
    if error in _ERROR_WORDS:
        return _ERROR_WORDS[error]
    if http_status == 404:
        return "页面不存在（HTTP 404）"
    if http_status == 410:
        return "页面已被删除（HTTP 410）"
    if http_status == 403:
        return "禁止访问（HTTP 403）"
    if http_status is not None and http_status >= 500:
        return f"服务器错误（HTTP {http_status}）"
    if http_status is not None:
        return f"无法正常访问（HTTP {http_status}）"
    return "无法访问"
