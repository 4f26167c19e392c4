"""Every touch of Textual's private internals, for the one tested Textual version.

Kept only where a need at 5,000 records was measured (``bench/scale.py``, README
Performance): without them a screen's first visit took 270–600 ms (here it is
built in idle time), a revisit 60–150 ms (Textual's fixed 50 ms hold and a
restyle of every widget), the first frame 100 ms (every stylesheet parsed twice).
Nothing else in ``credit_tui`` names a private attribute of Textual or Rich.

Importing this module checks ``textual.__version__`` and refuses any other
version; ``tests/test_tui_compat.py`` checks each touch, so an upgrade fails
there, loudly, rather than leaving stale styles or half-drawn screens.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import textual

if TYPE_CHECKING:
    from textual.app import App
    from textual.geometry import Region, Size
    from textual.screen import Screen
    from textual.widget import Widget

TESTED_TEXTUAL = "8.2.8"
"""The Textual version every touch below was written and tested against (pyproject pins it)."""


class TextualVersionError(RuntimeError):
    """Textual is not the version ``tui.compat`` was tested with."""


def installed_version() -> str:
    """The version of the Textual imported, from its ``.dist-info`` beside it.

    ``textual.__version__`` asks ``importlib.metadata``, whose import alone takes
    10–15 ms of the start; it is asked only where no single ``.dist-info`` is found.
    """
    found = list(Path(textual.__file__).parent.parent.glob("textual-*.dist-info"))
    if len(found) == 1:
        return found[0].name.removeprefix("textual-").removesuffix(".dist-info")
    return str(textual.__version__)


def check_version(version: str | None = None) -> None:
    """Refuse a Textual other than ``TESTED_TEXTUAL`` (its internals may have changed)."""
    if version is None:
        version = installed_version()
    if version != TESTED_TEXTUAL:
        raise TextualVersionError(
            f"credit-tui needs Textual {TESTED_TEXTUAL} (found {version}): "
            "credit_tui/tui/compat.py uses its internals; re-check each touch "
            "(tests/test_tui_compat.py) before changing the pin in pyproject.toml"
        )


check_version()


# --- building a mode's screen unseen (``App._init_mode``, ``App._screen_stacks``) -------


def built_screen(app: App[object], mode: str) -> Screen[object] | None:
    """The bottom screen of ``mode`` if Textual has built it, else None."""
    stack = app._screen_stacks.get(mode)
    return stack[0] if stack else None


def built_modes(app: App[object]) -> list[str]:
    """The modes whose screens Textual has built (in the order they were built)."""
    return [mode for mode, stack in app._screen_stacks.items() if stack]


def build_mode(app: App[object], mode: str) -> None:
    """Build (compose and mount) ``mode``'s screen as its first ``switch_mode`` would, unseen."""
    app._init_mode(mode)


def visible_widgets(screen: Screen[object]) -> list[tuple[Widget, Region]]:
    """The widgets a laid-out screen would paint, with their regions (none if not laid out)."""
    compositor = screen._compositor
    if not compositor.size:
        return []
    return [(widget, region) for widget, (region, *_) in compositor.visible_widgets.items()]


# --- the hold on painting while the screen changes (``App._begin_batch``) ---------------


def hold_updates(app: App[object]) -> None:
    """Hold every paint, as ``App.delay_update`` does (one ``release_updates`` ends it)."""
    app._begin_batch()


def release_updates(app: App[object]) -> bool:
    """End one hold; True when no other hold remains (the screen may paint)."""
    app._end_batch()
    return not app._batch_count


def repaint_whole(screen: Screen[object]) -> None:
    """The next frame of ``screen`` is the whole screen, even one a pending layout paints."""
    screen.refresh()
    screen._compositor._dirty_regions.add(screen.region)


def updates_held(app: App[object]) -> bool:
    """Whether paints are held (``hold_updates`` or Textual's own batches)."""
    return bool(app._batch_count)


# --- styles: parse once, keep a resumed screen's (``Stylesheet._variables`` …) ---------


def stylesheet_current(app: App[object]) -> bool:
    """Whether the parsed stylesheet is up to date: no new source, same CSS variables."""
    stylesheet = app.stylesheet
    return not stylesheet._require_parse and app.get_css_variables() == stylesheet._variables


def css_generation(app: App[object]) -> int:
    """How many times the app's CSS was (re)applied (a screen styled before is stale after)."""
    return app._css_update_count


def mark_styled(screen: Screen[object], app: App[object]) -> None:
    """Tell Textual ``screen`` wears the app's current CSS (no re-parse on its next visit)."""
    screen._css_update_count = app._css_update_count


def relayout(screen: Screen[object], size: Size) -> None:
    """Lay ``screen`` out again at ``size``, as Textual does after applying CSS."""
    screen._refresh_layout(size)


def app_pseudo_classes(app: App[object]) -> frozenset[str]:
    """The app's pseudo-classes now (``:focus``, ``:blur``, ``:dark``, ``:inline`` …)."""
    tests: dict[str, Callable[[App[object]], bool]] = app._PSEUDO_CLASSES
    return frozenset(name for name, test in tests.items() if test(app))
