"""Keeping the store whole: the ``backup``, ``restore`` and ``check`` commands.

* ``backup``: a copy now, made with SQLite's backup API (consistent while
  another window writes), into ``backups/`` beside the store or to ``--out``.
* ``restore FILE``: checked first, the current store backed up (or kept aside
  when damaged), then replaced in place (``credit_tui.store.restore``).
* ``check``: the database, the attachments and the audit log
  (``credit_tui.store.integrity``).

The handlers print in Chinese; ``check`` exits 1 when it finds problems, and
every refusal is a ``StoreError`` (exit 2).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from credit_tui.store.integrity import check_store
from credit_tui.store.restore import restore_store

if TYPE_CHECKING:
    from credit_tui.cli.context import Context

EXIT_OK, EXIT_PROBLEMS = 0, 1


def cmd_backup(ctx: Context) -> int:
    """``backup [--out FILE]``."""
    out: Path | None = ctx.args.out
    with ctx.open_store() as store:
        target = store.backup_now() if out is None else store.backup_as(out)
    print(f"已备份数据库 {ctx.db} 到 {target}")
    return EXIT_OK


def cmd_restore(ctx: Context) -> int:
    """``restore FILE``."""
    done = restore_store(ctx.db, ctx.args.file)
    if done.backup is not None:
        print(f"已先备份当前数据库到 {done.backup}")
    elif done.kept_damaged is not None:
        print(f"损坏的数据库已原样另存为 {done.kept_damaged}")
    print(f"已用 {done.source} 恢复数据库 {done.db}：{done.year} 年度，{done.records} 条佐证材料")
    if done.missing_attachments:
        print(f"注意：有 {done.missing_attachments} 个附件文件缺失，请运行 credit-tui check 查看")
    return EXIT_OK


def cmd_check(ctx: Context) -> int:
    """``check``: exit 0 and 检查通过, or 1 and one line per problem."""
    with ctx.open_store() as store:
        problems = check_store(store)
        records = store.count()
        files = store.attachment_file_count()
    if not problems:
        print(
            f"检查通过：{ctx.db}（{records} 条佐证材料，{files} 个附件文件；"
            "数据库完整，附件齐全无改动，修改记录一致）"
        )
        return EXIT_OK
    print(f"检查发现 {len(problems)} 个问题：{ctx.db}")
    for n, problem in enumerate(problems, 1):
        print(f"  {n}. {problem}")
    return EXIT_PROBLEMS


COMMANDS: dict[str, Callable[[Context], int]] = {
    "backup": cmd_backup,
    "restore": cmd_restore,
    "check": cmd_check,
}
