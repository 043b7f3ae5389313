"""汇报模式: one screen per slide for the review meeting, for the whole district, a leader or a unit.

A thin bar (previous, the five views, next, the deck's subject and export, full screen)
above the slide; → / PageDown / Space and ← / PageUp turn the slides as a clicker does.
"""

import streamlit as st

from loaders.meeting.deck import VIEWS, DeckChoice, views_and_parts
from loaders.select import Filters
from ui.data import analysed, deck, filter_choices, frames
from ui.meeting import (clicker_keys, deck_exports, remember_parts, show_slide, slide_now, start_at_url, step,
                        view_changed)

SLIDE_KEY = "slide"

frames()  # stops with a clear message when the curated tables have problems
choices = filter_choices()
start_at_url(SLIDE_KEY)

bar = st.columns([1.1, 6, 1.1, 1.6, 1], vertical_alignment="center", gap="small")
bar[0].button("上一页", icon=":material/arrow_back:", on_click=step, args=(SLIDE_KEY, -1), width="stretch")
bar[1].segmented_control("页面", VIEWS, key=SLIDE_KEY, bind="query-params", label_visibility="collapsed",
                         width="stretch", on_change=view_changed)
bar[2].button("下一页", icon=":material/arrow_forward:", on_click=step, args=(SLIDE_KEY, 1), width="stretch")
with bar[3].popover("汇报对象", icon=":material/tune:", width="stretch"):
    district = None
    if len(choices.districts) > 1:
        district = st.selectbox("区县", choices.districts, key="deck_district", bind="query-params")
    years = [str(y) for y in choices.years_of(district)]
    if st.session_state.get("deck_year") not in years:
        st.session_state["deck_year"] = years[0]  # the district's latest year
    year = st.selectbox("年度", years, key="deck_year", bind="query-params")
    leaders = analysed("leaders_by_load", Filters(years=(int(year),), district=district))
    leader = st.selectbox("领导", leaders, index=None, placeholder="全区（不选领导）", key="deck_leader",
                          bind="query-params")
    unit = st.selectbox("或单位", choices.units_of(district), index=None, placeholder="全部单位", key="deck_unit",
                        bind="query-params")
    choice = DeckChoice(int(year), leader, unit, district)
    slides = deck(choice)
    deck_exports(choice, slides)
with bar[4]:
    clicker_keys()

remember_parts(views_and_parts(slides))  # what 上一页/下一页 step through on the next click
number = slide_now(slides, SLIDE_KEY)
show_slide(slides[number], number + 1, len(slides))
