"""``缺 领导小组``: the short note a gated component's row shows (what must come first)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from credit_tui.scoring.calendar import TaskStatus
from credit_tui.scoring.catalog import Catalog
from credit_tui.tui.widgets.quick_table import Cell, ellipsize
from credit_tui.tui.widgets.status import STATUS_STYLE

MISSING_STYLE = STATUS_STYLE[TaskStatus.OVERDUE]


def missing_note(catalog: Catalog, indicator: str, component: str, missing: str) -> str:
    """``缺 领导小组`` (the gate component's label) when ``missing`` is set, else ``""``."""
    if not missing:
        return ""
    comp = catalog.by_code[indicator].component(component)
    if comp.gate is None:
        return f"缺 {missing}"
    return f"缺 {catalog.by_code[indicator].component(comp.gate.component).label}"


def label_with_note(label: str, note: str, cells: int) -> Cell | Text:
    """The row's 事项 in ``cells``: the label, shortened first so the note stays whole."""
    if not note:
        return Cell(ellipsize(label, cells))
    note = ellipsize(note, cells)
    room = cells - cell_len(note) - 1
    if room < 4:
        return Text(note, style=MISSING_STYLE)
    return Text.assemble(ellipsize(label, room), " ", (note, MISSING_STYLE))
