"""The one base class of errors the clerk is shown as a plain Chinese message (exit 2)."""

from __future__ import annotations


class UserFacingError(Exception):
    """Bad input, a missing or foreign store, a broken table: say it in Chinese, no traceback."""
