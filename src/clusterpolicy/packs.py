"""Rule packs: one folder per legal act, loaded, validated and chosen by date.

A pack folder holds ``pack.yaml`` (the act's metadata and the pack's named parameters) and
topic files: ``eligibility.yaml``, ``documents.yaml``, ``contents.yaml`` (``rules:`` lists
for the engine), ``time-limits.yaml`` (``time_limits:``, read by :mod:`clusterpolicy.timeline`),
``scoring.yaml`` (``scoring:``, read by :mod:`clusterpolicy.scoring`). A pack may ``extend``
another: it then takes over that pack's rules, parameters, time limits, events and scoring, and
states only what it changes, merged by key (see the section "inheritance" below and
docs/rules.md, "A pack that extends another").

Loading validates everything and fails with the file and line: an unknown key, an unknown
rule kind, a missing translation, a duplicate rule id, a missing citation, a parameter that
is referred to but not defined. Packs are cached after the first load.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import Field

from .checks.rule import Rule, check_rule, read_rules
from .checks.results import ResultWarning
from .core.errors import Location, RulePackError, UsageError
from .core import l10n
from .core.i18n import Language, Text, gettext
from .core.law import Act, Citation, Parameter, Strict  # noqa: F401 (Citation: its old import path)
from .core.citations import StyleChain
from .core.sources import Document, Path_, decode_utf8, parse_yaml, validate
from .procedure.stages import PROCEDURE_FILE, Procedure, check_events, check_rule_ids, read_procedure
from .procedure.timeline import EventDefinition, TimeLimit, read_time_limits_file
from .scoring.scores import ScoringConfig, read_scoring

RULE_FILES = ("eligibility.yaml", "documents.yaml", "contents.yaml", "records.yaml")
TIME_LIMITS_FILE = "time-limits.yaml"
SCORING_FILE = "scoring.yaml"
VOCABULARY_FILE = "vocabulary.yaml"


class Word(Text):
    """The act's word for one value, in kk/ru/en, and the provision that defines the value."""

    provision: str = Field(min_length=1, description='e.g. "Rules p.6(1)".')


class Vocabulary(Strict):
    """``vocabulary.yaml``: the act's words for the values it defines, in kk/ru/en."""

    document_kinds: dict[str, Word] = Field(default_factory=dict)
    applicant_types: dict[str, Word] = Field(default_factory=dict)


class PackHeader(Strict):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    title: Text
    act: Act
    extends: str | None = Field(
        None, description="A pack whose rules, parameters, time limits and scoring this one takes over, merged by key."
    )
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    description: str | None = None


