"""Test aids for systems that import clusterpolicy (needs the ``test`` extra: hypothesis).

- :func:`application_data` / :func:`valid_application`: a complete application that passes
  every rule of the Decree 535 pack, as plain data or as a model;
- :func:`competition_data`: a competition header whose dates admit that application;
- :data:`BREAKERS` and :func:`break_rule`: the smallest change that makes exactly one named
  rule fail;
- hypothesis strategies :func:`applications` (valid applications, varied) and
  :func:`near_valid_applications` (``(rule_id, application)`` pairs that break that rule).

Example::

    from hypothesis import given
    from clusterpolicy.testing import near_valid_applications

    @given(near_valid_applications())
    def test_my_system_rejects(case):
        rule_id, application = case
        ...
"""

from __future__ import annotations

import copy
from typing import Any, Callable

from hypothesis import strategies as st

from .errors import InvalidChecksum
from .identifiers import calc_check_digit
from .models import Application, Competition

ANNOUNCED_ON = "2017-04-10"
ACCEPTANCE_CLOSES_AT = "2017-06-08T18:00:00+06:00"
SUBMITTED_AT = "2017-06-01T10:00:00+06:00"

_ACTIVITY_CATEGORIES = [
    "market_strategy",
    "innovation_strategy",
    "human_resources_strategy",
    "international_cooperation_strategy",
    "management_and_development_strategy",
    "other",
]
_KINDS = ["producer", "supplier", "service_provider", "equipment_maker", "research_organisation", "university"]


def make_bin(year: int, month: int, serial: int, *, attribute: int = 0) -> str:
    """A BIN of a resident legal entity with a valid check digit (skips serials that have none)."""
    while True:
        first = f"{year % 100:02d}{month:02d}4{attribute}{serial % 100000:05d}"
        try:
            return first + calc_check_digit(first)
        except InvalidChecksum:
            serial += 1


def participant_data(index: int, *, name: str | None = None) -> dict[str, Any]:
    """A legal-entity participant with its card; owned by nobody, so unaffiliated."""
    return {
        "id": f"p{index:02d}",
        "name": name or f"ТОО «Қазақ Өнім {index}»",
        "bin": make_bin(2000 + index % 17, 1 + index % 12, 10000 + index * 37),
        "legal_status": "legal_entity",
        "kind": _KINDS[index % len(_KINDS)],
        "address": {"street": f"көшесі Абай, {index}", "city": "Қарағанды", "postcode": "100000"},
        "capital_country": "KZ",
        "founded": f"{2000 + index % 15}-03-01",
        "domestic": True,
        "activity_codes": {"main": "23.61", "additional": ["41.20"]},
        "indicators": [
            {"year": year, "turnover": str(100000 + 5000 * (year - 2012)), "exports": "1000", "average_headcount": 50 + index}
            for year in range(2012, 2017)
        ],
        "fictional": True,
    }


def _concept() -> dict[str, Any]:
    return {
        "pages": 22,
        "brief_description": {
            "present": True, "pages": 2, "location": True, "sector_affiliation": True, "key_participants": True,
            "creation_dates": True, "financial_indicators": True, "funding_sources": True, "funding_grounds": True,
        },
        "goals": {"present": True},
        "development_level": {
            "present": True, "interconnected_companies": 12, "chain_extension_projects": True, "business_investment": True,
        },
        "structure": {
            "present": True, "sector_affiliation": True, "partner_links_and_internationalisation": True,
            "market_indicators_years": 3, "export_data_years": 3, "other_studies": True, "value_chains": True,
        },
        "conditions": {
            "present": True, "raw_materials": True, "human_resources": True, "production_capacity": True,
            "energy_infrastructure": True, "transport_and_utilities": True, "innovation_infrastructure": True,
            "education_and_research": True, "international_links": True, "financial_resources": True,
        },
        "priorities": {"present": True, "national_priorities": True, "regional_priorities": True, "significance_dynamics": True},
        "participant_cards": {"present": True},
        "prospects": {
            "present": True, "strategic_goals_with_targets": True, "market_prospects": True, "output_growth": True,
            "employment_growth": True, "financing_proposals": True, "creation_budget": True,
        },
    }


