"""Hostile input (issue “Nothing lost, nothing stuck”, part 5).

Generated CSV and XLSX files — random headers, encodings, huge cells, formulas,
control characters, impossible dates, attachment paths that climb out of the
folder — are thrown at ``import_file`` on a store in a temporary folder:

* the answer is a ``SaveResult`` or an ``InterchangeError`` whose ``errors`` are
  Chinese strings, never any other exception;
* a refusal leaves the records, the audit rows and the attachments folder
  exactly as they were;
* nothing is written anywhere but the store file (with its -wal/-shm) and its
  attachments folder: the whole temporary tree, the working directory included,
  is compared before and after;
* what was accepted comes back unchanged through export → import (CSV or XLSX).

Exported cells that begin with = + - @ are neutralised with an apostrophe and
read back as written; the nastiest files also go through the real command line.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import re
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from credit_tui.interchange import evidence as interchange
from credit_tui.interchange.evidence import import_file
from credit_tui.interchange.evidence_export import export_evidence
from credit_tui.interchange.evidence_format import (
    COLUMNS,
    REQUIRED,
    InterchangeError,
    header_key,
    neutralise,
    safe_name,
)
from credit_tui.scoring import load_catalog, make_evidence
from credit_tui.scoring.evidence import FIELD_LABELS
from credit_tui.store.database import SaveResult, Store, StoreError

TODAY = date(2024, 7, 15)
CATALOG = load_catalog()
DEPARTMENTS = list(CATALOG.departments)
VOCAB = CATALOG.vocabulary
FORMULA_START = ("=", "+", "-", "@")
CHINESE = re.compile(r"[\u4e00-\u9fff]")
DB_FILES = frozenset({"store/s.db", "store/s.db-wal", "store/s.db-shm"})
ATTACHMENTS = "store/s_attachments"
STORED_NAME = re.compile(r"^[0-9a-f]{64}(\.[a-z0-9]{1,10})?$")
TABLES = ("campaign", "evidence", "attachments", "evidence_attachments", "audit", "snapshots")
SLOW = settings(
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
        HealthCheck.filter_too_much,
    ],
)

# --- the material ------------------------------------------------------------------------

FORMULAS = [
    "=cmd|' /C calc'!A0",
    "=1+1",
    "+1",
    "-1",
    "@SUM(1)",
    '=HYPERLINK("http://evil.example","点我")',
    "'=1+1",
    "''=1",
    "'",
    "=",
    "-",
    "@",
]
CONTROLS = [
    "\x00",
    "\r",
    "\n",
    "\r\n",
    "\x1b[31m红\x1b[0m",
    "\t",
    "\x07",
    "\x08",
    "\x0b",
    "\x0c",
    "\x7f",
    "\x85",
    "\u2028",
    "\ufeff",
    "\u202e",
]
BAD_DATES = [
    "2024-02-30",
    "0000-01-01",
    "2024/13/1",
    "99999-1-1",
    "2024-00-10",
    "2023-02-29",
    "2024年2月30日",
    "1900-02-29",
    "0001-01-01",
    "9999-12-31",
    "2024-02-29",
    "2024-5-3 00:00:00",
    "2024-05-03T00:00",
    "45000",
    "今天",
    "昨天",
    "-1",
    "",
]
PATHS = [
    "../../x",
    "../y",
    "../../../../../../../../etc/passwd",
    "/etc/passwd",
    "C:\\Windows\\x",
    "..\\..\\y",
    "\\\\server\\share\\x",
    "a" * 300,
    "长" * 100,
    "a.pdf",
    "sub/b.png",
    "a.pdf;sub/b.png",
    "a.pdf;a.pdf",
    "link.pdf",
    "/",
    ".",
    "..",
    "sub",
    "sub/",
    "/dev/null",
    "/dev/zero",
    "~/x",
    "nope.pdf",
    "file:///etc/passwd",
    ";",
    " ; a.pdf ; ",
    "../../x/../x",
]
WORDS = [
    *COLUMNS,
    *FIELD_LABELS.values(),
    "附件列表",
    "attachments",
    "颜色",
    "ID",
    "TITLE",
    " 标题 ",
    "\ufeff指标",
    "",
    "Unnamed: 0",
]
INPUT_FILES = {
    "in/deep/a.pdf": b"%PDF-1.4 a",
    "in/deep/sub/b.png": b"PNG b",
    "in/y": b"y, one folder up",
    "x": b"x, two folders up",
}
"""Files beside (and above) the imported file, which is written to ``in/deep/``."""


def _repeat(seed: str, n: int) -> str:
    return (seed * (n // len(seed) + 1))[:n]


def _strip_illegal(value: object) -> object:
    """What openpyxl can hold (it refuses most C0 control characters)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


