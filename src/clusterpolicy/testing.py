"""Test aids for systems that import clusterpolicy (needs the ``test`` extra: hypothesis).

- :func:`application_data` / :func:`valid_application`: a complete application that passes
  every rule of the Decree 535 pack, as plain data or as a model;
- :func:`competition_data`: a competition header whose dates admit that application;
- :func:`breakers` and :func:`break_rule`: the smallest change that makes exactly one named
  rule fail, taken from the pack's own YAML test cases;
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

from typing import Any

from hypothesis import strategies as st

import copy
from functools import lru_cache
from importlib import resources

from .core.errors import InvalidChecksum
from .identifiers import calc_check_digit
from .input.decree535_form import Application, Competition
from .authoring.rule_cases import Case, CaseFile, apply_changes
from .core.sources import parse_yaml

_CATEGORIES = [
    "market_strategy", "innovation_strategy", "human_resources_strategy",
    "international_cooperation_strategy", "management_and_development_strategy", "other",
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
        "main_clients": ["Қарағанды облысының құрылыс компаниялары", "кластер кәсіпорындары"],
        "domestic": True,
        "responsible_person": {
            "surname": "Сейітова",
            "name": "Айгүл",
            "position": "Коммерциялық директор",
            "phone": f"+7 (7212) 40-{index:02d}-00",
            "mobile": f"+7 (701) 500-{index:02d}-00",
            "email": f"info@p{index:02d}.example",
        },
        "activity_codes": {"main": "23.61", "additional": ["41.20"]},
        "indicators": [
            {
                "year": year,
                "turnover": str(100000 + 5000 * (year - 2012)),
                "exports": "1000",
                "net_profit_percent": "6.5",
                "gross_value_added": str(35000 + 1500 * (year - 2012)),
                "average_headcount": 50 + index,
                "rd_staff_percent": "1.0",
                "rd_spending": "500",
            }
            for year in range(2012, 2017)
        ],
        "fictional": True,
    }


def _pack_tests(pack: str) -> Any:
    return resources.files("clusterpolicy.rules").joinpath(pack, "tests")


@lru_cache(maxsize=None)
def _base(name: str, pack: str) -> dict[str, Any]:
    entry = _pack_tests(pack).joinpath("base", name)
    return parse_yaml(entry.read_text("utf-8"), f"rules/{pack}/tests/base/{name}").data


def application_data(
    stage: int = 1, *, participants: int = 12, activities: int = 6, pack: str = "kz-2015-decree-535"
) -> dict[str, Any]:
    """Plain data of a complete application that passes every rule of the Decree 535 pack.

    It is the pack's ``tests/base/complete-stage{1,2}.yaml`` (12 participants, 6 roadmap
    activities), with participants and activities added or dropped to the numbers asked. The
    activities take the five strategies of Appendix 6 and "other" in turn: with fewer than five,
    the roadmap does not cover the five strategies.
    """
    data = copy.deepcopy(_base(f"complete-stage{stage}.yaml", pack))
    people = data["participants"][:participants]
    people += [participant_data(index) for index in range(len(people) + 1, participants + 1)]
    data["participants"] = people
    if "akimat_conclusion" in data:
        data["akimat_conclusion"]["participants"] = [{"name": p["name"], "bin": p.get("bin")} for p in people]
    if "roadmap" in data:
        template = data["roadmap"]["activities"][0]
        data["roadmap"]["activities"] = [  # the five strategies of Appendix 6 and other activities, in turn
            {**copy.deepcopy(template), "id": f"a{index:02d}", "title": f"Іс-шара {index}", "category": _CATEGORIES[(index - 1) % len(_CATEGORIES)]}
            for index in range(1, activities + 1)
        ]
    return data


def competition_data(stage: int = 1, *, pack: str = "kz-2015-decree-535") -> dict[str, Any]:
    """A competition header (no applications) whose dates admit :func:`application_data`."""
    return copy.deepcopy(_base(f"competition-stage{stage}.yaml", pack))


def valid_application(stage: int = 1, **options: Any) -> Application:
    return Application.model_validate(application_data(stage, **options))


def valid_competition(stage: int = 1, *, pack: str = "kz-2015-decree-535") -> Competition:
    return Competition.model_validate(competition_data(stage, pack=pack))


# --------------------------------------------------------------------------- breaking one rule


@lru_cache(maxsize=None)
def breakers(pack: str = "kz-2015-decree-535") -> dict[str, tuple[int, Case]]:
    """Rule id -> (stage, case): the pack's YAML cases that make exactly that one rule fail, on a
    complete application submitted to the plain competition of its stage (a case that needs the
    competition's own records cannot be replayed on :func:`valid_competition`)."""
    found: dict[str, tuple[int, Case]] = {}
    for entry in sorted(_pack_tests(pack).iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        document = parse_yaml(entry.read_text("utf-8"), entry.name)
        for case in CaseFile.model_validate(document.data).cases:
            failing = [rule for rule, outcome in case.expect.outcomes.items() if outcome == "failed"]
            plain_competition = case.competition in (None, f"base/competition-stage{case.base[-6:-5] if case.base else ''}.yaml")
            if len(failing) == 1 and case.base and case.base.startswith("base/complete-stage") and plain_competition and not case.parameters:
                found.setdefault(failing[0], (int(case.base[-6]), case))
    return found


def break_rule(rule_id: str, *, pack: str = "kz-2015-decree-535") -> Application:
    """A complete application changed so that exactly ``rule_id`` fails (as the pack's case does)."""
    stage, case = breakers(pack)[rule_id]
    data = application_data(stage, pack=pack)
    apply_changes(data, case)
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
        activities=draw(st.integers(min_value=5, max_value=12)),
    )
    for participant in data["participants"]:
        participant["name"] = draw(_names)
    return Application.model_validate(data)


@st.composite
def near_valid_applications(draw: Any, rule_id: str | None = None) -> tuple[str, Application]:
    """``(rule_id, application)`` where the application breaks exactly that rule."""
    rule_id = rule_id or draw(st.sampled_from(sorted(breakers())))
    return rule_id, break_rule(rule_id)
