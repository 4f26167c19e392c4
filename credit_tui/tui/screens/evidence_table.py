"""The evidence list's table: a page of records as fixed-width cells, turning pages at its ends."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message

from credit_tui.scoring.evidence import STATUS_LABELS, Evidence
from credit_tui.tui.screens.unassigned import UNASSIGNED_LABEL
from credit_tui.tui.widgets.quick_table import Cell, QuickTable

# Column key, heading and width in cells; the title takes what is left.
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("date", "日期", 10),
    ("code", "指标", 5),
    ("component", "事项", 14),
    ("item", "对象", 10),
    ("title", "标题", 0),
    ("department", "单位", 12),
    ("status", "状态", 6),
)
NARROW_BELOW = 110
NARROW_WIDTHS = {"component": 10, "item": 8, "department": 8}
"""Tighter columns below ``NARROW_BELOW`` cells (the score panel beside the table)."""
TIGHT_BELOW = 90
TIGHT_WIDTHS = {"component": 8, "item": 6, "department": 8}
"""Tighter still below ``TIGHT_BELOW`` cells (an 80-column terminal)."""
TITLE_MIN = 10
STATUS_STYLES = {"done": "green", "planned": "cyan"}


class EvidenceTable(QuickTable):
    """A page of records; asks its screen to turn the page at either end.

    The cells are ``Cell``s and the columns have fixed widths, so a page of 200
    rows is added without measuring a cell and drawn without Rich's text layout.
    """

    BINDINGS = [Binding("enter", "select_cursor", "编辑", id="evidence-table-edit")]

    class TurnPage(Message):
        """Go ``step`` pages forward (1) or back (-1)."""

        def __init__(self, step: int) -> None:
            super().__init__()
            self.step = step

    class WidthChanged(Message):
        """The table was resized: the columns should be laid out again."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._last_width = -1

    def action_cursor_down(self) -> None:
        if self.row_count and self.cursor_row >= self.row_count - 1:
            self.post_message(self.TurnPage(1))
        else:
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self.row_count and self.cursor_row <= 0:
            self.post_message(self.TurnPage(-1))
        else:
            super().action_cursor_up()

    def action_page_down(self) -> None:
        if self.row_count and self.cursor_row >= self.row_count - 1:
            self.post_message(self.TurnPage(1))
        else:
            super().action_page_down()

    def action_page_up(self) -> None:
        if self.row_count and self.cursor_row <= 0:
            self.post_message(self.TurnPage(-1))
        else:
            super().action_page_up()

    def on_resize(self) -> None:
        if self.size.width != self._last_width:
            self._last_width = self.size.width
            self.post_message(self.WidthChanged())


def column_widths(width: int) -> dict[str, int]:
    """Each column's width for a table ``width`` cells wide (the title takes what is left)."""
    widths = {key: w for key, _, w in COLUMNS}
    if width < NARROW_BELOW:
        widths.update(NARROW_WIDTHS)
    if width < TIGHT_BELOW:
        widths.update(TIGHT_WIDTHS)
    # every column has one cell of padding either side; keep 2 for the scrollbar
    used = sum(w for key, w in widths.items() if key != "title") + 2 * len(COLUMNS) + 2
    widths["title"] = max(TITLE_MIN, width - used)
    return widths


def record_cells(
    rec: Evidence,
    codes: dict[str, str],
    labels: dict[tuple[str, str], str],
    *,
    gap: bool,
) -> tuple[Cell, ...]:
    """One record's row: date, code, component, item, title, department, status (or 缺佐证)."""
    return (
        Cell(rec.date.isoformat()),
        Cell(codes.get(rec.indicator, rec.indicator)),
        Cell(labels.get((rec.indicator, rec.component), UNASSIGNED_LABEL)),
        Cell(rec.item),
        Cell(rec.title),
        Cell(rec.department),
        Cell("缺佐证", "bold yellow")
        if gap
        else Cell(STATUS_LABELS.get(rec.status, rec.status), STATUS_STYLES.get(rec.status, "")),
    )
