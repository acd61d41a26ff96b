"""Reading a pack folder into a :class:`~.model.RulePack`: every file validated, with its file
and line; a pack that ``extends`` another merged into it (:mod:`.merge`)."""

from __future__ import annotations

import difflib
import gc
import re
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from ..checks.rule import Rule, check_rule, read_rules
from ..core.errors import Location, RulePackError, UsageError
from ..core.sources import Document, Path_, validate
from ..procedure.stages import PROCEDURE_FILE, check_events, check_rule_ids, read_procedure
from ..procedure.timeline import read_time_limits_file
from ..scoring.config import read_scoring
from .folder import available_packs, digest, read, shipped_digest, with_parent
from .merge import DROP, KEY, OVERRIDE, Assembled, match, merge, value_at, merge_fields, merge_items
from .model import RULE_FILES, SCORING_FILE, TIME_LIMITS_FILE, VOCABULARY_FILE, PackHeader, RulePack, Vocabulary

PACK_ID = re.compile(r"[a-z0-9-]+")
"""What ``extends`` takes: the id of a pack (a folder of that name beside this one, or a shipped pack)."""

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


def load_folder(folder: Any, pack_id: str | None, load_parent: Any, shown_as: str, shipped: bool = False) -> RulePack:
    """Read and validate the pack in ``folder``; ``pack_id`` is the id its ``pack.yaml`` must
    state (a shipped pack's folder name), or ``None`` to take the id it states.

    Linear in the number of rules (``benchmarks/bench_linear.py``): rules are placed by id
    through an index, and Python's cyclic garbage collector, which would walk every object of
    the pack again and again while it grows, is paused while the pack is read."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_folder(folder, pack_id, load_parent, shown_as, shipped)
    finally:
        if enabled:
            gc.enable()


def _load_folder(folder: Any, pack_id: str | None, load_parent: Any, shown_as: str, shipped: bool) -> RulePack:
    header_doc = read(folder, "pack.yaml", shown_as, shipped)
    if pack_id is None:
        stated = header_doc.data.get("id") if isinstance(header_doc.data, dict) else None
        pack_id = stated if isinstance(stated, str) else Path(shown_as).name
    extends = header_doc.data.get("extends") if isinstance(header_doc.data, dict) else None
    if isinstance(extends, str) and not PACK_ID.fullmatch(extends):
        shown = extends if len(extends) <= 60 else extends[:57] + "..."
        raise RulePackError(
            f"extends takes the id of a pack (lowercase letters, digits and hyphens), never a path: {shown!r}",
            location=header_doc.location(("extends",)),
            code="bad_extends",
        )
    parent = _parent(extends, pack_id, load_parent, header_doc) if isinstance(extends, str) else None
    header_doc = _inherit_header(header_doc, parent)
    header = validate(PackHeader, header_doc, error=RulePackError)
    if header.id != pack_id:
        raise RulePackError(
            f"pack id {header.id!r} differs from its folder name {pack_id!r}",
            location=header_doc.location(("id",)),
            code="pack_id",
        )
    own = shipped_digest(pack_id) if shipped else digest(folder, shown_as)
    pack = RulePack(header=header, folder=folder, digest=with_parent(own, parent.digest if parent is not None else None))
    _inherit(pack, header_doc, parent)

    for name in RULE_FILES:
        document = _inherit_rules(read(folder, name, shown_as, shipped), pack)
        if document is None:
            continue
        position = {rule.id: index for index, rule in enumerate(pack.rules)}  # linear in the rules, not quadratic
        for rule, line in read_rules(document):
            if rule.id in pack.lines and not header.extends:
                first_file, first_line = pack.lines[rule.id]
                raise RulePackError(
                    f"duplicate rule id {rule.id!r}, first defined at {first_file}:{first_line}",
                    location=Location(document.file, line, ("id",)),
                    code="duplicate_id",
                )
            if rule.id in position:  # an inherited rule overridden in place
                pack.rules[position[rule.id]] = rule
            else:
                position[rule.id] = len(pack.rules)
                pack.rules.append(rule)
            pack.lines[rule.id] = (document.file, line)
            _check_parameters(rule, pack, document.file, line)
            check_rule(rule, document, line, pack.parameters)  # against the input models: paths, values, messages
    if parent is not None:
        _check_dropped_parameters(pack)
    _resolve_gates(pack)

    document = read(folder, TIME_LIMITS_FILE, shown_as, shipped)
    if document is not None:
        document = _inherit_section(document, pack.sources.get(TIME_LIMITS_FILE), pack)
        pack.sources[TIME_LIMITS_FILE] = document
        pack.time_limits, events = read_time_limits_file(document)  # validated once
        pack.time_limit_events = {event.id: event for event in events}

    document = read(folder, SCORING_FILE, shown_as, shipped)
    if document is not None:
        document = _inherit_section(document, pack.sources.get(SCORING_FILE), pack)
        pack.sources[SCORING_FILE] = document
        pack.scoring = read_scoring(document)
    document = read(folder, VOCABULARY_FILE, shown_as, shipped)
    if document is not None:
        vocabulary = validate(Vocabulary, document, error=RulePackError)
        for family in Vocabulary.model_fields:
            pack.vocabulary.setdefault(family, {}).update(getattr(vocabulary, family))
    _load_procedure(pack, read(folder, PROCEDURE_FILE, shown_as, shipped), parent, f"{shown_as}/{PROCEDURE_FILE}")
    _check_stages(pack)
    return pack


def _check_stages(pack: RulePack) -> None:
    """Every stage a rule applies at is a stage of the pack's procedure (a pack without one knows no stages)."""
    if pack.procedure is None:
        return
    known = ", ".join(str(number) for number in sorted(pack.procedure.stages))
    for rule in pack.rules:
        unknown = [stage for stage in rule.stages if stage not in pack.procedure.stages]
        if unknown:
            file, line = pack.lines.get(rule.id, (None, None))
            raw = next((written for written in pack.raw_rules if written.id == rule.id), rule)
            via = "".join(f" (from parameter {name!r})" for name, key in raw.gate_parameters().items() if key == "stages")
            raise RulePackError(
                f"rule {rule.id!r} applies at stage {unknown[0]}{via}, which is not a stage of {PROCEDURE_FILE} (its stages: {known})",
                location=Location(file, line, ("stages",)),
                code="unknown_stage",
            )


