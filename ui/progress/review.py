"""审核 on 数据维护: the office reads each report waiting for review and approves it or returns it with a reason."""

from __future__ import annotations

import streamlit as st

from loaders.progress.reviews import APPROVED, RETURNED, pending_reports, review, unreviewed_count
from loaders.select import text_start
from ui.data import frames
from ui.progress.store import engine, forget_version, stored
from ui.text import caption, literal

_OUTCOME = "_review_outcome"
DECISION_WORDS = {APPROVED: "通过（已审核）", RETURNED: "退回（单位重新填报）"}
REPORT_FIELDS = (("percent", "完成进度（%）"), ("progress", "进展情况"), ("problems", "存在问题"),
                 ("next_steps", "下一步措施"), ("coordination", "需协调事项"), ("value_reached", "已完成值"))


def _save(report_id: int, admin: str, allowed: frozenset[int]) -> None:
    # a button callback: the decision and reason are read from the widgets of this report
    if report_id not in allowed:
        st.session_state[_OUTCOME] = ("error", "所选填报已不在待审核清单中，请刷新后重新选择。")
        return
    decision = st.session_state.get(f"review_decision_{report_id}")
    problems = review(engine(), report_id, decision, st.session_state.get(f"review_reason_{report_id}", ""), admin)
    forget_version()
    st.session_state[_OUTCOME] = (("error", "未保存：" + "；".join(f"{p.message}。{p.fix}" for p in problems))
                                  if problems else ("success", f"已{DECISION_WORDS[decision][:2]}这条填报。"))


def review_reports(admin: str) -> None:
    """Show the reports waiting for review, one at a time, with the decision and its reason."""
    caption("单位保存的每条填报都先列在这里。通过后记为已审核；退回时写明理由，单位在“填报”页看到理由后重新填报，"
            "退回的填报从退回当天起不计入亮灯。" + ("未审核的填报计入亮灯（标为未审核）。" if unreviewed_count()
                                            else "只有已审核的填报计入亮灯。"))
    outcome = st.session_state.get(_OUTCOME)  # kept until the next save: a rerun must not lose it
    if outcome:
        (st.success if outcome[0] == "success" else st.error)(literal(outcome[1]))
    reports = stored()[0]
    waiting = pending_reports(reports)
    if waiting.empty:
        st.info("没有待审核的填报。", icon=":material/task_alt:")
        return
    tasks = frames().tasks.set_index("task_id")
    waiting = waiting[waiting["task_id"].isin(tasks.index)].sort_values("id")
    names = {int(row.id): f"{tasks.at[row.task_id, 'label']} {row.period}　{row.unit}　"
                          f"{row.reported_on:%Y-%m-%d}" for row in waiting.itertuples(index=False)}
    st.text(f"待审核：{len(names)} 条")
    if st.session_state.get("review_report") not in names:
        st.session_state.pop("review_report", None)
    report_id = st.selectbox("待审核的填报", list(names), format_func=names.get, key="review_report")
    row = waiting[waiting["id"] == report_id].iloc[0]
    st.text(f"{tasks.at[row.task_id, 'label']}　{text_start(tasks.at[row.task_id, 'content'], 60)}")
    for name, label in REPORT_FIELDS:
        st.text(f"{label}：{row[name] if str(row[name]).strip() else '（未填）'}")
    st.radio("审核结果", list(DECISION_WORDS), format_func=DECISION_WORDS.get, horizontal=True,
             key=f"review_decision_{report_id}")
    st.text_area("退回理由（退回时必填，单位会看到）", max_chars=2000, key=f"review_reason_{report_id}")
    st.button("保存审核结果", type="primary", icon=":material/fact_check:", on_click=_save,
              args=(report_id, admin, frozenset(names)), key="review_save")
