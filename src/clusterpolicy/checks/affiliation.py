"""The count of unaffiliated legal entities among a cluster's participants (Criteria 1.1).

Criterion 1.1 of Decree 535 asks for "at least 10 unaffiliated legal entities" ("үлестес емес
кемінде 10 заңды тұлға") without defining affiliation. This module builds the affiliation graph
of the participants from what the application states, following the Law "On joint stock
companies" art. 64 (see ``docs/affiliation.md``):

- **ownership**: a holder of at least ``ownership_threshold_percent`` of a participant's voting
  shares or participation interest (default 10%, the "major shareholder" of that law) is tied
  to it. Shares one holder has in the same participant under several entries are added up.
- **control** otherwise than by shares (``controlled_by``): a tie whatever the share.
- **officials** (``include_shared_officials``): a head or board member is tied to its company.
- **declared** affiliations: taken as stated.

Participants tied to one another, or to the same person or entity outside the list, are linked,
and so are chains of such links (through owners who are not participants too): with
``grouping="connected_components"`` each such group counts **once**; with ``"independent_set"``
the count is the largest set of entities no two of which are affiliated (a chain alone does not
affiliate its ends; two companies with a common major shareholder are affiliated, whether that
holder is a participant or not: a holder's companies are one clique, never listed pairs). Both
counts are always reported. Only legal entities count
(head organisations: not branches, representative offices, individual entrepreneurs, nor
individuals), a BIN listed twice is one entity, and a participant whose BIN is missing or
invalid cannot be verified: it is left out of :attr:`AffiliationResult.count_certain` and
counted in :attr:`AffiliationResult.count_if_all_unknown_counted`, so that a rule can answer
"unknown" when those participants decide the verdict.

Identities: an owner, controller or official is the same person or entity wherever its BIN or
IIN is the same, or, without one, wherever its name is the same after Unicode NFKC, case
folding and collapsing whitespace (Kazakh letters survive all three). An owner named by a
participant's BIN, or without identifier by a participant's (unique) name, is that participant.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from functools import lru_cache, partial
from operator import attrgetter
from typing import Any, Literal, NamedTuple

from pydantic import Field, SerializerFunctionWrapHandler, model_serializer

from ..core.base import Strict

from ..core.errors import IdentifierError, InputError, Location, UsageError
from ..identifiers import bin as kz_bin
from ..identifiers.names import name_key
from ..identifiers import iin as kz_iin
from .independent_set import SEARCH_BUDGET, apart_cliques_set, maximum_independent_set

Grouping = Literal["connected_components", "independent_set"]
GROUPINGS: tuple[Grouping, ...] = ("connected_components", "independent_set")
"""How the count is made: each group of entities linked through any chain counts once
(``connected_components``), or the largest set of entities no two of which are affiliated
(``independent_set``, :mod:`.independent_set`). Both are computed and reported; the grouping
chosen decides ``count_certain`` and ``count_if_all_unknown_counted``."""

DEFAULT_OWNERSHIP_THRESHOLD_PERCENT = Decimal("10")
"""Law "On joint stock companies" art. 1 ("major shareholder": 10% or more of the voting
shares) with art. 64 p.1 (a major shareholder is an affiliated person); the rule pack's
parameter ``ownership_threshold_percent`` overrides it."""

LEGAL_STATUSES = ("legal_entity", "branch", "representative_office", "individual_entrepreneur", "individual")

LinkKind = Literal[
    "ownership", "control", "official", "common_owner", "shared_official", "owner_and_official", "declared"
]
TieRole = Literal["owner", "controller", "official", "declared"]
DIRECT_LINKS: frozenset[str] = frozenset({"ownership", "control", "official", "declared"})
"""The kinds of link whose holder is a participant: the holder and the participant its tie names
are the two bound. In the other kinds the holder is outside the list and binds the participants
its ties name."""
ExclusionReason = Literal[
    "branch",
    "representative_office",
    "individual_entrepreneur",
    "individual",
    "bin_branch",
    "bin_representative_office",
    "bin_peasant_farm",
    "bin_joint_entrepreneurship",
]


def normalise_name(name: str) -> str:
    """A name as compared: Unicode NFKC, case-folded, whitespace collapsed.

    >>> normalise_name("  ТОО  «Қазақ\\u00a0Өнім» ") == normalise_name("тоо «ҚАЗАҚ ӨНІМ»")
    True
    >>> normalise_name("ӘҒҚҢӨҰҮҺІ")
    'әғқңөұүһі'
    """
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


_normalised = lru_cache(maxsize=4096)(normalise_name)
""":func:`normalise_name` of the last 4,096 names the count compared (the participants' names, a
holder named without an identifier): a service or a batch meets the same names again, as
:func:`~clusterpolicy.identifiers.names.name_key` remembers them (``benchmarks.common.cold_caches``
empties it)."""


def identity_key(value: str) -> str:
    """The key of an owner, controller or official: its 12-digit number, else its name.

    A BIN's 5th digit is 4–6 and an IIN's is the tens of a day (0–3), so one namespace holds both.
    """
    if len(value) == 12 and value.isascii() and value.isdigit():  # already compact: the usual case
        return "id:" + value
    number = kz_bin.compact(value)
    if len(number) == 12 and number.isascii() and number.isdigit():
        return "id:" + number
    return "name:" + _normalised(value)


# --------------------------------------------------------------------------- result models


_Model = Strict

class Tie(_Model):
    """One stated fact: its holder owns, controls, serves or is declared by a participant.

    Written without the values it does not have (a tie has a share only when it is an owner's, a
    position only when an official's is given). A tie between participants (a group's ``ties``)
    names its holder, a participant; a tie of a :class:`Link` (a holder outside the list) names
    it only where this participant names the holder otherwise than the link does."""

    participant_id: str = Field(description="The participant owned, controlled, served, or declared affiliated.")
    holder: str | None = Field(
        None,
        description="Who holds the tie: a participant id in a group's ties (the participant that holds, controls, "
        "serves or declares); in a link's ties, the holder as this participant names it, only where that differs "
        "from the link's holder.",
    )
    role: TieRole
    share_percent: Decimal | None = Field(None, description="For owners: the share held, summed over entries.")
    position: str | None = Field(None, description="For officials: the position, when given.")

    @model_serializer(mode="wrap")
    def _stated(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return {key: value for key, value in handler(self).items() if value is not None}


class Link(_Model):
    """Why participants are affiliated: the ties to one participant or outside person that bind them.

    A group writes the links through a person or entity outside the list (``common_owner``,
    ``shared_official``, ``owner_and_official``); a tie between two participants is a link of its
    own kind (``ownership``, ``control``, ``official``, ``declared``), written as the tie alone
    (:meth:`AffiliationGroup.every_link` gives both, in one order)."""

    kind: LinkKind
    holder: str = Field(
        description="Who binds them: the person or entity outside the list, as first named (for ownership, "
        "control, official and declared: the participant that holds, controls, serves or declares)."
    )
    ties: list[Tie] = Field(description="The ties, each naming the participant it ties (with the holder, the participants bound).")

    @property
    def participant_ids(self) -> list[str]:
        """The participants bound, sorted: the holder and the participant its tie names (ownership,
        control, official, declared), or the participants the ties of a holder outside the list name."""
        ids = {tie.participant_id for tie in self.ties}
        if self.kind in DIRECT_LINKS:
            ids.add(self.holder)
        return sorted(ids)

    def holder_of(self, tie: Tie) -> str:
        """Who holds ``tie``, as the participant stating it names the holder."""
        return tie.holder or self.holder


class GroupMember(_Model):
    """A participant as the count sees it: listed once, with the number of its group."""

    participant_id: str
    name: str
    bin: str | None
    counted_as: Literal["legal_entity", "unverified", "not_counted"] = Field(
        description="legal_entity: a verified legal entity; unverified: a legal entity by its "
        "stated status whose BIN is missing or invalid; not_counted: not a legal entity."
    )
    identified_by: Literal["bin", "card"] | None = Field(
        None,
        description="How a counted legal entity is known: bin (its valid BIN), or card (without a BIN: "
        "the name, country of capital and founding date its participant card states, Appendix 2 §7; "
        "a foreign company, or an application filled in on the decree's forms, which have no BIN row).",
    )
    group: int = Field(
        description="The number of its group: participants linked through any chain share one; a participant "
        "linked to no other is a group of its own (and is not listed in ``groups``)."
    )


class AffiliationGroup(_Model):
    """Participants linked directly or through a chain: one entity for the count. Listed only for two or
    more participants; its members are the participants with its ``number`` as ``group``."""

    number: int = Field(description="1-based, in the order of the groups' smallest participant id (a participant alone is a group too).")
    ties: list[Tie] = Field(
        description="The ties between participants of the group (one holds, controls, serves or declares another), "
        "each with its holder."
    )
    links: list[Link] = Field(description="The persons or entities outside the list that bind participants of the group, each with its ties.")
    counts_certainly: bool = Field(description="Holds at least one verified legal entity.")
    counts_if_unknown_counted: bool = Field(description="Holds a verified or an unverified legal entity.")

    def every_link(self) -> list[Link]:
        """Every link of the group in one order (by the participants bound, then kind and holder): each
        tie between participants as a link of its kind (the ties of one holder, kind and participant
        together), and the links through holders outside the list."""
        return [Link.model_validate(link) for link in group_links(self.model_dump(mode="json"))]


class Exclusion(_Model):
    """A participant that is not a legal entity and so does not count."""

    participant_id: str
    reason: ExclusionReason
    message: str


class DuplicateBin(_Model):
    """One BIN given to several participants: one entity, counted once."""

    bin: str
    participant_ids: list[str]


class IdentifierProblem(_Model):
    """A missing or invalid BIN/IIN of a participant."""

    participant_id: str
    field: Literal["bin", "iin"]
    value: str | None
    code: str = Field(description="missing_bin, or the code of the identifier error.")
    message: str
    left_out_of_count: bool = Field(
        description="True when the participant would count as a legal entity if its BIN were "
        "valid: it is then missing from count_certain and included in count_if_all_unknown_counted."
    )


class Note(_Model):
    """Something stated that the count could not use (e.g. a declared affiliation with an outsider)."""

    participant_id: str
    code: str
    message: str


class GroupingCount(_Model):
    """The count under one grouping, for verified legal entities and with unverified ones counted."""

    count_certain: int
    count_if_all_unknown_counted: int
    exact: bool = Field(
        True,
        description="False when the largest set is not proven largest: its search stopped at its budget, or "
        "was not run (the other grouping decides, or the bounds already settle the minimum).",
    )
    upper_bound: int = Field(description="The most the count can be (unverified counted); equal to it when exact.")
    participant_ids: list[str] = Field(
        default_factory=list, description="independent_set: one largest set of verified legal entities (one participant per entity)."
    )


class AffiliationResult(_Model):
    """The count of unaffiliated legal entities and everything it rests on, in a stable order."""

    ownership_threshold_percent: Decimal
    include_shared_officials: bool
    grouping: Grouping = Field(description="The grouping that decides count_certain and count_if_all_unknown_counted.")
    counts: dict[Grouping, GroupingCount] = Field(
        default_factory=dict, description="The count under every grouping, for the explanation; ``grouping`` decides."
    )
    count_certain: int = Field(
        description="Under the deciding grouping: groups holding a verified legal entity, or the largest "
        "set of verified legal entities no two of which are affiliated (the largest found, if not exact)."
    )
    count_if_all_unknown_counted: int = Field(
        description="The most the count can be: unverified legal entities counted (and, for a largest "
        "set not proven, its upper bound)."
    )
    participants: list[GroupMember] = Field(description="Every participant once, sorted by id, with its group.")
    groups: list[AffiliationGroup] = Field(description="The groups of two or more participants, with the links that bind them.")
    excluded: list[Exclusion]
    duplicates: list[DuplicateBin]
    identifier_problems: list[IdentifierProblem]
    notes: list[Note]

    @property
    def count(self) -> int:
        """The count the verdict can rely on: :attr:`count_certain`."""
        return self.count_certain

    def group_members(self) -> dict[int, list[GroupMember]]:
        """Every group's members by the group's number, in that order; a participant alone is a group of one."""
        found: dict[int, list[GroupMember]] = {}
        for participant in self.participants:
            found.setdefault(participant.group, []).append(participant)
        return dict(sorted(found.items()))

    def members(self, group: int | AffiliationGroup) -> list[GroupMember]:
        """The participants of ``group`` (or of the group of that number), sorted by id."""
        number = group.number if isinstance(group, AffiliationGroup) else group
        return [participant for participant in self.participants if participant.group == number]

    @property
    def unverified_participant_ids(self) -> list[str]:
        return [p.participant_id for p in self.identifier_problems if p.left_out_of_count]

    def meets_minimum(self, minimum: int) -> bool | None:
        """True or False when the unverified participants cannot change the answer, else None."""
        if self.count_certain >= minimum:
            return True
        if self.count_if_all_unknown_counted < minimum:
            return False
        return None


# --------------------------------------------------------------------------- the graph

Json = dict[str, Any]


class _Tie(NamedTuple):
    """A :class:`Tie` while the graph is built (its share a ``Decimal``, summed and compared with the threshold)."""

    participant_id: str
    holder: str
    role: TieRole
    share_percent: Decimal | None = None
    position: str | None = None

    def in_link(self, holder: str) -> Json:
        """The :class:`Tie` as a :class:`Link` held by ``holder`` writes it: its own holder only where it differs."""
        tie: Json = {"participant_id": self.participant_id}
        if self.holder != holder:
            tie["holder"] = self.holder
        return self._stated(tie)

    def _stated(self, tie: Json) -> Json:
        """``tie`` (its participant and holder written) with the role and what this tie states of share and position."""
        tie["role"] = self.role
        if self.share_percent is not None:
            tie["share_percent"] = str(self.share_percent)
        if self.position is not None:
            tie["position"] = self.position
        return tie


_tie = partial(tuple.__new__, _Tie)
"""A :class:`_Tie` of its five fields in one tuple, made in C (the NamedTuple's ``__new__`` is a Python call)."""


def link_participant_ids(link: Json) -> list[str]:
    """The participants a :class:`Link` (as JSON) binds, sorted: its holder with the participant its
    tie names (ownership, control, official, declared), or the participants its ties name."""
    ids = {tie["participant_id"] for tie in link["ties"]}
    if link["kind"] in DIRECT_LINKS:
        ids.add(link["holder"])
    return sorted(ids)


_KIND_OF_ROLE: dict[str, LinkKind] = {"owner": "ownership", "controller": "control", "official": "official", "declared": "declared"}
"""A tie's role -> the kind of the link it makes between two participants."""


def group_links(group: Json) -> list[Json]:
    """Every link of an :class:`AffiliationGroup` (as JSON) in one order, by the participants bound,
    then kind and holder: each tie between participants as a link of its kind (``ownership``,
    ``control``, ``official``, ``declared``; the ties of one holder, kind and participant
    together) and the links through holders outside the list, as :class:`Link` JSON. The order
    documents write the ties in and the remedy tries the links in."""
    keyed: list[tuple[tuple[Any, ...], Json]] = []
    for tie in group.get("ties") or ():
        holder, kind, target = tie["holder"], _KIND_OF_ROLE[tie["role"]], tie["participant_id"]
        if keyed and keyed[-1][1]["kind"] == kind and keyed[-1][1]["holder"] == holder and keyed[-1][1]["ties"][0]["participant_id"] == target:
            keyed[-1][1]["ties"].append(tie)  # another entry of the same tie (two names of one holder)
            continue
        bound = [holder, target] if holder < target else [target, holder]
        keyed.append(((bound, kind, "", holder), {"kind": kind, "holder": holder, "ties": [tie]}))
    for link in group.get("links") or ():
        keyed.append(((sorted({tie["participant_id"] for tie in link["ties"]}), link["kind"], link["holder"], ""), link))
    keyed.sort(key=lambda item: item[0])
    return [link for _, link in keyed]


def tie_holder(tie: Json, link: Json) -> str:
    """Who holds ``tie`` (as JSON) of ``link``, as the participant stating it names the holder."""
    return tie.get("holder") or link["holder"]


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, node: str) -> str:
        """The root of ``node``'s group; iterative, with path halving, so a chain of any length
        (100,000 joint ventures in a row) neither recurses nor stays long."""
        parent = self.parent
        if node not in parent:
            parent[node] = node
            return node
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def union(self, first: str, second: str) -> None:
        parent = self.parent  # both roots found as :meth:`find` finds them, without its calls (a union a tie)
        if first not in parent:
            parent[first] = first
        else:
            while parent[first] != first:
                parent[first] = parent[parent[first]]
                first = parent[first]
        if second not in parent:
            parent[second] = second
        else:
            while parent[second] != second:
                parent[second] = parent[parent[second]]
                second = parent[second]
        # The smaller key becomes the root, so the result never depends on input order.
        if first < second:
            self.parent[second] = first
        elif second < first:
            self.parent[first] = second


