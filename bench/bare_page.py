"""The reference page of the benchmark: the same rows with one st.dataframe and one chart."""

import plotly.express as px
import streamlit as st

from ui.data import frames

all_frames = frames()
st.dataframe(all_frames.tasks[["task_id", "content", "leaders", "units"]], hide_index=True)
per_leader = all_frames.task_leaders.groupby("leader").size().rename("tasks").reset_index()
st.plotly_chart(px.bar(per_leader, x="tasks", y="leader", orientation="h"), theme=None)
