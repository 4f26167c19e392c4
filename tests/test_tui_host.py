"""Screens, widgets and the palette reach the app through ``tui.host``, never by importing it."""

from __future__ import annotations

from pathlib import Path

import grimp

from credit_tui.service.demo import DEMO_TODAY, build_demo
from credit_tui.store.database import Store
from credit_tui.tui.app import make_app
from credit_tui.tui.host import Host, host


def test_no_screen_widget_or_palette_imports_the_app() -> None:
    """Not at run time, not for type checking, not inside a function."""
    graph = grimp.build_graph("credit_tui", exclude_type_checking_imports=False)
    importers = graph.find_modules_that_directly_import("credit_tui.tui.app")
    below = ("credit_tui.tui.screens", "credit_tui.tui.widgets", "credit_tui.tui.palette")
    assert importers and not [m for m in importers if m.startswith(below)]


def test_the_app_has_everything_the_host_protocol_names(tmp_path: Path) -> None:
    build_demo(tmp_path / "demo.db").close()
    store = Store.open(tmp_path / "demo.db")
    try:
        app = make_app(store, DEMO_TODAY, poll_seconds=0, prewarm_seconds=None)
        names = {n for n in vars(Host) if not n.startswith("_")} | set(Host.__annotations__)
        assert host(app) is app
        assert "bench" in names and [n for n in sorted(names) if not hasattr(app, n)] == []
    finally:
        store.close()