plain = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=30)
huge = st.builds(
    _repeat,
    st.sampled_from(["长", "a", "=", "\x1b", "'", ";", "信用 "]) | st.text(min_size=1, max_size=3),
    st.integers(9_000, 140_000),
)
hostile = st.one_of(
    st.sampled_from(FORMULAS + CONTROLS + BAD_DATES + PATHS + WORDS),
    st.builds(lambda a, b: a + b, st.sampled_from(FORMULAS + CONTROLS), st.text(max_size=12)),
    st.text(max_size=20),
    huge,
)
prefix = st.sampled_from(["", "", "=", "+", "-", "@", "'=", "''=", "'", "'a", " ", "\t"])

# (indicator as written, component, item strategy, quantity strategy)
SHAPES = [
    ("3.1", "", st.just(""), st.just("")),
    ("三、1", "", st.just(""), st.just("")),
    ("6.3", "exchange", st.just(""), st.just("")),
    ("1.3", "", st.just(""), st.sampled_from(["", "0", "7"])),
    ("1.4", "study", st.just(""), st.just("")),
    ("1.1", "office", st.just(""), st.integers(1, 30).map(str)),
    ("1.1", "领导小组", st.just(""), st.just("")),
    ("4.2", "evaluation", st.sampled_from(sorted(VOCAB.domain_names)), st.just("")),
    ("3.2", "dataset", st.builds(lambda a, b: a + b, prefix, plain), st.just("")),
    ("5.3", "case", st.sampled_from(list(VOCAB.case_types)), st.just("")),
]


@st.composite
def valid_rows(draw: st.DrawFn) -> dict[str, str]:
    """A row the importer should take (the mutations come later)."""
    indicator, component, items, quantities = draw(st.sampled_from(SHAPES))
    day = draw(st.dates(date(2024, 1, 1), date(2024, 12, 31)))
    written = draw(
        st.sampled_from(
            [
                day.isoformat(),
                f"{day.year}/{day.month}/{day.day}",
                f"{day.year}年{day.month}月{day.day}日",
                f"{day.isoformat()} 00:00:00",
                "今天",
            ]
        )
    )
    title = draw(prefix) + draw(plain.filter(lambda s: s.strip()))
    return {
        "id": draw(
            st.one_of(
                st.just(""),
                st.sampled_from(["base-1", "base-2", "-f1", "+1", "@x"]),
                st.from_regex(r"[A-Za-z0-9_.:\-]{1,20}", fullmatch=True),
            )
        ),
        "indicator": indicator,
        "component": component,
        "item": draw(items),
        "date": written,
        "department": draw(st.sampled_from(DEPARTMENTS)),
        "title": title,
        "kind": draw(st.sampled_from(["", *VOCAB.kinds, *VOCAB.kinds.values()])),
        "channel": draw(st.sampled_from(["", *VOCAB.channels, *VOCAB.channels.values()])),
        "quantity": draw(quantities),
        "format_ok": draw(st.sampled_from(["", "是", "否", "yes", "FALSE", "1", "√", "×"])),
        "evaluation_data": draw(st.sampled_from(["", "是", "no"])),
        "publicized": draw(st.sampled_from(["", "是", "否"])),
        "url": draw(st.sampled_from(["", "http://example.com/a", "https://信用.中国/x?y=1"])),
        "attachment": draw(
            st.sampled_from(["", "", "a.pdf", "sub/b.png", "a.pdf;sub/b.png", "../../x", "../y"])
        ),
        "note": draw(
            st.one_of(
                st.just(""),
                st.builds(lambda a, b: a + b, prefix, plain),
                st.builds(lambda a, b: f"{a}\n{b}", plain, plain),
                st.builds(lambda a, b: f"{a}\r\n{b}", plain, plain),
            )
        ),
        "status": draw(st.sampled_from(["", "done", "planned", "已完成", "计划", "计划中"])),
    }


