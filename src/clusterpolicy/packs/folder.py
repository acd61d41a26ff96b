"""The files of a pack folder: where the shipped packs are, which files a pack is made of, their
digest (the pack's identity), and reading one of them as a located YAML document."""

from __future__ import annotations

import hashlib
import os
import re
import stat
import string
from functools import lru_cache
from importlib import resources
from typing import Any

from ..core import confined
from ..core.errors import Location, RulePackError
from ..core.i18n import CASE_SPECS
from ..core.sources import MAX_BYTES, Document, decode_utf8, parse_yaml


def packs_root() -> Any:
    """The folder of the shipped packs (a resource of the installed package)."""
    return resources.files("clusterpolicy.rules")


def available_packs() -> list[str]:
    """Ids of the packs shipped with the library, sorted (the folder is listed once per process:
    the installed packs do not change under a running process, and :func:`load_pack` caches them)."""
    return list(_shipped_ids())


@lru_cache(maxsize=1)
def _shipped_ids() -> tuple[str, ...]:
    return tuple(
        sorted(entry.name for entry in packs_root().iterdir() if entry.is_dir() and entry.joinpath("pack.yaml").is_file())
    )


@lru_cache(maxsize=None)
def shipped_header(pack_id: str) -> dict[str, Any]:
    """The plain data of a shipped pack's ``pack.yaml`` (read once per process), for choosing the
    pack in force without loading every pack; ``{}`` if it is not a mapping."""
    header = read(packs_root().joinpath(pack_id), "pack.yaml", f"rules/{pack_id}", shipped=True)
    return header.data if header is not None and isinstance(header.data, dict) else {}


PACK_SUFFIXES = (".yaml", ".yml", ".md", ".txt")
"""The files that make a pack (those the wheel ships): the digest covers them, nothing else."""

MAX_PACK_FILES = 10_000
"""The most files a pack folder may have that the digest reads."""
MAX_PACK_BYTES = 64 * 1024 * 1024
"""The most bytes, over all of them (each file on its own at most ``core.sources.MAX_BYTES``)."""


def digest(folder: Any, shown_as: str | None = None, algorithm: str = "sha256") -> str:
    """``sha256:<hex>`` over the relative names and contents of the pack's files below ``folder``
    (a path or an installed resource), in name order, with CRLF read as LF (``algorithm``: another
    of :mod:`hashlib`'s, named first in its place).

    Only regular files inside the folder are read, each after its size is checked
    (:mod:`clusterpolicy.core.confined`): a link that leads out of the folder is refused,
    wherever it is and whatever its name; a pack file (``.yaml``, ``.md``, ...) that is not a
    regular file is an error naming it; too many files, or too many bytes, are refused before
    they are read."""
    files: list[tuple[str, bytes]] = []
    if isinstance(folder, (str, os.PathLike)):
        _walk(os.fspath(folder), shown_as or os.fspath(folder), files)
    else:
        _walk_resource(folder, "", files)
    hasher = hashlib.new(algorithm)
    for name, data in sorted(files):
        encoded = name.encode("utf-8")
        hasher.update(len(encoded).to_bytes(4, "big") + encoded + len(data).to_bytes(8, "big") + data)
    return f"{algorithm}:{hasher.hexdigest()}"


def _walk(root: str, shown_as: str, files: list[tuple[str, bytes]]) -> None:
    """Every pack file below ``root``, checked as :func:`digest` says. A name that is not a link is
    inside the folder when its parent is (only folders inside it are entered), so only links are
    resolved; a file that is not a link is opened without following one (:func:`.confined.read_regular`, ``O_NOFOLLOW``), so it
    cannot become one between the check and the read."""
    base = os.path.realpath(root)
    sizes = [0]

    def walk(path: str, real_path: str, prefix: str, seen: frozenset[str]) -> None:
        with os.scandir(path) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
        for entry in entries:
            name = entry.name
            if name.startswith(".") or name == "__pycache__":
                continue
            child, relative = entry.path, f"{prefix}{name}"
            link = entry.is_symlink()
            if link:
                where = Location(f"{shown_as}/{relative}")
                real = os.path.realpath(child)
                if not confined.inside(real, base):
                    raise RulePackError(
                        "leads out of the pack's folder (a symbolic link): only files inside it are read", location=where, code="outside_pack"
                    )
                try:
                    status = os.stat(child)
                except OSError:
                    if name.endswith(PACK_SUFFIXES):
                        raise RulePackError("exists but is not a regular file: a link that leads nowhere", location=where, code="unreadable") from None
                    continue
            else:
                real = os.path.join(real_path, name)
                status = entry.stat(follow_symlinks=False)
            mode = status.st_mode
            if stat.S_ISDIR(mode):
                if real not in seen:  # a link back to a folder above is read once
                    walk(child, real, relative + "/", seen | {real})
                continue
            if not name.endswith(PACK_SUFFIXES):
                continue
            if not stat.S_ISREG(mode):
                raise RulePackError("exists but is not a regular file (a pipe, a socket or a device)", location=Location(f"{shown_as}/{relative}"), code="not_a_file")
            size = status.st_size
            if size > MAX_BYTES:
                raise RulePackError(f"file is larger than the limit of {MAX_BYTES} bytes", location=Location(f"{shown_as}/{relative}"), code="too_large")
            sizes[0] += size
            if len(files) >= MAX_PACK_FILES or sizes[0] > MAX_PACK_BYTES:
                raise RulePackError(
                    f"the pack's folder has more than {MAX_PACK_FILES} files or {MAX_PACK_BYTES} bytes of pack files",
                    location=Location(shown_as),
                    code="too_large",
                )
            raw = confined.read_bytes(root, relative, f"{shown_as}/{relative}") if link else confined.read_regular(child, f"{shown_as}/{relative}", follow_links=False)
            files.append((relative, (raw or b"").replace(b"\r\n", b"\n")))

    walk(root, base, "", frozenset({base}))


