"""Screen 4 证据: every record, newest first, filtered and shown a page at a time.

A store may hold 100,000 records: the workbench keeps them newest first with
their search text (``RecordIndex.find`` filters them in a few milliseconds), but a
``DataTable`` of that many rows is not quick, so the table only ever holds one
page (``PAGE_SIZE`` rows) of the filtered list, and is refilled only when that
page's records changed. Moving past the last row of a page (↓ or PgDn) turns to
the next page; ctrl+n / ctrl+b turn a whole page.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import DataTable, Input, Select, Static

from credit_tui.reports.proof import GAP_LABEL, GapMarks
from credit_tui.scoring.dates import DateFormatError, parse_date
from credit_tui.scoring.evidence import Evidence
from credit_tui.service.workbench import same_records
from credit_tui.tui.host import host
from credit_tui.tui.screens.base import RecordListScreen
from credit_tui.tui.screens.evidence_table import (
    COLUMNS,
    EvidenceTable,
    column_widths,
    record_cells,
)
from credit_tui.tui.screens.unassigned import (
    KEY_TASK,
    UNASSIGNED,
    UNASSIGNED_CHOICE,
    key_task_labels,
    unassigned,
)
from credit_tui.tui.widgets.choice_select import ChoiceSelect, indicator_choices

PAGE_SIZE = 200
"""Rows held by the table at once."""
FILTER_DELAY = 0.25
"""Seconds of typing pause before the list is filtered again."""

__all__ = ["PAGE_SIZE", "EvidenceScreen", "EvidenceTable"]


class EvidenceScreen(RecordListScreen):
    """证据: the list of every record, with filters, editing, deleting and undo."""

    CSS_PATH = "evidence.tcss"

    MODE = "evidence"
    BINDINGS = [
        Binding("enter", "edit", "编辑", id="evidence-edit"),
        Binding("d", "delete", "删除", id="evidence-delete"),
        Binding("u", "undo", "撤销", id="evidence-undo"),
        Binding("i", "app.open_import", "导入", id="evidence-import"),
        Binding("slash", "search", "搜索", key_display="/", id="evidence-search"),
        Binding("g", "toggle_gaps", "缺佐证", show=False, id="evidence-gaps"),
        Binding(
            "ctrl+n",
            "turn_page(1)",
            "下一页",
            key_display="^n",
            show=False,
            id="evidence-next-page",
        ),
        Binding(
            "ctrl+b",
            "turn_page(-1)",
            "上一页",
            key_display="^b",
            show=False,
            id="evidence-prev-page",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._generation = -1
        self._filtered: list[Evidence] = []
        self._shown: list[Evidence] = []
        """The records the table holds, in its order."""
        self._page = 0
        self._filter_timer: Timer | None = None
        self._filter_error = ""
        self._gaps: GapMarks | None = None
        """Which records are 缺佐证材料, for the report of ``_generation``."""
        self._only_gaps = False

    # --- layout ----------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        catalog = self.bench.catalog
        with Vertical(id="evidence-body"):
            with Horizontal(id="evidence-filters"):
                yield ChoiceSelect(
                    [
                        *indicator_choices(catalog),
                        *([("重点任务（不计分）", KEY_TASK)] if catalog.key_tasks else []),
                        UNASSIGNED_CHOICE,
                    ],
                    prompt="全部指标",
                    type_to_search=True,
                    compact=True,
                    id="filter-indicator",
                )
                yield ChoiceSelect(
                    [(name, name) for name in catalog.departments],
                    prompt="全部单位",
                    type_to_search=True,
                    compact=True,
                    id="filter-department",
                )
                yield Input(placeholder="从 日期", compact=True, id="filter-from")
                yield Input(placeholder="到 日期", compact=True, id="filter-to")
                yield Input(placeholder="搜索（/）", compact=True, id="filter-words")
            yield EvidenceTable(id="evidence-table")
            yield Static(id="evidence-status")

    def on_mount(self) -> None:
        self._layout_columns()
        self.query_one(EvidenceTable).focus()

    # --- data ------------------------------------------------------------------------

    def refresh_data(self) -> None:
        """Show the current filter over the bench's records, as they are now."""
        self._generation = self.bench.generation
        self._gaps = GapMarks(self.bench.report)
        self._apply_filter(keep_page=True)

    def _read_filters(
        self,
    ) -> tuple[str | None, str | None, date | None, date | None, list[str], list[str]]:
        """The filter bar's values, and the Chinese errors of unreadable dates."""
        indicator = self.query_one("#filter-indicator", Select).value
        department = self.query_one("#filter-department", Select).value
        errors: list[str] = []
        bounds: list[date | None] = []
        for widget_id, label in (("#filter-from", "从"), ("#filter-to", "到")):
            widget = self.query_one(widget_id, Input)
            text = widget.value.strip()
            bound = None
            if text:
                try:
                    bound = parse_date(text, self.bench.today)
                except DateFormatError as exc:
                    errors.append(f"{label}：{exc}")
            widget.set_class(bool(text) and bound is None, "-bad")
            bounds.append(bound)
        words = self.query_one("#filter-words", Input).value.casefold().split()
        return (
            indicator if isinstance(indicator, str) else None,
            department if isinstance(department, str) else None,
            bounds[0],
            bounds[1],
            words,
            errors,
        )

    def _apply_filter(self, *, keep_page: bool = False) -> None:
        indicator, department, start, end, words, errors = self._read_filters()
        self._filter_error = "；".join(errors)
        if indicator == UNASSIGNED:
            found = self.bench.index.find(None, department, start, end, words)
            self._filtered = unassigned(found, self.bench.component_labels, self.bench.catalog)
        else:
            self._filtered = self.bench.index.find(indicator, department, start, end, words)
        if self._only_gaps:
            self._filtered = [r for r in self._filtered if self._gap_marks().is_gap(r)]
        if not keep_page:
            self._page = 0
        self._show_page()

    # --- drawing ---------------------------------------------------------------------

    def _layout_columns(self) -> None:
        table = self.query_one(EvidenceTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        self._shown = []
        widths = column_widths(table.size.width or self.size.width or 80)
        for key, label, _ in COLUMNS:
            table.add_column(label, width=widths[key], key=key)
        self._fill_table(cursor)

    def on_evidence_table_width_changed(self, event: EvidenceTable.WidthChanged) -> None:
        event.stop()
        self._layout_columns()

    def _page_count(self) -> int:
        return max(1, -(-len(self._filtered) // PAGE_SIZE))

    def _show_page(self, cursor: int | None = None) -> None:
        self._page = min(max(self._page, 0), self._page_count() - 1)
        table = self.query_one(EvidenceTable)
        if cursor is None:
            cursor = table.cursor_row
        self._fill_table(cursor, self._selected_id())

    def _fill_table(self, cursor: int | None = None, selected: str | None = None) -> None:
        """Show the current page; the cursor goes to ``selected`` if there, else row ``cursor``."""
        table = self.query_one(EvidenceTable)
        first = self._page * PAGE_SIZE
        rows = self._filtered[first : first + PAGE_SIZE]
        if not same_records(rows, self._shown):
            self._draw_rows(table, rows)
        if rows:
            row = cursor
            if selected is not None:
                ids = [r.id for r in rows]
                if selected in ids:
                    row = ids.index(selected)
            row = min(max(row or 0, 0), len(rows) - 1)
            table.move_cursor(row=row, animate=False)
        self._show_status(first, len(rows))

    def _gap_marks(self) -> GapMarks:
        if self._gaps is None:
            self._gaps = GapMarks(self.bench.report)
        return self._gaps

    def _draw_rows(self, table: EvidenceTable, rows: list[Evidence]) -> None:
        """Put these records in the table, in place of what it held."""
        table.clear()
        codes, labels = self.bench.display_codes, self.bench.component_labels
        labels = (
            {**labels, **key_task_labels(self.bench.catalog)}
            if self.bench.catalog.key_tasks
            else labels
        )
        for rec in rows:
            gap = self._gap_marks().is_gap(rec)
            table.add_row(*record_cells(rec, codes, labels, gap=gap), key=rec.id)
        self._shown = rows

    def _show_status(self, first: int, shown: int) -> None:
        total = len(self._filtered)
        status = Text()
        if not len(self.bench.index):
            status.append("还没有佐证材料，按 n 录入")
        elif total == 0:
            status.append("共 0 条，没有符合筛选条件的记录")
        else:
            status.append(f"共 {total} 条，显示第 {first + 1}–{first + shown} 条")
            if self._page_count() > 1:
                status.append(
                    f" · 第 {self._page + 1}/{self._page_count()} 页 · PgDn/PgUp 或 ^n/^b 翻页",
                    style="dim",
                )
        if self._only_gaps:
            status.append(f" · 只看{GAP_LABEL}（g 取消）", style="bold yellow")
        elif gaps := sum(map(self._gap_marks().is_gap, self._shown)):
            status.append(f" · 本页{GAP_LABEL} {gaps} 条（g 只看）", style="yellow")
        if self._filter_error:
            status.append("  ")
            status.append(self._filter_error, style="bold red")
        self.query_one("#evidence-status", Static).update(status, layout=False)  # one line

    # --- filters ---------------------------------------------------------------------

    @on(Select.Changed, "#evidence-filters Select")
    def _select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if self._generation >= 0:
            self._apply_filter()

    @on(Input.Changed, "#evidence-filters Input")
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_DELAY, self._filter_later)

    def _filter_later(self) -> None:
        self._filter_timer = None
        if self._generation >= 0:
            self._apply_filter()

    @on(Input.Submitted, "#evidence-filters Input")
    def _input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._filter_timer is not None:
            self._filter_timer.stop()
            self._filter_timer = None
        if self._generation >= 0:
            self._apply_filter()
        self.query_one(EvidenceTable).focus()

    # --- actions ---------------------------------------------------------------------

    def _selected_id(self) -> str | None:
        table = self.query_one(EvidenceTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    def evidence_context(self) -> dict[str, object]:
        """A new record started here takes the filter's indicator and department."""
        indicator, department, *_ = self._read_filters()
        context: dict[str, object] = {}
        if indicator and indicator != UNASSIGNED:
            context["indicator"] = indicator
        if department:
            context["department"] = department
        return context

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "delete") and self._selected_id() is None:
            return None
        return True

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            host(self).open_form({}, event.row_key.value)

    def action_undo(self) -> None:
        """Undo the newest change (again and again)."""
        host(self).apply(self.bench.undo, empty="没有可撤销的修改")

    def action_toggle_gaps(self) -> None:
        """Show only the records counted without attachment or link (缺佐证材料), or all."""
        self._only_gaps = not self._only_gaps
        self._apply_filter()

    def action_search(self) -> None:
        """Focus the words filter."""
        self.query_one("#filter-words", Input).focus()

    def action_turn_page(self, step: int) -> None:
        """Show the next (1) or previous (-1) page."""
        self._turn(step)

    def on_evidence_table_turn_page(self, event: EvidenceTable.TurnPage) -> None:
        event.stop()
        self._turn(event.step, edge=True)

    def _turn(self, step: int, *, edge: bool = False) -> None:
        page = self._page + step
        if not 0 <= page < self._page_count():
            if not edge:
                self.notify("已是最后一页" if step > 0 else "已是第一页", severity="warning")
            return
        self._page = page
        self._fill_table(PAGE_SIZE - 1 if edge and step < 0 else 0)
