"""tools/screenshot.py: a screenshot at phone width is taken as a phone (what ui.layout.on_phone recognises)."""

from __future__ import annotations

from tools.screenshot import PHONE_WIDTH, context_options


def test_phone_widths_send_a_phone_user_agent_and_desktop_widths_do_not():
    phone = context_options(390, 844)
    assert "Mobi" in phone["user_agent"] and "Android" in phone["user_agent"]  # ui.layout.on_phone looks for "Mobi"
    assert phone["is_mobile"] and phone["has_touch"] and phone["viewport"] == {"width": 390, "height": 844}
    assert "user_agent" in context_options(PHONE_WIDTH, 900)
    for width in (PHONE_WIDTH + 1, 1366, 1920):
        desktop = context_options(width, 768, 2)
        assert "user_agent" not in desktop and "is_mobile" not in desktop and desktop["device_scale_factor"] == 2
