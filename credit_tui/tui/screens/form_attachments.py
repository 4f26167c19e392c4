"""The evidence form's 附件 row: paths typed or picked, each file checked as it comes.

Mixed into ``EvidenceForm``: an entry is a readable file to copy in, or the name
of an attachment the record already has; each file is listed with its size and
whether that very file (SHA-256) is stored already; ``ctrl+o`` opens the picker.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.widgets import Input, Static

from credit_tui.service.attachment_check import check_files, describe, entry_path, readable_file
from credit_tui.store.database import AttachmentRef
from credit_tui.tui.widgets.path_picker import shown_path

if TYPE_CHECKING:
    from textual.screen import ModalScreen

    from credit_tui.scoring.evidence import Evidence
    from credit_tui.service.workbench import Workbench

    _Base = ModalScreen[Any]
else:
    _Base = object


def split_paths(text: str) -> list[str]:
    """``a.pdf; b.jpg`` → ``["a.pdf", "b.jpg"]`` (a full-width ``；`` also separates)."""
    return [p.strip() for p in text.replace("；", ";").split(";") if p.strip()]


def _file(entry: str) -> Path | None:
    """The file an entry names, if it exists and can be read."""
    path = entry_path(entry)
    return None if readable_file(path) else path


class AttachmentField(_Base):
    """The 附件 row's behaviour (the form composes the widgets: ``#f-attachment``,
    ``#attachment-hint``, ``#attachment-files``)."""

    bench: Workbench
    original: Evidence | None
    record_id: str | None
    _attachments: list[AttachmentRef]

    def _attachments_unchanged(self) -> bool:
        return self.original is not None and (
            split_paths(self.query_one("#f-attachment", Input).value)
            == [a.name for a in self._attachments]
        )

    def _resolve_attachments(self) -> tuple[list[Path | AttachmentRef], list[str]]:
        """Each entry as a file to store or an attachment kept; and the missing entries."""
        kept = {a.name: a for a in self._attachments}
        found: list[Path | AttachmentRef] = []
        missing: list[str] = []
        for entry in split_paths(self.query_one("#f-attachment", Input).value):
            path = _file(entry)
            if path is not None:
                found.append(path)
            elif entry in kept:
                found.append(kept[entry])
            else:
                missing.append(entry)
        return found, missing

    def _show_attachment_hint(self) -> None:
        hint = self.query_one("#attachment-hint", Static)
        entries = split_paths(self.query_one("#f-attachment", Input).value)
        self._show_attachment_files(entries)
        if not entries:
            hint.update("")
        elif self._attachments_unchanged():
            hint.update(Text(f"✓ 已有 {len(entries)} 个", "green"))
        else:
            _, missing = self._resolve_attachments()
            if missing:
                name = missing[0] if len(missing) == 1 else f"{len(missing)} 个文件"
                hint.update(Text(f"✗ 不存在或无法读取：{Path(name).name}", "red"))
            elif len(entries) == 1:
                hint.update(Text("✓ 存在", "green"))
            else:
                hint.update(Text(f"✓ {len(entries)} 个均存在", "green"))

    def _show_attachment_files(self, entries: list[str]) -> None:
        """Each file on a line with its size, and whether that very file is stored already."""
        box = self.query_one("#attachment-files", Static)
        if not entries or self._attachments_unchanged():
            box.update("")
            box.display = False
            return
        records = self.bench.records

        def title_of(record_id: str) -> str:
            record = records.get(record_id)
            return record.title if record is not None else record_id

        checks = check_files(entries, self.bench.store, self._attachments, title_of, self.record_id)
        colours = {"ok": "green", "same": "yellow", "bad": "red"}
        text = Text()
        for n, (line, kind) in enumerate(describe(checks)):
            text.append(("\n" if n else "") + line, colours[kind])
        box.update(text)
        box.display = True

    def action_pick_files(self) -> None:
        """Choose files to attach with the file picker; they are added to the box."""
        from credit_tui.tui.screens.file_picker import FilePicker

        box = self.query_one("#f-attachment", Input)
        entries = split_paths(box.value)
        folders = [p.parent for e in entries if (p := _file(e)) is not None]

        def picked(paths: list[Path] | None) -> None:
            if paths:
                box.value = "; ".join([*entries, *(shown_path(p) for p in paths)])
                box.focus()

        self.app.push_screen(FilePicker(folders[-1] if folders else None), picked)
