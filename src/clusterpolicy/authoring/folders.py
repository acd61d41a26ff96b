"""A pack given as a loaded pack, a shipped id or a folder; its folder; the pack it extends."""

from __future__ import annotations

from pathlib import Path

from ..packs import RulePack, available_packs, load_pack, load_pack_from

__all__ = ["load", "parent"]



def load(pack: RulePack | str | Path) -> RulePack:
    """A pack given as a loaded :class:`RulePack`, a shipped pack id or a folder."""
    if isinstance(pack, RulePack):
        return pack
    if isinstance(pack, str) and pack in available_packs() and not Path(pack).is_dir():
        return load_pack(pack)
    return load_pack_from(pack)


def _folder(pack: RulePack) -> Path | None:
    folder = pack.folder
    return Path(str(folder)) if folder is not None and Path(str(folder)).is_dir() else None


def parent(pack: RulePack) -> RulePack | None:
    """The pack that ``pack`` extends, found as loading found it (a sibling folder, or shipped)."""
    extends = pack.header.extends
    if not extends:
        return None
    shipped = pack.id in available_packs() and load_pack(pack.id) is pack
    folder = _folder(pack)
    if not shipped and folder is not None and (folder.parent / extends / "pack.yaml").is_file():
        return load_pack_from(folder.parent / extends)
    return load_pack(extends)
