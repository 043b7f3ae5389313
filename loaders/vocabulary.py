"""The dashboard's words and colours in one place: codes to words, column headers, status colours, fixed phrases.

Frames use English snake_case columns and codes (`annual`, `lead`, `far_behind`);
everything a person reads is looked up here, so a word is changed once for every
screen, download, slide and chart.
"""

from __future__ import annotations

# --- codes to words --------------------------------------------------------------------------------
SCOPE_LABELS = {"annual": "年度重点工作", "five_year": "今后五年重点工作", "livelihood": "民生实事"}
ROLE_LABELS = {"lead": "牵头", "support": "配合"}
QUALIFIER_LABELS = {"approx": "左右", "at_least": "以上", "at_most": "以内", "exact": ""}
KIND_LABELS = {"growth": "增速", "count": "数量", "amount": "金额", "ratio": "比率"}
DIRECTION_LABELS = {"raised": "提高", "lowered": "降低", "unchanged": "持平",
                    "new": "新设", "dropped": "取消"}  # new/dropped: a target of a linked task set or no longer set
# where a unit's role was read: the 责任单位 column of the table, or the remark under it
SOURCE_LABELS = {"table": "责任单位栏", "note": "备注"}
REVIEW_LABELS = {"pending": "未审核", "approved": "已审核", "returned": "退回"}  # 审核 of a report
STATUS_LABELS = {"done": "已完成", "on_track": "正常", "behind": "滞后", "far_behind": "严重滞后",
                 "not_reported": "未报送", "not_started": "未到填报期"}

# --- column headers (tables on screen, downloads) ----------------------------------------------------
COLUMN_LABELS = {
    "label": "任务", "task_id": "任务编号", "year": "年度", "doc_no": "文号", "scope": "表格",
    "section": "板块/分组", "subsection": "小节", "seq": "序号", "project": "项目名称",
    "content": "任务内容", "leaders": "牵头领导", "units": "责任单位", "lead_units": "牵头单位",
    "support_units": "配合单位", "note": "备注", "unit": "单位", "category": "单位类别",
    "lead": "牵头（项）", "support": "配合（项）", "total": "合计（项）", "tasks": "任务数（项）",
    "metric": "指标", "value": "目标值", "unit_of_measure": "计量单位", "qualifier": "限定",
    "phrase": "原句", "kind": "类型", "leader": "领导", "title": "职务", "role": "角色",
    "district": "区县", "who": "名称", "source_line": "原文行号", "unit_raw": "原文写法", "capacity": "兼任身份",
    "source": "来源",
}

# --- colours: one per series wherever it is drawn (charts, slides on screen and in PPTX, XLSX fills) ---
SCOPE_COLORS = {"annual": "#1f5fa8", "five_year": "#e08a1e", "livelihood": "#2a9d5b"}
ROLE_COLORS = {"lead": "#1f5fa8", "support": "#9cc3e6"}
PAIR_COLORS = ("#9aa5b1", "#1f5fa8")  # the earlier and the later of two compared years
DIRECTION_COLORS = {"raised": "#2a9d5b", "lowered": "#c0392b", "unchanged": "#7f8c8d"}
PLACEHOLDER_COLOR = "#b0b0b0"
STATUS_COLORS = {"far_behind": "#c0392b", "behind": "#e6a817", "not_reported": "#7f8c8d", "on_track": "#2a9d5b",
                 "done": "#1f5fa8", "not_started": "#d5dbe1"}

# --- fixed phrases ---------------------------------------------------------------------------------
MISSING_TEXT = "（原文缺少任务内容）"  # a task whose text the notice does not print: never written for it
MISSING_TEXT_ON_CARD = "（原文缺少任务内容，看板不补写。）"  # the same, where the whole task is read (任务卡片)
NOT_GIVEN = "未注明"  # a date, 文号 or leader the source does not print: never invented
NO_LEADER = "未列明牵头领导"  # tasks of a notice that names no leader: counted apart, never as a person
NOT_REPORTED = "未填报"  # a task with no progress report yet
EMPTY_TABLE = "（没有记录）"  # a table without rows (Streamlit would draw one with the English word "empty")
NOTHING = "—"  # an empty cell in a table on screen
