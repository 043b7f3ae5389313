"""The slides of a review-meeting deck, as plain data: what each slide says, charts and tables as numbers and text.

The meeting page draws these slides on screen and loaders.meeting.powerpoint
writes the same slides to a PPTX file, so the two always show the same figures.
A deck is for one year and the whole district (or one district), one leader or
one unit. Lists longer than a slide holds continue on the next slide, marked （续）.
The progress slides (进度亮灯, 需协调事项) show what the lead units reported as of a
date: the caller passes the statuses in (DeckProgress, from the progress database).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from loaders.analysis.links import carry_on, task_links
from loaders.analysis.targets import chain_changes, written_target
from loaders.analysis.units import unit_load
from loaders.frames import Frames
from loaders.progress.board import chase_list, counts_by, red_list, shown_percent
from loaders.progress.checks import report_checks
from loaders.progress.status import STATUS_ORDER, coordination_items, reported_as_of, status_of
from loaders.select import Filters, TaskQuery, query_tasks, restrict, select
from loaders.text import safe_file_name
from loaders.vocabulary import DIRECTION_LABELS, MISSING_TEXT, SCOPE_LABELS, STATUS_LABELS

VIEWS = ("总体情况", "领导分工", "单位负荷", "指标变化", "延续与变化", "民生实事", "进度亮灯", "需协调事项")
CONTINUED = "（续）"

MAX_BARS = 10  # bars a chart slide holds with its axis and legend at slide text size
TOP_UNITS = 20  # units shown on 单位负荷 (two slides at most)
# A table slide holds LINE_BUDGET lines of slide text; a full-width line holds LINE_CHARS
# characters (CJK). Both are measured on screen at 1366×768 and 1920×1080 (same 16:9 shape)
# and hold in the PPTX, whose text is sized to the same share of the slide height.
LINE_BUDGET = 22.0
LINE_CHARS = 66
ROW_PADDING = 0.45  # a row's padding, in lines
TASK_CHARS = 40  # task text shown beside its label in the progress lists (the whole text is on 任务明细)
NO_REPORTS = "尚无牵头单位填报进度"


@dataclass(frozen=True)
class DeckChoice:
    """Whom the deck reports on: a year, and optionally a district, a leader, a unit."""

    year: int
    leader: str | None = None
    unit: str | None = None
    district: str | None = None


@dataclass(frozen=True)
class Series:
    name: str  # legend text
    key: str  # colour key: a scope (annual, five_year, livelihood), a role (lead, support) or from/to
    values: tuple[float, ...]
    labels: tuple[str, ...] = ()  # text on each bar when it is not the plain value (e.g. 7.5%左右)


@dataclass(frozen=True)
class Bars:
    """Horizontal bars, categories top to bottom."""

    categories: tuple[str, ...]
    series: tuple[Series, ...]
    axis_title: str
    stacked: bool = True
    top: float = 0  # the largest bar of the whole view: continued slides share one scale


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    widths: tuple[float, ...]  # share of the slide width per column
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Slide:
    view: str  # one of VIEWS
    title: str  # what the slide shows, fitted to the deck (e.g. 各位领导牵头的任务数)
    subject: str  # 汇报对象
    continued: bool = False
    metrics: tuple[tuple[str, int], ...] = ()
    bars: Bars | None = None
    table: Table | None = None
    note: str = ""  # said instead of a chart or table when there is nothing to show

    @property
    def heading(self) -> str:
        return self.view + (CONTINUED if self.continued else "")


@dataclass(frozen=True)
class DeckProgress:
    """What the lead units reported, as of a date: the statuses and 需协调事项 of the deck's tasks.

    status: loaders.progress.status.task_status rows; coordination: coordination_items rows.
    """

    as_of: date
    status: pd.DataFrame
    coordination: pd.DataFrame
    checks: pd.DataFrame | None = None  # reports flagged for a look (loaders.progress.checks), when computed

    @property
    def reported(self) -> bool:
        """Return whether any task of the deck has a report by the as-of date."""
        return bool(self.status["latest_percent"].notna().any())


def progress_of(frames: Frames, choice: DeckChoice, reports: pd.DataFrame, milestones: pd.DataFrame | None,
                cadences: dict[str, str] | None, as_of: date) -> DeckProgress:
    """Return the statuses and 需协调事项 of the deck's tasks as of a date (reports etc. as the database holds them)."""
    tasks = deck_tasks(frames, choice)
    reported = reported_as_of(reports, as_of)
    status = status_of(tasks, reported, milestones, cadences)
    flagged = tasks[["task_id", "label", "leaders", "lead_units"]].merge(status[["task_id", "expected_percent"]],
                                                                          on="task_id")
    return DeckProgress(as_of, status, coordination_items(tasks, frames.task_leaders, reported.latest),
                        report_checks(flagged, reports, as_of))


