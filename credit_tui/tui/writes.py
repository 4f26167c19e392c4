"""Changing the records from the app: the form, the import, delete and undo, and what each did.

Mixed into ``CreditApp``. Each change ends in an ``Outcome``: the screens are
redrawn with the score's change (``+1 一、4``) and the clerk is told in a notice;
a store that refuses says so in Chinese.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from credit_tui.store.database import StoreError
from credit_tui.tui.screens.base import MainScreen

if TYPE_CHECKING:
    from textual.app import App

    from credit_tui.service.workbench import Outcome, Workbench

    _Base = App[None]
else:
    _Base = object


class Writes(_Base):
    """录入, 导入, 删除 and 撤销, and the notice of each outcome."""

    bench: Workbench
    loaded: bool

    @property
    def read_only(self) -> bool:
        """The store could only be opened for viewing (read-only file or folder)."""
        return bool(getattr(self.bench.store, "read_only", False))

    def action_new_evidence(self, **prefill: object) -> None:
        """Open the evidence form, prefilled from where it was opened."""
        if not self.loaded:
            return
        if self.read_only:
            self.notify("数据库为只读，只能查看，不能录入", severity="warning")
            return
        context = self.screen.evidence_context() if isinstance(self.screen, MainScreen) else {}
        self.open_form({**context, **prefill})

    def open_form(self, prefill: dict[str, object], record_id: str | None = None) -> None:
        """Open the evidence form (editing ``record_id`` when given)."""
        from credit_tui.tui.screens.form import EvidenceForm

        self.push_screen(EvidenceForm(self.bench, prefill, record_id), self._after_change)

    def open_import(self) -> None:
        """Open the import dialog (palette 导入, ``i`` on the evidence list)."""
        if not self.loaded:
            return
        if self.read_only:
            self.notify("数据库为只读，只能查看，不能导入", severity="warning")
            return
        from credit_tui.tui.screens.import_dialog import ImportDialog

        self.push_screen(ImportDialog(self.bench), self._after_change)

    def action_open_import(self) -> None:
        """The ``i`` key of the evidence list."""
        self.open_import()

    def _after_change(self, outcome: Outcome | None) -> None:
        if outcome is None:
            return
        delta = " ".join(
            f"{'+' if c.delta > 0 else ''}{_fmt(c.delta)} {self.bench.catalog.display_code(c.code)}"
            for c in outcome.changes
        )
        self.refresh_screen(delta)
        self.notify(outcome.message, title="已保存" if outcome.saved else "完成")

    def apply(self, change: Callable[[], Outcome | None], *, empty: str) -> None:
        """Run a delete or undo and show its result; a store that refuses is said in Chinese."""
        try:
            outcome = change()
        except StoreError as exc:
            self.notify(str(exc), title="未能保存", severity="error")
            return
        if outcome is None:
            self.notify(empty, severity="warning")
            return
        self._after_change(outcome)

    def confirm_delete(self, record_id: str) -> None:
        """Ask, then soft-delete a record (``u`` on the evidence list brings it back)."""
        record = self.bench.records.get(record_id)
        if record is None:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.apply(lambda: self.bench.delete(record_id), empty="该记录已不存在")

        from credit_tui.tui.screens.confirm import ConfirmDialog

        self.push_screen(
            ConfirmDialog(
                f"删除“{record.title}”？可在证据界面按 u 撤销", title="删除记录", danger=True
            ),
            answer,
        )


def _fmt(halves: int) -> str:
    from credit_tui.scoring.points import fmt

    return fmt(halves)
