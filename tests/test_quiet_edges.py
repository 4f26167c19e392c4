"""Issue 18, item 8: the quieter edges of an import, and a refused store left as found."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from credit_tui.service.demo import build_demo
from credit_tui.store.database import Store

HEADER = "编号,指标,日期,责任单位,标题,数量"
STAFF = "编号,指标,事项,日期,责任单位,标题,数量"  # 1.1 office counts its staff


def write(path: Path, *rows: str, header: str = HEADER) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([header, *rows]) + "\n", "utf-8")
    return path


@pytest.fixture
def initialised(run_cli):
    assert run_cli("init", "--year", "2024").code == 0
    return run_cli


def test_records_outside_the_year_are_stored_but_said_not_to_count(
    initialised, tmp_path: Path
) -> None:
    source = write(
        tmp_path / "in" / "ev.csv",
        "a,3.1,2023-12-30,法规科,去年年底,",
        "b,3.1,2024-05-03,法规科,本年度,",
        "c,3.1,2025-01-02,法规科,明年年初,",
    )
    result = initialised("import", source)
    assert result.code == 0, result.err
    assert "新增 3 条" in result.out
    # rows 2 and 4 (the header is row 1) are outside 2024: 2 of the 3 records
    assert (
        "注意：其中 2 条记录的日期不在 2024 年度内（第 2 行 2023-12-30、第 4 行 2025-01-02），"
        "已保存但不计分" in result.out
    )
    assert initialised("check").code == 0


def test_no_note_when_every_record_is_in_the_year(initialised, tmp_path: Path) -> None:
    result = initialised(
        "import", write(tmp_path / "in" / "ev.csv", "b,3.1,2024-05-03,法规科,本年度,")
    )
    assert result.code == 0 and "注意" not in result.out


def test_full_width_digits_are_read_as_digits(initialised, tmp_path: Path) -> None:
    source = write(
        tmp_path / "in" / "ev.csv", "s,1.1,office,2024-05-03,法规科,专班,３", header=STAFF
    )
    result = initialised("import", source)
    assert result.code == 0, result.err
    with Store.open(initialised.db) as store:
        assert store.get("s").quantity == 3  # "３" (U+FF13) read as 3 by NFKC
    assert initialised("check").code == 0


@pytest.mark.parametrize(
    "digits", ["٣", "३", "1_000"], ids=["arabic-indic", "devanagari", "underscore"]
)
def test_other_digits_are_refused_saying_why(initialised, tmp_path: Path, digits: str) -> None:
    source = write(
        tmp_path / "in" / "ev.csv", f"s,1.1,office,2024-05-03,法规科,专班,{digits}", header=STAFF
    )
    result = initialised("import", source)
    assert result.code == 2
    assert f"ev.csv:2: 数量: “{digits}”不是整数（只能用数字 0–9，全角数字按半角读）" in result.err
    with Store.open(initialised.db) as store:
        assert store.count() == 0
    assert initialised("check").code == 0


def test_a_million_column_header_lists_fifty_problems_and_a_count(
    initialised, tmp_path: Path
) -> None:
    columns = 1_000_000
    header = ",".join(["指标", "日期", "责任单位", "标题"] + [f"x{n}" for n in range(columns)])
    source = write(tmp_path / "in" / "wide.csv", "3.1,2024-05-03,法规科,标题", header=header)
    result = initialised("import", source)
    assert result.code == 2
    lines = result.err.splitlines()
    assert len(lines) == 50 + 2  # 50 listed, the count, the summary
    assert lines[0].startswith("wide.csv:1: x0: 未知的列")
    assert lines[49].startswith("wide.csv:1: x49: 未知的列")
    assert lines[50] == "……另有 999950 处错误未列出"  # 1,000,000 unknown - 50 listed
    assert lines[51].endswith("导入失败：共 1000000 处错误，未写入任何记录")
    assert initialised("check").code == 0


def test_many_bad_rows_are_listed_fifty_and_counted(initialised, tmp_path: Path) -> None:
    rows = [f"r{n},3.1,2024-02-30,法规科,坏日期," for n in range(120)]
    result = initialised("import", write(tmp_path / "in" / "bad.csv", *rows))
    assert result.code == 2
    lines = result.err.splitlines()
    assert len(lines) == 50 + 2
    assert lines[50] == "……另有 70 处错误未列出"  # 120 bad rows - 50 listed
    assert lines[51].endswith("导入失败：共 120 处错误，未写入任何记录")


@pytest.mark.parametrize("command", ["status", "score", "check", "undo", "log"])
def test_a_truncated_store_is_left_exactly_as_found(run_cli, tmp_path: Path, command: str) -> None:
    db = tmp_path / "store" / "credit.db"
    build_demo(db).close()
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    os.truncate(db, db.stat().st_size // 2)
    before = sorted(p.name for p in db.parent.iterdir())
    content = db.read_bytes()
    result = run_cli(command, db=db)
    assert result.code == 2 and "损坏" in result.err
    assert sorted(p.name for p in db.parent.iterdir()) == before  # no -wal, -shm, cache
    assert db.read_bytes() == content
