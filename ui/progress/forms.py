"""The 填报 page's form callbacks: each stores what a form holds and keeps the outcome for the next run."""

from __future__ import annotations

import streamlit as st

from loaders.progress.reports import ReportDraft, Writer, add_comment, parse_milestone_lines, report, save_milestones
from ui.progress.store import book, engine, forget_version
from ui.text import literal

REPORT_FIELDS = ("progress", "problems", "next_steps", "coordination")


def save_report_form(task_id: str, writer: Writer) -> None:
    """Form callback: store what the 填报 form holds for task_id; the outcome is shown on the next run."""
    state = st.session_state
    draft = ReportDraft(task_id, state.get(f"report_period_{task_id}"), state.get(f"report_percent_{task_id}"),
                        value_reached=state.get(f"report_value_{task_id}", ""),
                        **{name: state.get(f"report_{name}_{task_id}", "") for name in REPORT_FIELDS})
    problems = report(engine(), draft, book(), writer)
    _outcome(problems, f"已保存 {task_id} {draft.period} 的填报。")


def save_plan_form(task_id: str, writer: Writer) -> None:
    """Button callback: store the milestone lines typed for task_id as a new plan."""
    items, problems = parse_milestone_lines(st.session_state.get(f"milestones_{task_id}", ""))
    problems = problems or save_milestones(engine(), book()[task_id], items, writer)
    _outcome(problems, f"已保存 {task_id} 新的时间节点计划（原计划保留在历史中）。")


def save_comment_form(writer: Writer) -> None:
    """Button callback: store a support unit's comment on the chosen task."""
    task_id = st.session_state.get("comment_task")
    problems = add_comment(engine(), book()[task_id], st.session_state.get(f"comment_{task_id}", ""), writer)
    _outcome(problems, f"已保存对 {task_id} 的留言。")


def _outcome(problems, success: str) -> None:
    forget_version()  # every form calls this after writing: the next run reads the new data
    st.session_state["_report_outcome"] = (
        ("error", "未保存：\n" + "\n".join(str(p) for p in problems)) if problems else ("success", success))


def show_outcome() -> None:
    """Show the outcome of the last save (a success line, or every problem as plain text)."""
    outcome = st.session_state.get("_report_outcome")  # kept until the next save: a rerun must not lose it
    if outcome and outcome[0] == "success":
        st.success(literal(outcome[1]))
    elif outcome:
        st.error("未保存，请按下面的说明修改后再保存。")
        st.text(outcome[1])
