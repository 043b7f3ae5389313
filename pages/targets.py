"""量化指标: every extracted target, year-on-year changes, new and dropped metrics, five-year averages."""

from dataclasses import replace

import streamlit as st

from charts.targets import change_dumbbell
from loaders.analysis.targets import (changes_of_kinds, five_year_beside_annual, five_year_year, one_year_metrics,
                                      target_table, target_years)
from loaders.vocabulary import KIND_LABELS
from ui.cache import analysed
from ui.data import frames
from ui.figures import analysed_chart
from ui.filters import current_filters, describe, year_pair
from ui.layout import on_phone
from ui.sections import on_request
from ui.tables import table
from ui.text import caption, empty_message

DISPLAY_LIMIT = 2000  # rows drawn in the browser


CHART_TITLES = {"growth": "增速目标：{span}（增长%）", "ratio": "比率目标：{span}（%）", "counts": "数量与金额目标：{span}"}


def change_chart(selection, pair: tuple[int, int], name: str, kinds: tuple[str, ...]) -> None:
    """Draw the dumbbell of these kinds of annual targets between the two years."""
    analysed_chart(change_dumbbell, changes_of_kinds, selection, kinds, pair,
                   title=CHART_TITLES[name].format(span=f"{pair[0]}年 → {pair[1]}年"), log_scale=name == "counts",
                   narrow=on_phone(), key=f"targets_{name}")


st.title("量化指标")
st.caption("任务内容中的量化目标（增速、数量、金额、比率），以及同一区县两个年度之间年度目标的变化。")

frames()  # stops with a clear message when the curated tables have problems
filters = current_filters()
kinds = st.pills("指标类型", list(KIND_LABELS), format_func=KIND_LABELS.get, selection_mode="multi",
                 key="kind", bind="query-params") or list(KIND_LABELS)
st.text(f"当前筛选：{describe(filters)} · 指标类型：{'、'.join(KIND_LABELS[k] for k in kinds)}")

st.subheader("年度目标同比")
all_years = replace(filters, years=())  # the comparison picks its own two years of the district
pair = year_pair(analysed(target_years, all_years))
changes = analysed(changes_of_kinds, all_years, tuple(kinds), pair) if pair is not None else None
if changes is not None and changes.empty:
    empty_message(f"当前筛选条件下没有{pair[0]}年和{pair[1]}年都设定的年度指标", replace(filters, years=()),
                  ("指标类型",) if st.session_state.get("kind") else ())
drawn = set(changes["kind"]) if changes is not None else set()  # the kinds chosen above that have pairs
charts = [(name, kinds_drawn) for name, kinds_drawn in
          (("growth", ("growth",)), ("ratio", ("ratio",)), ("counts", tuple(sorted(drawn & {"count", "amount"}))))
          if drawn & set(kinds_drawn)]
if charts:
    change_chart(all_years, pair, *charts[0])

# below the first chart, one part at a time and only on request: the first chart is drawn alone
five_year = analysed(five_year_year, all_years)
labels = (["变化明细", "更多对比图", "只在一年设定的指标"] if pair is not None else []) + \
         (["今后五年目标"] if five_year is not None else []) + ["全部量化指标"]
tabs = dict(zip(labels, on_request(labels, key="targets_view", default=None if charts else labels[0])))
if pair is not None:
    first, second = pair
    if tabs["变化明细"].open:
        with tabs["变化明细"]:
            if changes.empty:
                st.info("没有可对比的指标。")
            else:
                table(changes, {"unit": "计量单位", "target_from": f"{first}年目标", "target_to": f"{second}年目标",
                                "change": "变化", "direction_word": "方向", "qualifier_change": "限定变化",
                                "label_from": f"{first}年任务", "label_to": f"{second}年任务", "handover": "交接"},
                      only=["metric", "unit", "target_from", "target_to", "change", "direction_word",
                            "handover", "qualifier_change", "label_from", "label_to"],
                      phone=(["metric"], ["target_from", "target_to", "direction_word", "handover", "qualifier_change",
                                          "label_from", "label_to"]))
    if tabs["更多对比图"].open:
        with tabs["更多对比图"]:
            for name, kinds_drawn in charts[1:]:
                change_chart(all_years, pair, name, kinds_drawn)
            if len(charts) < 2:
                st.info("所选指标类型没有更多可对比的图。")
    if tabs["只在一年设定的指标"].open:
        with tabs["只在一年设定的指标"]:
            only = analysed(one_year_metrics, all_years, pair)
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

if five_year is not None and tabs["今后五年目标"].open:
    with tabs["今后五年目标"]:
        st.text(f"{five_year}年：今后五年目标与当年目标")
        five = analysed(five_year_beside_annual, all_years, five_year)
        five = five[five["kind"].isin(kinds)]
        if five.empty:
            st.info("所选指标类型中没有今后五年的量化目标。")
        else:
            table(five[["metric", "basis", "target_five_year", "target_annual", "phrase"]],
                  {"basis": "口径", "target_five_year": "今后五年目标", "target_annual": f"{five_year}年年度目标",
                   "phrase": "五年表原句"}, phone=(["metric"], ["target_five_year", "target_annual", "basis", "phrase"]))

if tabs["全部量化指标"].open:
    with tabs["全部量化指标"]:
        targets = analysed(target_table, filters)
        targets = targets[targets["kind"].isin(kinds)]
        if targets.empty:
            empty_message("当前筛选条件下没有量化指标", filters,
                          ("指标类型",) if st.session_state.get("kind") else ())
        else:
            st.text(f"共 {len(targets)} 个指标，来自 {targets['task_id'].nunique()} 项任务。")
            if len(targets) > DISPLAY_LIMIT:
                caption(f"表中显示前 {DISPLAY_LIMIT} 个；请用筛选缩小范围。")
            table(targets.head(DISPLAY_LIMIT)[["label", "kind", "metric", "value", "unit", "qualifier", "phrase",
                                               "content", "leaders"]], {"unit": "计量单位"},
                  height=520 if len(targets) > 12 else "auto", phone=(["metric", "label"], ["phrase", "leaders"]))  # no empty rows under a short list
