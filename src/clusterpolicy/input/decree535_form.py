"""Typed models of what an applicant submits under the Rules of Decree No. 535, and of a competition.

Paragraph numbers ("p.N") are those of the Rules approved by Government Decree No. 535 of
16 July 2015; "Appendix N" are the Rules' appendices. Every field that the law asks for says
where. A yes/no field left out (``None``) means *not stated*: the rules engine then reports
the check as unknown instead of guessing.

Money: participant cards are in **thousand tenge** (as the Appendix 2 §7 form states); project
and roadmap figures in **million tenge** (as the 2017 figures were published). Field names
carry the unit.

The annotations are evaluated as the classes are made (no ``from __future__ import annotations``):
pydantic then reads types, not strings to evaluate again, and the 52 models of the form are made
in about four fifths of the time (every command that reads an application makes them).
"""

import datetime as dt
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, BeforeValidator, Field, ValidationError, WithJsonSchema, field_validator, model_validator
from pydantic_core import InitErrorDetails
from pydantic.json_schema import GenerateJsonSchema

from ..core.l10n import TextError
from .organiser import Localised, Organiser
from .regions import RegionId, region_problem
from .values import (
    Amount,
    Day,
    MomentOrDay,
    Model,
    Number,
    Percent,
    Stated,
    Str,
    Timestamp,
    day_of,
    require_unique,
)
from ..core.base import made, new_dict, new_list


# --------------------------------------------------------------------------- participants


class ParticipantKind(str, Enum):
    """The kinds of cluster participant named in the definition of a territorial cluster (p.2.1)."""

    producer = "producer"
    supplier = "supplier"
    service_provider = "service_provider"
    equipment_maker = "equipment_maker"
    infrastructure_supplier = "infrastructure_supplier"
    research_organisation = "research_organisation"
    university = "university"
    vocational_school = "vocational_school"
    other = "other"


LegalStatus = Literal["legal_entity", "branch", "representative_office", "individual_entrepreneur", "individual"]


class OwnershipLink(Model):
    """A holder of a share in a participant (for the affiliation check of criteria 1.1)."""

    owner_id: Str = Field(min_length=1, description="BIN or IIN of the owner, or its name if it has none.")
    owner_name: Str | None = Field(None, description="The owner's name, for the reader.")
    share_percent: Number = Field(gt=0, le=100, description="Share of voting shares or participation interest, %.")


class Official(Model):
    """A head or board member of a participant (shared officials make entities affiliated)."""

    name: Str = Field(min_length=1)
    iin: Str | None = Field(None, description="IIN of the official, when known.")
    position: Str | None = None


class Address(Model):
    """Address as on the participant card (Appendix 2 §7): street, city, postcode."""

    street: Str | None = None
    city: Str | None = None
    postcode: Str | None = None


class ResponsiblePerson(Model):
    """Responsible employee on the participant card (Appendix 2 §7)."""

    surname: Str
    name: Str
    position: Str | None = None
    phone: Str | None = None
    mobile: Str | None = None
    email: Str | None = None


class ActivityCodes(Model):
    """ОКЭД / ЭҚЖЖ codes on the participant card: one main and up to four additional (Appendix 2 §7)."""

    main: Str = Field(pattern=r"^\d{2}(\.?\d{1,3}){0,2}$", description="Main activity code, e.g. 10.51.")
    additional: list[Annotated[Str, Field(pattern=r"^\d{2}(\.?\d{1,3}){0,2}$")]] = Field(
        default_factory=new_list, max_length=4, description="Up to four additional activity codes."
    )


class YearlyIndicators(Model):
    """One year's column of the participant card's indicators (Appendix 2 §7)."""

    year: int = Field(ge=1991, le=2100)
    turnover: Amount | None = Field(None, description="Turnover, thousand tenge.")
    exports: Amount | None = Field(None, description="Exports, thousand tenge.")
    net_profit_percent: Number | None = Field(None, description="Net profit, % (may be negative).")
    gross_value_added: Number | None = Field(None, description="Gross value added, thousand tenge.")
    average_headcount: int | None = Field(None, ge=0, description="Average number of employees.")
    rd_staff_percent: Percent | None = Field(None, description="% of staff engaged in R&D.")
    rd_spending: Amount | None = Field(None, description="R&D spending, thousand tenge.")


class Participant(Model):
    """A company or organisation that intends to take part in the cluster: the card of Appendix 2 §7."""

    id: Str = Field(min_length=1, description="Stable id within the application, e.g. p01.")
    name: Str = Field(min_length=1)
    bin: Str | None = Field(None, description="12-digit BIN (legal entities, branches, representative offices).")
    iin: Str | None = Field(None, description="12-digit IIN (individual entrepreneurs, individuals).")
    legal_status: LegalStatus = Field(description="Only legal entities count for criteria 1.1.")
    kind: ParticipantKind = Field(description="Role in the cluster (p.2.1).")
    address: Address | None = None
    capital_country: Str | None = Field(None, description="Country of the capital (Appendix 2 §7).")
    founded: Day | None = Field(None, description="Founding date (Appendix 2 §7).")
    main_clients: list[Str] = Field(default_factory=new_list)
    domestic: bool | None = Field(None, description="Domestic (true) or foreign (false) company.")
    responsible_person: ResponsiblePerson | None = None
    website: Str | None = None
    activity_codes: ActivityCodes | None = None
    indicators: list[YearlyIndicators] = Field(default_factory=new_list, description="Yearly indicators, any years.")
    owners: list[OwnershipLink] = Field(default_factory=new_list, description="Who owns what share (criteria 1.1).")
    controlled_by: list[Str] = Field(default_factory=new_list, description="Ids of persons or entities controlling it otherwise than by shares.")
    officials: list[Official] = Field(default_factory=new_list)
    declared_affiliations: list[Str] = Field(default_factory=new_list, description="BINs or participant ids declared affiliated.")
    fictional: bool = Field(False, description="True for invented example companies.")

    @property
    def is_legal_entity(self) -> bool:
        return self.legal_status == "legal_entity"

    @field_validator("indicators")
    @classmethod
    def _one_column_per_year(cls, value: list[YearlyIndicators]) -> list[YearlyIndicators]:
        require_unique([item.year for item in value], "indicator_years")
        return value


