"""数据说明: where the data comes from, how it was curated, and what the source lacks."""

import streamlit as st

from loaders.curated import SPECS
from loaders.downloads import curated_csv_download
from loaders.select import Filters
from ui.access import current_admin
from ui.data import analysed, curated_dir, frames
from ui.importer import history_table, restore_form
from ui.show import table

st.title("数据说明")
st.caption("数据来源、整理方法、原文缺失的内容、合并的单位别名、由区委部门牵头的备注，以及规范表下载。")

all_frames = frames()

st.subheader("来源通知")
table(all_frames.documents[["doc_no", "title", "issuer", "signed_date", "issued_date", "publication", "lead_mark"]],
      {"title": "标题", "issuer": "发文机关", "signed_date": "成文日期", "issued_date": "印发日期",
       "publication": "公开方式", "lead_mark": "牵头单位标注"}, wide_text=("title", "lead_mark"))
table(all_frames.tables[["table_id", "doc_no", "attachment", "title", "columns_printed"]],
      {"table_id": "表编号", "attachment": "附件", "title": "表名", "columns_printed": "原表列"},
      wide_text=("title",))

st.subheader("整理方法")
st.text(
    "1. 通知原文（PDF 提取的文本）原样保存在 data/sources/，不做修改。\n"
    "2. 每个表的每一行整理进 data/curated/tasks.csv，记录原文文件和行号；任务内容只去掉 PDF 断行产生的空格。\n"
    "3. 读取时按规则拆分责任单位（2020 年空格分隔，2022 年顿号分隔），修复断行拆开的名称，按单位词典合并别名；\n"
    "   标 * 的为牵头单位，一行都未标 * 时所列单位均为牵头，其余为配合。\n"
    "4. 牵头领导去掉断行空格后按当年领导名单匹配；2022 年附件1、2 的领导和职务取自分组标题。\n"
    "5. 量化指标从任务内容中抽取数值、单位和限定词，并按指标词典把不同年份的同一指标配对。\n"
    "6. 测试逐行核对规范表与原文：内容、单位、领导、备注、* 的个数、序号。"
)

st.subheader("原文缺少内容的任务")
missing = analysed("content_missing", Filters())
st.text(f"共 {len(missing)} 项：原文保留了责任单位和牵头领导，但任务内容缺失。看板不补写内容。")
table(missing[["label", "subsection", "units", "leaders"]], wide_text=())

st.subheader("合并的单位别名与兼任身份")
table(analysed("merged_aliases", Filters()), {"unit_raw": "原文写法", "unit": "计入单位", "capacity": "括号内兼任身份"},
      wide_text=())

st.subheader("备注中由区委部门牵头的任务")
notes = analysed("note_led_tasks", Filters())
table(notes[["label", "note", "note_units", "units_printed", "content"]],
      {"note_units": "记为牵头的单位", "units_printed": "表中责任单位（原文）"})

st.subheader("下载规范表")
st.caption("规范表为 CSV（UTF-8 带 BOM），可用 Excel/WPS 直接打开。以 = + - @ 开头的单元格前加了一个单引号，"
           "Excel/WPS 显示为文字，不会当作公式运行。")
columns = st.columns(3)
for index, spec in enumerate(SPECS.values()):
    path = curated_dir() / spec.file
    # read when clicked, not on every run (tasks.csv is 10 MB at ×100)
    columns[index % 3].download_button(spec.file, lambda path=path: curated_csv_download(path.read_bytes()),
                                       file_name=spec.file, mime="text/csv", on_click="ignore",
                                       key=f"download_{spec.file}", icon=":material/download:")

st.subheader("版本历史")
st.caption("每次导入或恢复前的规范表都保存为一个版本（data/history/），数据不会丢失。")
found = history_table()
admin = current_admin()
if found and admin:
    restore_form(found, admin)
