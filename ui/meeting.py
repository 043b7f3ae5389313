"""Showing a meeting slide on one screen, and the keys a presentation clicker sends."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from charts.deck import slide_bars
from loaders.meeting.deck import VIEWS, DeckChoice, Slide, build_deck, deck_file_name, progress_of
from loaders.meeting.pdf import PdfUnavailable, office_program, pptx_to_pdf
from loaders.meeting.powerpoint import deck_pptx
from ui.cache import cached_frames, data_key, figure_of
from ui.data import leader_choices
from ui.figures import PLOTLY_CONFIG
from ui.links import links_of
from ui.progress.store import data_version, stored_for
from ui.text import literal

# Slide text scales with the screen height (2.3% of it: 25 px at 1080, 18 px at 768), so a
# slide holds the same at 1366×768 and 1920×1080. Static rules, no data in them. 上一页/下一页
# show their arrows only (the words stay for screen readers and the clicker script), so that
# the eight views fit the bar at 1366. Every control of the bar (st-key-deck_bar: arrows, views,
# 汇报对象, 导出) has one height, its label's line (1.6 × the type size) and padding, so that
# none grows past the others at any screen height; the 全屏 button in its frame copies the size
# of the 汇报对象 button and the frame takes its height (KEYS_SCRIPT). On a phone (≤ 640 px wide) the
# type follows the width instead: a projector's 6.5vh numbers would not fit a third of a phone's width,
# the bar takes two rows, not six: ← 汇报对象 导出 → above the views (which wrap), 全屏 left out; a slide's
# four figures to a row become two rows of two.
SLIDE_STYLE = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 3.9rem; padding-bottom: 0; }
[data-testid="stMain"] h2 { font-size: clamp(22px, 3.6vh, 46px); padding: 0.1em 0 0 0; }
[data-testid="stMain"] [data-testid="stText"] { font-size: clamp(16px, 2.4vh, 32px); }
[data-testid="stMetricLabel"] p { font-size: clamp(17px, 2.5vh, 34px) !important; }
[data-testid="stMetricValue"] { font-size: clamp(30px, 6.5vh, 84px) !important; }
[data-testid="stTable"] th, [data-testid="stTable"] td {
  font-size: clamp(16px, 2.3vh, 31px); line-height: 1.4; white-space: normal; word-break: break-all;
  padding: 0.25em 0.45em; vertical-align: top; }
[data-testid="stTable"] table { table-layout: fixed; width: 100%; }
[data-testid="stTable"] td > div, [data-testid="stTable"] th > div { max-width: none !important; }
[data-testid="stButtonGroup"] button p, [data-testid="stBaseButton-secondary"] p,
[data-testid="stPopover"] button p { font-size: clamp(16px, 2.3vh, 30px); }
[data-testid="stAlert"] p { font-size: clamp(17px, 2.5vh, 34px); }
[data-testid="stButtonGroup"] button { padding-left: 0.4em; padding-right: 0.4em; }
.st-key-deck_previous button p, .st-key-deck_next button p {
  position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.st-key-deck_bar button, .st-key-deck_bar [data-testid="stButtonGroup"] button {
  min-height: calc(clamp(16px, 2.3vh, 30px) * 1.6 + 12px); }
.st-key-deck_bar [data-testid="stElementContainer"]:has(> iframe) { height: auto !important; flex: 0 0 auto !important; }
.st-key-deck_bar iframe { display: block; }
.st-key-deck_previous [data-testid="stIconMaterial"], .st-key-deck_next [data-testid="stIconMaterial"] {
  font-size: clamp(22px, 3.2vh, 40px); }
.st-key-deck_bar [data-testid="stPopover"] button { padding-left: 0.6em; padding-right: 0.6em; }
@media (max-width: 640px) {
  [data-testid="stMetricValue"] { font-size: clamp(24px, 8vw, 40px) !important; }
  [data-testid="stMetricLabel"] p { font-size: 15px !important; }
  [data-testid="stMain"] h2 { font-size: 24px; }
  [data-testid="stMain"] [data-testid="stText"] { font-size: 16px; }
  [data-testid="stTable"] th, [data-testid="stTable"] td { font-size: 14px; }
  .st-key-deck_bar [data-testid="stHorizontalBlock"] { flex-flow: row wrap !important; gap: 0.5rem !important; }
  .st-key-deck_bar [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] {
    flex: 1 1 0 !important; min-width: 0 !important; width: auto !important; }
  .st-key-deck_bar [data-testid="stHorizontalBlock"] > [data-testid="stColumn"]:nth-child(1) { order: 1; flex: 0 0 3.2rem !important; }
  .st-key-deck_bar [data-testid="stHorizontalBlock"] > [data-testid="stColumn"]:nth-child(4) { order: 2; flex-grow: 2 !important; }
  .st-key-deck_bar [data-testid="stHorizontalBlock"] > [data-testid="stColumn"]:nth-child(5) { order: 3; flex-grow: 2 !important; }
  .st-key-deck_bar [data-testid="stHorizontalBlock"] > [data-testid="stColumn"]:nth-child(3) { order: 4; flex: 0 0 3.2rem !important; }
  .st-key-deck_bar [data-testid="stHorizontalBlock"] > [data-testid="stColumn"]:nth-child(2) { order: 5; flex-basis: 100% !important; }
  .st-key-deck_bar [data-testid="stHorizontalBlock"] > [data-testid="stColumn"]:nth-child(6) { display: none !important; }
  .st-key-deck_bar [data-testid="stButtonGroup"] > div { flex-wrap: wrap !important; }
  .st-key-deck_bar button p { font-size: 16px !important; }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) > [data-testid="stColumn"] {
    flex-basis: calc(50% - 0.5rem) !important; min-width: calc(50% - 0.5rem) !important; }
}
</style>
"""


