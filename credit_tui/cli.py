"""The ``credit-tui`` command line."""

from __future__ import annotations

import sys
from datetime import date

from .scoring import load_catalog, score
from .textview import score_table


def main(argv: list[str] | None = None) -> int:
    """Print the bundled table's score for an empty year (until the store exists)."""
    catalog = load_catalog()
    report = score(catalog, [], year=int(catalog.version), as_of=date(int(catalog.version), 1, 1))
    print(score_table(catalog, report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
