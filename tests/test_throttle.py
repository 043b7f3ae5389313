"""Login throttling: per account and per address, kept in a file, so new sessions and restarts reset nothing."""

from __future__ import annotations

import json

from loaders.security.throttle import LoginThrottle, login_keys


class Clock:
    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_five_failures_lock_the_account_from_any_address_until_the_window_passes(tmp_path):
    clock = Clock()
    throttle = LoginThrottle(tmp_path / "attempts.json", max_failures=5, window=300, clock=clock)
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"):
        assert throttle.wait_seconds(login_keys("管理员", address)) == 0
        throttle.record_failure(login_keys("管理员", address))
        clock.now += 10
    # a sixth address is locked out too: the account counts
    assert throttle.wait_seconds(login_keys("管理员", "10.0.0.6")) == 300 - 50
    clock.now += 250
    assert throttle.wait_seconds(login_keys("管理员", "10.0.0.6")) == 0


def test_one_address_is_locked_for_every_account(tmp_path):
    clock = Clock()
    throttle = LoginThrottle(tmp_path / "attempts.json", clock=clock)
    for number in range(5):
        throttle.record_failure(login_keys(f"账号{number}", "10.0.0.9"))
    assert throttle.wait_seconds(login_keys("另一个账号", "10.0.0.9")) == 300
    assert throttle.wait_seconds(login_keys("另一个账号", "10.0.0.8")) == 0


def test_the_count_survives_a_restart_and_a_right_password_clears_it(tmp_path):
    path = tmp_path / "attempts.json"
    clock = Clock()
    for _ in range(5):
        LoginThrottle(path, clock=clock).record_failure(login_keys("管理员", None))  # a new process each time
    assert LoginThrottle(path, clock=clock).wait_seconds(login_keys("管理员", None)) == 300
    LoginThrottle(path, clock=clock).clear(login_keys("管理员", None))
    assert LoginThrottle(path, clock=clock).wait_seconds(login_keys("管理员", None)) == 0
    assert json.loads(path.read_text("utf-8")) == {}


def test_a_damaged_file_does_not_break_the_login(tmp_path):
    path = tmp_path / "attempts.json"
    path.write_text("{", encoding="utf-8")
    throttle = LoginThrottle(path)
    assert throttle.wait_seconds(login_keys("管理员", None)) == 0
    throttle.record_failure(login_keys("管理员", None))
    assert len(json.loads(path.read_text("utf-8"))["account:管理员"]) == 1
