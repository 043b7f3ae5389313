"""Downloads hold exactly the selected rows: CSV with BOM for Excel/WPS, formatted XLSX."""

import io
from datetime import datetime

import pandas as pd
from openpyxl import load_workbook

from loaders.downloads import csv_bytes, display_width, file_name, neutralize, xlsx_bytes
from loaders.text import safe_file_name
from loaders.select import Filters, TaskQuery, query_tasks


def selected(frames):
    return query_tasks(frames, Filters(years=(2022,)), TaskQuery(unit="区经信局", lead_only=True))


def test_query_narrows_by_unit_role_and_keywords(frames):
    units = frames.task_units
    lead = units[(units["unit"] == "区经信局") & (units["role"] == "lead") & (units["year"] == 2022)]
    assert set(selected(frames)["task_id"]) == set(lead["task_id"])
    both = query_tasks(frames, Filters(), TaskQuery(keywords="鞋都 产业"))
    assert len(both) > 0
    assert all("鞋都" in c and "产业" in c for c in both["content"])
    assert len(both) < len(query_tasks(frames, Filters(), TaskQuery(keywords="鞋都")))


def test_query_by_category_target_and_section(frames):
    streets = query_tasks(frames, Filters(), TaskQuery(categories=("镇",)))
    town_tasks = frames.task_units.loc[frames.task_units["category"] == "镇", "task_id"]
    assert set(streets["task_id"]) == set(town_tasks)
    with_targets = query_tasks(frames, Filters(), TaskQuery(with_target=True))
    assert set(with_targets["task_id"]) == set(frames.targets["task_id"])
    section = "（六）以人民满意为导向，持续壮大民生事业。"
    assert len(query_tasks(frames, Filters(), TaskQuery(sections=(section,)))) == 21


def test_csv_has_bom_and_exactly_the_rows(frames):
    tasks = selected(frames)
    data = csv_bytes(tasks)
    assert data.startswith(b"\xef\xbb\xbf")
    read = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert read["任务"].tolist() == tasks["label"].tolist()  # the label staff cite, e.g. 2022年度·一(1)
    assert read.loc[0, "任务内容"] == tasks.iloc[0]["content"]


