"""Pieces of the 数据维护 page for a notice as published (.docx/.xlsx/.csv/.txt/.pdf): read it, show every
parsed row beside its source text (rows to look at first), correct in place, then check and save."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from loaders.curated import SPECS, UNIT_CATEGORIES, read_curated
from loaders.districts import applies_to
from loaders.importing import ImportPlan, plan_import
from loaders.package import UploadedFile
from loaders.problems import Problem
from loaders.reading import SEPARATOR_RULES, UNNUMBERED, ReadOptions, Reading, is_notice
from loaders.reading.layout import COLUMN_CHOICES, header_role
from loaders.security.isolated import read_notice_isolated
from loaders.units import UnitDictionary
from loaders.vocabulary import NOT_GIVEN
from ui.cache import data_key, directory_of
from ui.text import caption, literal

ROW_LABELS = {"look": "需核对", "line": "原文行", "source": "原文", "section": "板块/分组", "subsection": "小节",
              "seq": "序号", "part": "分行", "project": "项目名称", "content": "任务内容", "units": "责任单位（*为牵头）",
              "leaders": "牵头领导", "note": "备注"}
EDITABLE = ("section", "subsection", "seq", "project", "content", "units", "leaders", "note")


def notices_in(uploads) -> list[UploadedFile]:
    """Return the uploads that are notices as published (not import packages of curated tables)."""
    files = [UploadedFile(u.name, u.getvalue()) for u in uploads]
    return [f for f in files if is_notice(f)]


@st.cache_data(max_entries=8, show_spinner="正在读取通知原文…")
def _read(name: str, data: bytes, key: str, options: ReadOptions) -> Reading:
    current, _ = read_curated(directory_of(key))
    # read in a child process with memory and time limits, as import packages are (loaders/security/isolated.py)
    return read_notice_isolated(UploadedFile(name, data), options, current, accept_new=True)


def read(upload: UploadedFile, options: ReadOptions) -> Reading:
    """Return the notice read with the options (new units and leaders proposed, not yet accepted)."""
    return _read(upload.name, upload.data, data_key(), options)


def ask_options(upload: UploadedFile) -> ReadOptions:
    """Ask once for what the notice may not print (文号, 区县, 年度, 日期) and the lead-unit choice."""
    first = _read(upload.name, upload.data, data_key(), ReadOptions())
    facts = first.facts
    with st.expander("通知信息（原文中没有的请补上，不会自动编造）", expanded=bool(first.problems), icon=":material/edit:"):
        left, middle, right = st.columns(3)
        printed = facts.get("doc_no", "")
        doc_no = left.text_input("文号", value="" if printed.startswith(UNNUMBERED) else printed,
                                 key=f"doc_no_{upload.name}", placeholder="原文未注明，可留空")
        district = middle.text_input("区县", value=first.district, key=f"district_{upload.name}")
        year = right.text_input("年度", value=facts.get("year", ""), key=f"year_{upload.name}")
        issuer = left.text_input("发文机关", value=facts.get("issuer", ""), key=f"issuer_{upload.name}",
                                 placeholder="原文未注明，可留空")
        signed = middle.text_input("成文日期（年-月-日，可留空）", value=facts.get("signed_date", ""),
                                   key=f"signed_{upload.name}", placeholder=NOT_GIVEN)
        issued = right.text_input("印发日期（年-月-日，可留空）", value=facts.get("issued_date", ""),
                                  key=f"issued_{upload.name}", placeholder=NOT_GIVEN)
        lead_first = st.checkbox("列第一位的责任单位为牵头单位（原文未用 * 标注牵头单位时）", key=f"lead_first_{upload.name}")
    return ReadOptions(district=district.strip(), doc_no=doc_no.strip(), year=year.strip(), lead_first=lead_first,
                       signed_date=signed.strip(), issued_date=issued.strip(), issuer=issuer.strip(),
                       column_roles=ask_columns(upload, first))


def ask_columns(upload: UploadedFile, first: Reading) -> tuple[tuple[str, str], ...]:
    """When a table's header was not understood, let the person say what each column is."""
    header = next((p.value for p in first.problems if p.code in ("headless_table", "no_header") and p.value), "")
    if not header:
        return ()
    cells = list(dict.fromkeys(c for c in header.split("\t") if c))
    guesses = [_choice_of(header_role(c)) for c in cells]
    st.subheader("表头各列是什么")
    st.text("原文表格的表头没有认出来。请为每一列选择它的内容，选好后下方立即按此重新读取。")
    edited = st.data_editor(pd.DataFrame({"column": cells, "role": guesses}), hide_index=True, width="stretch",
                            key=f"columns_{upload.name}",
                            column_config={"column": st.column_config.TextColumn("原文表头", disabled=True),
                                           "role": st.column_config.SelectboxColumn(
                                               "这一列是", options=list(COLUMN_CHOICES), required=True)})
    return tuple((column, role) for column, role in zip(edited["column"], edited["role"]) if role in COLUMN_CHOICES)


