"""Planning an import: check a package against the curated data, merge it, say what changes.

    read_package (package.py) → plan_import: every problem at once → ImportPlan
      (the curated tables after the import, which files change, a preview)
    → store.save_tables writes the changed files atomically (store.py)

A notice that is already imported is only replaced when the caller says so.
Nothing here writes a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from dataclasses import replace as amended
from pathlib import Path

import pandas as pd

from loaders.curated import (SPECS, UNIT_CATEGORIES, check_references, check_shape, read_curated,
                             read_curated_version, table_bytes)
from loaders.districts import district_of_issuer
from loaders.frames import Frames, build_frames
from loaders.package import PACKAGE_TABLES, Package, package_workbook
from loaders.problems import CuratedDataError, Problem, cap_problems
from loaders.text import safe_file_name

ADDED_UNITS = "新增单位"
UNIT_KEY = ["district", "unit"]  # a unit is one unit only within its district
LEADER_KEY = ["district", "leader", "year"]  # where units added on the import page (or with --add-unit) are reported


@dataclass(frozen=True)
class ImportPlan:
    """What an import will do: the curated tables after it, and what differs from now."""

    merged: dict[str, pd.DataFrame]
    changed: tuple[str, ...]  # names of the curated tables whose file changes
    added_documents: tuple[str, ...]
    replaced_documents: tuple[str, ...]
    frames: Frames  # built from the merged tables
    before: Frames  # built from the curated tables as they are
    new_units: pd.DataFrame
    new_leaders: pd.DataFrame
    new_metrics: pd.DataFrame
    # sha256 of each curated file the plan was made on: the save is refused if they changed since
    base: dict[str, str] = field(default_factory=dict)

    @property
    def documents(self) -> tuple[str, ...]:
        return self.added_documents + self.replaced_documents

    def action(self) -> str:
        """Return a one-line description for the history: 导入 温鹿政办〔2024〕1号（替换）."""
        parts = [f"{d}（新增）" for d in self.added_documents] + [f"{d}（替换）" for d in self.replaced_documents]
        return "导入 " + "、".join(parts)

    def tasks_per_leader(self) -> pd.DataFrame:
        """Return leader, year and task counts of the imported notices, before and after."""
        return _count_change(self.before, self.frames, self.documents, "task_leaders", ["district", "leader", "year"])

    def tasks_per_unit(self) -> pd.DataFrame:
        """Return unit, role and task counts of the imported notices, before and after."""
        return _count_change(self.before, self.frames, self.documents, "task_units", ["district", "unit", "role"])

    def summary(self) -> pd.DataFrame:
        """Return one row per imported notice: tasks, units and leaders after, and tasks before."""
        rows = []
        for doc in self.documents:
            after = self.frames.tasks[self.frames.tasks["doc_no"] == doc]
            before = self.before.tasks[self.before.tasks["doc_no"] == doc]
            keys = set(after["task_key"])
            rows.append({
                "doc_no": doc, "district": after["district"].iloc[0] if len(after) else "",
                "action": "替换" if doc in self.replaced_documents else "新增",
                "tasks_before": len(before), "tasks_after": len(after),
                "units": self.frames.task_units[self.frames.task_units["task_key"].isin(keys)]["unit"].nunique(),
                "leaders": self.frames.task_leaders[self.frames.task_leaders["task_key"].isin(keys)]["leader"].nunique(),
                "targets": int(after["n_targets"].sum()),
            })
        return pd.DataFrame(rows)


def _count_change(before: Frames, after: Frames, documents, table: str, by: list[str]) -> pd.DataFrame:
    def counts(frames: Frames) -> pd.Series:
        keys = frames.tasks.loc[frames.tasks["doc_no"].isin(documents), "task_key"]
        rows = getattr(frames, table)
        return rows[rows["task_key"].isin(keys)].groupby(by)["task_id"].nunique()

    joined = pd.concat({"tasks_before": counts(before), "tasks_after": counts(after)}, axis=1)
    joined = joined.fillna(0).astype(int).reset_index()
    return joined.sort_values(["tasks_after", "tasks_before"], ascending=False, ignore_index=True)


def added_units_frame(units: dict[str, str], district: str = "") -> pd.DataFrame:
    """Return units chosen on the import page (or with --add-unit 名称=类别) as units rows of a district."""
    return pd.DataFrame({"unit": list(units), "category": list(units.values()), "aliases": "",
                         "district": district})


def package_district(documents: pd.DataFrame) -> str:
    """Return the district of the package's notices (given, or read from the issuer); "" when unclear."""
    named = {d or district_of_issuer(i) or "" for d, i in zip(documents["district"], documents["issuer"])}
    return named.pop() if len(named) == 1 else ""


