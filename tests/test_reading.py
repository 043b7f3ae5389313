"""Reading notices as published (loaders/reading): round trips of the bundled notices, one file per layout,
bad files with their messages, the command line.

The files are written by tests/notices/make.py (python-docx, openpyxl) into tmp_path.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from loaders import cli
from loaders.curated import DEFAULT_CURATED_DIR, SPECS, read_curated
from loaders.frames import load_frames
from loaders.package import UploadedFile
from loaders.reading import ReadOptions, check_notice, infer_category, is_notice, read_notice
from loaders.reading.layout import tidy_text
from tests.notices import make

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "data" / "sources").glob("*.txt"))
NOTICE_TABLES = ("documents", "tables", "tasks", "leaders")
COMPARED = ("tasks", "task_units", "task_leaders", "targets", "target_changes")


@pytest.fixture
def empty_folder(tmp_path: Path) -> Path:
    """A data folder with no notice in it: documents, tables, tasks and leaders hold only their headers;
    the unit and metric dictionaries (which outlive any one notice) are there."""
    folder = tmp_path / "curated"
    shutil.copytree(DEFAULT_CURATED_DIR, folder)
    for name in NOTICE_TABLES:
        pd.DataFrame(columns=list(SPECS[name].columns)).to_csv(folder / SPECS[name].file, index=False)
    return folder


def run(folder: Path, *args: str) -> int:
    return cli.main(["--curated", str(folder), *args])


def assert_same_frames(got, want, ignore: tuple[str, ...] = ()) -> None:
    for name in COMPARED:
        left = getattr(got, name).drop(columns=[c for c in ignore if c in getattr(got, name)])
        right = getattr(want, name).drop(columns=[c for c in ignore if c in getattr(want, name)])
        pd.testing.assert_frame_equal(left.reset_index(drop=True), right.reset_index(drop=True), obj=name)


def test_bundled_notices_from_their_text_give_todays_curated_data(empty_folder, capsys):
    for source in SOURCES:
        assert run(empty_folder, "import", str(source), "--accept-new") == 0, capsys.readouterr().err
    got, want = load_frames(empty_folder), load_frames()
    assert len(got.tasks) == 257
    assert_same_frames(got, want)
    # leaders with their titles (2022 from the group headings; 2020 prints none)
    key = ["district", "leader", "year", "title"]
    assert sorted(map(tuple, got.leaders[key].astype(str).to_numpy())) == \
        sorted(map(tuple, want.leaders[key].astype(str).to_numpy()))
    # the notices' facts as printed; lead_mark is a curator's remark in today's file
    columns = [c for c in SPECS["documents"].columns if c != "lead_mark"]
    pd.testing.assert_frame_equal(got.documents[columns], want.documents[columns])
    # tables: the same, except that today's file took 附件3's title from the notice's list of attachments
    # (民生实项目) where the table itself prints 民生实事项目
    tables = got.tables.set_index("table_id")
    expected = want.tables.set_index("table_id")
    line = (ROOT / "data" / "sources" / SOURCES[1].name).read_text("utf-8").splitlines()[267]
    assert tables.loc["2022-livelihood", "title"] == tidy_text(line) == "2022年度区政府民生实事项目任务分解表"
    expected.loc["2022-livelihood", "title"] = tidy_text(line)
    pd.testing.assert_frame_equal(tables, expected)


def test_bundled_notices_as_word_documents_give_the_same_data(empty_folder, tmp_path, capsys):
    curated, _ = read_curated(DEFAULT_CURATED_DIR)
    for doc_no, name in (("温鹿政办〔2020〕18号", "2020.docx"), ("温鹿政办〔2022〕4号", "2022.docx")):
        path = tmp_path / name
        path.write_bytes(make.printed_docx(curated, doc_no))
        assert run(empty_folder, "import", str(path), "--accept-new") == 0, capsys.readouterr().err
    got, want = load_frames(empty_folder), load_frames()
    assert_same_frames(got, want, ignore=("source_file", "source_line"))
    assert set(got.tasks["source_file"]) == {"2020.docx", "2022.docx"}


def test_word_layout_keeps_merged_cells_and_repeated_headers(tmp_path):
    """The 2020 .docx has 项目 merged down and across, and the table continues with its header repeated."""
    curated, _ = read_curated(DEFAULT_CURATED_DIR)
    reading = read_notice(UploadedFile("2020.docx", make.printed_docx(curated, "温鹿政办〔2020〕18号")),
                          ReadOptions(), curated)
    assert not reading.problems
    assert len(reading.tables["tables"]) == 1  # one table although printed as two
    tasks = reading.tables["tasks"].set_index("task_id")
    assert tasks.loc["2020-annual-007", "section"] == "（一）以“力夺双赢”为目标，持续做稳发展环境。"
    assert tasks.loc["2020-annual-007", "subsection"] == "1.精准施策扩内需。"
    assert tasks.loc["2020-annual-085", "content_missing"] == "是"


def read(name: str, data: bytes, accept_new: bool = True, **options):
    curated, _ = read_curated(DEFAULT_CURATED_DIR)
    return read_notice(UploadedFile(name, data), ReadOptions(**options), curated, accept_new=accept_new)


def test_metric_columns_are_joined_and_lead_columns_become_marks():
    reading = read("指标.xlsx", make.metric_columns_xlsx(), doc_no="温瓯政办〔2024〕12号", district="瓯海区",
                   issuer="温州市瓯海区人民政府办公室")
    assert not reading.problems
    tasks = reading.tables["tasks"]
    assert tasks["content"].tolist() == ["地区生产总值 增长5.5%", "一般公共预算收入 增长6%", "城镇新增就业 1.2万人"]
    assert tasks["units"].tolist() == ["区发改局*、区统计局、区经信局", "区财政局*、区税务局、各街道", "区人力社保局"]
    assert reading.tables["tables"]["title"].tolist() == ["2024年主要指标责任分解表"]
    assert reading.tables["documents"].loc[0, "year"] == "2024"  # from the table's title
    assert reading.tables["documents"].loc[0, "signed_date"] == ""  # the copy prints no date: never invented
    assert "牵头单位、配合单位分列" in reading.layouts[0]


def test_csv_with_lead_and_support_columns():
    reading = read("分解.csv", make.support_columns_csv(), doc_no="温瓯政办〔2024〕11号")
    assert not reading.problems and reading.district == "瓯海区"  # from the issuer in the title
    tasks = reading.tables["tasks"]
    assert tasks["units"].tolist() == ["区住建局*、区财政局、娄桥街道", "区文化和广电旅游体育局"]
    assert tasks["leaders"].tolist() == ["王芳", "张强 王芳"]
    assert sorted(reading.tables["leaders"]["leader"]) == ["张强", "王芳"]


def test_paragraphs_with_inline_brackets_and_sections():
    reading = read("括号.docx", make.inline_brackets_docx())
    assert not reading.problems
    tasks = reading.tables["tasks"]
    assert tasks["content"].tolist() == ["完成固定资产投资增长6%。", "新开工重大项目20个。", "社会消费品零售总额增长5%。"]
    assert tasks["units"].tolist() == ["区发改局*、区财政局、区经信局", "区发改局", "区商务局*、各街道"]
    assert tasks["leaders"].tolist() == ["李明、王芳", "李明", "王芳"]
    assert tasks["section"].unique().tolist() == ["一、稳增长"]
    assert tasks["subsection"].tolist() == ["（一）扩大有效投资", "（一）扩大有效投资", "（二）促进消费"]
    # numbering starts again under （二）: ids stay distinct
    assert tasks["task_id"].is_unique and tasks["seq"].tolist() == ["1", "2", "1"]
    assert reading.tables["documents"].loc[0, "signed_date"] == "2024-03-01"


def test_unit_line_under_each_task_with_leader_headings():
    reading = read("分组.docx", make.unit_line_docx())
    assert not reading.problems
    tasks = reading.tables["tasks"]
    assert tasks["units"].tolist() == ["区经信局*、区科技局、区大数据中心", "区行政审批局",
                                       "区委宣传部*、各街道、区文化和广电旅游体育局"]
    assert tasks["task_id"].tolist() == ["2024-annual-01-01", "2024-annual-01-02", "2024-annual-02-01"]
    assert reading.tables["tables"]["leaders_from"].tolist() == ["heading"]
    leaders = dict(zip(reading.tables["leaders"]["leader"], reading.tables["leaders"]["title"]))
    assert leaders == {"李明": "常委、常务副区长", "王芳": "副区长"}
    categories = dict(zip(reading.tables["units"]["unit"], reading.tables["units"]["category"]))
    assert categories["区大数据中心"] == "事业单位·中心" and categories["区委宣传部"] == "党委部门"


def test_first_listed_unit_leads_only_when_chosen():
    plain = read("民生.txt", make.lead_first_text())
    chosen = read("民生.txt", make.lead_first_text(), lead_first=True)
    assert plain.tables["tasks"]["units"].tolist()[0] == "区民政局、区财政局、各街道"
    assert chosen.tables["tasks"]["units"].tolist() == ["区民政局*、区财政局、各街道", "区市场监管局"]
    assert chosen.tables["tables"]["scope"].tolist() == ["livelihood"]
    assert chosen.tables["tasks"]["project"].tolist() == ["“暖心食堂”项目", "“放心菜篮”项目"]


@pytest.mark.parametrize("name,maker,expected", [
    ("空.docx", make.no_tasks_docx, "空.docx：找不到任何任务：文件中没有表格，也没有带责任单位的编号段落"),
    ("无内容列.docx", make.no_content_column_docx, "表头（序号、责任单位、牵头领导）中没有任务内容列"),
    ("扫描件.pdf", make.image_only_pdf, "扫描件.pdf：这个 PDF 没有文字层（是扫描件或图片）"),
    ("无任务.txt", make.no_task_text, "无任务.txt：找不到任何任务"),
])
def test_bad_notice_gives_its_message_and_changes_nothing(name, maker, expected, tmp_path, curated_copy, capsys):
    path = tmp_path / name
    path.write_bytes(maker())
    before = {p.name: p.read_bytes() for p in curated_copy.iterdir()}
    assert run(curated_copy, "import", str(path)) == 1
    error = capsys.readouterr().err
    assert expected in error and "规范表未做任何修改" in error and "处理办法" in error
    assert {p.name: p.read_bytes() for p in curated_copy.iterdir()} == before


def test_unknown_units_and_leaders_are_refused_then_accepted_with_categories(tmp_path, curated_copy, capsys):
    path = tmp_path / "分组.docx"
    path.write_bytes(make.unit_line_docx())
    assert run(curated_copy, "validate", str(path)) == 1
    error = capsys.readouterr().err
    # every problem in one pass: seven units and two leaders
    assert error.count("不在瓯海区的单位词典中") == 7 and error.count("不在瓯海区 2024 年领导名单中") == 2
    assert "（按名称推断为“事业单位·中心”）" in error and "分隔规则" in error
    # suggestions come from the same district only: 瓯海区 has no units yet
    assert "是否为" not in error
    assert run(curated_copy, "import", str(path), "--accept-new") == 0
    out = capsys.readouterr().out
    assert "新增单位（按名称推断类别）：区委宣传部=党委部门" in out and "新增领导：李明（2024）常委、常务副区长" in out
    frames = load_frames(curated_copy)
    assert set(frames.tasks["district"]) == {"鹿城区", "瓯海区"}
    units = frames.units[frames.units["district"] == "瓯海区"]
    assert dict(zip(units["unit"], units["category"]))["各街道"] == "统称"


def test_unknown_unit_in_a_known_district_gets_suggestions(tmp_path, curated_copy, capsys):
    text = "\n".join(["温州市鹿城区人民政府办公室文件", "温鹿政办〔2024〕3号",
                      "温州市鹿城区人民政府办公室关于2024年重点工作责任分解的通知",
                      "序号\t重点工作\t责任单位\t牵头领导", "1\t数字化改革。\t区发改委*、区大数据局\t林杰"])
    path = tmp_path / "2024.txt"
    path.write_text(text, encoding="utf-8")
    assert run(curated_copy, "validate", str(path), "--accept-new") == 0
    capsys.readouterr()
    assert run(curated_copy, "validate", str(path)) == 1
    error = capsys.readouterr().err
    assert "2024.txt 第5行 列“units”：单位“区发改委”不在鹿城区的单位词典中。处理办法：是否为“区发改局”" in error


def test_ids_never_collide_with_ids_in_use(tmp_path, curated_copy, capsys):
    # another district's 2022 notice: 2022-annual is taken by 温鹿政办〔2022〕4号
    text = "\n".join(["温州市瓯海区人民政府办公室关于2022年重点工作责任分解的通知", "温瓯政办〔2022〕2号",
                      "序号\t重点工作\t责任单位\t牵头领导", "1\t稳住经济大盘。\t区发改局\t李明"])
    path = tmp_path / "瓯海2022.txt"
    path.write_text(text, encoding="utf-8")
    assert run(curated_copy, "import", str(path), "--accept-new") == 0, capsys.readouterr().err
    frames = load_frames(curated_copy)
    new = frames.tasks[frames.tasks["doc_no"] == "温瓯政办〔2022〕2号"]
    assert new["table_id"].tolist() == ["2022-annual-2"] and new["task_id"].tolist() == ["2022-annual-2-01"]
    assert frames.tasks["task_id"].is_unique


def test_a_notice_without_doc_no_or_issuer_imports_and_says_so_never_inventing_them(tmp_path, curated_copy, capsys):
    path = tmp_path / "指标.xlsx"
    path.write_bytes(make.metric_columns_xlsx())
    assert run(curated_copy, "validate", str(path), "--accept-new") == 1
    error = capsys.readouterr().err  # only the district is truly needed: nothing names it
    assert "无法从发文机关判断行政区" in error and "文号" not in error and "发文机关（" not in error
    assert run(curated_copy, "import", str(path), "--accept-new", "--district", "瓯海区") == 0
    assert "成文日期 未注明，印发日期 未注明" in capsys.readouterr().out
    documents = read_curated(curated_copy)[0]["documents"]
    added = documents[documents["district"] == "瓯海区"].iloc[0]
    assert added["doc_no"].startswith("（未注明文号）") and added["issuer"] == ""


def test_curated_packages_still_go_to_the_package_reader():
    good = ROOT / "tests" / "fixtures" / "import" / "good_2024.xlsx"
    assert not is_notice(UploadedFile(good.name, good.read_bytes()))
    assert is_notice(UploadedFile("a.docx", make.no_tasks_docx()))
    assert is_notice(UploadedFile("a.txt", SOURCES[0].read_bytes()))
    assert not is_notice(UploadedFile("tasks.csv", b"task_id,table_id\n"))


@pytest.mark.parametrize("unit,category", [
    ("五马街道", "街道"), ("藤桥镇", "镇"), ("市自然资源和规划局鹿城分局", "市级派驻机构"), ("区数据局", "区级部门"),
    ("区府办", "区级部门"), ("区大数据发展中心", "事业单位·中心"), ("区委组织部", "党委部门"), ("区残联", "群团组织"),
    ("相关街镇", "统称"), ("鹿城城投集团", "国有企业"), ("某某", ""),
])
def test_unit_categories_are_inferred_from_names(unit, category):
    assert infer_category(unit) == category


def test_check_notice_lists_rows_to_look_at_first():
    curated, _ = read_curated(DEFAULT_CURATED_DIR)
    reading = read_notice(UploadedFile(SOURCES[0].name, SOURCES[0].read_bytes()), ReadOptions(), curated)
    unsure = reading.unsure
    assert unsure["task_id"].tolist() == ["2020-annual-034"] + [f"2020-annual-{n:03d}" for n in range(81, 90)]
    assert "(34) 坚持连片改造" in unsure.iloc[0]["source"]  # shown beside the parsed row
    assert check_notice([UploadedFile(SOURCES[0].name, SOURCES[0].read_bytes())], DEFAULT_CURATED_DIR,
                        ReadOptions()).problems[0].message.startswith("通知“温鹿政办〔2020〕18号”已经导入过")


def test_pdf_with_a_text_layer_is_read_with_its_table():
    reading = read("通知.pdf", make.text_pdf())
    assert not reading.problems
    tasks = reading.tables["tasks"]
    # Chromium writes 人/民/长 as radical code points (⼈ ⺠ ⻓); the reader folds them back
    assert tasks["content"].tolist() == ["地区生产总值增长5.5%。", "新增城镇就业1.2万人，居民收入增长与经济增长同步。"]
    assert tasks["units"].tolist() == ["区发改局*、区统计局", "区人力社保局"]
    assert reading.tables["documents"].loc[0, "title"] == "温州市瓯海区人民政府办公室关于印发2024年重点工作责任分解的通知"
    assert reading.district == "瓯海区"


def test_every_problem_in_one_pass_new_names_and_a_notice_already_imported(tmp_path, curated_copy, capsys):
    """New leaders and an already imported 文号 are reported together, not one round after the other."""
    text = SOURCES[1].read_text("utf-8").replace("伍国军", "伍国君")
    path = tmp_path / "2022.txt"
    path.write_text(text, encoding="utf-8")
    assert run(curated_copy, "validate", str(path)) == 1
    error = capsys.readouterr().err
    assert "领导“伍国君”不在鹿城区 2022 年领导名单中" in error
    assert "通知“温鹿政办〔2022〕4号”已经导入过" in error


def test_each_worksheet_with_its_title_is_its_own_table():
    reading = read("两表.xlsx", make.two_sheets_xlsx(), doc_no="温瓯政办〔2024〕13号", issuer="温州市瓯海区人民政府办公室")
    assert not reading.problems
    tables = reading.tables["tables"]
    assert tables["title"].tolist() == ["2024年重点工作责任分解表", "2024年民生实事项目责任分解表"]
    assert tables["table_id"].tolist() == ["2024-annual", "2024-livelihood"]
    assert reading.tables["tasks"]["task_id"].tolist() == ["2024-annual-01", "2024-livelihood-01"]