# --------------------------------------------------------------------------- concept (Appendix 2)


class Section(Model):
    """A section of a document: whether it is there and how long it is."""

    present: Stated = None
    pages: Number | None = Field(None, ge=0)


class BriefDescription(Section):
    """Appendix 2 §1 (1-2 A4 pages)."""

    location: Stated = None
    sector_affiliation: Stated = None
    key_participants: Stated = None
    creation_dates: Stated = None
    financial_indicators: Stated = None
    funding_sources: Stated = None
    funding_grounds: Stated = None


class DevelopmentLevel(Section):
    """Appendix 2 §3: the formed cluster's level of development."""

    interconnected_companies: int | None = Field(None, ge=0, description="§3.1: companies in the concentrated group (at least six).")
    chain_extension_projects: Stated = None
    business_investment: Stated = None
    business_investment_mln_tenge: Amount | None = None


class StructureAndSpecialisation(Section):
    """Appendix 2 §4."""

    sector_affiliation: Stated = None
    partner_links_and_internationalisation: Stated = None
    market_indicators_years: int | None = Field(None, ge=0, description="Years of world/EAEU trade data given (last three).")
    export_data_years: int | None = Field(None, ge=0, description="Years of Kazakhstan's exports given (last three).")
    other_studies: Stated = None
    value_chains: Stated = None


class RegionalConditions(Section):
    """Appendix 2 §5: the nine conditions for further development."""

    raw_materials: Stated = None
    human_resources: Stated = None
    production_capacity: Stated = None
    energy_infrastructure: Stated = None
    transport_and_utilities: Stated = None
    innovation_infrastructure: Stated = None
    education_and_research: Stated = None
    international_links: Stated = None
    financial_resources: Stated = None


class PriorityFit(Section):
    """Appendix 2 §6: fit with national and regional priorities, significance from past dynamics."""

    national_priorities: Stated = None
    regional_priorities: Stated = None
    significance_dynamics: Stated = None
    significance_years: int | None = Field(None, ge=0, description="§6(3): past years whose dynamics show the significance.")
    significance_for_region: Stated = Field(None, description="§6(3): significance for its region (employment, output, exports).")
    significance_for_sector: Stated = Field(None, description="§6(3): significance for its sector as a whole (employment, output, exports).")


class Prospects(Section):
    """Appendix 2 §8: goals with target indicators, markets, economic effect, financing proposals."""

    strategic_goals_with_targets: Stated = None
    market_prospects: Stated = None
    output_growth: Stated = None
    employment_growth: Stated = None
    financing_proposals: Stated = None
    creation_budget: Stated = None


class Concept(Model):
    """The concept of the cluster's development (p.6(2), Appendix 2): 20-25 A4 pages excluding annexes."""

    pages: int | None = Field(None, ge=0, description="A4 pages excluding annexes.")
    brief_description: BriefDescription = Field(default_factory=BriefDescription)
    goals: Section = Field(default_factory=Section, description="§2 goals and tasks.")
    development_level: DevelopmentLevel = Field(default_factory=DevelopmentLevel)
    structure: StructureAndSpecialisation = Field(default_factory=StructureAndSpecialisation)
    conditions: RegionalConditions = Field(default_factory=RegionalConditions)
    priorities: PriorityFit = Field(default_factory=PriorityFit)
    participant_cards: Section = Field(default_factory=Section, description="§7: the participant cards.")
    prospects: Prospects = Field(default_factory=Prospects)


# --------------------------------------------------------------------------- strategy (Appendix 5)


class MarketStrategy(Section):
    sector_focus: Stated = None
    value_chain_initiatives: Stated = None
    client_base_initiatives: Stated = None


class InnovationStrategy(Section):
    research_organisations: Stated = None
    initiatives_and_results: Stated = None
    research_competences: Stated = None
    outside_research_organisations: Stated = None


class HumanResourcesStrategy(Section):
    education_programmes: Stated = None
    education_competences: Stated = None
    outside_education_organisations: Stated = None


class InternationalCooperationStrategy(Section):
    cooperation_mechanisms: Stated = None
    export_support: Stated = None
    representation: Stated = None


class ManagementStrategy(Section):
    legal_form: Stated = None
    organisational_structure: Stated = None
    decision_making: Stated = None
    swot_analysis: Stated = None


class FundingSources(Model):
    """Appendix 5 §9(5): own or membership fees, local budget, republican budget, other (million tenge)."""

    own_or_membership_mln_tenge: Amount | None = None
    local_budget_mln_tenge: Amount | None = None
    republican_budget_mln_tenge: Amount | None = None
    other_mln_tenge: Amount | None = None

    @property
    def named_sources(self) -> int:
        """How many of the four sources bring an amount above zero (Appendix 5 §9(5) names at least one)."""
        amounts = (self.own_or_membership_mln_tenge, self.local_budget_mln_tenge, self.republican_budget_mln_tenge, self.other_mln_tenge)
        return sum(1 for amount in amounts if amount is not None and amount > 0)