def _walk_resource(entry: Any, prefix: str, files: list[tuple[str, bytes]]) -> None:
    """A folder of the installed package that is not on the file system (a zip: no links, no pipes)."""
    for child in entry.iterdir():
        if child.name.startswith(".") or child.name == "__pycache__":
            continue
        name = f"{prefix}{child.name}"
        if child.is_dir():
            _walk_resource(child, name + "/", files)
        elif child.is_file() and child.name.endswith(PACK_SUFFIXES):
            files.append((name, child.read_bytes().replace(b"\r\n", b"\n")))


def with_parent(digest: str, parent_digest: str | None) -> str:
    """A pack's digest over its own files and, for a pack that extends another, its parent's digest:
    a copy that extends a changed parent is a changed pack too."""
    if parent_digest is None:
        return digest
    return "sha256:" + hashlib.sha256(f"{digest}\n{parent_digest}".encode("ascii")).hexdigest()


@lru_cache(maxsize=None)
def shipped_digest(pack_id: str) -> str:
    """The digest of a shipped pack's own files (:func:`digest`), made once per process."""
    return digest(packs_root().joinpath(pack_id), f"rules/{pack_id}")


@lru_cache(maxsize=None)
def shipped_contents(pack_id: str) -> str:
    """A digest of the same files as :func:`shipped_digest`, by BLAKE2b: what the packs' cache key
    covers (:func:`.finding.shipped_key`), for every command that loads a pack. SHA-256, the pack's
    identity in results, took twice the instructions (21 M of a 2,140 M ``evaluate`` of a
    competition, 770 KB of pack files): the key needs a cryptographic digest of the contents,
    not that one."""
    return digest(packs_root().joinpath(pack_id), f"rules/{pack_id}", "blake2b")


@lru_cache(maxsize=None)
def shipped_identity(pack_id: str) -> tuple[str, str]:
    """The version and digest of a shipped pack (its parent's included), without loading it."""
    data = shipped_header(pack_id)
    own = shipped_digest(pack_id)
    extends = data.get("extends")
    if isinstance(extends, str) and extends in available_packs() and extends != pack_id:
        own = with_parent(own, shipped_identity(extends)[1])
    return str(data.get("version")), own


def read(folder: Any, name: str, shown_as: str, shipped: bool) -> Document | None:
    """The pack file ``name`` of ``folder`` as a located YAML document, or ``None`` if it has none.

    Read only if it is a regular file inside the folder (:mod:`clusterpolicy.core.confined`);
    its messages' placeholders are checked (:func:`check_placeholders`)."""
    file = f"{shown_as}/{name}"
    raw = confined.read_bytes(folder, name, file)
    if raw is None:
        return None
    document = parse_yaml(decode_utf8(raw, file, error=RulePackError), file, error=RulePackError, shipped=shipped)
    check_placeholders(document)
    return document


LANGUAGE_KEYS = frozenset({"kk", "ru", "en"})
PLACEHOLDER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def check_placeholders(document: Document) -> None:
    """Every text of a pack in kk/ru/en (a rule's message, a scoring message, a citation form, a
    title) has only plain ``{name}`` placeholders: no attribute (``.``), index (``[``),
    conversion (``!``) or format spec (``:``), which would let a pack read the values' Python
    internals or ask for a 300-million-character padding; the one exception is a date's case
    ending, ``{due:loc}`` (:data:`clusterpolicy.core.i18n.CASE_SPECS`). A located error, at load."""
    stack: list[tuple[Any, tuple[Any, ...]]] = [(document.data, ())]
    while stack:
        data, path = stack.pop()
        if isinstance(data, dict):
            texts = bool(data) and LANGUAGE_KEYS.issuperset(data) and all(isinstance(value, str) for value in data.values())
            for key, value in data.items():
                if texts and ("{" in value or "}" in value):
                    _check_template(value, document, path + (key,))
                elif isinstance(value, (dict, list)):
                    stack.append((value, path + (key,)))
        elif isinstance(data, list):
            stack.extend((value, path + (index,)) for index, value in enumerate(data) if isinstance(value, (dict, list)))


def _check_template(text: str, document: Document, path: tuple[Any, ...]) -> None:
    def fail(message: str) -> RulePackError:
        return RulePackError(message, location=document.location(path), code="bad_placeholder")

    try:
        fields = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise fail(f"the text cannot be filled in ({exc}); write {{{{ and }}}} for a brace") from None
    for _literal, name, spec, conversion in fields:
        if name is None:
            continue
        if not name or name.isdigit():
            raise fail(f"the text has a placeholder without a name: {{{name}}}")
        if not PLACEHOLDER.fullmatch(name) or conversion or (spec and spec not in CASE_SPECS):
            written = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            shown = written if len(written) <= 40 else written[:37] + "..."
            raise fail(
                f"placeholder {shown} is not a plain {{name}}: a pack's texts take no attribute (.), index ([), "
                f"conversion (!) or format (:), but a date's case ending ({', '.join(':' + case for case in CASE_SPECS)})"
            )
