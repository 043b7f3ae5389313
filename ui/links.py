"""Task links across years on screen: a task's chain on its card, what carries on (总览, 领导分工), the admins' decisions.

The links are computed by loaders.analysis.links once per district and data version
(ui.cache.analysed with the district's filters: every year of it) and shared; nothing
here modifies them. Task ids never reach the screen: tasks are named by their labels.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from loaders.analysis.links import (ACCEPT_AT, AUTO, carry_on, chain_rows, chains_of, district_links, horizon_of,
                                    final_statuses, invalid_decisions, last_year_unfinished, listed_again,
                                    record_decision, selected_keys, text_changes)
from loaders.analysis.targets import chain_changes
from loaders.curated import read_curated_version
from loaders.frames import Frames
from loaders.select import Filters, task_ids, text_start
from loaders.store import SaveBusy, StaleBase, save_tables
from loaders.vocabulary import MISSING_TEXT, STATUS_LABELS
from ui.cache import analysed, data_key, derived, directory_of, district_frames, forget_data_key
from ui.database import configured_url, not_saved
from ui.layout import on_phone
from ui.progress.store import stored_if_readable, today
from ui.tables import table
from ui.text import caption, literal

LIST_LIMIT = 200  # rows of a list drawn on screen


def links_of(district: str | None) -> pd.DataFrame:
    """Return the links of a district (every year), computed once per data version and shared by every page.

    With one district loaded the key is None whatever the URL says, so 总览, 领导分工, the cards,
    数据维护 and 汇报模式 share one computation.
    """
    several = district_frames(data_key(), None).several_districts
    return analysed(district_links, Filters(district=district if several else None))


def target_changes_of(district: str) -> pd.DataFrame:
    """Return the target changes along a district's links (chain_changes), worked out once from the shared links."""
    several = district_frames(data_key(), None).several_districts
    return derived(chain_changes, district_frames(data_key(), district if several else None), links_of(district))


def _statuses(tasks: pd.DataFrame) -> pd.DataFrame | None:
    """Return the final progress status of these tasks, or None when the progress database cannot be read."""
    records = stored_if_readable()
    if records is None:
        return None
    reports, milestones, cadences, _ = records
    return final_statuses(tasks, reports, milestones, cadences, today())


# --- the task card ---------------------------------------------------------------------------------


def chain_lines(frames: Frames, task_ids: tuple[str, ...]) -> dict[str, list[str]]:
    """Return, for each task whose chain has other years, a line per other task of the chain (the phone cards).

    A line: the label (it names the year), the start of the text (or that the notice printed none), the lead units.
    """
    tasks = frames.tasks.set_index("task_id")
    found: dict[str, list[str]] = {}
    wanted = tasks.loc[list(task_ids)]
    for district, group in wanted.groupby("district", sort=False):
        for task_id, members in chains_of(links_of(district), group.index).items():
            others = tasks.loc[[m for m in members if m != task_id]].sort_values("year", kind="stable")
            found[task_id] = [f"{row.label}：{MISSING_TEXT if row.content_missing else text_start(row.content, 50)}"
                              + (f"（牵头：{row.lead_units}）" if row.lead_units else "") for row in others.itertuples()]
    return {task_id: lines for task_id, lines in found.items() if lines}