def slide_style(widths: tuple[float, ...] = ()) -> None:
    """Apply the slide type sizes; `widths` fixes the share of each table column."""
    columns = "".join(f'[data-testid="stTable"] th:nth-child({i + 1}) {{ width: {w * 100:.1f}%; }}'
                      for i, w in enumerate(widths))
    st.html(SLIDE_STYLE.replace("</style>", columns + "</style>"))


def show_slide(slide: Slide, number: int, total: int) -> None:
    """Show one slide: heading with its number, what it shows and for whom, then metrics, chart, table or note."""
    slide_style(slide.table.widths if slide.table else ())
    st.header(literal(f"{number}/{total} {slide.heading}"))  # headings name leaders and units: data
    st.text(f"{slide.title}　｜　汇报对象：{slide.subject}")
    if slide.note:
        st.info(slide.note, icon=":material/info:")
    if slide.metrics:
        for start in range(0, len(slide.metrics), 4):
            row = st.columns(4)
            for column, (label, value) in zip(row, slide.metrics[start:start + 4]):
                column.metric(literal(label), value)
    if slide.bars:
        st.plotly_chart(figure_of(slide_bars, slide.bars), theme=None, width="stretch",
                        config=PLOTLY_CONFIG)
    if slide.table:
        # st.table reads Markdown in cells: the text is escaped so that it shows literally
        frame = pd.DataFrame([[literal(cell) for cell in row] for row in slide.table.rows],
                             columns=[literal(c) for c in slide.table.columns])
        st.table(frame, hide_index=True)


