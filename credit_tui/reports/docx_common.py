"""What the Word documents share: the look of a government document (A4 portrait, 方正小标宋
title, 黑体 headings, 仿宋 body, sizes by the Chinese names 二号/三号/四号), tables that
repeat their header row on each page, a page number in the footer, atomic saving.

Fonts are named with their East Asian name set (``w:eastAsia``), so Word and WPS use them
for Chinese text; the document's font table names a common substitute for each
(``w:altName``), used where the first is not installed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from credit_tui.interchange.sheets import write_atomically

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

SIZES = {"二号": 22.0, "三号": 16.0, "四号": 14.0, "小四": 12.0, "五号": 10.5}
"""Chinese type sizes in points."""
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
BODY_FONT = "仿宋_GB2312"
LATIN_FONT = "Times New Roman"
FALLBACKS = {
    TITLE_FONT: "华文中宋",
    HEADING_FONT: "SimHei",
    SUBHEADING_FONT: "楷体",
    BODY_FONT: "仿宋",
}
"""Each font's substitute, written as its ``w:altName`` in the font table."""


def set_font(run: Run, family: str, size: float, *, bold: bool = False) -> None:
    """The run in ``family`` (East Asian and Latin alike) at ``size`` points."""
    run.font.name = family
    run.font.size = Pt(size)
    run.font.bold = bold
    _east_asian(run._element.get_or_add_rPr(), family)


def _east_asian(rpr, family: str) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), family)


def new_document() -> DocumentObject:
    """An empty A4 portrait document in the government-document look, page numbers below."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(SIZES["三号"])
    _east_asian(normal.element.get_or_add_rPr(), BODY_FONT)
    normal.paragraph_format.line_spacing = 1.25
    normal.paragraph_format.space_after = Pt(0)
    for name, family, size in (
        ("Title", TITLE_FONT, SIZES["二号"]),
        ("Heading 1", HEADING_FONT, SIZES["三号"]),
        ("Heading 2", SUBHEADING_FONT, SIZES["三号"]),
        ("Heading 3", BODY_FONT, SIZES["三号"]),
    ):
        style = styles[name]
        style.font.name = family
        style.font.size = Pt(size)
        style.font.bold = name in ("Heading 2", "Heading 3")
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        _east_asian(style.element.get_or_add_rPr(), family)
        fmt = style.paragraph_format
        fmt.space_before = Pt(12 if name != "Title" else 0)
        fmt.space_after = Pt(6)
        fmt.keep_with_next = True
    _title_border_off(styles["Title"])
    _page_number(section)
    _font_table(doc)
    return doc


def _title_border_off(style) -> None:
    """The default template's Title has a rule under it; a 公文 title has none."""
    ppr = style.element.find(qn("w:pPr"))
    if ppr is not None:
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)


def _page_number(section) -> None:
    """``— 1 —`` centred in the footer, a PAGE field."""
    para = section.footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(para.add_run("— "), LATIN_FONT, SIZES["四号"])
    run = para.add_run()
    set_font(run, LATIN_FONT, SIZES["四号"])
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1")):
        if kind is not None:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == "1":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)
    set_font(para.add_run(" —"), LATIN_FONT, SIZES["四号"])


def _font_table(doc: DocumentObject) -> None:
    """Name each Chinese font in the font table with its substitute."""
    from lxml import etree

    part = doc.part.part_related_by(RT.FONT_TABLE)
    root = etree.fromstring(part.blob)
    for family, alt in FALLBACKS.items():
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), family)
        alt_el = etree.SubElement(font, qn("w:altName"))
        alt_el.set(qn("w:val"), alt)
        charset = etree.SubElement(font, qn("w:charset"))
        charset.set(qn("w:val"), "86")  # GB2312
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def title(doc: DocumentObject, text: str) -> Paragraph:
    """The document's title: 二号 方正小标宋, centred."""
    para = doc.add_paragraph(style="Title")
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(para.add_run(text), TITLE_FONT, SIZES["二号"])
    return para


def heading(doc: DocumentObject, text: str, level: int = 1) -> Paragraph:
    """``一、…`` in 黑体 (level 1), ``（一）…`` in 楷体 (2), bold 仿宋 (3); 三号."""
    para = doc.add_heading(level=level)
    family = {1: HEADING_FONT, 2: SUBHEADING_FONT}.get(level, BODY_FONT)
    set_font(para.add_run(text), family, SIZES["三号"], bold=level > 1)
    return para


def paragraph(
    doc: DocumentObject,
    text: str = "",
    *,
    size: float = SIZES["三号"],
    indent: bool = True,
    align: str = "justify",
    bold: bool = False,
) -> Paragraph:
    """A body paragraph in 仿宋, first line indented two characters."""
    para = doc.add_paragraph()
    para.alignment = {
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
    }[align]
    if indent:
        para.paragraph_format.first_line_indent = Pt(size * 2)
    if text:
        set_font(para.add_run(text), BODY_FONT, size, bold=bold)
    return para


def table(
    doc: DocumentObject,
    header: Sequence[str] | None,
    rows: Sequence[Sequence[str]],
    widths_cm: Sequence[float],
    *,
    size: float = SIZES["四号"],
    bold_first_column: bool = False,
) -> Table:
    """A boxed table, its header row (bold 黑体) repeated on every page, cells in 仿宋."""
    count = len(rows) + (1 if header else 0)
    tbl = doc.add_table(rows=count, cols=len(widths_cm))
    tbl.style = "Table Grid"
    tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl.autofit = False
    for i, w in enumerate(widths_cm):
        tbl.columns[i].width = Cm(w)  # the grid, which LibreOffice and WPS lay out by
    all_rows = ([list(header)] if header else []) + [list(r) for r in rows]
    for r, values in enumerate(all_rows):
        row = tbl.rows[r]
        is_header = bool(header) and r == 0
        # the header repeats on every page; a body row is kept on one page (a row split
        # over a page break prints its cells' halves apart from their labels)
        tr_pr = row._tr.get_or_add_trPr()
        flag = OxmlElement("w:tblHeader" if is_header else "w:cantSplit")
        flag.set(qn("w:val"), "true")
        tr_pr.append(flag)
        for c, value in enumerate(values):
            cell = row.cells[c]
            cell.width = Cm(widths_cm[c])
            lines = str(value).split("\n")
            para = cell.paragraphs[0]
            for i, line in enumerate(lines):
                if i:
                    para = cell.add_paragraph()
                para.paragraph_format.line_spacing = 1.1
                if is_header:
                    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    set_font(para.add_run(line), HEADING_FONT, size)
                else:
                    bold = bold_first_column and c == 0
                    set_font(para.add_run(line), BODY_FONT, size, bold=bold)
    return tbl


def save(doc: DocumentObject, out: Path) -> None:
    """Save through a temporary file (never half a document)."""
    write_atomically(Path(out), lambda tmp: doc.save(str(tmp)))


def check_suffix(out: Path, allowed: Sequence[str], what: str) -> None:
    """Refuse a file type the document cannot be written as (a Chinese message)."""
    from credit_tui.interchange.evidence_format import InterchangeError

    if Path(out).suffix.lower() not in allowed:
        raise InterchangeError(
            [f"{out}：不支持的文件类型“{Path(out).suffix}”，{what}应为 {'、'.join(allowed)}"]
        )
