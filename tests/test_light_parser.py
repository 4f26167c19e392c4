"""``status`` and ``score`` are read by a parser of just that command; the rest by the whole one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from credit_tui.cli import catalog as cli_catalog
from credit_tui.cli import parser as cli


def _never(*_: object, **__: object) -> None:
    raise AssertionError("the whole parser was built")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["status"], {"command": "status", "db": None, "today": None, "as_of": None}),
        (
            ["--db", "x.db", "status", "--as-of", "2024-05-03"],
            {"command": "status", "db": Path("x.db"), "today": None, "as_of": date(2024, 5, 3)},
        ),
        (
            ["--today", "2024-07-15", "score", "--json", "--projected"],
            {"command": "score", "db": None, "today": date(2024, 7, 15), "as_of": None,
             "json": True, "projected": True},
        ),
        (  # global options after the command are the command's own (same as the whole parser)
            ["score", "--db", "y.db"],
            {"command": "score", "db": Path("y.db"), "today": None, "as_of": None,
             "json": False, "projected": False},
        ),
    ],
)  # fmt: skip
def test_the_small_parser_reads_what_the_whole_one_reads(
    argv: list[str], expected: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = vars(cli.build_parser().parse_args(argv))
    monkeypatch.setattr(cli_catalog, "add_commands", _never)
    small = vars(cli.parse_args(argv))
    assert small == whole == expected


def test_anything_else_goes_to_the_whole_parser(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.parse_args(["--db", "status", "log"]).command == "log"  # a store named status
    with pytest.raises(SystemExit) as exit_info:
        cli.parse_args(["status", "--bogus"])
    assert exit_info.value.code == 2
    assert "无法识别的参数：--bogus" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.parse_args(["status", "-h"])
    assert "--as-of" in capsys.readouterr().out  # the status help of the whole parser
