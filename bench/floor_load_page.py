"""The framework floor of bench/load.py: one selectbox and one plotly chart, on the same cached tables.

What a Streamlit page costs per run when it does nothing but read a filter and draw
one chart: the dashboard's pages are measured against it in the same run
(`bench/load.py --floor`).
"""

import plotly.express as px
import streamlit as st

from ui.data import frames

leaders = frames().task_leaders
years = sorted(leaders["year"].unique(), reverse=True)
year = st.selectbox("年度", [str(y) for y in years], key="year")
per_leader = leaders[leaders["year"] == int(year)].groupby("leader").size().rename("tasks").reset_index().head(30)
st.plotly_chart(px.bar(per_leader, x="tasks", y="leader", orientation="h"), theme=None)
