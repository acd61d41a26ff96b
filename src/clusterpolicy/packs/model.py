"""The pack model: a loaded, validated rule pack (:class:`RulePack`), its ``pack.yaml`` header
and its vocabulary, and the names of the files a pack folder holds."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pydantic import Field

from ..calendar.terms import Rolling
from ..checks.rule import Rule
from ..core.citations import StyleChain
from ..core.errors import InputError, InWords, Location, UsageError
from ..core.i18n import Language, Text
from ..core.law import Act, Parameter, StandIn, Strict
from ..procedure.stages import PROCEDURE_FILE, Procedure
from ..procedure.timeline import EventDefinition, TimeLimit
from ..scoring.config import ScoringConfig
from .folder import available_packs, shipped_identity

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
        None,
        pattern=r"^[a-z0-9-]+$",
        description="The id of a pack whose rules, parameters, time limits and scoring this one takes over, merged by key (never a path).",
    )
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    description: str | None = None
    stand_ins: list[StandIn] = Field(
        default_factory=list,
        description=(
            "What the pack takes from another act in place of one that is not among its sources (the "
            "KIRI methodology's pack: Decree 535's Rules for Order No. 1212); not inherited."
        ),
    )


@dataclass(frozen=True)
class Choice:
    """A choice the law leaves open, with the readings a pack declares for it (:meth:`RulePack.choices`)."""

    name: str
    title: Any
    provision: str
    value: Any
    readings: list[Any]
    reads: str
    """What reads it: ``rules`` (a pack parameter), ``timeline`` (a time limit's), ``scoring`` (the aggregation)."""


def _limit_value(limit: TimeLimit) -> Any:
    """The value a time limit's named choice has: its unit or its rolling (by default, the earlier working day)."""
    if limit.parameter is not None and limit.parameter.sets == "unit":
        return limit.unit.value
    return (limit.rolling or Rolling.earlier_working_day).value


@dataclass
class RulePack:
    """A loaded, validated rule pack."""

    header: PackHeader
    rules: list[Rule] = field(default_factory=list)
    raw_rules: list[Rule] = field(default_factory=list, repr=False, compare=False)
    """The rules as written: a severity or stages given as ``{param: name}`` not yet read (``rules`` has them read)."""
    gates: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False, compare=False)
    """Rule id -> the parameters that set its severity or stages, with their values (shown in results)."""
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
    """``shipped`` (a pack of the installed library, by id), ``folder`` (:func:`load_pack_from`) or
    ``derived`` (:func:`~.reform.with_parameters`: parameters changed)."""
    base_parameters: dict[str, Any] | None = field(default=None, repr=False, compare=False)
    """The parameters' values of the act's pack: for a derived pack, those of the pack it was derived
    from; for a changed copy of a shipped pack's folder, the shipped pack's (None: this is the act's pack)."""

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
        key = ("official", self.id, self.version, self.digest)  # answered once per pack, not per evaluation
        if key not in self.rendered:
            self.rendered[key] = self.id in available_packs() and shipped_identity(self.id) == (self.version, self.digest)
        return bool(self.rendered[key])

    @property
    def reported_version(self) -> str:
        """The version results and documents report: the pack's own, or for a pack that is not
        official, the version with the digest's first 12 hex digits as build metadata
        (``1.0.0+sha256.3f2a9c0d11be``), so that a changed copy never passes for the official pack."""
        if self.official:
            return self.version
        return f"{self.version}+sha256.{self.digest.removeprefix('sha256:')[:12]}"

    @property
    def changed_parameters(self) -> dict[str, dict[str, Any]]:
        """The named values (:meth:`parameter_values`) that differ from the act's pack: ``{name:
        {"act": value in the act's pack, "used": value used}}``; the act's pack is the one this was
        derived from, or, for a folder that is not the shipped pack, the shipped pack of the same
        id. Empty when none differs. The one list of changed parameters: a result's
        ``pack.changed_parameters`` and its decision record's ``changed_parameters`` are this."""
        base = self.base_parameters
        if base is None:
            return {}
        values = self.parameter_values()
        return {
            name: {"act": base.get(name), "used": values.get(name)}
            for name in sorted(set(values) | set(base))
            if name not in base or name not in values or base[name] != values[name] or type(base[name]) is not type(values[name])
        }

    def parameter_values(self) -> dict[str, Any]:
        """Every named value of the pack a result may depend on, by name: its parameters
        (``pack.yaml``), and the choices a time limit (``time-limits.yaml``, ``parameter:``) or the
        scoring's aggregation (``scoring.yaml``, ``aggregation.parameter``) names."""
        values = {name: parameter.value for name, parameter in self.parameters.items()}
        for limit in self.time_limits:
            if limit.parameter is not None:
                values[limit.parameter.name] = _limit_value(limit)
        aggregation = self.scoring.aggregation if self.scoring is not None else None
        if aggregation is not None and aggregation.parameter:
            values[aggregation.parameter] = aggregation.method
        return values

    def choices(self) -> list[Choice]:
        """Every choice of the pack that declares its readings, in the pack's order: its parameters
        (read by rules), then those of its time limits (read by the timeline), then the scoring's
        aggregation (read by the scores)."""
        found = [
            Choice(name, parameter.title, parameter.citation.provision, parameter.value, list(parameter.readings), "rules")
            for name, parameter in self.parameters.items()
            if parameter.readings
        ]
        for limit in self.time_limits:
            if limit.parameter is not None and limit.parameter.readings and limit.parameter.title is not None:
                found.append(Choice(limit.parameter.name, limit.parameter.title, limit.citation.provision, _limit_value(limit),
                                    list(limit.parameter.readings), "timeline"))
        aggregation = self.scoring.aggregation if self.scoring is not None else None
        if aggregation is not None and aggregation.parameter and aggregation.readings and aggregation.title is not None:
            found.append(Choice(aggregation.parameter, aggregation.title, aggregation.citation.provision, aggregation.method,
                                list(aggregation.readings), "scoring"))
        return found

    @property
    def parameters(self) -> dict[str, Parameter]:
        return self.header.parameters

    def parameter(self, name: str) -> Any:
        try:
            return self.header.parameters[name].value
        except KeyError:
            raise UsageError(f"pack {self.id} has no parameter {name!r}", code="unknown_parameter") from None

    def stand_in(self, kind: str, name: str) -> StandIn | None:
        """The stand-in declaration that lists ``name`` among its ``kind`` (``rules``,
        ``time_limits``, ``parameters``, ``scoring``, ``procedure``), or None: the item is the
        pack's own act's."""
        return next((item for item in self.header.stand_ins if name in getattr(item, kind)), None)

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

    def check_stages(self, competition: Any = None, application: Any = None) -> None:
        """A located :class:`InputError` if the competition, one of its applications, or
        ``application`` names a stage the pack's procedure does not have (``procedure.stages``);
        a pack without a procedure knows no stages and takes any."""
        procedure = self.procedure
        if procedure is None:
            return
        stages = procedure.stages
        if (application is None or application.stage in stages) and (
            competition is None or competition.stage in stages and (not competition.applications or all(app.stage in stages for app in competition.applications))
        ):
            return  # every stage known (each evaluation asks): nothing listed
        numbered: list[tuple[Any, tuple[Any, ...]]] = []
        if competition is not None:
            numbered.append((competition.stage, ("stage",)))
            numbered += [(app.stage, ("applications", index, "stage")) for index, app in enumerate(competition.applications)]
        if application is not None:
            numbered.append((application.stage, ("stage",)))
        for stage, path in numbered:
            if stage not in self.procedure.stages:
                known = ", ".join(str(number) for number in sorted(self.procedure.stages))
                title = self.header.act.title
                raise InputError(
                    f"stage {stage} is not a stage of the act of pack {self.id} (its stages: {known})",
                    location=Location(None, None, path),
                    code="unknown_stage",
                ).worded(
                    (
                        "input_error.unknown_stage",
                        # kk and ru name the act by its title; English keeps the pack's id, as before
                        {"stage": stage, "act": InWords(kk=title.kk, ru=title.ru, en=f"pack {self.id}"), "known": known},
                    )
                )

    def in_force_on(self, day: dt.date) -> bool:
        act = self.header.act
        return act.in_force_from <= day and (act.in_force_until is None or day < act.in_force_until)

