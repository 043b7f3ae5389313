"""Capacity: concurrent sessions driven over Streamlit's own WebSocket protocol, without a browser.

    .venv/bin/python bench/load.py                 # ×1 and ×100; 10, 50, 200 sessions; 60 s each
    .venv/bin/python bench/load.py --quick         # smoke run: ×1, 5 sessions, 15 s
    .venv/bin/python bench/load.py --scales 100 --sessions 200 --duration 120
    .venv/bin/python bench/load.py --floor --replicas 2   # and the one-chart floor page; two server processes
    .venv/bin/python bench/load.py --report bench/out/load.json   # the tables of an earlier run

Each simulated session does what a browser tab does on the wire, and nothing it
draws: it opens `/_stcore/stream` (subprotocol "streamlit"), sends the BackMsg
`rerun_script` with the page's name and query string (as the frontend does on a
new tab), reads every ForwardMsg until `script_finished`, then every 3–5 s
(jittered) changes the filter people change on that page — a new value for the
page's selectbox, sent as a widget state with the page script hash the server
named, like a click in the browser — and times the interval from sending that
rerun to `script_finished`. It keeps the frontend's message cache (hashes of
cacheable messages sent back, expired after `maxCachedMessageAge` runs), so the
server does the work it does for real tabs. Pages and filters:

    总览 (year) · 领导分工 (leader, sidebar) · 单位负荷 (year) · 任务明细 (责任单位)

With several districts in the data (×100 = 100 districts) each session opens its
own district (`?district=…`), as the staff of a city's districts would.

The server is a fresh `streamlit run app.py` per phase, in its own process
(`--replicas N`: N processes, each session kept on one of them in turn, as nginx's
sticky sessions would); the clients run in one asyncio process (or `--clients N`).
`--floor` measures, in each phase and the same way, a page with one selectbox and
one chart (bench/floor_load_page.py): what Streamlit itself costs per run. Reported: p50/p95 of filter
change → script finished (all pages and per page), the time to open a page,
errors and timeouts, server CPU seconds and cores used, server peak RSS (VmHWM),
the clients' own CPU, and the machine's load average before and after. Written
to bench/out/load.json and bench/out/load.md. A benchmark: it measures, it does
not assert (tests/test_load_protocol.py checks that the client sees real pages).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from bench.run import cpu_seconds, percentile as run_percentile

ROOT = Path(__file__).resolve().parents[1]

OUT = ROOT / "bench" / "out"
FINISHED = ForwardMsg.ScriptFinishedStatus


@dataclass(frozen=True)
class PageFilter:
    """A page (URL path) and the label of the selectbox people change on it."""

    path: str
    title: str
    widget: str


PAGES = (PageFilter("", "总览", "年度"), PageFilter("leaders", "领导分工", "牵头领导"),
         PageFilter("units", "单位负荷", "年度"), PageFilter("tasks", "任务明细", "责任单位"))
# the reference measured in the same run: one selectbox and one chart (bench/floor_load_page.py)
FLOOR = PageFilter("", "底线页", "年度")
FLOOR_SCRIPT = "bench/floor_load_page.py"


class ProtocolError(RuntimeError):
    """The server answered, but not with a finished page (an exception, a compile error, no widget)."""


@dataclass
class Selectbox:
    id: str
    options: list[str]
    value: str | None


@dataclass
class Run:
    """What one script run sent: its elements' texts, selectboxes and exceptions."""

    seconds: float = 0.0
    messages: int = 0
    bytes: int = 0
    headings: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    selectboxes: dict[str, Selectbox] = field(default_factory=dict)
    exceptions: list[str] = field(default_factory=list)


class MessageCache:
    """The frontend's ForwardMsg cache (ForwardMsgCache.ts): hash → message, aged per script run."""

    def __init__(self) -> None:
        self.messages: dict[str, tuple[ForwardMsg, int]] = {}
        self.runs = 0
        self.max_age = 2

    def process(self, msg: ForwardMsg) -> ForwardMsg:
        if msg.WhichOneof("type") == "ref_hash":
            cached, _ = self.messages[msg.ref_hash]  # KeyError: the server referred to a message we never had
            self.messages[msg.ref_hash] = (cached, self.runs)
            return cached
        if msg.metadata.cacheable and msg.hash:
            self.messages[msg.hash] = (msg, self.runs)
        return msg

    def finished_run(self) -> None:
        self.runs += 1
        self.messages = {h: (m, seen) for h, (m, seen) in self.messages.items() if self.runs - seen <= self.max_age}

    def hashes(self) -> list[str]:
        return list(self.messages)


