"""The framework floor of bench/load.py: one selectbox and one plotly chart, on the same cached tables.

What a Streamlit page costs per run when it does nothing but read a filter and draw
one chart: the figure of each year is built once and shared (st.cache_resource), as
the dashboard's figures are, so a run is Streamlit itself: the script, the
selectbox, the chart's JSON and the messages. The dashboard's pages are measured
against it in the same run (`bench/load.py --floor`).
"""

import plotly.express as px
import streamlit as st

from ui.data import frames


@st.cache_resource(show_spinner=False)
def figure(year: int):
    leaders = frames().task_leaders
    per_leader = leaders[leaders["year"] == year].groupby("leader").size().rename("tasks").reset_index().head(30)
    return px.bar(per_leader, x="tasks", y="leader", orientation="h")


years = sorted(frames().task_leaders["year"].unique(), reverse=True)
year = st.selectbox("年度", [str(y) for y in years], key="year")
st.plotly_chart(figure(int(year)), theme=None)