def districts_of(frames: Frames) -> list[str]:
    """Return the districts in the data (none when the data has no district column)."""
    if "district" not in frames.documents.columns:
        return []
    return [d for d in frames.documents["district"].drop_duplicates() if d]


def unknown_choices(frames: Frames, choice: DeckChoice) -> list[str]:
    """Return what in the choice the data does not have, each with the names it does have."""
    problems = []
    years = sorted(int(y) for y in frames.tasks["year"].unique())
    if choice.year not in years:
        problems.append(f"没有 {choice.year} 年的任务（可选：{'、'.join(map(str, years))}）")
    if choice.leader and choice.leader not in set(frames.task_leaders["leader"]):
        problems.append(f"没有名为“{choice.leader}”的牵头领导")
    if choice.unit and choice.unit not in set(frames.task_units["unit"]):
        problems.append(f"没有名为“{choice.unit}”的责任单位")
    districts = districts_of(frames)
    if choice.district and choice.district not in districts:
        problems.append(f"没有名为“{choice.district}”的区县（可选：{'、'.join(districts)}）")
    if not choice.district and len(districts) > 1:
        # a unit or leader name means one body only within its district: never added across districts
        problems.append(f"数据含 {len(districts)} 个区县，请指定一个区县（{'、'.join(districts)}）")
    return problems


def deck_tasks(frames: Frames, choice: DeckChoice) -> pd.DataFrame:
    """Return the tasks of the deck, in notice order."""
    filters = Filters(years=(choice.year,), leader=choice.leader, district=choice.district)
    return query_tasks(frames, filters, TaskQuery(unit=choice.unit))


def subject_of(frames: Frames, choice: DeckChoice) -> str:
    """Return whom the deck reports on, e.g. “2022年 全区”, “2022年 林杰牵头的任务”, “瓯海区 2022年 林杰牵头的任务”."""
    several = len(districts_of(frames)) > 1
    place = choice.district or ("全部区县" if several else "全区")
    if choice.leader and choice.unit:
        who = f"{choice.leader}牵头、{choice.unit}承担的任务"
    elif choice.leader:
        who = f"{choice.leader}牵头的任务"
    elif choice.unit:
        who = f"{choice.unit}承担的任务（牵头或配合）"
    else:
        who = ""
    if who and not (choice.district and several):
        return f"{choice.year}年 {who}"
    if choice.district and several:
        return " ".join(filter(None, [place, f"{choice.year}年", who]))
    return " ".join(filter(None, [f"{choice.year}年", place, who]))


def deck_file_name(subject: str, as_of: date, extension: str) -> str:
    """Return the name of a deck's file: 汇报材料_2022年_全区_进度截至20221231.pptx (subject from subject_of)."""
    return safe_file_name(["汇报材料", *subject.split(), f"进度截至{as_of:%Y%m%d}"], extension)