@dataclass
class RulePack:
    """A loaded, validated rule pack."""

    header: PackHeader
    rules: list[Rule] = field(default_factory=list)
    raw_rules: list[Rule] = field(default_factory=list, repr=False, compare=False)
    gates: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False, compare=False)
    """Rule id -> the parameters that set its severity or stages, with their values (shown in results)."""
    """The rules as written: a severity or stages given as ``{param: name}`` not yet read (``rules`` has them read)."""
    time_limits: list[TimeLimit] = field(default_factory=list)
    time_limit_events: dict[str, EventDefinition] = field(default_factory=dict)
    scoring: ScoringConfig | None = None
    lines: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    """Rule id -> (file, line) where it is defined, for error messages and docs."""
    vocabulary: dict[str, dict[str, Word]] = field(default_factory=dict)
    """Family (``document_kinds``, ``applicant_types``) -> value -> its label (``vocabulary.yaml``, inherited)."""
    rendered: dict[Any, Any] = field(default_factory=dict, repr=False)
    """Texts the engine renders once per language (citations), kept with the pack they come from."""
    sources: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """Each section's data as written, with its files and lines, for a pack that extends this one."""
    procedure: Procedure | None = None
    """The act's stages, statuses, cited provisions and events (``procedure.yaml``, inherited)."""
    citation_style: StyleChain | None = None
    """How the act's provisions read in kk/ru/en, then those of the pack it extends."""
    folder: Any = field(default=None, repr=False, compare=False)
    """The folder the pack was read from (a path, or a resource of the installed package)."""
    digest: str = ""
    """``sha256:<hex>`` of the pack folder's files (names and contents, line ends normalised): its identity."""
    origin: str = "shipped"
    """``shipped`` (a pack of the installed library, by id) or ``folder`` (:func:`load_pack_from`)."""

    @property
    def id(self) -> str:
        return self.header.id

    @property
    def version(self) -> str:
        return self.header.version

    @property
    def official(self) -> bool:
        """True for a shipped pack, and for a folder whose files are exactly those of the shipped
        pack of the same id and version; a changed copy is not the official pack."""
        if self.origin == "shipped":
            return True
        return self.id in available_packs() and _shipped_identity(self.id) == (self.version, self.digest)

    @property
    def reported_version(self) -> str:
        """The version results and documents report: the pack's own, or for a pack that is not
        official, the version with the digest's first 12 hex digits as build metadata
        (``1.0.0+sha256.3f2a9c0d11be``), so that a changed copy never passes for the official pack."""
        if self.official:
            return self.version
        return f"{self.version}+sha256.{self.digest.removeprefix('sha256:')[:12]}"

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

    def act_of(self, provision: str) -> Act:
        """The act ``provision`` belongs to: that of the pack whose citation style reads it (a
        pack that extends Decree 535 cites "Rules p.16" as Decree 535's), else this pack's."""
        act = self.citation_style.act_of(provision) if self.citation_style else None
        return act or self.header.act

    def cite(self, provision: str, lang: Language, *, short: bool = False) -> str:
        """``provision`` as the act writes it in ``lang`` (``short``: inside a sentence)."""
        return self.citation_style.text(provision, lang, short=short) if self.citation_style else provision

    def require_procedure(self) -> Procedure:
        """The pack's procedure; a pack without ``procedure.yaml`` cannot make official documents."""
        if self.procedure is None:
            raise UsageError(f"pack {self.id} has no {PROCEDURE_FILE}: its stages and cited provisions are unknown", code="no_procedure")
        return self.procedure

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
    """A pack from a folder of your own (not cached), e.g. while drafting a change.

    The folder may have any name (the pack's id is that of its ``pack.yaml``); a pack it
    ``extends`` is a folder of that id beside it, or else the shipped pack. The pack reports
    the digest of its files (:attr:`RulePack.digest`), and a version marked with it unless its
    files are exactly the shipped pack's (:attr:`RulePack.reported_version`)."""
    if not isinstance(folder, (str, Path)):
        raise UsageError(f"folder must be a path, not {type(folder).__name__} {folder!r:.60}", code="bad_argument")
    folder = Path(folder)
    if not (folder / "pack.yaml").is_file():
        raise RulePackError("a rule pack folder needs a pack.yaml", location=Location(str(folder)), code="file_not_found")
    pack = _load(folder, None, lambda pack_id: _load_parent(folder, pack_id), str(folder))
    pack.origin = "folder"
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


_PACK_SUFFIXES = (".yaml", ".yml", ".md", ".txt")
"""The files that make a pack (those the wheel ships): the digest covers them, nothing else."""


def _digest(folder: Any) -> str:
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
            elif child.is_file() and child.name.endswith(_PACK_SUFFIXES):
                files.append((name, child.read_bytes().replace(b"\r\n", b"\n")))

    walk(folder, "")
    hasher = hashlib.sha256()
    for name, data in sorted(files):
        encoded = name.encode("utf-8")
        hasher.update(len(encoded).to_bytes(4, "big") + encoded + len(data).to_bytes(8, "big") + data)
    return f"sha256:{hasher.hexdigest()}"


def _with_parent(digest: str, parent: RulePack | None) -> str:
    """A pack's digest over its own files and, for a pack that extends another, its parent's digest:
    a copy that extends a changed parent is a changed pack too."""
    if parent is None:
        return digest
    return "sha256:" + hashlib.sha256(f"{digest}\n{parent.digest}".encode("ascii")).hexdigest()


@lru_cache(maxsize=None)
def _shipped_identity(pack_id: str) -> tuple[str, str]:
    """The version and digest of a shipped pack (its parent's included), without loading it."""
    folder = _packs_root().joinpath(pack_id)
    header = parse_yaml(folder.joinpath("pack.yaml").read_text("utf-8"), f"rules/{pack_id}/pack.yaml", error=RulePackError)
    data = header.data if isinstance(header.data, dict) else {}
    digest = _digest(folder)
    extends = data.get("extends")
    if isinstance(extends, str) and extends in available_packs() and extends != pack_id:
        digest = "sha256:" + hashlib.sha256(f"{digest}\n{_shipped_identity(extends)[1]}".encode("ascii")).hexdigest()
    return str(data.get("version")), digest


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