@st.composite
def headers(draw: st.DrawFn, *, clean: bool = False) -> list[str]:
    """Mostly a good header (keys or labels, any order), sometimes random words."""
    if not clean and draw(st.integers(0, 3)) == 0:
        return draw(st.lists(st.sampled_from(WORDS) | st.text(max_size=8), max_size=8))
    optional = [k for k in COLUMNS if k not in REQUIRED]
    needed = ["component", "item", "quantity"] if clean else []  # what every shape can fill
    keys = [*REQUIRED, *needed]
    keys += draw(st.lists(st.sampled_from([k for k in optional if k not in keys]), unique=True))
    keys = draw(st.permutations(keys))
    spelled = [
        draw(st.sampled_from([key, FIELD_LABELS[key], key.upper(), f" {FIELD_LABELS[key]} "]))
        for key in keys
    ]
    if draw(st.booleans()) and spelled:
        spelled[0] = "\ufeff" + spelled[0]
    return spelled


@st.composite
def tables(
    draw: st.DrawFn, cells: st.SearchStrategy[object], *, clean: bool = False
) -> list[list[object]]:
    """A header and rows of good values; unless ``clean``, some cells made hostile."""
    header = draw(headers(clean=clean))
    keys = [header_key(h) if h.strip() else None for h in header]
    rows = draw(st.lists(valid_rows(), min_size=int(clean), max_size=5))
    matrix: list[list[object]] = [list(header)]
    for row in rows:
        matrix.append([row.get(k, "") if k else draw(cells) for k in keys])
    for _ in range(0 if clean else draw(st.integers(0, 4))):
        i = draw(st.integers(0, len(matrix) - 1))
        line = matrix[i]
        where = draw(st.integers(0, len(line)))
        value = draw(cells)
        if where == len(line):
            line.append(value)  # a cell beyond the header
        else:
            line[where] = value
    if draw(st.integers(0, 5)) == 0:
        matrix.insert(draw(st.integers(0, len(matrix))), [])  # a blank line
    return matrix