# Runs in the component's iframe (same origin as the app): listens for keys on the app page and
# clicks the page's own 上一页/下一页 buttons, so a key does exactly what a click does.
KEYS_SCRIPT = """
<button id="full" title="全屏（F），再按一次退出">全屏</button>
<style>
html, body { height: 100%; }
body { margin: 0; font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; display: flex; align-items: center; }
#full { width: 100%; height: 40px; border: 1px solid rgba(49,51,63,0.2); border-radius: 8px; background: white;
        font-size: 18px; cursor: pointer; font-family: inherit; color: rgb(49, 51, 63); }
#full:hover { border-color: #1f5fa8; color: #1f5fa8; }
</style>
<script>
const app = window.parent.document;
function press(label) {
  const button = [...app.querySelectorAll('button')].find(b => b.innerText.trim().endsWith(label));  // after its icon
  if (button) button.click();
}
function fullScreen() {
  if (app.fullscreenElement) app.exitFullscreen();
  else app.documentElement.requestFullscreen().catch(() => {});
}
function onKey(event) {
  if (!window.frameElement || !window.frameElement.isConnected) {  // the deck is no longer on the page
    app.removeEventListener('keydown', onKey);
    return;
  }
  const target = event.target;
  if (event.ctrlKey || event.altKey || event.metaKey) return;
  if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
  if (target && target.closest && target.closest('[role="dialog"], [data-baseweb="popover"]')) return;
  const next = ['ArrowRight', 'PageDown', ' ', 'Spacebar'].includes(event.key);
  const previous = ['ArrowLeft', 'PageUp'].includes(event.key);
  if (next || previous) {
    event.preventDefault();
    if (target && target.blur) target.blur();  // a focused button would also take Space as a click
    press(next ? '下一页' : '上一页');
  } else if (event.key === 'f' || event.key === 'F') {
    event.preventDefault();
    fullScreen();
  }
}
// one listener on the app page at a time, removed when this frame goes away
if (window.parent.__deckKeys) app.removeEventListener('keydown', window.parent.__deckKeys);
window.parent.__deckKeys = onKey;
app.addEventListener('keydown', onKey);
document.addEventListener('keydown', onKey);
window.addEventListener('pagehide', () => {
  if (window.parent.__deckKeys !== onKey) return;
  app.removeEventListener('keydown', onKey);
  window.parent.__deckKeys = null;
});
document.getElementById('full').addEventListener('click', fullScreen);
// the same size as the bar's other buttons, which scale with the screen height (SLIDE_STYLE)
function matchBar() {
  const other = app.querySelector('.st-key-deck_bar [data-testid="stPopover"] button');
  const label = other && other.querySelector('p');
  const full = document.getElementById('full');
  if (!other || !label) return;
  const height = other.getBoundingClientRect().height;
  full.style.height = height + 'px';
  full.style.fontSize = getComputedStyle(label).fontSize;
  if (window.frameElement) window.frameElement.style.height = Math.ceil(height) + 'px';  // no taller than the bar
}
matchBar();
setInterval(matchBar, 500);  // the stylesheet and the bar are drawn after this frame; the screen may be resized
</script>
"""


def clicker_keys() -> None:
    """Make → / PageDown / Space turn to the next slide, ← / PageUp back, F full screen; shows a 全屏 button."""
    st.iframe(KEYS_SCRIPT, height=52)  # the bar's height at 1080; the frame then takes the bar's own height


PART_KEY = "deck_part"  # which slide of the view (0 = the first), in the URL as deck_part=2 for the second
_PARTS = "_deck_parts"
_URL_CHECKED = "_deck_url_checked"


def check_url(choices, slide_key: str) -> None:
    """On a session's first run, drop the deck's URL parameters that name nothing in the data, and say which.

    Bound widgets silently ignore a value they do not offer (deck_year=1999); a
    person who opens an outdated link is told, as the sidebar filters do.
    """
    if st.session_state.get(_URL_CHECKED):
        return
    st.session_state[_URL_CHECKED] = True
    params = st.query_params
    ignored: list[str] = []

    def keep(key: str, valid) -> str | None:
        value = params.get(key)
        if value is None or valid(value):
            return value
        ignored.append(f"{key}={value}")
        del params[key]
        return None

    keep(slide_key, lambda v: v in VIEWS)
    keep(PART_KEY, lambda v: v.isdigit() and int(v) > 0)
    district = keep("deck_district", lambda v: v in choices.districts)
    district = district if len(choices.districts) > 1 else None  # the box is shown only for several
    years = [str(y) for y in choices.years_of(district)]
    year = keep("deck_year", lambda v: v in years) or (years[0] if years else None)
    keep("deck_leader", lambda v: v in leader_choices(district, int(year) if year else None))
    keep("deck_unit", lambda v: v in choices.units_of(district))
    keep("deck_as_of", _is_date)
    if ignored:
        st.toast("网址中的参数无效，已忽略：" + "，".join(ignored), icon=":material/link_off:")


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10  # YYYY-MM-DD, as the date box writes it


