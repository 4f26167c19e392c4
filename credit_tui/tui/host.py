"""What the screens, widgets and the palette may ask of the app: the ``Host`` protocol.

Screens never import ``credit_tui.tui.app``; they reach the app's own state and
actions through ``host(self)`` (Textual's own app methods, ``notify``,
``push_screen`` …, through ``self.app`` as usual). ``CreditApp`` satisfies it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, cast

from textual.app import App

if TYPE_CHECKING:
    from credit_tui.service.workbench import Outcome, Workbench


class Host(Protocol):
    """The app as the screens see it: the workbench, what is shown, where to go."""

    bench: Workbench
    loaded: bool
    """The records have been read and scored."""
    show_panel: bool
    """The score panel is shown (``s``)."""
    current_indicator: str
    """The indicator the detail screen shows."""
    task_department: str | None
    """The department the task list is filtered to (None: all)."""

    @property
    def read_only(self) -> bool:
        """The store could only be opened for viewing."""
        ...

    def header_text(self) -> str:
        """The header line: title, organisation, year, as-of date."""
        ...

    def release_hold(self) -> None:
        """The screen now shown is ready to paint (ends the switch's hold)."""
        ...

    def after_prewarm(self, start: Callable[[], object]) -> None:
        """Start a thread worker once every screen is built."""
        ...

    def refresh_screen(self, delta: str = "") -> None:
        """Redraw the screens open (``delta``: the score change to show)."""
        ...

    def show_indicator(self, code: str) -> None:
        """Open the indicator detail for ``code``."""
        ...

    def show_department(self, department: str | None) -> None:
        """Open the task list filtered to a department."""
        ...

    def compare_with_snapshot(self) -> None:
        """Pick a snapshot and show what rose and fell since."""
        ...

    def open_form(self, prefill: dict[str, object], record_id: str | None = None) -> None:
        """Open the evidence form (editing ``record_id`` when given)."""
        ...

    def open_import(self) -> None:
        """Open the import dialog."""
        ...

    def confirm_delete(self, record_id: str) -> None:
        """Ask, then soft-delete a record."""
        ...

    def apply(self, change: Callable[[], Outcome | None], *, empty: str) -> None:
        """Run a delete or undo and show its result."""
        ...


class _HasApp(Protocol):
    @property
    def app(self) -> App[Any]: ...


def host(node: _HasApp | App[Any]) -> Host:
    """The running workbench app of a screen, widget or palette provider (or the app itself)."""
    return cast(Host, node if isinstance(node, App) else node.app)
