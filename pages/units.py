"""单位负荷: tasks per unit as lead and support, by category, concentration, pairs, two years."""

from dataclasses import replace

import streamlit as st

from charts.units import category_bar, co_assignment_bar, pareto_curve, unit_load_bar, unit_years_dumbbell
from loaders.analysis.overview import task_count, years_of
from loaders.analysis.units import category_load, co_assignments, concentration, top_share, unit_load, unit_years
from loaders.select import Filters
from ui.cache import analysed, derived
from ui.data import frames
from ui.figures import chart, drill_chart
from ui.filters import current_filters, describe, year_pair
from ui.sections import on_request
from ui.tables import table
from ui.text import caption, empty_message, literal

# up to this many units all are drawn without a slider: one from 10 in steps of 5 would have a single position
ALL_UNITS_UP_TO = 15

st.title("单位负荷")
st.caption("每个责任单位牵头和配合多少任务，负荷是否集中在少数单位；“相关街镇”等统称单独列出，不参与排名。"
           "选“全部年度”时各年度分页并列，各自排名。")

frames()  # stops with a clear message when the curated tables have problems
filters = current_filters()
st.text(f"当前筛选：{describe(filters)}")
if analysed(task_count, filters) == 0:
    empty_message(filters=filters)
    st.stop()


def show_unit_load(filters: Filters, key: str) -> None:
    """Show the load of the units for one selection: the ranked bars and how concentrated the load is."""
    load = analysed(unit_load, filters)
    if len(load) <= ALL_UNITS_UP_TO:
        top_n, shown = len(load), f"全部{len(load)}个"
        caption(f"共 {len(load)} 个责任单位（不含统称），全部列出。")
    else:
        top_n = st.slider("显示任务最多的单位数", 10, len(load), min(25, len(load)), step=5, key="units_top" + key)
        shown = f"前{min(top_n, len(load))}个"
    drill_chart(unit_load_bar, load, f"各责任单位承担的任务数（{shown}，牵头/配合）", top=top_n,
                key="units_load" + key, param="unit", names=load["unit"].tolist(), picker_label="查看某个单位的任务")
    st.caption("点击柱条（或在上方选择单位）后出现该单位的任务明细链接；左侧筛选不变。")
    curve = derived(concentration, load)  # once per shared result, not per run
    columns = st.columns(3)
    columns[0].metric("责任单位（个，不含统称）", len(load))
    columns[1].metric("前5个单位承担的分工占比", f"{top_share(curve, 5):.0%}")
    columns[2].metric("前10个单位承担的分工占比", f"{top_share(curve, 10):.0%}")


def show_unit_spread(filters: Filters, key: str) -> None:
    """Show the concentration curve and the load per unit category."""
    left, right = st.columns(2)
    with left:
        chart(pareto_curve, derived(concentration, analysed(unit_load, filters)), "负荷集中度：按单位排名的累计占比",
              key="units_pareto" + key)
    with right:
        chart(category_bar, analysed(category_load, filters), "按单位类别的牵头与配合次数", key="units_category" + key)


def show_unit_pairs(filters: Filters, key: str) -> None:
    """Show the pairs of units that most often share a task."""
    pairs = analysed(co_assignments, filters)
    if pairs.empty:
        st.info("当前筛选条件下没有两个以上单位共同承担的任务。")
    else:
        chart(co_assignment_bar, pairs, "共同承担任务最多的单位组合（前15组）", key="units_pairs" + key)


def show_unit_years(filters: Filters) -> None:
    """Show each unit's tasks in two years of the district (aliases merged)."""
    all_years = replace(filters, years=())  # the comparison picks its own two years of the district
    pair = year_pair(analysed(years_of, all_years))
    if pair is None:
        return
    comparison = analysed(unit_years, all_years, pair)
    if comparison.empty:
        st.info(literal(f"当前筛选条件下{pair[0]}年和{pair[1]}年都没有任务。"))
    else:
        chart(unit_years_dumbbell, comparison.head(20),
              f"各单位承担的任务数：{pair[0]}年与{pair[1]}年（{pair[1]}年前20个单位）", years=pair, key="units_years")


def show_unit_lists(filters: Filters) -> None:
    """Show the collective names (not ranked) and every unit's counts."""
    st.subheader("统称（不是单个单位，不参与排名）")
    placeholders = analysed(unit_load, filters, placeholders=True)
    if placeholders.empty:
        st.info("当前筛选条件下没有统称。")
    else:
        table(placeholders, {"who": "统称"}, only=["who", "lead", "support", "total"])
    st.subheader("全部单位明细表")
    table(analysed(unit_load, filters), {"who": "单位"}, only=["who", "category", "lead", "support", "total"])


years = analysed(years_of, filters)
if len(years) > 1:
    # several years side by side: each year is ranked on its own, never summed
    selections = [(f"{year}年", str(year), replace(filters, years=(year,))) for year in years]
    for (label, key, selection), tab in zip(selections, st.tabs([label for label, _, _ in selections])):
        with tab:
            show_unit_load(selection, key)
else:
    selections = [("", "", filters)]
    show_unit_load(filters, "")

# below the first chart, one part at a time and only on request: the first chart is drawn alone
spread_tab, pairs_tab, years_tab, lists_tab = on_request(
    ["负荷集中度与类别", "经常一起承担任务的单位", "两个年度对比（别名已合并）", "统称与全部单位"], key="units_view")
for tab, section in ((spread_tab, show_unit_spread), (pairs_tab, show_unit_pairs),
                     (lists_tab, lambda selection, _key: show_unit_lists(selection))):
    if tab.open:
        with tab:
            for label, key, selection in selections:
                if label:
                    st.subheader(label)  # several years: each on its own
                section(selection, key)
if years_tab.open:
    with years_tab:
        show_unit_years(filters)
