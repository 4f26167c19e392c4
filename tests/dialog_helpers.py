"""Waiting for the import dialog in Pilot tests: its folder tree keeps one worker running."""

from __future__ import annotations

from textual.pilot import Pilot

TREE_LOADER = "_loader"
"""The group of ``DirectoryTree``'s queue worker, which runs for as long as the tree is shown."""


async def settle(pilot: Pilot, pause: float | None = None) -> None:
    """Wait for every worker but a folder tree's queue, then for the screen to catch up."""
    app = pilot.app
    for _ in range(3):  # a worker's result may start another (preview → count)
        busy = [w for w in app.workers if w.group != TREE_LOADER and not w.is_finished]
        if busy:
            await app.workers.wait_for_complete(busy)
        await pilot.pause(pause)


async def tree_loaded(pilot: Pilot) -> None:
    """Wait until the dialog's folder tree lists its root folder."""
    from credit_tui.tui.widgets.path_picker import FileTree

    tree = pilot.app.screen.query_one(FileTree)
    for _ in range(200):
        if tree.root.children and not tree.loading:
            break
        await pilot.pause(0.02)
    await settle(pilot)
