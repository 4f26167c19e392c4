"""导入: a department's file (or a folder of them) comes in — previewed first, then written.

The path box completes folders and files; the tree below lists folders and
.csv/.xlsx files, starting in the folder of the last import (else home).
Choosing a file or folder previews it (``import_preview``): 新增 · 替换 · 未变,
per department, and the score before → after; a bad file lists every error
and [导入] stays disabled. Enter (or [导入]) writes it in a worker through
``interchange.store_rows``: one transaction, one undo step. Dismissed with the
``Outcome``, or None.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Button, DirectoryTree, Input, Label, Static

from credit_tui.interchange.evidence import SUFFIXES, InterchangeError, store_rows
from credit_tui.service.import_preview import (
    ImportPreview,
    last_import_folder,
    parse_sources,
    preview_import,
    remember_import_folder,
    sources,
)
from credit_tui.store.attachment_guard import store_files
from credit_tui.store.database import StoreError
from credit_tui.tui.widgets.path_picker import FileTree, PathSuggester, shown_path

if TYPE_CHECKING:
    from credit_tui.scoring.report import ScoreReport
    from credit_tui.service.workbench import Workbench
    from credit_tui.store.database import SaveResult

TYPING_DELAY = 0.3
"""Seconds of pause in typing before a typed file is previewed."""


def typed_path(text: str) -> Path:
    """The path in the box, ``~`` expanded, quotes (a pasted path) dropped."""
    return Path(text.strip().strip("\"'")).expanduser()


class ImportDialog(ModalScreen["Outcome | None"]):
    """Choose a file or folder, look at the preview, import."""

    CSS_PATH = "import_dialog.tcss"

    BINDINGS = [
        Binding("escape", "cancel", "取消", id="import-cancel"),
        Binding("ctrl+s", "confirm", "导入", priority=True, id="import-confirm"),
    ]

    def __init__(self, bench: Workbench, start: Path | None = None) -> None:
        super().__init__()
        self.bench = bench
        self.start = start or last_import_folder(bench.store.path)
        self.preview: ImportPreview | None = None
        self._previewed = ""
        """The box's text the preview was made for (Enter imports only that)."""
        self._timer: Timer | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="import-dialog") as dialog:
            dialog.border_title = "导入佐证材料"
            with Horizontal(id="import-path-row"):
                yield Label("文件", id="import-path-label")
                yield Input(
                    shown_path(self.start) + "/",
                    placeholder="文件或文件夹的路径（→ 补全）",
                    suggester=PathSuggester(SUFFIXES),
                    compact=True,
                    id="import-path",
                )
            yield FileTree(self.start, SUFFIXES, id="import-tree")
            with VerticalScroll(id="import-preview") as box:
                box.border_title = "预览"
                yield Static(
                    "选择 .csv 或 .xlsx 文件（或文件夹）后显示预览；导入前不写入任何内容",
                    id="import-summary",
                    markup=False,
                )
            with Horizontal(id="import-buttons"):
                yield Button(
                    "导入 Enter", id="import-go", variant="primary", compact=True, disabled=True
                )
                yield Button("取消 Esc", id="import-close", compact=True)

    def on_mount(self) -> None:
        box = self.query_one("#import-path", Input)
        box.focus()
        box.cursor_position = len(box.value)

    # --- choosing --------------------------------------------------------------------

    @on(Input.Changed, "#import-path")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._set_ready(event.value == self._previewed and self._ready())
        self._timer = self.set_timer(TYPING_DELAY, self._typed_pause)

    def _typed_pause(self) -> None:
        """A typed folder becomes the tree's root; a typed importable file is previewed."""
        self._timer = None
        text = self.query_one("#import-path", Input).value
        path = typed_path(text)
        tree = self.query_one(FileTree)
        try:
            if path.is_dir() and path != tree.path:
                tree.path = path
            elif path.is_file() and path.suffix.lower() in SUFFIXES and text != self._previewed:
                self.show_preview(text)
        except OSError:
            pass

    @on(Input.Submitted, "#import-path")
    def _entered(self, event: Input.Submitted) -> None:
        """Enter imports what is previewed; anything else typed is previewed first."""
        event.stop()
        if event.value == self._previewed and self._ready():
            self.action_confirm()
        elif event.value.strip():
            self.show_preview(event.value)

    @on(DirectoryTree.FileSelected)
    @on(DirectoryTree.DirectorySelected)
    def _picked(self, event: DirectoryTree.FileSelected | DirectoryTree.DirectorySelected) -> None:
        event.stop()
        text = shown_path(event.path) + ("/" if event.path.is_dir() else "")
        box = self.query_one("#import-path", Input)
        with self.prevent(Input.Changed):
            box.value = text
        box.cursor_position = len(text)
        if event.path.is_file() or any(p.suffix.lower() in SUFFIXES for p in _listing(event.path)):
            self.show_preview(text)

    # --- preview ---------------------------------------------------------------------

    def show_preview(self, text: str) -> None:
        """Read and check the file(s) in a worker, then count on this thread."""
        self._previewed = text
        self.preview = None
        self._set_ready(False)
        self._summary(Text("正在读取…", "dim"))
        self._read(text)

    @work(thread=True, exclusive=True, group="import-preview")
    def _read(self, text: str) -> None:
        try:
            files = sources(typed_path(text))
            parsed = parse_sources(
                files, self.bench.catalog, self.bench.today, protected=self._protected()
            )
        except InterchangeError as exc:
            parsed = ImportPreview([], errors=exc.errors)
        self.app.call_from_thread(self._counted, text, parsed)

    def _protected(self) -> frozenset[Path]:
        """The store's own files, never read as a department file's attachments."""
        return store_files(self.bench.store.path)

    def _counted(self, text: str, parsed: ImportPreview) -> None:
        if text != self._previewed or not self.is_attached:
            return  # a newer choice was made meanwhile
        self.preview = preview_import(self.bench, parsed)
        display = self.bench.display_codes
        lines = self.preview.lines(display)
        if self.preview.errors:
            out = Text(lines[0] + "\n", "bold red")
            out.append("\n".join(lines[1:]), "red")
        else:
            out = Text("\n".join(lines))
            if not self.preview.ok:
                out.append("\n文件中的记录与数据库中的完全相同，无需导入", "yellow")
            else:
                out.append("\n按 Enter 或 [导入] 写入（在证据界面按 u 可整体撤销）", "green")
        self._summary(out)
        self._set_ready(self.preview.ok)

    def _summary(self, text: Text | str) -> None:
        self.query_one("#import-summary", Static).update(text)

    def _ready(self) -> bool:
        return self.preview is not None and self.preview.ok and not self.busy

    def _set_ready(self, ready: bool) -> None:
        self.query_one("#import-go", Button).disabled = not ready

    # --- importing -------------------------------------------------------------------

    def action_confirm(self) -> None:
        """Write what the preview shows."""
        preview = self.preview
        if preview is None or not preview.ok or self.busy:
            return
        if getattr(self.bench.store, "read_only", False):
            self._summary(Text("数据库为只读，不能导入", "bold red"))
            return
        self.busy = True
        self._set_ready(False)
        self._summary(Text("正在导入…", "dim"))
        self._write(preview, self.bench.report)

    @work(thread=True, exclusive=True, group="import-write")
    def _write(self, preview: ImportPreview, before: ScoreReport) -> None:
        again = parse_sources(
            preview.files, self.bench.catalog, self.bench.today, protected=self._protected()
        )
        if again.errors or [r.record for r in again.rows] != [r.record for r in preview.rows]:
            self.app.call_from_thread(self._failed, "文件在预览后已被修改，请重新预览")
            return
        name = preview.files[0].name if len(preview.files) == 1 else preview.label
        try:
            saved = store_rows(self.bench.store, preview.rows, name=name, label=preview.label)
        except (StoreError, InterchangeError) as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._done, preview, before, saved)

    def _failed(self, message: str) -> None:
        self.busy = False
        self._summary(Text(f"未导入：{message}", "bold red"))
        self._previewed = ""

    def _done(self, preview: ImportPreview, before: ScoreReport, saved: SaveResult) -> None:
        outcome = self.bench.absorb([r.record.id for r in preview.rows], before, saved)
        folder = preview.files[0].parent if preview.files else self.start
        remember_import_folder(self.bench.store.path, folder)
        self.dismiss(outcome)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "import-go":
            self.action_confirm()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        """Close without importing (not while an import is being written)."""
        if not self.busy:
            self.dismiss(None)


def _listing(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except OSError:
        return []
