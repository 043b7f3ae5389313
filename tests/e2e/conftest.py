"""Fixtures for end-to-end tests: a real `streamlit run` server and Debian's Chromium.

The server is started on a free loopback port and waited for properly: the
`/_stcore/health` endpoint first, then, in the page, the app's own connection
and script-run state (as Streamlit's own e2e_playwright suite does). No fixed
sleeps. When Chromium is missing the tests fail with what to install; CI must
never skip them silently.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
READY = '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]'


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A `streamlit run app.py` process on a loopback port."""

    def __init__(self, env: dict[str, str] | None = None, options: list[str] | None = None,
                 script: str = "app.py", port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = ROOT / ".pytest_cache" / f"streamlit-{self.port}.log"
        self.log.parent.mkdir(exist_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false", *(options or [])],
            cwd=ROOT, env={**os.environ, **(env or {})}, stdout=self.log.open("w"), stderr=subprocess.STDOUT)

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited early; see {self.log}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise TimeoutError(f"streamlit not healthy after {timeout}s; see {self.log}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_server(env: dict[str, str] | None = None, options: list[str] | None = None,
                 port: int | None = None) -> Server:
    server = Server(env, options, port=port)
    server.wait_healthy()
    return server


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium; a clear failure (never a skip) when it is missing."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium not found at {CHROMIUM}. Install it with "
                    "`apt-get install -y chromium fonts-noto-cjk` (bash scripts/test.sh does this as root), "
                    "or set CHROMIUM to its path.")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path):
    """One headless Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def server():
    """A dashboard server shared by the tests that do not need a fresh one."""
    running = start_server()
    yield running
    running.stop()


@pytest.fixture
def fresh_server():
    """A dashboard server that no session has opened yet (for deep links)."""
    running = start_server()
    yield running
    running.stop()


@pytest.fixture
def page(browser):
    """A new browser page (own session) at 1920×1080, accepting downloads."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, accept_downloads=True,
                                  locale="zh-CN")
    tab = context.new_page()
    yield tab
    context.close()


def wait_ready(page, timeout: float = 60_000) -> None:
    """Wait until the app is connected and its script has finished running."""
    page.wait_for_selector(READY, timeout=timeout)
    # a rerun may start right after the first run (URL state, callbacks); wait it out too
    page.wait_for_function(
        """sel => new Promise(resolve => {
            let stable = 0;
            const tick = () => {
                stable = document.querySelector(sel) ? stable + 1 : 0;
                if (stable >= 5) resolve(true); else setTimeout(tick, 100);
            };
            tick();
        })""", arg=READY, timeout=timeout)


def open_app(page, server: Server, path: str = "") -> None:
    page.goto(f"{server.url}/{path}")
    wait_ready(page)
