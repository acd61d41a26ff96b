"""The files of a pack folder: where the shipped packs are, which files a pack is made of, their
digest (the pack's identity), and reading one of them as a located YAML document."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from typing import Any

from ..core.errors import RulePackError
from ..core.sources import Document, decode_utf8, parse_yaml


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
    folder = packs_root().joinpath(pack_id)
    header = parse_yaml(folder.joinpath("pack.yaml").read_text("utf-8"), f"rules/{pack_id}/pack.yaml", error=RulePackError, shipped=True)
    return header.data if isinstance(header.data, dict) else {}


PACK_SUFFIXES = (".yaml", ".yml", ".md", ".txt")
"""The files that make a pack (those the wheel ships): the digest covers them, nothing else."""


def digest(folder: Any) -> str:
    """``sha256:<hex>`` over the relative names and contents of the pack's files below ``folder``
    (a path or an installed resource), in name order, with CRLF read as LF."""
    files: list[tuple[str, bytes]] = []

    def walk(entry: Any, prefix: str) -> None:
        for child in entry.iterdir():
            if child.name.startswith(".") or child.name == "__pycache__":
                continue
            name = f"{prefix}{child.name}"
            if child.is_dir():
                walk(child, name + "/")
            elif child.is_file() and child.name.endswith(PACK_SUFFIXES):
                files.append((name, child.read_bytes().replace(b"\r\n", b"\n")))

    walk(folder, "")
    hasher = hashlib.sha256()
    for name, data in sorted(files):
        encoded = name.encode("utf-8")
        hasher.update(len(encoded).to_bytes(4, "big") + encoded + len(data).to_bytes(8, "big") + data)
    return f"sha256:{hasher.hexdigest()}"


def with_parent(digest: str, parent_digest: str | None) -> str:
    """A pack's digest over its own files and, for a pack that extends another, its parent's digest:
    a copy that extends a changed parent is a changed pack too."""
    if parent_digest is None:
        return digest
    return "sha256:" + hashlib.sha256(f"{digest}\n{parent_digest}".encode("ascii")).hexdigest()


@lru_cache(maxsize=None)
def shipped_identity(pack_id: str) -> tuple[str, str]:
    """The version and digest of a shipped pack (its parent's included), without loading it."""
    folder = packs_root().joinpath(pack_id)
    data = shipped_header(pack_id)
    own = digest(folder)
    extends = data.get("extends")
    if isinstance(extends, str) and extends in available_packs() and extends != pack_id:
        own = with_parent(own, shipped_identity(extends)[1])
    return str(data.get("version")), own


def read(folder: Any, name: str, shown_as: str, shipped: bool) -> Document | None:
    """The pack file ``name`` of ``folder`` as a located YAML document, or ``None`` if it has none."""
    entry = folder.joinpath(name)
    if not entry.is_file():
        return None
    file = f"{shown_as}/{name}"
    raw = entry.read_bytes()
    return parse_yaml(decode_utf8(raw, file, error=RulePackError), file, error=RulePackError, shipped=shipped)
