"""The command line's hand-over commands: ledger, self-assessment, package, calendar,
templates, meeting report and score snapshots (the work lives in ``credit_tui.reports``)."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from credit_tui.cli.context import Context

Common = Callable[[argparse.ArgumentParser], None]


def _month_arg(text: str) -> date:
    match = re.fullmatch(r"\s*(\d{4})\s*[-/年.]\s*(\d{1,2})\s*月?\s*", text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise argparse.ArgumentTypeError(f"“{text}”不是月份，应写成 2024-05")
    return date(int(match.group(1)), int(match.group(2)), 1)


def add_export_targets(
    what: argparse._SubParsersAction, common: Common, date_arg: Callable
) -> None:
    """``export ledger|self-assessment|package|ics|template``."""

    def target(name: str, help_text: str) -> argparse.ArgumentParser:
        parser = what.add_parser(name, help=help_text, description=help_text)
        common(parser)
        return parser

    p = target("ledger", "月度工作台账（.xlsx、.csv 或 .md）")
    p.add_argument("--month", type=_month_arg, required=True, metavar="年月", help="如 2024-05")
    p.add_argument("--out", type=Path, required=True, metavar="文件")
    p.add_argument("--record", action="store_true", help="同时把本台账登记为一、2 的月度台账材料")
    p = target("self-assessment", "自评表（.xlsx）或自评报告（.docx）")
    p.add_argument("--out", type=Path, required=True, metavar="文件")
    p.add_argument("--as-of", type=date_arg, metavar="日期", help="截至日期（默认今天）")
    p = target("package", "佐证材料汇编（文件夹或 .zip）")
    p.add_argument("--out", type=Path, required=True, metavar="路径")
    p.add_argument("--as-of", type=date_arg, metavar="日期", help="截至日期（默认今天）")
    p = target("ics", "时间节点日历（.ics）")
    p.add_argument("--out", type=Path, required=True, metavar="文件")
    p.add_argument(
        "--remind-days", type=int, default=7, metavar="天数", help="提前提醒天数（默认 7）"
    )
    p = target("notice", "督办通知（.docx）：某单位已逾期和即将到期的任务")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--department", metavar="单位")
    who.add_argument(
        "--all", action="store_true", help="每个有此类任务的单位一份，写入 --out 文件夹"
    )
    p.add_argument("--out", type=Path, required=True, metavar="文件或文件夹")
    p.add_argument("--as-of", type=date_arg, metavar="日期", help="截至日期（默认今天）")
    p = target("template", "某单位的填报模板（.xlsx）")
    p.add_argument("--department", required=True, metavar="单位")
    p.add_argument("--out", type=Path, required=True, metavar="文件")


def add_commands(
    command: Callable[[str, str], argparse.ArgumentParser], date_arg: Callable
) -> None:
    """``report``, ``snapshot`` and ``snapshots``."""
    p = command("report", "会议报告（.html、.md 或 .docx）")
    p.add_argument("--out", type=Path, required=True, metavar="文件")
    p.add_argument("--as-of", type=date_arg, metavar="日期", help="截至日期（默认今天）")
    p = command("snapshot", "保存一份得分快照")
    p.add_argument("--label", required=True, metavar="名称", help="如 第二季度末")
    p.add_argument("--as-of", type=date_arg, metavar="日期", help="截至日期（默认今天）")
    command("snapshots", "列出已保存的得分快照")


def run_export(ctx: Context) -> int:
    """``export …`` for every target but evidence."""
    args = ctx.args
    as_of = getattr(args, "as_of", None) or ctx.today
    with ctx.open_store() as store:
        if args.what == "ledger":
            from credit_tui.reports.ledger import export_ledger
            from credit_tui.service.writes import record_ledger

            if args.record and args.month > ctx.today:
                from credit_tui.cli.context import UserError

                raise UserError(f"--record：{args.month:%Y 年 %m 月}尚未开始，不能登记为台账材料")
            rows = export_ledger(store, args.month, args.out, today=ctx.today)
            print(f"已导出 {args.month:%Y 年 %m 月}工作台账（{rows} 项）到 {args.out}")
            if args.record:
                record_ledger(store, args.month, args.out, today=ctx.today)
                print(f"已登记为一、2 月度台账材料（{args.month:%Y-%m}）")
        elif args.what == "self-assessment":
            from credit_tui.reports.self_assessment import export_self_assessment

            export_self_assessment(store, args.out, as_of=as_of)
            what = "自评报告" if args.out.suffix.lower() == ".docx" else "自评表"
            print(f"已导出{what}到 {args.out}")
        elif args.what == "package":
            from credit_tui.reports.package import export_package

            where = export_package(store, args.out, as_of=as_of)
            print(f"已导出佐证材料汇编到 {where}")
        elif args.what == "ics":
            from credit_tui.reports.ics import export_ics

            if not 0 <= args.remind_days <= 366:
                from credit_tui.cli.context import UserError

                days = args.remind_days
                raise UserError(f"--remind-days：应为 0 至 366 之间的整数，而不是 {days}")
            count = export_ics(store, args.out, remind_days=args.remind_days)
            print(f"已导出 {count} 个时间节点到 {args.out}")
        elif args.what == "notice":
            from credit_tui.cli.notice import run_notice

            run_notice(store, args, as_of=as_of)
        elif args.what == "template":
            from credit_tui.reports.template import export_template

            dept = store.catalog.canonical_department(args.department)
            if dept is None:
                from credit_tui.cli.context import UserError

                raise UserError(
                    f"--department：未知的责任单位“{args.department}”，"
                    f"应为：{'、'.join(store.catalog.departments)}"
                )
            rows = export_template(store, dept, args.out)
            print(f"已导出{dept}填报模板（{rows} 个事项）到 {args.out}")
    return 0


def run_report(ctx: Context) -> int:
    """``report --out FILE``."""
    from credit_tui.reports.meeting import export_report

    as_of = ctx.args.as_of or ctx.today
    with ctx.open_store() as store:
        export_report(store, ctx.args.out, as_of=as_of)
    print(f"已生成会议报告：{ctx.args.out}")
    return 0


def run_snapshot(ctx: Context) -> int:
    """``snapshot --label NAME``: store a frozen score report."""
    from credit_tui.reports.scored import scored
    from credit_tui.service.writes import save_snapshot

    as_of = ctx.args.as_of or ctx.today
    with ctx.open_store() as store:
        save_snapshot(store, ctx.args.label, scored(store, as_of=as_of).report)
    print(f"已保存得分快照“{ctx.args.label}”（截至 {as_of.isoformat()}）")
    return 0


def run_snapshots(ctx: Context) -> int:
    """``snapshots``: the stored snapshots, newest first."""
    from credit_tui.store.catalog import change_note

    with ctx.open_store() as store:
        snaps = store.snapshots()
        notes = [change_note(snap.report, store.conn) for snap in snaps]
    if not snaps:
        print("（还没有得分快照；用 credit-tui snapshot --label 名称 保存）")
    for snap, note in zip(snaps, notes, strict=True):
        print(
            f"{snap.label}  截至 {snap.as_of}  总分 {snap.earned}  （保存于 {snap.saved_at[:16]}）"
            + (f"\n  {note}" if note else "")
        )
    return 0