class Session:
    """One browser tab on the wire: a WebSocket, the page's query string, widget states and message cache."""

    def __init__(self, base_url: str, page: PageFilter, query: dict[str, str] | None = None,
                 timeout: float = 60.0) -> None:
        self.ws_url = base_url.replace("http", "ws", 1) + "/_stcore/stream"
        self.page = page
        self.query = dict(query or {})
        self.timeout = timeout
        self.page_script_hash = ""
        self.widget_states: dict[str, WidgetState] = {}
        self.cache = MessageCache()
        self.last: Run | None = None
        self.query_param_keys: dict[str, str] = {}  # widget label → the URL parameter it is bound to
        self.ws = None

    async def open(self) -> Run:
        """Connect and run the page as a new tab does; return the first run."""
        self.ws = await asyncio.wait_for(
            websockets.connect(self.ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=self.timeout,
                               ping_interval=None),  # browsers send no pings; a busy server answers late
            self.timeout)
        start = time.perf_counter()
        run = await self._rerun(page_name=self.page.path, start=start)
        return run

    async def change_filter(self, rng: random.Random) -> tuple[Run, str]:
        """Pick another value of the page's filter, rerun as the widget would, and return the run and the value."""
        box = self.last.selectboxes.get(self.page.widget) if self.last else None
        if box is None:
            raise ProtocolError(f"{self.page.title}: no selectbox labelled {self.page.widget}")
        current = self.value(self.page.widget)
        choices = [o for o in box.options if o != current] or box.options
        return await self.set_selectbox(self.page.widget, rng.choice(choices)), current

    def value(self, label: str) -> str | None:
        """Return what a selectbox shows: the value this tab chose, else what the server sent."""
        box = self.last.selectboxes[label]
        state = self.widget_states.get(box.id)
        return state.string_value if state is not None else box.value

    async def set_selectbox(self, label: str, value: str) -> Run:
        box = self.last.selectboxes[label]
        self.widget_states[box.id] = WidgetState(id=box.id, string_value=value)
        key = self.query_param_keys.get(label)
        if key:  # a bound widget writes its value into the URL; the next rerun carries it
            self.query[key] = value
        return await self._rerun()

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def _rerun(self, page_name: str = "", start: float | None = None) -> Run:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = urlencode(self.query)
        if self.page_script_hash:
            state.page_script_hash = self.page_script_hash
        else:
            state.page_name = page_name
        state.widget_states.widgets.extend(self.widget_states.values())
        state.cached_message_hashes.extend(self.cache.hashes())
        state.context_info.timezone = "Asia/Shanghai"
        state.context_info.locale = "zh-CN"
        start = time.perf_counter() if start is None else start
        await self.ws.send(msg.SerializeToString())
        run = await asyncio.wait_for(self._read_run(), self.timeout)
        run.seconds = time.perf_counter() - start
        self.last = run
        # the frontend forgets the states of widgets that are no longer on the page
        ids = {box.id for box in run.selectboxes.values()}
        self.widget_states = {i: s for i, s in self.widget_states.items() if i in ids}
        if run.exceptions:
            raise ProtocolError(f"{self.page.title}: {run.exceptions[0]}")
        return run

    async def _read_run(self) -> Run:
        run = Run()
        async for raw in self.ws:
            run.messages += 1
            run.bytes += len(raw)
            msg = self.cache.process(ForwardMsg.FromString(raw))
            kind = msg.WhichOneof("type")
            if kind == "delta":
                self._read_delta(msg, run)
            elif kind == "new_session":
                self.page_script_hash = msg.new_session.page_script_hash
                self.cache.max_age = msg.new_session.config.max_cached_message_age or self.cache.max_age
            elif kind == "navigation":
                self.page_script_hash = msg.navigation.page_script_hash or self.page_script_hash
            elif kind == "page_info_changed":
                self.query = dict(parse_qsl(msg.page_info_changed.query_string, keep_blank_values=True))
            elif kind == "script_finished":
                if msg.script_finished == FINISHED.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                    continue
                self.cache.finished_run()
                if msg.script_finished == FINISHED.FINISHED_WITH_COMPILE_ERROR:
                    raise ProtocolError(f"{self.page.title}: compile error")
                if msg.script_finished == FINISHED.FINISHED_SUCCESSFULLY:
                    return run
                # FINISHED_EARLY_FOR_RERUN: st.rerun(); the next run follows on the same socket and
                # replaces what this one drew (the bytes and the time still count)
                run = Run(messages=run.messages, bytes=run.bytes)
        raise ConnectionError("the server closed the WebSocket")

    def _read_delta(self, msg: ForwardMsg, run: Run) -> None:
        delta = msg.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "heading":
            run.headings.append(element.heading.body)
        elif kind == "text":
            run.texts.append(element.text.body)
        elif kind == "exception":
            run.exceptions.append(f"{element.exception.type}: {element.exception.message}")
        elif kind == "selectbox":
            box = element.selectbox
            if box.HasField("raw_value"):
                value = box.raw_value
            elif box.HasField("default") and box.options:
                value = box.options[box.default]
            else:
                value = None
            run.selectboxes[box.label] = Selectbox(box.id, list(box.options), value)
            if box.HasField("query_param_key") and box.query_param_key:
                self.query_param_keys[box.label] = box.query_param_key


