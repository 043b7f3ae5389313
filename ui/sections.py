"""Parts of a page shown on request: a row of buttons, bound to the URL; only the chosen part is computed."""

from __future__ import annotations

import streamlit as st

from ui.text import caption

# the URL parameter of every on_request control (known to ui.filters; each control checks its own labels)
SECTION_KEYS = ("overview_more", "leaders_view", "units_view", "targets_view", "progress_by", "progress_list")


class Section:
    """One part of a page shown on request: `.open` says whether to compute it; `with section:` draws into it."""

    def __init__(self, label: str, is_open: bool, box) -> None:
        self.label, self.open, self._box = label, is_open, box

    def __enter__(self):
        return self._box.__enter__()

    def __exit__(self, *exc):
        return self._box.__exit__(*exc)


def on_request(labels: list[str], key: str, default: str | None = None, label: str = "更多内容",
               required: bool = False) -> list[Section]:
    """Show a row of buttons, one per part of the page below its first chart; only the chosen part is drawn.

    Heavy pages draw their first chart alone: everything else waits until it is
    asked for (each chart or table drawn with the first delays it, docs/性能.md).
    Nothing is open unless `default` names a light part. The choice is in the URL
    (`key=标签`), so a link or a reload opens the same part; a label that does not
    exist is named in a notice and the default is opened. `required`: one part is
    always open (the default at first). A chart click may open a part by setting
    st.session_state[key] before this is called.
    """
    asked = st.query_params.get(key)
    if asked is not None and asked not in labels and st.session_state.get("_section_noticed_" + key) != asked:
        st.session_state["_section_noticed_" + key] = asked  # said once, not on every rerun
        st.toast(f"网址中的参数无效，已忽略：{key}={asked}", icon=":material/link_off:")
    if st.session_state.get(key) not in labels:
        st.session_state.pop(key, None)
    chosen = st.segmented_control(label, labels, default=default, key=key, bind="query-params", required=required)
    box = st.container()
    if chosen is None:
        caption("点击上方按钮查看。")
    return [Section(name, name == chosen, box) for name in labels]