def plan_import(package: Package, directory: Path, replace: bool = False,
                added_units: dict[str, str] | None = None) -> tuple[ImportPlan | None, list[Problem]]:
    """Return the plan of importing package into the curated folder, or the problems found (at most 100 a file)."""
    plan, problems = _plan_import(package, directory, replace, added_units)
    return plan, cap_problems(problems)


def _plan_import(package: Package, directory: Path, replace: bool,
                 added_units: dict[str, str] | None) -> tuple[ImportPlan | None, list[Problem]]:
    current, problems, base = read_curated_version(Path(directory))
    if problems:
        return None, [amended(p, message="现有规范表有问题：" + p.message) for p in problems]
    tables = _complete(package)
    tables["units"] = _keep_shared_units(package, tables["units"], current["units"])
    problems += [package.locate(p) for name in PACKAGE_TABLES if name in package.tables
                 for p in check_shape(package.tables[name], SPECS[name])]
    problems += _empty_tables(package)
    if problems:
        return None, problems

    replaced = _already_imported(tables["documents"], current)
    problems += _collisions(package, tables, current, replaced, replace)
    problems += _dictionary_conflicts(package, tables, current)
    problems += [package.locate(p) for p in check_references(tables)]
    added = added_units_frame(added_units or {}, package_district(tables["documents"]))
    problems += _check_added_units(added, current["units"])
    if problems:
        return None, problems
    tables["units"] = pd.concat([tables["units"], added], ignore_index=True)

    merged = _merge(current, tables, replaced)
    before, _ = build_frames(current)
    # interpret only the imported tasks first, so problems point at rows of the import file
    only_new = dict(merged, tasks=tables["tasks"])
    _, problems = build_frames(only_new)
    problems = [_for_import(package.locate(p)) for p in problems]
    if problems:
        return None, problems
    frames, problems = build_frames(merged)
    problems += check_references(merged)
    if problems:  # pragma: no cover - the checks above should have found these in the import file
        return None, [amended(p, message="合并后：" + p.message) for p in problems]

    changed = tuple(name for name in SPECS if table_bytes(current[name]) != table_bytes(merged[name]))
    return ImportPlan(
        merged=merged, changed=changed,
        added_documents=tuple(d for d in tables["documents"]["doc_no"] if d not in replaced),
        replaced_documents=tuple(d for d in tables["documents"]["doc_no"] if d in replaced),
        frames=frames, before=before,
        new_units=_new_rows(tables["units"], current["units"], UNIT_KEY),
        new_leaders=_new_rows(tables["leaders"], current["leaders"], LEADER_KEY),
        new_metrics=_new_rows(tables["metrics"], current["metrics"], ["metric"]),
        base=base,
    ), []


def _check_added_units(added: pd.DataFrame, known: pd.DataFrame) -> list[Problem]:
    problems = []
    for position, row in enumerate(added.itertuples(), start=1):
        if row.category not in UNIT_CATEGORIES:
            problems.append(Problem(ADDED_UNITS, position, "category", f"单位“{row.unit}”的类别“{row.category}”无效",
                                    "选择以下之一：" + "、".join(UNIT_CATEGORIES)))
        if (row.district, row.unit) in set(zip(known["district"], known["unit"])):
            problems.append(Problem(ADDED_UNITS, position, "unit", f"单位“{row.unit}”已在{row.district}的词典中",
                                    "不必新增"))
    return problems