def build_deck(frames: Frames, choice: DeckChoice, progress: DeckProgress | None = None,
               links: pd.DataFrame | None = None) -> list[Slide]:
    """Return every slide of the deck, the views in VIEWS order, continuation slides after their view.

    Without progress (no database), the progress slides say that nothing has been reported.
    links: the task links of the deck's district (loaders.analysis.links.task_links); computed when not given.
    """
    tasks = deck_tasks(frames, choice)
    chosen = restrict(frames, tasks["task_key"])
    subject = subject_of(frames, choice)
    if tasks.empty:
        note = "所选对象在该年度没有任务，请换一个年度或汇报对象"
        return [Slide(view, view, subject, note=note) for view in VIEWS]
    return [*_overall(chosen, choice, subject), *_leaders(chosen, choice, subject), *_units(chosen, choice, subject),
            *_changes(frames, tasks, subject), *_carry_on(frames, choice, tasks, subject, links),
            *_livelihood(chosen, subject),
            *_lights(chosen, choice, subject, progress), *_coordination(chosen, choice, subject, progress)]


def views_and_parts(slides: list[Slide]) -> dict[str, int]:
    """Return how many slides each view has."""
    return {view: sum(s.view == view for s in slides) for view in VIEWS}


def _overall(chosen: Frames, choice: DeckChoice, subject: str) -> list[Slide]:
    tasks = chosen.tasks
    scopes = tasks.groupby("scope").size()
    leaders = ("牵头领导（人）", chosen.task_leaders["leader"].nunique())
    if choice.unit:
        own = chosen.task_units[chosen.task_units["unit"] == choice.unit]
        who = [(f"其中{choice.unit}牵头（项）", own.loc[own["role"] == "lead", "task_key"].nunique()),
               (f"其中{choice.unit}配合（项）", own.loc[own["role"] == "support", "task_key"].nunique()), leaders]
    else:
        units = chosen.task_units[~chosen.task_units["is_placeholder"]]
        who = [leaders, ("责任单位（个）", units["unit"].nunique())]
    metrics = [("任务（项）", len(tasks)), *who, ("量化指标（个）", len(chosen.targets)),
               ("年度重点工作（项）", scopes.get("annual", 0)), ("今后五年重点工作（项）", scopes.get("five_year", 0)),
               ("民生实事（项）", tasks.loc[tasks["scope"] == "livelihood", "seq"].nunique())]
    if not choice.unit:
        metrics.append(("原文缺内容（项）", tasks["content_missing"].sum()))
    return [Slide("总体情况", "任务总体情况", subject, metrics=tuple((label, int(n)) for label, n in metrics))]


def _scope_bars(rows: pd.DataFrame, category: str, axis_title: str) -> tuple[list[str], pd.DataFrame]:
    """Return categories (most tasks first) and a category × scope table of task counts."""
    table = rows.groupby([category, "scope"])["task_key"].nunique().unstack("scope", fill_value=0)
    table = table.reindex(columns=[s for s in SCOPE_LABELS if s in table.columns])
    order = table.sum(axis=1).sort_values(ascending=False, kind="stable")
    return order.index.tolist(), table


def _chunks(items: list, size: int) -> list[list]:
    """Return items in as few slides of at most `size` as possible, shared out evenly (12 → 6 + 6, not 10 + 2)."""
    slides = max(math.ceil(len(items) / size), 1)
    even = math.ceil(len(items) / slides) if items else size
    return [items[i:i + even] for i in range(0, len(items), even)] or [[]]


def _bar_slides(view: str, title: str, subject: str, table: pd.DataFrame, order: list[str],
                series: dict[str, str], axis_title: str, empty: str) -> list[Slide]:
    """Return one slide per MAX_BARS categories of table (category × series key counts)."""
    if not order:
        return [Slide(view, title, subject, note=empty)]
    slides = []
    keys = [key for key in series if key in table.columns]
    top = float(table.loc[order, keys].sum(axis=1).max())
    for number, part in enumerate(_chunks(order, MAX_BARS)):
        bars = Bars(tuple(part), tuple(Series(series[key], key, tuple(int(table.at[c, key]) for c in part))
                                       for key in keys), axis_title, top=top)
        slides.append(Slide(view, title, subject, continued=number > 0, bars=bars))
    return slides


