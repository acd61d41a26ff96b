"""The engine against a hand-written floor: the same nine checks as a plain Python function.

The slice (issue 16), on a stage-2 application (20 participants, 30 roadmap activities):

1. the applicant's type is in a set;
2.-6. the required documents: application form, strategy, roadmap, the authorized body's
   conclusion, and the akimat's conclusion only from an applicant that skipped stage 1;
7. at least 10 domestic legal entities among the participants;
8. every roadmap activity states its eight elements;
9. submitted before acceptance closed.

The engine runs them as nine rules of a pack (the shipped rules where the pack has them, three
written here with the same check kinds), on the validated model, and returns its full
explanation: outcome, citation, observed values, parameters. The hand-written function returns
the nine outcomes and nothing else; it is the floor no engine can go under. Both give the same
outcomes (asserted). Target (issue 16): engine <= 3x the floor.

Run: ``python benchmarks/bench_floor.py`` (or ``python benchmarks/run.py floor``).
"""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Row, cold_caches, paired, print_rows  # noqa: E402

from clusterpolicy.checks.rule import Rule  # noqa: E402
from clusterpolicy.evaluation import evaluate  # noqa: E402
from clusterpolicy.input.decree535_form import Application, Competition  # noqa: E402
from clusterpolicy.packs import RulePack, load_pack  # noqa: E402
from clusterpolicy.testing import application_data, competition_data  # noqa: E402

QUICK = os.environ.get("CLUSTERPOLICY_BENCH_QUICK") == "1"
APPLICANT_TYPES = ("regional_chamber", "social_entrepreneurial_corporation", "sez_management_company", "business_association", "cluster_association")
SHIPPED = (
    "documents.stage2-application-form",
    "documents.stage2-strategy",
    "documents.stage2-roadmap",
    "documents.stage2-authorized-body-conclusion",
    "documents.stage2-akimat-conclusion",
    "contents.roadmap-activity-elements",
    "eligibility.submitted-on-time",
)
REQUIRED = ("application_form_stage2", "strategy", "roadmap", "authorized_body_conclusion")


def slice_pack() -> RulePack:
    """The nine rules as a pack (the shipped pack's header, vocabulary and procedure)."""
    pack = load_pack("kz-2015-decree-535")
    by_id = {rule.id: rule for rule in pack.rules}
    template = by_id["eligibility.stage1-applicant-type"]

    def written(rule_id: str, check: dict) -> Rule:
        data = template.model_dump(mode="json", exclude_none=True)
        return Rule.model_validate({**data, "id": rule_id, "stages": [1, 2], "check": check})

    extra = [
        written("floor.applicant-type", {"kind": "value_in_set", "field": "applicant.type", "allowed": list(APPLICANT_TYPES)}),
        written(
            "floor.domestic-legal-entities",
            {
                "kind": "count_at_least",
                "collection": "participants",
                "where": {"all": [{"field": "legal_status", "equals": "legal_entity"}, {"field": "domestic", "equals": True}]},
                "minimum": 10,
            },
        ),
    ]
    return dataclasses.replace(pack, rules=[extra[0], *(by_id[i] for i in SHIPPED[:5]), extra[1], *(by_id[i] for i in SHIPPED[5:])], rendered={})


def hand_written(application: Application, competition: Competition) -> list[str]:
    """The nine outcomes, as a programmer would write them for this one decree."""
    outcomes = ["passed" if application.applicant.type in APPLICANT_TYPES else "failed"]
    kinds = {document.kind for document in application.documents}
    outcomes += ["passed" if kind in kinds else "failed" for kind in REQUIRED]
    if application.took_part_in_stage1 is False:
        outcomes.append("passed" if "akimat_conclusion" in kinds else "failed")
    else:
        outcomes.append("not_applicable")
    domestic = sum(1 for p in application.participants if p.legal_status == "legal_entity" and p.domestic is True)
    outcomes.append("passed" if domestic >= 10 else "failed")
    if application.roadmap is None:
        outcomes.append("not_applicable")
    else:
        complete = True
        for a in application.roadmap.activities:  # the eight elements, each stated (not empty)
            if not (
                a.concept
                and (a.interim_results or a.final_results)
                and a.executors
                and a.funding_by_year_mln_tenge
                and a.funding_sources
                and a.period is not None
                and a.target_group
                and a.effectiveness_mechanism
            ):
                complete = False
                break
        outcomes.append("passed" if complete else "failed")
    outcomes.append("passed" if application.submitted_at <= competition.acceptance_closes_at else "failed")
    return outcomes


def floor_rows(number: int = 20, rounds: int = 15) -> list[Row]:
    application = Application.model_validate(application_data(2, participants=20, activities=30))
    competition = Competition.model_validate(competition_data(2))
    pack = slice_pack()
    result = evaluate(application, competition=competition, pack=pack)
    assert [r.outcome for r in result.results] == hand_written(application, competition), result.results

    def engine() -> object:
        return evaluate(application, competition=competition, pack=pack)

    def floor() -> object:
        return hand_written(application, competition)

    cold = paired(engine, floor, number=number * 10, rounds=rounds, before=cold_caches)
    warm = paired(engine, floor, number=number * 10, rounds=rounds)
    return [
        cold.row("9-check slice, engine with its explanation (cold)", "hand-written function, outcomes only", "target <= 3"),
        warm.row("  the same, warm caches", "hand-written function, outcomes only", ""),
    ]


def rows() -> list[Row]:
    return floor_rows(*((5, 7) if QUICK else (20, 15)))


if __name__ == "__main__":
    print_rows(rows)
