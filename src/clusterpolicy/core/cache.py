"""What every process would otherwise make again from the same files, kept on disk: the shipped
packs validated (:mod:`clusterpolicy.packs.finding`), the locale catalogues read
(:mod:`clusterpolicy.core.i18n`).

Each is kept in the user's cache folder (:func:`cache_dir`), one file per entry, under a
**key** (:func:`key_of`) that names everything it depends on:

- what the caller gives: for the packs, the content digest of every shipped pack's files
  (:func:`clusterpolicy.packs.folder.digest`: names and bytes of every ``.yaml``, ``.md``,
  ``.txt`` of each pack folder) and the list of packs;
- the library's own files (each module's and catalogue's name, size and modification time, as
  Python's bytecode cache judges a module: the cache is never older than the code that runs);
- the versions of Python, pydantic, pydantic-core and PyYAML, and :data:`FORMAT`.

Any change of any of them is another key: the old file is never read (and is removed when the
new one is written). A pack read from the cache is the pack loaded from its files (the same
rules, parameters, texts and digest: ``tests/test_pack_cache.py``), except that its
``sources`` (each section's data as written, with its lines, which only a pack extending it and
``--set`` read) are read from the files again the first time they are asked for.

The cache is an optimisation only: a folder that cannot be made or written, a file that cannot
be read, is not the current user's, is writable by others, or does not unpickle, is passed
over and the pack is loaded from its files. Files are written whole (a temporary file renamed
into place), so two processes never see half a file. ``CLUSTERPOLICY_CACHE_DIR`` names another
folder; set to the empty string, nothing is cached. Packs read from a folder of your own
(:func:`~.finding.load_pack_from`) are never cached.
"""

from __future__ import annotations

import gc
import hashlib
import io
import operator
import os
import pickle
import sys
from collections import UserDict
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

FORMAT = 1
"""The layout of the cached files: raised when what is pickled changes shape."""

ENVIRONMENT = "CLUSTERPOLICY_CACHE_DIR"
KEEP = 4
"""Files of one pack kept (other keys: other installed versions using the same folder)."""