def _strategy() -> dict[str, Any]:
    sections = ["brief_description", "goals", "development_level", "structure", "conditions", "priorities", "participant_cards"]
    strategy: dict[str, Any] = {name: {"present": True} for name in sections}
    strategy.update(
        pages=60,
        market_strategy={"present": True, "sector_focus": True, "value_chain_initiatives": True, "client_base_initiatives": True},
        innovation_strategy={"present": True, "research_organisations": True, "initiatives_and_results": True, "research_competences": True, "outside_research_organisations": True},
        human_resources_strategy={"present": True, "education_programmes": True, "education_competences": True, "outside_education_organisations": True},
        international_cooperation_strategy={"present": True, "cooperation_mechanisms": True, "export_support": True, "representation": True},
        management_strategy={"present": True, "legal_form": True, "organisational_structure": True, "decision_making": True, "swot_analysis": True},
        financing={
            "present": True, "total_mln_tenge": "120.5", "principles": True, "costs_by_structure": True,
            "quarterly_cash_flow_years": 5, "sources": {"own_or_membership_mln_tenge": "40", "local_budget_mln_tenge": "80.5"},
            "self_financing_sustainability": True, "risk_and_sensitivity_analysis": True,
        },
        current_results={"present": True, "market_position": True, "innovations": True, "human_resources": True, "international_cooperation": True, "cluster_management": True},
    )
    return strategy


def _activity(index: int) -> dict[str, Any]:
    return {
        "id": f"a{index:02d}",
        "title": f"Іс-шара {index}",
        "category": _ACTIVITY_CATEGORIES[index % len(_ACTIVITY_CATEGORIES)],
        "form_of_completion": "report",
        "concept": "A concrete result",
        "interim_results": "Interim result",
        "final_results": "Final result",
        "executors": ["Cluster association"],
        "funding_by_year_mln_tenge": {2018: "10", 2019: "12"},
        "funding_sources": ["own_or_membership", "local_budget"],
        "period": {"start": "2018-01-01", "end": "2019-12-31"},
        "target_group": "Cluster SMEs",
        "effectiveness_mechanism": "Yearly indicators",
    }


def application_data(stage: int = 1, *, participants: int = 12, activities: int = 6) -> dict[str, Any]:
    """Plain data of a complete application that passes every rule of the Decree 535 pack."""
    data: dict[str, Any] = {
        "id": f"test-stage{stage}",
        "stage": stage,
        "cluster_name": "Құрылыс кластері",
        "region": "karaganda",
        "sector": "construction",
        "submitted_at": SUBMITTED_AT,
        "submission_format": {"paper_originals": 1, "paper_copies": 1, "electronic_copy": True},
        "binding": {"volumes": [{"number": 1, "pages": 180}], "inventory_bound_first": True, "inventory_lists_pages": True},
        "participants": [participant_data(index) for index in range(1, participants + 1)],
    }
    akimat = {
        "issued_by": "Қарағанды облысы әкімдігі",
        "number": "12-3/456",
        "date": "2017-05-19",
        "request_registered_on": "2017-05-15",
        "participants": [{"name": p["name"]} for p in data["participants"]],
        "participants_confirmed": True,
        "expedient": True,
    }
    if stage == 1:
        data["applicant"] = {"name": "Қарағанды облысының кәсіпкерлер палатасы", "type": "regional_chamber_of_entrepreneurs"}
        data["documents"] = [
            {"kind": kind, "registration_number": f"R-{index}", "date": "2017-06-01", "volume": 1}
            for index, kind in enumerate(["inventory", "application_form_stage1", "concept", "akimat_conclusion"])
        ]
        data["concept"] = _concept()
        data["akimat_conclusion"] = akimat
    else:
        data["applicant"] = {"name": "Кластерлік қауымдастық", "type": "cluster_association", "stage1_winner": True, "represents_all_participants": True}
        data["took_part_in_stage1"] = True
        data["documents"] = [
            {"kind": kind, "registration_number": f"R-{index}", "date": "2017-06-01", "volume": 1}
            for index, kind in enumerate(["inventory", "application_form_stage2", "strategy", "roadmap", "authorized_body_conclusion"])
        ]
        data["strategy"] = _strategy()
        data["roadmap"] = {"pages": 12, "activities": [_activity(index) for index in range(1, activities + 1)]}
        data["authorized_body_conclusion"] = {
            "body": "Ministry", "number": "01-2/77", "date": "2017-05-25", "positive": True, "roadmap_agreed_with_state_bodies": True,
        }
    return data


