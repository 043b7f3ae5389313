"""汇报模式's progress slides (进度亮灯, 需协调事项) on a seeded database: the deck, the PPTX, the CLI, the page."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from loaders.clock import local_today
from loaders.meeting.deck import CONTINUED, NO_REPORTS, DeckChoice, build_deck, progress_of
from loaders.meeting.powerpoint import SERIES_COLORS, deck_pptx
from loaders.progress.board import counts_by
from loaders.progress.db import URL_VARIABLE
from loaders.progress.reports import ReportDraft, cadences, milestones_frame, report, reports_frame
from loaders.progress.status import task_status
from loaders.vocabulary import STATUS_COLORS, STATUS_LABELS
from tests.progress.conftest import ON_SQLITE_ONLY

ROOT = Path(__file__).resolve().parents[2]
YEAR = 2022
LONG = "请区领导协调建设用地指标、专项资金缺口和跨部门审批事项，" * 6  # wraps over several table lines
# task → (period, percent, 需协调事项)
SEEDED = {
    "2022-annual-01-01": ("2022-Q4", 95, "=HYPERLINK(\"http://evil.example\",\"点我\") 请协调用地"),
    "2022-annual-01-02": ("2022-Q4", 100, ""),
    "2022-annual-01-03": ("2022-Q4", 20, ""),
    "2022-five_year-02-01": ("2026-Q3", 80, "请区领导协调人才公寓房源"),
}
MANY = [f"2022-five_year-01-{n:02d}" for n in range(1, 12)]  # 林杰's five-year tasks, each with a long request


@pytest.fixture
def seeded(engine, book, lead_of):
    """A database with reports for a done, an on-track, a far-behind and a behind task, and 需协调事项."""
    drafts = [ReportDraft(task_id, period, percent, progress="按计划推进", coordination=coordination)
              for task_id, (period, percent, coordination) in SEEDED.items()]
    drafts += [ReportDraft(task_id, "2026-Q3", 90, coordination=f"{n}. {LONG}") for n, task_id in enumerate(MANY, 1)]
    for draft in drafts:
        assert not report(engine, draft, book, lead_of(draft.task_id))
    return engine


def progress_now(frames, engine, choice: DeckChoice, as_of: date | None = None):
    return progress_of(frames, choice, reports_frame(engine), milestones_frame(engine), cadences(engine),
                       as_of or local_today())


def expected_counts(frames, engine, as_of: date):
    """Tasks per status per leader of the year, as the 落实进度 page counts them (board.counts_by)."""
    tasks = frames.tasks[frames.tasks["year"] == YEAR]
    status = task_status(tasks, reports_frame(engine), milestones_frame(engine), cadences(engine), as_of)
    leaders = frames.task_leaders[frames.task_leaders["task_id"].isin(tasks["task_id"])]
    return counts_by(status, leaders, "leader"), status


def test_light_slides_chart_what_counts_by_counts(seeded, frames):
    deck = build_deck(frames, DeckChoice(YEAR), progress_now(frames, seeded, DeckChoice(YEAR)))
    counts, status = expected_counts(frames, seeded, local_today())
    lights = [s for s in deck if s.view == "进度亮灯" and s.bars]
    assert lights and all(s.title == f"各位领导牵头任务的亮灯情况（截至{local_today():%Y-%m-%d}）" for s in lights)
    assert [s.continued for s in lights] == [False] + [True] * (len(lights) - 1)
    categories = [c for s in lights for c in s.bars.categories]
    assert categories == counts["leader"].tolist()  # most red first, as on 落实进度
    shown = {(c, series.key): v for s in lights for series in s.bars.series for c, v in zip(s.bars.categories,
                                                                                         series.values)}
    present = [code for code in STATUS_LABELS if counts[code].sum()]
    assert {key for _, key in shown} == set(present)
    for row in counts.itertuples():
        for code in present:
            assert shown[(row.leader, code)] == getattr(row, code), (row.leader, code)
    names = {series.key: series.name for s in lights for series in s.bars.series}
    assert names == {code: STATUS_LABELS[code] for code in present}
    # what was seeded, by hand: one task done, one far behind, one behind
    by_task = dict(zip(status["task_id"], status["status"]))
    assert [by_task[t] for t in SEEDED] == ["on_track", "done", "far_behind", "behind"]


def test_far_behind_tasks_and_late_units_are_listed(seeded, frames):
    deck = build_deck(frames, DeckChoice(YEAR), progress_now(frames, seeded, DeckChoice(YEAR)))
    red = [s for s in deck if s.title.startswith("严重滞后的任务")]
    rows = [row for s in red for row in s.table.rows]
    _, status = expected_counts(frames, seeded, local_today())
    far = status[status["status"] == "far_behind"]
    labels = dict(zip(frames.tasks["task_id"], frames.tasks["label"]))
    assert sorted(row[0].split(" ")[0] for row in rows) == sorted(labels[t] for t in far["task_id"])
    assert any(row[0].startswith(labels["2022-annual-01-03"]) and row[4] == "20" for row in rows)
    late = [row for s in deck if s.title.startswith("逾期未报的牵头单位") for row in s.table.rows]
    lead = frames.task_units[(frames.task_units["role"] == "lead") & ~frames.task_units["is_placeholder"]]
    unreported = lead[lead["task_id"].isin(status.loc[status["status"] == "not_reported", "task_id"])]
    assert {row[0]: int(row[1]) for row in late} == unreported.groupby("unit")["task_id"].nunique().to_dict()


def test_each_leaders_coordination_items_are_a_table_continued_when_long(seeded, frames):
    deck = build_deck(frames, DeckChoice(YEAR), progress_now(frames, seeded, DeckChoice(YEAR)))
    slides = [s for s in deck if s.view == "需协调事项"]
    leaders = frames.task_leaders.drop_duplicates("task_id").set_index("task_id")["leader"]
    texts: dict[str, list[str]] = {}
    for slide in slides:
        texts.setdefault(slide.title, []).extend(row[3] for row in slide.table.rows)
    expected: dict[str, list[str]] = {}
    for task_id, (_, _, coordination) in SEEDED.items():
        if coordination:
            expected.setdefault(leaders[task_id], []).append(coordination)
    expected.setdefault(leaders[MANY[0]], []).extend(f"{n}. {LONG}" for n in range(1, len(MANY) + 1))
    when = f"（截至{local_today():%Y-%m-%d}）"
    assert {title: sorted(items) for title, items in texts.items()} == {
        f"{leader}：需协调事项{when}": sorted(items) for leader, items in expected.items()}
    many = [s for s in slides if s.title.startswith(leaders[MANY[0]])]
    assert len(many) > 1 and many[1].continued and many[1].heading == "需协调事项" + CONTINUED
    leader_deck = build_deck(frames, DeckChoice(YEAR, leader="张伟"),
                             progress_now(frames, seeded, DeckChoice(YEAR, leader="张伟")))
    own = [row[3] for s in leader_deck if s.view == "需协调事项" for row in s.table.rows]
    assert own == ["请区领导协调人才公寓房源"]


def test_the_pptx_has_the_light_chart_with_those_values_and_colours(seeded, frames):
    deck = build_deck(frames, DeckChoice(YEAR), progress_now(frames, seeded, DeckChoice(YEAR)))
    presentation = Presentation(io.BytesIO(deck_pptx(deck)))
    counts, _ = expected_counts(frames, seeded, local_today())
    number = next(i for i, s in enumerate(deck) if s.view == "进度亮灯")
    chart = next(shape.chart for shape in presentation.slides[number].shapes if shape.has_chart)
    plot = chart.plots[0]
    top = deck[number].bars.categories
    assert list(plot.categories) == list(reversed(top))
    for series in plot.series:
        code = next(c for c, label in STATUS_LABELS.items() if label == series.name)
        assert list(series.values) == [float(counts.set_index("leader").at[c, code]) for c in reversed(top)]
        assert str(series.format.fill.fore_color.rgb).lower() == STATUS_COLORS[code].lstrip("#")
    assert SERIES_COLORS["far_behind"] == STATUS_COLORS["far_behind"].lstrip("#")
    coordination = next(i for i, s in enumerate(deck) if s.view == "需协调事项")
    table = next(shape.table for shape in presentation.slides[coordination].shapes if shape.has_table)
    cells = [table.cell(r, 3).text for r in range(1, len(table.rows))]
    assert cells == [row[3] for row in deck[coordination].table.rows]


def test_without_reports_the_slides_say_so(engine, seeded, frames):
    for progress in (None, progress_now(frames, seeded, DeckChoice(YEAR), as_of=date(2022, 12, 31))):
        deck = build_deck(frames, DeckChoice(YEAR), progress)
        slides = [s for s in deck if s.view in ("进度亮灯", "需协调事项")]
        assert len(slides) == 2 and all(NO_REPORTS in s.note and not s.bars and not s.table for s in slides)
    assert "2022-12-31" in slides[0].note


@ON_SQLITE_ONLY
def test_the_deck_command_takes_the_progress_date(seeded, database_url, frames, tmp_path):
    out = tmp_path / "deck.pptx"
    for as_of, charts in (("2022-06-30", 0), (local_today().isoformat(), 1)):
        done = subprocess.run([sys.executable, "-m", "loaders", "deck", str(out), "--year", str(YEAR),
                               "--database", database_url, "--as-of", as_of], cwd=ROOT, capture_output=True,
                              text=True, timeout=180)
        assert done.returncode == 0, done.stderr
        assert f"进度截至 {as_of}" in done.stdout
        deck = build_deck(frames, DeckChoice(YEAR), progress_now(frames, seeded, DeckChoice(YEAR),
                                                                  date.fromisoformat(as_of)))
        presentation = Presentation(str(out))
        assert len(presentation.slides) == len(deck)
        number = next(i for i, s in enumerate(deck) if s.view == "进度亮灯")
        assert sum(shape.has_chart for shape in presentation.slides[number].shapes) == charts


@ON_SQLITE_ONLY
def test_the_page_shows_the_lights_as_of_the_date_in_the_link(seeded, database_url, frames, monkeypatch):
    monkeypatch.setenv(URL_VARIABLE, database_url)
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    app.query_params.update(deck_year=str(YEAR), slide="进度亮灯", deck_as_of=local_today().isoformat())
    app.run()
    app.switch_page("pages/meeting.py").run()
    assert not app.exception, [e.message for e in app.exception]
    deck = build_deck(frames, DeckChoice(YEAR), progress_now(frames, seeded, DeckChoice(YEAR)))
    number = next(i for i, s in enumerate(deck) if s.view == "进度亮灯")
    assert app.header[0].value == f"{number + 1}/{len(deck)} 进度亮灯"
    assert app.text[0].value.startswith(deck[number].title)
    assert len(app.get("plotly_chart")) == 1
    app.date_input(key="deck_as_of").set_value(date(2022, 6, 30)).run()
    assert not app.exception, [e.message for e in app.exception]
    assert any(NO_REPORTS in element.value for element in app.info)


def test_reports_to_check_get_a_slide_after_the_lights(seeded, frames):
    choice = DeckChoice(YEAR)
    slides = build_deck(frames, choice, progress_now(frames, seeded, choice))
    checks = [s for s in slides if s.title.startswith("填报需核查")]
    assert checks and {s.view for s in checks} == {"进度亮灯"}
    rows = [row for slide in checks for row in slide.table.rows]
    # the far-behind task whose report says 按计划推进 (SEEDED) is there, named by its label
    assert any(kind == "称完成或按序时，进度却落后" and "按计划推进" in found for _, kind, found in rows)
    assert not any("2022-annual-" in cell for row in rows for cell in row)
