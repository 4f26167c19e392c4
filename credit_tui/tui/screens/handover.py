"""Hand-over from the workbench: exports, score snapshots and the comparison with one.

Everything here is reached from the command palette (导出…, 快照…) and the
dashboard (`c` compares with a snapshot). Files go to ``导出/`` beside the store;
the work runs in a thread worker so the screen never freezes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from credit_tui.errors import UserFacingError
from credit_tui.store.database import Snapshot, StoreError
from credit_tui.tui.host import host

EXPORTS: dict[str, str] = {
    "ledger": "导出本月工作台账",
    "self-assessment": "导出自评表",
    "package": "导出佐证材料汇编",
    "ics": "导出时间节点日历",
    "report": "生成会议报告",
    "self-assessment-docx": "导出自评报告（Word）",
    "report-docx": "生成会议报告（Word）",
    "notice": "导出督办通知（Word）",
}
"""Palette entries of the exports, by kind."""


class LabelPrompt(ModalScreen[str | None]):
    """Asks for a snapshot's name (第二季度末 …)."""

    CSS_PATH = "handover.tcss"
    BINDINGS = [Binding("escape", "cancel", "取消", id="label-cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="label-dialog"):
            yield Static("保存得分快照：请输入名称（如 第二季度末），回车保存，Esc 取消")
            yield Input(placeholder="快照名称", max_length=50, id="label-input")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)


def _target(app: App[Any], kind: str) -> Path:
    bench = host(app).bench
    stamp = bench.as_of
    names = {
        "ledger": f"{stamp:%Y-%m} 月度工作台账.xlsx",
        "self-assessment": f"{stamp:%Y-%m-%d} 自评表.xlsx",
        "package": f"{stamp:%Y-%m-%d} 佐证材料汇编.zip",
        "ics": f"{bench.year} 时间节点.ics",
        "report": f"{stamp:%Y-%m-%d} 会议报告.html",
        "self-assessment-docx": "自评报告.docx",
        "report-docx": "会议报告.docx",
    }
    return bench.exports_dir / names[kind]


def _write(app: App[Any], kind: str, out: Path) -> str:
    """Produce one export (runs in a worker thread); a Chinese line saying what was done."""
    bench = host(app).bench
    store, as_of = bench.store, bench.as_of
    out.parent.mkdir(parents=True, exist_ok=True)
    if kind == "ledger":
        from credit_tui.reports.ledger import export_ledger

        rows = export_ledger(store, date(as_of.year, as_of.month, 1), out, today=bench.today)
        return f"已导出 {as_of.month} 月工作台账（{rows} 项）：{out}"
    if kind in ("self-assessment", "self-assessment-docx"):
        from credit_tui.reports.self_assessment import export_self_assessment

        export_self_assessment(store, out, as_of=as_of)
    elif kind == "package":
        from credit_tui.reports.package import export_package

        out.unlink(missing_ok=True)
        export_package(store, out, as_of=as_of)
    elif kind == "ics":
        from credit_tui.reports.ics import export_ics

        export_ics(store, out)
    elif kind in ("report", "report-docx"):
        from credit_tui.reports.meeting import export_report

        export_report(store, out, as_of=as_of)
    return f"已导出：{out}"


def start_export(app: App[Any], kind: str) -> None:
    """Export in a worker; for the ledger, then ask whether to record it as 1.2 evidence."""
    if kind == "notice":
        from credit_tui.tui.screens.notice_pick import choose_notice

        choose_notice(app)
        return
    out = _target(app, kind)

    def work() -> None:
        try:
            message = _write(app, kind, out)
        except (UserFacingError, OSError) as exc:
            app.call_from_thread(app.notify, str(exc), title="导出失败", severity="error")
            return
        app.call_from_thread(app.notify, message, title=EXPORTS[kind])
        if kind == "ledger":
            app.call_from_thread(_offer_record, app, out)

    app.run_worker(work, thread=True, group="export", exclusive=False)


def _offer_record(app: App[Any], out: Path) -> None:
    from credit_tui.tui.screens.confirm import ConfirmDialog

    bench = host(app).bench
    as_of = bench.as_of
    month = date(as_of.year, as_of.month, 1)

    def answer(yes: bool | None) -> None:
        if not yes:
            return
        from credit_tui.service.writes import record_ledger

        before = bench.report
        try:
            record_ledger(bench.store, month, out, today=bench.today)
        except (UserFacingError, OSError) as exc:  # a busy or read-only store: say so
            app.notify(str(exc), title="登记失败", severity="error")
            return
        bench.load()
        host(app).refresh_screen()
        app.notify(
            f"已登记为一、2 的 {month.month} 月台账 · 总分 "
            f"{_fmt(before.earned)} → {_fmt(bench.report.earned)}",
            title="已保存",
        )

    app.push_screen(
        ConfirmDialog(f"把 {month.month} 月工作台账登记为一、2 的月度台账材料？", title="登记台账"),
        answer,
    )


def save_snapshot(app: App[Any]) -> None:
    """Ask for a name, then freeze today's score under it."""

    def named(label: str | None) -> None:
        if not label:
            return
        try:
            snap = host(app).bench.save_snapshot(label)
        except StoreError as exc:
            app.notify(str(exc), title="保存失败", severity="error")
            return
        app.notify(f"已保存得分快照“{snap.label}”（总分 {snap.earned}）", title="快照")

    app.push_screen(LabelPrompt(), named)


def choose_snapshot(app: App[Any], then: Callable[[Snapshot], None]) -> None:
    """Let the clerk pick a saved snapshot, then call ``then`` with it."""
    snaps = host(app).bench.snapshots()
    if not snaps:
        app.notify("还没有得分快照：在命令面板中选择“保存得分快照”", severity="warning")
        return
    app.search_commands(
        [
            (f"{s.label}（截至 {s.as_of}，总分 {s.earned}）", lambda s=s: then(s), "与现在对比")
            for s in snaps
        ],
        placeholder="选择要对比的快照…",
    )


def _fmt(halves: int) -> str:
    from credit_tui.scoring.points import fmt

    return fmt(halves)
