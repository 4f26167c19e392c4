"""The print check: every document printed to PDF by LibreOffice (one soffice run for all of
them, a private profile), then read back with pdftotext — nothing clipped, nothing tiny.

Needs ``soffice`` and ``pdftotext`` (``apt-get install libreoffice-calc-nogui
libreoffice-writer-nogui poppler-utils``; ``.ci/run`` installs them when it can).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from credit_tui.cli.entry import main
from credit_tui.reports.ledger import WIDTHS as LEDGER_WIDTHS
from credit_tui.reports.ledger import build_ledger
from credit_tui.reports.self_assessment import WIDTHS as SA_WIDTHS
from credit_tui.service.demo import build_demo
from credit_tui.store.database import Store

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) 或 poppler-utils (pdftotext) 未安装，跳过打印检查",
)

DOCS = {
    "自评表": ["export", "self-assessment", "--out", "自评表.xlsx"],
    "台账": ["export", "ledger", "--month", "2024-06", "--out", "台账.xlsx"],
    "模板": ["export", "template", "--department", "客运科", "--out", "模板.xlsx"],
    "自评报告": ["export", "self-assessment", "--out", "自评报告.docx"],
    "会议报告": ["report", "--out", "会议报告.docx"],
    "督办通知": ["export", "notice", "--department", "法规科", "--as-of", "2024-07-20",
             "--out", "督办通知.docx"],
}  # fmt: skip
_CJK_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the demo store, the folder with every document and its PDF)."""
    root = tmp_path_factory.mktemp("print")
    db = root / "demo.db"
    build_demo(db).close()
    out = root / "docs"
    out.mkdir()
    files = []
    for args in DOCS.values():
        target = out / args[-1]
        assert main(["--db", str(db), "--today", "2024-07-15", *args[:-1], str(target)]) == 0
        files.append(str(target))
    profile = (root / "profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), *files],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return db, out


def pdf(folder: Path, name: str) -> Path:
    path = folder / (Path(DOCS[name][-1]).stem + ".pdf")
    assert path.is_file(), f"{path} was not printed"
    return path


def text_of(path: Path) -> str:
    """The PDF's text with every space and line break taken out (wrapping adds them)."""
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return re.sub(r"\s+", "", done.stdout.decode())


def pages(path: Path) -> int:
    done = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True)
    return int(re.search(rb"Pages:\s+(\d+)", done.stdout).group(1))


def cjk_sizes(path: Path) -> list[float]:
    """The size of each word of Chinese characters: its width over its characters (a Chinese
    character is as wide as its font size)."""
    done = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True)
    sizes = []
    for x0, x1, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
        done.stdout.decode(),
    ):
        if _CJK_WORD.fullmatch(word):
            sizes.append((float(x1) - float(x0)) / len(word))
    return sizes


def sa_widths() -> tuple[float, ...]:
    return SA_WIDTHS


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def words(path: Path) -> list[tuple[int, float, float, float, str]]:
    """(page, y, x0, x1, text) of every word, in reading order."""
    done = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True)
    out = []
    for page, body in enumerate(done.stdout.decode().split("<page ")[1:], start=1):
        for x0, y0, x1, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
            body,
        ):
            out.append((page, float(y0), float(x0), float(x1), word))
    return sorted(out)


def column_text(
    path: Path, widths: tuple[float, ...], column: int, anchors: tuple[tuple[int, str], ...]
) -> str:
    """The squeezed text printed in one column of a sheet, top to bottom, page by page.

    Two left-aligned cells of the first row (column index, text) fix where the table's
    columns start on paper: the distance between them over their widths is the width
    unit, which places every other column's edges."""
    found = []
    for col, text in anchors:
        hit = next(w for w in words(path) if len(w[4]) >= 2 and squeeze(text).startswith(w[4]))
        found.append((col, hit[2]))
    (ca, xa), (cb, xb) = found
    unit = (xb - xa) / sum(widths[ca:cb])
    left = xa + unit * sum(widths[ca:column]) - 1
    right = left + unit * widths[column]
    return "".join(w[4] for w in words(path) if left <= w[2] and w[3] <= right + 2)


@pytest.mark.parametrize("name", list(DOCS))
def test_no_text_below_nine_points(printed, name: str) -> None:
    sizes = cjk_sizes(pdf(printed[1], name))
    assert len(sizes) > 10
    assert min(sizes) >= 9.0, f"{name}: {min(sizes):.1f} pt"


def test_every_criterion_is_whole_in_the_printed_self_assessment(printed) -> None:
    db, folder = printed
    path = pdf(folder, "自评表")
    assert pages(path) > 1  # the old sheet squeezed onto one page
    with Store.open(db) as store:
        catalog = store.catalog
        first = catalog.indicators[0]
        criteria = [ind.criteria for ind in catalog.indicators]
    anchors = ((0, f"{catalog.display_code(first.code)} {first.name}"), (1, first.criteria))
    text = column_text(path, sa_widths(), 1, anchors)
    assert len(criteria) == 23
    missing = [c[:20] for c in criteria if squeeze(c) not in text]
    assert missing == []
    assert "第1页共" in text_of(path)


def test_every_ledger_line_is_whole_in_print(printed) -> None:
    db, folder = printed
    from datetime import date

    with Store.open(db) as store:
        ledger = build_ledger(store, date(2024, 6, 1), today=date(2024, 7, 15))
    first = ledger.rows[0]
    anchors = ((1, first.indicator), (2, first.task))
    path = pdf(folder, "台账")
    progress = column_text(path, LEDGER_WIDTHS, 5, anchors)
    remarks = column_text(path, LEDGER_WIDTHS, 8, anchors)
    lines = [(line, progress) for row in ledger.rows for line in row.progress]
    lines += [(line, remarks) for row in ledger.rows for line in row.remarks]
    assert len(lines) > 10
    assert [line for line, text in lines if squeeze(line) not in text] == []


def test_the_word_documents_print_whole(printed) -> None:
    db, folder = printed
    report = text_of(pdf(folder, "自评报告"))
    with Store.open(db) as store:
        catalog = store.catalog
        for ind in catalog.indicators:
            assert squeeze(f"{catalog.display_code(ind.code)}{ind.name}") in report
            assert squeeze(ind.criteria) in report, ind.code
    assert pages(pdf(folder, "自评报告")) > 3
    notice = text_of(pdf(folder, "督办通知"))
    for words in ("“信用交通县”创建工作督办通知", "法规科：", "缺宣传部门", "7月尚无佐证材料"):
        assert words in notice
    # the full name heads it; 法规科's 20 重点任务 checks (4 scored items before them) run it
    # over several pages, the last check and the signature still printed
    assert "济南市钢城区城乡交通运输局" in notice
    assert "不计分" in notice and squeeze("（六）加强事后信用奖惩") in notice
    assert "7月尚无完成记录" in notice and "法规科（信用工作办公室）2024年7月20日" in notice
    assert pages(pdf(folder, "督办通知")) > 1
    meeting = text_of(pdf(folder, "会议报告"))
    assert "各责任单位任务情况" in meeting and "7月（截至15日）" in meeting
