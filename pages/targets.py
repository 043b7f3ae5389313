"""量化指标: every extracted target, year-on-year changes, new and dropped metrics, five-year averages."""

from dataclasses import replace

import streamlit as st

from charts.targets import change_dumbbell
from loaders.select import KIND_LABELS
from ui.data import analysed, frames
from ui.filters import current_filters, describe
from ui.show import analysed_chart, caption, empty_message, table

DISPLAY_LIMIT = 2000  # rows drawn in the browser

st.title("量化指标")
st.caption("任务内容中的量化目标（增速、数量、金额、比率），以及2020年与2022年年度目标的变化。")

frames()  # stops with a clear message when the curated tables have problems
filters = current_filters()
kinds = st.pills("指标类型", list(KIND_LABELS), format_func=KIND_LABELS.get, selection_mode="multi",
                 key="kind", bind="query-params") or list(KIND_LABELS)
st.text(f"当前筛选：{describe(filters)} · 指标类型：{'、'.join(KIND_LABELS[k] for k in kinds)}")

st.subheader("年度目标同比（2020年 → 2022年）")
both_years = replace(filters, years=())  # the comparison needs both notices whatever the year filter
changes = analysed("changes_of_kinds", both_years, tuple(kinds))
if changes.empty:
    empty_message("当前筛选条件下没有两年都设定的年度指标")
else:
    drawn = set(changes["kind"])  # the kinds chosen above that have pairs
    if "growth" in drawn:
        analysed_chart(change_dumbbell, "changes_of_kinds", both_years, ("growth",),
                       title="增速目标：2020年 → 2022年（增长%）", key="targets_growth")
    if "ratio" in drawn:
        analysed_chart(change_dumbbell, "changes_of_kinds", both_years, ("ratio",),
                       title="比率目标：2020年 → 2022年（%）", key="targets_ratio")
    if drawn & {"count", "amount"}:
        analysed_chart(change_dumbbell, "changes_of_kinds", both_years,
                       tuple(sorted(drawn & {"count", "amount"})),
                       title="数量与金额目标：2020年 → 2022年", log_scale=True, key="targets_counts")
    table(changes[["metric", "unit", "target_from", "target_to", "change", "direction_word", "qualifier_change",
                   "task_id_from", "task_id_to"]],
          {"unit": "计量单位", "target_from": "2020年目标", "target_to": "2022年目标", "change": "变化",
           "direction_word": "方向", "qualifier_change": "限定变化", "task_id_from": "2020年任务",
           "task_id_to": "2022年任务"})

st.subheader("只在一年设定的年度指标")
only = analysed("one_year_metrics", both_years)
only = only[only["kind"].isin(kinds)]
left, right = st.columns(2)
with left:
    st.markdown("**2022年新增的指标**")
    new = only[only["status"] == "new"]
    if new.empty:
        st.info("没有。")
    else:
        table(new[["metric", "value", "unit", "qualifier", "task_id"]], {"unit": "计量单位"})
with right:
    st.markdown("**2022年不再设定的指标（2020年有）**")
    dropped = only[only["status"] == "dropped"]
    if dropped.empty:
        st.info("没有。")
    else:
        table(dropped[["metric", "value", "unit", "qualifier", "task_id"]], {"unit": "计量单位"})

st.subheader("2022年：今后五年目标与当年目标")
five = analysed("five_year_beside_annual", both_years)
five = five[five["kind"].isin(kinds)]
if five.empty:
    st.info("当前筛选条件下没有今后五年的量化目标。")
else:
    table(five[["metric", "basis", "target_five_year", "target_annual", "phrase"]],
          {"basis": "口径", "target_five_year": "今后五年目标", "target_annual": "2022年年度目标",
           "phrase": "五年表原句"})

st.subheader("全部量化指标")
targets = analysed("target_table", filters)
targets = targets[targets["kind"].isin(kinds)]
if targets.empty:
    empty_message("当前筛选条件下没有量化指标")
else:
    st.text(f"共 {len(targets)} 个指标，来自 {targets['task_id'].nunique()} 项任务。")
    if len(targets) > DISPLAY_LIMIT:
        caption(f"表中显示前 {DISPLAY_LIMIT} 个；请用筛选缩小范围。")
    table(targets.head(DISPLAY_LIMIT)[["label", "kind", "metric", "value", "unit", "qualifier", "phrase", "content",
                                       "leaders"]], {"unit": "计量单位"}, height=520)
