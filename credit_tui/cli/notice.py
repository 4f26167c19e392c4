"""``export notice``: one department's 督办通知, or ``--all`` into a folder."""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from credit_tui.store.database import Store


def run_notice(store: Store, args: argparse.Namespace, *, as_of: date) -> None:
    """Write the notice(s) and say what was written."""
    from credit_tui.cli.context import UserError
    from credit_tui.reports.notice import export_all_notices, export_notice

    if args.all:
        written = export_all_notices(store, args.out, as_of=as_of)
        if not written:
            print(f"截至 {as_of.isoformat()} 没有单位有已逾期或即将到期的任务，未生成督办通知")
            return
        print(f"已生成 {len(written)} 份督办通知到 {args.out}：")
        for path in written:
            print(f"  {path.name}")
        return
    dept = store.catalog.canonical_department(args.department)
    if dept is None:
        raise UserError(
            f"--department：未知的责任单位“{args.department}”，"
            f"应为：{'、'.join(store.catalog.departments)}"
        )
    notice = export_notice(store, dept, args.out, as_of=as_of)
    print(f"已生成{dept}督办通知（{len(notice.items)} 项任务）到 {args.out}")
