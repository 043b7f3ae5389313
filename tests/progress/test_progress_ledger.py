"""Bulk reports from an Excel ledger: Chinese or English headers, every problem in one pass, all or nothing."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook

from loaders.cli import main
from loaders.progress.db import open_database
from loaders.progress.ledger import import_ledger
from loaders.progress.reports import Writer, reports_frame

CHINESE = ["任务编号", "报告期", "完成进度", "进展情况", "存在问题", "下一步措施", "需协调事项", "已完成值"]
ENGLISH = ["task_id", "period", "percent", "progress", "problems", "next_steps", "coordination", "value_reached"]
ADMIN = Writer("办公室张三", is_admin=True)
TODAY = date(2022, 12, 1)


def workbook(header, *rows, title="台账") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD_ROWS = [("2022-annual-01-01", "2022-Q1", 20, "已开展", "", "", "", ""),
             ("2022-annual-01-01", "2022-Q2", "45%", "推进中", "资金缺口", "争取专项债", "请区领导协调用地", "6.8%"),
             ("2022-annual-01-02", "2022-Q2", 50, "<b>照原样</b>", "", "", "", "")]


def test_chinese_headers_import_all_rows(engine, book):
    stored, problems = import_ledger(engine, workbook(CHINESE, *GOOD_ROWS), "台账.xlsx", book, ADMIN, TODAY)
    assert problems == [] and stored == 3
    saved = reports_frame(engine)
    assert list(saved["percent"]) == [20.0, 45.0, 50.0]
    assert set(saved["source"]) == {"ledger"} and set(saved["reported_by"]) == {"办公室张三"}
    assert saved.iloc[1]["coordination"] == "请区领导协调用地" and saved.iloc[1]["value_reached"] == "6.8%"
    assert saved.iloc[2]["progress"] == "<b>照原样</b>"
    # the admin writes on behalf of the lead unit
    assert saved.iloc[0]["unit"] == "区发改局"


def test_english_headers_and_extra_columns(engine, book):
    header = ["任务名称"] + ENGLISH
    rows = [("随便什么",) + row for row in GOOD_ROWS[:1]]
    stored, problems = import_ledger(engine, workbook(header, *rows), "ledger.xlsx", book, ADMIN, TODAY)
    assert problems == [] and stored == 1


def test_every_problem_in_one_pass_and_nothing_saved(engine, book):
    rows = GOOD_ROWS + [
        ("2022-annual-01-01", "2022-Q3", 120, "", "", "", "", ""),
        ("2099-x", "2022-Q3", 10, "", "", "", "", ""),
        ("2022-annual-01-01", "2023-Q1", "一半", "", "", "", "", ""),
        ("2022-annual-01-01", "2022-Q1", 25, "", "", "", "", ""),
    ]
    stored, problems = import_ledger(engine, workbook(CHINESE, *rows), "台账.xlsx", book, ADMIN, TODAY)
    assert stored == 0
    where = {(p.row, p.column) for p in problems}
    assert {(5, "完成进度"), (6, "任务编号"), (7, "报告期"), (7, "完成进度"), (8, "报告期")} <= where
    assert all(p.file == "台账.xlsx" and p.sheet == "台账" and p.fix for p in problems)
    assert "第 2 行已经填过" in next(p.message for p in problems if p.row == 8)
    assert len(reports_frame(engine)) == 0


def test_a_reporter_imports_only_their_own_tasks(engine, book, lead_of):
    writer = lead_of("2022-annual-01-01")
    stored, problems = import_ledger(engine, workbook(CHINESE, *GOOD_ROWS), "台账.xlsx", book, writer, TODAY)
    assert stored == 0 and [p.row for p in problems] == [4]
    assert len(reports_frame(engine)) == 0


def test_file_problems(engine, book):
    _, problems = import_ledger(engine, b"not a zip", "坏.xlsx", book, ADMIN, TODAY)
    assert "XLSX" in problems[0].message
    _, problems = import_ledger(engine, workbook(["任务编号", "进展情况"], ("x", "y")), "缺列.xlsx", book, ADMIN, TODAY)
    assert "报告期" in problems[0].message and "完成进度" in problems[0].message
    _, problems = import_ledger(engine, workbook(["名称"], ("x",)), "无编号.xlsx", book, ADMIN, TODAY)
    assert "任务编号" in problems[0].message
    _, problems = import_ledger(engine, workbook(CHINESE), "空.xlsx", book, ADMIN, TODAY)
    assert "没有任何填报行" in problems[0].message
    assert len(reports_frame(engine)) == 0


def test_command_line_import(database_url, tmp_path, capsys):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(workbook(CHINESE, *GOOD_ROWS[:2]))
    command = ["progress", "--database", database_url, "import", str(path), "--by", "李四"]
    assert main(command) == 0
    assert "已保存 2 条" in capsys.readouterr().out
    bad = tmp_path / "坏台账.xlsx"
    bad.write_bytes(workbook(CHINESE, ("2022-annual-01-01", "2022-Q2", 130, "", "", "", "", "")))
    command[-3] = str(bad)
    assert main(command) == 1
    error = capsys.readouterr().err
    assert "坏台账.xlsx 工作表“台账” 第2行 列“完成进度”" in error and "未保存任何填报" in error
    assert list(reports_frame(open_database(database_url))["reported_by"]) == ["李四", "李四"]
