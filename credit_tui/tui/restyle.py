"""Styles and screen switches without Textual's fixed costs (mixed into ``CreditApp``).

The other screens' stylesheets are read once, just after the first frame
(``read_later_styles``); ``refresh_css`` skips the re-parse when nothing in the
stylesheets changed; a switch of screens holds painting only until the new
screen is ready (``delay_update`` / ``release_hold``). Every touch of Textual's
internals is ``tui.compat``'s.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ScreenError

from credit_tui.tui import compat

if TYPE_CHECKING:
    from textual.app import App

    _Base = App[None]
else:
    _Base = object


class Restyling(_Base):
    """The app's stylesheet and switch hold."""

    LATER_CSS: list[Path]
    _release_hold: Callable[[], None] | None

    def read_later_styles(self) -> None:
        """Add the other screens' stylesheets (``LATER_CSS``) and restyle what is open.

        Only the new files are parsed (Textual keeps what it parsed); a screen
        built before this is styled by Textual's own way, a full re-parse.
        """
        stylesheet = self.stylesheet
        new = [path for path in self.LATER_CSS if not stylesheet.has_source(str(path), "")]
        if not new:
            return
        for path in new:
            stylesheet.read(path)
        stylesheet.parse()
        stylesheet.update(self)

    def refresh_css(self, animate: bool = True) -> None:
        """As Textual's, but without parsing every stylesheet again when nothing in them changed.

        Textual re-parses all CSS (30–40 ms) on each call, including the one made as
        the first screen is shown, whose variables are those the CSS was just parsed
        with. A theme change (new variables) or a new stylesheet still re-parses.
        """
        stylesheet = self.stylesheet
        if not compat.stylesheet_current(self):
            super().refresh_css(animate)
            return
        stylesheet.update(self, animate=animate)  # what follows the re-parse in Textual's
        try:
            screen = self.screen
        except ScreenError:  # no screen yet
            return
        if screen.is_mounted:
            compat.relayout(screen, self.size)
            compat.mark_styled(screen, self)
        for other in self.screen_stack:
            if other is not screen:
                stylesheet.update(other, animate=animate)
                compat.mark_styled(other, self)

    def delay_update(self, delay: float = 0.05) -> None:
        """Hold painting while the screen changes: as Textual does, but no longer than needed.

        Textual's ``switch_mode`` holds every paint for a fixed 50 ms so that a
        half-built screen is never shown. A main screen says when it has redrawn
        for being shown (``release_hold``), and the hold ends then; the 50 ms
        stay the limit.
        """
        compat.hold_updates(self)
        held = [True]

        def release() -> None:
            if held[0]:
                held[0] = False
                if compat.release_updates(self):
                    # the next frame whole, even one a pending layout paints first
                    compat.repaint_whole(self.screen)

        self._release_hold = release
        self.set_timer(delay, release, name="delay_update")

    def release_hold(self) -> None:
        """End the hold of ``delay_update`` (the screen now shown is ready to paint)."""
        release, self._release_hold = self._release_hold, None
        if release is not None:
            release()