# --------------------------------------------------------------------------- loading


def _read(folder: Any, name: str, shown_as: str, shipped: bool) -> Document | None:
    entry = folder.joinpath(name)
    if not entry.is_file():
        return None
    file = f"{shown_as}/{name}"
    raw = entry.read_bytes()
    return parse_yaml(decode_utf8(raw, file, error=RulePackError), file, error=RulePackError, shipped=shipped)


_EXTENDING: ContextVar[tuple[str, ...]] = ContextVar("_EXTENDING", default=())
"""The packs whose parents are being loaded, innermost last: a chain of ``extends`` that comes
back to one of them is a cycle."""


def _parent(extends: str, pack_id: str, load_parent: Any, header_doc: Document) -> RulePack:
    """The pack ``extends`` names, or a located error: itself, a cycle, or a pack that does not exist."""
    location = header_doc.location(("extends",))
    chain = (*_EXTENDING.get(), pack_id)
    if extends in chain:
        cycle = " -> ".join((*chain[chain.index(extends):], extends))
        raise RulePackError(f"extends {extends!r}, which makes a circle: {cycle}", location=location, code="extends_cycle")
    token = _EXTENDING.set(chain)
    try:
        return load_parent(extends)
    except UsageError as exc:
        if exc.code != "unknown_pack":
            raise
        guess = difflib.get_close_matches(extends, available_packs(), n=1)
        hint = f" (did you mean {guess[0]!r}?)" if guess else f"; the shipped packs are: {', '.join(available_packs())}"
        raise RulePackError(f"extends {extends!r}, which is neither a shipped pack nor a folder beside this one{hint}", location=location, code="unknown_pack") from None
    finally:
        _EXTENDING.reset(token)


def _load(folder: Any, pack_id: str | None, load_parent: Any, shown_as: str, shipped: bool = False) -> RulePack:
    """Read and validate the pack in ``folder``; ``pack_id`` is the id its ``pack.yaml`` must
    state (a shipped pack's folder name), or ``None`` to take the id it states."""
    header_doc = _read(folder, "pack.yaml", shown_as, shipped)
    if pack_id is None:
        stated = header_doc.data.get("id") if isinstance(header_doc.data, dict) else None
        pack_id = stated if isinstance(stated, str) else Path(shown_as).name
    extends = header_doc.data.get("extends") if isinstance(header_doc.data, dict) else None
    parent = _parent(extends, pack_id, load_parent, header_doc) if isinstance(extends, str) else None
    header_doc = _inherit_header(header_doc, parent)
    header = validate(PackHeader, header_doc, error=RulePackError)
    if header.id != pack_id:
        raise RulePackError(
            f"pack id {header.id!r} differs from its folder name {pack_id!r}",
            location=header_doc.location(("id",)),
            code="pack_id",
        )
    pack = RulePack(header=header, folder=folder, digest=_with_parent(_digest(folder), parent))
    _inherit(pack, header_doc, parent)

    for name in RULE_FILES:
        document = _inherit_rules(_read(folder, name, shown_as, shipped), pack)
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
            pack.rules = _replace_by_id(pack.rules, rule)
            pack.lines[rule.id] = (document.file, line)
            _check_parameters(rule, pack, document.file, line)
            check_rule(rule, document, line, pack.parameters)  # against the input models: paths, values, messages
    if parent is not None:
        _check_dropped_parameters(pack)
    _resolve_gates(pack)

    document = _read(folder, TIME_LIMITS_FILE, shown_as, shipped)
    if document is not None:
        document = _inherit_section(document, pack.sources.get(TIME_LIMITS_FILE), pack)
        pack.sources[TIME_LIMITS_FILE] = document
        pack.time_limits, events = read_time_limits_file(document)  # validated once
        pack.time_limit_events = {event.id: event for event in events}

    document = _read(folder, SCORING_FILE, shown_as, shipped)
    if document is not None:
        document = _inherit_section(document, pack.sources.get(SCORING_FILE), pack)
        pack.sources[SCORING_FILE] = document
        pack.scoring = read_scoring(document)
    document = _read(folder, VOCABULARY_FILE, shown_as, shipped)
    if document is not None:
        vocabulary = validate(Vocabulary, document, error=RulePackError)
        for family in Vocabulary.model_fields:
            pack.vocabulary.setdefault(family, {}).update(getattr(vocabulary, family))
    _load_procedure(pack, _read(folder, PROCEDURE_FILE, shown_as, shipped), load_parent, f"{shown_as}/{PROCEDURE_FILE}")
    return pack


