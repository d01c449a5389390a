"""govwatch installs on a machine without a C compiler, and works there.

The package is pure Python (the Cython modules were measured and removed, see
``bench/README.md``), so ``pip wheel`` with ``CC``/``CXX`` set to ``/bin/false`` (any
compiler call fails) must build a ``py3-none-any`` wheel, and that wheel, installed on
its own with ``--target`` (dependencies from this venv, nothing downloaded), must read
pages and make detection copies exactly as the source tree does."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from detectors.page import parse_html
from detectors.page_text import visible_text
from detectors.terms.normalize import detection_copies

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]
NOT_SOURCE = (
    ".git", ".venv", "build", "dist", "out", "*.egg-info", "__pycache__", "*.so", "*.c",
    ".pytest_cache", ".ruff_cache", "bench", "tests", "*.db",
)  # fmt: skip

PAGE = (
    "<html><head><title> 关于 印发 的通知 </title>"
    "<meta name='description' content='清溪市 政府'></head><body>"
    "<div>布<span>署</span>工作</div><p style='display:none'>隐藏</p>"
    "<img alt=' 图 片 '><table><tr><td>一</td><td>二</td></tr></table>"
    "<input type=submit value='搜 索'><script>法轮</script></body></html>"
)
TEXTS = ["法@轮\u200b功", "貫徹落實ＡＢＣ１２３", "依法。轮流", "&nbsp;台&nbsp;独", "İstanbul Σ"]

PROBE = """
import json, sys
from detectors.page import parse_html
from detectors.page_text import visible_text
from detectors.terms.normalize import detection_copies
import detectors, govwatch.cli  # the command line imports too

page, texts = json.loads(sys.stdin.read())
text = visible_text(parse_html(page.encode()))
copies = []
for t in texts:
    plain, stripped = detection_copies(t)
    copies.append([[c.text, [c.position(i) for i in range(len(c.text))]]
                   for c in (plain, stripped)])
print(json.dumps({
    "file": detectors.__file__,
    "text": [text.text, [list(s) for s in text.segments]],
    "copies": copies,
}, ensure_ascii=False))
"""


def _expected() -> dict:
    text = visible_text(parse_html(PAGE.encode()))
    copies = []
    for t in TEXTS:
        plain, stripped = detection_copies(t)
        assert plain is not None and stripped is not None
        copies.append(
            [[c.text, [c.position(i) for i in range(len(c.text))]] for c in (plain, stripped)]
        )
    return {"text": [text.text, [list(s) for s in text.segments]], "copies": copies}


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False, **kw)
    assert proc.returncode == 0, f"{cmd}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def test_a_compiler_less_install_builds_and_works(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    env = {
        **os.environ,
        "CC": "/bin/false",
        "CXX": "/bin/false",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    wheels = tmp_path / "wheels"
    pip = [sys.executable, "-m", "pip"]
    _run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(wheels), "."],
        cwd=src,
        env=env,
    )
    [wheel] = wheels.glob("govwatch-*.whl")
    assert wheel.name.endswith("-py3-none-any.whl"), wheel.name

    target = tmp_path / "site"
    _run([*pip, "install", "--no-deps", "--no-index", "--target", str(target), str(wheel)], env=env)
    assert not list(target.rglob("*.so"))
    assert (target / "wordlists" / "typo.yaml").is_file()  # package data came along

    probe = _run(
        [sys.executable, "-c", PROBE],
        input=json.dumps([PAGE, TEXTS]),
        cwd=tmp_path,  # not the source tree: the installed copy must be the one imported
        env={**env, "PYTHONPATH": str(target)},
    )
    got = json.loads(probe.stdout)
    assert Path(got.pop("file")).is_relative_to(target)
    assert got == _expected()
    assert "扩展" not in probe.stderr  # no warning about a missing extension