def test_downloads_name_tasks_by_label_never_by_id(frames):
    """People read 2022年度·一(1), not 2022-five_year-07-01: no id in any cell of the CSV or any sheet of the XLSX."""
    tasks = query_tasks(frames, Filters(), TaskQuery())  # every task of both notices
    ids = set(frames.tasks["task_id"])
    read = pd.read_csv(io.BytesIO(csv_bytes(tasks)), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert "任务编号" not in read.columns
    assert not ids & set(read.to_numpy().ravel())
    assert read["任务"].tolist() == tasks["label"].tolist() and len(read) == len(tasks)
    book = load_workbook(io.BytesIO(xlsx_bytes(frames, tasks, [("年度", "全部")])))
    for sheet in book:
        assert "任务编号" not in [c.value for c in sheet[1]], sheet.title
        assert not ids & {c for row in sheet.iter_rows(values_only=True) for c in row}, sheet.title
    units = book["单位分工"]
    header = [c.value for c in units[1]]
    assert header[0] == "任务"
    labels = [row[0] for row in units.iter_rows(min_row=2, values_only=True)]
    expected = frames.task_units["task_id"].map(dict(zip(frames.tasks["task_id"], frames.tasks["label"])))
    assert labels == expected.tolist()  # every unit row, named by its task's label
    assert set(labels) <= set(book["任务明细"]["A"][i].value for i in range(1, len(tasks) + 1))


def test_csv_says_when_the_text_is_missing(frames):
    tasks = frames.tasks[frames.tasks["content_missing"]]
    read = pd.read_csv(io.BytesIO(csv_bytes(tasks)), encoding="utf-8-sig", dtype=str)
    assert (read["任务内容"] == "（原文缺少任务内容）").all()


def test_xlsx_is_styled_and_has_the_same_rows(frames):
    tasks = selected(frames)
    applied = [("年度", "2022"), ("单位", "区经信局")]
    book = load_workbook(io.BytesIO(xlsx_bytes(frames, tasks, applied, now=datetime(2026, 11, 22, 9, 30))))
    assert book.sheetnames == ["任务明细", "单位分工", "筛选条件"]
    sheet = book["任务明细"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == sheet.dimensions
    assert all(cell.font.bold for cell in sheet[1])
    header = [c.value for c in sheet[1]]
    labels = [row[header.index("任务")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert labels == tasks["label"].tolist()
    content_column = sheet.cell(row=1, column=header.index("任务内容") + 1).column_letter
    assert sheet.column_dimensions[content_column].width >= 60
    assert sheet[f"{content_column}2"].alignment.wrap_text
    units = book["单位分工"]
    assert units.max_row - 1 == frames.task_units["task_id"].isin(tasks["task_id"]).sum()
    info = {row[0]: row[1] for row in book["筛选条件"].iter_rows(min_row=2, values_only=True)}
    assert info["单位"] == "区经信局" and info["导出时间"] == "2026-11-22 09:30" and info["任务数"] == len(tasks)
    notices = [v for k, v in book["筛选条件"].iter_rows(values_only=True) if k == "来源通知"]
    assert len(notices) == 1 and notices[0].startswith("温鹿政办〔2022〕4号 ")  # not the 2020 notice: none of its tasks


def test_the_filter_sheet_lists_only_the_notices_of_the_tasks_in_the_file(frames):
    def notices(tasks):
        book = load_workbook(io.BytesIO(xlsx_bytes(frames, tasks, [("年度", "全部")])))
        return [v.split(" ")[0] for k, v in book["筛选条件"].iter_rows(values_only=True) if k == "来源通知"]

    both = query_tasks(frames, Filters(), TaskQuery(keywords="鞋都"))
    assert set(both["year"]) == {2020, 2022}
    assert notices(both) == ["温鹿政办〔2020〕18号", "温鹿政办〔2022〕4号"]
    assert notices(both[both["year"] == 2020]) == ["温鹿政办〔2020〕18号"]
    assert notices(frames.tasks[frames.tasks["year"] == 2022].head(1)) == ["温鹿政办〔2022〕4号"]


def test_formulas_are_neutralized():
    assert neutralize("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert neutralize("+1") == "'+1" and neutralize("@a") == "'@a" and neutralize("-2") == "'-2"
    assert neutralize("区发改局") == "区发改局" and neutralize(5) == 5


def test_file_names_say_what_is_inside():
    assert file_name([("年度", "2022"), ("单位", "区经信局"), ("关键词", "鞋")], "xlsx") == \
        "任务明细_2022_区经信局_关键词鞋.xlsx"
    assert file_name([("年度", "2022"), ("牵头领导", "林杰")], "csv") == "任务明细_2022_林杰.csv"
    assert file_name([("年度", "2022"), ("表格", "全部"), ("牵头领导", "全部"), ("单位", "区经信局")],
                     "csv") == "任务明细_2022_区经信局.csv"


def test_file_names_carry_every_filter_so_two_selections_never_share_a_name():
    base = [("区县", "鹿城区"), ("年度", "2022"), ("表格", "民生实事"), ("牵头领导", "林杰"), ("单位", "区经信局"),
            ("只看牵头", "否"), ("单位类别", "全部"), ("板块/分组", "全部"), ("有量化指标", "否"), ("关键词", "无")]
    variants = [base,
                [*base[:5], ("只看牵头", "是"), *base[6:]],
                [*base[:6], ("单位类别", "区级部门"), *base[7:]],
                [*base[:8], ("有量化指标", "是"), base[9]],
                [*base[:9], ("关键词", "垃圾")],
                [*base[:9], ("关键词", "垃圾 分类")]]
    names = [file_name(applied, "csv") for applied in variants]
    assert len(set(names)) == len(names)
    assert names[0] == "任务明细_鹿城区_2022_民生实事_林杰_区经信局.csv"
    assert "只看牵头" in names[1] and "有量化指标" in names[3] and "关键词垃圾、分类" in names[5]


def test_file_names_drop_what_file_systems_refuse_and_formula_or_option_signs():
    name = file_name([("单位", '=cmd|"/C calc"!A0'), ("板块/分组", "-rf *"), ("关键词", "@x a:b"),
                      ("截至", "截至2022-09-30")], "xlsx")
    assert name == "任务明细_cmdCcalc!A0_rf_关键词x、ab_截至2022-09-30.xlsx"
    assert safe_file_name(["汇报材料", "=", "  ", "a\tb"], "pdf") == "汇报材料_ab.pdf"  # empty parts dropped
    assert len(safe_file_name(["任务明细", "长" * 200], "csv")) == 80 + len(".csv")


def test_chinese_characters_count_double_width():
    assert display_width("区发改局") == 8 and display_width("ab") == 2


def test_curated_downloads_neutralize_formula_cells_and_keep_the_rest(curated_copy):
    """数据说明's 下载规范表 buttons: tasks.csv and units.csv with cells starting = + - @."""
    import csv as csv_module
    import io

    from loaders.curated import read_curated, table_bytes
    from loaders.downloads import curated_csv_download

    raw, _ = read_curated(curated_copy)
    tasks, units = raw["tasks"].copy(), raw["units"].copy()
    hostile = ['=HYPERLINK("http://x","点我")', "+86-577", "-1", "@SUM(A1)"]
    tasks.loc[:3, "note"] = hostile
    units.loc[0, "aliases"] = "=1+1"
    for name, frame in (("tasks", tasks), ("units", units)):
        served = curated_csv_download(table_bytes(frame))
        assert served.startswith("\ufeff".encode("utf-8"))
        rows = list(csv_module.reader(io.StringIO(served.decode("utf-8-sig"))))
        cells = [cell for row in rows for cell in row]
        assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))]
        expected = [[neutralize(cell) for cell in row] for row in
                    csv_module.reader(io.StringIO(table_bytes(frame).decode("utf-8-sig")))]
        assert rows == expected  # nothing else changes
    assert ["'" + text for text in hostile] == [
        row[12] for row in csv_module.reader(io.StringIO(curated_csv_download(table_bytes(tasks)).decode("utf-8-sig")))][1:5]
