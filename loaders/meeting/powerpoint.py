"""The meeting deck as a PPTX file: one slide per screen, native (editable) charts and tables, Chinese fonts.

Every run of text, in text boxes, tables and charts, names the font for Latin and
East Asian text (a:latin and a:ea), so PowerPoint and WPS do not fall back to a
font without Chinese glyphs. The slides are loaders.meeting.deck slides: the same
titles, numbers and rows as on screen.
"""

from __future__ import annotations

import io
import math
from contextlib import contextmanager
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt
from xlsxwriter import Workbook

from loaders.meeting.deck import Slide, row_lines
from loaders.vocabulary import STATUS_COLORS

FONT = "Microsoft YaHei"  # 微软雅黑 where the deck is opened; LibreOffice substitutes Noto Sans CJK SC
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9, as the projector screen
MARGIN = Inches(0.45)
BODY_TOP = Inches(1.35)
TEXT = RGBColor(0x1B, 0x1F, 0x24)
GREY = RGBColor(0x55, 0x5D, 0x66)
RULE = RGBColor(0xD0, 0xD5, 0xDB)
HEADER_FILL = RGBColor(0xEE, 0xF3, 0xF9)
# the colours of charts/theme.py (loaders never import charts)
SERIES_COLORS = {"annual": "1f5fa8", "five_year": "e08a1e", "livelihood": "2a9d5b", "lead": "1f5fa8",
                 "support": "9cc3e6", "from": "9aa5b1", "to": "1f5fa8",
                 **{status: color.lstrip("#") for status, color in STATUS_COLORS.items()}}
WHITE_LABELS = ("annual", "lead", "to", "far_behind", "not_reported", "on_track", "done")  # on dark bars
TABLE_PT = 13  # the share of the slide height that slide text has on screen (2.3%)


class _LiteralWorkbookWriter(CategoryWorkbookWriter):
    """The chart workbook with names as text: a name starting with = stays a name, never a formula."""

    @contextmanager
    def _open_worksheet(self, xlsx_file):
        workbook = Workbook(xlsx_file, {"in_memory": True, "strings_to_formulas": False})
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class LiteralChartData(CategoryChartData):
    """Category chart data whose embedded workbook never turns a name into a formula."""

    @property
    def _workbook_writer(self):
        return _LiteralWorkbookWriter(self)


def deck_pptx(slides: list[Slide]) -> bytes:
    """Return the PPTX file of these slides."""
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = WIDTH, HEIGHT
    blank = presentation.slide_layouts[6]
    for number, slide in enumerate(slides, start=1):
        page = presentation.slides.add_slide(blank)
        _heading(page, slide, number, len(slides))
        if slide.note:
            _text(page, slide.note, MARGIN, BODY_TOP + Inches(0.3), WIDTH - 2 * MARGIN, Inches(1), 22, color=GREY)
        if slide.metrics:
            _metrics(page, slide.metrics)
        if slide.bars:
            _chart(page, slide.bars)
        if slide.table:
            _table(page, slide.table)
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def write_deck(slides: list[Slide], path: Path) -> Path:
    path = Path(path)
    path.write_bytes(deck_pptx(slides))
    return path


_AFTER_FONTS = tuple(qn(f"a:{tag}") for tag in ("cs", "sym", "hlinkClick", "hlinkMouseOver", "rtl", "extLst"))


def name_fonts(properties) -> None:
    """Name FONT as the Latin and East Asian typeface of a:rPr / a:defRPr (in schema order)."""
    latin = properties.find(qn("a:latin"))
    if latin is None:
        latin = etree.Element(qn("a:latin"))
        ea = properties.find(qn("a:ea"))
        later = ea if ea is not None else next((c for c in properties if c.tag in _AFTER_FONTS), None)
        if later is not None:
            later.addprevious(latin)
        else:
            properties.append(latin)
    latin.set("typeface", FONT)
    ea = properties.find(qn("a:ea"))
    if ea is None:
        ea = etree.Element(qn("a:ea"))
        latin.addnext(ea)
    ea.set("typeface", FONT)


def name_fonts_everywhere(element) -> None:
    """Name the fonts on every text property of an element (a chart with its labels and titles)."""
    for tag in ("a:rPr", "a:defRPr", "a:endParaRPr"):
        for properties in element.iter(qn(tag)):
            name_fonts(properties)


def chinese_font(font, size: float | None = None, bold: bool | None = None, color: RGBColor | None = None) -> None:
    """Set the Latin and East Asian typeface (and size, weight, colour) of a run, paragraph or chart font."""
    name_fonts(font._element)  # a:rPr or a:defRPr; python-pptx's font.name sets a:latin only
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if color is not None:
        font.color.rgb = color


def _text(page, text: str, left, top, width, height, size: float, bold: bool = False, color=TEXT,
          align=PP_ALIGN.LEFT):
    box = page.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.alignment = align
    run = paragraph.add_run()
    run.text = text
    chinese_font(run.font, size, bold, color)
    return box


def _heading(page, slide: Slide, number: int, total: int) -> None:
    _text(page, f"{number}/{total} {slide.heading}", MARGIN, Inches(0.25), WIDTH - 2 * MARGIN, Inches(0.6), 28,
          bold=True)
    _text(page, f"{slide.title}　｜　汇报对象：{slide.subject}", MARGIN, Inches(0.82), WIDTH - 2 * MARGIN,
          Inches(0.45), 16, color=GREY)


