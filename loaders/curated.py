"""Reading and checking the curated tables in data/curated/.

Every curated table is a CSV file (UTF-8 with BOM, so Excel and WPS open it
with Chinese intact). This module reads them as text and checks their shape:
headers, required cells, numbers, references between tables and numbering.
Interpretation (units, leaders, targets) happens in the other modules.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import time
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pandas as pd

from loaders.districts import district_of_issuer
from loaders.problems import Problem

DEFAULT_CURATED_DIR = Path(__file__).resolve().parents[1] / "data" / "curated"
DIR_VARIABLE = "WORK_REPORT_CURATED_DIR"  # the folder the dashboard shows, when not data/curated/


def configured_dir() -> Path:
    """Return the curated tables the dashboard shows: data/curated/, or the folder named by WORK_REPORT_CURATED_DIR."""
    return Path(os.environ.get(DIR_VARIABLE) or DEFAULT_CURATED_DIR)

SCOPES = ("annual", "five_year", "livelihood")
TRUE_WORDS = {"是", "true", "TRUE", "True", "1", "y", "Y", "yes"}
FALSE_WORDS = {"", "否", "false", "FALSE", "False", "0", "n", "N", "no"}


@dataclass(frozen=True)
class TableSpec:
    """The columns of one curated file: which must be there and which must be filled."""

    file: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    key: tuple[str, ...]
    # columns a file may lack (files written before the column existed): read as empty
    optional: tuple[str, ...] = ()
    # a file the folder may lack (folders written before the table existed): read as a table without rows
    optional_file: bool = False

    def empty_bytes(self) -> bytes:
        """Return the bytes of this file without rows (its header only)."""
        return table_bytes(pd.DataFrame(columns=list(self.columns)))


SPECS: dict[str, TableSpec] = {
    "documents": TableSpec(
        "documents.csv",
        ("doc_no", "year", "title", "issuer", "signed_date", "issued_date",
         "publication", "source_file", "attachments", "lead_mark", "source_sha256", "district"),
        ("doc_no", "year", "title"),
        ("doc_no",),
        ("district",),
    ),
    "tables": TableSpec(
        "tables.csv",
        ("table_id", "doc_no", "year", "scope", "attachment", "title",
         "columns_printed", "leaders_from"),
        ("table_id", "doc_no", "year", "scope", "title", "leaders_from"),
        ("table_id",),
    ),
    "tasks": TableSpec(
        "tasks.csv",
        ("task_id", "table_id", "section_no", "section", "subsection", "seq", "part",
         "project", "content", "content_missing", "units", "leaders", "note",
         "source_file", "source_line", "deadline"),
        ("task_id", "table_id", "seq"),
        ("task_id",),
        ("deadline",),
    ),
    "units": TableSpec(
        "units.csv", ("unit", "category", "aliases", "district"), ("unit", "category"), ("district", "unit"),
        ("district",),
    ),
    "leaders": TableSpec(
        "leaders.csv", ("leader", "year", "title", "district"), ("leader", "year"), ("district", "leader", "year"),
        ("district",),
    ),
    "metrics": TableSpec(
        "metrics.csv",
        ("metric", "kind", "synonyms", "parts", "note"),
        ("metric", "kind"),
        ("metric",),
    ),
    # the admins' decisions on task links across years (loaders/analysis/links.py): confirmed,
    # rejected or added by hand; links found from the texts are not stored here
    "task_links": TableSpec(
        "task_links.csv",
        ("task_id", "previous_task_id", "confidence", "decided_by", "status"),
        ("task_id", "previous_task_id"),
        ("task_id", "previous_task_id"),
        ("confidence", "decided_by", "status"),
        optional_file=True,
    ),
}
LINK_STATUSES = ("accepted", "rejected")  # task_links.csv status: an empty cell is accepted

UNIT_CATEGORIES = (
    "区级部门", "街道", "镇", "市级派驻机构", "党委部门", "群团组织",
    "国有企业", "事业单位·中心", "统称", "市级部门", "省级部门", "开发区/园区", "乡镇街道", "待分类",
)
METRIC_KINDS = ("growth", "count", "amount", "ratio")
LEADERS_FROM = ("column", "heading", "none")


def read_csv_text(path: Path) -> pd.DataFrame:
    """Return the CSV at path as a frame of stripped strings (UTF-8, or GB18030 as WPS saves)."""
    return parse_csv_bytes(Path(path).read_bytes())


def parse_csv_bytes(raw: bytes) -> pd.DataFrame:
    """Return CSV bytes as a frame of stripped strings (UTF-8, or GB18030 as WPS saves)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise UnicodeDecodeError("utf-8", raw, 0, 1, "not UTF-8 or GB18030")
    frame = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False)
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.apply(lambda col: col.str.strip())