class StrategyFinancing(Section):
    """Appendix 5 §9."""

    total_mln_tenge: Amount | None = None
    principles: Stated = None
    costs_by_structure: Stated = None
    quarterly_cash_flow_years: int | None = Field(None, ge=0, description="Years of quarterly cash flow (five).")
    sources: FundingSources | None = None
    self_financing_sustainability: Stated = None
    risk_and_sensitivity_analysis: Stated = None


class CurrentResults(Section):
    """Appendix 5 §10: the current results by block, and the sub-items of blocks 1 and 3."""

    market_position: Stated = None
    market_situation_and_forecast: Stated = Field(None, description="§10(1): the current situation and the forecast of the markets.")
    regional_economy: Stated = Field(None, description="§10(1): the main features of the region's economic development.")
    competitive_position: Stated = Field(None, description="§10(1): analysis of the cluster's competitive position.")
    client_groups: Stated = Field(None, description="§10(1): the cluster's main client groups.")
    innovations: Stated = None
    human_resources: Stated = None
    workforce_structure: Stated = Field(None, description="§10(3): the structure of the workforce (staff, education, specialisation).")
    education_organisations: Stated = Field(None, description="§10(3): the education organisations training staff for the cluster.")
    international_cooperation: Stated = None
    cluster_management: Stated = None


class Strategy(Model):
    """The cluster's development strategy (p.7(2), Appendix 5)."""

    pages: int | None = Field(None, ge=0)
    brief_description: Section = Field(default_factory=Section)
    goals: Section = Field(default_factory=Section)
    development_level: Section = Field(default_factory=Section)
    structure: Section = Field(default_factory=Section)
    conditions: Section = Field(default_factory=Section)
    priorities: Section = Field(default_factory=Section)
    participant_cards: Section = Field(default_factory=Section)
    market_strategy: MarketStrategy = Field(default_factory=MarketStrategy)
    innovation_strategy: InnovationStrategy = Field(default_factory=InnovationStrategy)
    human_resources_strategy: HumanResourcesStrategy = Field(default_factory=HumanResourcesStrategy)
    international_cooperation_strategy: InternationalCooperationStrategy = Field(default_factory=InternationalCooperationStrategy)
    management_strategy: ManagementStrategy = Field(default_factory=ManagementStrategy)
    financing: StrategyFinancing = Field(default_factory=StrategyFinancing)
    current_results: CurrentResults = Field(default_factory=CurrentResults)


# --------------------------------------------------------------------------- roadmap (Appendix 6)

ActivityCategory = Literal[
    "market_strategy",
    "innovation_strategy",
    "human_resources_strategy",
    "international_cooperation_strategy",
    "management_and_development_strategy",
    "other",
]
FundingSource = Literal["own_or_membership", "local_budget", "republican_budget", "other"]


class Period(Model):
    start: Day
    end: Day

    @model_validator(mode="after")
    def _ordered(self) -> "Period":
        if self.end < self.start:
            raise TextError("input_error.period_reversed")
        return self


class RoadmapActivity(Model):
    """One activity of the roadmap table (Appendix 6) with the eight elements it must define."""

    id: Str = Field(min_length=1)
    title: Str = Field(min_length=1, description="Column 'activity'.")
    category: ActivityCategory = Field(description="One of the six categories of Appendix 6.")
    form_of_completion: Str | None = Field(None, description="Column 'form of completion'.")
    concept: Str | None = Field(None, description="Element 1: a concept aimed at a concrete result.")
    interim_results: Str | None = Field(None, description="Element 2: interim direct results.")
    final_results: Str | None = Field(None, description="Element 2: final direct results.")
    executors: list[Str] = Field(default_factory=new_list, description="Element 3: responsible executors.")
    funding_by_year_mln_tenge: dict[int, Amount] = Field(default_factory=new_dict, description="Element 4: funding by year, million tenge.")
    funding_sources: list[FundingSource] = Field(default_factory=new_list, description="Element 5: funding sources.")
    period: Period | None = Field(None, description="Element 6: implementation period (deadlines column).")
    target_group: Str | None = Field(None, description="Element 7: target group.")
    effectiveness_mechanism: Str | None = Field(None, description="Element 8: mechanism for assessing effectiveness.")


class Roadmap(Model):
    """The cluster's development roadmap (p.7(3), Appendix 6)."""

    pages: int | None = Field(None, ge=0)
    activities: list[RoadmapActivity] = Field(default_factory=new_list)

    @field_validator("activities")
    @classmethod
    def _unique_ids(cls, value: list[RoadmapActivity]) -> list[RoadmapActivity]:
        require_unique([activity.id for activity in value], "roadmap_activity_ids")
        return value


# --------------------------------------------------------------------------- documents (p.6, p.7, p.9, p.11)


class DocumentKind(str, Enum):
    """The documents of a competition application (p.6 stage 1, p.7 stage 2)."""

    application_form_stage1 = "application_form_stage1"  # p.6(1), Appendix 1
    concept = "concept"  # p.6(2), Appendix 2
    akimat_conclusion = "akimat_conclusion"  # p.6(3), p.7(5), Appendix 3
    application_form_stage2 = "application_form_stage2"  # p.7(1), Appendix 4
    strategy = "strategy"  # p.7(2), Appendix 5
    roadmap = "roadmap"  # p.7(3), Appendix 6
    authorized_body_conclusion = "authorized_body_conclusion"  # p.7(4), p.28-29
    inventory = "inventory"  # p.11: list of documents with page numbers, bound first


