"""A ``DataTable`` that draws cells of plain text in one style without Rich's text layout.

``DataTable`` draws each cell through Rich (``Padding``, ``Text`` layout, cropping),
which is most of the time a screen of tables takes to paint. ``QuickTable`` draws
a ``Cell`` (one line of text in one style) directly, exactly as ``DataTable``
draws the same ``Text``; any other cell is drawn the usual way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, cast

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, RenderResult
from rich.control import strip_control_codes
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.css.styles import RenderStyles
from textual.geometry import Region, Size
from textual.render import measure
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

Justify = Literal["left", "right"]


class Cell:
    """One line of plain text in a Rich ``style`` (a name or a definition), for ``QuickTable``.

    The table draws it exactly as ``DataTable`` draws ``Text(text, style)`` (with
    ``justify="right"`` for a right-justified cell), but without Rich's text layout.
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
        yield self.as_text()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return self.as_text().__rich_measure__(console, options)

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
    """A ``DataTable`` that draws its ``Cell``s directly.

    A ``Cell`` on a one-line row is drawn in a fraction of ``DataTable``'s time,
    new rows are measured only for columns of automatic width (a ``Cell`` by its
    text) and the table's and rows' styles are worked out once a paint. These
    override ``DataTable`` internals of the pinned Textual;
    ``tests/test_quick_table.py`` checks that the table looks exactly as a
    ``DataTable`` of ``Text`` would.

    Lines are also kept by what they show (``_render_line``): a table cleared and
    filled again with mostly the same rows (a redraw after a save) paints only
    the lines that changed, where ``DataTable`` paints every line again.
    """

    _paint_styles: dict[str, Style] | None = None
    """Styles worked out during the current paint (None between paints)."""
    _paint_components: dict[tuple[str, ...], _PaintStyles] | None = None
    """Components' styles worked out during the current paint (None between paints)."""
    _paint_flags: tuple[int, bool, bool, bool, bool] | None = None
    """The cell flags during the current paint (None between paints)."""
    _paint_columns: tuple[object, ...] | None = None
    """The columns and the table's styles during the current paint (None between paints)."""

    def __init__(self, **kwargs: object) -> None:
        self._lines_by_content: LRUCache[tuple[object, ...], Strip] = LRUCache(1000)
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def render_lines(self, crop: Region) -> list[Strip]:
        """As ``DataTable``, with the table's and the rows' styles worked out once a paint."""
        self._paint_styles = {}
        self._paint_components = {}
        self._paint_flags = self._cell_flags()
        self._paint_columns = self._columns_key()
        try:
            return super().render_lines(crop)
        finally:
            self._paint_styles = None
            self._paint_components = None
            self._paint_columns = None
            self._paint_flags = None

    def get_component_styles(self, *names: str) -> RenderStyles:
        """As ``DataTable``; during a paint, each component's styles are worked out once.

        ``DataTable`` asks for the header's styles on every line it draws, and
        each ask builds and merges new styles.
        """
        memo = self._paint_components
        if memo is None:
            return super().get_component_styles(*names)
        styles = memo.get(names)
        if styles is None:
            styles = memo[names] = _PaintStyles(super().get_component_styles(*names))
        return cast(RenderStyles, styles)

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        """As ``DataTable``, but a line showing what a line painted earlier showed is reused.

        The key is everything the line is drawn from: the row's cells (not its
        key, which a cleared and refilled table renews), its place, the columns,
        cursor, hover, focus and style. A row of anything but ``Cell``, ``Text``
        and ``str`` is drawn by ``DataTable`` alone.
        """
        try:
            row_key, line_no = self._get_offsets(y)
        except LookupError:
            return super()._render_line(y, x1, x2, base_style)
        cells = self._row_content(row_key)
        if cells is None:
            return super()._render_line(y, x1, x2, base_style)
        columns = self._paint_columns or self._columns_key()
        key = (
            cells,
            columns,
            y,
            self._row_locations.get(row_key),
            line_no,
            x1,
            x2,
            self.size.width,
            self.cursor_coordinate,
            self.hover_coordinate,
            base_style,
            self.cursor_type,
            self.show_cursor,
            self._show_hover_cursor,
            self._pseudo_class_state,
            (self.zebra_stripes, self.cell_padding, self.show_header, self.show_row_labels),
            (self.fixed_rows, self.fixed_columns, self.header_height, self._row_label_column_width),
        )
        strip = self._lines_by_content.get(key)
        if strip is None:
            strip = self._lines_by_content[key] = super()._render_line(y, x1, x2, base_style)
        return strip

    def _columns_key(self) -> tuple[object, ...]:
        """The columns (labels, widths) and every style a line is drawn in but the row's own.

        Styles are in the key, not a reason to empty the cache: Textual tells a
        table its styles were updated on every visit of its screen, changed or not.
        """
        columns = tuple(
            (column.label.plain, str(column.label.style), column.get_render_width(self))
            for column in self.ordered_columns
        )
        styles = tuple(
            self.get_component_styles(name).rich_style for name in sorted(self.COMPONENT_CLASSES)
        )
        priority = (self.cursor_foreground_priority, self.cursor_background_priority)
        return columns, styles, priority, self.app.current_theme.name

    def _row_content(self, row_key: RowKey) -> tuple[object, ...] | None:
        """What a row shows, as a key; None when it holds anything but text."""
        if row_key is self._header_row_key:
            return ("header",)
        row = self.rows.get(row_key)
        if row is None or row.label is not None or row.height != 1:
            return None
        values = self._data.get(row_key, {})
        content: list[object] = []
        for column in self.ordered_columns:
            value = values.get(column.key)
            if isinstance(value, Cell):
                content.append((value.text, value.style, value.justify))
            elif isinstance(value, Text):
                spans = tuple((s.start, s.end, str(s.style)) for s in value.spans)
                content.append((value.plain, str(value.style), value.justify, spans))
            elif isinstance(value, str):
                content.append(value)
            else:
                return None
        return tuple(content)

    @property
    def rich_style(self) -> Style:
        """The table's style (kept for the length of a paint: every line asks for it)."""
        memo = self._paint_styles
        if memo is None:
            return super().rich_style
        style = memo.get("table")
        if style is None:
            style = memo["table"] = super().rich_style
        return style

    def _get_row_style(self, row_index: int, base_style: Style) -> Style:
        """A striped row's style (kept for the length of a paint, one for odd and one for even)."""
        memo = self._paint_styles
        if memo is None or not self.zebra_stripes or row_index < self.fixed_rows:
            return super()._get_row_style(row_index, base_style)
        parity = "odd" if row_index % 2 else "even"
        style = memo.get(parity)
        if style is None:
            style = memo[parity] = super()._get_row_style(row_index, base_style)
        return style

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """As ``DataTable``, measuring new cells only where a column's width depends on them."""
        new_rows = list(new_rows)
        rows = self.rows
        added = [rows[key] for key in new_rows if key in rows]
        if any(row.label is not None or row.auto_height for row in added):
            super()._update_dimensions(new_rows)
            return
        self._measure_auto_columns(new_rows)
        width = sum(column.get_render_width(self) for column in self.columns.values())
        header = self.header_height if self.show_header else 0
        self.virtual_size = Size(
            width + self._row_label_column_width, self._total_row_height + header
        )

    def _measure_auto_columns(self, new_rows: list[RowKey]) -> None:
        """Widen the columns of automatic width to the new rows' cells."""
        auto = [(i, column) for i, column in enumerate(self.ordered_columns) if column.auto_width]
        if not auto:
            return
        console = self.app.console
        for row_key in new_rows:
            row_index = self._row_locations.get(row_key)
            if row_index is None:
                continue
            values = self._data[row_key]
            for column_index, column in auto:
                value = values.get(column.key)
                if isinstance(value, Cell):
                    width = value.width
                else:
                    cell = self._get_row_renderables(row_index).cells[column_index]
                    width = measure(console, cell, 1)
                column.content_width = max(column.content_width, width)

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> list[list[Segment]]:
        """A cell's lines as ``DataTable`` draws them; a ``Cell`` on a one-line row directly."""
        cell = self._plain_cell(row_index, column_index)
        padding, show_cursor, show_hover, fg_css, bg_css = self._cell_flags()
        if cell is None or width <= 2 * padding:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        key = (
            self._row_locations.get_key(row_index),
            self._column_locations.get_key(column_index),
            base_style,
            cursor,
            hover,
            show_hover,
            self._update_count,
            self._pseudo_class_state,
        )
        lines = self._cell_render_cache.get(key)
        if lines is None:
            component, post = self._get_styles_to_render_cell(
                False, False, False, hover, cursor, show_cursor, show_hover, fg_css, bg_css
            )
            meta = Style.from_meta({"row": row_index, "column": column_index})
            style = self.app.console.get_style(cell.style, default=Style.null())
            inner = width - 2 * padding
            line = _cell_line(
                _justified(cell, inner),
                style if cell.style else None,
                inner,
                " " * padding,
                base_style + meta + component,
                post,
            )
            lines = self._cell_render_cache[key] = [line]
        return lines

    def _cell_flags(self) -> tuple[int, bool, bool, bool, bool]:
        """Padding, cursor shown, hover cursor shown, cursor colours from CSS: once a paint."""
        if self._paint_flags is not None:
            return self._paint_flags
        return (
            self.cell_padding,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )

    def _plain_cell(self, row_index: int, column_index: int) -> Cell | None:
        """The ``Cell`` at a place of the body, if it is one line on a one-line row."""
        if row_index < 0 or column_index < 0 or self.fixed_rows or self.fixed_columns:
            return None
        row_key = self._row_locations.get_key(row_index)
        row = self.rows.get(row_key) if row_key is not None else None
        column_key = self._column_locations.get_key(column_index)
        if row is None or row.height != 1 or column_key is None:
            return None
        cell = self._data[row_key].get(column_key)
        if not isinstance(cell, Cell) or "\t" in cell.text or "\n" in cell.text:
            return None
        return cell


