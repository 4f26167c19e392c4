"""Attached files: copied in under their SHA-256, staged until the write that uses them commits.

The index (``attachments``: one row per stored file; ``evidence_attachments``: which
record attaches which file under which name) is read here; its rows are written by
the record writes (``records``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path

from credit_tui.faults import reason_of
from credit_tui.store.attachment_guard import store_files
from credit_tui.store.connection import StoreBase, reads
from credit_tui.store.errors import StoreError
from credit_tui.store.rows import attachment_links
from credit_tui.store.staging import Staging

_SUFFIX = re.compile(r"^\.[A-Za-z0-9]{1,10}$")


@dataclass(frozen=True, slots=True)
class AttachmentRef:
    """An attached file: its SHA-256 and the name the clerk gave it."""

    sha256: str
    name: str


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's content, read in 1 MiB pieces (how attachments are named)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Attachments(StoreBase):
    """The store's attached files and their index."""

    # --- reading -------------------------------------------------------------------

    @reads
    def attachments_of(self, record_id: str) -> list[AttachmentRef]:
        """A record's attachments with the names they were given."""
        rows = self.conn.execute(
            "SELECT sha256, name FROM evidence_attachments WHERE evidence_id = ? ORDER BY position",
            (record_id,),
        )
        return [AttachmentRef(sha, name) for sha, name in rows]

    @reads
    def attachment_names(self) -> dict[str, list[AttachmentRef]]:
        """Every live record's attachments, by record id."""
        out: dict[str, list[AttachmentRef]] = {}
        for rid, sha, name in self.conn.execute(
            "SELECT evidence_id, sha256, name FROM evidence_attachments ORDER BY position"
        ):
            out.setdefault(rid, []).append(AttachmentRef(sha, name))
        return out

    @reads
    def attachment_path(self, sha256: str) -> Path | None:
        """The stored file of an attachment, if present."""
        row = self.conn.execute(
            "SELECT suffix FROM attachments WHERE sha256 = ?", (sha256,)
        ).fetchone()
        if row is None:
            return None
        return self.attachments_dir / f"{sha256}{row[0]}"

    @reads
    def attachment_uses(self, sha256: str) -> list[tuple[str, str]]:
        """The live records attaching this file: (record id, the name given there)."""
        rows = self.conn.execute(
            "SELECT a.evidence_id, a.name FROM evidence_attachments a "
            "JOIN evidence e ON e.id = a.evidence_id "
            "WHERE a.sha256 = ? AND e.deleted_at IS NULL ORDER BY a.evidence_id",
            (sha256,),
        )
        return [(rid, name) for rid, name in rows]

    def attachment_file_count(self) -> int:
        """How many files the attachment index lists."""
        return int(self.conn.execute("SELECT count(*) FROM attachments").fetchone()[0])

    def _attachment_links(self, record_id: str | None) -> dict[str, tuple[str, ...]]:
        return attachment_links(self.conn, record_id)

    # --- copying in ----------------------------------------------------------------

    def store_file(self, source: Path | str, name: str | None = None) -> AttachmentRef:
        """Copy a file into the attachment folder under its SHA-256 (once per content).

        Only the folder beside the database is ever written; the name is kept
        for display. The index row is written by the ``save`` that uses it.
        """
        self._refuse_if_read_only()
        source = Path(source)
        if not source.is_file():
            raise StoreError(f"附件 {source} 不存在或不是文件")
        if Path(os.path.realpath(source)) in store_files(self.path):  # reading it drops locks
            raise StoreError(f"附件 {source} 是数据库文件本身，不能作为附件")
        sha = file_sha256(source)
        suffix = source.suffix.lower() if _SUFFIX.match(source.suffix) else ""
        target = self.attachments_dir / f"{sha}{suffix}"
        if target.exists():
            size = target.stat().st_size
        else:  # copied in beside, moved into place once the write that uses it is committed
            try:
                staged = self._staging.add(sha, target.name, partial(shutil.copyfile, source))
                size = staged.stat().st_size
            except OSError as exc:  # a full or read-only disk: nothing of the copy is left
                raise StoreError(
                    f"无法把附件 {source.name} 复制到 {self.attachments_dir}：{reason_of(exc)}"
                ) from None
        self._pending_files[sha] = (suffix, size)
        return AttachmentRef(sha, name or source.name)

    @cached_property
    def _staging(self) -> Staging:
        return Staging(self.attachments_dir)

    def discard_staged(self) -> None:
        """Drop the files copied in for a write that failed (nothing of it is kept)."""
        if "_staging" in self.__dict__:
            self._staging.discard()

    def _publish_staged(self) -> None:
        """After a commit: the staged files the store now lists, moved into place."""
        if "_staging" not in self.__dict__ or not self._staging.files:
            return
        with contextlib.suppress(OSError):  # left staged: the next open moves them
            self._staging.publish(self._registered)

    def _registered(self, sha: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM attachments WHERE sha256 = ?", (sha,)).fetchone()
        return row is not None

    @cached_property
    def _pending_files(self) -> dict[str, tuple[str, int]]:
        return {}
