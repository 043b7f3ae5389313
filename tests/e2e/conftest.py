"""Fixtures for end-to-end tests: a real `streamlit run` server (tools/server.py) and Debian's Chromium.

When Chromium is missing the tests fail with what to install; CI must never skip them silently.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tools.server import CHROMIUM, CHROMIUM_ARGS, READY, ROOT, Server, free_port, open_app, start_server, wait_ready

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "READY", "ROOT", "Server", "free_port", "open_app", "start_server",
           "wait_ready"]


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
