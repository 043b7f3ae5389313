"""Benchmark: bytes a first visit transfers, straight from Streamlit and through nginx with deploy/gzip.conf.

    .venv/bin/python bench/transfer.py          # needs nginx (Debian: apt-get install nginx-light)

Each visit is a new browser context (an empty cache), as a first visit is. Counted:
every HTTP response as transferred (headers + body as sent, i.e. compressed when it
was) and the WebSocket frames the page receives. nginx runs unprivileged on a free
loopback port with the same `include deploy/gzip.conf` as the README's server block.
A benchmark, not a test: it measures and prints.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.run import BENCH_CHROMIUM_ARGS
from tools.server import CHROMIUM, READY, Server, free_port

ROOT = Path(__file__).resolve().parents[1]

NGINX_CONF = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        include {root}/deploy/gzip.conf;
        location / {{
            proxy_pass http://127.0.0.1:{upstream};
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_set_header Host $host;
            proxy_read_timeout 86400;
        }}
    }}
}}
"""
PAGES = ["", "leaders"]


async def visit(browser, url: str) -> dict:
    context = await browser.new_context(viewport={"width": 1920, "height": 1080})
    page = await context.new_page()
    finished: list = []
    page.on("requestfinished", lambda request: finished.append(request))
    frames = [0]
    page.on("websocket", lambda ws: ws.on("framereceived",
                                          lambda payload: frames.__setitem__(0, frames[0] + len(payload))))
    await page.goto(url)
    await page.wait_for_selector(READY, timeout=120_000)
    await page.wait_for_selector(".js-plotly-plot .main-svg", timeout=120_000)
    http = body = 0
    largest = (0, "")
    for request in finished:
        sizes = await request.sizes()
        http += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        body += sizes["responseBodySize"]
        largest = max(largest, (sizes["responseBodySize"], request.url.rsplit("/", 1)[-1]))
    await context.close()
    return {"http_bytes": http, "ws_bytes": frames[0], "requests": len(finished),
            "largest_file": largest[1], "largest_file_bytes": largest[0]}


async def measure(direct: str, proxied: str) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=BENCH_CHROMIUM_ARGS)
        results = {}
        for path in PAGES:
            await visit(browser, f"{direct}/{path}")  # warm the server's caches
            results[path or "overview"] = {"streamlit": await visit(browser, f"{direct}/{path}"),
                                           "nginx_gzip": await visit(browser, f"{proxied}/{path}")}
        await browser.close()
    return results


def main() -> int:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        print("nginx is missing: apt-get install nginx-light", file=sys.stderr)
        return 1
    server = Server()
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        conf = Path(tmp) / "nginx.conf"
        conf.write_text(NGINX_CONF.format(tmp=tmp, port=port, root=ROOT, upstream=server.port), encoding="utf-8")
        proxy = subprocess.Popen([nginx, "-c", str(conf), "-p", tmp, "-g", "daemon off;"])
        try:
            server.wait_healthy()
            results = asyncio.run(measure(server.url, f"http://127.0.0.1:{port}"))
        finally:
            proxy.terminate(), proxy.wait(timeout=10), server.stop()
    out = ROOT / "bench" / "transfer.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print("| 页面 | 直连 Streamlit（MB） | 经 nginx gzip（MB） | 其中 WebSocket（KB） | 最大文件（直连 → gzip，MB） |")
    print("| --- | ---: | ---: | ---: | --- |")
    for page, figures in results.items():
        direct, gzip = figures["streamlit"], figures["nginx_gzip"]
        print(f"| {page} | {direct['http_bytes'] / 1e6:.2f} | {gzip['http_bytes'] / 1e6:.2f} | "
              f"{gzip['ws_bytes'] / 1e3:.0f} | {direct['largest_file']} {direct['largest_file_bytes'] / 1e6:.2f} → "
              f"{gzip['largest_file_bytes'] / 1e6:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