def _load_procedure(pack: RulePack, document: Document | None, load_parent: Any, file: str) -> None:
    """``procedure.yaml`` over the parent's (a separate step: inherited whether or not the pack has one)."""
    parent = load_parent(pack.header.extends) if pack.header.extends else None
    inherited = (parent.procedure, parent.citation_style) if parent is not None and parent.procedure else None
    if document is None:
        pack.procedure, pack.citation_style = inherited or (None, None)
    else:
        pack.procedure, pack.citation_style = read_procedure(document, pack.header.act, inherited)
    if pack.procedure is not None:
        check_events(pack.procedure, set(pack.time_limit_events), document, file)
        check_rule_ids(pack.procedure, {rule.id for rule in pack.rules}, document, file)


def _resolve_gates(pack: RulePack) -> None:
    """Rules whose severity or stages are ``{param: name}`` take the pack's values; the rules as
    written stay in ``raw_rules``, so that a pack extending this one resolves them with its own."""
    pack.raw_rules = list(pack.rules)
    pack.gates = {}
    resolved = []
    for rule in pack.rules:
        if rule.gate_parameters():
            pack.gates[rule.id] = {name: pack.parameter(name) for name in sorted(rule.gate_parameters())}
        try:
            resolved.append(rule.resolved(pack.parameter))
        except ValueError as exc:
            file, line = pack.lines.get(rule.id, (None, None))
            raise RulePackError(f"rule {rule.id!r}: {exc}", location=Location(file, line, ("severity",)), code="bad_value") from None
    pack.rules = resolved


def _check_parameters(rule: Rule, pack: RulePack, file: str, line: int | None) -> None:
    for name in rule.parameter_names():
        if name not in pack.parameters:
            guess = difflib.get_close_matches(name, list(pack.parameters), n=1)
            raise RulePackError(
                f"rule {rule.id!r} refers to parameter {name!r}, which pack.yaml does not define"
                + (f" (did you mean {guess[0]!r}?)" if guess else ""),
                location=Location(file, line, ("check",)),
                code="unknown_parameter",
            )


# --------------------------------------------------------------------------- inheritance (extends)
#
# A pack that ``extends`` another states only what it changes, merged by key as OpenFisca merges
# parameter nodes (docs/rules.md, "A pack that extends another"):
#
# - rules by ``id`` (over all its rule files), parameters by name, time limits and events by
#   ``id``, and every mapping of ``scoring.yaml`` and ``time-limits.yaml`` recursively;
# - a list whose inherited items all carry an ``id`` (blocks, sub-criteria, ...) merges by that
#   id: the parent's order is kept and new items are appended; other lists and scalars replace;
# - an item with an inherited id says ``override: true`` (then only the fields it changes) or
#   ``drop: true`` (and nothing else); one without either is new, and must not reuse an id;
# - ``replace: [key, ...]`` in a mapping replaces those keys' values whole instead of merging them.
#
# The merged data is an ``_Assembled`` document: every part remembers the file, line and path it
# was written at, so validation errors of the merged data name the child's or the parent's line.

_DROP, _OVERRIDE, _REPLACE = "drop", "override", "replace"
_KEY = "id"
_ITEM_NAMES = {
    "rules": "rule",
    "parameters": "parameter",
    "time_limits": "time limit",
    "events": "event",
    "blocks": "block",
    "sub_criteria": "sub-criterion",
}