def _leaders(chosen: Frames, choice: DeckChoice, subject: str) -> list[Slide]:
    view, axis = "领导分工", "任务数（项）"
    if choice.leader:
        tasks = chosen.tasks
        group = tasks["subsection"].where(tasks["subsection"] != "", tasks["section"])
        group = group.where(group != "", tasks["scope"].map(SCOPE_LABELS))
        order, table = _scope_bars(tasks.assign(group=group), "group", axis)
        return _bar_slides(view, f"{choice.leader}牵头的任务：按板块", subject, table, order, SCOPE_LABELS, axis,
                           "所选对象没有牵头的任务")
    rows = chosen.task_leaders
    if choice.unit:
        roles = chosen.task_units.loc[chosen.task_units["unit"] == choice.unit, ["task_key", "role"]]
        rows = rows.merge(roles.drop_duplicates("task_key"), on="task_key")
        table = rows.groupby(["leader", "role"])["task_key"].nunique().unstack("role", fill_value=0)
        table = table.reindex(columns=["lead", "support"], fill_value=0)
        order = table.sum(axis=1).sort_values(ascending=False, kind="stable").index.tolist()
        return _bar_slides(view, f"{choice.unit}承担的任务由哪些领导牵头", subject, table, order,
                           {"lead": f"{choice.unit}牵头", "support": f"{choice.unit}配合"}, axis,
                           "这些任务没有注明牵头领导")
    order, table = _scope_bars(rows, "leader", axis)
    return _bar_slides(view, "各位领导牵头的任务数", subject, table, order, SCOPE_LABELS, axis,
                       "这些任务没有注明牵头领导")


def _units(chosen: Frames, choice: DeckChoice, subject: str) -> list[Slide]:
    load = unit_load(chosen)
    if choice.unit:
        load = load[load["unit"] != choice.unit]
        title = f"与{choice.unit}共同承担任务的单位"
    elif choice.leader:
        title = f"{choice.leader}牵头任务的责任单位"
    else:
        title = "各责任单位承担的任务数"
    if len(load) > TOP_UNITS:
        title += f"（任务最多的{TOP_UNITS}个）"
    load = load.head(TOP_UNITS).set_index("unit")
    return _bar_slides("单位负荷", title, subject, load, load.index.tolist(), {"lead": "牵头", "support": "配合"},
                       "任务数（项）", "这些任务没有注明具体的责任单位")


def _changes(frames: Frames, tasks: pd.DataFrame, subject: str) -> list[Slide]:
    # the pairs that end in the deck's year (the notice that last set a metric → this year), either task the deck's
    ids = set(tasks["task_id"])
    year = int(tasks["year"].iloc[0])
    changes = frames.target_changes
    changes = changes[(changes["task_id_from"].isin(ids) | changes["task_id_to"].isin(ids))
                      & (changes["year_to"] == year)]
    view = "指标变化"
    if changes.empty:
        return [Slide(view, "量化指标的变化", subject, note=f"所选对象没有可与{year}年之前的通知对照的量化指标")]
    slides = []
    for (first, second), pair in changes.groupby(["year_from", "year_to"], sort=True):
        first, second = int(first), int(second)
        growth = pair[pair["kind"] == "growth"]
        names = (growth["metric"] + "（" + growth["unit"] + "）").tolist()
        for number, part in enumerate(_chunks(list(range(len(growth))), MAX_BARS) if len(growth) else []):
            rows = growth.iloc[part]
            series = tuple(
                Series(f"{year}年目标", key, tuple(float(v) for v in rows[value]),
                       tuple(written_target(v, q, u) for v, q, u in zip(rows[value], rows[qualifier], rows["unit"])))
                for year, key, value, qualifier in ((first, "from", "value_from", "qualifier_from"),
                                                    (second, "to", "value_to", "qualifier_to")))
            top = float(max(growth["value_from"].max(), growth["value_to"].max()))
            bars = Bars(tuple(names[i] for i in part), series, "目标值（%）", stacked=False, top=top)
            slides.append(Slide(view, f"增速目标：{first}年 → {second}年（%）", subject, continued=number > 0,
                                bars=bars))
        rows = tuple((f"{m}（{u}）", written_target(a, qa, u), written_target(b, qb, u), DIRECTION_LABELS.get(d, d))
                     for m, u, a, qa, b, qb, d in zip(pair["metric"], pair["unit"], pair["value_from"],
                                                      pair["qualifier_from"], pair["value_to"], pair["qualifier_to"],
                                                      pair["direction"]))
        table = Table(("指标", f"{first}年目标", f"{second}年目标", "变化"), (0.46, 0.2, 0.2, 0.14), rows)
        slides += _table_slides(view, f"量化指标的变化：{first}年 → {second}年", subject, table)
    return slides


