"""Rule packs: one folder per legal act, loaded, validated and chosen by date.

A pack folder holds ``pack.yaml`` (the act's metadata and the pack's named parameters) and
topic files: ``eligibility.yaml``, ``documents.yaml``, ``contents.yaml`` (``rules:`` lists
for the engine), ``time-limits.yaml`` (``time_limits:``, read by :mod:`clusterpolicy.timeline`),
``scoring.yaml`` (``scoring:``, read by :mod:`clusterpolicy.scoring`). A pack may ``extend``
another: it then takes over that pack's rules and parameters and adds or overrides its own.

Loading validates everything and fails with the file and line: an unknown key, an unknown
rule kind, a missing translation, a duplicate rule id, a missing citation, a parameter that
is referred to but not defined. Packs are cached after the first load.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import Field

from .checks.kinds import Rule, read_rules
from .core.errors import Location, RulePackError, UsageError
from .core.i18n import Language, Text, gettext
from .core.law import Act, Citation, Parameter, Strict  # noqa: F401 (Citation: its old import path)
from .core.sources import Document, decode_utf8, parse_yaml, validate
from .procedure.timeline import EventDefinition, TimeLimit, read_event_definitions, read_time_limits
from .scoring.scores import ScoringConfig, read_scoring

RULE_FILES = ("eligibility.yaml", "documents.yaml", "contents.yaml")
TIME_LIMITS_FILE = "time-limits.yaml"
SCORING_FILE = "scoring.yaml"


class PackHeader(Strict):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    title: Text
    act: Act
    extends: str | None = Field(None, description="A pack whose rules and parameters this one takes over.")
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    description: str | None = None


@dataclass
class RulePack:
    """A loaded, validated rule pack."""

    header: PackHeader
    rules: list[Rule] = field(default_factory=list)
    time_limits: list[TimeLimit] = field(default_factory=list)
    time_limit_events: dict[str, EventDefinition] = field(default_factory=dict)
    scoring: ScoringConfig | None = None
    lines: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    """Rule id -> (file, line) where it is defined, for error messages and docs."""
    rendered: dict[Any, Any] = field(default_factory=dict, repr=False)
    """Texts the engine renders once per language (citations), kept with the pack they come from."""
    folder: Any = field(default=None, repr=False, compare=False)
    """The folder the pack was read from (a path, or a resource of the installed package)."""

    @property
    def id(self) -> str:
        return self.header.id

    @property
    def version(self) -> str:
        return self.header.version

    @property
    def parameters(self) -> dict[str, Parameter]:
        return self.header.parameters

    def parameter(self, name: str) -> Any:
        try:
            return self.header.parameters[name].value
        except KeyError:
            raise UsageError(f"pack {self.id} has no parameter {name!r}", code="unknown_parameter") from None

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise UsageError(f"pack {self.id} has no rule {rule_id!r}", code="unknown_rule")

    def in_force_on(self, day: dt.date) -> bool:
        act = self.header.act
        return act.in_force_from <= day and (act.in_force_until is None or day < act.in_force_until)


# --------------------------------------------------------------------------- finding packs


def _packs_root() -> Any:
    return resources.files("clusterpolicy.rules")


def available_packs() -> list[str]:
    """Ids of the packs shipped with the library, sorted."""
    return sorted(
        entry.name for entry in _packs_root().iterdir() if entry.is_dir() and entry.joinpath("pack.yaml").is_file()
    )


@lru_cache(maxsize=None)
def load_pack(pack_id: str) -> RulePack:
    """A shipped pack by id (cached: the same object on every call)."""
    if pack_id not in available_packs():
        known = ", ".join(available_packs())
        raise UsageError(f"unknown rule pack {pack_id!r}; the shipped packs are: {known}", code="unknown_pack")
    return _load(_packs_root().joinpath(pack_id), pack_id, load_pack, f"rules/{pack_id}", shipped=True)


def load_pack_from(folder: str | Path) -> RulePack:
    """A pack from a folder of your own (not cached), e.g. while drafting a change."""
    folder = Path(folder)
    if not (folder / "pack.yaml").is_file():
        raise RulePackError("a rule pack folder needs a pack.yaml", location=Location(str(folder)), code="file_not_found")
    return _load(folder, folder.name, lambda pack_id: _load_parent(folder, pack_id), str(folder))


def _load_parent(folder: Path, pack_id: str) -> RulePack:
    sibling = folder.parent / pack_id
    if (sibling / "pack.yaml").is_file():
        return load_pack_from(sibling)
    return load_pack(pack_id)


def choose_pack(day: dt.date, explicit: str | None = None, *, lang: Language = "en") -> tuple[RulePack, list[str]]:
    """The pack to evaluate under on ``day`` (the announcement date), with warnings in ``lang``.

    An explicit pack is used as asked; if it was not in force on ``day`` the warnings say so.
    Otherwise the pack in force on ``day`` is chosen; if none was, the most recently
    repealed one is used, with a warning.
    """
    if explicit:
        pack = load_pack(explicit)
        return pack, _force_warnings(pack, day, lang)
    packs = [load_pack(pack_id) for pack_id in available_packs()]
    in_force = [pack for pack in packs if pack.in_force_on(day)]
    if in_force:
        # The most specific pack: one that extends another beats the one it extends.
        in_force.sort(key=lambda p: (p.header.extends is not None, p.header.act.in_force_from, p.id))
        return in_force[-1], []
    earlier = [pack for pack in packs if pack.header.act.in_force_from <= day]
    if not earlier:
        raise UsageError(f"no rule pack covers {day.isoformat()}", code="no_pack_in_force")
    earlier.sort(key=lambda p: (p.header.act.in_force_until or dt.date.max, p.id))
    pack = earlier[-1]
    return pack, _force_warnings(pack, day, lang)


def _force_warnings(pack: RulePack, day: dt.date, lang: Language) -> list[str]:
    act = pack.header.act
    if pack.in_force_on(day):
        return []
    if day < act.in_force_from:
        text = gettext("pack.not_yet_in_force", lang)
        return [text.format(pack=pack.id, since=act.in_force_from.isoformat(), day=day.isoformat())]
    repealed = gettext("pack.repealed_by", lang).format(act=act.repealed_by) if act.repealed_by else ""
    text = gettext("pack.repealed", lang)
    return [text.format(pack=pack.id, by=repealed, until=act.in_force_until.isoformat(), day=day.isoformat())]


# --------------------------------------------------------------------------- loading


def _read(folder: Any, name: str, shown_as: str, shipped: bool) -> Document | None:
    entry = folder.joinpath(name)
    if not entry.is_file():
        return None
    file = f"{shown_as}/{name}"
    raw = entry.read_bytes()
    return parse_yaml(decode_utf8(raw, file, error=RulePackError), file, error=RulePackError, shipped=shipped)


def _load(folder: Any, pack_id: str, load_parent: Any, shown_as: str, shipped: bool = False) -> RulePack:
    header_doc = _read(folder, "pack.yaml", shown_as, shipped)
    header = validate(PackHeader, header_doc, error=RulePackError)
    if header.id != pack_id:
        raise RulePackError(
            f"pack id {header.id!r} differs from its folder name {pack_id!r}",
            location=header_doc.location(("id",)),
            code="pack_id",
        )
    pack = RulePack(header=header, folder=folder)
    if header.extends:
        parent = load_parent(header.extends)
        pack.header = header.model_copy(update={"parameters": {**parent.parameters, **header.parameters}})
        pack.rules = list(parent.rules)
        pack.lines = dict(parent.lines)
        pack.time_limits = list(parent.time_limits)
        pack.time_limit_events = dict(parent.time_limit_events)
        pack.scoring = parent.scoring

    for name in RULE_FILES:
        document = _read(folder, name, shown_as, shipped)
        if document is None:
            continue
        for rule, line in read_rules(document):
            if rule.id in pack.lines and not header.extends:
                first_file, first_line = pack.lines[rule.id]
                raise RulePackError(
                    f"duplicate rule id {rule.id!r}, first defined at {first_file}:{first_line}",
                    location=Location(document.file, line, ("id",)),
                    code="duplicate_id",
                )
            pack.rules = [existing for existing in pack.rules if existing.id != rule.id] + [rule]
            pack.lines[rule.id] = (document.file, line)
            _check_parameters(rule, pack, document.file, line)

    document = _read(folder, TIME_LIMITS_FILE, shown_as, shipped)
    if document is not None:
        own = read_time_limits(document)
        own_ids = {limit.id for limit in own}
        pack.time_limits = [limit for limit in pack.time_limits if limit.id not in own_ids] + own
        pack.time_limit_events.update({event.id: event for event in read_event_definitions(document)})

    document = _read(folder, SCORING_FILE, shown_as, shipped)
    if document is not None:
        pack.scoring = read_scoring(document)
    return pack


def _check_parameters(rule: Rule, pack: RulePack, file: str, line: int | None) -> None:
    for name in rule.parameter_names():
        if name not in pack.parameters:
            raise RulePackError(
                f"rule {rule.id!r} refers to parameter {name!r}, which pack.yaml does not define",
                location=Location(file, line, ("check",)),
                code="unknown_parameter",
            )