@dataclass
class _Assembled(Document):
    """Data merged from several documents; each part knows the document and path it came from."""

    origins: dict[Path_, tuple[Document, Path_]] = field(default_factory=dict)
    inherits: str = ""
    """The id of the pack merged into."""
    dropped: dict[Any, Location] = field(default_factory=dict)
    """Keys of the inherited items the child dropped, with where it says so."""

    def _origin(self, path: Path_) -> tuple[Document, Path_] | None:
        path = tuple(path)
        for cut in range(len(path), -1, -1):
            found = self.origins.get(path[:cut])
            if found is not None:
                return found[0], found[1] + path[cut:]
        return None

    def line_of(self, path: Path_) -> int | None:
        found = self._origin(path)
        return found[0].line_of(found[1]) if found else None

    def location(self, path: Path_ = ()) -> Location:
        """Where the value at ``path`` of the merged data was written: its file, line and path there."""
        found = self._origin(path)
        return found[0].location(found[1]) if found else Location(self.file, None, tuple(path))


def _at(document: Document, path: Path_) -> Any:
    data = document.data
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _inherit_header(header_doc: Document, parent: RulePack | None) -> Document:
    """``pack.yaml`` with the parent's parameters merged in by name."""
    if parent is None or not isinstance(header_doc.data.get("parameters", {}), dict):
        return header_doc
    out = _Assembled(None, header_doc.file, inherits=parent.id)
    out.origins[()] = (header_doc, ())
    merged = _merge_items(parent.sources["pack.yaml"], ("parameters",), header_doc, ("parameters",), out, ("parameters",))
    out.data = {**header_doc.data, "parameters": merged}
    return out


def _inherit(pack: RulePack, header_doc: Document, parent: RulePack | None) -> None:
    """Start ``pack`` from everything its parent has (its own files then merge into it)."""
    pack.sources["pack.yaml"] = header_doc
    pack.sources["rules"] = {}
    if parent is None:
        return
    pack.rules = list(parent.raw_rules)
    pack.lines = dict(parent.lines)
    pack.time_limits = list(parent.time_limits)
    pack.time_limit_events = dict(parent.time_limit_events)
    pack.scoring = parent.scoring
    pack.vocabulary = {family: dict(words) for family, words in parent.vocabulary.items()}
    pack.sources.update({name: source for name, source in parent.sources.items() if name != "pack.yaml"})
    pack.sources["rules"] = dict(parent.sources["rules"])
    pack.sources["own rules"] = {}


def _inherit_rules(document: Document | None, pack: RulePack) -> Document | None:
    """A rule file of ``pack``: as written, or, in a pack that extends another, its overrides
    merged into the inherited rules and its drops applied (``None`` if nothing is left to read)."""
    if document is None:
        return None
    written = document.data.get("rules") if isinstance(document.data, dict) else None
    if not isinstance(written, list):
        return document  # not a rule file: validation says why
    inherited: dict[str, tuple[Document, Path_]] = pack.sources["rules"]
    if not pack.header.extends:
        for index, item in enumerate(written):
            if isinstance(item, dict) and isinstance(item.get(_KEY), str):
                inherited.setdefault(item[_KEY], (document, ("rules", index)))
        return document
    out = _Assembled(None, document.file, inherits=pack.header.extends)
    out.origins[()] = (document, ())
    rules: list[Any] = []
    old = [(key, doc, path) for key, (doc, path) in inherited.items()]
    for kind, key, at, source in _match(old, document, ("rules",), out, own=pack.sources["own rules"]):
        if kind == _DROP:
            del inherited[key]
            pack.lines.pop(key, None)
            pack.rules = [rule for rule in pack.rules if rule.id != key]
            continue
        target = ("rules", len(rules))
        if key is not None:
            inherited[key] = (out, target)
            pack.sources["own rules"][key] = document.location(at)
        if kind == _OVERRIDE:
            rules.append(_merge_fields(source[0], source[1], document, at, out, target, item=True))
        else:
            rules.append(_at(document, at))
            out.origins[target] = (document, at)
    if not rules:
        return None
    out.data = {**document.data, "rules": rules}
    return out


def _replace_by_id(rules: list[Rule], rule: Rule) -> list[Rule]:
    """``rules`` with ``rule`` in the place of the one with its id, or appended."""
    for index, existing in enumerate(rules):
        if existing.id == rule.id:
            return rules[:index] + [rule] + rules[index + 1 :]
    return rules + [rule]


