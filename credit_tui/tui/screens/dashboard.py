"""1 总览: the meeting view — total, categories, lost points, deadlines, departments, trend."""

from __future__ import annotations

from datetime import timedelta

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Digits, Sparkline, Static

from credit_tui.reports.text import bar, clip, lost_reasons, pad
from credit_tui.scoring.calendar import Occurrence, TaskStatus, between, with_status
from credit_tui.scoring.dates import fmt_md
from credit_tui.scoring.points import Halves, fmt
from credit_tui.store.catalog import change_note
from credit_tui.store.database import Snapshot
from credit_tui.tui.host import host
from credit_tui.tui.screens.base import MainScreen
from credit_tui.tui.widgets.score_panel import PANEL_WIDTH
from credit_tui.tui.widgets.status import STATUS_STYLE

STACK_BELOW = 84
"""Body columns under which the dashboard's boxes stack instead of sitting side by side."""


class DashBody(VerticalScroll):
    """The dashboard's scrolling body; stacks its boxes when it is narrow."""

    def on_resize(self) -> None:
        self.set_class(self.size.width < STACK_BELOW, "-stacked")


class DashboardScreen(MainScreen):
    """The view the clerk opens in a meeting."""

    CSS_PATH = "dashboard.tcss"

    MODE = "dashboard"
    BODY_AFTER_FIRST_FRAME = True
    PANEL_CATEGORIES = False  # the body's 分类得分 shows them: once is enough

    BINDINGS = [Binding("c", "compare", "对比快照", id="dashboard-compare")]

    def __init__(self) -> None:
        super().__init__()
        self._snapshot: Snapshot | None = None

    def compose_body(self) -> ComposeResult:
        width = self.app.size.width
        if width >= self.WIDE and host(self).show_panel:
            width -= PANEL_WIDTH
        # stacked or not from the start: the boxes are styled once, not again on the first resize
        with DashBody(id="dash-body", classes="-stacked" if width < STACK_BELOW else ""):
            with Horizontal(id="dash-top"):
                with Vertical(id="total-box"):
                    yield Digits("", id="total")
                    yield Static(id="total-line")
                    yield Sparkline([], id="trend")
                    yield Static(id="trend-label")
                yield Static(id="categories")
            with Horizontal(id="dash-deadlines"):
                yield Static(id="overdue", classes="dash-list")
                yield Static(id="upcoming", classes="dash-list")
            yield Static(id="comparison", classes="dash-list")
            yield Static(id="lost", classes="dash-list")
            yield Static(id="departments", classes="dash-list")

    def body_mounted(self) -> None:
        titles = {
            "#total-box": "总分",
            "#categories": "分类得分",
            "#overdue": "已逾期",
            "#upcoming": f"{self.bench.catalog.due_soon_days} 天内到期",
            "#lost": "已失分（不可挽回）",
            "#comparison": "与快照对比",
            "#departments": "各单位",
        }
        for selector, title in titles.items():
            self.query_one(selector).border_title = title

    def refresh_data(self) -> None:
        bench = self.bench
        report = bench.report
        self.query_one("#total", Digits).update(f"{fmt(report.earned)}/{fmt(report.max)}")
        line = Text(
            f"已得 {fmt(report.earned)} · 已失 {fmt(report.lost)} · 可达 {fmt(report.potential)}"
        )
        if bench.projected is not None:
            line.append(f"\n预计（含计划）{fmt(bench.projected.earned)}", style="cyan")
        self.query_one("#total-line", Static).update(line)
        self.query_one("#categories", Static).update(self._categories())
        occs = bench.occurrences
        overdue = with_status(occs, TaskStatus.OVERDUE)
        soon = bench.as_of + timedelta(days=bench.catalog.due_soon_days)
        upcoming = [o for o in between(occs, bench.as_of, soon) if o.open]
        self._list("#overdue", overdue, "无逾期事项")
        self._list("#upcoming", upcoming, "近期没有到期事项")
        tasks = bench.key_task_occurrences()  # 重点任务: counted beside, never scored
        late = sum(1 for o in tasks if o.status is TaskStatus.OVERDUE)
        near = sum(
            1 for o in tasks if bench.as_of <= o.due <= soon and o.status is not TaskStatus.DONE
        )
        self.query_one("#overdue").border_subtitle = f"另有重点任务 {late} 次" if late else ""
        self.query_one("#upcoming").border_subtitle = f"另有重点任务 {near} 次" if near else ""
        self.query_one("#lost", Static).update(self._lost())
        self._show_comparison()
        self.query_one("#departments", Static).update(self._departments())
        host(self).after_prewarm(self.load_trend)

    def _categories(self) -> Text:
        text = Text()
        for cat in self.bench.report.categories:
            text.append(pad(cat.title, 14))
            text.append(
                bar(cat.earned, 0, cat.max, 13)[: round(13 * cat.earned / cat.max)], "green"
            )
            text.append("░" * (13 - round(13 * cat.earned / cat.max)), "grey42")
            text.append(f" {fmt(cat.earned):>4} / {fmt(cat.max):<3}")
            if cat.lost:
                text.append(f" 失 {fmt(cat.lost)}", "red")
            text.append("\n")
        text.rstrip()
        return text

    def _list(self, selector: str, occs: list[Occurrence], empty: str) -> None:
        catalog = self.bench.catalog
        text = Text()
        for occ in occs:
            spec = occ.spec
            comp = catalog.by_code[spec.indicator].component(spec.component)
            what = comp.label + (f"（{spec.label}）" if spec.label else "")
            text.append(f"{fmt_md(spec.due)} {catalog.display_code(spec.indicator)} ")
            text.append(clip(what, 12), STATUS_STYLE[occ.status])
            text.append(f" {spec.departments[0]} {fmt(occ.at_stake)}分\n")
        text.rstrip()
        self.query_one(selector, Static).update(text if occs else Text(empty, "grey62"))

    def _lost(self) -> Text:
        catalog = self.bench.catalog
        text = Text()
        for ind in self.bench.report.indicators:
            for comp in ind.components:
                if comp.lost:
                    text.append(
                        f"{catalog.display_code(ind.code)} {pad(clip(comp.label, 18), 18)} "
                    )
                    text.append(f"-{fmt(comp.lost):<4}", "red")
                    text.append(f" {'；'.join(lost_reasons(comp))}\n")
        text.rstrip()
        return text if text.plain else Text("尚无失分", "green")

    def _departments(self) -> Text:
        catalog = self.bench.catalog
        loads = sorted(
            (d for d in self.bench.department_loads() if d.open or d.lost),
            key=lambda d: (-d.overdue, -d.lost, -d.open, catalog.departments.index(d.department)),
        )
        text = Text()
        name_cells = max((cell_len(load.department) for load in loads), default=0)
        for load in loads:
            name = load.department + " " * (name_cells - cell_len(load.department))
            text.append(f"{name} 待办 {load.open:>2} · ")
            text.append(f"逾期 {load.overdue:>2}", "red" if load.overdue else "")
            text.append(" · ")
            text.append(f"失分 {load.lost:>2}", "red" if load.lost else "")
            text.append("\n")
        text.rstrip()
        return text

    def action_compare(self) -> None:
        """Pick a saved snapshot to compare today's score with."""
        host(self).compare_with_snapshot()

    def show_comparison(self, snapshot: Snapshot) -> None:
        """Show what rose and fell since ``snapshot``."""
        self._snapshot = snapshot
        self._show_comparison()

    def _show_comparison(self) -> None:
        box = self.query_one("#comparison", Static)
        snap = self._snapshot
        box.display = snap is not None
        if snap is None:
            return
        box.border_title = f"与快照“{snap.label}”（截至 {snap.as_of}）对比"
        text = Text(f"总分 {snap.earned} → {fmt(self.bench.report.earned)}\n")
        moved = self.bench.compare(snap)
        for code, then, now in moved:
            style = "green" if now > then else "red"
            text.append(f"{code} {then} → {now}  ", style)
        if not moved:
            text.append("各指标得分均无变化", "grey62")
        note = change_note(snap.report, self.bench.store.conn)
        if note:
            text.append(f"\n{note}", "bold yellow")
        box.update(text)

    @work(thread=True, exclusive=True, group="trend")
    def load_trend(self) -> None:
        """Earned as of each month end (re-scores the year, so off the UI thread)."""
        points = self.bench.trend()
        self.app.call_from_thread(self._show_trend, points)

    def _show_trend(self, points: list[tuple[int, Halves]]) -> None:
        self.query_one("#trend", Sparkline).data = [p / 2 for _, p in points]
        shown = " ".join(f"{m}月{fmt(p)}" for m, p in points[-3:])
        self.query_one("#trend-label", Static).update(
            Text(f"{points[0][0]}–{points[-1][0]} 月走势 {shown}", "grey62")
        )
