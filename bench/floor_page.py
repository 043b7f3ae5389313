"""The framework floor of bench/first_chart.py: a Streamlit page with one plotly chart and nothing else.

It reads the same cached tables as the dashboard, so a page's time to first chart
over this page's is what the dashboard adds to Streamlit + plotly.js on the same
machine, server and browser.
"""

import plotly.express as px
import streamlit as st

from ui.data import frames

per_leader = frames().task_leaders.groupby("leader").size().rename("tasks").reset_index().head(30)
st.plotly_chart(px.bar(per_leader, x="tasks", y="leader", orientation="h"), theme=None)
