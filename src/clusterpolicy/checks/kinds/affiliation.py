"""The kind of criterion 1.1: enough legal entities of the cluster that are not affiliated with each other.

The graph and the counts are :mod:`clusterpolicy.checks.affiliation`'s (and
:mod:`clusterpolicy.checks.independent_set`'s); this kind reads the participants, asks for the
count and judges it against ``minimum``.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar, Literal

from ..affiliation import (
    DIRECT_LINKS,
    GROUPINGS,
    meets_minimum,
    count_unaffiliated_legal_entities_json,
    group_links,
    identity_key,
    link_participant_ids,
    recount_json,
    tie_holder,
)
from ..fields import Context, resolve
from ..params import NonNegativeInt, Param, Params, Percentage, YesNo, one_of
from ..patch import below, op
from ..results import Remedy, RemedyOption
from ...identifiers.util import calc_check_digit
from ...core import l10n
from ...core.errors import InvalidChecksum
from .base import CheckBase, FormChecker, Outcome, Runner, Verdict, Words, change

Grouping = one_of("Grouping", tuple(GROUPINGS))
"""Which count decides: groups linked through any chain, or the largest set no two of which are affiliated."""


class UnaffiliatedLegalEntities(CheckBase):
    kind: Literal["unaffiliated_legal_entities"]
    reports: ClassVar[frozenset[str]] = frozenset(
        {"count", "minimum", "affiliation", "count_connected_components", "count_independent_set", "deciding"}
    )
    reads_also: ClassVar[tuple[str, ...]] = ("participants",)
    minimum: Param[NonNegativeInt]
    ownership_threshold_percent: Param[Percentage]
    include_shared_officials: Param[YesNo] = True
    grouping: Param[Grouping] = "connected_components"

    def run(self, context: Context, params: Params) -> Verdict:
        minimum = params(self.minimum)
        result = count_unaffiliated_legal_entities_json(
            resolve(context, "participants") or [],
            ownership_threshold_percent=Decimal(str(params(self.ownership_threshold_percent))),
            include_shared_officials=params(self.include_shared_officials),
            grouping=params(self.grouping),
            minimum=minimum,
        )
        low = result["count_certain"]
        outcome = _judged(low, result["count_if_all_unknown_counted"], minimum)
        both = {name: _count_text(count) for name, count in result["counts"].items()}
        return Verdict(
            outcome,
            count=low,
            minimum=minimum,
            affiliation=result,
            count_connected_components=both["connected_components"],
            count_independent_set=both["independent_set"],
            deciding=result["grouping"],
        )

    def compile(self) -> Runner:
        """:meth:`run` for the explained path; the outcome alone from :func:`~clusterpolicy.checks.affiliation.meets_minimum`:
        the deciding reading's count without its explanation (nor the other reading's count), the
        literal reading's greedy bound first."""

        def outcome(context: Context, params: Params) -> Outcome:
            met = meets_minimum(
                resolve(context, "participants") or [],
                minimum=params(self.minimum),
                ownership_threshold_percent=Decimal(str(params(self.ownership_threshold_percent))),
                include_shared_officials=params(self.include_shared_officials),
                grouping=params(self.grouping),
            )
            return "passed" if met else "unknown" if met is None else "failed"

        return Runner(self.run, outcome)

    def check_against(self, checker: FormChecker) -> None:
        """It reads the participants, which every application has: only its values are checked (their types)."""

    def not_stated(self, observed: dict[str, Any], words: Words) -> list[str]:
        """The participants left out of the count, each with its identifier problem (in the message's language)."""
        problems = (observed.get("affiliation") or {}).get("identifier_problems", [])
        return [
            f"{words.item(p['participant_id'])}: "  # the participant by its name, not its id
            + (words.t(f"identifier_problem.{p.get('code')}") if words.has(f"identifier_problem.{p.get('code')}") else p["message"])
            for p in problems
            if p.get("left_out_of_count")
        ]

    def remedy(self, verdict: Verdict, context: Context, params: Params, words: Words) -> Remedy | None:
        """Failed: how many unaffiliated legal entities to add (with their patch), or a small set of
        links whose end would suffice (found greedily, each step recounted, within a budget).
        Unknown: the identifiers of the participants left out of the count."""
        observed = verdict.observed
        participants = list(resolve(context, "participants") or [])
        if verdict.outcome == "unknown":
            problems = [p for p in (observed.get("affiliation") or {}).get("identifier_problems", []) if p.get("left_out_of_count")]
            index = {participant.id: position for position, participant in enumerate(participants)}
            remedy = self.facts([f"participants.{index[p['participant_id']]}.{p['field']}" for p in problems if p["participant_id"] in index], words)
            return remedy.model_copy(update={"text": words.t("remedy.affiliation_unknown", participants=words.join(self.not_stated(observed, words)))})
        minimum, count = observed["minimum"], observed["count"]
        short = minimum - count
        added = [op("add", "/participants/-", item) for item in _new_entities(participants, short)]
        finding = words.t("remedy.affiliation.finding", minimum=minimum, count=count, short=short)
        alternatives = []
        # English keeps the participants' ids (as the command line's tables do); kk and ru name them
        name = (lambda participant_id: participant_id) if words.lang == "en" else words.item
        ended = self._links_to_end(participants, params, minimum, observed.get("affiliation") or {}, name)
        if ended:
            links, ops = ended
            alternatives.append(RemedyOption(text=words.t("remedy.affiliation_links", links="; ".join(links)), ops=ops))
        text = words.t(f"remedy.affiliation.{l10n.plural_form(short, words.lang)}", n=short)  # «2 more legal entities», «ещё 2 юридических лица»
        return change(text, added, finding=finding, alternatives=alternatives)

    def _counted(self, participants: list[Any], params: Params, minimum: int) -> dict[str, Any]:
        """A trial's count: its verdict and graph, not written out (the other reading's count left out)."""
        return recount_json(
            participants,
            ownership_threshold_percent=Decimal(str(params(self.ownership_threshold_percent))),
            include_shared_officials=params(self.include_shared_officials),
            grouping=params(self.grouping),
            minimum=minimum,
        )

    def _links_to_end(
        self, participants: list[Any], params: Params, minimum: int, counted: dict[str, Any], name: Any = str
    ) -> tuple[list[str], list[dict[str, Any]]] | None:
        """The reasons and the patch of a few links whose end reaches ``minimum``: greedily the link
        whose end gains most, recounted each time; None if none suffices within the budget.

        Bounded before it counts: ending a link of ``k`` participants gains at most ``k - 1`` (its
        participants, at most each on its own; under either grouping), so a link that cannot gain
        more than the best one found so far is not recounted, and the search stops as soon as
        the links left, the largest first, could not reach ``minimum`` within :data:`_MOST_LINKS`
        (a chain of pairs, each end gaining one, is answered without a recount)."""
        budget = _RECOUNT_BUDGET // max(len(participants), 1)
        split_bound = params(self.grouping) == "connected_components"  # the count is its groups: ending a link adds only the pieces its group falls into
        current = list(participants)
        chosen: list[str] = []
        removed: dict[tuple[int, str], list[Any]] = {}  # the entries ended, as objects (positions shift)
        result = counted if "groups" in counted else self._counted(current, params, minimum)  # the verdict's own count first
        count = result["count_certain"]
        while count < minimum and budget > 0:
            linked = {group["number"]: group_links(group) for group in result["groups"]}  # ties between participants as links too
            links = [link for group_linked in linked.values() for link in group_linked]
            group_of = {id(link): number for number, group_linked in linked.items() for link in group_linked}
            members_of: dict[int, list[str]] = {}
            for member in result["participants"]:
                members_of.setdefault(member["group"], []).append(member["participant_id"])
            bounds = sorted((_gain_bound(link) for link in links), reverse=True)
            if count + sum(bounds[: max(_MOST_LINKS - len(chosen), 0)]) < minimum:
                return None  # not within the links a remedy may name, whatever they gain
            best = None
            for link in links:
                if budget <= 0:
                    break
                if best is not None and count + _gain_bound(link) <= best[0]:
                    continue  # cannot gain more than the best found
                entries = _entries_of(link, current)
                if not entries:
                    continue
                budget -= 1
                number = group_of[id(link)]
                if split_bound and _split_gain(link, entries, linked[number], members_of[number], current) <= (best[0] - count if best else 0):
                    continue  # its group stays in one piece: charged as a recount, so the same links are tried as before
                trial = _without(current, entries)
                counted = self._counted(trial, params, minimum)
                gained = counted["count_certain"]
                if gained > count and (best is None or gained > best[0]):
                    best = (gained, link, entries, trial, counted)
            if best is None:
                return None
            count, link, entries, trial, result = best
            outside = link["kind"] not in DIRECT_LINKS  # bound through a person outside the list: named
            chosen.append("–".join(map(name, link_participant_ids(link))) + (f" ({link['holder']})" if outside else ""))
            for (where, field), positions in entries.items():
                kept = getattr(current[where], field)
                removed.setdefault((where, field), []).extend(kept[i] for i in positions)
            current = trial
            if len(chosen) > _MOST_LINKS:
                return None
        if count < minimum:
            return None
        ops = [
            op("remove", below("/participants", index, field, position))
            for (index, field), entries in sorted(removed.items())
            for position in reversed(range(len(getattr(participants[index], field))))
            if any(getattr(participants[index], field)[position] is entry for entry in entries)
        ]
        return chosen, ops

    def shown(self, key: str, value: Any, words: Words) -> str:
        if key == "deciding" and isinstance(value, str):  # the grouping that decides the count
            return words.t(f"grouping.{value}")
        return super().shown(key, value, words)


