"""Finding and choosing packs: a shipped pack by id, a folder of your own, and the pack in force
on a day."""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from ..checks.results import ResultWarning
from ..core import confined, l10n
from ..core.errors import Location, RulePackError, UsageError
from ..core.i18n import Language, gettext
from ..core.law import Act
from . import cache
from .folder import available_packs, packs_root, shipped_contents, shipped_header
from .loading import load_folder
from .model import RulePack

# --------------------------------------------------------------------------- finding packs


@lru_cache(maxsize=None)
def load_pack(pack_id: str) -> RulePack:
    """A shipped pack by id (cached: the same object on every call; and on disk, validated once
    for the same files, code and versions: :mod:`.cache`)."""
    if pack_id not in available_packs():
        known = ", ".join(available_packs())
        raise UsageError(f"unknown rule pack {pack_id!r}; the shipped packs are: {known}", code="unknown_pack")
    key = shipped_key()
    kept = cache.load(f"pack-{pack_id}", key) if key is not None else None
    if isinstance(kept, RulePack) and kept.id == pack_id:
        kept.folder = packs_root().joinpath(pack_id)
        kept.sources = cache.Deferred(lambda: _read_shipped(pack_id).sources)
        return kept
    pack = _read_shipped(pack_id)
    if key is not None:
        cache.store(f"pack-{pack_id}", key, dataclasses.replace(pack, sources={}, folder=None))
    return pack


def _read_shipped(pack_id: str) -> RulePack:
    """A shipped pack read and validated from its files."""
    return load_folder(packs_root().joinpath(pack_id), pack_id, load_pack, f"rules/{pack_id}", shipped=True)


@lru_cache(maxsize=1)
def shipped_key() -> str | None:
    """The key of the shipped packs in the cache (:mod:`.cache`): over every shipped pack's id and
    the digest of its files; ``None`` when nothing is cached."""
    if cache.cache_dir() is None:
        return None
    return cache.key_of(*(f"{pack_id}\0{shipped_contents(pack_id)}" for pack_id in available_packs()))


def load_pack_from(folder: str | Path) -> RulePack:
    """A pack from a folder of your own (not cached), e.g. while drafting a change.

    The folder may have any name (the pack's id is that of its ``pack.yaml``); a pack it
    ``extends`` is a folder of that id beside it, or else the shipped pack. The pack reports
    the digest of its files (:attr:`RulePack.digest`), and a version marked with it unless its
    files are exactly the shipped pack's (:attr:`RulePack.reported_version`)."""
    if not isinstance(folder, (str, Path)):
        raise UsageError(f"folder must be a path, not {type(folder).__name__} {folder!r:.60}", code="bad_argument")
    folder = Path(folder)
    if not folder.is_dir() or confined.entry(folder, "pack.yaml", str(folder / "pack.yaml")) is None:
        raise RulePackError("a rule pack folder needs a pack.yaml", location=Location(str(folder)), code="file_not_found")
    pack = load_folder(folder, None, lambda pack_id: _load_parent(folder, pack_id), str(folder))
    pack.origin = "folder"
    if not pack.official and pack.id in available_packs():  # a changed copy: what differs from the act's pack
        pack.base_parameters = load_pack(pack.id).parameter_values()
    return pack


def is_pack_folder(reference: str | Path) -> bool:
    """True if ``reference`` names a folder (a path with a separator, or an existing folder)
    rather than the id of a shipped pack: how ``--pack`` and ``pack=`` tell them apart."""
    text = str(reference)
    return "/" in text or "\\" in text or text in (".", "..") or (text not in available_packs() and Path(text).is_dir())


def resolve_pack(reference: str | Path | RulePack) -> RulePack:
    """A :class:`RulePack` as it is, a folder (:func:`load_pack_from`) or a shipped pack's id (:func:`load_pack`)."""
    if isinstance(reference, RulePack):
        return reference
    if isinstance(reference, Path) or is_pack_folder(reference):
        return load_pack_from(reference)
    return load_pack(reference)