def _required(participant: Any, attribute: str, index: int) -> Any:
    value = getattr(participant, attribute, None)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InputError(f"a participant needs a {attribute}", location=Location(path=("participants", index, attribute)))
    return value


def _share(value: Any, path: tuple[Any, ...]) -> Decimal:
    try:
        share = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InputError(f"share_percent {value!r} is not a number", location=Location(path=path)) from None
    if not share.is_finite() or not 0 < share <= 100:  # Decimal and int compare exactly
        raise InputError(f"share_percent {value} must be above 0 and at most 100", location=Location(path=path))
    return share


def _threshold(value: Any) -> Decimal:
    try:
        threshold = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise UsageError(f"ownership_threshold_percent {value!r} is not a number") from None
    if not threshold.is_finite() or not Decimal(0) < threshold <= Decimal(100):
        raise UsageError(f"ownership_threshold_percent {value} must be above 0 and at most 100")
    return threshold


_BIN_EXCLUSIONS: dict[str, tuple[ExclusionReason, str]] = {
    "branch": ("bin_branch", "its BIN's attribute digit (6th) is 1: a branch, not a legal entity"),
    "representative_office": (
        "bin_representative_office",
        "its BIN's attribute digit (6th) is 2: a representative office, not a legal entity",
    ),
    "peasant_farm": ("bin_peasant_farm", "its BIN's attribute digit (6th) is 3: a peasant farm in joint entrepreneurship"),
}

