"""Server time of a page run, without a browser: every page rendered through Streamlit's AppTest.

    .venv/bin/python bench/page_runs.py              # prints one line per page: median warm and new-state run
    .venv/bin/python bench/page_runs.py --rounds 9

For comparing two versions of the code in one sitting (e.g. before and after a
refactor): run it from each checkout (PYTHONPATH=that checkout) in turn. A *warm*
run is a rerun of a filter state already computed (what most runs of a busy server
are); a *new state* run asks for a year and leader not computed before in the
process (every analysis and figure is made). Times are medians of the rounds, in ms.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

PAGES = ["pages/overview.py", "pages/leaders.py", "pages/units.py", "pages/tasks.py", "pages/targets.py",
         "pages/about.py", "pages/progress.py"]
STATES = [{"year": "2022"}, {"year": "2020"}, {"year": "全部"}, {"year": "2022", "scope": ["民生实事"]},
          {"year": "2022", "scope": ["年度重点工作"]}, {"year": "2020", "scope": ["年度重点工作"]},
          {"year": "2022", "leader": "林杰"}, {"year": "2020", "scope": ["今后五年重点工作"]},
          {"year": "2022", "scope": ["今后五年重点工作"]}, {"year": "全部", "scope": ["民生实事"]}]


def timed_run(app: AppTest) -> float:
    start = time.perf_counter()
    app.run()
    return (time.perf_counter() - start) * 1000


def page_times(root: Path, page: str, rounds: int) -> tuple[float, float]:
    """Return (median warm rerun, median first run of a new filter state) of one page, in ms."""
    warm, new = [], []
    for state in STATES[:rounds]:
        app = AppTest.from_file(str(root / "app.py"), default_timeout=120)
        app.query_params.update(state)
        if page != PAGES[0]:  # the first page of the app opens first: go to this one from there
            app.run()
            app.switch_page(page)
        new.append(timed_run(app))
        warm.append(timed_run(app))
    return statistics.median(warm), statistics.median(new)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=len(STATES), help="filter states per page (at most 10)")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the checkout whose app.py to run")
    args = parser.parse_args()
    for page in PAGES:
        warm, new = page_times(args.root, page, min(args.rounds, len(STATES)))
        print(f"{page:22} warm {warm:7.1f} ms   new state {new:7.1f} ms")


if __name__ == "__main__":
    main()
