"""工作报告责任分解看板: navigation, page setup and the shared sidebar filters."""

import streamlit as st

from ui.access import admin_configured
from ui.data import data_stamp, entered_through_app, frames
from ui.filters import sidebar_filters
from ui.layout import page_style
from ui.progress.store import progress_stamp
from ui.text import caption

st.set_page_config(page_title="工作报告责任分解看板", page_icon=":material/assignment:", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="总览", icon=":material/dashboard:", default=True),
    st.Page("pages/leaders.py", title="领导分工", icon=":material/groups:", url_path="leaders"),
    st.Page("pages/units.py", title="单位负荷", icon=":material/account_tree:", url_path="units"),
    st.Page("pages/tasks.py", title="任务明细", icon=":material/list_alt:", url_path="tasks"),
    st.Page("pages/targets.py", title="量化指标", icon=":material/trending_up:", url_path="targets"),
    st.Page("pages/about.py", title="数据说明", icon=":material/info:", url_path="about"),
    st.Page("pages/meeting.py", title="汇报模式", icon=":material/slideshow:", url_path="meeting"),
    st.Page("pages/progress.py", title="落实进度", icon=":material/traffic:", url_path="progress"),
    st.Page("pages/report.py", title="填报", icon=":material/edit_note:", url_path="report"),
]

if admin_configured():
    # only where an admin password or OIDC admins are configured; viewers never see write actions
    PAGES.append(st.Page("pages/admin.py", title="数据维护", icon=":material/upload_file:", url_path="admin"))

page = st.navigation(PAGES)
entered_through_app()  # pages run on their own by Streamlit rerun through app.py (ui.data)
page_style()
if page.url_path == "meeting":
    # the deck brings its own controls; the shared filters would only clutter the projector
    st.set_page_config(initial_sidebar_state="collapsed")
elif page.url_path not in ("admin", "report"):  # the import and report pages do not use the shared filters
    sidebar_filters(frames(), page.url_path)
with st.sidebar:
    caption(data_stamp())  # every page says how fresh its data is (the action names notices: escaped)
    if stamp := progress_stamp():  # and when the latest progress report came in (a unit's name: escaped)
        caption(stamp)
page.run()