def task_chain(frames: Frames, task_id: str) -> None:
    """Show a task's chain across years: each year's text side by side, the words that changed, targets, status."""
    district = frames.tasks.loc[frames.tasks["task_id"] == task_id, "district"].iloc[0]
    links = links_of(district)
    rows = chain_rows(frames, links, task_id)
    st.subheader("历年延续", anchor=False)
    if len(rows) < 2:
        st.text(_no_chain(frames, links, task_id))
        return
    st.text(" → ".join(f"{year}年" for year in dict.fromkeys(rows["year"])))
    statuses = _statuses(rows)
    status_of = {} if statuses is None else dict(zip(statuses["task_id"], statuses["status"]))
    reported = {} if statuses is None else dict(zip(statuses["task_id"], statuses["latest_percent"].notna()))
    columns = st.columns(min(len(rows), 4))
    for index, row in enumerate(rows.itertuples()):
        with columns[index % len(columns)].container(border=True):
            st.text(f"{row.year}年 · {row.label}")
            st.text(MISSING_TEXT if row.content_missing else row.content)
            st.text(f"牵头领导：{row.leaders or '（通知未列明）'}；牵头单位：{row.lead_units or '—'}")
            st.text(f"量化指标：{row.targets or '无'}")
            if statuses is None:
                st.text("落实进度：数据库暂时无法读取")
            elif reported.get(row.task_id):
                st.text(f"落实进度（年末或截至今天）：{STATUS_LABELS.get(status_of[row.task_id], status_of[row.task_id])}")
            else:
                st.text("落实进度：没有填报记录")
            if pd.notna(row.confidence):
                st.text(f"与上一份通知的连接：可信度 {row.confidence:.2f}")
    by_id = rows.set_index("task_id")
    members = set(rows["task_id"])
    accepted = links[(links["status"] == "accepted") & links["task_id"].isin(members)
                     & links["previous_task_id"].isin(members)].sort_values(["previous_year", "task_id"])
    if accepted.empty:
        return
    # lines of text, not a table: every word visible at any width (a table hides its right columns on a phone)
    st.markdown("**改动的文字**（按原文逐字比较，数字按整体）")
    for task, previous in zip(accepted["task_id"], accepted["previous_task_id"]):
        before, after = by_id.loc[previous], by_id.loc[task]
        with st.container(border=True):
            st.text(f"{before['label']} → {after['label']}")
            if before["content_missing"] or after["content_missing"]:
                st.text("其中一年的通知未列出任务原文，无从比较。")
                continue
            removed, added = text_changes(before["content"], after["content"])
            st.text(f"删去：{'、'.join(removed) or '（无）'}\n新增：{'、'.join(added) or '（无）'}")


HORIZON_WORDS = {"five_year": "今后五年重点工作", "one_year": "年度重点工作和民生实事"}


def _no_chain(frames: Frames, links: pd.DataFrame, task_id: str) -> str:
    """Say why a task has no chain: no other notice of its kind to compare with, or none of their tasks matches."""
    task = frames.tasks.loc[frames.tasks["task_id"] == task_id].iloc[0]
    year, horizon = int(task["year"]), horizon_of(task["scope"])
    own = frames.tasks[frames.tasks["district"] == task["district"]]
    years = sorted({int(y) for y, s in zip(own["year"], own["scope"]) if horizon_of(s) == horizon})
    earlier, later = [y for y in years if y < year], [y for y in years if y > year]
    kind = HORIZON_WORDS[horizon]
    if not earlier and not later:
        said = f"本区县只有{year}年的通知列有{kind}，没有其他年度可以比较（{kind}只与其他年度的同类任务相连）。"
    else:
        parts = [f"{earlier[-1]}年的通知中没有与它对应的任务（{year}年新增）" if earlier
                 else f"{year}年之前没有本区县列有{kind}的通知"]
        parts.append(f"{later[0]}年的通知中没有接续它的任务（此后不再列出）" if later
                     else f"{year}年之后还没有本区县列有{kind}的通知")
        said = "；".join(parts) + "。"
    waiting = links[(links["status"] == "proposed")
                    & ((links["task_id"] == task_id) | (links["previous_task_id"] == task_id))]
    if len(waiting):
        said += (f"系统另找到 {len(waiting)} 项可能相连的任务，可信度不足 {ACCEPT_AT}，"
                 "待管理员在“数据维护 → 跨年度任务链接”中确认。")
    return said


# --- what carries on -------------------------------------------------------------------------------


def carry_on_section(filters: Filters) -> None:
    """Show, for the selection, 延续/新增/不再列出 against the year before, "连续 N 年列入" and "上年未完成又列入".

    For 总览 (and 领导分工: pass the filters with the leader set; the lists are the leader's tasks).
    """
    st.subheader("延续与变化", anchor=False)
    keys = analysed(selected_keys, filters)
    district_filters = Filters(district=filters.district)
    whole = district_frames(data_key(), filters.district)
    selected = whole.tasks[whole.tasks["task_key"].isin(keys)]
    if selected.empty:
        st.text("当前筛选下没有任务。")
        return
    links = links_of(filters.district)
    _counts(whole, links, selected, filters)
    again = analysed(listed_again, district_filters)
    again = again[again["task_key"].isin(keys)]
    repeated_list(again)
    unfinished_list(whole, again)