_STATUS_EXCLUSIONS: dict[str, str] = {
    "branch": "a branch is a subdivision of a legal entity, not a legal entity (Civil Code art. 43)",
    "representative_office": "a representative office is not a legal entity (Civil Code art. 43)",
    "individual_entrepreneur": "an individual entrepreneur is not a legal entity",
    "individual": "an individual is not a legal entity",
}


class _Participant:
    """What the count needs of one participant, read once from the duck-typed input."""

    __slots__ = (
        "index", "id", "name", "legal_status", "raw_bin", "raw_iin", "owners", "controlled_by", "officials", "declared",
        "states_ties", "bin", "iin", "counted_as", "capital_country", "founded", "identified_by",
    )

    def __init__(self, source: Any, index: int) -> None:
        self.index = index
        try:  # the attributes at once (a validated participant has them all), else one by one
            name_id, name, legal_status, raw_bin, raw_iin, owners, controlled_by, officials, declared, capital_country, founded = _READ(source)
        except AttributeError:  # a duck-typed participant without some: None for those
            name_id, name, legal_status, raw_bin, raw_iin, owners, controlled_by, officials, declared, capital_country, founded = (
                getattr(source, attribute, None) for attribute in _READ_ATTRIBUTES
            )
        # id, name and legal status are required (:func:`_required`); a validated participant's are non-blank strings
        self.id = name_id if type(name_id) is str and name_id and not name_id[0].isspace() else str(_required(source, "id", index))
        self.name = name if type(name) is str and name and not name[0].isspace() else str(_required(source, "name", index))
        self.legal_status = legal_status if type(legal_status) is str and legal_status in LEGAL_STATUSES else str(_required(source, "legal_status", index))
        if self.legal_status not in LEGAL_STATUSES:
            raise InputError(
                f"legal_status {self.legal_status!r} is not one of {', '.join(LEGAL_STATUSES)}",
                location=Location(path=("participants", index, "legal_status")),
            )
        self.raw_bin: str | None = raw_bin
        self.raw_iin: str | None = raw_iin
        self.owners: Sequence[Any] = owners or ()
        self.controlled_by = [str(value) for value in controlled_by] if controlled_by else []
        self.officials: Sequence[Any] = officials or ()
        self.declared = [str(value) for value in declared] if declared else []
        self.states_ties = bool(owners or controlled_by or officials or declared)
        self.bin: str | None = None  # the compact BIN when valid
        self.iin: str | None = None  # the compact IIN when valid
        self.counted_as: Literal["legal_entity", "unverified", "not_counted"] = "not_counted"
        self.capital_country = capital_country
        self.founded = founded
        self.identified_by: Literal["bin", "card"] | None = None
        """How a counted legal entity is known: by its valid BIN, or, without a BIN (a foreign
        company, or the decree's forms, which have no BIN row), by what its card states: name,
        country of capital and founding date (Appendix 2 §7)."""


