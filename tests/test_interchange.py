"""Evidence interchange (SPEC section 8) through ``credit-tui import`` / ``export``."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from credit_tui.store.database import Store

DEPARTMENTS = (
    "法规科", "办公室", "政策研究室", "产业发展科", "客运科", "货运科", "维管驾培服务科",
    "执法大队", "公路综合科", "公路建设科", "养护科", "市政道路桥梁服务中心", "财务审计科",
    "政务服务大厅交通窗口", "安全监督科", "党建办",
)  # fmt: skip
HEADER = "指标,事项,对象,日期,责任单位,标题,材料类型,数量,备注"
KEY_HEADER = "indicator,component,item,date,department,title,kind,quantity,note"
ROWS = [
    "1.1,group,,2024-04-08,办公室,关于成立领导小组的通知,通知,,",
    "1.1,office,,2024-04-08,法规科,专班人员名单,,3,含“引号”与，逗号",
    "3.1,,,2024-02-05,法规科,信用交通建设动员会,宣传报道,,",
    "4.2,,道路客运,2024-06-18,客运科,道路客运企业信用评价结果,publicity,,",
    "5.3,case,企业,2024-06-30,客运科,诚信经营客运企业典型案例,,,",
]
FORMULA_START = ("=", "+", "-", "@")


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def csv_text(header: str, rows: list[str], newline: str = "\n") -> str:
    return newline.join([header, *rows]) + newline


def records(db: Path) -> list[dict]:
    with Store.open(db) as store:
        return [r.model_dump() for r in store.records()]


def counts(out: str) -> tuple[int, int, int]:
    match = re.search(r"新增 (\d+) 条，替换 (\d+) 条，未变 (\d+) 条", out)
    assert match, out
    added, replaced, unchanged = (int(g) for g in match.groups())
    return added, replaced, unchanged


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(run_cli, db: Path | None = None) -> tuple[int, dict, int]:
    """Record count, ``score --json`` and audit length: what must not change on a failure."""
    db = db or run_cli.db
    shown = run_cli("score", "--json", db=db)
    assert shown.code == 0, shown.err
    with Store.open(db) as store:
        return store.count(), json.loads(shown.out), len(store.log(100_000))


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line and not line.startswith("credit-tui")]


@pytest.fixture
def store(run_cli, tmp_path: Path) -> Path:
    """An initialised 2024 store holding ROWS."""
    assert run_cli("init", "--year", "2024").code == 0
    assert (
        run_cli("import", write(tmp_path / "base" / "base.csv", csv_text(HEADER, ROWS))).code == 0
    )
    return run_cli.db


# --- bad files: exit 2, FILE:ROW: column: message, nothing stored -------------------------------


def _big(bad_last: bool) -> str:
    rows = [f"3.1,,,2024-05-{i % 28 + 1:02d},法规科,第 {i} 条信息,,," for i in range(10_000)]
    if bad_last:
        rows[-1] = "3.1,,,2024-02-30,法规科,最后一条,,,"
    return csv_text(HEADER, rows)


BAD_FILES = {
    "unknown-column": (
        csv_text(HEADER + ",颜色", [ROWS[2] + ",红"]),
        [("bad.csv:1: 颜色: ", "未知的列")],
    ),
    "missing-required-column": (
        csv_text("指标,日期,责任单位", ["3.1,2024-05-03,法规科"]),
        [("bad.csv:1: 标题: ", "缺少必需的列")],
    ),
    "bad-date": (
        csv_text(HEADER, ["3.1,,,2024-02-30,法规科,信息,,,"]),
        [("bad.csv:2: 日期: ", "2024-02-30 不是有效日期")],
    ),
    "unknown-department": (
        csv_text(HEADER, ["3.1,,,2024-05-03,宣传科,信息,,,"]),
        [("bad.csv:2: 责任单位: ", "未知的责任单位“宣传科”")],
    ),
    "negative-quantity": (
        csv_text(HEADER, ["1.1,office,,2024-04-08,法规科,专班人员名单,,-3,"]),
        [("bad.csv:2: 数量: ", "不能为负数")],
    ),
    "unknown-indicator": (
        csv_text(HEADER, ["9.9,,,2024-05-03,法规科,信息,,,"]),
        [("bad.csv:2: 指标: ", "未知的指标“9.9”")],
    ),
    "empty-file": ("", [("bad.csv", "文件为空")]),
    "one-good-one-bad": (
        csv_text(HEADER, ["3.1,,,2024-05-03,法规科,好的一行,,,", "3.1,,,2024-13-01,法规科,坏,,,"]),
        [("bad.csv:3: 日期: ", "不是有效日期")],
    ),
    "bad-row-at-10000": (_big(True), [("bad.csv:10001: 日期: ", "2024-02-30 不是有效日期")]),
}


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_bad_file_is_refused_and_nothing_is_stored(
    run_cli, store: Path, tmp_path: Path, case: str
) -> None:
    text, expected = BAD_FILES[case]
    path = write(tmp_path / "in" / "bad.csv", text)
    before = snapshot(run_cli)

    result = run_cli("import", path, proc=True)

    assert result.code == 2
    assert "Traceback" not in result.err
    assert result.out == ""
    lines = error_lines(result.err)
    assert len(lines) == len(expected), result.err
    for line, (prefix, phrase) in zip(lines, expected, strict=True):
        assert line.startswith(prefix), line
        assert phrase in line, line
    assert "导入失败" in result.err
    assert snapshot(run_cli) == before


def test_unknown_department_lists_the_valid_names(run_cli, store: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "bad.csv", csv_text(HEADER, ["3.1,,,2024-05-03,宣传科,信息,,,"]))
    result = run_cli("import", path)
    assert result.code == 2
    (line,) = error_lines(result.err)
    for name in DEPARTMENTS:
        assert name in line


def test_every_bad_row_is_listed(run_cli, store: Path, tmp_path: Path) -> None:
    rows = [
        "3.1,,,2024-05-03,法规科,好,,,",
        "3.1,,,2024-02-30,法规科,坏日期,,,",
        "3.1,,,2024-05-03,法规科,好二,,,",
        "1.1,office,,2024-04-08,外星科,人数,,-1,",
    ]
    before = snapshot(run_cli)
    result = run_cli("import", write(tmp_path / "many.csv", csv_text(HEADER, rows)))
    assert result.code == 2
    lines = error_lines(result.err)
    assert [line.split(": ")[0:2] for line in lines] == [
        ["many.csv:3", "日期"],
        ["many.csv:5", "责任单位"],
        ["many.csv:5", "数量"],
    ]
    assert snapshot(run_cli) == before


def test_a_10000_row_file_is_imported_whole(run_cli, store: Path, tmp_path: Path) -> None:
    before_count = snapshot(run_cli)[0]
    result = run_cli("import", write(tmp_path / "big.csv", _big(False)), proc=True)
    assert result.code == 0, result.err
    assert counts(result.out) == (10_000, 0, 0)
    with Store.open(store) as opened:
        assert opened.count() == before_count + 10_000


# --- encodings, headers, dates, XLSX ---------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "newline"),
    [("utf-8", "\n"), ("utf-8-sig", "\r\n"), ("gbk", "\r\n")],
    ids=["utf-8", "utf-8-bom", "gbk"],
)
def test_encodings_give_the_same_records(
    run_cli, tmp_path: Path, encoding: str, newline: str
) -> None:
    reference = tmp_path / "ref" / "ref.db"
    path = write(tmp_path / "utf8.csv", csv_text(HEADER, ROWS))
    assert run_cli("import", path, db=reference).code == 0

    db = tmp_path / encoding / "s.db"
    assert run_cli("init", "--year", "2024", db=db).code == 0
    encoded = write(tmp_path / f"{encoding}.csv", csv_text(HEADER, ROWS, newline), encoding)
    if encoding == "utf-8-sig":
        assert encoded.read_bytes().startswith(b"\xef\xbb\xbf")
    result = run_cli("import", encoded, db=db)
    assert result.code == 0, result.err
    assert counts(result.out) == (len(ROWS), 0, 0)
    assert records(db) == records(reference)
    assert {r["title"] for r in records(db)} >= {"专班人员名单", "道路客运企业信用评价结果"}
    assert any(r["note"] == "含“引号”与，逗号" for r in records(db))


def test_key_headers_and_chinese_headers_in_any_order_agree(run_cli, tmp_path: Path) -> None:
    chinese, keys, shuffled = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "c.db"
    assert (
        run_cli("import", write(tmp_path / "zh.csv", csv_text(HEADER, ROWS)), db=chinese).code == 0
    )
    assert (
        run_cli("import", write(tmp_path / "en.csv", csv_text(KEY_HEADER, ROWS)), db=keys).code == 0
    )
    # columns reordered: title first, date last
    order = [5, 0, 1, 2, 4, 6, 7, 8, 3]
    names = HEADER.split(",")
    reordered = [",".join(r.split(",")[i] for i in order) for r in ROWS]
    text = csv_text(",".join(names[i] for i in order), reordered)
    assert run_cli("import", write(tmp_path / "mix.csv", text), db=shuffled).code == 0
    assert records(chinese) == records(keys) == records(shuffled)
    assert len(records(chinese)) == len(ROWS)


def test_other_date_spellings(run_cli, tmp_path: Path) -> None:
    rows = [
        "3.1,,,2024/5/3,法规科,斜线日期,,,",
        "3.1,,,2024年5月3日,法规科,中文日期,,,",
        "3.1,,,2024-05-03,法规科,横线日期,,,",
    ]
    result = run_cli("import", write(tmp_path / "dates.csv", csv_text(HEADER, rows)))
    assert result.code == 0, result.err
    assert {r["title"]: r["date"] for r in records(run_cli.db)} == {
        "斜线日期": date(2024, 5, 3),
        "中文日期": date(2024, 5, 3),
        "横线日期": date(2024, 5, 3),
    }


def test_xlsx_with_real_date_cells(run_cli, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    for row in ROWS:
        cells: list[object] = [c or None for c in row.split(",")]
        y, m, d = (int(p) for p in str(cells[3]).split("-"))
        cells[3] = datetime(y, m, d) if y % 2 == 0 and m % 2 == 0 else date(y, m, d)
        if cells[7]:
            cells[7] = int(str(cells[7]))
        sheet.append(cells)
    path = tmp_path / "in" / "ev.xlsx"
    path.parent.mkdir()
    book.save(path)
    assert load_workbook(path).active.cell(row=2, column=4).is_date

    reference = tmp_path / "ref.db"
    assert (
        run_cli("import", write(tmp_path / "ev.csv", csv_text(HEADER, ROWS)), db=reference).code
        == 0
    )
    result = run_cli("import", path)
    assert result.code == 0, result.err
    assert counts(result.out) == (len(ROWS), 0, 0)
    assert records(run_cli.db) == records(reference)


# --- planned records -------------------------------------------------------------------


def test_status_column_marks_planned_records(run_cli, tmp_path: Path) -> None:
    text = csv_text(
        "指标,日期,责任单位,标题,状态",
        ["1.3,2024-03-05,政策研究室,工作要点,计划", "6.2,2024-03-05,客运科,培训,已完成"],
    )
    assert run_cli("import", write(tmp_path / "p.csv", text)).code == 0
    by_title = {r["title"]: r["status"] for r in records(run_cli.db)}
    assert by_title == {"工作要点": "planned", "培训": "done"}
    earned = {
        i["code"]: i["earned"] for i in json.loads(run_cli("score", "--json").out)["indicators"]
    }
    projected = json.loads(run_cli("score", "--projected", "--json").out)
    assert earned["1.3"] == 0 and earned["6.2"] == 2
    assert {i["code"]: i["earned"] for i in projected["indicators"]}["1.3"] == 2


# --- attachments -----------------------------------------------------------------------


def test_attachments_are_copied_by_hash_with_their_names(run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(folder / "a.pdf", "%PDF-1.4 甲")
    write(folder / "sub" / "b.png", "PNG 乙")
    text = csv_text(
        "编号,指标,日期,责任单位,标题,附件",
        [
            "r1,3.1,2024-05-03,法规科,有附件,a.pdf;sub/b.png",
            "r2,3.1,2024-05-04,法规科,同一文件,a.pdf",
        ],
    )
    result = run_cli("import", write(folder / "ev.csv", text))
    assert result.code == 0, result.err

    a_sha, b_sha = sha256(folder / "a.pdf"), sha256(folder / "sub" / "b.png")
    with Store.open(run_cli.db) as store:
        refs = store.attachments_of("r1")
        assert [(r.sha256, r.name) for r in refs] == [(a_sha, "a.pdf"), (b_sha, "b.png")]
        assert [(r.sha256, r.name) for r in store.attachments_of("r2")] == [(a_sha, "a.pdf")]
        assert store.get("r1").attachments == (a_sha, b_sha)
        assert store.attachment_path(a_sha) == store.attachments_dir / f"{a_sha}.pdf"
        assert store.attachment_path(a_sha).read_bytes() == (folder / "a.pdf").read_bytes()
        assert store.attachment_path(b_sha).read_bytes() == (folder / "sub" / "b.png").read_bytes()
        stored = sorted(p.name for p in store.attachments_dir.iterdir())
    assert stored == sorted([f"{a_sha}.pdf", f"{b_sha}.png"])  # a.pdf stored once

    again = run_cli("import", folder / "ev.csv")
    assert counts(again.out) == (0, 0, 2)


@pytest.mark.parametrize("cell", ["a.pdf;a.pdf", "a.pdf;copy-of-a.pdf"], ids=["same", "copy"])
def test_the_same_file_twice_in_one_row_is_stored_once(run_cli, tmp_path: Path, cell: str) -> None:
    folder = tmp_path / "in"
    write(folder / "a.pdf", "same bytes")
    write(folder / "copy-of-a.pdf", "same bytes")
    text = csv_text(
        "编号,指标,日期,责任单位,标题,附件", [f"r1,3.1,2024-05-03,法规科,重复附件,{cell}"]
    )
    result = run_cli("import", write(folder / "ev.csv", text), proc=True)
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    digest = sha256(folder / "a.pdf")
    with Store.open(run_cli.db) as store:
        assert store.get("r1").attachments == (digest,)
        assert [r.sha256 for r in store.attachments_of("r1")] == [digest]
        assert [p.name for p in store.attachments_dir.iterdir()] == [f"{digest}.pdf"]


def test_missing_attachment_is_an_error(run_cli, store: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(folder / "a.pdf", "present")
    text = csv_text("指标,日期,责任单位,标题,附件", ["3.1,2024-05-03,法规科,缺附件,a.pdf;nope.pdf"])
    before = snapshot(run_cli)
    with Store.open(store) as opened:
        attachments_dir = opened.attachments_dir
    result = run_cli("import", write(folder / "ev.csv", text), proc=True)
    assert result.code == 2
    assert "Traceback" not in result.err
    (line,) = error_lines(result.err)
    assert line.startswith("ev.csv:2: 附件: ")
    assert "nope.pdf" in line and line.endswith("不存在")
    assert snapshot(run_cli) == before
    assert not attachments_dir.exists() or not any(attachments_dir.iterdir())


def _tree(root: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(root).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in root.rglob("*")
        if p.is_file()
    }


def test_attachment_outside_the_folder_is_refused_and_nothing_is_written(
    run_cli, tmp_path: Path
) -> None:
    """Issue 18: ``..`` out of the import file's folder is refused (it used to be read)."""
    assert run_cli("init", "--year", "2024").code == 0
    write(tmp_path / "x.pdf", "outside the import folder")
    csv_path = write(
        tmp_path / "a" / "b" / "ev.csv",
        csv_text(
            "编号,指标,日期,责任单位,标题,附件", ["r1,3.1,2024-05-03,法规科,外部附件,../../x.pdf"]
        ),
    )
    before = {k: v for k, v in _tree(tmp_path).items() if not k.startswith("store/")}

    result = run_cli("import", csv_path, proc=True)  # cwd is tmp_path
    assert result.code == 2, result.err
    (line,) = error_lines(result.err)
    assert line.startswith("ev.csv:2: 附件: ../../x.pdf 用 .. 指向导入文件所在文件夹之外")
    after = {k: v for k, v in _tree(tmp_path).items() if not k.startswith("store/")}
    assert after == before
    assert not (run_cli.db.parent / f"{run_cli.db.stem}_attachments").exists()
    assert run_cli("check").code == 0