ENCODINGS = ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le", "latin-1"]


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """CSV bytes: a good table (a third of the time), a mutated one, or plain noise."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=2_000))
    clean = draw(st.integers(0, 2)) == 0
    matrix = draw(tables(hostile, clean=clean))
    buf = io.StringIO(newline="")
    if not clean and draw(st.integers(0, 4)) == 0:  # hand-made, no quoting at all
        buf.write("\n".join(",".join(str(c) for c in line) for line in matrix))
    else:
        writer = csv.writer(
            buf,
            lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"])),
            quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])),
        )
        writer.writerows(matrix)
    encodings = ENCODINGS[:4] if clean else ENCODINGS
    data = buf.getvalue().encode(draw(st.sampled_from(encodings)), errors="replace")
    if not clean and draw(st.integers(0, 9)) == 0:
        data += draw(st.binary(min_size=1, max_size=8))
    return data


xlsx_cells = st.one_of(
    hostile.map(_strip_illegal),
    st.integers(-(2**40), 2**40),
    st.floats(),
    st.dates(date(1900, 1, 1), date(9999, 12, 31)),
    st.datetimes(datetime(1900, 1, 1), datetime(9999, 12, 31)),
    st.times(),
    st.builds(timedelta, seconds=st.integers(0, 10**8)),
    st.booleans(),
    st.none(),
    st.sampled_from(["=1/0", "=SUM(A1:A3)", "=cmd|' /C calc'!A0", "=A1", '=T("指标")']),
)


def _typed(value: object, draw: st.DrawFn) -> object:
    """A good text cell as Excel might hold it: numbers and dates as such."""
    if not isinstance(value, str):
        return value
    text = value
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) and draw(st.booleans()):
        with contextlib.suppress(ValueError):  # 2024-02-30 stays text
            day = date.fromisoformat(text)
            return draw(st.sampled_from([day, datetime(day.year, day.month, day.day)]))
    if re.fullmatch(r"\d{1,15}", text) and draw(st.booleans()):
        return draw(st.sampled_from([int(text), float(text)]))
    if text in ("是", "否") and draw(st.booleans()):
        return text == "是"
    return _strip_illegal(text)


@st.composite
def xlsx_files(draw: st.DrawFn) -> bytes:
    """A workbook: typed cells, formulas, several sheets, sometimes an empty first sheet."""
    clean = draw(st.integers(0, 2)) == 0
    matrix = draw(tables(xlsx_cells, clean=clean))
    if not clean and draw(st.integers(0, 3)) == 0 and matrix[0]:  # header cells that are not text
        i = draw(st.integers(0, len(matrix[0]) - 1))
        matrix[0][i] = draw(st.one_of(st.integers(), st.dates(), st.booleans(), st.none()))
    book = Workbook()
    first = book.active
    if not clean and draw(st.integers(0, 7)) == 0:
        first = book.create_sheet("第二页")  # the data is not on the first sheet
    for line in matrix:
        first.append([_typed(v, draw) for v in line])
    for n in range(draw(st.integers(0, 2))):
        extra = book.create_sheet(f"其他{n}")
        for line in draw(st.lists(st.lists(xlsx_cells, max_size=4), max_size=3)):
            extra.append(line)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _base_xlsx() -> bytes:
    book = Workbook()
    book.active.append(["指标", "日期", "责任单位", "标题"])
    book.active.append(["3.1", date(2024, 5, 3), "法规科", "基础"])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


BASE_XLSX = _base_xlsx()
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _sheet(cells: str, doctype: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}'
        f"<worksheet {NS}><sheetData>{cells}</sheetData></worksheet>"
    ).encode()


BAD_SHEETS = [
    _sheet('<row r="1"><c r="A1" t="n"><v>abc</v></c></row>'),
    _sheet('<row r="1"><c r="A1" t="d"><v>2024-02-30</v></c></row>'),
    _sheet('<row r="1"><c r="A1" t="s"><v>999</v></c></row>'),
    _sheet('<row r="1"><c r="A1" t="b"><v>2</v></c></row>'),
    _sheet('<row r="1"><c r="ZZZZZZ1"><v>1</v></c></row>'),
    _sheet('<row r="x"><c r="A1"><v>1</v></c></row>'),
    _sheet('<row r="1"><c r="A1" t="n"><v>1e999</v></c></row>'),
    _sheet('<row r="1"><c r="A1" t="e"><v>#REF!</v></c></row>'),
    _sheet(
        '<row r="1"><c r="A1"><v>5</v></c><c r="B1" t="inlineStr"><is><t>指标</t></is></c></row>'
    ),
    _sheet(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row>',
        '<!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    ),
    _sheet(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row>',
        '<!DOCTYPE w [<!ENTITY e SYSTEM "http://192.0.2.1/x">]>',
    ),
    _sheet(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&c;</t></is></c></row>',
        '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
    ),
    b"<worksheet><sheetData><row><c><v>1</v>",
    b"not xml at all",
    b"",
]
MEMBERS = [
    "xl/worksheets/sheet1.xml",
    "xl/workbook.xml",
    "xl/styles.xml",
    "[Content_Types].xml",
    "xl/_rels/workbook.xml.rels",
    "docProps/app.xml",
]


def _replace_member(data: bytes, member: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename != member:
                dst.writestr(info, src.read(info))
        dst.writestr(member, content)
    return out.getvalue()


@st.composite
def broken_xlsx(draw: st.DrawFn) -> bytes:
    """Not quite a workbook: truncated, bit-flipped, a part replaced, or not a zip at all."""
    how = draw(st.sampled_from(["truncate", "flip", "member", "member", "noise", "csv"]))
    if how == "truncate":
        return BASE_XLSX[: draw(st.integers(0, len(BASE_XLSX) - 1))]
    if how == "flip":
        data = bytearray(BASE_XLSX)
        for _ in range(draw(st.integers(1, 8))):
            i = draw(st.integers(0, len(data) - 1))
            data[i] ^= draw(st.integers(1, 255))
        return bytes(data)
    if how == "member":
        content = draw(st.sampled_from(BAD_SHEETS) | st.binary(max_size=200))
        return _replace_member(BASE_XLSX, draw(st.sampled_from(MEMBERS)), content)
    if how == "noise":
        return draw(st.binary(max_size=500))
    return "指标,日期,责任单位,标题\n3.1,2024-05-03,法规科,其实是 CSV\n".encode()


# --- the sandbox and what must hold ---------------------------------------------------------


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Store folders to copy: ``empty`` and ``filled`` (records, an attachment, history)."""
    base = tmp_path_factory.mktemp("templates")
    empty = base / "empty" / "s.db"
    Store.create(empty, 2024)[0].close()
    filled = base / "filled" / "s.db"
    shutil.copytree(empty.parent, filled.parent)
    src = base / "src"
    src.mkdir()
    (src / "base.pdf").write_bytes(b"%PDF-1.4 base")
    (src / "base.csv").write_text(
        "编号,指标,日期,责任单位,标题,备注,附件\n"
        "base-1,3.1,2024-05-03,法规科,基础记录,,base.pdf\n"
        "base-2,1.3,2024-03-05,政策研究室,=公式标题,@提醒,\n",
        encoding="utf-8",
    )
    with Store.open(filled) as store:
        import_file(store, src / "base.csv", today=TODAY)
    return {"empty": empty.parent, "filled": filled.parent}