def _counts(whole: Frames, links: pd.DataFrame, selected: pd.DataFrame, filters: Filters) -> None:
    for district, tasks in selected.groupby("district", sort=False):
        place = f"{district} " if whole.several_districts else ""
        years = sorted(whole.tasks.loc[whole.tasks["district"] == district, "year"].unique())
        year_to = int(tasks["year"].max())
        earlier = [int(y) for y in years if y < year_to]
        if not earlier:
            st.text(f"{place}{year_to}年之前没有这个区县的通知，无从比较延续与变化。")
            continue
        year_from = earlier[-1]
        marks = carry_on(whole.tasks, links, district, year_from, year_to)
        later = marks[(marks["year"] == year_to) & marks["task_id"].isin(tasks["task_id"])]
        # dropped: the earlier year's tasks of the same selection (tables, leader) that no later task carries on
        same = task_ids(whole, replace(filters, district=None, years=(year_from,)))
        dropped = marks[(marks["status"] == "dropped") & marks["task_id"].isin(same)]
        st.text(f"{place}{year_to}年与{year_from}年相比（按跨年度任务链接；今后五年重点工作只与上一份五年任务相比）")
        columns = st.columns(3)
        columns[0].metric("延续（项）", int((later["status"] == "continued").sum()),
                          help=f"{year_to}年的任务中，接续{year_from}年任务的")
        columns[1].metric("新增（项）", int((later["status"] == "new").sum()),
                          help=f"{year_to}年的任务中，{year_from}年没有对应任务的")
        columns[2].metric("不再列出（项）", len(dropped), help=f"{year_from}年的任务中，{year_to}年没有接续的")
        aside = marks[(marks["status"] == "not_compared") & (marks["task_id"].isin(tasks["task_id"])
                                                             | marks["task_id"].isin(same))]
        if len(aside):
            caption(f"另有 {len(aside)} 项今后五年（或一年期）任务只在其中一份通知中列出（另一份没有同类的表），不作比较，"
                    "不计入以上三项。")


def repeated_list(again: pd.DataFrame) -> None:
    """Show the tasks listed in two or more consecutive notices (连续 N 年列入)."""
    st.markdown("**连续多年列入的任务**")
    if again.empty:
        st.text("当前筛选下没有连续两年以上列入的任务。")
        return
    latest = again.sort_values(["years_listed", "year"], ascending=False, kind="stable").head(LIST_LIMIT)
    shown = latest.assign(listed=latest["years_listed"].map(lambda n: f"连续 {n} 份通知"),
                          since=latest["first_year"].map(lambda y: f"{y}年"))
    caption(f"共 {len(again)} 项：这些任务接续了上一份通知中的任务（点任务明细中的任务可看历年原文对照）。")
    table(shown, {"listed": "列入", "since": "首次列入", "label": "任务"},
          only=["label", "listed", "since", "leaders", "lead_units", "content"], wide_text=("content",),
          phone=(["label", "listed", "leaders"], ["since", "content"]))


def unfinished_list(whole: Frames, again: pd.DataFrame) -> None:
    """Show the tasks listed again whose earlier task was reported but not finished (上年未完成又列入)."""
    st.markdown("**上年未完成又列入的任务**")
    previous_ids = {p for ids in again["previous"] for p in ids}
    previous = whole.tasks[whole.tasks["task_id"].isin(previous_ids)]
    statuses = _statuses(previous)
    if statuses is None:
        st.text("落实进度数据库暂时无法读取，稍后再看。")
        return
    unfinished = last_year_unfinished(again, previous, statuses)
    without = int(statuses["latest_percent"].isna().sum())
    if unfinished.empty:
        st.text("没有：上一份通知中的这些任务或已完成，或没有填报记录。")
    else:
        shown = unfinished.assign(previous_word=unfinished["previous_status"].map(STATUS_LABELS),
                                  previous_done=unfinished["previous_percent"].map(lambda v: f"{v:g}%"))
        table(shown.head(LIST_LIMIT), {"label": "任务", "previous_word": "上年年末状态", "previous_done": "上年完成进度"},
              only=["label", "previous_word", "previous_done", "leaders", "lead_units", "content"],
              wide_text=("content",), phone=(["label", "previous_word", "previous_done"], ["content", "leaders"]))
    if without:
        caption(f"另有 {without} 项上一份通知中的任务没有填报记录，无法判断是否完成，未列入。")


# --- the admins' decisions -------------------------------------------------------------------------


