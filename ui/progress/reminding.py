"""催报 on 落实进度: each unit's reminder to copy, the DOCX 催报通知, sending (admins, when configured) and the log."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from loaders.clock import local_text
from loaders.progress.reminders import CHANNEL_LABELS, ReminderSettings, reminders_docx, reminders_frame, send_round
from loaders.text import safe_file_name
from ui.access import current_admin, secrets_section
from ui.progress.store import engine, forget_version
from ui.tables import table
from ui.text import caption, literal

_OUTCOME = "_reminder_outcome"
LOG_COLUMNS = {"sent_at": "时间", "channel": "方式", "recipient": "发给", "unit": "单位", "outcome": "结果",
               "detail": "说明", "sent_by": "发送人"}


def reminder_settings() -> ReminderSettings:
    """Return the `[reminders]` section of .streamlit/secrets.toml (nothing configured: nothing can be sent)."""
    return ReminderSettings.from_section(secrets_section("reminders"))


def _send(reminders: tuple, admin: str) -> None:
    # a button callback: one round through every configured channel, every message logged
    results = send_round(engine(), reminder_settings(), list(reminders), admin)
    forget_version()
    failed = [r for r in results if not r.ok]
    st.session_state[_OUTCOME] = (
        "warning" if failed else "success",
        f"已发送 {len(results) - len(failed)} 条消息" + (f"，{len(failed)} 条未送达（见下方记录）" if failed else "") + "。")


def chase_section(reminders: tuple, subject: str, as_of: date) -> None:
    """Show the units to chase with their reminders, the DOCX, the send button and the log of what was sent."""
    caption("最后一个已过填报期限的报告期还没有填报的牵头单位。每个单位的催报文字可直接复制到浙政钉、钉钉或企业微信。")
    if not reminders:
        st.info("没有需要催报的单位。")
        return
    table(pd.DataFrame({"unit": [r.unit for r in reminders], "tasks": [len(r.tasks) for r in reminders],
                        "periods": ["、".join(sorted({p for _, _, due in r.tasks for p in due.split("、")}))
                                    for r in reminders]}),
          {"unit": "牵头单位", "tasks": "逾期未报任务（项）", "periods": "应报报告期"}, wide_text=("periods",))
    names = [r.unit for r in reminders]
    chosen = st.selectbox("查看某个单位的催报文字", names, key="chase_unit")
    st.code(reminders[names.index(chosen)].text, language=None, wrap_lines=True)  # literal, with a copy button
    st.download_button("下载催报通知（DOCX）", lambda: reminders_docx(list(reminders), subject, as_of),
                       file_name=safe_file_name(["催报通知", subject, f"截至{as_of:%Y-%m-%d}"], "docx"),
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                       on_click="ignore", icon=":material/description:", key="download_reminders")
    admin = current_admin()
    settings = reminder_settings()
    outcome = st.session_state.get(_OUTCOME)  # kept until the next round: a rerun must not lose it
    if outcome:
        (st.success if outcome[0] == "success" else st.warning)(literal(outcome[1]))
    if admin and settings.channels():
        st.button(f"向 {len(reminders)} 个单位发送催报（{'、'.join(CHANNEL_LABELS[c] for c in settings.channels())}）",
                  on_click=_send, args=(reminders, admin), icon=":material/send:", key="send_reminders")
    elif admin:
        caption("未配置发送方式：在 .streamlit/secrets.toml 的 [reminders] 中设置钉钉或企业微信群机器人地址、"
                "或邮件服务器后可直接发送（见 docs/部署.md）。")
    else:
        caption("发送催报需要管理员登录（数据维护页）。")
    log = reminders_frame(engine())
    if len(log):
        st.markdown("**催报记录**")
        shown = log.head(50).assign(sent_at=[local_text(t.to_pydatetime()) for t in log.head(50)["sent_at"]],
                                    channel=log.head(50)["channel"].map(CHANNEL_LABELS),
                                    outcome=log.head(50)["outcome"].map({"sent": "已送达", "failed": "未送达"}))
        table(shown[list(LOG_COLUMNS)], LOG_COLUMNS, wide_text=("detail",))
