"""数据说明: where the data comes from, how it was curated, and what the source lacks."""

import streamlit as st

from loaders.analysis.quality import content_missing, merged_aliases, note_led_tasks
from loaders.curated import SPECS, configured_dir
from loaders.downloads import curated_csv_download
from loaders.progress.status import rule_text
from loaders.select import Filters
from ui.access import current_admin
from ui.cache import analysed
from ui.data import frames
from ui.filters import current_filters
from ui.importer import history_table, restore_form
from ui.tables import table

CURATED_NAMES = {"documents": "来源通知", "tables": "通知中的表", "tasks": "任务", "units": "责任单位词典",
                 "leaders": "领导名单", "metrics": "指标词典", "task_links": "任务链接决定"}  # the download buttons: words, not file names

st.title("数据说明")
st.caption("数据来源、整理方法、原文缺失的内容、合并的单位别名、由区委部门牵头的备注，以及规范表下载。")

all_frames = frames()
district = current_filters().district  # the sidebar's 区县 when the data holds several
in_district = Filters(district=district)
documents = all_frames.documents
if district:
    documents = documents[documents["district"] == district]

st.subheader("来源通知")
table(documents[["doc_no", "district", "title", "issuer", "signed_date", "issued_date", "publication", "lead_mark"]],
      {"title": "标题", "issuer": "发文机关", "signed_date": "成文日期", "issued_date": "印发日期",
       "publication": "公开方式", "lead_mark": "牵头单位标注"}, wide_text=("title", "lead_mark"))
tables = all_frames.tables[all_frames.tables["doc_no"].isin(documents["doc_no"])]
table(tables[["doc_no", "scope", "attachment", "title", "columns_printed"]],  # table() writes the scope in words
      {"scope": "类别", "attachment": "附件", "title": "表名", "columns_printed": "原表列"},
      wide_text=("title",))

st.subheader("整理方法")
st.text(
    "1. 通知原文（PDF 提取的文本）原样保存在 data/sources/，不做修改。\n"
    "2. 每个表的每一行整理进 data/curated/tasks.csv，记录原文文件和行号；任务内容只去掉 PDF 断行产生的空格。\n"
    "3. 读取时按原文的分隔方式（空格或顿号）拆分责任单位，修复断行拆开的名称，按所属区县的单位词典合并别名；\n"
    "   标 * 的为牵头单位，一行都未标 * 时所列单位均为牵头，其余为配合。\n"
    "4. 牵头领导去掉断行空格后按该区县当年的领导名单匹配；领导写在分组标题中的表（如“一、××常委、常务副区长牵头重点工作”），\n"
    "   领导和职务取自标题；通知未列牵头领导的表，这些任务计为“未列明牵头领导”，不当作某一个人。\n"
    "5. 量化指标从任务内容中抽取数值、单位和限定词，按指标词典在同一区县、同一类表的相邻两份通知之间配对；\n"
    "   不同区县的数据从不相加、不配对。同名单位（如各区的区发改局）只在本区县内是同一个单位。\n"
    "6. 测试逐行核对规范表与原文：内容、单位、领导、备注、* 的个数、序号。"
)

st.subheader("落实进度的亮灯规则")
st.text(rule_text())

st.subheader("原文缺少内容的任务")
missing = analysed(content_missing, in_district)
st.text(f"共 {len(missing)} 项：原文保留了责任单位和牵头领导，但任务内容缺失。看板不补写内容。")
table(missing, wide_text=(), only=["label", "subsection", "units", "leaders"])

st.subheader("合并的单位别名与兼任身份")
table(analysed(merged_aliases, in_district), {"unit_raw": "原文写法", "unit": "计入单位", "capacity": "括号内兼任身份"},
      wide_text=())

st.subheader("备注中由区委部门牵头的任务")
notes = analysed(note_led_tasks, in_district)
table(notes, {"note_units": "记为牵头的单位", "units_printed": "表中责任单位（原文）"},
      only=["label", "note", "note_units", "units_printed", "content"])

st.subheader("下载规范表")
st.caption("规范表为 CSV（UTF-8 带 BOM），文件名与数据目录中的相同，可用 Excel/WPS 直接打开。"
           "以 = + - @ 开头的单元格前加了一个单引号，Excel/WPS 显示为文字，不会当作公式运行。")
columns = st.columns(3)
for index, (name, spec) in enumerate(SPECS.items()):
    path = configured_dir() / spec.file
    # read when clicked, not on every run (tasks.csv is 10 MB at ×100)
    columns[index % 3].download_button(CURATED_NAMES.get(name, spec.file),
                                       lambda path=path: curated_csv_download(path.read_bytes()),
                                       file_name=spec.file, mime="text/csv", on_click="ignore",
                                       key=f"download_{spec.file}", icon=":material/download:")

st.subheader("版本历史")
st.caption("每次导入或恢复前的规范表都保存为一个版本（存在看板的数据库中），数据不会丢失。")
found = history_table()
admin = current_admin()
if found and admin:
    restore_form(found, admin)