def links_admin(admin: str) -> None:
    """For 数据维护: confirm or reject proposed links, look at accepted ones, add one by hand; saved with history."""
    outcome = st.session_state.pop("_links_outcome", None)
    if outcome:
        (st.success if outcome[0] == "success" else st.error)(literal(outcome[1]))
    all_frames = district_frames(data_key(), None)
    districts = sorted(all_frames.tasks["district"].unique())
    if not districts:
        st.info("还没有任何通知。")
        return
    # first shown: a district with notices of two years or more (one of a single year has nothing to link)
    several_years = all_frames.tasks.groupby("district")["year"].nunique()
    first = next((i for i, d in enumerate(districts) if several_years.get(d, 0) > 1), 0)
    district = st.selectbox("区县", districts, index=first, key="links_district") if len(districts) > 1 \
        else districts[0]
    whole = district_frames(data_key(), district if all_frames.several_districts else None)
    links = links_of(district)
    caption(f"系统按任务文字、量化指标、引号中的项目名称和牵头单位，把每项任务与本区县上一份通知中的任务相连；"
            f"可信度 {ACCEPT_AT} 及以上的自动采用，以下的列为“待确认”。确认、驳回和手工添加的链接保存为规范表"
            "task_links.csv，之前的数据存为历史版本，可在“数据说明”页恢复。")
    labels = dict(zip(whole.tasks["task_id"], whole.tasks["label"]))
    full = dict(zip(whole.tasks["task_id"], [MISSING_TEXT if m else c
                                              for c, m in zip(whole.tasks["content"], whole.tasks["content_missing"])]))
    texts = {t: text if text == MISSING_TEXT else text_start(text, 36) for t, text in full.items()}
    # judged against all the data (the frames of one district still hold every district's decisions):
    # those touching this district's tasks, and those whose tasks are gone from every district
    known, here = set(all_frames.tasks["task_id"]), set(whole.tasks["task_id"])
    broken = invalid_decisions(all_frames.task_links, all_frames)
    broken = broken[broken["task_id"].isin(here) | broken["previous_task_id"].isin(here)
                    | (~broken["task_id"].isin(known) & ~broken["previous_task_id"].isin(known))]
    for problem in broken.itertuples():
        st.warning(literal(f"一条链接决定未生效（{problem.reason}）：{labels.get(problem.task_id, '已删除的任务')} ← "
                           f"{labels.get(problem.previous_task_id, '已删除的任务')}"), icon=":material/warning:")
    years = sorted(whole.tasks["year"].unique())
    if len(years) < 2:
        st.text(f"这个区县只有{years[0]}年一份通知，还没有可以相连的任务；导入它另一年度的通知后，"
                "这里会列出系统找到的链接。")
        return
    counts = links["status"].value_counts()
    columns = st.columns(3)
    columns[0].metric("已采用的链接", int(counts.get("accepted", 0)))
    columns[1].metric("待确认", int(counts.get("proposed", 0)))
    columns[2].metric("已驳回", int(counts.get("rejected", 0)))

    view = st.radio("查看", ["待确认", "已采用", "已驳回"], horizontal=True, key="links_view")
    status = {"待确认": "proposed", "已采用": "accepted", "已驳回": "rejected"}[view]
    rows = links[links["status"] == status].sort_values("confidence", ascending=False)
    if rows.empty:
        why = f"系统找到的链接可信度都在 {ACCEPT_AT} 及以上，已自动采用。" if status == "proposed" and len(links) else ""
        st.text(f"没有{view}的链接。{why}")
    else:
        if len(rows) > LIST_LIMIT:
            caption(f"下面列出可信度最高的 {LIST_LIMIT} 条（共 {len(rows)} 条）。")
        _link_list(rows.head(LIST_LIMIT), labels, texts, with_by=status != "proposed")
        pairs = list(zip(rows["task_id"], rows["previous_task_id"], rows["confidence"]))[:LIST_LIMIT]
        if st.session_state.get("links_choice") not in range(len(pairs)):
            st.session_state.pop("links_choice", None)  # the list changed (a decision saved, another view)
        # no form: the chosen pair's texts are shown in full as soon as it is chosen
        with st.container(border=True):
            choice = st.selectbox("选择一条链接", range(len(pairs)), key="links_choice",
                                  format_func=lambda i: f"{labels[pairs[i][0]]} ← {labels[pairs[i][1]]}"
                                                        + _confidence_words(pairs[i][2]))
            task, previous, confidence = pairs[choice]
            _pair_texts(task, previous, labels, full)
            left, right = st.columns(2)
            confirm = left.button("确认这条链接", icon=":material/check:", disabled=status == "accepted",
                                  key="links_confirm")
            reject = right.button("驳回这条链接", icon=":material/close:", disabled=status == "rejected",
                                  key="links_reject")
        if confirm or reject:
            _save(task, previous, "accepted" if confirm else "rejected", admin, confidence,
                  f"{'确认' if confirm else '驳回'}任务链接 {labels[task]} ← {labels[previous]}")
            st.rerun()

    st.markdown("**手工添加一条链接**")
    with st.container(border=True):
        year = st.selectbox("本年任务的年度", years[1:], index=len(years) - 2, key="links_add_year",
                            format_func=lambda y: f"{y}年")
        later = whole.tasks[whole.tasks["year"] == year]["task_id"].tolist()
        earlier = whole.tasks[whole.tasks["year"] < year]["task_id"].tolist()
        for key, options in (("links_add_task", later), ("links_add_previous", earlier)):
            if st.session_state.get(key) not in options:
                st.session_state.pop(key, None)  # another year chosen: its tasks
        task = st.selectbox("本年任务", later, key="links_add_task", format_func=lambda t: f"{labels[t]} {texts[t]}")
        previous = st.selectbox("它接续的更早任务", earlier, key="links_add_previous",
                                format_func=lambda t: f"{labels[t]} {texts[t]}")
        _pair_texts(task, previous, labels, full)
        added = st.button("添加链接", icon=":material/add_link:", key="links_add")
    if added:
        _save(task, previous, "accepted", admin, None, f"添加任务链接 {labels[task]} ← {labels[previous]}")
        st.rerun()


