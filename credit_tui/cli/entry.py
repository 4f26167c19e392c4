"""The ``credit-tui`` command line (SPEC section 9).

Exit status: 0 done; 2 bad input or usage (a Chinese message on stderr, nothing
changed); 1 an unexpected fault. Commands that only read never import textual.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import NoReturn

from credit_tui import faults as cli_errors
from credit_tui.errors import UserFacingError
from credit_tui.scoring.dates import DateFormatError, parse_date

EXIT_OK, EXIT_FAULT, EXIT_USAGE = 0, 1, 2
MAX_LIMIT = 1_000_000_000
MAX_ERROR_LINES = 50
"""An import's problems listed at most (then how many more): a million columns, a million lines."""


class UserError(UserFacingError):
    """Bad input or usage: reported in Chinese with exit status 2."""


# --- argument parsing in Chinese -------------------------------------------------------

_ARGPARSE_ZH: list[tuple[str, str]] = [
    (r"the following arguments are required: (.*)", r"缺少参数：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"argument (\S+): invalid choice: '?(.*?)'? \(choose from (.*)\)",
     r"参数 \1：无效的选项 \2（可选：\3）"),
    (r"argument (\S+): expected one argument", r"参数 \1 需要一个值"),
    (r"argument (\S+): invalid (\w+) value: '?(.*?)'?$", r"参数 \1：“\3”不是有效的值"),
    (r"argument (\S+): (.*)", r"参数 \1：\2"),
    (r"invalid choice: '?(.*?)'? \(choose from (.*)\)", r"未知的命令 \1（可用：\2）"),
]  # fmt: skip


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse speaking Chinese: usage, headings and errors."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        for pattern, repl in _ARGPARSE_ZH:
            if re.fullmatch(pattern, message):
                message = re.sub(pattern, repl, message)
                break
        self.exit(EXIT_USAGE, f"{self.prog}：{message}\n（运行 {self.prog} -h 查看用法）\n")


def _date_arg(text: str) -> date:
    try:
        return parse_date(text)
    except DateFormatError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _common(parser: argparse.ArgumentParser, *, top: bool) -> None:
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--db", type=Path, default=default, metavar="路径",
        help="数据库文件（默认 $CREDIT_TUI_DB，否则为当前目录下的 db/credit.db）",
    )  # fmt: skip
    parser.add_argument(
        "--today", type=_date_arg, default=default, metavar="日期",
        help="把“今天”固定为该日期（也可用 $CREDIT_TUI_TODAY），用于演示和测试",
    )  # fmt: skip


