"""指标体系 (UI.md §9): the table in use, its export, and importing a new one with a preview.

Importing shows what changes in words and 总分 before → after, and stores the
table only on 确认导入 (one audited change, ``undo`` brings the old one back). The
screens are built with the table, so after an import the workbench starts again
on the new one (``RELOAD``; the command line opens it again at once).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from credit_tui.errors import UserFacingError
from credit_tui.reports.label import table_label
from credit_tui.tui.host import host

if TYPE_CHECKING:
    from credit_tui.interchange.table.apply import Plan
    from credit_tui.scoring.catalog import Catalog
    from credit_tui.service.workbench import Workbench

RELOAD = "reload-catalog"
"""What the app returns when it should be opened again on a new table."""


def describe(bench: Workbench) -> list[str]:
    """The dialog's three lines: year and source document, counts, where it came from."""
    from credit_tui.scoring.points import fmt
    from credit_tui.store import catalog as store_catalog

    cat: Catalog = bench.catalog
    first = [f"{cat.version} 年度", cat.organisation_full or cat.organisation]
    if cat.document_number:
        first.append(cat.document_number)
    if cat.issued_on:
        first.append(f"{cat.issued_on} 印发")
    comps = sum(len(i.components) for i in cat.indicators)
    second = (
        f"{len(cat.categories)} 类 · {len(cat.indicators)} 项指标 · {comps} 个事项 · "
        f"{fmt(cat.total)} 分 · 重点任务 {len(cat.key_tasks)} 项 · "
        f"责任单位 {len(cat.departments)} 个"
    )
    info = store_catalog.info(bench.store.conn)
    source = f"来源：{info.source}（{info.imported_at[:10]}）" if info else "来源：内置指标体系"
    label = table_label(cat, bench.year)
    return [" · ".join(first), second, source + (f" · {label}" if label else "")]


class CatalogDialog(ModalScreen[str | None]):
    """The table in use: 导出工作簿, 导入新的指标体系… with a preview and 确认导入."""

    CSS_PATH = "catalog_dialog.tcss"
    BINDINGS = [Binding("escape", "close", "关闭", id="catalog-close")]

    def __init__(self) -> None:
        super().__init__()
        self._plan: Plan | None = None
        self._path: Path | None = None

    @property
    def bench(self) -> Workbench:
        """The app's workbench."""
        return host(self).bench

    def compose(self) -> ComposeResult:
        with Vertical(id="catalog-dialog") as box:
            box.border_title = "指标体系"
            yield Static("\n".join(describe(self.bench)), id="catalog-info", markup=False)
            with Horizontal(id="catalog-buttons"):
                yield Button("导出工作簿", id="catalog-export")
                yield Button("导入新的指标体系…", id="catalog-import", variant="primary")
            yield Input(placeholder="工作簿或 TOML 文件的路径，回车预览", id="catalog-path")
            yield Static("", id="catalog-preview", markup=False)
            with Horizontal(id="catalog-confirm"):
                yield Button("确认导入", id="catalog-apply", variant="primary")
                yield Button("取消", id="catalog-cancel")

    def on_mount(self) -> None:
        self.query_one("#catalog-path").display = False
        self.query_one("#catalog-preview").display = False
        self.query_one("#catalog-confirm").display = False
        self.query_one("#catalog-export", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "catalog-export":
            self._export()
        elif event.button.id == "catalog-import":
            field = self.query_one("#catalog-path", Input)
            field.display = True
            field.focus()
        elif event.button.id == "catalog-apply":
            self._apply()
        else:
            self._show_preview("", ready=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.preview(Path(event.value.strip().strip("'\"")).expanduser())

    def preview(self, path: Path) -> None:
        """Check the file and show what importing it would change."""
        from credit_tui.interchange.table import apply
        from credit_tui.interchange.table.read import read_table

        try:
            new = read_table(path)
            self._plan = apply.plan(self.bench.store, new, self.bench.as_of, str(path))
        except UserFacingError as exc:
            self._plan = None
            self._show_preview(str(exc), ready=False)
            return
        self._path = path
        self._show_preview(self._plan.text(self.bench.as_of), ready=not self._plan.unchanged)

    def _show_preview(self, text: str, *, ready: bool) -> None:
        box = self.query_one("#catalog-preview", Static)
        box.display = bool(text)
        box.update(text)
        box.set_class(not ready and bool(text) and self._plan is None, "-error")
        self.query_one("#catalog-confirm").display = ready
        if ready:
            self.query_one("#catalog-apply", Button).focus()

    def _apply(self) -> None:
        from credit_tui.interchange.table import apply

        if self._plan is None or self._path is None:
            return
        try:
            apply.apply(self.bench.store, self._plan, f"导入自 {self._path.name}")
        except UserFacingError as exc:
            self._show_preview(str(exc), ready=False)
            return
        self.dismiss(RELOAD)

    def _export(self) -> None:
        from credit_tui.interchange.table.write import write_table

        out = self.bench.exports_dir / f"指标体系-{self.bench.catalog.version}.xlsx"
        try:
            write_table(self.bench.catalog, out)
        except OSError as exc:
            self.app.notify(f"无法写入 {out}：{exc.strerror or exc}", severity="error")
            return
        self.app.notify(f"已导出：{out}", title="指标体系")

    def action_close(self) -> None:
        """Close without importing."""
        self.dismiss(None)


def open_dialog(app: App[Any]) -> None:
    """Show the dialog; after an import, start the workbench again on the new table."""

    def done(result: str | None) -> None:
        if result == RELOAD:
            app.exit(RELOAD)

    app.push_screen(CatalogDialog(), done)