def _load_parent(folder: Path, pack_id: str) -> RulePack:
    sibling = folder.parent / pack_id
    if (sibling / "pack.yaml").is_file():
        return load_pack_from(sibling)
    return load_pack(pack_id)


def choose_pack(
    day: dt.date, explicit: str | Path | None = None, *, lang: Language = "en"
) -> tuple[RulePack, list[ResultWarning]]:
    """The pack to evaluate under on ``day`` (the announcement date), with warnings in ``lang``.

    An explicit pack is used as asked; if it was not in force on ``day`` the warnings say so.
    Otherwise the pack in force on ``day`` is chosen; if none was, the most recently
    repealed one is used, with a warning.
    """
    if explicit:
        pack = resolve_pack(explicit)
        return pack, _force_warnings(pack, day, lang)
    headers = _shipped_headers()  # from each pack.yaml: only the chosen pack is loaded
    in_force = [h for h in headers if h.in_force_on(day)]
    if in_force:
        # The most specific pack: one that extends another beats the one it extends.
        in_force.sort(key=lambda h: (h.extends is not None, h.act.in_force_from, h.id))
        return load_pack(in_force[-1].id), []
    earlier = [h for h in headers if h.act.in_force_from <= day]
    if not earlier:
        raise UsageError(f"no rule pack covers {day.isoformat()}", code="no_pack_in_force")
    earlier.sort(key=lambda h: (h.act.in_force_until or dt.date.max, h.id))
    pack = load_pack(earlier[-1].id)
    return pack, _force_warnings(pack, day, lang)


class _Header(NamedTuple):
    """What choosing a pack reads of a shipped pack: its id, the pack it extends, its act's dates."""

    id: str
    extends: str | None
    act: Act

    def in_force_on(self, day: dt.date) -> bool:
        return self.act.in_force_from <= day and (self.act.in_force_until is None or day < self.act.in_force_until)


@lru_cache(maxsize=1)
def _shipped_headers() -> tuple[_Header, ...]:
    """The shipped packs' ids, parents and acts, read from their ``pack.yaml`` once per process.

    A header that does not read as expected is taken from the loaded pack instead (whose load
    reports the located error). Kept on disk with the packs (:mod:`.cache`)."""
    key = shipped_key()
    kept = cache.load("headers", key) if key is not None else None
    if isinstance(kept, tuple) and all(isinstance(header, _Header) for header in kept):
        return kept
    headers = []
    for pack_id in available_packs():
        data = shipped_header(pack_id)
        try:
            extends = data.get("extends")
            if data.get("id") != pack_id or not (extends is None or isinstance(extends, str)):
                raise ValueError(pack_id)
            headers.append(_Header(pack_id, extends, Act.model_validate(data.get("act"))))
        except ValueError:  # pydantic's ValidationError too
            pack = load_pack(pack_id)
            headers.append(_Header(pack.id, pack.header.extends, pack.header.act))
    if key is not None:
        cache.store("headers", key, tuple(headers))
    return tuple(headers)


def _force_warnings(pack: RulePack, day: dt.date, lang: Language) -> list[ResultWarning]:
    act = pack.header.act
    if pack.in_force_on(day):
        return []
    if day < act.in_force_from:
        text = gettext("pack.not_yet_in_force", lang)
        message = text.format(pack=pack.id, since=l10n.date(act.in_force_from, lang), day=l10n.date(day, lang))
        return [ResultWarning.of("pack_not_yet_in_force", message)]
    repealed = gettext("pack.repealed_by", lang).format(act=act.repealed_by.get(lang)) if act.repealed_by else ""
    text = gettext("pack.repealed", lang)
    message = text.format(pack=pack.id, by=repealed, until=l10n.date(act.in_force_until, lang), day=l10n.date(day, lang))
    return [ResultWarning.of("pack_repealed", message)]


