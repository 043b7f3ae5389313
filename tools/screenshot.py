#!/usr/bin/env python3
"""Take a screenshot of a running Streamlit app with headless Chromium.

Usage:
    python tools/screenshot.py URL OUT.png [--width 1920] [--height 1080]
        [--wait-selector CSS ...] [--full-page] [--timeout 60] [--settle-ms 800]

Waits until the Streamlit script has finished running
(``[data-testid="stApp"][data-test-script-state="notRunning"]``, stable for a
moment), then for network idle, web fonts, any ``--wait-selector`` selectors and
for every Plotly chart (``.js-plotly-plot``) to have drawn its SVG.

Streamlit scrolls inside its own container rather than the document, so
``--full-page`` enlarges the viewport to the content height before capturing.

At a width of 640 px or less the browser says it is a phone (an Android Chrome
User-Agent, touch): pages that differ on phones before anything is drawn
(ui.layout.on_phone: 任务明细 starts with its filters closed and draws cards instead of
the table) look as on a phone.
"""

from __future__ import annotations

import argparse
import sys
import time

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

APP_DONE = '[data-testid="stApp"][data-test-script-state="notRunning"]'

PHONE_WIDTH = 640  # up to this width the screenshot is a phone's
# what Chrome on an Android phone sends (Playwright's is_mobile keeps the desktop User-Agent); has "Mobi",
# which ui.layout.on_phone looks for; the phone tests (tests/e2e/test_phone.py) send the same
PHONE_AGENT = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
               "Chrome/131.0.0.0 Mobile Safari/537.36")

# JS: true once every plotly chart on the page has rendered its main SVG.
PLOTLY_READY_JS = """
() => {
  const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
  return plots.every(p => p.querySelector('.main-svg') !== null
                        && p.getBoundingClientRect().height > 0);
}
"""

# JS: height of the tallest scrolling container (Streamlit scrolls in stMain).
CONTENT_HEIGHT_JS = """
() => {
  const sels = ['[data-testid="stMain"]', '[data-testid="stAppViewContainer"]',
                '[data-testid="stSidebarContent"]', 'section.main'];
  let h = Math.max(document.documentElement.scrollHeight,
                   document.body ? document.body.scrollHeight : 0);
  for (const s of sels) {
    for (const el of document.querySelectorAll(s)) {
      h = Math.max(h, el.scrollHeight);
    }
  }
  return h;
}
"""


def log(msg: str) -> None:
    print(f"[screenshot] {msg}", file=sys.stderr)


def wait_app_done(page, timeout_ms: int, stable_ms: int = 600) -> None:
    """Wait for the script to finish and stay finished for ``stable_ms``."""
    deadline = time.monotonic() + timeout_ms / 1000
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    stable_since = None
    while time.monotonic() < deadline:
        done = page.locator(APP_DONE).count() > 0
        if done:
            stable_since = stable_since or time.monotonic()
            if (time.monotonic() - stable_since) * 1000 >= stable_ms:
                return
        else:
            stable_since = None
        page.wait_for_timeout(100)
    raise PlaywrightTimeoutError(f"Streamlit app did not reach notRunning in {timeout_ms} ms")


def settle(page, timeout_ms: int, wait_selectors: list[str], settle_ms: int) -> None:
    wait_app_done(page, timeout_ms)
    try:
        page.wait_for_load_state("networkidle", timeout=min(timeout_ms, 15000))
    except PlaywrightTimeoutError:
        log("network did not become idle; continuing")
    for sel in wait_selectors:
        page.wait_for_selector(sel, state="visible", timeout=timeout_ms)
    try:
        page.evaluate("() => document.fonts ? document.fonts.ready.then(() => true) : true")
    except PlaywrightError:
        pass
    if page.locator(".js-plotly-plot").count() > 0:
        try:
            page.wait_for_function(PLOTLY_READY_JS, timeout=timeout_ms)
        except PlaywrightTimeoutError:
            log("plotly charts not fully drawn before timeout; continuing")
    # Let transitions/animations (plotly, skeletons, toasts) finish.
    page.wait_for_timeout(settle_ms)


def context_options(width: int, height: int, scale: float = 1) -> dict:
    """Return the browser context of a screenshot: a phone's (User-Agent, touch) up to PHONE_WIDTH, else a desktop's."""
    options = {"viewport": {"width": width, "height": height}, "device_scale_factor": scale, "locale": "zh-CN"}
    if width <= PHONE_WIDTH:
        options.update(user_agent=PHONE_AGENT, is_mobile=True, has_touch=True)
    return options


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("url")
    ap.add_argument("out", help="output PNG path")
    ap.add_argument("--width", type=int, default=1920)
    ap.add_argument("--height", type=int, default=1080)
    ap.add_argument("--wait-selector", action="append", default=[],
                    help="CSS selector that must be visible before capture (repeatable)")
    ap.add_argument("--full-page", action="store_true",
                    help="capture the whole scrollable content, not only the viewport")
    ap.add_argument("--timeout", type=float, default=60, help="seconds (default 60)")
    ap.add_argument("--settle-ms", type=int, default=800,
                    help="extra wait after everything is ready (default 800)")
    ap.add_argument("--scale", type=float, default=1, help="device scale factor")
    ap.add_argument("--chromium", default="/usr/bin/chromium", help="Chromium executable")
    args = ap.parse_args(argv)

    timeout_ms = int(args.timeout * 1000)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(**context_options(args.width, args.height, args.scale))
            page = context.new_page()
            page.set_default_timeout(timeout_ms)
            page.goto(args.url, wait_until="domcontentloaded", timeout=timeout_ms)
            settle(page, timeout_ms, args.wait_selector, args.settle_ms)

            if args.full_page:
                content_h = int(page.evaluate(CONTENT_HEIGHT_JS))
                if content_h > args.height:
                    page.set_viewport_size({"width": args.width, "height": content_h})
                    # Charts re-layout on resize; wait for them again.
                    settle(page, timeout_ms, [], args.settle_ms)
                    content_h = int(page.evaluate(CONTENT_HEIGHT_JS))
                    page.set_viewport_size({"width": args.width, "height": max(content_h, args.height)})
                    page.wait_for_timeout(args.settle_ms)

            page.screenshot(path=args.out, full_page=args.full_page)
            exceptions = page.locator('[data-testid="stException"]').count()
            if exceptions:
                log(f"WARNING: page shows {exceptions} st.exception block(s)")
            log(f"saved {args.out}")
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