_READ_ATTRIBUTES = (
    "id", "name", "legal_status", "bin", "iin", "owners", "controlled_by", "officials", "declared_affiliations", "capital_country", "founded",
)
_READ = attrgetter(*_READ_ATTRIBUTES)
"""What :class:`_Participant` reads of a participant, in one call."""
_ID = attrgetter("id")
"""A participant's id (the key people are sorted by)."""


def _problem(participant: _Participant, field: str, value: Any, code: str, message: str, left_out: bool) -> Json:
    """An :class:`IdentifierProblem`, as JSON."""
    return {
        "participant_id": participant.id,
        "field": field,
        "value": None if value is None else str(value),
        "code": code,
        "message": message,
        "left_out_of_count": left_out,
    }


def _exclusion(participant: _Participant, reason: str, message: str) -> Json:
    """An :class:`Exclusion`, as JSON."""
    return {"participant_id": participant.id, "reason": reason, "message": message}


def _classify(participant: _Participant, excluded: list[Json], problems: list[Json]) -> None:
    """Validate the identifiers and decide how the participant counts."""
    entity_type = attribute = None  # the BIN's type and attribute digits, read, when it is valid
    raw_bin = participant.raw_bin
    bin_given = raw_bin is not None and bool(str(raw_bin).strip())
    if bin_given:
        try:
            participant.bin, entity_type, attribute = kz_bin.decoded(raw_bin)
        except IdentifierError as error:
            left_out = participant.legal_status == "legal_entity"
            problems.append(_problem(participant, "bin", participant.raw_bin, error.code, error.message, left_out))
    elif participant.legal_status == "legal_entity" and not _card_identifies(participant):
        message = (
            "no BIN is given, nor the name, country of capital and founding date of its card, so the "
            "participant cannot be identified as a legal entity"
        )
        problems.append(_problem(participant, "bin", None, "missing_bin", message, True))
    if participant.raw_iin is not None and str(participant.raw_iin).strip():
        try:
            participant.iin = kz_iin.validate(participant.raw_iin)
        except IdentifierError as error:
            problems.append(_problem(participant, "iin", participant.raw_iin, error.code, error.message, False))

    if participant.legal_status != "legal_entity":
        reason: ExclusionReason = participant.legal_status  # type: ignore[assignment]
        excluded.append(_exclusion(participant, reason, _STATUS_EXCLUSIONS[reason]))
    elif entity_type is None and bin_given:
        participant.counted_as = "unverified"  # a BIN given wrong is a conflict, not an absence
    elif entity_type is None:
        if _card_identifies(participant):
            participant.counted_as, participant.identified_by = "legal_entity", "card"
        else:
            participant.counted_as = "unverified"
    elif entity_type == "joint_entrepreneurship":
        message = "its BIN's type digit (5th) is 6: individual entrepreneurs in joint entrepreneurship, not a legal entity"
        excluded.append(_exclusion(participant, "bin_joint_entrepreneurship", message))
    elif attribute in _BIN_EXCLUSIONS:
        reason, message = _BIN_EXCLUSIONS[attribute]
        excluded.append(_exclusion(participant, reason, message))
    else:
        participant.counted_as, participant.identified_by = "legal_entity", "bin"


def _card_identifies(participant: _Participant) -> bool:
    """The participant card names the entity well enough to tell it from any other: a name, the
    country of its capital and its founding date, all stated (what the forms give without a BIN)."""
    return bool(
        participant.name.strip()
        and participant.capital_country is not None
        and str(participant.capital_country).strip()
        and participant.founded is not None
    )


def card_key(participant: Any) -> str:
    """The identity of a legal entity known by its card: its name as :func:`identifiers.names.name_key`
    reads it (legal form in any language and order), its country of capital and its founding date."""
    name = name_key(participant.name)
    country = normalise_name(str(participant.capital_country))
    return "card:" + "|".join([name.words, ",".join(sorted(name.forms)), country, str(participant.founded)])


def count_unaffiliated_legal_entities(
    participants: Iterable[Any],
    *,
    ownership_threshold_percent: Decimal | int | str = DEFAULT_OWNERSHIP_THRESHOLD_PERCENT,
    include_shared_officials: bool = True,
    grouping: Grouping = "connected_components",
    minimum: int | None = None,
) -> AffiliationResult:
    """Count the groups of affiliated participants that hold a legal entity (Criteria 1.1).

    ``participants`` are objects with the attributes of :class:`clusterpolicy.input.decree535_form.Participant`
    (``id``, ``name``, ``bin``, ``iin``, ``legal_status``, ``owners``, ``controlled_by``,
    ``officials``, ``declared_affiliations``). ``ownership_threshold_percent`` is the smallest
    share that affiliates (at or above it); ``grouping`` is the counting rule that decides
    (``"connected_components"`` or ``"independent_set"``); both counts are in ``counts``
    (see ``docs/affiliation.md``).

    ``minimum`` (the "at least N" a rule asks) bounds the work: the literal reading's largest set
    is then searched for exactly only when that reading decides and its bounds leave "at least
    N" open; otherwise it is reported by its bounds (``exact: False`` when they differ). Without
    ``minimum`` both counts are searched for exactly, within :data:`~.independent_set.SEARCH_BUDGET`.
    """
    return AffiliationResult.model_validate(
        count_unaffiliated_legal_entities_json(
            participants,
            ownership_threshold_percent=ownership_threshold_percent,
            include_shared_officials=include_shared_officials,
            grouping=grouping,
            minimum=minimum,
        )
    )