def _metrics(page, metrics: tuple[tuple[str, int], ...]) -> None:
    width = (WIDTH - 2 * MARGIN) / 4
    for index, (label, value) in enumerate(metrics):
        left = MARGIN + int(width * (index % 4))
        top = BODY_TOP + Inches(0.2) + Inches(2.2) * (index // 4)
        _text(page, label, left, top, int(width) - Inches(0.1), Inches(0.5), 18, color=GREY)
        _text(page, str(value), left, top + Inches(0.5), int(width) - Inches(0.1), Inches(1.2), 48)


def _chart(page, bars) -> None:
    data = LiteralChartData()
    # PowerPoint draws the first category at the bottom: reversed, the slide reads top to bottom as on screen
    data.categories = list(reversed(bars.categories))
    # grouped bars draw the first series lowest in a group: added last to first, the first is on top as on screen
    shown_series = bars.series if bars.stacked else bars.series[::-1]
    for series in shown_series:
        data.add_series(series.name, list(reversed(series.values)))
    kind = XL_CHART_TYPE.BAR_STACKED if bars.stacked else XL_CHART_TYPE.BAR_CLUSTERED
    frame = page.shapes.add_chart(kind, MARGIN, BODY_TOP, WIDTH - 2 * MARGIN, HEIGHT - BODY_TOP - Inches(0.25),
                                  data)
    chart = frame.chart
    chinese_font(chart.font, 16, color=TEXT)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chinese_font(chart.legend.font, 16)
    value_axis = chart.value_axis
    value_axis.has_title = True
    value_axis.axis_title.text_frame.text = bars.axis_title
    for paragraph in value_axis.axis_title.text_frame.paragraphs:
        for run in paragraph.runs:
            chinese_font(run.font, 16)
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = RULE
    chinese_font(value_axis.tick_labels.font, 15)
    chinese_font(chart.category_axis.tick_labels.font, 16)
    plot = chart.plots[0]
    plot.gap_width = 60
    if bars.stacked:
        plot.overlap = 100
    if bars.stacked and bars.top <= 10:
        value_axis.major_unit = 1  # whole tasks, not 0.2 steps
        value_axis.minimum_scale, value_axis.maximum_scale = 0, math.ceil(bars.top * 1.08)
    elif bars.top > 0:  # one scale for a view's continued slides
        value_axis.minimum_scale, value_axis.maximum_scale = 0, _nice_top(bars.top)
    for series, shown in zip(plot.series, shown_series):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = RGBColor.from_string(SERIES_COLORS.get(shown.key, "1f5fa8"))
        labels = list(reversed(shown.labels)) if shown.labels else None
        values = list(reversed(shown.values))
        for index, point in enumerate(series.points):
            if not values[index] and not labels:
                continue  # no “0” label on an empty stack segment
            label = point.data_label
            label.position = XL_LABEL_POSITION.CENTER if bars.stacked else XL_LABEL_POSITION.OUTSIDE_END
            run = label.text_frame.paragraphs[0].add_run()
            run.text = labels[index] if labels else f"{values[index]:g}"
            white = bars.stacked and shown.key in WHITE_LABELS
            chinese_font(run.font, 14, color=RGBColor(0xFF, 0xFF, 0xFF) if white else TEXT)
    name_fonts_everywhere(chart._chartSpace)  # the paragraph defaults python-pptx adds to labels and titles


def _table(page, table) -> None:
    width = WIDTH - 2 * MARGIN
    shape = page.shapes.add_table(len(table.rows) + 1, len(table.columns), MARGIN, BODY_TOP, width,
                                  Inches(0.4) * (len(table.rows) + 1))
    grid = shape.table
    grid.first_row = True
    for index, share in enumerate(table.widths):
        grid.columns[index].width = Emu(int(width * share))
    for row_index, row in enumerate([table.columns, *table.rows]):
        # PowerPoint grows a row to its wrapped text, LibreOffice (the PDF) does not: sized as the deck wraps it
        grid.rows[row_index].height = Pt(row_lines(row, table.widths) * TABLE_PT * 1.32 + 8)
        for column_index, text in enumerate(row):
            cell = grid.cell(row_index, column_index)
            cell.fill.solid()
            cell.fill.fore_color.rgb = HEADER_FILL if row_index == 0 else RGBColor(0xFF, 0xFF, 0xFF)
            cell.vertical_anchor = MSO_ANCHOR.TOP
            cell.margin_top = cell.margin_bottom = Pt(3)
            frame = cell.text_frame
            frame.word_wrap = True
            run = frame.paragraphs[0].add_run()
            run.text = text
            chinese_font(run.font, TABLE_PT, bold=row_index == 0, color=TEXT)


def _nice_top(value: float) -> float:
    """Return the axis end above value: the next step of 1, 2 or 5 × a power of ten (tenth of the value)."""
    step = 10 ** math.floor(math.log10(value)) if value >= 1 else 1
    for factor in (0.1, 0.2, 0.5, 1):
        if value / (step * factor) <= 10:
            step *= factor
            break
    return math.ceil(value * 1.08 / step) * step