class SubmittedDocument(Model):
    """A document in the application, with its registration and its place in the volumes."""

    kind: DocumentKind
    registration_number: Str | None = None
    date: Day | None = None
    volume: int | None = Field(None, ge=1, description="Volume (folder) it is bound in (p.11).")
    pages: int | None = Field(None, ge=0)


class AkimatParticipantRow(Model):
    """A row of the participant table of the akimat conclusion (Appendix 3)."""

    name: Str
    activity: Str | None = None
    bin: Str | None = Field(None, description="The participant's BIN, where the table gives it (matched before the name).")


AkimatLevel = Literal["oblast", "city_of_republican_significance", "capital", "city_of_regional_significance", "district"]
"""The local executive body that issued a conclusion: p.6(3) names the first three."""


class ClusterRegion(Model):
    """A region the cluster spans, as a row that an akimat conclusion must cover."""

    region: RegionId

    @property
    def name(self) -> str:
        return self.region


class AkimatConclusion(Model):
    """Conclusion of the local executive body (Appendix 3), issued within 5 working days (p.6)."""

    issued_by: Str = Field(description="The akimat's state institution.")
    level: AkimatLevel | None = Field(None, description="Whose akimat: an oblast, a city of republican significance, the capital (p.6(3)).")
    region: RegionId | None = Field(None, description="The region (oblast, city) of the akimat that issued it.")
    cluster_name: Str | None = Field(None, description="Item 1 of the form: the cluster's name.")
    number: Str | None = None
    date: Day | None = None
    request_registered_on: Day | None = Field(None, description="When the request for the conclusion was registered (p.6).")
    participants: list[AkimatParticipantRow] = Field(default_factory=new_list)
    participants_confirmed: Stated = Field(None, description="Confirms the presence of the participants.")
    expedient: Stated = Field(None, description="Organising the cluster is expedient (true) or not (false).")


class AuthorizedBodyConclusion(Model):
    """The authorized body's conclusion on strategy and roadmap (p.7(4), p.28-29)."""

    body: Str
    number: Str | None = None
    date: Day | None = None
    positive: Stated = None
    roadmap_agreed_with_state_bodies: Stated = Field(None, description="p.28(1): activities needing state support agreed.")
    fits_concept: Stated = Field(None, description="p.28(2), first ground: the strategy and roadmap conform to the concept.")
    fits_appendices: Stated = Field(
        None, description="p.28(2), second ground: the strategy and roadmap meet the requirements of Appendices 5 and 6."
    )


class SubmissionFormat(Model):
    """p.9: on paper in two copies (one original, one copy) and an electronic copy."""

    paper_originals: int | None = Field(None, ge=0)
    paper_copies: int | None = Field(None, ge=0)
    electronic_copy: Stated = None


class Volume(Model):
    """A folder (volume) of the application (p.11), with the number of its sheets."""

    number: int = Field(ge=1)
    sheets: int | None = Field(
        None, ge=0, validation_alias=AliasChoices("sheets", "pages"),
        description="Sheets in the volume (p.11 counts sheets); 'pages', the name of version 0.1, is read as the same.",
    )


class Binding(Model):
    """p.11: numbered folders (volumes), the inventory with page numbers bound first."""

    volumes: list[Volume] = Field(default_factory=new_list)
    sheets_numbered: Stated = Field(None, description="The application is numbered (p.11).")
    inventory_bound_first: Stated = None
    inventory_lists_pages: Stated = None
    volume_numbers_and_pages_listed: Stated = Field(
        None, description="With several volumes: numbers and sheet counts of each listed (kept for inputs of version 0.1; the rule reads each volume's sheets)."
    )


# --------------------------------------------------------------------------- the procedure's records
# The procedure's own records: what the bodies of the procedure issue and decide, with their dates.
#
# An application carries :class:`ApplicationRecords` (``application.records``): the two
# conclusions on its concept (the authorized body's on the fit with the sector's development
# priorities, and the regional-development body's on the fit with the Regional Development
# Programme to 2020), the expert council's conclusion with the points scored, the date its
# strategy was registered by the authorized body, and the amendments the applicant made. For an
# association that did not take part in stage 1, the regional body's conclusion and the expert
# council's analysis of its strategy and roadmap are the same two fields at stage 2.
#
# A competition carries :class:`CompetitionRecords` (``competition.records``): the Commission's
# decisions at stage 1 (the meeting, its protocol, the deadlines it sets for preparing the
# strategies and roadmaps) and at stage 2 (the winners, the recommendation on co-financing).
#
# Which provision asks for each record is the rule pack's business (``records.yaml``,
# ``procedure.yaml``, ``requirements.yaml``); a field left out means *not stated*.


class Conclusion(Model):
    """A state body's conclusion on an application: who issued it, its number and date, its finding."""

    body: Localised = Field(description="The body that issued it: a text, or its texts per language ({kk: ..., ru: ...}).")
    number: Str | None = Field(None, description="Its outgoing number.")
    date: Day | None = Field(None, description="The day it was issued.")
    request_registered_on: Day | None = Field(None, description="When the body registered the request for it.")
    fits: Stated = Field(None, description="The finding: the application fits the priorities or programme (true) or not (false).")


class ExpertConclusion(Model):
    """The expert council's conclusion (stage 1: with the points scored) or analysis (stage 2)."""

    number: Str | None = None
    date: Day | None = Field(None, description="The day the council adopted it.")
    points: Number | None = Field(None, ge=0, description="The points the concept scored, as the conclusion shows them.")
    summary: Str | None = Field(None, description="Its findings in a few words.")


