"""The command line's words: the whole parser, and the one-command parser of the quick reads."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from credit_tui.cli.context import EXIT_USAGE
from credit_tui.scoring.dates import DateFormatError, parse_date

TYPE_CHECKING = False  # typing itself is not imported on the quick reads' path
if TYPE_CHECKING:
    from typing import NoReturn

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


class _UnshownFormatter(_Formatter):
    """For a parser that never prints: a fixed width, so argparse needs no terminal size."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=80)


class _TrialParser(_Parser):
    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", _UnshownFormatter)  # help goes to the whole parser
        super().__init__(*args, **kwargs)

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
