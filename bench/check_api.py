"""Benchmark of ``POST /api/check``: what a CMS waits for when it checks a draft on save.

A typical article of about 10 KB of HTML (a headline, two dozen paragraphs of
government prose, a small table, one typo and one unmasked mobile number planted),
links not checked, posted as JSON with a bearer token to the review app:

(a) **in-process**: the ASGI app called through httpx's ``ASGITransport`` (no socket):
    the app's own time, token look-up and check included;
(b) **socket**: the same app under uvicorn on 127.0.0.1, one keep-alive client, as a
    CMS on the same host would call it.

The first requests (word lists loading, once per worker process) are warm-up, not
measured. Prints p50, p95 and max in milliseconds. It is not a test::

    .venv/bin/python bench/check_api.py                # 300 requests each way
    .venv/bin/python bench/check_api.py --requests 1000
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from govwatch.web import create_app
from storage.db import open_database
from storage.users import add_user, issue_token

PARAGRAPHS = [
    "为深入贯彻落实党中央、国务院关于安全生产工作的决策部署，进一步压实各方责任，"
    "切实防范和遏制重特大事故发生，保障人民群众生命财产安全，现就做好今冬明春安全生产工作通知如下。",
    "各乡镇、各部门要坚持人民至上、生命至上，把安全生产摆在更加突出的位置，"
    "主要负责同志要亲自研究、亲自部署、亲自督办，层层压实责任。",
    "要聚焦道路交通、消防、燃气、建筑施工、危险化学品等重点行业领域，"
    "全面开展隐患排查整治，建立问题清单、责任清单和整改清单，实行闭环管理。",
    "要加强值班值守和信息报送，严格执行领导带班和24小时值班制度，"
    "遇有突发情况第一时间报告、第一时间处置，不得迟报、漏报、谎报、瞒报。",
]


def article() -> str:
    """About 10 KB of HTML, one typo (布署) and one mobile number planted."""
    body = ["<h1>关于做好今冬明春安全生产工作的通知</h1>", "<p>各乡镇人民政府，县直各单位：</p>"]
    for i in range(11):
        for text in PARAGRAPHS:
            body.append(f"<p>{text}</p>")
        if i == 2:
            body.append("<p>请各单位于12月底前将工作进展情况报县应急管理局，进一步布署落实。</p>")
    body.append(
        "<table><tr><th>单位</th><th>联系人</th><th>电话</th></tr>"
        "<tr><td>县应急管理局</td><td>张某</td><td>13807971234</td></tr>"
        "<tr><td>县消防救援大队</td><td>李某</td><td>0797-3512119</td></tr></table>"
    )
    body.append("<p>龙南县人民政府办公室</p><p>2024年11月20日</p>")
    return "\n".join(body)


def _percentiles(samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, round(0.95 * len(samples)) - 1)]
    return (
        f"p50 {statistics.median(samples):6.1f} ms   p95 {p95:6.1f} ms   "
        f"max {samples[-1]:6.1f} ms   ({len(samples)} requests)"
    )


def _setup(directory: Path) -> tuple[str, str]:
    url = f"sqlite:///{directory / 'govwatch.db'}"
    db = open_database(url)
    with db.session() as session:
        add_user(session, "cms", "operator", None, password="bench-password-1")
        token = issue_token(session, "cms")
    db.dispose()
    return url, token


async def _in_process(app, token: str, body: dict, requests: int, warmup: int) -> list[float]:
    transport = httpx.ASGITransport(app=app)
    headers = {"Authorization": f"Bearer {token}"}
    times = []
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for i in range(warmup + requests):
            started = time.perf_counter()
            response = await client.post("/api/check", json=body, headers=headers)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, response.text
            if i == 0:
                found = [(f["detector"], f["location"]) for f in response.json()["findings"]]
                print(f"findings: {found}")
            if i >= warmup:
                times.append(elapsed)
    return times


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _over_socket(app, token: str, body: dict, requests: int, warmup: int) -> list[float]:
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    times = []
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", trust_env=False) as client:
            headers = {"Authorization": f"Bearer {token}"}
            for i in range(warmup + requests):
                started = time.perf_counter()
                response = client.post("/api/check", json=body, headers=headers)
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, response.text
                if i >= warmup:
                    times.append(elapsed)
    finally:
        server.should_exit = True
        thread.join(10)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("GOVWATCH_TODAY", "2024-11-25")
    html = article()
    body = {"html": html, "title": "关于做好今冬明春安全生产工作的通知"}
    with tempfile.TemporaryDirectory() as directory:
        url, token = _setup(Path(directory))
        app = create_app(url, secret_key="b" * 48)
        print(f"article: {len(html.encode()):,} bytes of HTML, links not checked")
        times = asyncio.run(_in_process(app, token, body, args.requests, args.warmup))
        print(f"in-process (ASGI): {_percentiles(times)}")
        times = _over_socket(app, token, body, args.requests, args.warmup)
        print(f"uvicorn socket:    {_percentiles(times)}")


if __name__ == "__main__":
    main()