class Amendment(Model):
    """An amendment the applicant made to its registered application, by written notice."""

    registered_at: Timestamp = Field(description="When the organiser registered the notice; without an offset, Asia/Almaty time.")
    description: Str | None = Field(None, description="What was changed.")


class OrganiserFinding(Model):
    """The organiser's finding that information in a document of the application is not
    substantiated (p.16, stage 1) or not reliable (p.32, stage 2): which document, which
    information, and why. Only the organiser can find it; the library applies what it found."""

    document: Str = Field(min_length=1, description="The document, and where in it, as the organiser names it.")
    information: Str = Field(min_length=1, description="The information found not substantiated or not reliable.")
    reason: Str = Field(min_length=1, description="Why: what the organiser checked it against, and what it found.")
    found_on: Day | None = Field(None, description="The day of the finding.")

    @property
    def shown(self) -> str:
        """The finding in one line, in the organiser's own words."""
        return f"{self.document}: «{self.information}» ({self.reason})"


class ApplicationRecords(Model):
    """The records of the procedure that concern one application."""

    sector_conclusion: Conclusion | None = Field(None, description="The authorized body's conclusion on the fit with the sector's priorities.")
    regional_conclusion: Conclusion | None = Field(
        None, description="The regional-development body's conclusion on the fit with the Regional Development Programme."
    )
    expert_conclusion: ExpertConclusion | None = Field(None, description="Stage 1: the expert council's conclusion with the points scored.")
    expert_analysis: ExpertConclusion | None = Field(
        None, description="Stage 2, an association that skipped stage 1: the expert council's analysis of its strategy and roadmap."
    )
    strategy_registered_on: Day | None = Field(None, description="Stage 2: the day the authorized body registered the strategy and roadmap.")
    amendments: list[Amendment] = Field(default_factory=new_list)
    organiser_findings: list[OrganiserFinding] = Field(
        default_factory=new_list,
        description="The organiser's findings of information not substantiated (p.16) or not reliable (p.32).",
    )

    @property
    def organiser_findings_shown(self) -> list[str] | None:
        """Each finding of the organiser in one line (document, information, reason); None without any."""
        return [finding.shown for finding in self.organiser_findings] or None

    @property
    def last_amended_at(self) -> dt.datetime | None:
        """When the last amendment was registered; None without amendments."""
        return max((amendment.registered_at for amendment in self.amendments), default=None)


class Stage1Decision(Model):
    """The Commission's decision on the results of stage 1, and its protocol."""

    meeting_on: Day = Field(description="The day of the Commission's meeting.")
    protocol_number: Str | None = None
    protocol_date: Day | None = Field(None, description="The day the protocol was drawn up.")
    strategies_due: Day | None = Field(None, description="The deadline the protocol sets for preparing the strategies.")
    roadmaps_due: Day | None = Field(None, description="The deadline the protocol sets for preparing the roadmaps.")


class Stage2Decision(Model):
    """The Commission's decision on the winners of stage 2, and its protocol."""

    meeting_on: Day = Field(description="The day of the Commission's meeting.")
    protocol_number: Str | None = None
    protocol_date: Day | None = Field(None, description="The day the protocol was drawn up.")
    protocol_sent_on: Day | None = Field(None, description="The day the protocol was sent to the organiser.")
    winners: list[Str] = Field(default_factory=new_list, description="Ids of the applications the Commission named winners.")
    cofinancing_recommended: list[Str] = Field(
        default_factory=new_list, description="Ids of the applications recommended for state support co-financing their roadmap's initiatives."
    )

    @field_validator("winners", "cofinancing_recommended")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        require_unique(value, "application_ids")
        return value


class CompetitionRecords(Model):
    """The records of the procedure that concern the whole competition."""

    stage1_decision: Stage1Decision | None = None
    stage2_decision: Stage2Decision | None = None


# --------------------------------------------------------------------------- applicant, marks, application


class Names(Model):
    """A name in Kazakh, Russian and English, as the input gives it (one or more): the title of a
    competition, the name of a cluster. A document shows the reader's language, else the first
    of ru, kk, en that is given."""

    kk: Str | None = Field(None, min_length=1)
    ru: Str | None = Field(None, min_length=1)
    en: Str | None = Field(None, min_length=1)

    @model_validator(mode="after")
    def _one_at_least(self) -> "Names":
        if not (self.kk or self.ru or self.en):
            raise TextError("input_error.name_in_one_language")
        return self

    @property
    def first(self) -> str:
        return self.ru or self.kk or self.en or ""

    def get(self, lang: str) -> str:
        """The name in ``lang``, else the first given of ru, kk, en."""
        return getattr(self, lang, None) or self.first


def in_languages(text_field: str, names_field: str) -> Any:
    """A before-validator: ``text_field`` given as ``{kk: ..., ru: ...}`` keeps its first text as the
    text (what checks compare) and all of them in ``names_field``; a plain text stays as it is."""

    def split(data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get(text_field), dict):
            given = data[text_field]
            first = next((given[lang] for lang in ("ru", "kk", "en") if isinstance(given.get(lang), str) and given[lang].strip()), None)
            data = {**data, names_field: given}
            if first is None:  # no language given: the names' own error says so
                data.pop(text_field)
            else:
                data[text_field] = first
        return data

    return split


NAMES_SCHEMA = {
    "anyOf": [
        {"type": "string", "minLength": 1},
        {
            "type": "object",
            "description": "The name per language: one or more of kk, ru, en.",
            "properties": {lang: {"type": "string", "minLength": 1} for lang in ("kk", "ru", "en")},
            "additionalProperties": False,
            "minProperties": 1,
        },
    ]
}