# --- export → import -------------------------------------------------------------------

TRICKY = csv_text(
    "编号,指标,日期,责任单位,标题,备注",
    ["-f1,3.1,2024-05-06,法规科,=1+1,@提醒 +1", "f2,6.3,2024-05-07,办公室,+赴外地交流,-减号开头"],
)


def _cells(path: Path) -> list[list[object]]:
    if path.suffix == ".csv":
        return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
    book = load_workbook(path)
    try:
        sheet = book.worksheets[0]
        assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_into_another_store_gives_the_same_score(
    run_cli, demo_db: Path, tmp_path: Path, suffix: str
) -> None:
    assert run_cli("import", write(tmp_path / "tricky.csv", TRICKY), db=demo_db).code == 0
    out = tmp_path / "exchange" / f"evidence{suffix}"
    result = run_cli("export", "evidence", "--out", out, db=demo_db)
    assert result.code == 0, result.err
    with Store.open(demo_db) as store:
        total = store.count()
    assert str(total) in result.out

    if suffix == ".csv":
        assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    cells = _cells(out)
    assert cells[0][:3] == ["编号", "指标", "事项"]
    values = [v for row in cells[1:] for v in row if isinstance(v, str)]
    assert not [v for v in values if v.startswith(FORMULA_START)]
    for neutralised in ("'=1+1", "'@提醒 +1", "'+赴外地交流", "'-减号开头", "'-f1"):
        assert neutralised in values
    assert len(cells) == total + 1

    second = tmp_path / "second" / "copy.db"
    assert run_cli("init", "--year", "2024", db=second).code == 0
    result = run_cli("import", out, db=second)
    assert result.code == 0, result.err
    assert counts(result.out) == (total, 0, 0)

    assert records(second) == records(demo_db)
    titles = {r["id"]: r["title"] for r in records(second)}
    assert titles["-f1"] == "=1+1" and titles["f2"] == "+赴外地交流"
    notes = {r["id"]: r["note"] for r in records(second)}
    assert notes["-f1"] == "@提醒 +1" and notes["f2"] == "-减号开头"
    for as_of in ("2024-07-15", "2024-12-31"):
        first = run_cli("score", "--as-of", as_of, "--json", db=demo_db)
        copy = run_cli("score", "--as-of", as_of, "--json", db=second)
        assert json.loads(first.out) == json.loads(copy.out)
    projected = [run_cli("score", "--projected", "--json", db=d).out for d in (demo_db, second)]
    assert json.loads(projected[0]) == json.loads(projected[1])


def test_exported_attachments_keep_their_names_in_the_other_store(
    run_cli, demo_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "exchange" / "evidence.csv"
    assert run_cli("export", "evidence", "--out", out, db=demo_db).code == 0
    second = tmp_path / "second" / "copy.db"
    assert run_cli("import", out, db=second).code == 0
    with Store.open(demo_db) as a, Store.open(second) as b:
        names_a = {k: [(r.sha256, r.name) for r in v] for k, v in a.attachment_names().items()}
        names_b = {k: [(r.sha256, r.name) for r in v] for k, v in b.attachment_names().items()}
    assert names_a  # the demo has attachments
    assert names_b == names_a


def test_reimporting_the_own_export_changes_nothing(run_cli, demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "exchange" / "evidence.csv"
    assert run_cli("export", "evidence", "--out", out, db=demo_db).code == 0
    with Store.open(demo_db) as store:
        total, log_length = store.count(), len(store.log(100_000))
    result = run_cli("import", out, db=demo_db)
    assert result.code == 0, result.err
    assert counts(result.out) == (0, 0, total)
    with Store.open(demo_db) as store:
        assert len(store.log(100_000)) == log_length
