"""5 指标: one indicator in full — rule text, interpretation, score, deadlines, evidence."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from credit_tui.reports.text import SHORT_CHANNELS, cjk_paragraph, clip
from credit_tui.scoring.calendar import TaskStatus
from credit_tui.scoring.dates import fmt_md
from credit_tui.scoring.evidence import STATUS_LABELS, Evidence
from credit_tui.scoring.points import fmt
from credit_tui.service.workbench import same_records
from credit_tui.tui.host import host
from credit_tui.tui.screens.base import RecordListScreen
from credit_tui.tui.widgets.quick_table import Cell, QuickTable
from credit_tui.tui.widgets.status import STATUS_STYLE

SHOWN_RECORDS = 200
"""The newest records listed here; the evidence list pages through all of them."""


class IndicatorScreen(RecordListScreen):
    """The detail of the indicator the app is showing (``app.current_indicator``)."""

    CSS_PATH = "indicator.tcss"

    MODE = "indicator"
    BINDINGS = [
        Binding("left,comma", "step(-1)", "上一个", id="indicator-prev", priority=True),
        Binding("right,full_stop", "step(1)", "下一个", id="indicator-next", priority=True),
        Binding("e", "edit", "编辑", id="indicator-edit"),
        Binding("d", "delete", "删除", id="indicator-delete"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._shown: list[Evidence] = []
        """The records the evidence table holds, in its order."""

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="indicator-body"):
            yield Static(id="ind-title")
            yield Static(id="ind-criteria")
            yield Static(id="ind-components")
            yield Static(id="ind-deadlines")
            yield Static("佐证材料", classes="section-title", id="ind-evidence-title")
            yield QuickTable(id="ind-evidence", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#ind-evidence", QuickTable)
        table.add_columns("日期", "事项", "对象", "标题", "渠道", "单位", "状态")
        super().on_mount()

    @property
    def code(self) -> str:
        """The indicator shown."""
        return host(self).current_indicator

    def show_indicator(self, code: str) -> None:
        """Show another indicator."""
        host(self).current_indicator = code
        if host(self).loaded and self.is_mounted:
            self.refresh_data()
            self.query_one("#indicator-body", VerticalScroll).scroll_home(animate=False)

    def action_step(self, step: int) -> None:
        """The previous or next indicator in table order."""
        codes = [ind.code for ind in self.bench.catalog.indicators]
        self.show_indicator(codes[(codes.index(self.code) + step) % len(codes)])

    def refresh_data(self) -> None:
        bench = self.bench
        catalog = bench.catalog
        ind = catalog.by_code[self.code]
        score = bench.report.indicator(ind.code)
        title = Text(f"{catalog.display_code(ind.code)} {ind.name}", "bold")
        title.append(
            f" · {fmt(ind.max)} 分 · 已得 {fmt(score.earned)} · 已失 {fmt(score.lost)}"
            f" · 可达 {fmt(score.potential)}"
        )
        self.query_one("#ind-title", Static).update(title)
        depts = list(dict.fromkeys(d for c in ind.components for d in c.departments))
        times = "；".join(dict.fromkeys(c.schedule.text for c in ind.components))
        criteria = Text()
        criteria.append("评估标准：", "bold")
        criteria.append(cjk_paragraph(ind.criteria) + "\n")
        criteria.append("评分口径：", "bold cyan")
        criteria.append(cjk_paragraph(ind.interpretation) + "\n", "cyan")
        criteria.append("责任单位：", "bold")
        criteria.append(" ".join(depts) + "\n")
        criteria.append("时间节点：", "bold")
        criteria.append(times)
        self.query_one("#ind-criteria", Static).update(criteria)
        self.query_one("#ind-components", Static).update(self._components())
        self.query_one("#ind-deadlines", Static).update(self._deadlines())
        self._evidence()

    def _components(self) -> Text:
        ind = self.bench.catalog.by_code[self.code]
        score = self.bench.report.indicator(ind.code)
        text = Text("\n得分明细\n", "bold")
        for comp, got in zip(ind.components, score.components, strict=True):
            text.append(f"{comp.label}  ", "bold")
            text.append(f"{fmt(got.earned)}/{fmt(got.max)}", "green" if got.earned else "")
            if got.lost:
                text.append(f" 失 {fmt(got.lost)}", "red")
            text.append(f" · 可达 {fmt(got.potential)}")
            if got.planned:
                text.append(f" · 计划 {got.planned} 条", "cyan")
            text.append("\n")
            for reason in got.reasons:
                text.append(f"  · {reason}\n", "grey70")
        for warning in score.warnings:
            text.append(f"提示：{warning}\n", "yellow")
        text.rstrip()
        return text

    def _deadlines(self) -> Text:
        catalog = self.bench.catalog
        text = Text("\n时间节点\n", "bold")
        mine = [o for o in self.bench.occurrences if o.spec.indicator == self.code]
        for occ in mine:
            comp = catalog.by_code[self.code].component(occ.spec.component)
            label = comp.label + (f"（{occ.spec.label}）" if occ.spec.label else "")
            text.append(f"{fmt_md(occ.due)} {label} ")
            text.append(occ.status.value, STATUS_STYLE[occ.status])
            if occ.at_stake and occ.status is not TaskStatus.DONE:
                text.append(f" · {fmt(occ.at_stake)} 分")
            text.append("\n")
        text.rstrip()
        return text

    def _evidence(self) -> None:
        bench = self.bench
        table = self.query_one("#ind-evidence", QuickTable)
        records = bench.evidence_of(self.code)
        shown = records[:SHOWN_RECORDS]
        if table.row_count and same_records(shown, self._shown):
            table.move_cursor(row=0, column=0, animate=False)  # where a refill leaves it
        else:
            self._fill(table, shown)
        title = self.query_one("#ind-evidence-title", Static)
        more = len(records) - SHOWN_RECORDS
        title.update(
            f"佐证材料（共 {len(records)} 条，列出最新 {SHOWN_RECORDS} 条；全部见 4 证据）"
            if more > 0
            else f"佐证材料（{len(records)} 条）"
        )

    def _fill(self, table: QuickTable, records: list[Evidence]) -> None:
        """The table of these records (or a line saying there are none)."""
        table.clear()
        ind = self.bench.catalog.by_code[self.code]
        for rec in records:
            table.add_row(
                Cell(rec.date.isoformat()),
                Cell(clip(ind.component(rec.component).label, 12)),
                Cell(rec.item),
                Cell(clip(rec.title, 24)),
                Cell(SHORT_CHANNELS.get(rec.channel, rec.channel)),
                Cell(rec.department),
                Cell(STATUS_LABELS[rec.status], "cyan" if rec.planned else "green"),
                key=rec.id,
            )
        if not table.row_count:
            blank = [Cell("")] * 3
            table.add_row(*blank, Cell("尚无佐证材料，按 n 录入", "grey62"), *blank)
        self._shown = records

    def _selected_id(self) -> str | None:
        table = self.query_one("#ind-evidence", QuickTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return key if key in self.bench.records else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def evidence_context(self) -> dict[str, object]:
        ind = self.bench.catalog.by_code[self.code]
        return {"indicator": ind.code, "component": ind.components[0].key}
