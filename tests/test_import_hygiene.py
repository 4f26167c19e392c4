"""The scoring package stays free of the UI and the database (fresh interpreter)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import json, sys
from datetime import date

import credit_tui.scoring as s

cat = s.load_catalog()
records = [
    s.make_evidence(cat, {"indicator": "4.2", "item": "道路客运", "date": "2024-05-03",
                          "department": "客运科", "title": "信用评价结果"}),
    s.make_evidence(cat, {"indicator": "1.4", "date": "2024-02-10",
                          "department": "法规科", "title": "季度研究"}),
]
report = s.score(cat, records, year=2024, as_of=date(2024, 7, 15))
assert s.occurrences(cat, report)
json.dumps(report.to_dict(), ensure_ascii=False)
banned = sorted(
    name for name in sys.modules
    if name.startswith(("textual", "sqlite_utils"))
    or name == "sqlite3" or name.startswith("sqlite3.")
)
print(json.dumps({"earned": report.earned, "banned": banned}))
"""


def test_scoring_imports_neither_ui_nor_database() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["earned"] == 6  # 4.2 one domain (2 points) + 1.4 Q1 (1 point), in halves
    assert out["banned"] == []
