"""A pack's stand-ins checked: every item it takes from another act is declared, and every
declared item exists and comes from another act.

A pack whose act leaves something to an act that is not among the sources (the KIRI
methodology leaves the order and criteria of selection to the authorized body's Order No.
1212) may take those items from the act of the pack it extends (Decree 535's Rules), provided it
says so in ``pack.yaml`` (``stand_ins:``, model :class:`clusterpolicy.core.law.StandIn`), so
that results and documents can say that a finding rests on a stand-in. ``clusterpolicy check``
and the pack contract report:

- a rule, time limit or parameter that cites the act of the pack it extends (a provision the
  parent's citation style reads) and that no stand-in lists;
- a stand-in that lists an item the pack does not have, or one that cites the pack's own act.
"""

from __future__ import annotations

from typing import Any

from ..core.law import Citation
from ..packs import RulePack

__all__ = ["stand_in_problems", "foreign"]


def foreign(pack: RulePack, citation: Citation) -> bool:
    """The citation names a provision of the act of the pack this one extends (read by that
    pack's citation style), not of the pack's own act. A citation that names its act (``act:``,
    e.g. the Law "On joint stock companies") is a reference to that law, not a stand-in."""
    if citation.act:
        return False
    return pack.citation_style is not None and pack.act_of(citation.provision) != pack.header.act


def _items(pack: RulePack) -> dict[str, dict[str, Any]]:
    return {
        "rules": {rule.id: rule.citation for rule in pack.rules},
        "time_limits": {limit.id: limit.citation for limit in pack.time_limits},
        "parameters": {name: parameter.citation for name, parameter in pack.parameters.items()},
    }


def _scoring_keys(pack: RulePack) -> set[str]:
    if pack.scoring is None:
        return set()
    keys = set(type(pack.scoring).model_fields)
    return keys | {block.id for block in getattr(pack.scoring, "blocks", [])}


def _procedure_path(pack: RulePack, path: str) -> bool:
    value: Any = pack.procedure
    for part in path.split("."):
        if value is None:
            return False
        if isinstance(value, dict):
            value = value.get(int(part) if part.isdigit() and int(part) in value else part)
        else:
            value = getattr(value, part, None)
    return isinstance(value, Citation)


def stand_in_problems(pack: RulePack) -> list[str]:
    """What is taken from another act without being declared, and declarations that do not hold."""
    declared = pack.header.stand_ins
    if not declared and not pack.header.extends:
        return []
    problems = []
    items = _items(pack)
    for kind, found in items.items():
        listed = {name for stand_in in declared for name in getattr(stand_in, kind)}
        for name, citation in found.items():
            if foreign(pack, citation) and name not in listed:
                act = pack.act_of(citation.provision)
                problems.append(
                    f"{kind[:-1].replace('_', ' ')} {name} cites {citation.provision} of {act.kind} No. {act.number}, "
                    f"another act than the pack's own: list it in a stand-in of pack.yaml (stand_ins), or cite the pack's act"
                )
        for number, stand_in in enumerate(declared):
            for name in getattr(stand_in, kind):
                if name not in found:
                    problems.append(f"pack.yaml stand_ins[{number}].{kind}: the pack has no {kind[:-1].replace('_', ' ')} {name!r}")
                elif not foreign(pack, found[name]):
                    problems.append(
                        f"pack.yaml stand_ins[{number}].{kind}: {name} cites the pack's own act ({found[name].provision}), not a stand-in"
                    )
    keys = _scoring_keys(pack)
    for number, stand_in in enumerate(declared):
        for key in stand_in.scoring:
            if key not in keys:
                problems.append(f"pack.yaml stand_ins[{number}].scoring: scoring has no key or block {key!r}")
        for path in stand_in.procedure:
            if not _procedure_path(pack, path):
                problems.append(f"pack.yaml stand_ins[{number}].procedure: {path!r} is not a citation of the procedure")
    return problems