# ---------------------------------------------------------------- one client process


@dataclass(frozen=True)
class Plan:
    sessions: list[tuple[str, PageFilter, dict[str, str]]]  # (server URL, page, initial query) per session
    duration: float
    interval: tuple[float, float]
    ramp: float
    timeout: float
    seed: int


async def _one_session(plan: Plan, index: int, records: dict, deadline: float) -> None:
    base_url, page, query = plan.sessions[index]
    path = page.title
    rng = random.Random(plan.seed * 100_003 + index)
    await asyncio.sleep(rng.uniform(0, plan.ramp))  # people arrive over the first seconds, not in one instant
    session = Session(base_url, page, query, plan.timeout)
    try:
        try:
            run = await session.open()
            records["open"].append((path, run.seconds))
        except (asyncio.TimeoutError, TimeoutError):
            records["timeouts"].append((path, "open"))
            return
        while True:
            await asyncio.sleep(rng.uniform(*plan.interval))
            if time.monotonic() >= deadline:
                return
            try:
                run, _ = await session.change_filter(rng)
            except (asyncio.TimeoutError, TimeoutError):
                records["timeouts"].append((path, "change"))
                return  # a tab whose rerun hangs is reloaded by its user: this session ends
            records["change"].append((path, run.seconds, time.monotonic()))
    except (ProtocolError, ConnectionError, OSError, websockets.WebSocketException, KeyError) as error:
        records["errors"].append((path, f"{type(error).__name__}: {error}"[:300]))
    finally:
        try:
            await session.close()
        except Exception:  # closing a broken socket: nothing left to measure
            pass


async def _drive(plan: Plan) -> dict:
    records: dict[str, list] = {"open": [], "change": [], "errors": [], "timeouts": []}
    deadline = time.monotonic() + plan.ramp + plan.duration
    await asyncio.gather(*[_one_session(plan, i, records, deadline) for i in range(len(plan.sessions))])
    return records


def drive(plan: Plan) -> dict:
    """Run the sessions of a plan in this process (asyncio); return the records and this process's CPU."""
    before = os.times()
    records = asyncio.run(_drive(plan))
    after = os.times()
    records["client_cpu_s"] = (after.user - before.user) + (after.system - before.system)
    return records


# ---------------------------------------------------------------- the server and a phase