@contextlib.contextmanager
def sandbox(template: Path) -> Iterator[Path]:
    """A temporary tree: ``store/`` (a copy of ``template``), ``in/``, ``x``, ``cwd/``."""
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        root = Path(tmp)
        shutil.copytree(template, root / "store")
        for rel, data in INPUT_FILES.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)
        (root / "in" / "deep" / "link.pdf").symlink_to(root / "x")
        (root / "cwd").mkdir()
        yield root


def tree(root: Path) -> dict[str, tuple[str, ...]]:
    """Every file, folder and link under ``root`` with its content."""
    out: dict[str, tuple[str, ...]] = {}
    for folder, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                out[rel] = ("link", os.readlink(path))
            elif stat.S_ISDIR(mode):
                out[rel] = ("dir",)
            else:
                out[rel] = ("file", hashlib.sha256(path.read_bytes()).hexdigest())
    return out


def changed(before: dict[str, tuple[str, ...]], after: dict[str, tuple[str, ...]]) -> set[str]:
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


def db_state(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table: what a refusal must leave alone."""
    return {t: store.conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in TABLES}


def dump(store: Store) -> list[dict[str, object]]:
    return [r.model_dump() for r in store.records()]


def _event(label: str) -> None:
    """Count outcomes in ``--hypothesis-show-statistics`` (outside a property, nothing)."""
    if currently_in_test_context():
        event(label)


def check_errors(exc: InterchangeError) -> None:
    assert isinstance(exc.errors, list) and exc.errors
    for line in exc.errors:
        assert isinstance(line, str) and line
        assert CHINESE.search(line), line


def check_import(
    templates: dict[str, Path], name: str, data: bytes, round_trip: str | None = None
) -> SaveResult | InterchangeError:
    """Import ``data`` saved as ``in/deep/<name>`` and check every promise; returns the answer."""
    with sandbox(templates["filled"]) as root:
        path = root / "in" / "deep" / name
        path.write_bytes(data)
        store = Store.open(root / "store" / "s.db")
        try:
            before_db, before_tree = db_state(store), tree(root)
            with contextlib.chdir(root / "cwd"):
                try:
                    answer: SaveResult | InterchangeError = import_file(store, path, today=TODAY)
                except InterchangeError as exc:
                    answer = exc
            diff = changed(before_tree, tree(root))
            if isinstance(answer, InterchangeError):
                _event("refused")
                check_errors(answer)
                assert db_state(store) == before_db
                assert diff <= DB_FILES, sorted(diff)
                return answer
            assert isinstance(answer, SaveResult)
            _event("accepted" if answer.changed else "accepted, nothing new")
            outside = {k for k in diff - DB_FILES if not (k + "/").startswith(ATTACHMENTS + "/")}
            assert not outside, sorted(outside)
            stored = root / ATTACHMENTS
            if stored.is_dir():
                assert all(STORED_NAME.match(p.name) for p in stored.iterdir())
            for (sha,) in store.conn.execute("SELECT sha256 FROM evidence_attachments"):
                kept = store.attachment_path(sha)
                assert kept is not None and kept.is_file()
            if round_trip:
                check_round_trip(store, root, templates["empty"], round_trip)
            return answer
        finally:
            store.close()


def check_round_trip(store: Store, root: Path, empty: Path, suffix: str) -> None:
    """Export everything, import it into an empty store: the same records come back."""
    out = root / "out" / f"交换{suffix}"
    assert export_evidence(store, out) == store.count()
    shutil.copytree(empty, root / "again")
    with Store.open(root / "again" / "s.db") as again:
        import_file(again, out, today=TODAY)
        assert dump(again) == dump(store)


# --- the properties -------------------------------------------------------------------------

CSV_NAMES = st.sampled_from(["ev.csv", "EV.CSV", "=cmd|calc.csv", "-1.csv", "佐证 材料.csv"])
XLSX_NAMES = st.sampled_from(["ev.xlsx", "EV.XLSX", "@SUM(1).xlsx", "佐证.xlsx"])
OUT = st.sampled_from([".csv", ".xlsx"])
HEADER = "编号,指标,事项,对象,日期,责任单位,标题,备注,附件\n"
REGRESSIONS = [
    (HEADER + "r1,3.1,,,2024-05-03,法规科,长附件名,," + "a" * 300).encode(),
    (HEADER + "r1,3.1,,,2024-05-03,法规科,控制,a\x1bb,").encode(),
    (HEADER + 'r1,3.1,,,2024-05-03,法规科,回车,"a\rb",').encode(),
    (HEADER + "r1,3.1,,,2024-05-03,法规科,''=x,''@y,").encode(),
]
"""The cases behind the fixes in ``interchange`` (a crash, an export crash, a lossy round trip)."""


@settings(SLOW, max_examples=200)
@given(data=csv_files(), name=CSV_NAMES, out=OUT)
@example(data=REGRESSIONS[0], name="ev.csv", out=".csv")
@example(data=REGRESSIONS[1], name="ev.csv", out=".xlsx")
@example(data=REGRESSIONS[2], name="ev.csv", out=".xlsx")
@example(data=REGRESSIONS[3], name="ev.csv", out=".csv")
def test_hostile_csv_is_refused_cleanly_or_round_trips(
    templates: dict[str, Path], data: bytes, name: str, out: str
) -> None:
    check_import(templates, name, data, round_trip=out)


@settings(SLOW, max_examples=100)
@given(data=xlsx_files(), name=XLSX_NAMES, out=OUT)
def test_hostile_xlsx_is_refused_cleanly_or_round_trips(
    templates: dict[str, Path], data: bytes, name: str, out: str
) -> None:
    check_import(templates, name, data, round_trip=out)


@settings(SLOW, max_examples=80)
@given(data=broken_xlsx())
def test_broken_xlsx_is_refused_cleanly(templates: dict[str, Path], data: bytes) -> None:
    check_import(templates, "ev.xlsx", data)


def _xlsx(rows: list[list[object]], *, first_empty: bool = False) -> bytes:
    book = Workbook()
    sheet = book.create_sheet("数据") if first_empty else book.active
    for row in rows:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


NASTY: dict[str, tuple[str, bytes]] = {
    "formula-and-bad-date": (
        "ev.csv",
        (HEADER + "r1,3.1,,,2024-02-30,法规科,\"=cmd|' /C calc'!A0\",,\n").encode(),
    ),
    "climbing-attachment": (
        "ev.csv",
        (HEADER + "r1,3.1,,,2024-05-03,法规科,t,,../../nope\n").encode(),
    ),
    "long-attachment-name": (
        "ev.csv",
        (HEADER + "r1,3.1,,,2024-05-03,法规科,t,," + "长" * 120 + "\n").encode(),
    ),
    "control-characters": (
        "ev.csv",
        (HEADER + "r1,3.1,,,2024-05-03,法规科,t,\x1b[2J\x07,\n").encode(),
    ),
    "nul-byte": ("ev.csv", (HEADER + "r1,3.1,,,2024-05-03,法规科,t\x00,,\n").encode()),
    "utf-16": ("ev.csv", (HEADER + "r1,3.1,,,2024-05-03,法规科,t,,\n").encode("utf-16")),
    "huge-cell": (
        "ev.csv",
        (HEADER + "r1,3.1,,,2024-05-03,法规科," + "长" * 100_000 + ",,\n").encode(),
    ),
    "field-over-csv-limit": (
        "ev.csv",
        (HEADER + "r1,3.1,,,2024-05-03,法规科,t," + "a" * 140_000 + ",\n").encode(),
    ),
    "random-bytes-xlsx": ("ev.xlsx", bytes(range(256)) * 4),
    "number-in-xlsx-header": ("ev.xlsx", _xlsx([[5, "指标", "日期", "责任单位", "标题"]])),
    "date-in-xlsx-header": (
        "ev.xlsx",
        _xlsx([[date(2024, 1, 1), "指标", "日期", "责任单位", "标题"]]),
    ),
    "empty-first-sheet": (
        "ev.xlsx",
        _xlsx([["指标", "日期", "责任单位", "标题"]], first_empty=True),
    ),
    "bad-number-in-sheet-xml": (
        "ev.xlsx",
        _replace_member(BASE_XLSX, "xl/worksheets/sheet1.xml", BAD_SHEETS[0]),
    ),
    "no-worksheet-at-all": ("ev.xlsx", _replace_member(BASE_XLSX, "xl/workbook.xml", b"")),
}


@pytest.mark.parametrize("case", list(NASTY), ids=list(NASTY))
def test_nasty_files_are_refused_in_process(templates: dict[str, Path], case: str) -> None:
    name, data = NASTY[case]
    answer = check_import(templates, name, data)
    assert isinstance(answer, InterchangeError)
    assert "field larger than" not in "".join(answer.errors)  # csv's own English, translated


@pytest.mark.parametrize("case", list(NASTY), ids=list(NASTY))
def test_nasty_files_through_the_command_line(run_cli, tmp_path: Path, case: str) -> None:
    name, data = NASTY[case]
    assert run_cli("init", "--year", "2024").code == 0
    path = tmp_path / "in" / "deep" / name
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    with Store.open(run_cli.db) as store:
        before = db_state(store)
    before_tree = tree(tmp_path)

    result = run_cli("import", path, proc=True)

    assert result.code == 2, result.err
    assert "Traceback" not in result.err
    assert CHINESE.search(result.err), result.err
    assert "导入失败" in result.err or "不是" in result.err or "无法" in result.err
    assert result.out == ""
    with Store.open(run_cli.db) as store:
        assert db_state(store) == before
    names = {f"store/{run_cli.db.name}{s}" for s in ("", "-wal", "-shm")}
    diff = changed(before_tree, tree(tmp_path))
    diff = {k for k in diff if not k.startswith("store/backups")}  # the store's daily backup
    assert diff <= names, sorted(diff)


def test_a_refused_file_leaves_no_new_store_behind(run_cli, tmp_path: Path) -> None:
    name, data = NASTY["number-in-xlsx-header"]
    path = tmp_path / name
    path.write_bytes(data)
    result = run_cli("import", path, proc=True)
    assert result.code == 2 and "Traceback" not in result.err, result.err
    assert not run_cli.db.parent.exists()


@pytest.mark.parametrize("template", ["filled", "empty"])
def test_a_write_that_fails_after_copying_leaves_the_attachments_folder_alone(
    templates: dict[str, Path], monkeypatch: pytest.MonkeyPatch, template: str
) -> None:
    """The files are copied in before the one transaction; a failed write takes them out."""

    def busy(*args: object, **kwargs: object) -> SaveResult:
        raise StoreError("写入数据库失败：数据库正被其他程序写入，请稍后再试")

    monkeypatch.setattr(Store, "save_many", busy)
    data = (HEADER + "r9,3.1,,,2024-05-03,法规科,新附件,,a.pdf;sub/b.png\n").encode()
    with sandbox(templates[template]) as root:
        path = root / "in" / "deep" / "ev.csv"
        path.write_bytes(data)
        with Store.open(root / "store" / "s.db") as store:
            before_db, before_tree = db_state(store), tree(root)
            with pytest.raises(StoreError, match="正被其他程序写入"):
                import_file(store, path, today=TODAY)
            assert db_state(store) == before_db
        assert changed(before_tree, tree(root)) <= DB_FILES


# --- export neutralisation ------------------------------------------------------------------

TRICKY = [
    "=cmd|' /C calc'!A0",
    "+1",
    "-1",
    "@SUM(1)",
    "'=1+1",
    "''@x",
    "'-",
    "=",
    "'",
    "'普通",
    "普通 =1",
]


def _formula_like(text: str) -> bool:
    return bool(re.match(r"'*[=+\-@]", text))


@pytest.fixture
def tricky_store(tmp_path: Path) -> Iterator[Store]:
    """Records whose title, note and item are the TRICKY texts, saved as the form saves them."""
    store, _ = Store.create(tmp_path / "tricky" / "s.db", 2024)
    for n, text in enumerate(TRICKY):
        record = make_evidence(
            store.catalog,
            {
                "id": f"t{n}",
                "indicator": "3.2",
                "item": text,
                "date": "2024-05-03",
                "department": "法规科",
                "title": text,
                "note": text,
            },
        )
        store.save(record, [])
    yield store
    store.close()


def _exported_cells(path: Path) -> list[list[object]]:
    if path.suffix == ".csv":
        text = path.read_bytes().decode("utf-8-sig")
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""))]
    book = load_workbook(path)
    try:
        cells = list(book.worksheets[0].iter_rows())
        assert all(c.data_type != "f" for row in cells for c in row)
        return [[c.value for c in row] for row in cells]
    finally:
        book.close()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_exported_formula_cells_are_neutralised_and_read_back_exactly(
    tricky_store: Store, tmp_path: Path, suffix: str
) -> None:
    out = tmp_path / "out" / f"evidence{suffix}"
    assert export_evidence(tricky_store, out) == len(TRICKY)
    cells = _exported_cells(out)
    header = cells[0]
    col = {key: header.index(FIELD_LABELS[key]) for key in ("id", "item", "title", "note")}
    by_id = {row[col["id"]]: row for row in cells[1:]}
    for n, text in enumerate(TRICKY):
        row = by_id[f"t{n}"]
        for key in ("item", "title", "note"):
            expected = "'" + text if _formula_like(text) else text
            assert row[col[key]] == expected, (key, text)
    for row in cells[1:]:
        for value in row:
            assert not (isinstance(value, str) and value.startswith(FORMULA_START)), value

    again, _ = Store.create(tmp_path / "again" / "s.db", 2024)
    with again:
        import_file(again, out, today=TODAY)
        assert dump(again) == dump(tricky_store)
        assert {r.id: (r.title, r.note, r.item) for r in again.records()} == {
            f"t{n}": (text, text, text) for n, text in enumerate(TRICKY)
        }


@given(st.text())
@example("'=1")
@example("''@x")
@example("-")
def test_neutralise_then_read_gives_back_the_text(text: str) -> None:
    text = text.strip().replace("\r\n", "\n").replace("\r", "\n")  # as a cell is read
    written = neutralise(text)
    assert not written.startswith(FORMULA_START)
    assert interchange._cell(written) == text  # what reading a cell does


def test_a_stored_control_character_does_not_stop_the_xlsx_export(tmp_path: Path) -> None:
    """Imports and the form refuse control characters, but a store from elsewhere may hold one."""
    store, _ = Store.create(tmp_path / "s" / "s.db", 2024)
    with store:
        fields = {"id": "c1", "indicator": "3.1", "date": "2024-05-03", "department": "法规科"}
        record = make_evidence(store.catalog, {**fields, "title": "控制"})
        store.save(record.model_copy(update={"note": "a\x1bb"}), [])
        assert export_evidence(store, tmp_path / "out" / "e.xlsx") == 1
        assert export_evidence(store, tmp_path / "out" / "e.csv") == 1
    note = FIELD_LABELS["note"]
    for suffix, expected in ((".xlsx", "a\ufffdb"), (".csv", "a\x1bb")):
        header, row = _exported_cells(tmp_path / "out" / f"e{suffix}")
        assert row[header.index(note)] == expected


@pytest.mark.parametrize(
    "name",
    ["长" * 200 + ".pdf", "a" * 300, "😀" * 100 + ".jpeg", "../../etc/passwd", "..", "C:\\x;y"],
)
def test_exported_attachment_names_fit_any_file_system(name: str) -> None:
    safe = safe_name(name)
    assert 0 < len(safe.encode("utf-8")) <= 255
    assert not set(safe) & set("/\\:;") and safe not in (".", "..")
    if name.endswith((".pdf", ".jpeg")):
        assert safe.endswith(name[name.rindex(".") :])