def _load_procedure(pack: RulePack, document: Document | None, parent: RulePack | None, file: str) -> None:
    """``procedure.yaml`` over the parent's (a separate step: inherited whether or not the pack has one)."""
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



def _inherit_header(header_doc: Document, parent: RulePack | None) -> Document:
    """``pack.yaml`` with the parent's parameters merged in by name."""
    if parent is None or not isinstance(header_doc.data.get("parameters", {}), dict):
        return header_doc
    out = Assembled(None, header_doc.file, inherits=parent.id)
    out.origins[()] = (header_doc, ())
    merged = merge_items(parent.sources["pack.yaml"], ("parameters",), header_doc, ("parameters",), out, ("parameters",))
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
            if isinstance(item, dict) and isinstance(item.get(KEY), str):
                inherited.setdefault(item[KEY], (document, ("rules", index)))
        return document
    out = Assembled(None, document.file, inherits=pack.header.extends)
    out.origins[()] = (document, ())
    rules: list[Any] = []
    dropped: set[str] = set()
    old = [(key, doc, path) for key, (doc, path) in inherited.items()]
    for kind, key, at, source in match(old, document, ("rules",), out, own=pack.sources["own rules"]):
        if kind == DROP:
            del inherited[key]
            pack.lines.pop(key, None)
            dropped.add(key)
            continue
        target = ("rules", len(rules))
        if key is not None:
            inherited[key] = (out, target)
            pack.sources["own rules"][key] = document.location(at)
        if kind == OVERRIDE:
            rules.append(merge_fields(source[0], source[1], document, at, out, target, item=True))
        else:
            rules.append(value_at(document, at))
            out.origins[target] = (document, at)
    if dropped:
        pack.rules = [rule for rule in pack.rules if rule.id not in dropped]
    if not rules:
        return None
    out.data = {**document.data, "rules": rules}
    return out


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
    out = Assembled(None, document.file, inherits=pack.header.extends)
    out.data = merge(inherited, (), document, (), out, ())
    return out