def count_unaffiliated_legal_entities_json(
    participants: Iterable[Any],
    *,
    ownership_threshold_percent: Decimal | int | str = DEFAULT_OWNERSHIP_THRESHOLD_PERCENT,
    include_shared_officials: bool = True,
    grouping: Grouping = "connected_components",
    minimum: int | None = None,
) -> Json:
    """:func:`count_unaffiliated_legal_entities` as JSON-ready data, built without the models.

    Equal to ``count_unaffiliated_legal_entities(...).model_dump(mode="json")`` (decimals as
    strings); the rules engine puts it in its results as it is, which spares building and
    dumping one model per participant for every application evaluated.
    """
    return _count_json(participants, ownership_threshold_percent, include_shared_officials, grouping, minimum, True)


def recount_json(
    participants: Iterable[Any],
    *,
    ownership_threshold_percent: Decimal | int | str = DEFAULT_OWNERSHIP_THRESHOLD_PERCENT,
    include_shared_officials: bool = True,
    grouping: Grouping = "connected_components",
    minimum: int | None = None,
) -> Json:
    """:func:`count_unaffiliated_legal_entities_json` under the deciding ``grouping`` alone, for a
    count nobody reads but its verdict and graph (a remedy's trials): ``counts`` holds only that
    grouping's count, so under ``connected_components`` the literal reading's bounds are not computed."""
    return _count_json(participants, ownership_threshold_percent, include_shared_officials, grouping, minimum, False)


def _count_json(
    participants: Iterable[Any],
    ownership_threshold_percent: Decimal | int | str,
    include_shared_officials: bool,
    grouping: Grouping,
    minimum: int | None,
    both: bool,
) -> Json:
    built = _built(participants, ownership_threshold_percent, include_shared_officials, grouping, minimum, True)
    people, node_of, graph, direct, outside = built.people, built.node_of, built.graph, built.direct, built.outside
    between, links = _links(direct, outside, built.outside_name, node_of)
    members, groups, certainly, if_unknown = _groups(people, node_of, graph, between, links)
    components = {
        "count_certain": certainly,
        "count_if_all_unknown_counted": if_unknown,
        "exact": True,
        "upper_bound": if_unknown,
        "participant_ids": [],
    }
    counts: dict[str, Json] = {"connected_components": components}
    if both or grouping == "independent_set":
        counts["independent_set"] = _independent(people, node_of, direct, outside, minimum, grouping == "independent_set")
    deciding = counts[grouping]
    return {
        "ownership_threshold_percent": str(built.threshold),
        "include_shared_officials": include_shared_officials,
        "grouping": grouping,
        "counts": counts,
        "count_certain": deciding["count_certain"],
        "count_if_all_unknown_counted": deciding["upper_bound"],
        "participants": members,
        "groups": groups,
        "excluded": sorted(built.excluded, key=lambda item: item["participant_id"]),
        "duplicates": [{"bin": number, "participant_ids": ids} for number, ids in sorted(built.by_bin.items()) if len(ids) > 1],
        "identifier_problems": sorted(built.problems, key=lambda item: (item["participant_id"], item["field"])),
        "notes": sorted(built.notes, key=lambda item: (item["participant_id"], item["message"])),
    }


def count_bounds(
    participants: Iterable[Any],
    *,
    ownership_threshold_percent: Decimal | int | str = DEFAULT_OWNERSHIP_THRESHOLD_PERCENT,
    include_shared_officials: bool = True,
    grouping: Grouping = "connected_components",
    minimum: int | None = None,
) -> tuple[int, int]:
    """``count_certain`` and ``count_if_all_unknown_counted`` of
    :func:`count_unaffiliated_legal_entities_json` with the same arguments (the same errors too),
    computing nothing of the explanation: no participant, group, tie or link written, and the
    other reading's count not made. Under ``independent_set`` the count is the same search,
    bounds first (greedy, clique cover), the exact search only if they leave "at least
    ``minimum``" open. What a verdict needs without its explanation (``evaluate(..., explain=False)``)."""
    return _bounds(_built(participants, ownership_threshold_percent, include_shared_officials, grouping, minimum, False), minimum)


def _bounds(built: _Built, minimum: int | None, enough: bool = False) -> tuple[int, int]:
    """The deciding reading's ``count_certain`` and ``count_if_all_unknown_counted``, nothing of
    the explanation: the groups (:func:`_components_count`) or the largest set (:func:`_independent`,
    ``enough`` as it takes it)."""
    if built.grouping == "independent_set":
        count = _independent(built.people, built.node_of, built.direct, built.outside, minimum, True, named=False, enough=enough)
        return count["count_certain"], count["upper_bound"]
    return _components_count(built)


def _components_count(built: _Built) -> tuple[int, int]:
    """The groups holding a verified legal entity, and those holding a verified or an unverified one."""
    find, node_of = built.graph.find, built.node_of
    certain: set[str] = set()  # the roots of groups holding a verified legal entity
    possible: set[str] = set()  # ... a verified or an unverified one
    for person in built.people:
        counted_as = person.counted_as
        if counted_as == "legal_entity":
            root = find(node_of[person.id])
            certain.add(root)
            possible.add(root)
        elif counted_as == "unverified":
            possible.add(find(node_of[person.id]))
    return len(certain), len(possible)


def meets_minimum(
    participants: Iterable[Any],
    *,
    minimum: int,
    ownership_threshold_percent: Decimal | int | str = DEFAULT_OWNERSHIP_THRESHOLD_PERCENT,
    include_shared_officials: bool = True,
    grouping: Grouping = "connected_components",
) -> bool | None:
    """Whether the deciding count reaches ``minimum``: True when the verified legal entities do,
    None when only the unverified ones could, False otherwise (:meth:`AffiliationResult.meets_minimum`
    of the same count, the same input errors), with the least work: :func:`count_bounds`, and
    under ``independent_set`` the greedy lower bound first, which settles "at least ``minimum``"
    without the clique-cover bound, the count with unverified entities or the exact search."""
    built = _built(participants, ownership_threshold_percent, include_shared_officials, grouping, minimum, False)
    low, high = _bounds(built, minimum, enough=True)
    if low >= minimum:
        return True
    return None if high >= minimum else False