def table_bytes(frame: pd.DataFrame) -> bytes:
    """Return a curated table as the bytes of its file (UTF-8 with BOM, LF line ends)."""
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def read_curated_files(directory: Path = DEFAULT_CURATED_DIR) -> dict[str, bytes | None]:
    """Return the bytes of every curated file by table name (None when missing), all from one version.

    A save puts a whole new folder in place of data/curated/ in one step, then
    deletes the old one. Reading file by file through the path could combine an
    old documents.csv with a new tables.csv; here every file is opened through
    one descriptor of the folder, so all come from the same folder. When that
    folder was swapped out and deleted while the files were being opened, the
    read starts again from the folder now in place.
    """
    directory = Path(directory)
    for _ in range(50):
        try:
            folder = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        except FileNotFoundError:
            if not (directory.parent / f".{directory.name}.previous").exists():
                break
            time.sleep(0.02)  # a save without an atomic exchange renames the folder away for a moment
            continue
        try:
            handles: dict[str, int | None] = {}
            try:
                for name, spec in SPECS.items():
                    try:
                        handles[name] = os.open(spec.file, os.O_RDONLY, dir_fd=folder)
                    except FileNotFoundError:
                        handles[name] = None
                required = [handle for name, handle in handles.items() if not SPECS[name].optional_file]
                if None in required and not _still_in_place(folder, directory):
                    continue  # the folder was swapped out and is being deleted: read the new one
                # a table added later (task_links) reads as a table without rows where the folder predates it
                return {name: _read_all(handle) if handle is not None
                        else (SPECS[name].empty_bytes() if SPECS[name].optional_file else None)
                        for name, handle in handles.items()}
            finally:
                for handle in handles.values():
                    if handle is not None:
                        os.close(handle)
        finally:
            os.close(folder)
    return {name: None for name in SPECS}


def _still_in_place(folder: int, directory: Path) -> bool:
    try:
        here, there = os.fstat(folder), os.stat(directory)
    except FileNotFoundError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _read_all(handle: int) -> bytes:
    with os.fdopen(os.dup(handle), "rb") as stream:
        return stream.read()


def folder_stamp(directory: Path) -> str:
    """Return a stamp that changes whenever a curated file of the folder changes (names, sizes, times, the folder).

    Cheap (one listing, no reading): the cache key of the dashboard and the check whether a
    folder still holds what was last seen in it.
    """
    try:
        # os.scandir, not Path.glob: building Path objects costs more than the stats
        with os.scandir(directory) as entries:
            files = sorted((entry.name, entry.stat()) for entry in entries
                           if entry.name.endswith(".csv") and not entry.name.startswith("."))  # as glob("*.csv")
        stamp = [os.stat(directory).st_ino] + [(s.st_mtime_ns, s.st_size) for _, s in files]
    except OSError:
        stamp = []
    return str(stamp)


def files_token(files: dict[str, bytes | None]) -> dict[str, str]:
    """Return the sha256 of each curated file by file name ("" for a missing one): what a plan was made on."""
    return {SPECS[name].file: hashlib.sha256(data).hexdigest() if data is not None else ""
            for name, data in files.items()}


def curated_token(directory: Path = DEFAULT_CURATED_DIR) -> dict[str, str]:
    """Return the sha256 of each curated file as it is now (one version)."""
    return files_token(read_curated_files(directory))


