"""The monitor's charts, described by data and drawn by one renderer.

As in XlsxWriter's ``add_series``: a builder says *what* to draw — which cells hold the series and
their categories, the colours, the axes — in a small frozen dataclass, and ``add_chart`` turns it
into a native, editable openpyxl chart on the sheet. Three kinds:

- ``ClusteredColumns``: several series side by side per category (the KWI scores), upright or,
  with ``horizontal``, as bars lying down with the first category on top (the portfolio's themes,
  whose names are too long to stand under a column);
- ``Lines``: one line per series, series in rows (the trend per period);
- ``ColouredColumns``: one series whose columns each have their own colour (the NPS groups).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun

from klantwaarde.monitor.context import clean
from klantwaarde.workbook import styles

TITLE_SIZE = 1200  # hundredths of a point
AXIS_TITLE_SIZE = 1000
EMU_PER_POINT = 12700


@dataclass(frozen=True)
class Cells:
    """A block of cells on the chart's sheet (1-based, inclusive)."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int


@dataclass(frozen=True)
class Axis:
    title: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    major_unit: float | None = None
    number_format: str | None = None


def grade_axis(title: str, minimum: float, maximum: float = 10) -> Axis:
    """A value axis of grades, whole numbers from ``minimum`` to ``maximum``."""
    return Axis(title, minimum, maximum, 1, "0")


@dataclass(frozen=True)
class Chart:
    """What every kind has: the title, the data (series names in its first row, or first column
    for ``Lines``), the categories, the axes, the size (cm) and the top-left cell it is placed at."""

    title: str
    data: Cells
    categories: Cells
    anchor: str
    width: float
    height: float
    y_axis: Axis = Axis()
    x_axis: Axis = Axis()


@dataclass(frozen=True)
class ClusteredColumns(Chart):
    colours: tuple[str, ...] = ()  # one per series
    labelled: tuple[int, ...] = ()  # series whose columns carry their value
    label_format: str = styles.SCORE_LABEL
    gap_width: int = 150
    overlap: int = 0
    horizontal: bool = False


@dataclass(frozen=True)
class Line:
    colour: str
    width: float = 1.75  # points
    dashed: bool = False
    marker_size: int = 7


@dataclass(frozen=True)
class Lines(Chart):
    lines: tuple[Line, ...] = ()  # one per series


@dataclass(frozen=True)
class ColouredColumns(Chart):
    """One series; its categories name the columns, so there is no legend."""

    colours: tuple[str, ...] = ()  # one per column
    label_format: str = styles.COUNT
    gap_width: int = 150


def add_chart(ws: Any, spec: Chart) -> Any:
    """Draw ``spec`` on ``ws``, from the cells it names; returns the openpyxl chart."""
    if isinstance(spec, Lines):
        chart: Any = LineChart()
        from_rows = True
    else:
        chart = BarChart()
        chart.type = "bar" if isinstance(spec, ClusteredColumns) and spec.horizontal else "col"
        from_rows = False
    if isinstance(spec, ClusteredColumns):
        chart.grouping = "clustered"
    chart.title = _title(spec.title)
    data = spec.data
    chart.add_data(_reference(ws, data), from_rows=from_rows, titles_from_data=True)
    chart.set_categories(_reference(ws, spec.categories))
    _axes(chart, spec)
    if isinstance(spec, ClusteredColumns):
        for series, colour in zip(chart.series, spec.colours, strict=True):
            series.graphicalProperties.solidFill = colour
            series.graphicalProperties.line.solidFill = colour
        for index in spec.labelled:
            _value_labels(chart.series[index], spec.label_format)
        chart.gapWidth = spec.gap_width
        chart.overlap = spec.overlap
        if spec.horizontal:  # categories from the top down, the value axis still below them
            chart.x_axis.scaling.orientation = "maxMin"
            chart.y_axis.crosses = "max"
    elif isinstance(spec, Lines):
        for series, line in zip(chart.series, spec.lines, strict=True):
            series.smooth = False
            series.graphicalProperties.line.solidFill = line.colour
            series.graphicalProperties.line.width = round(line.width * EMU_PER_POINT)
            if line.dashed:
                series.graphicalProperties.line.dashStyle = "dash"
            series.marker.symbol = "circle"
            series.marker.size = line.marker_size
            series.marker.graphicalProperties.solidFill = line.colour
            series.marker.graphicalProperties.line.solidFill = line.colour
        if spec.y_axis.minimum is not None and spec.y_axis.minimum < 0:
            chart.x_axis.tickLblPos = "low"  # the periods below the plot, not on the zero line
    elif isinstance(spec, ColouredColumns):
        chart.legend = None
        (series,) = chart.series
        for index, colour in enumerate(spec.colours):
            point = DataPoint(idx=index)
            point.graphicalProperties.solidFill = colour
            point.graphicalProperties.line.solidFill = colour
            series.dPt.append(point)
        _value_labels(series, spec.label_format)
        chart.gapWidth = spec.gap_width
    chart.width = spec.width
    chart.height = spec.height
    ws.add_chart(chart, spec.anchor)
    return chart


def _reference(ws: Any, cells: Cells) -> Reference:
    return Reference(
        ws, min_col=cells.first_col, max_col=cells.last_col, min_row=cells.first_row, max_row=cells.last_row
    )


def _axes(chart: Any, spec: Chart) -> None:
    # openpyxl >= 3.1 writes axes as deleted unless told otherwise: the chart would have no scale.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    for axis, wanted in ((chart.y_axis, spec.y_axis), (chart.x_axis, spec.x_axis)):
        if wanted.title:
            axis.title = _title(wanted.title, AXIS_TITLE_SIZE)
        if wanted.minimum is not None:
            axis.scaling.min = wanted.minimum
        if wanted.maximum is not None:
            axis.scaling.max = wanted.maximum
        if wanted.major_unit is not None:
            axis.majorUnit = wanted.major_unit
        if wanted.number_format is not None:
            axis.number_format = wanted.number_format
    chart.legend.position = "b"


def _rich(text: str, size: int, bold: bool = True) -> RichText:
    props = CharacterProperties(sz=size, b=bold, solidFill=styles.NAVY)
    paragraph = Paragraph(pPr=ParagraphProperties(defRPr=props), r=[RegularTextRun(rPr=props, t=clean(text))])
    return RichText(p=[paragraph])


def _title(text: str, size: int = TITLE_SIZE) -> Title:
    return Title(tx=Text(rich=_rich(text, size)), overlay=False)


def _value_labels(series: Any, number_format: str) -> None:
    series.dLbls = DataLabelList()
    series.dLbls.showVal = True
    for flag in ("showSerName", "showCatName", "showLegendKey", "showPercent"):
        setattr(series.dLbls, flag, False)
    series.dLbls.numFmt = number_format
    series.dLbls.position = "outEnd"