def _confidence_words(confidence: float) -> str:
    return f"（可信度 {confidence:.2f}）" if pd.notna(confidence) else "（手工添加）"


def _link_list(rows: pd.DataFrame, labels: dict, texts: dict, with_by: bool) -> None:
    """Show links as a table (the confidence and both tasks first), or on a phone as two-line items."""
    shown = rows.assign(later=rows["task_id"].map(labels), later_text=rows["task_id"].map(texts),
                        earlier=rows["previous_task_id"].map(labels), earlier_text=rows["previous_task_id"].map(texts),
                        by=rows["decided_by"].replace("", "—"))
    by = ["by"] if with_by else []
    if on_phone():  # every value visible without sideways scrolling; closed, so the choice below is near
        shown = shown.assign(pair=shown["later"] + " ← " + shown["earlier"],
                             score=shown["confidence"].map(lambda c: _confidence_words(c).strip("（）")))
        with st.expander(f"逐条查看这 {len(shown)} 条链接"):
            table(shown, {"later_text": "本年内容", "earlier_text": "所接续任务的内容", "by": "决定人"},
                  phone=(["pair", "score"], ["later_text", "earlier_text", *by]))
        return
    table(shown, {"later": "本年任务", "later_text": "本年内容", "earlier": "所接续的任务",
                  "earlier_text": "所接续任务的内容", "confidence": "可信度", "by": "决定人"},
          only=["confidence", "later", "earlier", "later_text", "earlier_text", *by],
          wide_text=("later_text", "earlier_text"))


def _pair_texts(task: str, previous: str, labels: dict, full: dict) -> None:
    """Show the two tasks of a link side by side (one above the other on a phone), in full and literally."""
    later_side, earlier_side = st.columns(2)
    later_side.text(f"本年任务：{labels[task]}\n{full[task]}")
    earlier_side.text(f"它接续的任务：{labels[previous]}\n{full[previous]}")


def _save(task: str, previous: str, status: str, admin: str, confidence: float | None, action: str) -> None:
    """Save one decision into task_links.csv (atomically, with history); retried once when the data changed meanwhile."""
    directory = directory_of(data_key())
    for attempt in range(2):
        tables, problems, base = read_curated_version(directory)
        if problems:
            st.session_state["_links_outcome"] = ("error", "规范表有问题，未保存：" + "；".join(map(str, problems[:3])))
            return
        decisions = record_decision(tables["task_links"], task, previous, status, admin, confidence)
        try:
            save_tables(directory, {"task_links": decisions}, action, admin, base=base, url=configured_url())
        except StaleBase:
            if attempt == 0:
                continue  # someone saved meanwhile: put the decision into the data as it is now
            st.session_state["_links_outcome"] = ("error", "保存时数据正被修改，请重试。")
            return
        except SaveBusy as error:
            st.session_state["_links_outcome"] = ("error", str(error))
            return
        except (SQLAlchemyError, OSError) as error:
            st.session_state["_links_outcome"] = ("error", not_saved(error))
            return
        break
    forget_data_key()
    st.session_state["_links_outcome"] = ("success", f"已保存：{action}。保存前的数据已存为历史版本。")


__all__ = ["task_chain", "chain_lines", "carry_on_section", "links_admin", "AUTO"]
