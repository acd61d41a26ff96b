"""Files read from inside one folder only: a rule pack's files, the cases of its ``tests/``, its act's text.

A pack is a folder someone else may have written. What it names is read only if it is a
regular file inside that folder, no larger than the limit, its size checked before a byte is
read:

- a name that does not exist is absent (``None``); one that exists but is not a regular file (a
  dangling link, a link loop, a pipe, a socket, a device, a folder named like a file) is an
  error naming it, never silently skipped;
- a name that leads out of the folder (an absolute path, ``..``, or a symbolic link, on the
  way or at the end, to a place outside) is refused before anything is opened, so no value
  of a file outside is ever read, let alone shown in an error message;
- links inside the folder are followed.

A folder of the installed package that is not on the file system (a zip) cannot hold links,
pipes or devices: it is read through ``importlib.resources`` as it is.
"""

from __future__ import annotations

import ntpath
import os
import posixpath
import stat
from pathlib import Path
from typing import Any

from .errors import ClusterPolicyError, Location, RulePackError
from .sources import MAX_BYTES


def inside(path: str, root: str) -> bool:
    """Whether the real path ``path`` is ``root`` or below it (both already resolved)."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def absolute(relative: str) -> bool:
    """Whether ``relative`` is in fact an absolute path (POSIX or Windows, with a drive or not)."""
    return relative.startswith(("/", "\\")) or os.path.isabs(relative) or ntpath.isabs(relative) or bool(ntpath.splitdrive(relative)[0])


def entry(
    root: Any, relative: str, shown_as: str, *, error: type[ClusterPolicyError] = RulePackError, max_bytes: int = MAX_BYTES
) -> Any:
    """The file ``relative`` (``/``-separated) below the folder ``root``, checked as the module
    says: ``None`` if there is no such name, else a path (or resource) that may be read."""
    normal = posixpath.normpath(relative.replace("\\", "/"))
    parts = [part for part in normal.split("/") if part not in ("", ".")]
    if not isinstance(root, (str, os.PathLike)):  # a resource of the installed package (a zip)
        found = root
        for part in parts:
            found = found.joinpath(part)
        return found if found.is_file() else None
    where = Location(shown_as)
    if absolute(relative) or ".." in parts:
        raise error("names a place outside the pack's folder: only files inside it are read", location=where, code="outside_pack")
    base = os.path.realpath(root)
    path = os.path.join(os.fspath(root), *parts)
    try:
        mode = os.lstat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        # absent; but a link on the way that leads out is refused all the same
        if not inside(os.path.realpath(path), base):
            raise error("leads out of the pack's folder (a symbolic link): only files inside it are read", location=where, code="outside_pack") from None
        return None
    except OSError as exc:
        raise error(f"cannot be read ({exc.strerror or type(exc).__name__})", location=where, code="unreadable") from None
    except ValueError:  # a NUL in the name
        raise error("is not a valid file name (it contains a NUL character)", location=where, code="unreadable") from None
    real = os.path.realpath(path)
    if not inside(real, base):
        raise error("leads out of the pack's folder (a symbolic link): only files inside it are read", location=where, code="outside_pack")
    if stat.S_ISLNK(mode):
        try:
            mode = os.stat(path).st_mode
        except OSError as exc:
            reason = "a link that leads nowhere" if isinstance(exc, FileNotFoundError) else f"a link that cannot be followed ({exc.strerror or type(exc).__name__})"
            raise error(f"exists but is not a regular file: {reason}", location=where, code="unreadable") from None
    if not stat.S_ISREG(mode):
        raise error("exists but is not a regular file (a folder, a pipe, a socket or a device)", location=where, code="not_a_file")
    size = os.stat(real).st_size
    if size > max_bytes:
        raise error(f"file is larger than the limit of {max_bytes} bytes", location=where, code="too_large")
    return Path(real)


def read_bytes(
    root: Any, relative: str, shown_as: str, *, error: type[ClusterPolicyError] = RulePackError, max_bytes: int = MAX_BYTES
) -> bytes | None:
    """The bytes of :func:`entry`'s file, or ``None`` if there is none. Opened without blocking
    and checked again once open (a file swapped for a pipe meanwhile is refused, not waited on)."""
    found = entry(root, relative, shown_as, error=error, max_bytes=max_bytes)
    if found is None or not isinstance(found, Path):
        return None if found is None else found.read_bytes()
    return read_regular(found, shown_as, error=error, max_bytes=max_bytes)


def read_regular(
    path: Any, shown_as: str, *, error: type[ClusterPolicyError] = RulePackError, max_bytes: int = MAX_BYTES, follow_links: bool = True
) -> bytes:
    """The bytes of the regular file ``path``, at most ``max_bytes``: opened without blocking and
    checked again once open (a file swapped for a pipe meanwhile is refused, not waited on);
    without ``follow_links``, a link is not followed (``O_NOFOLLOW``: a name checked as no link
    cannot become one between the check and the read)."""
    where = Location(shown_as)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags)
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise error("exists but is not a regular file (a folder, a pipe, a socket or a device)", location=where, code="not_a_file")
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise error(f"cannot be read ({exc.strerror or type(exc).__name__})", location=where, code="unreadable") from None
    if len(raw) > max_bytes:
        raise error(f"file is larger than the limit of {max_bytes} bytes", location=where, code="too_large")
    return raw


__all__ = ["absolute", "entry", "inside", "read_bytes", "read_regular"]