class ApplicantType(str, Enum):
    """Who may apply: p.2.7 for stage 1, p.2.8 for stage 2."""

    regional_chamber_of_entrepreneurs = "regional_chamber_of_entrepreneurs"
    social_entrepreneurial_corporation = "social_entrepreneurial_corporation"
    sez_management_company = "sez_management_company"
    business_association = "business_association"
    cluster_association = "cluster_association"
    other = "other"


NAMES_OR_NULL_SCHEMA = {"anyOf": [*NAMES_SCHEMA["anyOf"], {"type": "null"}]}
TEXT_OR_NAMES_OR_NULL_SCHEMA = {"anyOf": [{"type": "string"}, *NAMES_SCHEMA["anyOf"][1:], {"type": "null"}]}
"""A field that was a text that may be empty (a signatory's position, a rule case's blank): now also its texts per language."""


class Signatory(Model):
    """The person authorised to sign documents for the applicant: position and full name (Appendices 1, 4)."""

    full_name: Str | None = Field(None, description="Surname, name and patronymic (Т.А.Ә. / Ф.И.О.).")
    position: Str | None = None


class ApplicantSignatory(Signatory):
    """The applicant's signatory as the input gives it: the position and the full name each one text
    or its texts per language (``{kk: Басқарма төрағасы, ru: Председатель правления}``); a document
    in a language shows that language's text, else the first of ru, kk, en given."""

    full_name: Annotated[Str | None, WithJsonSchema(TEXT_OR_NAMES_OR_NULL_SCHEMA)] = Field(
        None, description="Surname, name and patronymic (Т.А.Ә. / Ф.И.О.): a text, or its texts per language."
    )
    position: Annotated[Str | None, WithJsonSchema(TEXT_OR_NAMES_OR_NULL_SCHEMA)] = Field(
        None, description="The position: a text, or its texts per language ({kk: ..., ru: ...})."
    )
    full_names: Names | None = Field(None, description="The full name per language, when full_name gives it so.")
    positions: Names | None = Field(None, description="The position per language, when position gives it so.")

    _full_name_in_languages = model_validator(mode="before")(in_languages("full_name", "full_names"))
    _position_in_languages = model_validator(mode="before")(in_languages("position", "positions"))

    def in_language(self, lang: str) -> Signatory:
        """The signatory as a document in ``lang`` names them (each text in ``lang``, else as given):
        texts this model has validated, taken as they are (not validated again: 11,000 instructions
        an evaluation, and pydantic's building of a Signatory validator for them; made, not
        ``model_construct``, which looks at every field's default: a thirtieth of a small evaluation)."""
        return made(Signatory, {
            "full_name": self.full_names.get(lang) if self.full_names else self.full_name,
            "position": self.positions.get(lang) if self.positions else self.position,
        })


def _signatory_from_text(value: Any) -> Any:
    """A signatory written as one text (version 0.1) is its full name; its position is then not stated."""
    return {"full_name": value} if isinstance(value, str) else value


class Applicant(Model):
    """Who applies (p.2.7, p.2.8): its name (a text, or its texts per language), BIN, kind and signatory."""

    name: Annotated[Str, WithJsonSchema(NAMES_SCHEMA)] = Field(
        min_length=1, description="The applicant's name: a text, or its texts per language ({kk: ..., ru: ...})."
    )
    names: Names | None = Field(None, description="The applicant's name per language, when name gives it so.")
    bin: Str | None = None
    type: ApplicantType
    stage1_winner: Stated = Field(None, description="Won stage 1 of this competition (p.2.8).")
    represents_all_participants: Stated = Field(None, description="A cluster association representing all participants (p.2.6, p.2.8).")
    signatory: Annotated[ApplicantSignatory | None, BeforeValidator(_signatory_from_text)] = Field(
        None, description="Person authorised to sign for the applicant (Appendices 1, 4); a text is read as the full name."
    )

    _name_in_languages = model_validator(mode="before")(in_languages("name", "names"))

    def name_in(self, lang: str) -> str:
        """The applicant's name in ``lang`` (else as given)."""
        return self.names.get(lang) if self.names else self.name


class ExpertSheet(Model):
    """One expert's marks on the sub-criteria (p.20-21); the scale is the rule pack's."""

    expert_id: Str = Field(min_length=1)
    name: Str | None = None
    years_of_experience: Number | None = Field(None, ge=0, description="Practical experience in industrial development (p.19).")
    marks: dict[Str, Number] = Field(default_factory=new_dict, description="Sub-criterion id -> mark.")


class Withdrawal(Model):
    """p.10: the participant withdraws its registered application by written notice to the
    organiser, stating justified reasons, before the close of acceptance. A withdrawn
    application is not counted for p.41 and not ranked."""

    at: MomentOrDay = Field(description="When the organiser received the written notice (a moment, or a day).")
    reasons: Str | None = Field(None, description="The justified reasons the notice states (p.10).")