class _PaintStyles:
    """A component's ``RenderStyles`` with ``rich_style`` worked out once (one paint long)."""

    __slots__ = ("_styles", "rich_style")

    def __init__(self, styles: RenderStyles) -> None:
        self._styles = styles
        self.rich_style = styles.rich_style

    def __getattr__(self, name: str) -> object:
        return getattr(self._styles, name)


def _justified(cell: Cell, inner: int) -> str:
    """The cell's text without control codes; right-justified, stripped and padded on the left.

    An empty cell is not justified: ``DataTable`` draws an empty ``Text`` as no text.
    """
    text = strip_control_codes(cell.text)
    if cell.justify != "right" or not text:
        return text
    text = text.rstrip()
    return " " * (inner - cell_len(text)) + text


def _cell_line(
    text: str, style: Style | None, inner: int, pad: str, pre: Style, post: Style
) -> list[Segment]:
    """One line of a cell: ``Styled(Padding(Text(text, style), (0, len(pad))), pre, post)``.

    The text is cut (or a wide character at the edge blanked) to ``inner`` cells,
    and filled with spaces after it, in the styles Rich would give each piece.
    """
    length = cell_len(text)
    if length > inner:
        text, length = set_cell_size(text, inner), inner
    outer = pre + post if post else pre
    styled = pre + style if text and style is not None else pre
    line = [Segment(pad, outer)] if pad else []
    line.append(Segment(text, styled + post if post else styled))
    if length < inner:
        line.append(Segment(" " * (inner - length), outer))
    if pad:
        line.append(Segment(pad, outer))
    return line
