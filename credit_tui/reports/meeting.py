"""The meeting report (.html, .md or .docx): the score as of a date, ready to print or send.

Contents: the totals (with the year-end projection when records are planned),
the score table by category and indicator, the month-end trend as an inline SVG
bar chart, lost points with their reasons, overdue and upcoming deadlines, and
the departments' loads. The HTML is one self-contained file: no script, no
external resource, a print stylesheet for A4. The Markdown carries the same
numbers, with the trend as a text table. What it shows is gathered in ``meeting_data``;
each format is written by ``meeting_html``, ``meeting_md`` and ``meeting_docx``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from credit_tui.interchange.evidence_format import InterchangeError
from credit_tui.interchange.sheets import write_atomically
from credit_tui.reports.meeting_data import gather
from credit_tui.reports.meeting_html import render_html
from credit_tui.reports.meeting_md import render_markdown

if TYPE_CHECKING:
    from credit_tui.reports.scored import Scored
    from credit_tui.store.database import Store

SUFFIXES = (".html", ".htm", ".md", ".docx")


def export_report(store: Store | Scored, out: Path, *, as_of: date) -> None:
    """Write the meeting report as of ``as_of`` to ``out`` (.html, .md or .docx)."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in SUFFIXES:
        raise InterchangeError(
            [f"{out}: 不支持的文件类型“{out.suffix}”，会议报告应为 .html、.md 或 .docx"]
        )
    meeting = gather(store, as_of)
    if suffix == ".docx":
        from credit_tui.reports.meeting_docx import write_meeting_docx

        write_meeting_docx(meeting, out)
        return
    text = render_markdown(meeting) if suffix == ".md" else render_html(meeting)
    write_atomically(out, lambda tmp: tmp.write_text(text, encoding="utf-8", newline="\n"))
