"""From curated tables to the frames the dashboard and the export use.

    read (curated.py) → validate → normalise units, roles, leaders → extract targets → frames

`load_frames()` raises CuratedDataError with every problem found; it never
returns a partial data set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from loaders.curated import DEFAULT_CURATED_DIR, as_bool, read_curated
from loaders.districts import district_of_issuer
from loaders.labels import task_labels
from loaders.leaders import HEADING, LeaderDictionary
from loaders.problems import CuratedDataError, Problem
from loaders.targets import MetricDictionary, extract_targets, pair_targets
from loaders.text import join_list, without_spaces
from loaders.units import UnitDictionary, note_lead_organs, roles, split_unit_list

PLACEHOLDER_CATEGORY = "统称"
TASK_COLUMNS = [  # the tasks frame (an empty data folder gives these columns too)
    "task_id", "district", "year", "doc_no", "table_id", "scope", "section_no", "section", "subsection", "seq", "part",
    "project", "content", "content_missing", "leaders", "units", "lead_units", "support_units", "units_printed",
    "note", "source_file", "source_line", "n_targets", "numbered_in_groups", "deadline",
]


@dataclass(frozen=True)
class Frames:
    """Every frame the dashboard shows, built from one read of data/curated/."""

    documents: pd.DataFrame
    tables: pd.DataFrame
    tasks: pd.DataFrame
    task_units: pd.DataFrame
    task_leaders: pd.DataFrame
    targets: pd.DataFrame
    target_changes: pd.DataFrame  # consecutive-notice pairs of every district (not narrowed by a selection)
    units: pd.DataFrame
    leaders: pd.DataFrame
    metrics: pd.DataFrame
    all_targets: pd.DataFrame  # every target with its task's label, whatever is selected (pairs need both years)
    # the admins' decisions on task links (curated task_links.csv; links themselves: loaders/analysis/links.py)
    task_links: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["task_id", "previous_task_id", "confidence", "decided_by", "status"]))

    @cached_property  # asked for on every run of several pages; the frames never change
    def several_districts(self) -> bool:
        """Return whether the data hold notices of more than one district (labels and tables then name it)."""
        return self.documents["district"].nunique() > 1


def load_frames(directory: Path = DEFAULT_CURATED_DIR) -> Frames:
    """Return the frames built from the curated tables in directory."""
    raw, problems = read_curated(Path(directory))
    if problems:
        raise CuratedDataError(problems)
    frames, problems = build_frames(raw)
    if problems:
        raise CuratedDataError(problems)
    return frames


def build_frames(raw: dict[str, pd.DataFrame]) -> tuple[Frames, list[Problem]]:
    """Return the frames and the problems found while interpreting the tables."""
    problems: list[Problem] = []
    metric_dictionary = MetricDictionary.from_frame(raw["metrics"])
    documents = raw["documents"].assign(
        year=lambda t: t["year"].astype(int),
        district=lambda t: [d or district_of_issuer(i) or "" for d, i in zip(t["district"], t["issuer"])])
    district_of_doc = dict(zip(documents["doc_no"], documents["district"]))
    tables = raw["tables"].assign(year=lambda t: t["year"].astype(int),
                                  district=lambda t: t["doc_no"].map(district_of_doc))
    table_info = {t["table_id"]: t for t in tables.to_dict("records")}
    unit_dictionaries = _per_district(raw["units"], UnitDictionary)
    leader_dictionaries = _per_district(raw["leaders"], LeaderDictionary)

    task_rows, unit_rows, leader_rows, target_rows = [], [], [], []
    for index, row in enumerate(raw["tasks"].to_dict("records")):
        spreadsheet_row = index + 2
        table = table_info[row["table_id"]]
        year, scope, district = int(table["year"]), table["scope"], table["district"]
        unit_dictionary, leader_dictionary = unit_dictionaries(district), leader_dictionaries(district)

        units, unit_problems = _task_units(row, unit_dictionary, spreadsheet_row, district)
        problems += unit_problems
        leaders, leader_problems = _task_leaders(row, table, leader_dictionary, year, spreadsheet_row)
        problems += leader_problems

        content_missing = as_bool(row["content_missing"])
        targets = [] if content_missing else extract_targets(row["content"], metric_dictionary)
        task_rows.append({
            "task_id": row["task_id"], "district": district, "year": year, "doc_no": table["doc_no"],
            "table_id": row["table_id"], "scope": scope,
            "section_no": int(row["section_no"]) if row["section_no"] else None,
            "section": row["section"], "subsection": row["subsection"],
            "seq": int(row["seq"]), "part": int(row["part"]) if row["part"] else None,
            "project": row["project"], "content": row["content"],
            "content_missing": content_missing,
            "leaders": join_list(dict.fromkeys(name for name, _ in leaders)),
            "units": join_list(dict.fromkeys(u["unit"] for u in units)),
            "lead_units": join_list(dict.fromkeys(u["unit"] for u in units if u["role"] == "lead")),
            "support_units": join_list(dict.fromkeys(u["unit"] for u in units if u["role"] == "support")),
            "units_printed": row["units"], "note": row["note"],
            "source_file": row["source_file"],
            "source_line": int(row["source_line"]) if row["source_line"] else None,
            "n_targets": len(targets),
            # numbering restarts under each leader's heading (2022 附件1–2): cite as 年度·一(7)
            "numbered_in_groups": table["leaders_from"] == "heading",
            "deadline": row.get("deadline", ""),  # 完成时限 as a date (年-月-日), "" when the notice gives none
        })
        for unit in units:
            unit_rows.append({"task_id": row["task_id"], **unit})
        for leader, title in leaders:
            leader_rows.append({"task_id": row["task_id"], "leader": leader, "title": title})
        for number, target in enumerate(targets, start=1):
            target_rows.append({
                "task_id": row["task_id"], "year": year, "scope": scope, "target_no": number,
                "metric": target.metric, "value": target.value, "unit": target.unit,
                "qualifier": target.qualifier, "phrase": target.phrase, "kind": target.kind,
                "per_year_average": target.per_year_average,
            })

    tasks = (pd.DataFrame(task_rows) if task_rows else pd.DataFrame(columns=TASK_COLUMNS)).astype({"section_no": "Int64", "part": "Int64", "source_line": "Int64"})
    task_units = pd.DataFrame(unit_rows, columns=[
        "task_id", "unit", "unit_raw", "capacity", "category", "role", "source", "is_placeholder"])
    task_leaders = pd.DataFrame(leader_rows, columns=["task_id", "leader", "title"])
    targets = pd.DataFrame(target_rows, columns=[
        "task_id", "year", "scope", "target_no", "metric", "value", "unit", "qualifier",
        "phrase", "kind", "per_year_average"])
    # an integer key per task: selecting rows by integers is much faster than by id strings
    tasks.insert(0, "task_key", range(len(tasks)))
    # how people cite a task; the district leads the label when the data holds several
    tasks["label"] = task_labels(tasks, district=documents["district"].nunique() > 1)
    context = tasks[["task_id", "task_key", "district", "year", "scope", "table_id"]]
    task_units = task_units.merge(context, on="task_id", how="left")
    task_leaders = task_leaders.merge(context, on="task_id", how="left")
    # with the task's leaders and lead units: a target pair says when the earlier year's task was another's (交接)
    targets = targets.merge(tasks[["task_id", "task_key", "district", "label", "leaders", "lead_units"]],
                            on="task_id", how="left")
    frames = Frames(
        documents=documents, tables=tables, tasks=tasks, task_units=task_units,
        task_leaders=task_leaders, targets=targets, target_changes=pair_targets(targets),
        units=raw["units"], leaders=raw["leaders"].assign(year=lambda t: t["year"].astype(int)),
        metrics=raw["metrics"], all_targets=targets,
        task_links=raw["task_links"] if "task_links" in raw else Frames.__dataclass_fields__["task_links"].default_factory(),
    )
    return frames, problems


def _per_district(dictionary_rows: pd.DataFrame, make):
    """Return district → dictionary built from the rows of that district and the shared rows (made once each)."""
    groups = {district: rows for district, rows in dictionary_rows.groupby("district", sort=False)}
    shared = groups.get("", dictionary_rows.iloc[:0])
    made: dict[str, object] = {}

    def of(district: str):
        if district not in made:
            own = groups.get(district, dictionary_rows.iloc[:0]) if district else dictionary_rows.iloc[:0]
            made[district] = make(pd.concat([own, shared]))
        return made[district]

    return of


def _task_units(row: dict, dictionary: UnitDictionary, spreadsheet_row: int,
                district: str) -> tuple[list[dict], list[Problem]]:
    """Return the unit assignments of one task: table units with roles, then 备注 organs."""
    problems: list[Problem] = []
    mentions = split_unit_list(row["units"], dictionary)
    assignments: dict[str, dict] = {}
    for mention, role in zip(mentions, roles(mentions)):
        if not mention.known:
            problems.append(_unknown_unit("units", mention.unit, dictionary, spreadsheet_row, district))
            continue
        assignments.setdefault(mention.unit, {
            "unit": mention.unit, "unit_raw": mention.unit_raw, "capacity": mention.capacity,
            "category": dictionary.category[mention.unit], "role": role, "source": "table",
            "is_placeholder": dictionary.category[mention.unit] == PLACEHOLDER_CATEGORY,
        })
    for organ in note_lead_organs(row["note"]):
        mention = dictionary.resolve(organ)
        if not mention.known:
            problems.append(_unknown_unit("note", mention.unit, dictionary, spreadsheet_row, district))
            continue
        # a unit already listed in the table keeps its table row
        assignments.setdefault(mention.unit, {
            "unit": mention.unit, "unit_raw": mention.unit_raw, "capacity": mention.capacity,
            "category": dictionary.category[mention.unit], "role": "lead", "source": "note",
            "is_placeholder": False,
        })
    if not assignments and not problems:
        problems.append(Problem("tasks.csv", spreadsheet_row, "units", "没有任何责任单位",
                                "填写责任单位，或在备注中写明“由…牵头”"))
    return list(assignments.values()), problems


def _unknown_unit(column: str, name: str, dictionary: UnitDictionary, spreadsheet_row: int,
                  district: str) -> Problem:
    closest = dictionary.closest(name)  # the dictionary of this district only
    hint = f"是否为“{'”或“'.join(closest)}”？" if closest else ""
    return Problem("tasks.csv", spreadsheet_row, column, f"单位“{name}”不在{district}的单位词典中",
                   hint + f"改正拼写，或在 units.csv 中新增该单位（district 填“{district}”，写明类别），"
                   "别名写在 aliases 列", value=name, code="unknown_unit")


def _task_leaders(row, table, dictionary: LeaderDictionary, year: int, spreadsheet_row: int):
    """Return (leader, title) pairs of one task, from its column or its group heading."""
    problems: list[Problem] = []
    found: list[tuple[str, str]] = []
    if row["leaders"]:
        names, rest = dictionary.split(row["leaders"], year)
        if rest:
            problems.append(Problem("tasks.csv", spreadsheet_row, "leaders",
                                    f"牵头领导“{rest}”不在 {year} 年领导名单中",
                                    f"改正姓名，或在 leaders.csv 中新增“{rest}”（年份 {year}）", value=rest,
                                    code="unknown_leader"))
        found += [(name, dictionary.title.get((name, year), "")) for name in names]
    # a section that is no leader's group (“三、民生实事” after the groups) prints no leader
    in_group = table["leaders_from"] == "heading" and HEADING.match(without_spaces(row["section"])) is not None
    if in_group:
        heading = dictionary.from_heading(row["section"], year)
        if heading is None:
            problems.append(Problem("tasks.csv", spreadsheet_row, "section",
                                    f"分组标题“{row['section']}”中找不到 {year} 年的牵头领导",
                                    "标题应形如“一、林杰常委、常务副区长牵头重点工作”，且姓名在 leaders.csv 中"))
        else:
            listed = dictionary.title.get((heading.leader, year), "")
            if listed != heading.title:
                problems.append(Problem("leaders.csv", None, "title",
                                        f"{heading.leader}（{year}）的职务“{listed}”与标题中的“{heading.title}”不一致",
                                        "按通知原文改正 leaders.csv 的 title 列"))
            if heading.leader not in (name for name, _ in found):
                found.append((heading.leader, heading.title))
    # a leaders column may leave a task's cell empty (the notice names no leader for it: shown as 未列牵头领导);
    # a group heading must name one
    if not found and not problems and in_group:
        problems.append(Problem("tasks.csv", spreadsheet_row, "leaders", "没有牵头领导",
                                "填写 leaders 列（或检查分组标题中的领导姓名）；通知未列牵头领导时，"
                                "把 tables.csv 中该表的 leaders_from 填为 none"))
    return found, problems
