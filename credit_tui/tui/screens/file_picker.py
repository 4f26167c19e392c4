"""选择附件: pick one or more files for the form (the import dialog's path box and tree).

Enter on a file in the tree (or on a typed path) adds it to the list, shown with
its size; a folder opens. A file that does not exist or cannot be read is
refused here. Dismissed with the files chosen (in order), or None.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, DirectoryTree, Input, Label, Static

from credit_tui.service.attachment_check import entry_path, file_size, readable_file
from credit_tui.tui.widgets.path_picker import FileTree, PathSuggester, shown_path


class FilePicker(ModalScreen[list[Path] | None]):
    """Choose files to attach."""

    CSS_PATH = "file_picker.tcss"

    BINDINGS = [
        Binding("escape", "cancel", "取消", id="picker-cancel"),
        Binding("ctrl+s", "done", "完成", priority=True, id="picker-done"),
        Binding("delete", "drop_last", "移除最后一个", show=False, id="picker-drop"),
    ]

    def __init__(self, start: Path | None = None) -> None:
        super().__init__()
        self.start = start if start is not None and start.is_dir() else Path.home()
        self.chosen: list[Path] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-dialog") as dialog:
            dialog.border_title = "选择附件"
            with Horizontal(id="picker-path-row"):
                yield Label("文件", id="picker-path-label")
                yield Input(
                    shown_path(self.start) + "/",
                    placeholder="文件的路径（→ 补全，Enter 添加）",
                    suggester=PathSuggester(None),
                    compact=True,
                    id="picker-path",
                )
            yield FileTree(self.start, None, id="picker-tree")
            with VerticalScroll(id="picker-chosen") as box:
                box.border_title = "已选"
                yield Static("在上方选择文件后按 Enter 添加，可添加多个", id="picker-list")
            yield Static(id="picker-message", markup=False)
            with Horizontal(id="picker-buttons"):
                yield Button("完成 ^s", id="picker-ok", variant="primary", compact=True)
                yield Button("取消 Esc", id="picker-close", compact=True)

    def on_mount(self) -> None:
        box = self.query_one("#picker-path", Input)
        box.focus()
        box.cursor_position = len(box.value)

    def add(self, path: Path) -> bool:
        """Add a file to the list; False (and why, shown) if it cannot be attached."""
        problem = readable_file(path)
        message = self.query_one("#picker-message", Static)
        if problem:
            message.update(Text(f"✗ {shown_path(path)} {problem}，未添加", "red"))
            return False
        if path in self.chosen:
            message.update(Text(f"已在列表中：{path.name}", "yellow"))
            return False
        self.chosen.append(path)
        message.update("")
        self._show_list()
        return True

    def _show_list(self) -> None:
        lines = Text()
        for n, path in enumerate(self.chosen, start=1):
            try:
                size = file_size(path.stat().st_size)
            except OSError:
                size = "?"
            lines.append(f"{n}. {path.name}", "bold")
            lines.append(f"  {size}  {shown_path(path.parent)}\n", "dim")
        lines.append("Delete 移除最后一个 · ^s 完成", "dim")
        self.query_one("#picker-list", Static).update(lines)

    @on(Input.Submitted, "#picker-path")
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        path = entry_path(event.value)
        if path.is_dir():
            self.query_one(FileTree).path = path
        elif self.add(path):
            box = self.query_one("#picker-path", Input)
            box.value = shown_path(path.parent) + "/"
            box.cursor_position = len(box.value)

    @on(DirectoryTree.FileSelected)
    def _picked(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.add(event.path)

    def action_drop_last(self) -> None:
        """Take the last file off the list."""
        if self.chosen:
            self.chosen.pop()
            self._show_list()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "picker-ok":
            self.action_done()
        else:
            self.action_cancel()

    def action_done(self) -> None:
        """Close with the files chosen."""
        self.dismiss(list(self.chosen))

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