class _Built(NamedTuple):
    """The graph of the participants, before anything of the explanation is written: the people
    sorted by id, each participant's node, the groups (a union-find of the nodes), the ties
    between participants by (kind, holder, participant), the ties of holders outside the list
    by their key, and what the explanation lists (empty lists without ``explain``, but for
    the identifier problems and exclusions, which the classification writes)."""

    threshold: Decimal
    grouping: Grouping
    people: list[_Participant]
    node_of: dict[str, str]
    graph: _UnionFind
    direct: dict[tuple[str, str, str], list[Json]]
    outside: dict[str, list[_Tie]]
    outside_name: dict[str, str]
    by_bin: dict[str, list[str]]
    excluded: list[Json]
    problems: list[Json]
    notes: list[Json]


def _built(
    participants: Iterable[Any],
    ownership_threshold_percent: Decimal | int | str,
    include_shared_officials: bool,
    grouping: Grouping,
    minimum: int | None,
    explain: bool,
) -> _Built:
    """The graph both counts rest on (:class:`_Built`), with the checks of the arguments and the
    input errors of the count: the one entry of the public counts, which pass their keywords
    through; ``explain`` False leaves out the ties' JSON and the notes."""
    threshold = _threshold(ownership_threshold_percent)
    if minimum is not None and (isinstance(minimum, bool) or not isinstance(minimum, int)):
        raise UsageError(f"minimum {minimum!r} is not a whole number")
    if grouping not in GROUPINGS:
        raise UsageError(f"grouping {grouping!r} is not one of {', '.join(GROUPINGS)}")

    people = [_Participant(source, index) for index, source in enumerate(participants)]
    seen: dict[str, int] = {}
    for person in people:
        if person.id in seen:
            raise InputError(
                f"participant id {person.id!r} is used twice (also participants[{seen[person.id]}])",
                location=Location(path=("participants", person.index, "id")),
            )
        seen[person.id] = person.index
    people.sort(key=_ID)

    excluded: list[Json] = []
    problems: list[Json] = []
    notes: list[Json] = []
    # Each participant is a node; participants with the same valid BIN share one.
    node_of: dict[str, str] = {}
    by_bin: dict[str, list[str]] = defaultdict(list)
    by_card: dict[str, list[str]] = defaultdict(list)  # a legal entity known by its card, listed twice, is one
    for person in people:
        _classify(person, excluded, problems)
        if person.bin is not None:
            by_bin[person.bin].append(person.id)
        elif person.identified_by == "card":
            by_card[card_key(person)].append(person.id)
    first_by_card = {person_id: ids[0] for ids in by_card.values() for person_id in ids}
    for person in people:
        if person.bin is not None:
            node_of[person.id] = "entity:" + by_bin[person.bin][0]
        else:
            node_of[person.id] = "entity:" + first_by_card.get(person.id, person.id)

    aliases, name_aliases = _aliases(people, by_bin, node_of) if any(p.states_ties for p in people) else ({}, _NameAliases([], {}))

    graph = _UnionFind()
    graph.parent = {node: node for node in node_of.values()}
    direct: dict[tuple[str, str, str], list[Json]] = defaultdict(list)  # (kind, holder id, participant id) -> its ties, as JSON
    outside: dict[str, list[_Tie]] = defaultdict(list)  # key of a holder outside the list -> its ties
    outside_name: dict[str, str] = {}
    union = graph.union
    for person in (person for person in people if person.states_ties):
        node = node_of[person.id]
        # each helper is only called when it has something to read
        stated = _owner_ties(person, threshold, aliases, name_aliases) if person.owners else []
        if person.controlled_by:
            stated += [(key, aliases.get(key) or name_aliases.get(key), tie) for key, tie in _controller_ties(person)]
        if person.officials and include_shared_officials:
            stated += _official_ties(person, aliases, name_aliases)
        for key, holder, tie in stated:
            if holder is None:
                outside[key].append(tie)
                if key not in outside_name:
                    outside_name[key] = tie.holder
            elif node_of[holder] != node:
                ties = direct[(_KIND_OF_ROLE[tie.role], holder, person.id)]
                if explain:  # the tie between two participants, held by the participant ``holder``
                    ties.append(tie._stated({"participant_id": tie.participant_id, "holder": holder}))
                union(node_of[holder], node)
        for declared in sorted(set(person.declared)) if person.declared else ():
            key = identity_key(declared)
            target = declared if declared in seen else aliases.get(key) or name_aliases.get(key)
            if target is None:
                if explain:
                    message = f"declared affiliation with {declared}, which is not a participant: no effect on the count"
                    notes.append({"participant_id": person.id, "code": "declared_outside", "message": message})
            elif node_of[target] != node_of[person.id]:
                ties = direct[("declared", person.id, target)]
                if explain:
                    ties.append({"participant_id": target, "holder": person.id, "role": "declared"})
                graph.union(node_of[person.id], node_of[target])
    for ties in outside.values():  # a holder outside the list binds the participants it is tied to
        if len(ties) > 1:
            for tie in ties[1:]:
                union(node_of[ties[0].participant_id], node_of[tie.participant_id])

    return _Built(threshold, grouping, people, node_of, graph, direct, outside, outside_name, by_bin, excluded, problems, notes)