def _check_dropped_parameters(pack: RulePack) -> None:
    dropped = getattr(pack.sources["pack.yaml"], "dropped", {})
    for rule in pack.rules:
        for name in rule.parameter_names():
            if name in dropped:
                file, line = pack.lines[rule.id]
                raise RulePackError(
                    f"parameter {name!r} is dropped, but rule {rule.id!r} ({file}:{line}) refers to it",
                    location=dropped[name],
                    code="unknown_parameter",
                )


def _inherit_section(document: Document, inherited: Document | None, pack: RulePack) -> Document:
    """``time-limits.yaml`` or ``scoring.yaml`` of ``pack`` merged into its parent's, if it has one."""
    if inherited is None or not pack.header.extends:
        return document
    out = _Assembled(None, document.file, inherits=pack.header.extends)
    out.data = _merge(inherited, (), document, (), out, ())
    return out


def _merge(parent: Document, p: Path_, child: Document, c: Path_, out: _Assembled, o: Path_) -> Any:
    """The child's value at ``c`` merged into the parent's at ``p``; it goes to ``o`` of ``out``."""
    old, new = _at(parent, p), _at(child, c)
    out.origins[o] = (child, c)
    if isinstance(old, dict) and isinstance(new, dict):
        return _merge_fields(parent, p, child, c, out, o)
    if isinstance(old, list) and isinstance(new, list) and _keyed(old):
        return _merge_items(parent, p, child, c, out, o)
    return new


def _keyed(items: list[Any]) -> bool:
    return bool(items) and all(isinstance(item, dict) and isinstance(item.get(_KEY), str) for item in items)


def _merge_fields(
    parent: Document, p: Path_, child: Document, c: Path_, out: _Assembled, o: Path_, *, item: bool = False
) -> dict[Any, Any]:
    """A mapping: the child's keys merged into the parent's, new keys appended."""
    old, new = _at(parent, p), _at(child, c)
    out.origins[o] = (child, c)
    for mark in (_DROP, _OVERRIDE):
        if mark in new and not item:
            raise _directive_error(f"{mark}: marks an inherited item of a list merged by id, or a parameter", child, c + (mark,))
    replace = _replace_keys(child, c)
    merged: dict[Any, Any] = {}
    for key, value in old.items():
        if key not in new:
            merged[key] = value
            out.origins[o + (key,)] = (parent, p + (key,))
        elif key in replace:
            merged[key] = new[key]
            out.origins[o + (key,)] = (child, c + (key,))
        else:
            merged[key] = _merge(parent, p + (key,), child, c + (key,), out, o + (key,))
    for key, value in new.items():
        if key not in old and key not in (_DROP, _OVERRIDE, _REPLACE):
            merged[key] = value
    return merged


def _replace_keys(child: Document, c: Path_) -> set[Any]:
    new = _at(child, c)
    keys = new.get(_REPLACE, [])
    if not isinstance(keys, list) or not all(isinstance(key, str) for key in keys):
        raise _directive_error("replace: takes a list of the keys whose values replace the inherited ones", child, c + (_REPLACE,))
    for key in keys:
        if key not in new or key in (_DROP, _OVERRIDE, _REPLACE):
            raise _directive_error(f"replace: names {key!r}, which this mapping does not state", child, c + (_REPLACE,))
    return set(keys)


def _merge_items(parent: Document, p: Path_, child: Document, c: Path_, out: _Assembled, o: Path_) -> Any:
    """A list merged by id, or a mapping of named items (parameters): kept, changed, dropped, added."""
    old, new = _at(parent, p), _at(child, c)
    named = isinstance(old, dict) or (old is None and isinstance(new, dict))
    if named:
        inherited = [(key, parent, p + (key,)) for key in old or {}]
    else:
        inherited = [(item[_KEY], parent, p + (index,)) for index, item in enumerate(old)]
    out.origins[o] = (child, c) if new is not None else (parent, p)
    kept: dict[Any, tuple[str, Document, Path_]] = {key: ("keep", doc, path) for key, doc, path in inherited}
    added: list[tuple[Any, Path_]] = []
    for kind, key, at, _source in _match(inherited, child, c, out):
        if kind == _DROP:
            del kept[key]
        elif kind == _OVERRIDE:
            kept[key] = (_OVERRIDE, child, at)
        else:
            added.append((key, at))
    merged: Any = {} if named else []
    sources = {key: (doc, path) for key, doc, path in inherited}
    for key, (kind, doc, at) in kept.items():
        target = o + ((key,) if named else (len(merged),))
        if kind == _OVERRIDE:
            value = _merge_fields(sources[key][0], sources[key][1], child, at, out, target, item=True)
        else:
            value = _at(doc, at)
            out.origins[target] = (doc, at)
        _put(merged, key, value)
    for key, at in added:
        out.origins[o + ((key,) if named else (len(merged),))] = (child, at)
        _put(merged, key, _at(child, at))
    return merged


