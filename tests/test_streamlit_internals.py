"""The Streamlit internals the dashboard relies on, where the public API has no way; each fails when an upgrade moves it.

- ScriptRunContext.cursors (ui.cache.data_key): a new object for every run of a session, the same within a run.
- PagesManager.uses_pages_directory (ui.data.ensure_entry_point): the class-wide flag that makes a
  page next to a `pages/` folder run on its own until st.navigation clears it.
- st.plotly_chart serializes a figure through figure.to_dict() (ui.cache.SharedFigure answers it with
  the dict made once).
"""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def _run_tokens():
    import streamlit as st
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    first, again = ctx.cursors, get_script_run_ctx().cursors
    seen = st.session_state.setdefault("tokens", [])
    seen.append((id(first), first is again, isinstance(first, dict)))
    st.text(repr(seen))


def test_the_run_token_is_new_for_every_run_and_the_same_within_one():
    app = AppTest.from_function(_run_tokens).run()
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    tokens = app.session_state["tokens"]
    assert len(tokens) == 2
    assert all(same and is_dict for _, same, is_dict in tokens)  # one object throughout a run
    assert tokens[0][0] != tokens[1][0]  # a new one for the next run (ScriptRunContext.reset)


def test_the_pages_directory_flag_is_a_class_attribute_that_st_navigation_clears():
    from streamlit.runtime.pages_manager import PagesManager

    assert "uses_pages_directory" in vars(PagesManager)
    saved = PagesManager.uses_pages_directory
    try:
        PagesManager.uses_pages_directory = None
        PagesManager(str(ROOT / "app.py"))  # app.py has a pages/ folder beside it: the old navigation
        assert PagesManager.uses_pages_directory is True
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        app.run()  # app.py calls st.navigation
        assert not app.exception, [e.message for e in app.exception]
        PagesManager.uses_pages_directory = True
        app.run()
        assert PagesManager.uses_pages_directory is False  # st.navigation cleared the class-wide flag
    finally:
        PagesManager.uses_pages_directory = saved


def _draw_shared_figure():
    import plotly.graph_objects as go
    import streamlit as st

    from ui.cache import SharedFigure

    figure = SharedFigure.of(go.Figure(go.Bar(x=["甲"], y=[1]), layout={"title": "原标题"}))
    figure.__dict__["_shared_dict"]["layout"]["title"] = {"text": "来自共享的字典"}  # only to_dict() knows this
    st.plotly_chart(figure, theme=None)


def test_plotly_chart_sends_what_the_figures_to_dict_returns():
    app = AppTest.from_function(_draw_shared_figure).run()
    assert not app.exception, [e.message for e in app.exception]
    sent = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert sent["layout"]["title"]["text"] == "来自共享的字典"