def _add_score(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    cmd = command("score", "显示得分")
    cmd.add_argument("--as-of", type=_date_arg, metavar="日期", help="截至日期（默认今天）")
    cmd.add_argument("--projected", action="store_true", help="年终预计：计划记录按期完成")
    cmd.add_argument("--json", action="store_true", help="以 JSON 输出")


def _add_status(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    cmd = command("status", "会议用一屏摘要：总分、分类、失分、逾期与近期到期")
    cmd.add_argument("--as-of", type=_date_arg, metavar="日期", help="截至日期（默认今天）")


_READ_COMMANDS = {"score": _add_score, "status": _add_status}
"""The quick read commands: a parser of just one of them is built for them."""


class _Refused(Exception):
    """The one-command parser could not read the words: the whole parser will say why."""


class _TrialParser(_Parser):
    def error(self, message: str) -> NoReturn:
        raise _Refused(message)


def build_parser(
    only: str | None = None, parser_class: type[_Parser] = _Parser
) -> argparse.ArgumentParser:
    """The whole command line, or (``only``) the global options and that one read command."""
    parser = parser_class(
        prog="credit-tui",
        description="信用交通县创建工作台：不带命令时打开工作台界面。",
    )
    _common(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=parser_class)
    sub.required = False

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=help_text, description=help_text)
        _common(cmd, top=False)
        return cmd

    if only is not None:
        _READ_COMMANDS[only](command)
        return parser
    from credit_tui.cli import catalog as cli_catalog
    from credit_tui.cli import exports as cli_exports

    command("demo", "在新建的演示数据库上打开工作台（半年的示例数据）")
    cmd = command("init", "为某一年度创建数据库（已存在同年度数据库时不作改动）")
    cmd.add_argument("--year", type=int, required=True, metavar="年度", help="考核年度，如 2024")
    cli_catalog.add_init_options(cmd)
    cmd = command("import", "导入佐证材料（CSV 或 XLSX，全部正确才写入）")
    cmd.add_argument("file", type=Path, metavar="文件", help="要导入的 .csv 或 .xlsx 文件")
    cmd = command("export", "导出数据")
    what = cmd.add_subparsers(dest="what", metavar="内容", parser_class=_Parser)
    what.required = True
    ev = what.add_parser(
        "evidence", help="导出全部佐证材料（交换格式）", description="导出全部佐证材料"
    )
    _common(ev, top=False)
    ev.add_argument("--out", type=Path, required=True, metavar="文件", help=".csv 或 .xlsx")
    cli_exports.add_export_targets(what, lambda p: _common(p, top=False), _date_arg)
    _add_score(command)
    _add_status(command)
    cmd = command("deadlines", "列出时间节点及其状态")
    cmd.add_argument("--from", dest="start", type=_date_arg, metavar="日期", help="起始日期")
    cmd.add_argument("--to", dest="end", type=_date_arg, metavar="日期", help="截止日期")
    cmd.add_argument("--department", metavar="单位", help="只看某一责任单位")
    cmd.add_argument("--json", action="store_true", help="以 JSON 输出")
    cli_exports.add_commands(command, _date_arg)
    cli_catalog.add_commands(sub, lambda p: _common(p, top=False), _Parser)
    command("undo", "撤销最近一次修改（可重复）")
    cmd = command("log", "查看修改记录（最新在前）")
    cmd.add_argument("--limit", type=int, default=30, metavar="条数", help="显示条数（默认 30）")
    cmd = command(
        "backup",
        "立即备份数据库（默认存入数据库旁的 backups 文件夹，文件名含日期和时间）；"
        "每天第一次打开数据库时也会自动备份，保留最近 14 份",
    )
    cmd.add_argument("--out", type=Path, metavar="文件", help="备份到这个文件（不覆盖已有文件）")
    cmd = command(
        "restore",
        "用备份文件恢复数据库：先核对备份（credit-tui 数据库、版本相符、完好），"
        "再备份当前数据库，然后替换其内容；核对不通过时不作任何改动",
    )
    cmd.add_argument(
        "file", type=Path, metavar="备份文件", help="如 db/backups/credit-2024-07-15.db"
    )
    command(
        "check",
        "检查数据库：完整性、附件文件是否齐全且未被改动（SHA-256）、有无未登记的多余文件、"
        "修改记录是否一致。全部正常时退出状态为 0；发现问题时逐条列出，退出状态为 1",
    )
    return parser


# --- running -------------------------------------------------------------------------


class Context:
    """What every command needs: where the store is and what day it is."""

    def __init__(self, args: argparse.Namespace, system_today: Callable[[], date]) -> None:
        self.args = args
        self.db: Path = args.db or _default_db()
        env_today = os.environ.get("CREDIT_TUI_TODAY")
        self.today_given = args.today is not None or bool(env_today)
        if args.today is not None:
            self.today: date = args.today
        elif env_today:
            try:
                self.today = parse_date(env_today)
            except DateFormatError as exc:
                raise UserError(f"环境变量 CREDIT_TUI_TODAY：{exc}") from None
        else:
            self.today = system_today()

    def open_store(self):
        from credit_tui.store.database import Store

        return Store.open(self.db)

    def create_store(self):
        from credit_tui.store.database import Store

        store, _ = Store.create(self.db, self.today.year)
        return store


def _default_db() -> Path:
    from credit_tui.store.database import default_db_path

    return default_db_path()


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
    from credit_tui.interchange.evidence import import_file, parse_file

    if ctx.db.exists():
        store = ctx.open_store()
    else:  # check the file first: a bad file must not leave a new empty store behind
        from credit_tui.scoring.catalog import catalog_path, catalog_version_for, load_catalog

        catalog = load_catalog(catalog_path(int(catalog_version_for(ctx.today.year))))
        parse_file(ctx.args.file, catalog, today=ctx.today)
        store = ctx.create_store()
    notes: list[str] = []
    with store:
        result = import_file(store, ctx.args.file, today=ctx.today, notes=notes)
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
    from credit_tui.interchange.evidence import export_evidence

    with ctx.open_store() as store:
        count = export_evidence(store, ctx.args.out)
    print(f"已导出 {count} 条佐证材料到 {ctx.args.out}")
    return EXIT_OK


def _as_of(ctx: Context) -> date:
    return getattr(ctx.args, "as_of", None) or ctx.today


def _print_cached(ctx: Context, command: list[object], produce: Callable[[], str]) -> int:
    """Print a read command's text, from the view cache when nothing it depends on changed."""
    from credit_tui.cli import viewcache

    key = viewcache.cache_key(ctx.db, json.dumps(command, default=str)) if ctx.db.exists() else None
    text = viewcache.get(ctx.db, key)
    if text is None:
        text = produce()
        viewcache.put(ctx.db, key, text)
    print(text)
    return EXIT_OK


def cmd_score(ctx: Context) -> int:
    args = ctx.args
    return _print_cached(
        ctx, ["score", _as_of(ctx), args.projected, args.json], lambda: _score_text(ctx)
    )


def _score_text(ctx: Context) -> str:
    from credit_tui.reports.text import score_table
    from credit_tui.scoring.engine import score

    with ctx.open_store() as store:
        year, catalog, records = store.campaign.year, store.catalog, store.records()
    report = score(catalog, records, year=year, as_of=_as_of(ctx), projected=ctx.args.projected)
    if ctx.args.json:
        return json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
    return score_table(catalog, report)


def cmd_status(ctx: Context) -> int:
    return _print_cached(ctx, ["status", _as_of(ctx)], lambda: _status_text(ctx))


def _status_text(ctx: Context) -> str:
    from credit_tui.reports.text import status_view
    from credit_tui.scoring.calendar import occurrences
    from credit_tui.scoring.engine import score

    with ctx.open_store() as store:
        year, catalog, records = store.campaign.year, store.catalog, store.records()
    as_of = _as_of(ctx)
    report = score(catalog, records, year=year, as_of=as_of)
    projected = None
    if any(r.planned for r in records):
        projected = score(catalog, records, year=year, as_of=as_of, projected=True)
    occs = occurrences(catalog, report)
    from credit_tui.reports.proof import by_id, gap_ids

    gaps = len(gap_ids(report, by_id(records)))
    text = status_view(
        catalog, report, occs, projected=projected, soon_days=catalog.due_soon_days, proof_gaps=gaps
    )
    if not catalog.key_tasks:
        return text
    from credit_tui.reports.key_task_text import status_section
    from credit_tui.scoring.key_tasks import key_task_occurrences

    tasks = key_task_occurrences(catalog, year, records, as_of)
    return "\n".join([text, *status_section(tasks, as_of, catalog.due_soon_days)])


def cmd_deadlines(ctx: Context) -> int:
    from credit_tui.reports.text import deadlines_view
    from credit_tui.scoring.calendar import between, for_department, occurrences
    from credit_tui.scoring.engine import score

    args = ctx.args
    with ctx.open_store() as store:
        year, catalog, records = store.campaign.year, store.catalog, store.records()
    report = score(catalog, records, year=year, as_of=ctx.today)
    occs = occurrences(catalog, report)
    if args.department:
        dept = catalog.canonical_department(args.department)
        if dept is None:
            raise UserError(
                f"--department：未知的责任单位“{args.department}”，应为：{'、'.join(catalog.departments)}"
            )
        occs = for_department(occs, dept)
    start, end = args.start or date(year, 1, 1), args.end or date(year, 12, 31)
    occs = between(occs, start, end)
    from credit_tui.reports.key_task_text import as_json, key_task_line
    from credit_tui.scoring.key_tasks import key_task_occurrences

    tasks = [
        o
        for o in key_task_occurrences(catalog, year, records, ctx.today)
        if start <= o.due <= end and (not args.department or dept in o.departments)
    ]
    if args.json:
        rows = [_occ_dict(catalog, o) for o in occs] + [as_json(o) for o in tasks]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print(deadlines_view(catalog, occs))
        if tasks:
            print("\n重点任务（不计分）")
            print("\n".join(key_task_line(o) for o in tasks))
    return EXIT_OK


def _occ_dict(catalog, occ) -> dict[str, object]:
    from credit_tui.scoring.points import as_number

    spec = occ.spec
    missing = {"missing": occ.missing} if occ.missing else {}
    return {
        "due": spec.due.isoformat(),
        "indicator": spec.indicator,
        "component": spec.component,
        "label": catalog.by_code[spec.indicator].component(spec.component).label,
        "period": spec.label,
        "kind": spec.kind,
        "status": occ.status.value,
        "at_stake": as_number(occ.at_stake),
        "departments": list(spec.departments),
        **missing,
    }


def cmd_undo(ctx: Context) -> int:
    with ctx.open_store() as store:
        summary = store.undo()
    print(summary or "没有可撤销的修改")
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


def _maintenance(name: str) -> Callable[[Context], int]:
    """``backup``, ``restore`` and ``check`` (``credit_tui.cli.maintenance``, imported when run)."""

    def run(ctx: Context) -> int:
        from credit_tui.cli import maintenance

        return maintenance.COMMANDS[name](ctx)

    return run


def _exports():  # imported only by the commands that need them (the quick reads do not)
    from credit_tui.cli import exports as cli_exports

    return cli_exports


def _catalog():
    from credit_tui.cli import catalog as cli_catalog

    return cli_catalog


COMMANDS: dict[str, Callable[[Context], int]] = {
    "init": cmd_init,
    "import": cmd_import,
    "export": cmd_export,
    "score": cmd_score,
    "status": cmd_status,
    "deadlines": cmd_deadlines,
    "report": lambda ctx: _exports().run_report(ctx),
    "snapshot": lambda ctx: _exports().run_snapshot(ctx),
    "snapshots": lambda ctx: _exports().run_snapshots(ctx),
    "undo": cmd_undo,
    "log": cmd_log,
    "demo": lambda ctx: cmd_tui(ctx, demo=True),
    "backup": _maintenance("backup"),
    "restore": _maintenance("restore"),
    "check": _maintenance("check"),
    "catalog": lambda ctx: _catalog().run(ctx),
}


def _system_today() -> date:
    """The one place the real date is read: the edge of the program."""
    return date.today()


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The words read by the one-command parser of ``status``/``score``, else the whole one.

    Anything the small parser cannot read (help, a typo, another command) goes to
    the whole parser, so errors and help are the same as ever.
    """
    words = list(sys.argv[1:] if argv is None else argv)
    only = next((w for w in words if w in _READ_COMMANDS), None)
    if only is not None and not {"-h", "--help"} & set(words):
        try:
            return build_parser(only, _TrialParser).parse_args(words)
        except _Refused:
            pass
    return build_parser().parse_args(words)


def main(
    argv: Sequence[str] | None = None, *, system_today: Callable[[], date] = _system_today
) -> int:
    """Run the command line; returns the exit status."""
    args = parse_args(argv)
    try:
        ctx = Context(args, system_today)
        cli_errors.refuse_odd_store(ctx.db)  # a named pipe would hang whatever opens it
        handler = COMMANDS.get(args.command or "", cmd_tui)
        return handler(ctx)
    except UserError as exc:
        return _fail(str(exc))
    except BrokenPipeError:  # `credit-tui status | head`: the reader left, nothing to say
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return EXIT_OK
    except (OSError, OverflowError) as exc:  # a read-only or full disk, a path through a file …
        message = cli_errors.describe(exc, getattr(args, "out", None))
        cli_errors.silence_unclosed_files()
        return _fail(message)
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return EXIT_FAULT
    except Exception as exc:
        if (
            args.command == "import"
            and isinstance(exc, UserFacingError)
            and getattr(exc, "errors", None)
        ):
            return _import_failed(exc.errors, getattr(exc, "omitted", 0))  # type: ignore[attr-defined]
        catalog = sys.modules.get("credit_tui.scoring.catalog")  # loaded if it could raise
        if isinstance(exc, UserFacingError) or (catalog and isinstance(exc, catalog.CatalogError)):
            return _fail(str(exc))
        if os.environ.get("CREDIT_TUI_DEBUG"):
            raise
        print(f"credit-tui：程序内部错误（{type(exc).__name__}：{exc}）", file=sys.stderr)
        return EXIT_FAULT


def _import_failed(errors: list[str], omitted: int) -> int:
    """The first ``MAX_ERROR_LINES`` problems of an import, how many more, and the total."""
    for line in errors[:MAX_ERROR_LINES]:
        print(line, file=sys.stderr)
    more = omitted + max(0, len(errors) - MAX_ERROR_LINES)
    if more:
        print(f"……另有 {more} 处错误未列出", file=sys.stderr)
    return _fail(f"导入失败：共 {len(errors) + omitted} 处错误，未写入任何记录")


def _fail(message: str) -> int:
    print(f"credit-tui：{message}", file=sys.stderr)
    return EXIT_USAGE


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