def _complete(package: Package) -> dict[str, pd.DataFrame]:
    """Return every curated table of the package, optional ones empty, with all spec columns."""
    tables = {}
    for name, spec in SPECS.items():
        frame = package.tables.get(name, pd.DataFrame(columns=list(spec.columns))).copy()
        for column in spec.columns:
            if column not in frame.columns:
                frame[column] = ""
        tables[name] = frame[list(spec.columns)].astype(str).reset_index(drop=True)
    # dictionary rows of a package without a district column (templates made before districts)
    # belong to the district of its notices; with the column, an empty unit district means shared
    documents = tables["documents"]
    # written down as read from the issuer, so that the curated file says which district it is
    documents["district"] = [d or district_of_issuer(i) or "" for d, i in zip(documents["district"], documents["issuer"])]
    district = package_district(documents)
    for name in ("units", "leaders"):
        given = name in package.tables and "district" in package.tables[name].columns
        if not given or name == "leaders":
            tables[name]["district"] = tables[name]["district"].where(tables[name]["district"] != "", district)
    return tables


def _keep_shared_units(package: Package, units: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """Return the package's units with names of the shared dictionary (相关街镇…) kept shared.

    A package without a district column (a template made before districts) lists the
    collective names it uses; they belong to every district, not to this one.
    """
    if "units" in package.tables and "district" in package.tables["units"].columns:
        return units
    shared = set(current.loc[current["district"] == "", "unit"])
    return units.assign(district=units["district"].where(~units["unit"].isin(shared), ""))


def _empty_tables(package: Package) -> list[Problem]:
    problems = []
    for name, what in (("documents", "没有通知行"), ("tables", "没有表行"), ("tasks", "没有任务行")):
        if name in package.tables and package.tables[name].empty:
            where = package.locations[name]
            problems.append(Problem(where.file, 2, None, f"{what}（只有表头）",
                                    "从第2行起每行填写一条记录", sheet=where.sheet))
    return problems


def _already_imported(documents: pd.DataFrame, current: dict[str, pd.DataFrame]) -> set[str]:
    return set(documents["doc_no"]) & set(current["documents"]["doc_no"])


def _collisions(package: Package, tables, current, replaced: set[str], replace: bool) -> list[Problem]:
    """Return notices already imported (unless replacing) and ids taken by other notices."""
    problems = []
    tasks_per_doc = current["tasks"].merge(current["tables"][["table_id", "doc_no"]], on="table_id")
    tasks_per_doc = tasks_per_doc.groupby("doc_no").size()
    if not replace:
        for index in tables["documents"].index[tables["documents"]["doc_no"].isin(replaced)]:
            doc = tables["documents"].loc[index, "doc_no"]
            problems.append(package.locate(Problem(
                "documents.csv", index + 2, "doc_no", f"通知“{doc}”已经导入过（现有 {tasks_per_doc.get(doc, 0)} 条任务）",
                "若要用本文件替换它：在数据维护页勾选“替换已导入的通知”，命令行加 --replace；"
                "替换前的数据会保存在版本历史中。否则请改正文号", value=doc)))
    others = current["tables"][~current["tables"]["doc_no"].isin(replaced)]
    owner = dict(zip(others["table_id"], others["doc_no"]))
    for index in tables["tables"].index[tables["tables"]["table_id"].isin(owner)]:
        table_id = tables["tables"].loc[index, "table_id"]
        problems.append(package.locate(Problem("tables.csv", index + 2, "table_id",
                                               f"表编号“{table_id}”已被通知“{owner[table_id]}”使用",
                                               "换一个表编号，如 年份-annual")))
    other_tasks = current["tasks"][current["tasks"]["table_id"].isin(set(others["table_id"]))]
    task_owner = dict(zip(other_tasks["task_id"], other_tasks["table_id"]))
    for index in tables["tasks"].index[tables["tasks"]["task_id"].isin(task_owner)]:
        task_id = tables["tasks"].loc[index, "task_id"]
        problems.append(package.locate(Problem("tasks.csv", index + 2, "task_id",
                                               f"任务编号“{task_id}”已被表“{task_owner[task_id]}”使用",
                                               "任务编号以本表编号开头，如 2024-annual-001")))
    return problems


def _dictionary_conflicts(package: Package, tables, current) -> list[Problem]:
    """Return dictionary rows of the import that contradict the curated dictionary."""
    problems = []
    for name, key in (("units", UNIT_KEY), ("metrics", ["metric"]), ("leaders", LEADER_KEY)):
        known = current[name].set_index(key)
        for index, row in tables[name].iterrows():
            at = tuple(row[k] for k in key) if len(key) > 1 else row[key[0]]
            if at not in known.index:
                continue
            existing = known.loc[at]
            differs = [c for c in SPECS[name].columns if c not in key and row[c] != existing[c]
                       and not (name == "leaders" and c == "title" and row[c] == "")]
            if differs:
                column = differs[0]
                named = "、".join(str(row[k]) for k in key if k != "district")
                where = f"{row['district'] or '各区县共用'}的" if "district" in key else ""
                problems.append(package.locate(Problem(
                    SPECS[name].file, index + 2, column,
                    f"“{named}”已在{where}词典中，{column} 为“{existing[column]}”，与本文件的“{row[column]}”不同",
                    f"与词典保持一致（删去该行即沿用词典）；确需修改时先改 data/curated/{SPECS[name].file}")))
    return problems


def _merge(current: dict[str, pd.DataFrame], tables: dict[str, pd.DataFrame], replaced: set[str]) -> dict[str, pd.DataFrame]:
    """Return the curated tables with the package's notices added (or put in place of the old ones)."""
    old_tables = set(current["tables"].loc[current["tables"]["doc_no"].isin(replaced), "table_id"])
    merged = {
        "documents": _splice(current["documents"], current["documents"]["doc_no"].isin(replaced), tables["documents"]),
        "tables": _splice(current["tables"], current["tables"]["doc_no"].isin(replaced), tables["tables"]),
        "tasks": _splice(current["tasks"], current["tasks"]["table_id"].isin(old_tables), tables["tasks"]),
    }
    for name, key in (("units", UNIT_KEY), ("leaders", LEADER_KEY), ("metrics", ["metric"])):
        merged[name] = _upsert(current[name], tables[name], key)
    merged["task_links"] = current["task_links"]  # the admins' link decisions stay (ones left dangling are listed, not applied)
    return merged


def _splice(frame: pd.DataFrame, remove: pd.Series, rows: pd.DataFrame) -> pd.DataFrame:
    """Return frame without the removed rows and with rows where the first removed one was (else at the end)."""
    at = int(remove.to_numpy().argmax()) if remove.any() else len(frame)
    kept = frame[~remove.to_numpy()]
    before = int((~remove.to_numpy()[:at]).sum())
    return pd.concat([kept.iloc[:before], rows[frame.columns], kept.iloc[before:]], ignore_index=True)


def _upsert(frame: pd.DataFrame, rows: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """Return frame with new dictionary rows appended and empty titles filled (nothing removed)."""
    merged = frame.copy()
    index = {tuple(r): i for i, r in enumerate(merged[key].itertuples(index=False))}
    additions = []
    for row in rows[frame.columns].to_dict("records"):
        at = index.get(tuple(row[k] for k in key))
        if at is None:
            additions.append(row)
            index[tuple(row[k] for k in key)] = -1
        else:
            for column, value in row.items():
                if value and merged.iloc[at][column] == "":
                    merged.iloc[at, merged.columns.get_loc(column)] = value
    return pd.concat([merged, pd.DataFrame(additions, columns=frame.columns)], ignore_index=True)


def _new_rows(rows: pd.DataFrame, known: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    known_keys = set(map(tuple, known[key].to_numpy()))
    return rows[[tuple(r) not in known_keys for r in rows[key].to_numpy()]].reset_index(drop=True)


def _for_import(problem: Problem) -> Problem:
    """Return an unknown-unit or unknown-leader problem with the ways to fix it in an import."""
    if problem.value is None:
        return problem
    if problem.code == "unknown_unit":
        hint = problem.fix.split("改正拼写")[0]
        fix = (f"{hint}改正拼写；若是新单位，在数据维护页“新增单位”中选类别，或在 units 工作表加一行"
               f"（命令行：--add-unit {problem.value}=类别，类别为{'、'.join(UNIT_CATEGORIES)}之一）")
    else:
        fix = "改正姓名；若是新任领导，在 leaders 工作表加一行（leader、year、title、district）"
    return Problem(problem.file, problem.row, problem.column, problem.message, fix, problem.sheet, problem.value,
                   problem.code)


def notice_tables(frames: Frames, raw: dict[str, pd.DataFrame], doc_no: str) -> dict[str, pd.DataFrame]:
    """Return one notice's rows of the curated tables, with the dictionary entries its tasks use."""
    tables = raw["tables"][raw["tables"]["doc_no"] == doc_no]
    tasks = raw["tasks"][raw["tasks"]["table_id"].isin(tables["table_id"])]
    used = set(frames.task_units.loc[frames.task_units["task_id"].isin(tasks["task_id"]), "unit"])
    used |= set(frames.task_units.loc[frames.task_units["task_id"].isin(tasks["task_id"]), "capacity"])
    years = set(tables["year"])
    district = frames.documents.loc[frames.documents["doc_no"] == doc_no, "district"].iloc[0]
    units, leaders = raw["units"], raw["leaders"]
    return {
        "documents": raw["documents"][raw["documents"]["doc_no"] == doc_no],
        "tables": tables,
        "tasks": tasks,
        "units": units[units["unit"].isin(used) & units["district"].isin(["", district])],
        "leaders": leaders[leaders["year"].isin(years) & (leaders["district"] == district)],
    }


def template_file_name(doc_no: str) -> str:
    """Return the download name of a notice's import workbook: 导入模板_<文号>.xlsx with only safe characters."""
    return safe_file_name(["导入模板", doc_no], "xlsx")


def notice_workbook(directory: Path, doc_no: str) -> bytes:
    """Return one imported notice as an import workbook (also a template for next year's)."""
    raw, problems = read_curated(Path(directory))
    if problems:
        raise CuratedDataError(problems)
    if doc_no not in set(raw["documents"]["doc_no"]):
        raise KeyError(doc_no)
    frames, problems = build_frames(raw)
    if problems:
        raise CuratedDataError(problems)
    return package_workbook(notice_tables(frames, raw, doc_no), IMPORT_GUIDE)


IMPORT_GUIDE = [
    "导入文件说明（本工作表不会被导入）",
    "1. 每个工作表对应 data/curated/ 中的一张规范表：documents（通知）、tables（表）、tasks（任务），"
    "以及可选的 units（新增单位）、leaders（领导及职务）、metrics（新增指标）。",
    "2. 第1行是列名，不要改动；从第2行起每行一条记录。不要合并单元格，不要用公式。",
    "3. documents：doc_no 文号、year 年份、title 标题、issuer 发文机关、signed_date 成文日期（2024-03-07，通知未写可留空）、"
    "district 区县（留空时从发文机关读出，如 温州市鹿城区人民政府办公室 → 鹿城区）等。",
    "4. tables：table_id 如 2024-annual；scope 填 annual（年度）、five_year（五年）或 livelihood（民生实事）；"
    "leaders_from 填 column（表中有牵头领导列）、heading（领导写在分组标题中）或 none（通知未列牵头领导）。",
    "5. tasks：task_id 如 2024-annual-001；seq 为原表序号，每张表（或每个领导分组）从 1 连续编号；"
    "units 照原文填写，牵头单位后加 *；content 照原文填写，原文缺失时留空并在 content_missing 填“是”。",
    "6. units：只需列出本区县单位词典中没有的新单位及其类别（" + "、".join(UNIT_CATEGORIES) + "）；"
    "district 留空即为本通知的区县。",
    "7. leaders：列出当年的牵头领导；title 按通知原文填写职务（通知未列时留空）；district 留空即为本通知的区县。",
    "8. 已导入过的通知（文号相同）需要在导入时确认替换；替换前的数据保存在版本历史中，可以恢复。",
]