def read_curated(directory: Path = DEFAULT_CURATED_DIR) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Return every curated table by name, and the shape problems found in them."""
    tables, problems, _ = read_curated_version(directory)
    return tables, problems


def read_curated_version(directory: Path = DEFAULT_CURATED_DIR
                         ) -> tuple[dict[str, pd.DataFrame], list[Problem], dict[str, str]]:
    """Return every curated table, the problems found, and the token of the version read (files_token)."""
    files = read_curated_files(directory)
    tables: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for name, spec in SPECS.items():
        if files[name] is None:
            problems.append(Problem(spec.file, None, None, "文件不存在",
                                    f"把 {spec.file} 放回 {directory}（可从 git 历史恢复）"))
            tables[name] = pd.DataFrame(columns=list(spec.columns))
            continue
        try:
            frame = parse_csv_bytes(files[name])
        except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
            problems.append(Problem(spec.file, None, None, f"无法读取为 CSV（{error.__class__.__name__}）",
                                    "在 Excel/WPS 中另存为“CSV UTF-8（逗号分隔）”"))
            tables[name] = pd.DataFrame(columns=list(spec.columns))
            continue
        problems += check_shape(frame, spec)
        for column in spec.columns:
            if column not in frame.columns:
                frame[column] = ""
        tables[name] = frame
    if not problems:
        problems += check_references(tables)
    return tables, problems, files_token(files)


def check_shape(frame: pd.DataFrame, spec: TableSpec) -> list[Problem]:
    """Return problems with headers, empty required cells and duplicate keys."""
    problems: list[Problem] = []
    for column in spec.columns:
        if column not in frame.columns and column not in spec.optional:
            close = difflib.get_close_matches(column, frame.columns, n=1, cutoff=0.6)
            hint = f"表头“{close[0]}”是否应为“{column}”？" if close else f"在第1行加上列“{column}”"
            problems.append(Problem(spec.file, 1, column, "缺少列", hint))
    for column in spec.required:
        if column not in frame.columns:
            continue
        for index in frame.index[frame[column] == ""]:
            problems.append(Problem(spec.file, index + 2, column, "必填单元格为空", f"填写“{column}”"))
    if all(c in frame.columns for c in spec.key):
        duplicated = frame.duplicated(list(spec.key), keep="first")
        for index in frame.index[duplicated]:
            key = "、".join(frame.loc[index, list(spec.key)])
            problems.append(Problem(spec.file, index + 2, spec.key[0], f"重复的记录“{key}”",
                                    "删除重复行，或改成不同的编号"))
    return problems


def check_references(tables: dict[str, pd.DataFrame]) -> list[Problem]:
    """Return problems with values that must exist elsewhere or follow a format."""
    problems: list[Problem] = []
    documents, table_list, tasks = tables["documents"], tables["tables"], tables["tasks"]
    problems += _check_int(documents, "documents.csv", "year")
    problems += _check_int(table_list, "tables.csv", "year")
    for column in ("signed_date", "issued_date"):
        dates = pd.to_datetime(documents[column], format="%Y-%m-%d", errors="coerce")
        for index in documents.index[(documents[column] != "") & dates.isna()]:
            problems.append(Problem("documents.csv", index + 2, column, f"日期“{documents.loc[index, column]}”格式不对",
                                    "写成 2022-03-07 这样的年-月-日"))
    deadlines = pd.to_datetime(tasks["deadline"], format="%Y-%m-%d", errors="coerce")
    for index in tasks.index[(tasks["deadline"] != "") & deadlines.isna()]:
        problems.append(Problem("tasks.csv", index + 2, "deadline", f"完成时限“{tasks.loc[index, 'deadline']}”格式不对",
                                "写成 2024-06-30 这样的年-月-日，或留空"))
    problems += _unknown(table_list, "tables.csv", "doc_no", set(documents["doc_no"]),
                         lambda v: f"文号“{v}”不在 documents.csv 中", "先在 documents.csv 中登记该通知")
    doc_year = dict(zip(documents["doc_no"], documents["year"]))
    for index in table_list.index[table_list["doc_no"].map(doc_year).fillna(table_list["year"]) != table_list["year"]]:
        problems.append(Problem("tables.csv", index + 2, "year",
                                f"年份“{table_list.loc[index, 'year']}”与通知的年份“{doc_year[table_list.loc[index, 'doc_no']]}”不同",
                                "表的年份应与所属通知（documents 的 year）一致"))
    problems += _unknown(table_list, "tables.csv", "scope", set(SCOPES), lambda v: f"类别“{v}”无效",
                         "填 annual（年度）、five_year（五年）或 livelihood（民生实事）")
    problems += _unknown(table_list, "tables.csv", "leaders_from", set(LEADERS_FROM), lambda v: f"“{v}”无效",
                         "填 column（表中有牵头领导列）、heading（领导写在分组标题中）或 none（通知未列牵头领导）")
    for index in documents.index[documents["district"] == ""]:
        if district_of_issuer(documents.loc[index, "issuer"]) is None:
            problems.append(Problem("documents.csv", index + 2, "district",
                                    f"发文机关“{documents.loc[index, 'issuer']}”中看不出所属区县",
                                    "在 district 列填写区县名称，如“鹿城区”"))
    problems += _unknown(tasks, "tasks.csv", "table_id", set(table_list["table_id"]),
                         lambda v: f"表“{v}”不在 tables.csv 中", "改成 tables.csv 中的 table_id，或先登记该表")
    problems += _unknown(tasks, "tasks.csv", "content_missing", TRUE_WORDS | FALSE_WORDS,
                         lambda v: f"“{v}”不是是/否", "原文缺少任务内容时填“是”，否则留空")
    empty = (tasks["content"] == "") & tasks["content_missing"].isin(FALSE_WORDS)
    for index in tasks.index[empty]:
        problems.append(Problem("tasks.csv", index + 2, "content", "任务内容为空",
                                "填写原文内容；若原文确实缺失，在 content_missing 填“是”"))
    for column in ("seq", "section_no", "part", "source_line"):
        problems += _check_int(tasks, "tasks.csv", column, allow_empty=column != "seq")
    if not problems:
        problems += check_numbering(tasks, table_list)
    problems += _unknown(tables["units"], "units.csv", "category", set(UNIT_CATEGORIES),
                         lambda v: f"类别“{v}”无效", "填以下之一：" + "、".join(UNIT_CATEGORIES))
    problems += _unknown(tables["metrics"], "metrics.csv", "kind", set(METRIC_KINDS), lambda v: f"类型“{v}”无效",
                         "填 growth（增速）、count（数量）、amount（金额）或 ratio（比率）")
    problems += _check_int(tables["leaders"], "leaders.csv", "year")
    links = tables.get("task_links")
    if links is not None and len(links):
        problems += _unknown(links, "task_links.csv", "status", set(LINK_STATUSES) | {""},
                             lambda v: f"状态“{v}”无效", "填 accepted（确认）、rejected（驳回），或留空（确认）")
        confidence = pd.to_numeric(links["confidence"], errors="coerce")
        bad = (links["confidence"] != "") & ~confidence.between(0, 1)
        for index in links.index[bad]:
            problems.append(Problem("task_links.csv", index + 2, "confidence",
                                    f"置信度“{links.loc[index, 'confidence']}”不是 0 到 1 之间的数", "填 0 到 1 之间的小数，或留空"))
    return problems


def _unknown(frame: pd.DataFrame, file: str, column: str, allowed: set[str], message, fix: str) -> list[Problem]:
    """Return a problem for every cell of column whose value is not allowed."""
    return [Problem(file, index + 2, column, message(frame.loc[index, column]), fix)
            for index in frame.index[~frame[column].isin(allowed)]]


def check_numbering(tasks: pd.DataFrame, table_list: pd.DataFrame) -> list[Problem]:
    """Return gaps and repeats in the printed numbering of each table.

    Numbering runs 1, 2, … through a table; it may start again at 1 under a new
    heading, section or subsection (2022 附件1–2 under each leader's heading) or run on
    across them (a city's notice numbering its （一）…（四） through every leader). Rows
    that share a number (民生实事 items with sub-rows) must be told apart by `part`.
    """
    problems: list[Problem] = []
    seq = tasks["seq"].astype(int)
    # numbering may also start again at 1 under a new section or subsection (notices read as published)
    heads = tasks["section"] + "|" + tasks["subsection"]
    restart = (seq == 1) & (heads != heads.shift()) & (tasks["table_id"] == tasks["table_id"].shift()) \
        & (seq.shift(fill_value=0) >= 1) & (tasks["part"].isin(["", "1"]))
    frame = pd.DataFrame({
        "seq": seq.to_numpy(),
        "part": tasks["part"].to_numpy(),
        "row": tasks.index.to_numpy() + 2,
        "group": (tasks["table_id"] + "|" + restart.cumsum().astype(str)).to_numpy(),
    })
    distinct = frame.drop_duplicates(["group", "seq"])
    distinct = distinct.assign(expected=distinct.groupby("group", sort=False).cumcount() + 1)
    gaps = distinct[distinct["seq"] != distinct["expected"]].drop_duplicates("group")
    for row in gaps.itertuples():
        problems.append(Problem("tasks.csv", int(row.row), "seq", f"序号{row.seq}与前后不连续（此处应为{row.expected}）",
                                "检查是否漏录、重录或顺序颠倒"))
    repeated = frame[frame.duplicated(["group", "seq"], keep=False)]
    for (_, seq), same in repeated.groupby(["group", "seq"], sort=False):
        if sorted(same["part"].tolist()) != [str(i) for i in range(1, len(same) + 1)]:
            problems.append(Problem("tasks.csv", int(same["row"].iloc[1]), "seq", f"序号{seq}重复出现{len(same)}次",
                                    "删除重复行；若是同一项目的分行，在 part 列依次填 1、2…"))
    return problems


def _check_int(frame: pd.DataFrame, file: str, column: str, allow_empty: bool = False) -> list[Problem]:
    bad = ~frame[column].str.fullmatch(r"\d+")
    if allow_empty:
        bad &= frame[column] != ""
    return [Problem(file, index + 2, column, f"“{frame.loc[index, column]}”不是整数", "只填阿拉伯数字")
            for index in frame.index[bad]]


def as_bool(value: str) -> bool:
    """Return the truth of a 是/否 cell (checked by check_references)."""
    return value in TRUE_WORDS