def _carry_on(frames: Frames, choice: DeckChoice, tasks: pd.DataFrame, subject: str,
              links: pd.DataFrame | None) -> list[Slide]:
    """延续与变化: against the district's previous notice, the tasks continued, new and no longer listed, and the
    targets lowered along the task links (loaders.analysis.links; never across districts)."""
    view = "延续与变化"
    districts = tasks["district"].unique()
    if len(districts) != 1:
        return [Slide(view, "延续、新增与不再列出", subject, note="各区县分别比较：请先选定一个区县")]
    district = districts[0]
    years = sorted(int(y) for y in frames.tasks.loc[frames.tasks["district"] == district, "year"].unique())
    earlier = [y for y in years if y < choice.year]
    if not earlier:
        return [Slide(view, "延续、新增与不再列出", subject, note=f"{choice.year}年之前没有这个区县的通知，无从比较")]
    year_from = earlier[-1]
    if links is None:
        links = task_links(select(frames, Filters(district=district)))
    marks = carry_on(frames.tasks, links, district, year_from, choice.year)
    later = marks[marks["task_id"].isin(tasks["task_id"])]
    before = deck_tasks(frames, replace(choice, year=year_from, district=district))
    dropped = marks[(marks["status"] == "dropped") & marks["task_id"].isin(before["task_id"])]
    metrics = (("延续（项）", int((later["status"] == "continued").sum())),
               ("新增（项）", int((later["status"] == "new").sum())), ("不再列出（项）", len(dropped)))
    # a kind of task only one of the two notices lists (a five-year list): counted apart, never new or dropped
    aside = int(((marks["status"] == "not_compared")
                 & (marks["task_id"].isin(tasks["task_id"]) | marks["task_id"].isin(before["task_id"]))).sum())
    title = f"{year_from}年 → {choice.year}年：延续、新增与不再列出的任务"
    if aside:
        metrics += (("不作比较（项）", aside),)
        title += "（只有一份通知列出的一类任务不作比较）"
    slides = [Slide(view, title, subject, metrics=metrics)]
    changes = chain_changes(frames, links, year_from, choice.year)
    lowered = changes[(changes["direction"] == "lowered") & changes["task_id_to"].isin(tasks["task_id"])]
    title = f"降低的量化指标：{year_from}年 → {choice.year}年（按任务链接）"
    if lowered.empty:
        return slides + [Slide(view, title, subject, note="所选对象没有降低的量化指标")]
    rows = tuple((f"{m}（{u}）", written_target(a, qa, u), written_target(b, qb, u), label, handover or "—")
                 for m, u, a, qa, b, qb, label, handover in zip(
                     lowered["metric"], lowered["unit"], lowered["value_from"], lowered["qualifier_from"],
                     lowered["value_to"], lowered["qualifier_to"], lowered["label_to"], lowered["handover"]))
    table = Table(("指标", f"{year_from}年目标", f"{choice.year}年目标", "任务", "交接"),
                  (0.3, 0.14, 0.14, 0.16, 0.26), rows)
    return slides + _table_slides(view, title, subject, table)