def _judged(low: int, high: int, minimum: int) -> Outcome:
    """Passed when the verified legal entities reach ``minimum``, unknown when only the unverified ones could, else failed."""
    if low >= minimum:
        return "passed"
    return "unknown" if high >= minimum else "failed"


def _count_text(count: dict[str, Any]) -> int | str:
    """A count as the explanation shows it: the number, or "low–high" while it is not settled
    (unverified legal entities, or a largest set not proven: its search stopped at the budget, or
    was not run because the bounds settle the verdict or the other reading decides)."""
    low, high = count["count_certain"], count["upper_bound"]
    return low if low == high else f"{low}–{high}"


_RECOUNT_BUDGET = 5_000
"""Participants recounted, at most, while looking for links whose end would suffice (a recount
reads every participant): 50 recounts of 100 participants, 5 of 1,000, none of 10,000 (the
remedy then says how many entities to add, which needs no recount)."""

_MOST_LINKS = 5
"""A set of links to end is offered only if it is small."""


def _gain_bound(link: dict[str, Any]) -> int:
    """The most that ending ``link`` can add to the count: its participants, each on its own, less the one they counted as."""
    return max(len(link_participant_ids(link)) - 1, 0)


def _split_gain(
    link: dict[str, Any], entries: dict[tuple[int, str], set[int]], links: list[dict[str, Any]], members: list[str], participants: list[Any]
) -> int:
    """The most that ending ``link`` (its ``entries`` removed) adds to a count of connected groups:
    the pieces its group (its ``members`` and ``links``, :func:`group_links`) falls into, less one. The group's other links stay, but for one with a
    tie that a removed entry may state (an entry of the same participant and list that names
    its holder, as :func:`_entries_of` finds them); the members are joined by the links that
    stay (a participant on its own is a piece, so the bound is never too small)."""
    removed: dict[tuple[str, str], list[Any]] = {}
    for (where, field), positions in entries.items():
        stated = getattr(participants[where], field)
        removed.setdefault((participants[where].id, field), []).extend(stated[i] for i in positions)
    by_id = {participant.id: participant for participant in participants}
    parent: dict[str, str] = {member: member for member in members}

    def find(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    pieces = len(parent)
    for other in links:
        if other is link or any(_may_state(tie, other, removed, by_id) for tie in other["ties"]):
            continue
        ids = [pid for pid in link_participant_ids(other) if pid in parent]
        for pid in ids[1:]:
            first, second = find(ids[0]), find(pid)
            if first != second:
                parent[second] = first
                pieces -= 1
        if pieces == 1:
            return 0
    return pieces - 1


def _may_state(tie: dict[str, Any], link: dict[str, Any], removed: dict[tuple[str, str], list[Any]], by_id: dict[str, Any]) -> bool:
    """Whether one of the ``removed`` entries may be one that states ``tie`` (of ``link``)."""
    holder = tie_holder(tie, link)
    gone = removed.get(_tie_field(tie, holder))
    if not gone:
        return False
    if tie["role"] == "declared":
        other = by_id.get(tie["participant_id"])
        target = _identities(other) if other is not None else {identity_key(tie["participant_id"])}
        return any(identity_key(str(value)) in target for value in gone)
    keys = _identities(by_id[holder]) if holder in by_id else {identity_key(holder)}
    return any(_label(entry) == holder or _names(entry) & keys for entry in gone)


_TIE_FIELDS = {"owner": "owners", "controller": "controlled_by", "official": "officials"}


def _tie_field(tie: dict[str, Any], holder: str) -> tuple[str, str]:
    """The participant and list field that state ``tie`` held by ``holder`` (a declared affiliation is the declaring participant's)."""
    if tie["role"] == "declared":
        return holder, "declared_affiliations"
    return tie["participant_id"], _TIE_FIELDS[tie["role"]]


def _new_entities(participants: list[Any], n: int) -> list[dict[str, Any]]:
    """``n`` legal entities tied to nobody, with valid BINs no participant has, to be named by the applicant."""
    used = {str(getattr(p, "bin", "") or "") for p in participants}
    card = _card(participants) if n > 0 else {}
    made, serial = [], 90000
    while len(made) < n and serial < 100000:
        first = f"170140{serial:05d}"
        serial += 1
        try:
            number = first + calc_check_digit(first)
        except InvalidChecksum:
            continue
        if number in used:
            continue
        made.append({**card, "id": f"new-{len(made) + 1}", "name": f"… {len(made) + 1}", "bin": number, "legal_status": "legal_entity"})
    return made


_TIES = ("owners", "controlled_by", "officials", "declared_affiliations", "iin")
"""What a new entity does not take from the card it copies: whatever could tie it to the others."""


def _card(participants: list[Any]) -> dict[str, Any]:
    """The card a new entity starts from: a legal entity's (its address, codes, indicators: what
    the other rules ask of a card), without its ties; a bare card if there is none."""
    for participant in participants:
        if getattr(participant, "legal_status", None) == "legal_entity":
            data = participant.model_dump(mode="json") if hasattr(participant, "model_dump") else {}
            return {key: value for key, value in data.items() if key not in _TIES}
    return {"kind": "other"}


def _identities(participant: Any) -> set[str]:
    return {identity_key(str(value)) for value in (participant.id, participant.name, participant.bin, participant.iin) if value}


def _entries_of(link: dict[str, Any], participants: list[Any]) -> dict[tuple[int, str], set[int]]:
    """The entries of the participants that state the ties of ``link``: ``(participant index,
    list field) -> positions`` (an owner, a controller, an official, a declared affiliation)."""
    index = {p.id: position for position, p in enumerate(participants)}
    found: dict[tuple[int, str], set[int]] = {}
    keys_of: dict[str, set[str]] = {}  # a holder's keys, once per link (a holding holds many)
    for tie in link["ties"]:
        holder = tie_holder(tie, link)
        holder_keys = keys_of.get(holder)
        if holder_keys is None:
            holder_keys = keys_of[holder] = _identities(participants[index[holder]]) if holder in index else {identity_key(holder)}
        if tie["role"] == "declared":  # the declaring participant (holder) names the other
            if holder not in index or tie["participant_id"] not in index:
                continue
            where, target = index[holder], _identities(participants[index[tie["participant_id"]]])
            entries = participants[where].declared_affiliations
            hits = {i for i, value in enumerate(entries) if identity_key(str(value)) in target}
            field = "declared_affiliations"
        else:
            if tie["participant_id"] not in index:
                continue
            where = index[tie["participant_id"]]
            person = participants[where]
            field, entries = {
                "owner": ("owners", person.owners), "controller": ("controlled_by", person.controlled_by), "official": ("officials", person.officials),
            }[tie["role"]]
            hits = {i for i, entry in enumerate(entries) if _label(entry) == holder or _names(entry) & holder_keys}  # the label first: no name to normalise
        if hits:
            found.setdefault((where, field), set()).update(hits)
    return found


def _names(entry: Any) -> set[str]:
    """The identity keys an owner, controller or official entry is known by."""
    if isinstance(entry, str):
        return {identity_key(entry)}
    values = [getattr(entry, key, None) for key in ("owner_id", "owner_name", "iin", "name")]
    return {identity_key(str(value)) for value in values if value}


def _label(entry: Any) -> str | None:
    """An entry as a tie's holder names it (``name (number)``)."""
    if isinstance(entry, str):
        return entry
    name, number = getattr(entry, "owner_name", None) or getattr(entry, "name", None), getattr(entry, "owner_id", None) or getattr(entry, "iin", None)
    return f"{name} ({number})" if name and number else str(name or number)


def _without(participants: list[Any], entries: dict[tuple[int, str], set[int]]) -> list[Any]:
    """The participants with the ``entries`` removed (copies of the participants changed)."""
    changed = list(participants)
    for (where, field), positions in entries.items():
        person = changed[where]
        kept = [entry for i, entry in enumerate(getattr(person, field)) if i not in positions]
        changed[where] = person.model_copy(update={field: kept})
    return changed


__all__ = ["UnaffiliatedLegalEntities"]