class Application(Model):
    """A competition application (p.6 for stage 1, p.7 for stage 2) with everything it carries."""

    id: Str = Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    stage: int = Field(ge=1, description="The stage applied for: one of the stages of the pack's procedure (checked when evaluated).")
    cluster_name: Annotated[Str, WithJsonSchema(NAMES_SCHEMA)] = Field(
        min_length=1, description="The cluster's name: a text, or its texts per language ({kk: ..., ru: ...})."
    )
    cluster_names: Names | None = Field(None, description="The cluster's name per language, when cluster_name gives it so.")
    region: RegionId
    sector: Str = Field(min_length=1)
    applicant: Applicant
    submitted_at: MomentOrDay = Field(
        description=(
            "When the organiser registered it: a moment (without an offset, Asia/Almaty time), or a "
            "day when only the day is known (then on time against a close on that day only if the "
            "close is a day too; against a close at an hour of that day, unknown)."
        )
    )
    took_part_in_stage1: Stated = Field(None, description="Decides whether the akimat conclusion is required at stage 2 (p.7(5), p.8).")
    documents: list[SubmittedDocument] = Field(default_factory=new_list)
    submission_format: SubmissionFormat = Field(default_factory=SubmissionFormat)
    binding: Binding = Field(default_factory=Binding)
    participants: list[Participant] = Field(default_factory=new_list)
    concept: Concept | None = None
    strategy: Strategy | None = None
    roadmap: Roadmap | None = None
    akimat_conclusion: AkimatConclusion | None = Field(
        None, description="The conclusion of the akimat of the cluster's region (``region``), Appendix 3."
    )
    other_regions: list[RegionId] = Field(
        default_factory=new_list,
        description=(
            "The other regions the cluster spans (e.g. Almaty city and Almaty region): each needs the "
            "conclusion of its own akimat (p.6(3), p.8 speak of the local executive bodies' conclusions)."
        ),
    )
    other_akimat_conclusions: list[AkimatConclusion] = Field(
        default_factory=new_list,
        description=(
            "The conclusions of the akimats of other_regions, one per region. An input may instead give "
            "all conclusions as one list, akimat_conclusions: the first is akimat_conclusion."
        ),
    )
    authorized_body_conclusion: AuthorizedBodyConclusion | None = None
    expert_marks: list[ExpertSheet] = Field(default_factory=new_list)
    key_project_cost_mln_tenge: Amount | None = Field(None, description="Total cost of the key project, million tenge.")
    key_project_cluster_share_mln_tenge: Amount | None = Field(None, description="The cluster's share of it, million tenge.")
    withdrawal: Withdrawal | None = Field(None, description="Withdrawn by written notice under p.10, with its date.")
    records: ApplicationRecords = Field(
        default_factory=ApplicationRecords, description="The procedure's records on this application (conclusions, amendments)."
    )
    note: Str | None = None

    _cluster_name_in_languages = model_validator(mode="before")(in_languages("cluster_name", "cluster_names"))

    @classmethod
    def model_rebuild(cls, **kwargs: Any) -> bool | None:
        """The form's validator, built by pydantic when first used, with the parts the library
        also uses alone built first (a participant's card, a conclusion as an observed value,
        the empty records an application without any is given): the form's schema then takes
        theirs, and no part's schema is made twice (13 M instructions of an evaluation for the
        participant alone)."""
        for part in (Participant, Conclusion, ApplicationRecords):
            part.model_rebuild()
        return super().model_rebuild(**kwargs)

    def cluster_name_in(self, lang: str) -> str:
        """The cluster's name in ``lang`` (else as given)."""
        return self.cluster_names.get(lang) if self.cluster_names else self.cluster_name

    @field_validator("participants")
    @classmethod
    def _unique_participant_ids(cls, value: list[Participant]) -> list[Participant]:
        require_unique([participant.id for participant in value], "participant_ids")
        return value

    @model_validator(mode="before")
    @classmethod
    def _conclusions_as_one_list(cls, data: Any) -> Any:
        """``akimat_conclusions: [...]`` (every akimat's conclusion, the cluster's own region's
        first) is read as akimat_conclusion and other_akimat_conclusions."""
        if isinstance(data, dict) and "akimat_conclusions" in data:
            data = dict(data)
            every = data.pop("akimat_conclusions")
            if "akimat_conclusion" in data or "other_akimat_conclusions" in data:
                raise TextError("input_error.conclusions_twice")
            if isinstance(every, list) and every:
                data["akimat_conclusion"], data["other_akimat_conclusions"] = every[0], every[1:]
            elif not isinstance(every, list):
                data["akimat_conclusion"] = every  # one conclusion given alone: read, then validated
        return data

    @property
    def akimat_conclusions(self) -> list[AkimatConclusion]:
        """Every akimat conclusion of the application: that of ``region``, then the others."""
        return ([self.akimat_conclusion] if self.akimat_conclusion is not None else []) + list(self.other_akimat_conclusions)

    @property
    def other_cluster_regions(self) -> list[ClusterRegion]:
        """The other regions the cluster spans, each as a row a conclusion must cover."""
        return [ClusterRegion(region=region) for region in dict.fromkeys(self.other_regions) if region != self.region]

    @property
    def akimat_participants(self) -> list[AkimatParticipantRow]:
        """The rows of the participant tables of every akimat conclusion: each akimat confirms the
        participants in its own territory."""
        return [row for conclusion in self.akimat_conclusions for row in conclusion.participants]

    @model_validator(mode="after")
    def _regions_existed(self) -> "Application":
        """The application's region existed on the day it was registered, and the akimat
        conclusion's on the day of the conclusion (else of the registration): an application of
        2017 cannot be submitted for Turkestan region, formed in 2018 (docs/choices.md, "Regions by date")."""
        registered = day_of(self.submitted_at)
        named = [(self.region, registered, ("region",))]
        named += [(region, registered, ("other_regions", index)) for index, region in enumerate(self.other_regions)]
        conclusion = self.akimat_conclusion
        if conclusion is not None and conclusion.region is not None:
            named.append((conclusion.region, conclusion.date or registered, ("akimat_conclusion", "region")))
        for index, other in enumerate(self.other_akimat_conclusions):
            if other.region is not None:
                named.append((other.region, other.date or registered, ("other_akimat_conclusions", index, "region")))
        errors = [
            InitErrorDetails(type="value_error", loc=path, input=region, ctx={"error": problem})
            for region, day, path in named
            if (problem := region_problem(region, day)) is not None
        ]
        if errors:
            raise ValidationError.from_exception_data(type(self).__name__, errors)
        return self

    def document(self, kind: DocumentKind | str) -> SubmittedDocument | None:
        kind = DocumentKind(kind)
        return next((doc for doc in self.documents if doc.kind == kind), None)


