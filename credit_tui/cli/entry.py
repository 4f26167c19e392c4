"""The ``credit-tui`` command line (SPEC section 9).

Exit status: 0 done; 2 bad input or usage (a Chinese message on stderr, nothing
changed); 1 an unexpected fault. Commands that only read never import textual.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from datetime import date

from credit_tui import faults
from credit_tui.cli.context import (
    EXIT_FAULT,
    EXIT_OK,
    EXIT_USAGE,
    MAX_ERROR_LINES,
    Context,
    UserError,
    _system_today,
)
from credit_tui.cli.launch import cmd_tui
from credit_tui.cli.parser import parse_args
from credit_tui.cli.records import cmd_export, cmd_import, cmd_init, cmd_log, cmd_undo
from credit_tui.cli.views import cmd_deadlines, cmd_score, cmd_status
from credit_tui.errors import UserFacingError


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


def main(
    argv: Sequence[str] | None = None, *, system_today: Callable[[], date] = _system_today
) -> int:
    """Run the command line; returns the exit status."""
    args = parse_args(argv)
    try:
        ctx = Context(args, system_today)
        faults.refuse_odd_store(ctx.db)  # a named pipe would hang whatever opens it
        handler = COMMANDS.get(args.command or "", cmd_tui)
        return handler(ctx)
    except UserError as exc:
        return _fail(str(exc))
    except BrokenPipeError:  # `credit-tui status | head`: the reader left, nothing to say
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return EXIT_OK
    except (OSError, OverflowError) as exc:  # a read-only or full disk, a path through a file …
        message = faults.describe(exc, getattr(args, "out", None))
        faults.silence_unclosed_files()
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