def start_at_url(slide_key: str) -> None:
    """On a session's first run, open the view and continuation slide the URL names (or the first)."""
    if st.session_state.get(slide_key) is None:
        asked = st.query_params.get(slide_key)
        st.session_state[slide_key] = asked if asked in VIEWS else VIEWS[0]
    if PART_KEY not in st.session_state:
        asked = st.query_params.get(PART_KEY, "1")
        st.session_state[PART_KEY] = int(asked) - 1 if asked.isdigit() and int(asked) > 0 else 0


def remember_parts(parts: dict[str, int]) -> None:
    """Keep how many slides each view has, for the next click of 上一页/下一页."""
    st.session_state[_PARTS] = parts


def step(slide_key: str, offset: int) -> None:
    """Turn to the next (offset 1) or previous (-1) slide, through continuation slides, wrapping around."""
    parts = st.session_state.get(_PARTS) or dict.fromkeys(VIEWS, 1)
    order = [(view, part) for view in VIEWS for part in range(parts.get(view, 1))]
    now = (st.session_state.get(slide_key) or VIEWS[0], st.session_state.get(PART_KEY, 0))
    index = order.index(now) if now in order else 0
    st.session_state[slide_key], st.session_state[PART_KEY] = order[(index + offset) % len(order)]


def view_changed() -> None:
    st.session_state[PART_KEY] = 0


def slide_now(slides: list[Slide], slide_key: str) -> int:
    """Return the index of the slide to show, and write its continuation number to the URL."""
    view = st.session_state.get(slide_key) or VIEWS[0]
    positions = [i for i, slide in enumerate(slides) if slide.view == view]
    part = min(max(st.session_state.get(PART_KEY, 0), 0), len(positions) - 1)
    st.session_state[PART_KEY] = part
    if part:
        st.query_params[PART_KEY] = str(part + 1)
    else:
        st.query_params.pop(PART_KEY, None)
    return positions[part]


@st.cache_resource(max_entries=64, show_spinner="正在准备汇报页面…")
def _deck(key: str, version: str, choice: DeckChoice, as_of: date) -> list[Slide]:
    frames = cached_frames(key)
    reports, milestones, cadence, _ = stored_for(version)
    links = links_of(choice.district)  # shared with 总览, 领导分工, the cards and 数据维护
    return build_deck(frames, choice, progress_of(frames, choice, reports, milestones, cadence, as_of), links)


def deck(choice: DeckChoice, as_of: date) -> list[Slide]:
    """Return the slides of a deck, progress as of a date; built once per data version (tasks and progress)."""
    return _deck(data_key(), data_version(), choice, as_of)


@st.cache_resource(max_entries=16, show_spinner=False)
def _pdf(key: str, version: str, choice: DeckChoice, as_of: date) -> bytes:
    # key, version: the data versions (the slides of a choice change with them)
    return pptx_to_pdf(deck_pptx(_deck(key, version, choice, as_of)))


def deck_exports(choice: DeckChoice, as_of: date, slides: list[Slide]) -> None:
    """Offer the deck as a PPTX (editable charts and tables) and a PDF of the same slides."""
    st.caption(f"导出这套页面（{len(slides)} 页，与屏幕上相同）")
    st.download_button("下载 PPTX（图表可编辑）", lambda: deck_pptx(slides), deck_file_name(slides[0].subject, as_of, "pptx"),
                       icon=":material/slideshow:",
                       mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                       on_click="ignore", width="stretch")
    if not office_program():
        st.caption("服务器未安装 LibreOffice，暂不能导出 PDF；可下载 PPTX 后在 PowerPoint 或 WPS 中另存为 PDF。")
        return
    asked = st.session_state.get(_PDF_ASKED) == (choice, as_of)
    if not asked:
        st.button("生成 PDF", icon=":material/picture_as_pdf:", width="stretch",
                  on_click=lambda: st.session_state.__setitem__(_PDF_ASKED, (choice, as_of)))
        return
    try:
        with st.spinner("正在生成 PDF…"):
            pdf = _pdf(data_key(), data_version(), choice, as_of)
    except PdfUnavailable as error:
        st.error(str(error))
        return
    st.download_button("下载 PDF", pdf, deck_file_name(slides[0].subject, as_of, "pdf"), mime="application/pdf",
                       icon=":material/picture_as_pdf:", on_click="ignore", width="stretch")


_PDF_ASKED = "_deck_pdf_for"
