"""``credit-tui catalog export|check|import`` and ``init --from`` (SPEC 11)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from credit_tui.cli.context import Context

Common = Callable[[argparse.ArgumentParser], None]


def add_commands(sub: argparse._SubParsersAction, common: Common, parser_class: type) -> None:
    """``catalog export --out F``, ``catalog check F``, ``catalog import F [--dry-run]``."""
    help_text = "指标体系：导出（.toml 或 .xlsx）、检查、导入新的指标体系"
    cmd = sub.add_parser("catalog", help=help_text, description=help_text)
    common(cmd)
    what = cmd.add_subparsers(dest="catalog_action", metavar="操作", parser_class=parser_class)
    what.required = True
    p = what.add_parser("export", help="导出数据库正在使用的指标体系", description="导出指标体系")
    common(p)
    p.add_argument(
        "--out", type=Path, required=True, metavar="文件", help=".xlsx（供编辑）或 .toml"
    )
    p = what.add_parser(
        "check", help="检查指标体系文件，不作任何改动", description="检查指标体系文件"
    )
    common(p)
    p.add_argument("file", type=Path, metavar="文件", help=".xlsx 或 .toml")
    p = what.add_parser(
        "import", help="导入新的指标体系（先显示变化；可撤销）", description="导入新的指标体系"
    )
    common(p)
    p.add_argument("file", type=Path, metavar="文件", help=".xlsx 或 .toml")
    p.add_argument("--dry-run", action="store_true", help="只显示将有的变化，不写入")


def add_init_options(cmd: argparse.ArgumentParser) -> None:
    """``init --from OLD.db``."""
    cmd.add_argument(
        "--from", dest="from_db", type=Path, metavar="旧数据库",
        help="沿用旧数据库的指标体系和责任单位（不带佐证材料）",
    )  # fmt: skip


def run(ctx: Context) -> int:
    """Dispatch ``catalog …``."""
    action = ctx.args.catalog_action
    if action == "export":
        return _export(ctx)
    if action == "check":
        return _check(ctx)
    return _import(ctx)


def _export(ctx: Context) -> int:
    from credit_tui.cli.context import UserError

    out: Path = ctx.args.out
    suffix = out.suffix.lower()
    if suffix not in (".toml", ".xlsx"):
        raise UserError(f"--out：不支持的文件类型“{out.suffix}”，应为 .xlsx 或 .toml")
    with ctx.open_store() as store:
        catalog = store.catalog
    from credit_tui.interchange.table.write import write_table

    write_table(catalog, out)
    print(f"已导出 {catalog.version} 年度指标体系到 {out}")
    return 0


def _check(ctx: Context) -> int:
    from credit_tui.interchange.table.read import read_table
    from credit_tui.reports.label import summary

    catalog = read_table(ctx.args.file)
    print(f"{ctx.args.file}：指标体系检查通过（{summary(catalog)}）")
    return 0


def _import(ctx: Context) -> int:
    from credit_tui.interchange.table import apply
    from credit_tui.interchange.table.read import read_table

    path: Path = ctx.args.file
    new = read_table(path)
    with ctx.open_store() as store:
        source = f"导入自 {path.name}"
        plan = apply.plan(store, new, ctx.today, str(path))
        print(plan.text(ctx.today))
        if plan.unchanged:
            return 0
        if ctx.args.dry_run:
            print("（--dry-run：未写入）")
            return 0
        apply.apply(store, plan, source)
    print(f"已导入 {new.version} 年度指标体系（可用 credit-tui undo 撤销）")
    return 0


def init_from(ctx: Context) -> int:
    """``init --year Y --from OLD.db``: OLD's table and departments, no evidence."""
    from credit_tui.cli.context import UserError
    from credit_tui.store.database import Store

    old_path: Path = ctx.args.from_db
    if ctx.db.exists() and ctx.db.stat().st_size > 0:
        raise UserError(f"{ctx.db} 已存在；--from 只用于新建数据库")
    if old_path.resolve() == ctx.db.resolve():
        raise UserError("--from：旧数据库不能就是要新建的数据库")
    with Store.open(old_path, read_only=True) as old:
        catalog, old_year = old.catalog, old.campaign.year
    source = f"沿用 {old_path.name}（{old_year} 年度数据库，{catalog.version} 年度指标体系）"
    store, _ = Store.create(ctx.db, ctx.args.year, catalog=catalog, catalog_source=source)
    with store:
        print(f"已创建 {ctx.args.year} 年度数据库：{ctx.db}")
        print(f"指标体系：{source}；不含佐证材料")
    return 0
