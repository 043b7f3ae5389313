"""量化指标: every extracted target, year-on-year changes, new and dropped metrics, five-year averages."""

from dataclasses import replace

import streamlit as st

from charts.targets import change_dumbbell
from loaders.select import KIND_LABELS
from ui.data import analysed, frames
from ui.filters import current_filters, describe, year_pair
from ui.show import analysed_chart, caption, empty_message, literal, table

DISPLAY_LIMIT = 2000  # rows drawn in the browser

st.title("量化指标")
st.caption("任务内容中的量化目标（增速、数量、金额、比率），以及同一区县两个年度之间年度目标的变化。")

frames()  # stops with a clear message when the curated tables have problems
filters = current_filters()
kinds = st.pills("指标类型", list(KIND_LABELS), format_func=KIND_LABELS.get, selection_mode="multi",
                 key="kind", bind="query-params") or list(KIND_LABELS)
st.text(f"当前筛选：{describe(filters)} · 指标类型：{'、'.join(KIND_LABELS[k] for k in kinds)}")

st.subheader("年度目标同比")
all_years = replace(filters, years=())  # the comparison picks its own two years of the district
pair = year_pair(analysed("target_years", all_years))
if pair is not None:
    first, second = pair
    span = f"{first}年 → {second}年"
    changes = analysed("changes_of_kinds", all_years, tuple(kinds), pair)
    if changes.empty:
        empty_message(f"当前筛选条件下没有{first}年和{second}年都设定的年度指标", replace(filters, years=()),
                      ("指标类型",) if st.session_state.get("kind") else ())
    else:
        drawn = set(changes["kind"])  # the kinds chosen above that have pairs
        if "growth" in drawn:
            analysed_chart(change_dumbbell, "changes_of_kinds", all_years, ("growth",), pair,
                           title=f"增速目标：{span}（增长%）", key="targets_growth")
        if "ratio" in drawn:
            analysed_chart(change_dumbbell, "changes_of_kinds", all_years, ("ratio",), pair,
                           title=f"比率目标：{span}（%）", key="targets_ratio")
        if drawn & {"count", "amount"}:
            analysed_chart(change_dumbbell, "changes_of_kinds", all_years,
                           tuple(sorted(drawn & {"count", "amount"})), pair,
                           title=f"数量与金额目标：{span}", log_scale=True, key="targets_counts")
        table(changes[["metric", "unit", "target_from", "target_to", "change", "direction_word", "qualifier_change",
                       "label_from", "label_to"]],
              {"unit": "计量单位", "target_from": f"{first}年目标", "target_to": f"{second}年目标", "change": "变化",
               "direction_word": "方向", "qualifier_change": "限定变化", "label_from": f"{first}年任务",
               "label_to": f"{second}年任务"})

    st.subheader(literal(f"只在一年设定的年度指标（{first}年与{second}年）"))
    only = analysed("one_year_metrics", all_years, pair)
    only = only[only["kind"].isin(kinds)]
    for column, status, heading in zip(st.columns(2), ("new", "dropped"),
                                       (f"{second}年新增的指标", f"{second}年不再设定的指标（{first}年有）")):
        with column:
            st.text(heading)
            rows = only[only["status"] == status]
            if rows.empty:
                st.info("没有。")
            else:
                table(rows[["metric", "value", "unit", "qualifier", "label"]], {"unit": "计量单位"})

five_year = analysed("five_year_year", all_years)
if five_year is not None:
    st.subheader(literal(f"{five_year}年：今后五年目标与当年目标"))
    five = analysed("five_year_beside_annual", all_years, five_year)
    five = five[five["kind"].isin(kinds)]
    if five.empty:
        st.info("所选指标类型中没有今后五年的量化目标。")
    else:
        table(five[["metric", "basis", "target_five_year", "target_annual", "phrase"]],
              {"basis": "口径", "target_five_year": "今后五年目标", "target_annual": f"{five_year}年年度目标",
               "phrase": "五年表原句"})

st.subheader("全部量化指标")
targets = analysed("target_table", filters)
targets = targets[targets["kind"].isin(kinds)]
if targets.empty:
    empty_message("当前筛选条件下没有量化指标", filters,
                  ("指标类型",) if st.session_state.get("kind") else ())
else:
    st.text(f"共 {len(targets)} 个指标，来自 {targets['task_id'].nunique()} 项任务。")
    if len(targets) > DISPLAY_LIMIT:
        caption(f"表中显示前 {DISPLAY_LIMIT} 个；请用筛选缩小范围。")
    table(targets.head(DISPLAY_LIMIT)[["label", "kind", "metric", "value", "unit", "qualifier", "phrase", "content",
                                       "leaders"]], {"unit": "计量单位"}, height=520)