def proc_status_mb(pid: int, name: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def percentile(values: list[float], q: float) -> float | None:
    """bench/run.py's percentile to the millisecond; None for no values (a phase where nothing finished)."""
    return round(run_percentile(values, q), 3) if values else None


def uptime() -> str:
    load = os.getloadavg()
    return f"load average {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f} ({os.cpu_count()} cores)"


def districts_of(directory: Path) -> list[str]:
    """Return the districts of a curated folder, in file order (the sidebar's order)."""
    import pandas as pd

    from loaders.curated import SPECS

    documents = pd.read_csv(directory / SPECS["documents"].file, dtype=str, encoding="utf-8-sig")
    return documents["district"].drop_duplicates().tolist()


def session_plan(count: int, districts: list[str], pages: tuple[PageFilter, ...],
                 urls: list[str]) -> list[tuple[str, PageFilter, dict[str, str]]]:
    """Spread sessions over the pages (with several districts, over the districts) and the replicas in turn.

    A session stays on its replica, as behind a proxy with sticky sessions (README, 部署).
    """
    plan = []
    for i in range(count):
        query = {"district": districts[i % len(districts)]} if len(districts) > 1 else {}
        plan.append((urls[i % len(urls)], pages[i % len(pages)], query))
    return plan


def warm_up(base_url: str, districts: list[str], pages: tuple[PageFilter, ...]) -> None:
    """Open every page once, as the first visitors after a start would (reads the data, compiles the scripts)."""

    async def visit() -> None:
        for page in pages:
            session = Session(base_url, page, {"district": districts[0]} if len(districts) > 1 else {}, 300)
            await session.open()
            await session.close()

    asyncio.run(visit())


def run_phase(directory: Path, sessions: int, args: argparse.Namespace, floor: bool = False) -> dict:
    """Start fresh servers (`args.replicas` of them) on the data, drive `sessions` sessions, return the figures.

    `floor`: the servers run bench/floor_load_page.py instead of the dashboard.
    """
    from tools.server import Server

    districts = districts_of(directory)
    pages = (FLOOR,) if floor else PAGES
    servers = [Server(env={"WORK_REPORT_CURATED_DIR": str(directory)}, script=FLOOR_SCRIPT if floor else "app.py",
                      port=args.port + n if args.port else None) for n in range(args.replicas)]
    try:
        for server in servers:
            server.wait_healthy(timeout=120)
            warm_up(server.url, districts, pages)
        plan_sessions = session_plan(sessions, districts, pages, [server.url for server in servers])
        clients = max(1, min(args.clients, sessions))
        plans = [Plan(plan_sessions[c::clients], args.duration, tuple(args.interval), args.ramp,
                      args.timeout, args.seed + c) for c in range(clients)]
        pids = [server.process.pid for server in servers]
        load_before, cpu_before, wall = uptime(), cpu_seconds(pids), time.monotonic()
        if clients == 1:
            parts = [drive(plans[0])]
        else:
            with ProcessPoolExecutor(clients) as pool:
                parts = list(pool.map(drive, plans))
        wall = time.monotonic() - wall
        server_cpu = cpu_seconds(pids) - cpu_before
        figures = summarise(parts, sessions, wall, server_cpu, pages)
        figures.update(page="底线页（一个下拉框、一张图）" if floor else "看板",
                       replicas=len(servers),
                       server_peak_rss_mb=round(sum(proc_status_mb(pid, "VmHWM") for pid in pids), 1),
                       server_rss_end_mb=round(sum(proc_status_mb(pid, "VmRSS") for pid in pids), 1),
                       load_before=load_before, load_after=uptime(), clients=clients)
        return figures
    finally:
        for server in servers:
            server.stop()


def summarise(parts: list[dict], sessions: int, wall: float, server_cpu: float,
              pages: tuple[PageFilter, ...] = PAGES) -> dict:
    changes = [c for part in parts for c in part["change"]]
    opens = [o for part in parts for o in part["open"]]
    errors = [e for part in parts for e in part["errors"]]
    timeouts = [t for part in parts for t in part["timeouts"]]
    seconds = [s for _, s, _ in changes]
    figures = {
        "sessions": sessions,
        "sessions_opened": len(opens),
        "wall_s": round(wall, 1),
        "changes": len(changes),
        "changes_per_s": round(len(changes) / wall, 2) if wall else None,
        "change_p50_s": percentile(seconds, 0.5),
        "change_p95_s": percentile(seconds, 0.95),
        "change_max_s": percentile(seconds, 1.0),
        "open_p50_s": percentile([s for _, s in opens], 0.5),
        "open_p95_s": percentile([s for _, s in opens], 0.95),
        "errors": len(errors),
        "timeouts": len(timeouts),
        "server_cpu_s": round(server_cpu, 1),
        "server_cpu_ms_per_run": round(1000 * server_cpu / (len(changes) + len(opens))) if changes or opens else None,
        "server_cores": round(server_cpu / wall, 2) if wall else None,
        "client_cpu_s": round(sum(part["client_cpu_s"] for part in parts), 1),
        "pages": {},
        "error_samples": sorted({e for _, e in errors})[:5],
    }
    for page in pages:
        mine = [s for title, s, _ in changes if title == page.title]
        figures["pages"][page.title] = {"filter": page.widget, "changes": len(mine),
                                        "p50_s": percentile(mine, 0.5), "p95_s": percentile(mine, 0.95)}
    return figures


# ---------------------------------------------------------------- report


def markdown(report: dict) -> str:
    lines = ["| 页面 | 副本 | 数据 | 会话 | 改筛选次数 | p50（秒） | p95（秒） | 最慢（秒） | 打开页面 p95（秒） | 错误 | 超时 "
             "| 服务 CPU 秒（平均占核数） | 每次运行服务 CPU（毫秒） | 服务峰值内存 MB | 压测客户端 CPU 秒 | 机器负载（开始→结束） |",
             "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for phase in report["phases"]:
        runs = phase["changes"] + phase["sessions_opened"]
        per_run = phase.get("server_cpu_ms_per_run") or (round(1000 * phase["server_cpu_s"] / runs) if runs else None)
        load = f"{_load1(phase['load_before'])}→{_load1(phase['load_after'])}"
        lines.append(f"| {phase.get('page', '看板')} | {phase.get('replicas', 1)} "
                     f"| ×{phase['scale']} | {phase['sessions']} | {phase['changes']} | {phase['change_p50_s']} "
                     f"| {phase['change_p95_s']} | {phase['change_max_s']} | {phase['open_p95_s']} | {phase['errors']} "
                     f"| {phase['timeouts']} | {phase['server_cpu_s']}（{phase['server_cores']}） | {per_run} "
                     f"| {phase['server_peak_rss_mb']} | {phase['client_cpu_s']} | {load} |")
    lines += ["", "看板各页 p95（秒）：", "",
              "| 副本 | 数据 | 会话 | " + " | ".join(f"{p.title}（{p.widget}）" for p in PAGES) + " |",
              "| ---: | --- | ---: | " + " | ".join("---:" for _ in PAGES) + " |"]
    for phase in report["phases"]:
        if phase.get("page", "看板") != "看板":
            continue
        lines.append(f"| {phase.get('replicas', 1)} | ×{phase['scale']} | {phase['sessions']} | "
                     + " | ".join(str(phase["pages"][p.title]["p95_s"]) for p in PAGES) + " |")
    lines += ["", f"机器：{report['machine']}；每个会话每 {report['interval'][0]:g}–{report['interval'][1]:g} 秒改一次筛选，"
              f"每档 {report['duration']:g} 秒（另有 {report['ramp']:g} 秒陆续进入）；机器负载为 1 分钟平均负载（uptime）。"]
    return "\n".join(lines) + "\n"


def _load1(text: str) -> str:
    """Return the 1-minute figure of an uptime() text."""
    return text.split("load average ", 1)[-1].split(",", 1)[0]


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "?")
    return f"{cpu}，{os.cpu_count()} 核，Python {sys.version.split()[0]}，{time.strftime('%Y-%m-%d %H:%M')}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--sessions", type=int, nargs="+", default=[10, 50, 200])
    parser.add_argument("--duration", type=float, default=60, help="seconds of filter changes per phase")
    parser.add_argument("--interval", type=float, nargs=2, default=[3.0, 5.0], help="seconds between changes")
    parser.add_argument("--ramp", type=float, default=10, help="sessions arrive over this many seconds")
    parser.add_argument("--timeout", type=float, default=60, help="a run slower than this counts as a timeout")
    parser.add_argument("--clients", type=int, default=1, help="client processes")
    parser.add_argument("--port", type=int, default=None, help="first server port (default: free ones)")
    parser.add_argument("--replicas", type=int, default=1,
                        help="server processes; sessions are spread over them in turn (sticky, as behind nginx)")
    parser.add_argument("--floor", action="store_true",
                        help="also measure bench/floor_load_page.py (one selectbox, one chart) in each phase")
    parser.add_argument("--floor-only", action="store_true", help="measure only the floor page")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="smoke run: ×1, 5 sessions, 15 s")
    parser.add_argument("--output", type=Path, default=OUT / "load.json")
    parser.add_argument("--report", type=Path, help="only print the tables of an earlier run's JSON")
    args = parser.parse_args()
    if args.report:
        print(markdown(json.loads(args.report.read_text("utf-8"))))
        return 0
    if args.quick:
        args.scales, args.sessions, args.duration, args.ramp = [1], [5], 15, 2

    from tools.scale_data import write_scaled

    report = {"machine": machine(), "duration": args.duration, "interval": args.interval, "ramp": args.ramp,
              "phases": []}
    for scale in args.scales:
        directory = write_scaled(scale, OUT / f"x{scale}")
        for sessions in args.sessions:
            for floor in ((True,) if args.floor_only else (True, False) if args.floor else (False,)):
                print(f"== ×{scale}, {sessions} sessions, {'floor' if floor else 'dashboard'}, "
                      f"{args.replicas} replica(s) ({uptime()})", flush=True)
                figures = {"scale": scale, **run_phase(directory, sessions, args, floor)}
                report["phases"].append(figures)
                print(json.dumps({k: v for k, v in figures.items() if k != "pages"}, ensure_ascii=False), flush=True)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    table = markdown(report)
    args.output.with_suffix(".md").write_text(table, encoding="utf-8")
    print("\n" + table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
