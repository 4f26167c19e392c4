"""A reusable yes/no question: ``确定`` / ``取消`` (the result is ``True`` for 确定)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmDialog(ModalScreen[bool]):
    """Ask one question; Enter/y answers 确定, Esc/n answers 取消.

    ``self.app.push_screen(ConfirmDialog("删除“标题”？可用 u 撤销"), callback)``;
    the callback receives ``True`` or ``False``.
    """

    CSS_PATH = "confirm.tcss"

    BINDINGS = [
        Binding("escape", "answer(False)", "取消", id="confirm-no"),
        Binding("n", "answer(False)", "取消", show=False, id="confirm-n"),
        Binding("y", "answer(True)", "确定", show=False, id="confirm-y"),
        Binding("left", "app.focus_previous", "上一个", show=False, id="confirm-left"),
        Binding("right", "app.focus_next", "下一个", show=False, id="confirm-right"),
        # the app's one-key bindings must not switch screen or quit under the dialog
    ]

    def __init__(
        self,
        question: str,
        *,
        title: str = "请确认",
        yes: str = "确定",
        no: str = "取消",
        danger: bool = False,
    ) -> None:
        super().__init__()
        self._question = question
        self._title = title
        self._yes = yes
        self._no = no
        self._danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog") as dialog:
            dialog.border_title = self._title
            yield Static(self._question, id="confirm-question", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button(
                    self._yes,
                    id="confirm-yes",
                    variant="error" if self._danger else "primary",
                )
                yield Button(self._no, id="confirm-cancel")

    def on_mount(self) -> None:
        self.query_one("#confirm-yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, answer: bool) -> None:
        """Close with ``answer``."""
        self.dismiss(answer)