def _choice_of(role: str | None) -> str:
    return next((word for word, code in COLUMN_CHOICES.items() if code == role), "备注")


def show_layout(reading: Reading) -> None:
    """Say which layout was recognised and the separator rules."""
    for layout in reading.layouts:
        caption(f"{reading.file} 识别为：{layout}")
    for line, text in reading.unplaced:
        st.warning(f"第{line}行“{text}”写的是责任分工，但上方没有可归属的任务，未计入任何任务；"
                   "如属某项任务，请在下表中补上", icon=":material/help:")
    caption("分隔规则：" + SEPARATOR_RULES)


def show_reading_problems(problems: list[Problem]) -> None:
    st.error(f"通知原文有 {len(problems)} 处问题，未做任何修改。", icon=":material/error:")
    st.code("\n".join(f"{n}. {p}" for n, p in enumerate(problems, start=1)), language=None, wrap_lines=True)


def _looks(reading: Reading, new_units: set[str], new_leaders: set[str]) -> pd.Series:
    """Return, per row, why it needs a look ("" when it does not): unsure reading, new unit, new leader."""
    reasons = []
    for row in reading.rows.itertuples():
        why = [row.check] if row.check else []
        units = [u for u in new_units if u in row.units]
        if units:
            why.append("新单位：" + "、".join(units))
        leaders = [name for name in new_leaders if name in row.leaders.replace(" ", "")]
        if leaders:
            why.append("新领导：" + "、".join(leaders))
        reasons.append("；".join(why))
    return pd.Series(reasons, index=reading.rows.index)


def correct_rows(reading: Reading) -> pd.DataFrame:
    """Show every parsed row beside its source text, rows to look at first; return the corrected tasks."""
    # a name new to a dictionary that already knows this district (year) is worth a look; when the whole
    # district or year is new, every name is new and the tables below list them once instead
    known_leaders = _known_leaders(reading)
    new_units = set(reading.tables["units"]["unit"]) if _district_known(reading) else set()
    new_leaders = set(reading.tables["leaders"]["leader"]) - known_leaders if known_leaders else set()
    rows = reading.rows.assign(look=_looks(reading, new_units, new_leaders), order=range(len(reading.rows)))
    rows = rows.sort_values(["look", "order"], key=lambda c: c.eq("") if c.name == "look" else c, kind="stable")
    st.subheader(f"逐条核对（{len(rows)} 条任务，{int((rows['look'] != '').sum())} 条需要先看）")
    st.text("左侧是原文，右侧是读出的内容；需要核对的行排在最前。直接在表中改正，改好后下方的检查会重新进行。")
    columns = ["look", "line", "source", *EDITABLE]
    edited = st.data_editor(
        rows[columns + ["order"]], hide_index=True, width="stretch", key=f"rows_{reading.file}",
        disabled=["look", "line", "source", "order"], column_order=columns,
        column_config={c: st.column_config.TextColumn(ROW_LABELS[c], width="large" if c in ("source", "content") else
                                                      "medium") for c in columns})
    corrected = reading.tables["tasks"].copy()
    edited = edited.sort_values("order")
    for column in EDITABLE:
        corrected[column] = edited[column].fillna("").astype(str).to_numpy()
    corrected["content_missing"] = corrected["content"].eq("").map({True: "是", False: ""})
    return corrected


def _district_known(reading: Reading) -> bool:
    current, _ = read_curated(directory_of(data_key()))
    return bool((current["units"]["district"] == reading.district).any())