def competition_data(stage: int = 1) -> dict[str, Any]:
    """A competition header (no applications) whose dates admit :func:`application_data`."""
    return {
        "id": f"test-competition-stage{stage}",
        "stage": stage,
        "announced_on": ANNOUNCED_ON,
        "acceptance_closes_at": ACCEPTANCE_CLOSES_AT,
        "minimum_score": "60",
        "pack": "kz-2015-decree-535",
    }


def valid_application(stage: int = 1, **options: Any) -> Application:
    return Application.model_validate(application_data(stage, **options))


def valid_competition(stage: int = 1) -> Competition:
    return Competition.model_validate(competition_data(stage))


# --------------------------------------------------------------------------- breaking one rule


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node = data
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[int(last) if last.isdigit() else last] = value

    return change


def _drop_document(kind: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["documents"] = [doc for doc in data["documents"] if doc["kind"] != kind]

    return change


def _affiliate_all(data: dict[str, Any]) -> None:
    """Make every participant a subsidiary of one holding: a single affiliated group."""
    for participant in data["participants"]:
        participant["owners"] = [{"owner_id": "HOLDING-1", "owner_name": "Холдинг", "share_percent": "51"}]


def _skip_stage1_without_akimat(data: dict[str, Any]) -> None:
    data["took_part_in_stage1"] = False


BREAKERS: dict[str, tuple[int, Callable[[dict[str, Any]], None]]] = {
    "eligibility.stage1-applicant-type": (1, _set("applicant.type", "other")),
    "eligibility.stage2-applicant": (2, _set("applicant", {"name": "ТОО «Бір»", "type": "business_association", "stage1_winner": False})),
    "eligibility.submitted-on-time": (1, _set("submitted_at", "2017-06-08T19:30:00+06:00")),
    "eligibility.unaffiliated-legal-entities": (1, _affiliate_all),
    "eligibility.interconnected-companies": (1, _set("concept.development_level.interconnected_companies", 5)),
    "eligibility.akimat-expedient": (1, _set("akimat_conclusion.expedient", False)),
    "eligibility.akimat-confirms-participants": (1, _set("akimat_conclusion.participants_confirmed", False)),
    "documents.stage1-application-form": (1, _drop_document("application_form_stage1")),
    "documents.stage1-concept": (1, _drop_document("concept")),
    "documents.stage1-akimat-conclusion": (1, _drop_document("akimat_conclusion")),
    "documents.akimat-conclusion-term": (1, _set("akimat_conclusion.date", "2017-05-30")),
    "documents.stage2-application-form": (2, _drop_document("application_form_stage2")),
    "documents.stage2-strategy": (2, _drop_document("strategy")),
    "documents.stage2-roadmap": (2, _drop_document("roadmap")),
    "documents.stage2-authorized-body-conclusion": (2, _drop_document("authorized_body_conclusion")),
    "documents.stage2-akimat-conclusion": (2, _skip_stage1_without_akimat),
    "documents.paper-original": (1, _set("submission_format.paper_originals", 0)),
    "documents.paper-copy": (1, _set("submission_format.paper_copies", 0)),
    "documents.electronic-copy": (1, _set("submission_format.electronic_copy", False)),
    "documents.volumes-numbered": (1, _set("binding.volumes", [])),
    "documents.inventory-bound-first": (1, _set("binding.inventory_bound_first", False)),
    "documents.volume-pages-listed": (
        1,
        _set("binding", {"volumes": [{"number": 1}, {"number": 2}], "inventory_bound_first": True, "inventory_lists_pages": True, "volume_numbers_and_pages_listed": False}),
    ),
    "documents.akimat-conclusion-registered": (1, _set("akimat_conclusion.number", "")),
    "contents.concept-length": (1, _set("concept.pages", 14)),
    "contents.concept-brief-description": (1, _set("concept.brief_description.funding_grounds", False)),
    "contents.concept-brief-description-length": (1, _set("concept.brief_description.pages", 4)),
    "contents.concept-goals": (1, _set("concept.goals.present", False)),
    "contents.concept-development-level": (1, _set("concept.development_level.business_investment", False)),
    "contents.concept-structure": (1, _set("concept.structure.value_chains", False)),
    "contents.concept-market-data-years": (1, _set("concept.structure.market_indicators_years", 2)),
    "contents.concept-export-data-years": (1, _set("concept.structure.export_data_years", 1)),
    "contents.concept-conditions": (1, _set("concept.conditions.international_links", False)),
    "contents.concept-priorities": (1, _set("concept.priorities.regional_priorities", False)),
    "contents.concept-participant-cards": (1, _set("concept.participant_cards.present", False)),
    "contents.concept-prospects": (1, _set("concept.prospects.creation_budget", False)),
    "contents.strategy-sections": (2, _set("strategy.conditions.present", False)),
    "contents.strategy-five-strategies": (2, _set("strategy.innovation_strategy.present", False)),
    "contents.strategy-management": (2, _set("strategy.management_strategy.swot_analysis", False)),
    "contents.strategy-financing": (2, _set("strategy.financing.risk_and_sensitivity_analysis", False)),
    "contents.strategy-cash-flow-years": (2, _set("strategy.financing.quarterly_cash_flow_years", 3)),
    "contents.strategy-current-results": (2, _set("strategy.current_results.innovations", False)),
    "contents.roadmap-has-activities": (2, _set("roadmap.activities", [])),
    "contents.roadmap-activity-elements": (2, _set("roadmap.activities.0.target_group", None)),
    "contents.roadmap-agreed": (2, _set("authorized_body_conclusion.roadmap_agreed_with_state_bodies", False)),
    "contents.authorized-body-conclusion-positive": (2, _set("authorized_body_conclusion.positive", False)),
}
"""Rule id -> (stage, change): applied to :func:`application_data` of that stage, the change
makes that rule fail and leaves the status of every other rule of the Decree 535 pack as it was."""


def break_rule(rule_id: str) -> Application:
    """A complete application changed so that exactly ``rule_id`` fails."""
    stage, change = BREAKERS[rule_id]
    data = copy.deepcopy(application_data(stage))
    change(data)
    return Application.model_validate(data)


# --------------------------------------------------------------------------- hypothesis strategies


_names = st.text(
    alphabet=st.sampled_from(list("АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯаәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюяABCabc «»-0123456789")),
    min_size=1,
    max_size=40,
).map(str.strip).filter(bool)


@st.composite
def applications(draw: Any, stage: int | None = None) -> Application:
    """Valid applications: every rule of the Decree 535 pack passes; names, sizes and stage vary."""
    stage = stage or draw(st.sampled_from([1, 2]))
    data = application_data(
        stage,
        participants=draw(st.integers(min_value=10, max_value=25)),
        activities=draw(st.integers(min_value=1, max_value=12)),
    )
    for participant in data["participants"]:
        participant["name"] = draw(_names)
    return Application.model_validate(data)


@st.composite
def near_valid_applications(draw: Any, rule_id: str | None = None) -> tuple[str, Application]:
    """``(rule_id, application)`` where the application breaks exactly that rule."""
    rule_id = rule_id or draw(st.sampled_from(sorted(BREAKERS)))
    return rule_id, break_rule(rule_id)
