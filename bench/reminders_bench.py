"""Benchmark of a 催报 round (not a test): reminders for N units built and sent to local servers, timed.

A local HTTP server answers as a 钉钉 group robot does, a local SMTP server (aiosmtpd) receives
one email per unit; every unit has a reporter account with an email. Prints the median and the
slowest of the rounds: build (texts from the board), send (robot and email), and both.

    .venv/bin/python bench/reminders_bench.py [--units 50] [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import pandas as pd

from loaders.progress.accounts import add_account
from loaders.progress.db import open_database
from loaders.progress.reminders import ReminderSettings, send_round, unit_reminders
from tests.progress.test_reminders import Mailbox, Robot

AS_OF = date(2022, 10, 20)


def board_of(units: int, tasks_per_unit: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return a board where every task is 未报送 and the lead rows of `units` units."""
    ids = [f"t{u}-{k}" for u in range(units) for k in range(tasks_per_unit)]
    board = pd.DataFrame({"task_id": ids, "label": [f"2022年度({i + 1})" for i in range(len(ids))],
                          "content": ["推进重点项目建设，完成年度投资计划" * 2] * len(ids), "status": "not_reported",
                          "overdue_periods": "2022-Q2、2022-Q3"})
    lead = pd.DataFrame({"task_id": ids, "district": "测试区", "unit": [f"单位{u:02d}" for u in range(units)
                                                                      for _ in range(tasks_per_unit)]})
    return board, lead


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    board, lead = board_of(args.units)
    robot, mailbox = Robot(), Mailbox()
    builds, sends = [], []
    try:
        with tempfile.TemporaryDirectory() as folder:
            engine = open_database(f"sqlite:///{Path(folder) / 'progress.sqlite3'}")
            for u in range(args.units):
                add_account(engine, f"u{u:02d}", "correct horse battery", "bench", "测试区", f"单位{u:02d}",
                            email=f"u{u:02d}@example.gov.cn")
            settings = ReminderSettings(dingtalk_webhook=f"{robot.url}/robot/send?access_token=x",
                                        dingtalk_secret="s", smtp_host="127.0.0.1", smtp_port=mailbox.port,
                                        smtp_sender="bench@example.gov.cn")
            for _ in range(args.rounds):
                start = time.perf_counter()
                reminders = unit_reminders(board, lead, AS_OF)
                built = time.perf_counter()
                results = send_round(engine, settings, reminders, "bench")
                sends.append(time.perf_counter() - built)
                builds.append(built - start)
                assert all(r.ok for r in results), [r.detail for r in results if not r.ok]
    finally:
        robot.close()
        mailbox.close()
    totals = [b + s for b, s in zip(builds, sends)]
    print(f"{args.units} units, {args.rounds} rounds: build median {statistics.median(builds):.3f} s, "
          f"send median {statistics.median(sends):.3f} s, round median {statistics.median(totals):.3f} s "
          f"(slowest {max(totals):.3f} s); emails received {len(mailbox.messages)}, robot messages "
          f"{len(robot.received)}")


if __name__ == "__main__":
    main()
