"""The 填报 page's forms: what each stores, and its outcome shown beside the field it concerns on the next run.

Tasks are named by their label and the first words of their text, never by an id. A
value that did not come from the page's own choices (a forged widget value) is refused
with a message, never a traceback.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from loaders.problems import Problem
from loaders.progress.reports import (FIELD_LABELS, ReportDraft, Writer, add_comment, plan_from_rows, report,
                                      save_milestones)
from loaders.select import text_start
from ui.progress.store import book, engine, forget_version
from ui.text import literal

REPORT_FIELDS = ("progress", "problems", "next_steps", "coordination")
REQUIRED_TEXT = ("progress",)  # a report says at least what was done
_OUTCOME = "_report_outcome"  # (form, task_id, "success" | "error", message, {field: [messages]})
_FIELD_OF_LABEL = {label: name for name, label in FIELD_LABELS.items()}
TASK_WORDS = 24  # characters of task text after the label in a picker


def task_name(task_id: str) -> str:
    """Return how a message names a task: its label and the start of its text, 2022年度(3)“地区生产总值增长7.5%左右”."""
    task = book().get(task_id)
    if task is None:
        return "（未知任务）"
    return f"{task.label}“{text_start(task.content, TASK_WORDS).rstrip('。；;，,')}”"


def task_choices(tasks: pd.DataFrame) -> dict[str, str]:
    """Return task_id → name for a picker, in the order of the notice (stable, whatever is saved meanwhile)."""
    return {task_id: f"{label}　{text_start(content, TASK_WORDS)}"
            for task_id, label, content in zip(tasks["task_id"], tasks["label"], tasks["content"])}


def chosen_task(key: str, allowed: set[str]) -> str | None:
    """Return the task a picker holds when it is one the writer may use; a forged value gives None."""
    value = st.session_state.get(key)
    return value if isinstance(value, str) and value in allowed else None


def save_report_form(task_id: str, writer: Writer, allowed: frozenset[str]) -> None:
    """Form callback: check and store what the 填报 form holds for task_id."""
    if not isinstance(task_id, str) or task_id not in allowed:
        return _refused("report", task_id)
    state = st.session_state
    draft = ReportDraft(task_id, state.get(f"report_period_{task_id}"), state.get(f"report_percent_{task_id}"),
                        value_reached=state.get(f"report_value_{task_id}", ""),
                        **{name: state.get(f"report_{name}_{task_id}", "") for name in REPORT_FIELDS})
    problems = report(engine(), draft, book(), writer, required=REQUIRED_TEXT)
    st.session_state["report_task"] = task_id  # the form stays on the task just saved
    _outcome("report", task_id, problems, f"已保存：{task_name(task_id)} {draft.period} 的填报。")


def save_plan(task_id: str, writer: Writer, allowed: frozenset[str], base: list[dict], year: int) -> None:
    """Button callback: store the 时间节点 table (as edited) and any pasted lines of a task as its new plan.

    base is the table as it was drawn (the current plan); the edits are read from the
    table's widget state, so nothing typed is lost when the page reruns before the button.
    """
    if not isinstance(task_id, str) or task_id not in allowed:
        return _refused("plan", task_id)
    rows = edited_rows(base, st.session_state.get(f"plan_table_{task_id}") or {})
    items, problems = plan_from_rows(rows, st.session_state.get(f"plan_lines_{task_id}", ""), year)
    problems = problems or save_milestones(engine(), book()[task_id], items, writer)
    if not problems:
        st.session_state[f"plan_lines_{task_id}"] = ""  # saved: the lines are in the table now
    _outcome("plan", task_id, problems,
             f"已保存：{task_name(task_id)} 的时间节点计划，共 {len(items)} 个节点（原计划保留在历史中）。")


def edited_rows(base: list[dict], edits: dict) -> list[dict]:
    """Return the rows of a st.data_editor table: the rows drawn, with its edits, deletions and added rows applied."""
    deleted = set(edits.get("deleted_rows", []))
    rows = []
    for index, row in enumerate(base):
        if index not in deleted:
            rows.append({**row, **edits.get("edited_rows", {}).get(index, {}),
                         **edits.get("edited_rows", {}).get(str(index), {})})
    return rows + [dict(added) for added in edits.get("added_rows", [])]


def save_comment_form(writer: Writer, allowed: frozenset[str]) -> None:
    """Button callback: store a support unit's comment on the chosen task."""
    task_id = chosen_task("comment_task", allowed)
    if task_id is None:
        return _refused("comment", st.session_state.get("comment_task"))
    problems = add_comment(engine(), book()[task_id], st.session_state.get(f"comment_{task_id}", ""), writer)
    _outcome("comment", task_id, problems, f"已保存对 {task_name(task_id)} 的留言。")


def _refused(form: str, task_id: object) -> None:
    problem = Problem("填报", None, None, "所选任务不在本单位可填报的任务中", "从列表中重新选择任务")
    st.session_state[_OUTCOME] = (form, str(task_id), "error", "未保存。", {None: [f"{problem.message}。{problem.fix}"]})


def _outcome(form: str, task_id: str, problems: list[Problem], success: str) -> None:
    forget_version()  # every form calls this after writing: the next run reads the new data
    if not problems:
        st.session_state[_OUTCOME] = (form, task_id, "success", success, {})
        return
    by_field: dict[str | None, list[str]] = {}
    for problem in problems:
        name = _FIELD_OF_LABEL.get(problem.column, problem.column) if problem.column else None
        where = f"{problem.file}第 {problem.row} 行：" if problem.row else ""
        by_field.setdefault(name, []).append(f"{where}{problem.message}。{problem.fix}")
    st.session_state[_OUTCOME] = (form, task_id, "error", "未保存，请按提示修改后再保存。", by_field)


def show_outcome(form: str, task_id: str | None) -> None:
    """Show the last save of this form for this task: a success line, or that it was not saved (details by the fields)."""
    outcome = st.session_state.get(_OUTCOME)  # kept until the next save: a rerun must not lose it
    if not outcome or outcome[0] != form or (task_id is not None and outcome[1] != task_id):
        return
    if outcome[2] == "success":
        st.success(literal(outcome[3]), icon=":material/check_circle:")
    else:
        st.error(literal(outcome[3]), icon=":material/error:")
        for message in outcome[4].get(None, []):  # problems of no one field
            st.text(message)


def field_problems(form: str, task_id: str, *fields: str) -> None:
    """Show, right under a field, what was wrong with it in the last save of this form and task."""
    outcome = st.session_state.get(_OUTCOME)
    if not outcome or outcome[0] != form or outcome[1] != task_id or outcome[2] != "error":
        return
    for name in fields:
        for message in outcome[4].get(name, []):
            st.error(literal(message))


def other_problems(form: str, task_id: str, known: tuple[str, ...]) -> None:
    """Show the problems of the last save that belong to none of the fields shown (e.g. a table's rows)."""
    outcome = st.session_state.get(_OUTCOME)
    if not outcome or outcome[0] != form or outcome[1] != task_id or outcome[2] != "error":
        return
    for name, messages in outcome[4].items():
        if name is not None and name not in known:
            for message in messages:
                st.error(literal(message))
