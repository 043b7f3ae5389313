"""Limiting admin login attempts per account and per client address, across sessions and server restarts.

    throttle = LoginThrottle(data/.login_attempts.json)
    throttle.wait_seconds(keys)      → 0, or how long until the next attempt is allowed
    throttle.record_failure(keys)    a wrong password counts against every key (account, address)
    throttle.clear(keys)             a right password clears them

A key may make MAX_FAILURES wrong attempts within WINDOW_SECONDS; then it waits
until the oldest of those leaves the window. The attempts are kept in a small JSON
file (written atomically, under a file lock) so reloading the page, opening a new
browser or restarting the server resets nothing. When the progress database
exists this class is the one place to change: the callers only use these methods.
"""

from __future__ import annotations

import json
import math
import os
import time
import uuid
from pathlib import Path

from filelock import FileLock

MAX_FAILURES = 5
WINDOW_SECONDS = 300
ATTEMPTS_FILE = ".login_attempts.json"  # next to data/curated/


class LoginThrottle:
    """Failed login attempts by key ("account:…", "address:…"), kept in a file."""

    def __init__(self, path: Path, max_failures: int = MAX_FAILURES, window: float = WINDOW_SECONDS,
                 clock=time.time):
        self.path, self.max_failures, self.window, self.clock = Path(path), max_failures, window, clock

    def wait_seconds(self, keys: list[str]) -> int:
        """Return how many seconds until any of the keys may try again (0: now)."""
        now = self.clock()
        failures = self._read()
        waits = [0.0]
        for key in keys:
            recent = sorted(t for t in failures.get(key, []) if now - t < self.window)
            if len(recent) >= self.max_failures:
                waits.append(recent[-self.max_failures] + self.window - now)
        return math.ceil(max(waits))

    def record_failure(self, keys: list[str]) -> None:
        """Count a wrong password against every key."""
        with self._lock():
            failures = self._read()
            now = self.clock()
            for key in keys:
                failures[key] = failures.get(key, []) + [now]
            self._write(failures, now)

    def clear(self, keys: list[str]) -> None:
        """Forget the failures of the keys (after a right password)."""
        with self._lock():
            failures = self._read()
            for key in keys:
                failures.pop(key, None)
            self._write(failures, self.clock())

    def _lock(self) -> FileLock:
        return FileLock(str(self.path) + ".lock", timeout=10)

    def _read(self) -> dict[str, list[float]]:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except FileNotFoundError:
            return {}
        except (ValueError, UnicodeDecodeError):
            return {}  # a damaged file: start counting again (written atomically, so only by hand)
        return {str(k): [float(t) for t in v if isinstance(t, (int, float))]
                for k, v in data.items() if isinstance(v, list)} if isinstance(data, dict) else {}

    def _write(self, failures: dict[str, list[float]], now: float) -> None:
        kept = {key: [t for t in times if now - t < self.window][-self.max_failures * 4:]
                for key, times in failures.items()}
        kept = {key: times for key, times in kept.items() if times}
        temporary = self.path.with_name(f"{self.path.name}.tmp-{uuid.uuid4().hex[:8]}")
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(kept, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.path)


def login_keys(account: str, address: str | None) -> list[str]:
    """Return the keys a login attempt counts against: the account and the client address."""
    return [f"account:{account}", f"address:{address or 'local'}"]
