"""The store's own commands: ``init``, ``import``, ``export evidence``, ``undo`` and ``log``."""

from __future__ import annotations

from credit_tui.cli.context import EXIT_OK, MAX_LIMIT, Context, UserError


def cmd_init(ctx: Context) -> int:
    from credit_tui.store.catalog import bundled_note
    from credit_tui.store.database import Store

    if ctx.args.from_db is not None:
        from credit_tui.cli import catalog as cli_catalog

        return cli_catalog.init_from(ctx)
    store, created = Store.create(ctx.db, ctx.args.year)
    with store:
        if created:
            print(f"已创建 {ctx.args.year} 年度数据库：{ctx.db}")
            print(bundled_note(ctx.args.year, int(store.catalog.version)))
        else:
            print(f"{ctx.db} 已是 {ctx.args.year} 年度数据库，未作改动")
    return EXIT_OK


def cmd_import(ctx: Context) -> int:
    from credit_tui.interchange.evidence import parse_file
    from credit_tui.service.writes import import_evidence

    if ctx.db.exists():
        store = ctx.open_store()
    else:  # check the file first: a bad file must not leave a new empty store behind
        from credit_tui.scoring.catalog import catalog_path, catalog_version_for, load_catalog

        catalog = load_catalog(catalog_path(int(catalog_version_for(ctx.today.year))))
        parse_file(ctx.args.file, catalog, today=ctx.today)
        store = ctx.create_store()
    notes: list[str] = []
    with store:
        result = import_evidence(store, ctx.args.file, today=ctx.today, notes=notes)
    print(
        f"导入完成：新增 {result.added} 条，替换 {result.replaced} 条，未变 {result.unchanged} 条"
    )
    for note in notes:
        print(note)
    return EXIT_OK


def cmd_export(ctx: Context) -> int:
    if ctx.args.what != "evidence":
        from credit_tui.cli import exports as cli_exports

        return cli_exports.run_export(ctx)
    from credit_tui.interchange.evidence_export import export_evidence

    with ctx.open_store() as store:
        count = export_evidence(store, ctx.args.out)
    print(f"已导出 {count} 条佐证材料到 {ctx.args.out}")
    return EXIT_OK


def cmd_undo(ctx: Context) -> int:
    from credit_tui.service.writes import undo

    with ctx.open_store() as store:
        done = undo(store)
    print(done[0] if done else "没有可撤销的修改")
    return EXIT_OK


def cmd_log(ctx: Context) -> int:
    from credit_tui.store.database import ACTION_LABELS

    if not 0 < ctx.args.limit <= MAX_LIMIT:
        raise UserError(f"--limit：应为 1 至 {MAX_LIMIT} 之间的整数，而不是 {ctx.args.limit}")
    with ctx.open_store() as store:
        entries = store.log(ctx.args.limit)
    if not entries:
        print("（还没有修改记录）")
    for e in entries:
        record = e.after or e.before or {}
        mark = "（已撤销）" if e.undone else ""
        print(
            f"#{e.id:<5} {e.at.replace('T', ' ')[:19]}  {ACTION_LABELS.get(e.action, e.action)}  "
            f"{record.get('indicator', '')} {record.get('title', e.evidence_id)}  · {e.label}{mark}"
        )
    return EXIT_OK
