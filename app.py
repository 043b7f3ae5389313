"""工作报告责任分解看板 — entry point (navigation is added with the screens)."""

import streamlit as st

st.set_page_config(page_title="工作报告责任分解看板", layout="wide")
st.title("工作报告责任分解看板")
st.text("看板页面正在建设中。数据层已就绪：python -m loaders validate / export。")
