"""The command line's faults of the world, each a clear Chinese message and exit status 2.

A folder that cannot be written (read-only, a read-only disk, a full disk), a
parent path that is a file, a store path that is a named pipe or a device, a
number too large to use: none of them is the program's fault, so none is a
``程序内部错误``. ``describe`` turns such an exception into a sentence naming the
path (or the argument) concerned; ``refuse_odd_store`` refuses a store path that
is not a regular file before anything opens it (a named pipe would hang every
command).
"""

from __future__ import annotations

import errno
import gc
import os
import stat
import sys
from pathlib import Path

from credit_tui.errors import UserFacingError

_REASONS = {
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "所在磁盘为只读",
    errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "磁盘配额已满",
    errno.EEXIST: "已存在同名文件（不是文件夹）",
    errno.ENOTDIR: "路径中有一段是文件而不是文件夹",
    errno.EISDIR: "是文件夹",
    errno.ENOENT: "不存在",
    errno.ENAMETOOLONG: "路径过长",
    errno.EIO: "磁盘读写错误",
    errno.ELOOP: "符号链接循环",
}


class OddStorePath(UserFacingError):
    """A store path that names something other than a regular file."""


def kind_of(mode: int) -> str | None:
    """What a file that is not a regular file is, in Chinese; None for a regular one."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "是文件夹，不是文件"
    if stat.S_ISFIFO(mode):
        return "是命名管道，不是文件"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "是设备文件，不是普通文件"
    if stat.S_ISSOCK(mode):
        return "是套接字，不是文件"
    return "不是普通文件"


def refuse_odd_store(path: Path) -> None:
    """``OddStorePath`` if ``path`` exists and is a pipe, device or socket (never opened)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # missing or unreachable: the command says so in its own words
    kind = kind_of(mode)
    if kind and not stat.S_ISDIR(mode):  # a folder has its own message in the store
        raise OddStorePath(f"数据库 {path} {kind}，不能作为数据库文件")


def describe(exc: OSError | OverflowError, target: Path | None = None) -> str:
    """The Chinese message for a fault of the file system or an out-of-range number.

    ``target`` is the file the command was writing (``--out``): named when the system
    named no file (a full disk says only ENOSPC) or named only its temporary copy.
    """
    if isinstance(exc, OverflowError):
        return f"数值过大，无法处理（{exc}）：请检查命令中的数字参数"
    where = str(exc.filename) if exc.filename is not None else None
    if exc.filename2 is not None:
        where = f"{exc.filename} → {exc.filename2}"
    if target is not None and (
        where is None or Path(str(exc.filename)).parent == Path(target).parent
    ):
        where = str(target)
    reason = reason_of(exc)
    if where:
        return f"{where}：{reason}，操作未完成，未作任何改动"
    return f"文件操作失败：{reason}，操作未完成，未作任何改动"


def reason_of(exc: OSError) -> str:
    """Why a file operation failed, in Chinese."""
    return _REASONS.get(exc.errno or 0) or exc.strerror or str(exc)


def silence_unclosed_files() -> None:
    """Drop the "Exception ignored" noise of files a failed write left open (a full disk).

    A writer interrupted by ENOSPC (openpyxl's zip archive) leaves objects that try
    to flush again when collected; the clerk has been told what happened already.
    """
    default = sys.unraisablehook

    def hook(unraisable: sys.UnraisableHookArgs) -> None:
        if not isinstance(unraisable.exc_value, OSError | ValueError):
            default(unraisable)

    sys.unraisablehook = hook
    gc.collect()