def _known_leaders(reading: Reading) -> set[str]:
    current, _ = read_curated(directory_of(data_key()))
    leaders = current["leaders"]
    year = reading.tables["documents"]["year"].iloc[0]
    here = leaders[(leaders["district"] == reading.district) & (leaders["year"] == year)]
    return set(here["leader"])


def choose_new_entries(reading: Reading) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Let the person check new units (category inferred, changeable) and new leaders; return the chosen rows."""
    units = reading.tables["units"]
    leaders = reading.tables["leaders"]
    new_leaders = leaders[~leaders["leader"].isin(_known_leaders(reading))]
    chosen_units = units.iloc[0:0]
    if len(units):
        current, _ = read_curated(directory_of(data_key()))
        here = current["units"][current["units"]["district"].map(lambda d: applies_to(d, reading.district))]
        dictionary = UnitDictionary(here)
        st.subheader(f"新单位（{len(units)}）")
        st.text(f"这些单位不在{reading.district}的单位词典中。类别按名称推断，可以修改；若是写错了，请在上表改正，"
                "并取消“加入词典”。“可能是”只列同一区县词典中的名称。")
        editor = units.assign(closest=[ "、".join(dictionary.closest(u)) for u in units["unit"]],
                              category=[c if c in UNIT_CATEGORIES else None for c in units["category"]], add=True)
        edited = st.data_editor(
            editor[["unit", "closest", "category", "add"]], hide_index=True, width="stretch",
            key=f"new_units_{reading.file}",
            column_config={"unit": st.column_config.TextColumn("单位（原文写法）", disabled=True),
                           "closest": st.column_config.TextColumn("可能是", disabled=True),
                           "category": st.column_config.SelectboxColumn("类别", options=list(UNIT_CATEGORIES)),
                           "add": st.column_config.CheckboxColumn("加入词典")})
        kept = edited[edited["add"] & edited["category"].notna()]
        chosen_units = pd.DataFrame({"unit": kept["unit"], "category": kept["category"], "aliases": "",
                                     "district": reading.district})
    chosen_leaders = leaders[leaders["leader"].isin(set(leaders["leader"]) - set(new_leaders["leader"]))]
    if len(new_leaders):
        st.subheader(f"新领导（{len(new_leaders)}）")
        st.text("这些领导不在当年领导名单中。职务取自分组标题或姓名旁所印的职务；原文未印职务的留空。")
        edited = st.data_editor(new_leaders.assign(add=True)[["leader", "year", "title", "add"]], hide_index=True,
                                width="stretch", key=f"new_leaders_{reading.file}",
                                column_config={"leader": st.column_config.TextColumn("姓名", disabled=True),
                                               "year": st.column_config.TextColumn("年度", disabled=True),
                                               "title": st.column_config.TextColumn("职务"),
                                               "add": st.column_config.CheckboxColumn("加入名单")})
        kept = edited[edited["add"]].drop(columns="add").assign(district=reading.district)
        chosen_leaders = pd.concat([chosen_leaders, kept], ignore_index=True)
    return chosen_units, chosen_leaders


@dataclass(frozen=True)
class Checked:
    plan: ImportPlan | None
    problems: tuple[Problem, ...]


def check_corrected(reading: Reading, tasks: pd.DataFrame, units: pd.DataFrame, leaders: pd.DataFrame,
                    replace: bool) -> Checked:
    """Return the plan of importing the corrected notice (or every problem, pointing at lines of the notice)."""
    package = reading.package()
    package.tables["tasks"] = tasks[list(SPECS["tasks"].columns)]
    package.tables["units"] = units
    package.tables["leaders"] = leaders
    plan, problems = plan_import(package, directory_of(data_key()), replace=replace)
    return Checked(plan, tuple(problems))


def already_imported(reading: Reading) -> str:
    current, _ = read_curated(directory_of(data_key()))
    doc = reading.tables["documents"]["doc_no"].iloc[0]
    return doc if doc in set(current["documents"]["doc_no"]) else ""


def replace_box(doc: str) -> bool:
    return st.checkbox(literal(f"替换已导入的通知：{doc}（替换前的数据保存为历史版本，可以恢复）"),
                       key="replace_notice")