def cache_dir() -> Path | None:
    """Where the packs are kept: ``CLUSTERPOLICY_CACHE_DIR`` if set (empty: no cache), else the
    platform's user cache folder (``$XDG_CACHE_HOME`` or ``~/.cache`` on Linux,
    ``~/Library/Caches`` on macOS, ``%LOCALAPPDATA%`` on Windows) + ``clusterpolicy``; ``None``
    when there is none."""
    configured = os.environ.get(ENVIRONMENT)
    if configured is not None:
        return Path(configured) if configured.strip() else None
    try:
        if sys.platform == "win32":
            base = os.environ.get("LOCALAPPDATA")
            return Path(base) / "clusterpolicy" / "Cache" if base else None
        if sys.platform == "darwin":
            return Path.home() / "Library" / "Caches" / "clusterpolicy"
        base = os.environ.get("XDG_CACHE_HOME")
        return (Path(base) if base and os.path.isabs(base) else Path.home() / ".cache") / "clusterpolicy"
    except (RuntimeError, KeyError, OSError):  # no home folder
        return None


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """The library's own files as Python's bytecode cache judges them: each file's name, size and
    modification time (below the package's folder, ``__pycache__`` left out; folders in name
    order, each folder's files before its folders, as ``os.walk`` lists them; a link to a folder
    is not entered). Listed with ``os.scandir``, each name made relative as it is listed:
    ``os.walk`` and ``os.path.relpath`` took 70,000 instructions a file."""
    root = Path(__file__).resolve().parents[1]
    hasher = hashlib.sha256()

    def stamp(folder: str, prefix: str) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            return
        for name in sorted(entry.name for entry in entries if not entry.is_dir()):
            try:
                status = os.stat(os.path.join(folder, name))
            except OSError:
                continue
            hasher.update(f"{prefix}{name}\0{status.st_size}\0{status.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
        for entry in sorted((e for e in entries if e.is_dir() and e.name != "__pycache__"), key=lambda e: e.name):
            if not entry.is_symlink():
                stamp(entry.path, f"{prefix}{entry.name}{os.sep}")

    stamp(str(root), "")
    return hasher.hexdigest()


def environment_stamp() -> str:
    """The versions the pickled objects depend on."""
    import pydantic
    import pydantic_core
    import yaml

    return f"{FORMAT}|{sys.implementation.cache_tag}|{sys.version}|{pydantic.VERSION}|{pydantic_core.__version__}|{yaml.__version__}"


def key_of(*parts: str) -> str:
    """The key of a cached entry: a digest over ``parts``, the code and the versions."""
    hasher = hashlib.sha256()
    for part in (environment_stamp(), code_stamp(), *parts):
        encoded = part.encode("utf-8", "surrogateescape")
        hasher.update(len(encoded).to_bytes(8, "big") + encoded)
    return hasher.hexdigest()


def _safe(path: Path) -> bool:
    """A cached file may be read: a regular file of this user, not writable by others (POSIX)."""
    try:
        status = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    import stat

    if not stat.S_ISREG(status.st_mode):
        return False
    if hasattr(os, "geteuid") and (status.st_uid != os.geteuid() or status.st_mode & 0o022):
        return False
    return True


def load(name: str, key: str) -> Any:
    """The object kept as ``name`` under ``key``, or ``None`` (absent, unsafe, unreadable, another key)."""
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / f"{name}-{key[:40]}.pickle"
    if not _safe(path):
        return None
    enabled = gc.isenabled()
    gc.disable()  # thousands of objects at once: the collector would walk them again and again
    try:
        with open(path, "rb") as file:
            stored_key, value = pickle.load(file)
    except Exception:  # noqa: BLE001: a file cut short or written by another version is a miss
        return None
    finally:
        if enabled:
            gc.enable()
    return value if stored_key == key else None


def store(name: str, key: str, value: Any) -> None:
    """Keep ``value`` as ``name`` under ``key`` (written whole, then renamed into place); older
    keys of ``name`` beyond :data:`KEEP` are removed. Nothing happens if it cannot be written."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        buffer = io.BytesIO()
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump((key, value))
    except Exception:  # noqa: BLE001: an object that cannot be pickled is simply not kept
        return
    import tempfile

    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        target = folder / f"{name}-{key[:40]}.pickle"
        handle, temporary = tempfile.mkstemp(prefix=f".{name}-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(buffer.getvalue())
            os.replace(temporary, target)
        except BaseException:
            try:
                os.unlink(temporary)
            except OSError:
                pass
            raise
        _prune(folder, name, target)
    except OSError:
        return


def _prune(folder: Path, name: str, kept: Path) -> None:
    others = []
    for path in folder.glob(f"{name}-*.pickle"):
        if path != kept and len(path.name) == len(kept.name):
            try:
                others.append((path.stat().st_mtime_ns, path))
            except OSError:
                continue
    for _, path in sorted(others, reverse=True)[KEEP - 1 :]:
        try:
            path.unlink()
        except OSError:
            pass


class _Pickler(pickle.Pickler):
    """Pickles a parametrised generic model class (``Parameter[int]``) as its origin and arguments:
    pydantic makes such classes at run time, under no module-level name."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, type):
            metadata = getattr(obj, "__pydantic_generic_metadata__", None)
            if metadata and metadata.get("origin") is not None:
                arguments = metadata["args"]
                return operator.getitem, (metadata["origin"], arguments[0] if len(arguments) == 1 else arguments)
        return NotImplemented


class Deferred(UserDict):  # type: ignore[type-arg]
    """A mapping filled by ``fill()`` the first time it is read (a cached pack's ``sources``)."""

    def __init__(self, fill: Callable[[], dict[str, Any]]) -> None:  # no UserDict.__init__: ``data`` is the property
        self._fill = fill
        self._data: dict[str, Any] | None = None

    @property  # type: ignore[override]
    def data(self) -> dict[str, Any]:
        if self._data is None:
            self._data = self._fill()
        return self._data

    @data.setter
    def data(self, value: dict[str, Any]) -> None:
        self._data = value

    def __reduce__(self) -> Any:
        return dict, (dict(self.data),)


__all__ = ["Deferred", "cache_dir", "code_stamp", "key_of", "load", "store"]