def _put(merged: Any, key: Any, value: Any) -> None:
    if isinstance(merged, dict):
        merged[key] = value
    else:
        merged.append(value)


def _match(
    inherited: list[tuple[Any, Document, Path_]],
    child: Document,
    c: Path_,
    out: _Assembled,
    own: dict[Any, Location] | None = None,
) -> list[tuple[str, Any, Path_, tuple[Document, Path_] | None]]:
    """What each item the child writes at ``c`` does to the inherited ones, in the child's order:
    ``(drop | override | new, key, where the child writes it, where the inherited item is)``.

    ``own`` holds the keys the child has already defined elsewhere (rules over several files)."""
    written = _at(child, c)
    named = isinstance(written, dict)
    entries = list(written.items()) if named else list(enumerate(written or []))
    sources = {key: (doc, path) for key, doc, path in inherited}
    what = _ITEM_NAMES.get(next((part for part in reversed(c) if isinstance(part, str)), ""), "item")
    seen: dict[Any, Path_] = {}
    decisions: list[tuple[str, Any, Path_, tuple[Document, Path_] | None]] = []
    for name_or_index, value in entries:
        at = c + (name_or_index,)
        marks = value if isinstance(value, dict) else {}
        key = name_or_index if named else marks.get(_KEY)
        if key is None or isinstance(key, (dict, list)):
            decisions.append(("new", None, at, None))  # no id: validation of the merged data says so
            continue
        where = at if named else at + (_KEY,)
        if key in seen or (own is not None and key in own):
            first = child.location(seen[key]) if key in seen else own[key]  # type: ignore[index]
            raise RulePackError(
                f"duplicate {what} id {key!r}, first written at {first.file}:{first.line}",
                location=child.location(where),
                code="duplicate_id",
            )
        seen[key] = where
        drop, override = marks.get(_DROP), marks.get(_OVERRIDE)
        for mark, flag in ((_DROP, drop), (_OVERRIDE, override)):
            if flag is not None and flag is not True:
                raise _directive_error(f"{mark}: takes true (got {flag!r})", child, at + (mark,))
        if drop and override:
            raise _directive_error("an item is either dropped or overridden, not both", child, at + (_DROP,))
        if drop or override:
            if key not in sources:
                verb = "drop" if drop else "override"
                guess = difflib.get_close_matches(str(key), [str(k) for k in sources], n=1)
                hint = f" (did you mean {guess[0]!r}?)" if guess else ""
                raise RulePackError(
                    f"cannot {verb} {what} {key!r}: {out.inherits} has no such {what}{hint}",
                    location=child.location(where),
                    code="unknown_inherited",
                )
            if drop:
                extra = sorted(str(k) for k in marks if k not in (_DROP, _KEY))
                if extra:
                    raise _directive_error(
                        f"a dropped {what} states nothing but drop: true (here also: {', '.join(extra)})", child, at
                    )
                out.dropped[key] = child.location(where)
            decisions.append((_DROP if drop else _OVERRIDE, key, at, sources[key]))
            continue
        if key in sources:
            first = sources[key][0].location(sources[key][1])
            raise RulePackError(
                f"{what} {key!r} is inherited from {out.inherits} ({first.file}:{first.line}): "
                f"write override: true to change it, drop: true to remove it, or choose another id",
                location=child.location(where),
                code="inherited_id",
            )
        decisions.append(("new", key, at, None))
    return decisions


def _directive_error(message: str, child: Document, path: Path_) -> RulePackError:
    return RulePackError(message, location=child.location(path), code="merge_directive")