def _livelihood(chosen: Frames, subject: str) -> list[Slide]:
    projects = chosen.tasks[chosen.tasks["scope"] == "livelihood"].sort_values(["seq", "part"], na_position="first")
    title = "民生实事项目"
    if projects.empty:
        return [Slide("民生实事", title, subject, note="所选对象在该年度没有民生实事项目")]
    part = projects["part"].astype("string").fillna("")
    number = projects["seq"].astype(str) + ("-" + part).where(part != "", "")
    content = projects["content"].where(projects["content"] != "", MISSING_TEXT)
    rows = tuple(zip(number, projects["project"].fillna(""), content, projects["leaders"].fillna(""),
                     projects["units"].fillna("")))
    table = Table(("序号", "项目名称", "任务内容", "牵头领导", "责任单位"), (0.07, 0.17, 0.42, 0.12, 0.22),
                  tuple(tuple(str(cell) for cell in row) for row in rows))
    return _table_slides("民生实事", title, subject, table)


def _as_of(progress: DeckProgress | None) -> str:
    return f"（截至{progress.as_of:%Y-%m-%d}）" if progress else ""


def _no_reports(progress: DeckProgress | None) -> str:
    """Return what a progress slide says when nothing has been reported by the as-of date ("" when something was)."""
    if progress and progress.reported:
        return ""
    when = f"截至{progress.as_of:%Y-%m-%d}，" if progress else ""
    return f"{when}{NO_REPORTS}：所选任务还没有任何填报，暂无亮灯和需协调事项。"


def task_text(label: str, content: str) -> str:
    """Return a task as a progress list names it: its label and the start of its text."""
    content = content or MISSING_TEXT
    short = content if len(content) <= TASK_CHARS else content[:TASK_CHARS] + "…"
    return f"{label} {short}"


def _lights(chosen: Frames, choice: DeckChoice, subject: str, progress: DeckProgress | None) -> list[Slide]:
    """Return the 进度亮灯 slides: stacked status bars, the 严重滞后 tasks, the lead units with 逾期未报 tasks."""
    view, axis = "进度亮灯", "任务数（项）"
    when = _as_of(progress)
    lead = chosen.task_units[(chosen.task_units["role"] == "lead") & ~chosen.task_units["is_placeholder"]]
    if choice.leader:
        title, by, assignments = f"{choice.leader}牵头任务的亮灯情况（按牵头单位）{when}", "unit", lead
        empty = "这些任务没有注明具体的牵头单位"
    else:
        who = f"{choice.unit}承担任务的亮灯情况（按牵头领导）" if choice.unit else "各位领导牵头任务的亮灯情况"
        title, by, assignments = f"{who}{when}", "leader", chosen.task_leaders
        empty = "这些任务没有注明牵头领导"
    missing = _no_reports(progress)
    if missing:
        return [Slide(view, title, subject, note=missing)]
    board = chosen.tasks[["task_id", "label", "content", "leaders", "lead_units"]].merge(progress.status, on="task_id")
    counts = counts_by(board, assignments, by)
    shown = {status: STATUS_LABELS[status] for status in STATUS_ORDER if counts[status].sum()}
    slides = _bar_slides(view, title, subject, counts.set_index(by), counts[by].tolist(), shown, axis, empty)
    red = red_list(board)
    if len(red):
        rows = tuple((task_text(lb, c), ld, lu, e, p) for lb, c, ld, lu, e, p in zip(
            red["label"], red["content"], red["leaders"].fillna(""), red["lead_units"].fillna(""),
            shown_percent(red["expected_percent"]), shown_percent(red["latest_percent"])))
        table = Table(("任务", "牵头领导", "牵头单位", "序时进度（%）", "完成进度（%）"), (0.44, 0.12, 0.2, 0.12, 0.12),
                      rows)
        slides += _table_slides(view, f"严重滞后的任务{when}", subject, table)
    chase = chase_list(board, lead)  # 逾期未报 per lead unit: a task list would run over many slides
    if len(chase):
        rows = tuple((unit, str(n), last) for unit, n, last in zip(chase["unit"], chase["tasks"], chase["last_period"]))
        table = Table(("牵头单位", "逾期未报的任务（项）", "最近应报的报告期"), (0.5, 0.25, 0.25), rows)
        slides += _table_slides(view, f"逾期未报的牵头单位{when}", subject, table)
    checks = progress.checks
    if checks is not None and len(checks := checks[checks["task_id"].isin(chosen.tasks["task_id"])]):
        contents = dict(zip(chosen.tasks["task_id"], chosen.tasks["content"]))
        rows = tuple((task_text(label, contents.get(task_id, "")), kind, detail) for task_id, label, kind, detail
                     in zip(checks["task_id"], checks["label"], checks["check_label"], checks["detail"]))
        table = Table(("任务", "核查项", "发现的情况"), (0.38, 0.2, 0.42), rows)
        slides += _table_slides(view, f"填报需核查{when}", subject, table)
    return slides


