"""``credit-tui`` with no command (and ``demo``): the workbench in this terminal."""

from __future__ import annotations

from credit_tui.cli.context import EXIT_OK, Context


def cmd_tui(ctx: Context, *, demo: bool = False) -> int:
    """Open the workbench on the store (creating it if missing), or on a fresh demo store."""
    from credit_tui.service.collector import quiet_start

    quiet_start()  # a start only builds what the app keeps; the app resumes collection once up
    from credit_tui.store.database import Store

    if demo:
        from credit_tui.service.demo import DEMO_TODAY, build_demo

        path = ctx.db.parent / "demo.db" if ctx.args.db is None else ctx.db
        store = build_demo(path, fresh=True)
        if not ctx.today_given:
            ctx.today = DEMO_TODAY
    elif ctx.db.exists():
        store = Store.open(ctx.db)
    else:
        store = ctx.create_store()
    from credit_tui.tui.app import make_app
    from credit_tui.tui.screens.catalog_dialog import RELOAD

    with store:
        while make_app(store, ctx.today).run() == RELOAD:  # a new table: screens built anew
            store.forget_catalog()
    return EXIT_OK