# --------------------------------------------------------------------------- competition


class ProcedureEvent(Model):
    """Something that happened in the procedure, on a day (a protocol signed, a meeting held...).

    Event ids are those of the rule pack's time limits (``clusterpolicy packs show``).
    """

    event: Str = Field(min_length=1, pattern=r"^[a-z0-9_]+$")
    date: Day
    application_id: Str | None = Field(None, description="For per-application events such as registrations.")
    note: Str | None = None


class Competition(Model):
    """A competition: its dates, its applications and the events of the procedure as they happen."""

    id: Str = Field(min_length=1)
    title: Annotated[Str | None, WithJsonSchema(NAMES_OR_NULL_SCHEMA)] = Field(
        None, description="The competition's title: a text, or its texts per language ({kk: ..., ru: ...})."
    )
    titles: Names | None = Field(None, description="The title per language, when title gives it so.")
    organiser: Organiser | None = Field(None, description="The organiser: letterhead, address, who signs, outgoing-number prefix.")
    stage: int = Field(ge=1, description="The stage of the competition: one of the stages of the pack's procedure (checked when evaluated).")
    announced_on: Day = Field(description="Publication of the announcement (p.4-5).")
    acceptance_closes_at: MomentOrDay = Field(
        description=(
            "Close of acceptance of applications (p.5, p.13): a moment (without an offset, Asia/Almaty "
            "time) or a date, whose whole day is open (to 24:00, or the pack's close of business)."
        )
    )
    minimum_score: Number | None = Field(None, ge=0, le=100, description="Set by the Commission for stage 2 (p.24).")
    pack: Str | None = Field(None, description="Rule pack to use; by default the one in force on the announcement date.")
    events: list[ProcedureEvent] = Field(default_factory=new_list)
    applications: list[Application] = Field(default_factory=new_list)
    records: CompetitionRecords = Field(
        default_factory=CompetitionRecords, description="The procedure's records on the whole competition (the Commission's decisions)."
    )
    note: Str | None = None

    _title_in_languages = model_validator(mode="before")(in_languages("title", "titles"))

    def title_in(self, lang: str) -> str | None:
        """The title in ``lang`` (else as given)."""
        return self.titles.get(lang) if self.titles else self.title

    @field_validator("applications")
    @classmethod
    def _unique_application_ids(cls, value: list[Application]) -> list[Application]:
        require_unique([application.id for application in value], "application_ids")
        return value



def cross_field_problems(competition: Competition) -> list[tuple[tuple[Any, ...], str]]:
    """What no single field shows but the competition as a whole contradicts, as (path, message):
    an application registered before the announcement, an event naming an application the
    competition does not have (a typo there hides the real application's term)."""
    problems: list[tuple[tuple[Any, ...], str]] = []
    for index, application in enumerate(competition.applications):
        registered = day_of(application.submitted_at)
        if registered < competition.announced_on:
            problems.append(
                (
                    ("applications", index, "submitted_at"),
                    f"registered on {registered.isoformat()}, before the competition was announced "
                    f"({competition.announced_on.isoformat()})",
                )
            )
    ids = {application.id for application in competition.applications}
    for index, event in enumerate(competition.events):
        if event.application_id is not None and competition.applications and event.application_id not in ids:
            problems.append(
                (("events", index, "application_id"), f"no application of this competition has the id {event.application_id!r}")
            )
    decision = competition.records.stage2_decision
    if decision is not None and competition.applications:
        for field in ("winners", "cofinancing_recommended"):
            for index, named in enumerate(getattr(decision, field)):
                if named not in ids:
                    problems.append(
                        (("records", "stage2_decision", field, index), f"no application of this competition has the id {named!r}")
                    )
    return problems


SCHEMA_MODELS: dict[str, type[Model]] = {"application": Application, "competition": Competition}


DECIMAL_PATTERN = r"^[+-]?(\d+(\.\d*)?|\.\d+)$"


class _SchemaGenerator(GenerateJsonSchema):
    """Writes decimals the same way whatever the pydantic version (2.14 changed its output)."""

    def decimal_schema(self, schema: Any) -> dict:
        number: dict[str, Any] = {"type": "number"}
        for key, keyword in (("ge", "minimum"), ("le", "maximum"), ("gt", "exclusiveMinimum"), ("lt", "exclusiveMaximum")):
            if schema.get(key) is not None:
                number[keyword] = float(schema[key])
        return {"anyOf": [number, {"type": "string", "pattern": DECIMAL_PATTERN}]}


def json_schema(name: str = "application") -> dict:
    """JSON Schema (draft 2020-12) of an input document: ``application`` or ``competition``."""
    schema = SCHEMA_MODELS[name].model_json_schema(mode="validation", schema_generator=_SchemaGenerator)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://clusterpolicy.kz/schema/{name}.schema.json",
        **schema,
    }