def _coordination(chosen: Frames, choice: DeckChoice, subject: str, progress: DeckProgress | None) -> list[Slide]:
    """Return one table of 需协调事项 per leader (items of each task's latest report), continued as needed."""
    view = "需协调事项"
    when = _as_of(progress)
    if choice.leader:
        title = f"{choice.leader}：需协调事项{when}"
    else:
        title = f"{choice.unit}承担任务的需协调事项{when}" if choice.unit else f"各位领导的需协调事项{when}"
    missing = _no_reports(progress)
    if missing:
        return [Slide(view, title, subject, note=missing)]
    items = progress.coordination[progress.coordination["task_id"].isin(chosen.tasks["task_id"])]
    if choice.leader:
        items = items[items["leader"] == choice.leader]
    if items.empty:
        return [Slide(view, title, subject, note=f"截至{progress.as_of:%Y-%m-%d}，所选任务没有需区领导协调的事项。")]
    items = items.merge(chosen.tasks[["task_id", "label", "content"]], on="task_id", how="left")
    slides = []
    for leader, own in items.groupby("leader", sort=False):  # coordination_items sorts by leader, then task
        rows = tuple((task_text(lb, c), u, p, text) for lb, c, u, p, text in zip(
            own["label"], own["content"], own["unit"], own["period"], own["coordination"]))
        table = Table(("任务", "填报单位", "报告期", "需协调事项"), (0.3, 0.16, 0.1, 0.44), rows)
        slides += _table_slides(view, f"{leader}：需协调事项{when}", subject, table)
    return slides


def row_lines(cells: tuple[str, ...], widths: tuple[float, ...]) -> int:
    """Return how many lines a table row takes when every cell wraps in its column."""
    return max(math.ceil(max(len(text), 1) / max(int(width * LINE_CHARS) - 1, 1))
               for text, width in zip(cells, widths))


def _table_slides(view: str, title: str, subject: str, table: Table) -> list[Slide]:
    """Return the table over as many slides as its wrapped rows need."""
    header = row_lines(table.columns, table.widths) + ROW_PADDING
    pages: list[list[tuple[str, ...]]] = [[]]
    used = header
    for row in table.rows:
        cost = row_lines(row, table.widths) + ROW_PADDING
        if pages[-1] and used + cost > LINE_BUDGET:
            pages.append([])
            used = header
        pages[-1].append(row)
        used += cost
    return [Slide(view, title, subject, continued=number > 0, table=Table(table.columns, table.widths, tuple(rows)))
            for number, rows in enumerate(pages)]
