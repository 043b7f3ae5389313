"""汇报模式: one view per slide for the review meeting, for the whole district, a leader or a unit."""

import streamlit as st

from charts.leaders import tasks_per_leader_bar
from charts.targets import change_dumbbell
from charts.units import unit_load_bar
from loaders.select import Filters, TaskQuery
from ui.data import analysed, filter_choices, frames, queried
from ui.show import chart, empty_message, table

SLIDES = ["总体情况", "领导分工", "单位负荷", "指标变化", "民生实事"]
SLIDE_KEY = "slide"

frames()  # stops with a clear message when the curated tables have problems
choices = filter_choices()


def step(offset: int) -> None:
    index = SLIDES.index(st.session_state.get(SLIDE_KEY) or SLIDES[0])
    st.session_state[SLIDE_KEY] = SLIDES[(index + offset) % len(SLIDES)]


if st.session_state.get(SLIDE_KEY) is None:
    # highlight the slide the URL names (or the first) from the very first run
    asked = st.query_params.get(SLIDE_KEY)
    st.session_state[SLIDE_KEY] = asked if asked in SLIDES else SLIDES[0]

several_districts = len(choices.districts) > 1
controls = st.columns([1, 2, 2, 2, 2, 1] if several_districts else [1, 2, 2, 2, 1], vertical_alignment="bottom")
district = None
if several_districts:
    district = controls.pop(1).selectbox("区县", choices.districts, key="deck_district", bind="query-params")
years = [str(y) for y in choices.years_of(district)]
if st.session_state.get("deck_year") not in years:
    st.session_state["deck_year"] = years[0]  # the district's latest year
year = controls[1].selectbox("年度", years, key="deck_year", bind="query-params")
leaders = analysed("leaders_by_load", Filters(years=(int(year),), district=district))
leader = controls[2].selectbox("汇报对象：领导", leaders, index=None, placeholder="全区",
                               key="deck_leader", bind="query-params")
unit = controls[3].selectbox("或单位", choices.named_units, index=None, placeholder="全部单位", key="deck_unit",
                             bind="query-params")
controls[0].button("上一页", icon=":material/arrow_back:", on_click=step, args=(-1,), width="stretch")
controls[4].button("下一页", icon=":material/arrow_forward:", on_click=step, args=(1,), width="stretch")
slide = st.segmented_control("页面", SLIDES, key=SLIDE_KEY, bind="query-params",
                             label_visibility="collapsed", width="stretch") or SLIDES[0]

filters = Filters(years=(int(year),), leader=leader, district=district)
query = TaskQuery(unit=unit)
deck_tasks = queried(filters, query)  # the tasks of the year, leader and unit chosen above
ids = set(deck_tasks["task_id"])
subject = "、".join(filter(None, [district, f"{year}年", leader or "全区", unit]))
st.header(f"{SLIDES.index(slide) + 1}/{len(SLIDES)} {slide}", divider="blue")
st.text(f"汇报对象：{subject}")
if deck_tasks.empty:
    empty_message("所选对象在该年度没有任务")
    st.stop()

if slide == "总体情况":
    figures = analysed("headline", filters, query=query).query("tasks > 0").iloc[0]
    row = st.columns(4)
    row[0].metric("任务（项）", int(figures["tasks"]))
    row[1].metric("牵头领导（人）", int(figures["leaders"]))
    row[2].metric("责任单位（个）", int(figures["units"]))
    row[3].metric("量化指标（个）", int(figures["targets"]))
    per_scope = deck_tasks.groupby("scope").size()
    row = st.columns(4)
    row[0].metric("年度重点工作（项）", int(per_scope.get("annual", 0)))
    row[1].metric("今后五年重点工作（项）", int(per_scope.get("five_year", 0)))
    row[2].metric("民生实事（项）", int(deck_tasks.loc[deck_tasks["scope"] == "livelihood", "seq"].nunique()))
    row[3].metric("原文缺内容（项）", int(deck_tasks["content_missing"].sum()))
elif slide == "领导分工":
    if leader:
        portfolio = analysed("leader_portfolio", filters, leader, query=query)
        chart(unit_load_bar, analysed("unit_load", filters, query=query).head(12),
              f"{leader}牵头任务的责任单位（前12个）", projector=True, key="deck_leader_units")
        table(portfolio["sections"], {"section": "板块/分组"}, wide_text=("section",))
    else:
        chart(tasks_per_leader_bar, analysed("tasks_per_leader", filters, query=query), "各位领导牵头的任务数",
              projector=True, key="deck_leaders")
elif slide == "单位负荷":
    chart(unit_load_bar, analysed("unit_load", filters, query=query).head(12), "任务最多的12个责任单位（牵头/配合）",
          projector=True, key="deck_units")
elif slide == "指标变化":
    # the pairs that end in the deck's year (previous notice → this year) where either task is the deck's
    changes = analysed("change_table", Filters(district=district))
    changes = changes[(changes["task_id_from"].isin(ids) | changes["task_id_to"].isin(ids))
                      & (changes["year_to"] == int(year))]
    growth = changes[changes["kind"] == "growth"]
    earlier = sorted(set(changes["year_from"]))
    since = f"{earlier[0]}年" if len(earlier) == 1 else "上次设定"
    if growth.empty:
        empty_message(f"所选对象没有与{year}年之前的通知都设定的增速目标")
    else:
        chart(change_dumbbell, growth, f"增速目标：{since} → {year}年（%）", projector=True, key="deck_targets")
    if not changes.empty:
        table(changes[["metric", "target_from", "target_to", "direction_word"]],
              {"target_from": f"{since}目标", "target_to": f"{year}年目标", "direction_word": "方向"})
elif slide == "民生实事":
    projects = deck_tasks[deck_tasks["scope"] == "livelihood"]
    if projects.empty:
        empty_message("所选对象在该年度没有民生实事项目")
    else:
        table(projects[["seq", "project", "content", "leaders", "units"]], {"seq": "序号"})
