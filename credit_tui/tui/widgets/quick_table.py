"""The workbench's tables: a ``DataTable`` of ``Cell``s (one line of plain text in one style).

A ``Cell`` is a Rich renderable (the public ``__rich_console__`` and
``__rich_measure__`` protocol) that ``DataTable`` draws exactly as the ``Text``
it stands for, but as one segment cut to the column, without Rich's text layout,
and measured by its text alone: at 5,000 records the evidence list's filters
took 100–300 ms with ``Text`` layout, under 100 with ``Cell``s. ``QuickTable`` is
a plain ``DataTable`` (it used to override ``DataTable`` internals for the same).
"""

from __future__ import annotations

from typing import Literal

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, RenderResult
from rich.control import strip_control_codes
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.widgets import DataTable

Justify = Literal["left", "right"]


class Cell:
    """One line of plain text in a Rich ``style`` (a name or a definition), for ``QuickTable``.

    A table draws it exactly as ``DataTable`` draws ``Text(text, style)`` (with
    ``justify="right"`` for a right-justified cell).
    """

    __slots__ = ("justify", "style", "text")

    def __init__(self, text: str, style: str = "", justify: Justify = "left") -> None:
        self.text = text
        self.style = style
        self.justify: Justify = justify

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        """False when empty, as for ``Text``: ``DataTable`` draws an empty cell its own way."""
        return bool(strip_control_codes(self.text))

    def as_text(self) -> Text:
        """The ``Text`` this cell stands for."""
        return Text(self.text, self.style, justify="right" if self.justify == "right" else None)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """One line cut to the width, without Rich's text layout; a tab or a second line as Text."""
        if "\t" in self.text or "\n" in self.text:
            yield self.as_text()
            return
        text = strip_control_codes(self.text)
        width = options.max_width
        if self.justify == "right" and text:
            text = text.rstrip()
            text = " " * (width - cell_len(text)) + text
        if cell_len(text) > width:
            text = set_cell_size(text, width)
        style = console.get_style(self.style, default=Style.null()) if self.style else None
        if text:
            yield Segment(text, style)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        if "\t" in self.text:
            return self.as_text().__rich_measure__(console, options)
        width = self.width  # what ``DataTable`` reads (the maximum): no text layout for it
        return Measurement(width, width)

    @property
    def width(self) -> int:
        """Cells its longest line takes, as ``DataTable`` measures the ``Text``."""
        return max(map(cell_len, strip_control_codes(self.text).splitlines()), default=0)


def ellipsize(text: str, cells: int) -> str:
    """``text`` as ``Text(text).truncate(cells, overflow="ellipsis")`` leaves it.

    A wide character cut in half at the edge leaves a space before the ``…``.
    """
    text = strip_control_codes(text)
    if cell_len(text) > cells:
        return set_cell_size(text, cells - 1) + "…"
    return text


class QuickTable(DataTable[object]):
    """The workbench's table: a ``DataTable`` whose rows are ``Cell``s (or ``Text``, ``str``)."""
