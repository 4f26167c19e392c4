"""A validated scoring table kept between runs, so a start skips pydantic's schema build.

Checking the bundled table (building the validators of every model, then
validating) costs tens of milliseconds on each start; unpickling the checked
result costs well under one. The cache file is named by a hash of the table's
bytes, the catalog module's source and the pydantic and Python versions, so any
change to either the data or the models makes a new check. It lives in the
user's cache folder (``$XDG_CACHE_HOME/credit-tui``, else ``~/.cache/credit-tui``),
written atomically; any problem reading or writing it falls back to checking the
table, never to an error.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

import pydantic

from .scoring import catalog as catalog_module
from .scoring.catalog import Catalog, load_catalog, read_catalog

CACHE_ENV = "XDG_CACHE_HOME"


def cache_dir() -> Path:
    """Where cached tables go: ``$XDG_CACHE_HOME/credit-tui`` or ``~/.cache/credit-tui``."""
    base = os.environ.get(CACHE_ENV) or str(Path.home() / ".cache")
    return Path(base) / "credit-tui"


def cache_file(table: Path, folder: Path) -> Path:
    """The cache file for ``table`` as it is now, with today's models."""
    return folder / cache_name(table.read_bytes())


def cache_name(data: bytes) -> str:
    digest = hashlib.sha256(data)
    digest.update(Path(catalog_module.__file__).read_bytes())
    digest.update(f"{pydantic.VERSION} {sys.version}".encode())
    return f"catalog-{digest.hexdigest()[:32]}.pickle"


def load_checked(table: Path, folder: Path | None = None) -> Catalog:
    """The scoring table at ``table``, checked once and then read from the cache.

    Raises ``CatalogError`` like ``load_catalog`` when the table is malformed
    or missing (a malformed table is never cached).
    """
    try:
        data = table.read_bytes()
    except OSError:
        return load_catalog(table)  # let the loader say in Chinese what is wrong
    cached = (folder if folder is not None else cache_dir()) / cache_name(data)
    try:
        catalog = pickle.loads(cached.read_bytes())
    except Exception:  # missing, truncated or foreign: check the table again
        catalog = None
    if isinstance(catalog, Catalog):
        return catalog
    catalog = read_catalog(data, str(table))
    write(cached, pickle.dumps(catalog, protocol=pickle.HIGHEST_PROTOCOL))
    return catalog


def write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically; a cache that cannot be written is skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".catalog-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError:
        pass
