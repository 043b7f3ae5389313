"""A real `streamlit run` server on a loopback port, and waiting for its page: shared by tests/ and bench/.

The server is waited for properly: the `/_stcore/health` endpoint first, then, in
the page, the app's own connection and script-run state (as Streamlit's own
e2e_playwright suite does). No fixed sleeps.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
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