def _independent(
    people: Sequence[_Participant],
    node_of: dict[str, str],
    direct: dict[tuple[str, str, str], list[Json]],
    outside: dict[str, list[_Tie]],
    minimum: int | None,
    deciding: bool,
    named: bool = True,
    enough: bool = False,
) -> Json:
    """The largest set of entities no two of which are affiliated (Criteria 1.1 read literally).

    Two entities are affiliated when one is tied to the other (owns, controls, serves it, or a
    declaration), or when one holder is tied to both, whether the holder is outside the list or
    a participant itself (a company, an individual entrepreneur): the holder's companies are one
    clique, never listed pairs. A chain alone does not affiliate its ends. Counted: entities
    holding a verified legal entity (certain), and those holding a verified or unverified one
    (if all unknown counted).

    Work: with ``minimum`` (a rule asking "at least N"), the bounds come first (reductions, greedy,
    clique cover: linear in the ties); the exact search runs only when this reading decides and
    the bounds leave the verdict open, and stops once it is settled. Without ``minimum`` the
    exact count is asked for. One search budget is shared by the two counts (certain, and with
    unverified entities counted), and the second search runs only when the first left the
    verdict open. ``enough`` (for a verdict alone, :func:`meets_minimum`): a greedy set reaching
    ``minimum`` stops the count there (its ``upper_bound`` is then not a bound)."""
    edges: list[tuple[str, str]] = []
    held: dict[str, set[str]] = defaultdict(set)  # a participant holder -> the entities it is tied to
    for (kind, holder, target) in direct:
        if kind == "declared":
            edges.append((node_of[holder], node_of[target]))
        else:
            held[node_of[holder]].add(node_of[target])
    cliques: list[set[str]] = [{holder} | targets for holder, targets in held.items()]
    for ties in outside.values():
        if len(ties) > 1:  # a holder of one tie (most) binds nothing
            nodes = {node_of[tie.participant_id] for tie in ties}
            if len(nodes) > 1:
                cliques.append(nodes)
    first: dict[str, str] = {}  # a verified entity -> its first participant
    unverified: set[str] = set()
    for person in people:  # sorted by id: an entity is shown by its first participant
        if person.counted_as == "legal_entity":
            first.setdefault(node_of[person.id], person.id)
        elif person.counted_as == "unverified":
            unverified.add(node_of[person.id])
    verified = list(first)
    possible = verified + [node for node in unverified if node not in first]
    if minimum is None:  # the exact count is asked for
        budget, target = SEARCH_BUDGET, None
    elif deciding:
        budget, target = SEARCH_BUDGET, minimum
    else:  # the other reading decides: bounds only
        budget, target = 0, None
    # bounds only, and no holder binds an entity another binds (most applications): the reductions
    # take every entity, without the solver's graph (apart_cliques_set; None: the solver's case)
    apart = budget == 0 and not edges and not enough
    certain = (apart and apart_cliques_set(verified, cliques)) or maximum_independent_set(
        verified, edges, cliques=cliques, budget=budget, target=target, enough=enough
    )
    if len(possible) == len(verified) or (enough and target is not None and certain.size >= target):
        wider = certain
    else:
        if target is not None and certain.size >= target:
            budget = 0  # "at least the minimum" is settled by the verified entities alone
        left = max(0, budget - certain.operations) if budget else 0
        wider = (apart and apart_cliques_set(possible, cliques)) or maximum_independent_set(
            possible, edges, cliques=cliques, budget=left, target=target, enough=enough
        )
    return {
        "count_certain": certain.size,
        "count_if_all_unknown_counted": max(wider.size, certain.size),
        "exact": certain.exact and wider.exact,
        "upper_bound": max(wider.upper_bound, certain.upper_bound),
        "participant_ids": sorted(first[node] for node in certain.members) if named else [],
    }


def _owner_ties(
    person: _Participant, threshold: Decimal, aliases: dict[str, str], name_aliases: _NameAliases
) -> list[tuple[str, str | None, _Tie]]:
    """The holders of at least ``threshold`` percent of ``person`` (shares of one holder added up,
    however it is named), each with its identity key and the participant it is (None: outside
    the list), in the order of their keys."""
    entries: dict[str, list[Any]] = {}  # total key -> [share, identity key, label as first named, holder]
    for position, owner in enumerate(person.owners):
        try:  # a validated owner's three attributes in one call
            owner_id, share, owner_name = _OWNER_READ(owner)
        except AttributeError:
            owner_id, share, owner_name = (getattr(owner, attribute, None) for attribute in _OWNER_ATTRIBUTES)
        # identity_key's usual case (a compact BIN or IIN) without its call
        if type(owner_id) is str and len(owner_id) == 12 and owner_id.isascii() and owner_id.isdigit():
            key = "id:" + owner_id
        else:
            if not owner_id or not str(owner_id).strip():
                path = ("participants", person.index, "owners", position, "owner_id")
                raise InputError("an owner needs an owner_id", location=Location(path=path))
            owner_id = str(owner_id)
            key = identity_key(owner_id)
        holder = aliases.get(key)
        if holder is None and key[0] == "n":  # a "name:" key: only a name finds a participant by its name
            holder = name_aliases.get(key)
        total_key = "participant:" + holder if holder is not None else key
        if not (type(share) is Decimal and share.is_finite() and 0 < share <= 100):  # the validated form's, as is
            share = _share(share, ("participants", person.index, "owners", position, "share_percent"))
        entry = entries.get(total_key)
        if entry is None:
            entries[total_key] = [share, key, f"{owner_name} ({owner_id})" if owner_name else owner_id, holder]
        else:
            entry[0] += share
    found = entries.values() if len(entries) == 1 else [entries[total_key] for total_key in sorted(entries)]
    person_id = person.id
    return [(key, holder, _tie((person_id, label, "owner", share, None))) for share, key, label, holder in found if share >= threshold]


_OWNER_ATTRIBUTES = ("owner_id", "share_percent", "owner_name")
_OWNER_READ = attrgetter(*_OWNER_ATTRIBUTES)
_OFFICIAL_ATTRIBUTES = ("name", "iin", "position")
_OFFICIAL_READ = attrgetter(*_OFFICIAL_ATTRIBUTES)


def _controller_ties(person: _Participant) -> list[tuple[str, _Tie]]:
    """Who controls ``person`` otherwise than by shares, each with its identity key."""
    return [(identity_key(name), _Tie(person.id, name, "controller")) for name in sorted(set(person.controlled_by))]


def _official_ties(
    person: _Participant, aliases: dict[str, str], name_aliases: _NameAliases
) -> list[tuple[str, str | None, _Tie]]:
    """The officials of ``person``, one per identity (IIN, else name), each with its identity key
    and the participant it is (None: outside the list), in the order of their keys."""
    first_listed: dict[str, tuple[str, str | None]] = {}  # key -> (label, position)
    for official in person.officials:
        try:  # a validated official's three attributes in one call
            name, iin, position = _OFFICIAL_READ(official)
        except AttributeError:
            name, iin, position = (getattr(official, attribute, None) for attribute in _OFFICIAL_ATTRIBUTES)
        name = str(name or "")
        if iin:
            number = str(iin)  # identity_key's usual case (a compact IIN) without its call
            key = "id:" + number if len(number) == 12 and number.isascii() and number.isdigit() else identity_key(number)
        else:
            key = "name:" + _normalised(name)
        if key not in first_listed:
            first_listed[key] = (f"{name} ({iin})" if iin else name, position)
    ties = []
    person_id = person.id
    for key, (label, position) in first_listed.items() if len(first_listed) == 1 else sorted(first_listed.items()):
        holder = aliases.get(key)
        if holder is None and key[0] == "n":  # a "name:" key
            holder = name_aliases.get(key)
        ties.append((key, holder, _tie((person_id, label, "official", None, position))))
    return ties


