"""汇报模式: one screen per slide for the review meeting, for the whole district, a leader or a unit.

A thin bar (previous, the views, next, the deck's subject and progress date, export, full screen)
above the slide; → / PageDown / Space and ← / PageUp turn the slides as a clicker does.
"""

import streamlit as st

from loaders.analysis.leaders import leaders_by_load
from loaders.meeting.deck import VIEWS, DeckChoice, views_and_parts
from loaders.select import Filters
from ui.cache import analysed
from ui.data import filter_choices, frames
from ui.meeting import (check_url, clicker_keys, deck, deck_exports, remember_parts, show_slide, slide_now,
                        start_at_url, step, view_changed)
from ui.progress.store import today

SLIDE_KEY = "slide"

frames()  # stops with a clear message when the curated tables have problems
choices = filter_choices()
check_url(choices, SLIDE_KEY)  # drops what names nothing in the data, with a notice
start_at_url(SLIDE_KEY)

bar = st.container(key="deck_bar").columns([0.6, 7.4, 0.6, 1.45, 1.05, 0.9], vertical_alignment="center", gap="small")
bar[0].button("上一页", icon=":material/arrow_back:", on_click=step, args=(SLIDE_KEY, -1), width="stretch",
              key="deck_previous", help="上一页（← 或 PageUp）")
bar[1].segmented_control("页面", VIEWS, key=SLIDE_KEY, bind="query-params", label_visibility="collapsed",
                         width="stretch", on_change=view_changed)
bar[2].button("下一页", icon=":material/arrow_forward:", on_click=step, args=(SLIDE_KEY, 1), width="stretch",
              key="deck_next", help="下一页（→、PageDown 或空格）")
with bar[3].popover("汇报对象", width="stretch"):  # no icons: the labels fit the bar at 1366
    district = None
    if len(choices.districts) > 1:
        district = st.selectbox("区县", choices.districts, key="deck_district", bind="query-params")
    years = [str(y) for y in choices.years_of(district)]
    if st.session_state.get("deck_year") not in years:
        st.session_state["deck_year"] = years[0]  # the district's latest year
    year = st.selectbox("年度", years, key="deck_year", bind="query-params")
    leaders = analysed(leaders_by_load, Filters(years=(int(year),), district=district))
    leader = st.selectbox("领导", leaders, index=None, placeholder="全区（不选领导）", key="deck_leader",
                          bind="query-params")
    unit = st.selectbox("或单位", choices.units_of(district), index=None, placeholder="全部单位", key="deck_unit",
                        bind="query-params")
    as_of = st.date_input("进度截至", value=today(), key="deck_as_of", bind="query-params", format="YYYY-MM-DD",
                          help="进度亮灯和需协调事项按这一天及以前的填报计算；季度汇报可选季度末，如 2022-09-30")
    choice = DeckChoice(int(year), leader, unit, district)
    slides = deck(choice, as_of)
with bar[4].popover("导出", width="stretch"):
    deck_exports(choice, as_of, slides)
with bar[5]:
    clicker_keys()

remember_parts(views_and_parts(slides))  # what 上一页/下一页 step through on the next click
number = slide_now(slides, SLIDE_KEY)
show_slide(slides[number], number + 1, len(slides))
