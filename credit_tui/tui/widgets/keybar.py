"""The key bar at the foot of every main screen: each active key and its Chinese label.

One widget drawing one line, in place of Textual's ``Footer`` (a widget per
key, composed again whenever the bindings change): the first paint and every
screen switch restyle one node instead of dozens. Clicking a key presses it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.screen import Screen

PALETTE_LABEL = "命令"
TEXTUAL_LABELS = {"Dismiss menu": "收起", "Show menu": "展开"}
"""Textual's own English key descriptions (a ``Select``'s drop-down), shown in Chinese."""
DROP_WHEN_NARROW = ("s", "q")
"""Keys left off a bar that does not fit, in this order (得分栏 and 退出: ``?`` lists them)."""


class KeyBar(Widget):
    """``n 录入  s 得分栏  ? 帮助  q 退出 … ^p 命令``: the keys the clerk can press here."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-description-foreground;
    }
    KeyBar > .keybar--key { color: $footer-key-foreground; text-style: bold; }
    KeyBar > .keybar--disabled { color: $text-disabled; }
    """
    COMPONENT_CLASSES = {"keybar--key", "keybar--disabled"}

    def __init__(self) -> None:
        super().__init__()
        self._spans: list[tuple[int, int, str]] = []
        """Cell ranges of the keys as last drawn, for clicks: (start, end, key)."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            self.refresh()

    def shown_keys(self) -> list[tuple[str, str, str, bool]]:
        """(key, shown key, label, enabled) of each shown binding, one per action."""
        app = self.app
        seen: set[str] = set()
        shown = []
        palette = None
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if binding.key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = (binding.key, app.get_key_display(binding), PALETTE_LABEL, True)
                continue
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            shown.append(
                (
                    binding.key,
                    app.get_key_display(binding),
                    TEXTUAL_LABELS.get(binding.description, binding.description),
                    active.enabled,
                )
            )
        if palette is not None:
            shown.append(palette)
        return shown

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keybar--key", partial=True)
        off_style = self.get_component_rich_style("keybar--disabled", partial=True)
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        spans: list[tuple[int, int, str]] = []
        keys, gap = self.fitting_keys(self.size.width)
        width = self.size.width
        for n, (key, display, label, enabled) in enumerate(keys):
            item = Text(f" {display}", style=key_style if enabled else off_style)
            item.append(f" {label}{gap}", style="" if enabled else off_style)
            is_palette = n == len(keys) - 1 and label == PALETTE_LABEL
            used = cell_len(text.plain)
            if is_palette and used + item.cell_len < width:  # the palette key on the right
                text.append(" " * (width - used - item.cell_len))
                used = width - item.cell_len
            spans.append((used, used + item.cell_len, key))
            text.append_text(item)
        self._spans = spans
        return text

    def fitting_keys(self, width: int) -> tuple[list[tuple[str, str, str, bool]], str]:
        """The keys that fit in ``width`` cells, and the space after each label.

        Each key is `` key label `` when all fit; else the trailing space goes;
        then the keys the help (``?``) lists anyway drop out (``DROP_WHEN_NARROW``).
        """
        keys = self.shown_keys()

        def cells(items: list[tuple[str, str, str, bool]], gap: str) -> int:
            return sum(cell_len(f" {d} {label}{gap}") for _, d, label, _ in items)

        if cells(keys, " ") <= width:
            return keys, " "
        for key in DROP_WHEN_NARROW:
            if cells(keys, "") <= width:
                break
            keys = [k for k in keys if k[0] != key]
        return keys, ""

    def key_at(self, x: int) -> str | None:
        """The key drawn at column ``x``, if any."""
        return next((key for start, end, key in self._spans if start <= x < end), None)

    def on_click(self, event: events.Click) -> None:
        key = self.key_at(event.x)
        if key is not None:
            event.stop()
            self.app.simulate_key(key)
