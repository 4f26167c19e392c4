"""``python -m credit_tui.cli``: the command line."""

from credit_tui.cli.entry import run

run()