def _aliases(
    people: Sequence[_Participant], by_bin: dict[str, list[str]], node_of: dict[str, str]
) -> tuple[dict[str, str], _NameAliases]:
    """How an owner, controller or official named in the application resolves to a participant.

    By BIN or IIN (the first map), or by a name no two participants share (the second). Only
    built when some participant states ties: names are normalised for nothing otherwise.
    """
    aliases: dict[str, str] = {}
    for number, ids in by_bin.items():
        aliases["id:" + number] = ids[0]
    for person in people:  # an invalid BIN still names its participant where others repeat it
        if person.bin is None and person.raw_bin is not None and str(person.raw_bin).strip():
            aliases.setdefault(identity_key(str(person.raw_bin)), person.id)
    for person in people:  # its IIN as :func:`_classify` found it valid
        if person.iin is not None:
            aliases.setdefault("id:" + person.iin, person.id)
    return aliases, _NameAliases(people, node_of)


class _NameAliases:
    """The participants by a name no two of them share (``"name:"`` keys, :func:`identity_key`),
    read only when a name is looked up: an application naming its holders by BIN or IIN alone
    normalises no participant's name."""

    def __init__(self, people: Sequence[_Participant], node_of: dict[str, str]) -> None:
        self._people, self._node_of = people, node_of
        self._found: dict[str, str] | None = None

    def get(self, key: str) -> str | None:
        if not key.startswith("name:"):
            return None
        if self._found is None:
            name_nodes: dict[str, set[str]] = defaultdict(set)
            name_first: dict[str, str] = {}
            for person in self._people:
                name = "name:" + _normalised(person.name)
                name_nodes[name].add(self._node_of[person.id])
                name_first.setdefault(name, person.id)
            self._found = {name: name_first[name] for name, nodes in name_nodes.items() if len(nodes) == 1}
        return self._found.get(key)


def _links(
    direct: dict[tuple[str, str, str], list[Json]],
    outside: dict[str, list[_Tie]],
    outside_name: dict[str, str],
    node_of: dict[str, str],
) -> tuple[list[Json], list[Json]]:
    """The ties between participants and each :class:`Link` through a holder outside the list, as
    JSON, each in a stable order: by the participants bound, then kind and holder."""
    keyed: list[tuple[tuple[str, str, str, str], list[Json]]] = []
    for (kind, holder_id, target_id), ties in direct.items():
        first, second = (holder_id, target_id) if holder_id < target_id else (target_id, holder_id)
        keyed.append(((first, second, kind, holder_id), ties))
    keyed.sort(key=lambda item: item[0])
    between = [tie for _, ties in keyed for tie in ties]
    links: list[tuple[tuple[Any, ...], Json]] = []
    for key, ties in outside.items():
        if len(ties) < 2 or len({node_of[tie.participant_id] for tie in ties}) < 2:
            continue  # ties one participant (or one BIN) only: binds nothing
        roles = {tie.role for tie in ties}
        kind: LinkKind
        if roles == {"official"}:
            kind = "shared_official"
        elif "official" in roles:
            kind = "owner_and_official"
        else:
            kind = "common_owner"
        holder = outside_name[key]
        ties_sorted = sorted(ties, key=lambda t: (t.participant_id, t.role))
        link = {"kind": kind, "holder": holder, "ties": [tie.in_link(holder) for tie in ties_sorted]}
        links.append(((sorted({tie.participant_id for tie in ties}), kind, holder), link))
    links.sort(key=lambda item: item[0])
    return between, [link for _, link in links]


def _groups(
    people: Sequence[_Participant],
    node_of: dict[str, str],
    graph: _UnionFind,
    between: list[Json],
    links: list[Json],
) -> tuple[list[Json], list[Json], int, int]:
    """Each participant as a :class:`GroupMember` and each :class:`AffiliationGroup` of two or more
    participants, as JSON, with the count of groups holding a verified legal entity and of those
    holding a verified or an unverified one. Groups are numbered in the order of their smallest
    participant id (people are sorted by id: the order in which their roots are first met)."""
    find = graph.find
    root_of = {node: find(node) for node in graph.parent}  # every participant's node is there
    number_of: dict[str, int] = {}  # a group's root -> its number
    size: dict[str, int] = {}
    certain: set[str] = set()  # the roots of groups holding a verified legal entity
    possible: set[str] = set()  # ... a verified or an unverified one
    members: list[Json] = []
    for person in people:
        root = root_of[node_of[person.id]]
        number = number_of.get(root)
        if number is None:
            number = number_of[root] = len(number_of) + 1
            size[root] = 1
        else:
            size[root] += 1
        counted_as = person.counted_as
        if counted_as == "legal_entity":
            certain.add(root)
            possible.add(root)
        elif counted_as == "unverified":
            possible.add(root)
        members.append(
            {"participant_id": person.id, "name": person.name, "bin": person.bin, "counted_as": counted_as,
             "identified_by": person.identified_by, "group": number}
        )
    ties_of: dict[str, list[Json]] = defaultdict(list)  # ties and links keep their sorted order
    for tie in between:
        ties_of[root_of[node_of[tie["participant_id"]]]].append(tie)
    links_of: dict[str, list[Json]] = defaultdict(list)
    for link in links:
        links_of[root_of[node_of[link["ties"][0]["participant_id"]]]].append(link)
    groups = [
        {"number": number, "ties": ties_of.get(root, []), "links": links_of.get(root, []), "counts_certainly": root in certain,
         "counts_if_unknown_counted": root in possible}
        for root, number in number_of.items()  # in the order of their numbers
        if size[root] > 1
    ]
    return members, groups, len(certain), len(possible)


__all__ = [
    "DEFAULT_OWNERSHIP_THRESHOLD_PERCENT",
    "DIRECT_LINKS",
    "GROUPINGS",
    "AffiliationGroup",
    "AffiliationResult",
    "DuplicateBin",
    "Exclusion",
    "GroupMember",
    "Grouping",
    "GroupingCount",
    "IdentifierProblem",
    "Link",
    "Note",
    "Tie",
    "count_bounds",
    "count_unaffiliated_legal_entities",
    "count_unaffiliated_legal_entities_json",
    "group_links",
    "identity_key",
    "link_participant_ids",
    "meets_minimum",
    "normalise_name",
    "recount_json",
    "tie_holder",
]
