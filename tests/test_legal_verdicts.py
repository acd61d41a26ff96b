"""Verdicts corrected under issue 17: date-only deadlines, p.5 without rolling, p.41-42 outcome,
stage 2 (p.2(8), p.7(5), p.8), Appendix 6 element 2, criteria 1.1 (gate and count), and what
the 2017 methodology pack inherits. Each test quotes the decree's words it encodes."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from clusterpolicy.checks.fields import Context
from clusterpolicy.checks.kinds import OnTime
from clusterpolicy.checks.params import Params
from clusterpolicy.input.decree535_form import Competition
from clusterpolicy.evaluation import evaluate
from clusterpolicy.packs import load_pack, load_pack_from
from clusterpolicy.testing import valid_application, valid_competition

ALMATY = dt.timezone(dt.timedelta(hours=6))

CHILD = """\
id: {id}
version: 1.0.0
extends: kz-2015-decree-535
title: {{kk: Сынақ, ru: Проба, en: Trial}}
act:
  kind: Order
  number: T-1
  title: {{kk: Сынақ, ru: Проба, en: Trial}}
  adopted: 2015-07-16
  in_force_from: 2015-07-27
  source_language: kk
parameters:
"""


def reading(tmp_path, **values):
    """Decree 535 with some parameters set otherwise: the other reading of a choice."""
    folder = tmp_path / "reading"
    folder.mkdir()
    text = CHILD.format(id="reading") + "".join(
        f"  {name}:\n    override: true\n    value: {json.dumps(value)}\n" for name, value in values.items()
    )
    (folder / "pack.yaml").write_text(text, "utf-8")
    return load_pack_from(folder)


def _competition(closes) -> Competition:
    return Competition(id="c", stage=1, announced_on="2017-04-01", acceptance_closes_at=closes)


# --------------------------------------------------------------------------- date-only deadlines


@pytest.mark.parametrize("closes", ["2017-06-08", dt.date(2017, 6, 8)])
def test_a_date_only_close_stays_a_day(closes) -> None:
    assert _competition(closes).acceptance_closes_at == dt.date(2017, 6, 8)


def test_a_close_with_a_time_stays_a_moment_even_at_midnight() -> None:
    closes = _competition("2017-06-08T00:00:00+06:00").acceptance_closes_at
    assert isinstance(closes, dt.datetime) and closes.hour == 0


def _on_time(submitted: str, closes, **check) -> str:
    app = valid_application(1).model_copy(update={"submitted_at": dt.datetime.fromisoformat(submitted)})
    rule = OnTime(kind="on_time", timestamp="submitted_at", deadline="competition.acceptance_closes_at", **check)
    return rule.run(Context(app, _competition(closes)), Params(load_pack("kz-2015-decree-535"))).outcome


def test_date_only_close_runs_to_24_00_by_default() -> None:
    assert _on_time("2017-06-08T15:00:00+06:00", "2017-06-08") == "passed"
    assert _on_time("2017-06-08T23:59:59+06:00", "2017-06-08") == "passed"
    assert _on_time("2017-06-09T00:00:00+06:00", "2017-06-08") == "failed"
    # a timed close is used as given: 15:00 after a close at 00:00 is late
    assert _on_time("2017-06-08T15:00:00+06:00", "2017-06-08T00:00:00+06:00") == "failed"


def test_date_only_close_at_close_of_business_is_the_other_reading() -> None:
    check = {"date_only_cutoff": "close_of_business", "close_of_business": "18:00"}
    assert _on_time("2017-06-08T17:59:00+06:00", "2017-06-08", **check) == "passed"
    assert _on_time("2017-06-08T18:00:00+06:00", "2017-06-08", **check) == "failed"


def test_the_pack_names_the_date_only_choice() -> None:
    pack = load_pack("kz-2015-decree-535")
    assert pack.parameter("date_only_deadline_cutoff") == "end_of_day"
    assert pack.parameters["date_only_deadline_cutoff"].choice
    assert pack.parameter("close_of_business") == "18:00"


# --------------------------------------------------------------------------- the 2017 methodology pack

def test_the_methodology_inherits_no_binding_time_limit() -> None:
    """Issue 23: the methodology times its steps only indicatively («ориентировочно»); a limit of
    the decree would make a step of its selection late for a reason its act does not state."""
    decree = {limit.id for limit in load_pack("kz-2015-decree-535").time_limits}
    methodology = load_pack("kz-2017-kiri-methodology").time_limits
    assert decree and not decree & {limit.id for limit in methodology}
    assert methodology and all(limit.indicative and limit.citation.provision.startswith("Methodology") for limit in methodology)


def test_under_the_methodology_the_2017_dates_meet_its_own_acceptance_period() -> None:
    from clusterpolicy.procedure.timeline import compute_timeline
    from clusterpolicy.input.decree535_form import ProcedureEvent

    events = [ProcedureEvent(event="announcement", date="2017-04-10"), ProcedureEvent(event="acceptance_closed", date="2017-06-08")]
    entries = {e.limit_id: e for e in compute_timeline(load_pack("kz-2017-kiri-methodology").time_limits, events).entries}
    assert "rules-p5-announcement" not in entries  # late under p.5, on time under §3.2.2(4): not both
    assert entries["methodology-3-2-2-4-acceptance"].status == "on_time"
    decree = {e.limit_id: e for e in compute_timeline(load_pack("kz-2015-decree-535").time_limits, events).entries}
    assert decree["rules-p5-announcement"].status == "late"


# --------------------------------------------------------------------------- stage 2: p.2(8), p.7(5), p.8


def _association(took_part):
    app = valid_application(2)
    applicant = app.applicant.model_copy(update={"stage1_winner": False})
    return app.model_copy(update={"applicant": applicant, "took_part_in_stage1": took_part})


def test_p8_the_association_that_lost_stage_1_under_both_readings(tmp_path) -> None:
    rule = "eligibility.stage2-association-after-stage1"
    strict = evaluate(_association(True), pack="kz-2015-decree-535")
    assert strict.outcome(rule) == "failed" and strict.status == "returned"
    lenient = reading(tmp_path, stage2_association_took_part_in_stage1_allowed=[False, True, None])
    assert evaluate(_association(True), pack=lenient).outcome(rule) == "passed"
    assert evaluate(_association(None), pack=lenient).outcome(rule) == "passed"
    # under the default, not stating it leaves the question open
    assert evaluate(_association(None), pack="kz-2015-decree-535").outcome(rule) == "unknown"


# --------------------------------------------------------------------------- p.41, p.42, p.10: the outcome

from clusterpolicy.competition import run_competition  # noqa: E402
from clusterpolicy.testing import application_data, competition_data  # noqa: E402


def _competition_of(*kinds: str, stage: int = 1) -> Competition:
    """One application per kind: ok (admitted), unknown (compliance not stated), back (returned),
    gone (withdrawn before the close), gone-late (withdrawn after the close), gone-same-day."""
    header = competition_data(stage)
    header["events"] = [{"event": "competition_failed", "date": "2017-06-20"}] if stage == 1 else []
    applications = []
    for index, kind in enumerate(kinds, start=1):
        data = application_data(stage)
        data["id"] = f"{kind}-{index}"
        if kind == "unknown":
            data["submission_format"]["electronic_copy"] = None  # p.9: not stated
        elif kind == "back":
            data["submission_format"]["paper_copies"] = 0
        elif kind.startswith("gone"):
            at = {"gone": "2017-06-01", "gone-late": "2017-06-12", "gone-same-day": "2017-06-08"}[kind]
            if stage == 2:
                at = at.replace("2017-06", "2017-11").replace("-08", "-20")
            data["withdrawal"] = {"at": at, "reasons": "Қаржыландыру жоқ"}
        applications.append(data)
    header["applications"] = applications
    return Competition.model_validate(header)


def test_p41_an_unknown_application_that_could_decide_the_count_makes_the_outcome_undetermined() -> None:
    # «конкурсқа қатысушы екеуден аз болған жағдайда, конкурс өтпеді деп танылады»: one compliant,
    # one unknown: it is not known whether there are fewer than two
    outcome = run_competition(_competition_of("ok", "unknown", "back")).outcome
    assert outcome.status == "undetermined" and outcome.undetermined_ids == ["unknown-2"]
    assert outcome.reannouncement_due is None  # no p.42 clock on an undetermined outcome
    assert "(p.41)" in outcome.notes[-1].en


def test_p41_an_unknown_application_that_cannot_decide_the_count_leaves_the_outcome_decided() -> None:
    assert run_competition(_competition_of("ok", "ok", "unknown")).outcome.status == "held"
    failed = run_competition(_competition_of("back", "back", "unknown")).outcome
    assert failed.status == "failed" and failed.reannouncement_due == dt.date(2017, 8, 21)


def test_p10_withdrawn_applications_are_not_counted() -> None:
    outcome = run_competition(_competition_of("ok", "gone", "back")).outcome
    assert (outcome.status, outcome.compliant_count, outcome.withdrawn_ids) == ("failed", 1, ["gone-2"])
    # withdrawn after the close: not a p.10 withdrawal, still counted
    assert run_competition(_competition_of("ok", "gone-late")).outcome.status == "held"
    # on the closing day, by its day only, against a close at 18:00: undetermined
    same_day = run_competition(_competition_of("ok", "gone-same-day")).outcome
    assert (same_day.status, same_day.undetermined_ids) == ("undetermined", ["gone-same-day-2"])


def test_p41_a_stage_2_competition_without_marks_gets_an_outcome() -> None:
    report = run_competition(_competition_of("ok", "ok", "back", stage=2))
    assert report.outcome is not None and report.outcome.status == "held" and report.outcome.compliant_count == 2
    assert run_competition(_competition_of("ok", "back", stage=2)).outcome.status == "failed"


# --------------------------------------------------------------------------- criteria 1.1: the gate and the count

from clusterpolicy.checks.affiliation import count_unaffiliated_legal_entities  # noqa: E402
from clusterpolicy.checks.independent_set import maximum_independent_set  # noqa: E402
from clusterpolicy.input.decree535_form import Application  # noqa: E402

RULE_1_1 = "eligibility.unaffiliated-legal-entities"


def _chain(length: int, stage: int = 1) -> Application:
    """Twelve participants, the first ``length`` in a chain: each holds 10% of the next."""
    data = application_data(stage)
    people = data["participants"]
    for before, after in zip(people[: length - 1], people[1:length]):
        after["owners"] = [{"owner_id": before["bin"], "share_percent": "10"}]
    return Application.model_validate(data)


def test_both_counts_are_reported_and_the_parameter_says_which_decides(tmp_path) -> None:
    # «үлестес емес кемінде 10 заңды тұлға»: a chain of five links its ends only through the middle
    result = evaluate(_chain(5), competition=valid_competition(1), pack="kz-2015-decree-535")
    finding = next(r for r in result.results if r.rule_id == RULE_1_1)
    assert finding.outcome == "failed" and result.status == "returned"
    assert (finding.observed["count_connected_components"], finding.observed["count_independent_set"]) == (8, 10)
    assert finding.observed["deciding"] == "connected_components"
    assert "8" in finding.message and "10" in finding.message and "decides" in finding.message
    ru = evaluate(_chain(5), competition=valid_competition(1), pack="kz-2015-decree-535", lang="ru").results
    assert "каждая группа аффилированных лиц считается один раз" in next(r for r in ru if r.rule_id == RULE_1_1).message
    literal = evaluate(_chain(5), competition=valid_competition(1), pack=reading(tmp_path, affiliation_grouping="independent_set"))
    assert literal.outcome(RULE_1_1) == "passed" and literal.status == "admitted"


def test_the_gate_severity_and_stages_are_parameters(tmp_path) -> None:
    decree = load_pack("kz-2015-decree-535")
    assert decree.parameter("criteria_1_1_severity") == "return" and decree.parameter("criteria_1_1_stages") == [1]
    assert decree.rule(RULE_1_1).severity == "return" and decree.rule(RULE_1_1).stages == [1]
    # stage 2: not checked by default (p.32 refers to p.7 only)
    assert evaluate(_chain(5, stage=2), competition=valid_competition(2), pack=decree).outcome(RULE_1_1) == "not_applicable"
    other = reading(tmp_path, criteria_1_1_severity="warning", criteria_1_1_stages=[1, 2])
    assert other.rule(RULE_1_1).severity == "warning" and other.rule(RULE_1_1).stages == [1, 2]
    warned = evaluate(_chain(5), competition=valid_competition(1), pack=other)
    assert warned.outcome(RULE_1_1) == "failed" and warned.status == "admitted"  # the experts see it
    assert evaluate(_chain(5, stage=2), competition=valid_competition(2), pack=other).outcome(RULE_1_1) == "failed"


def test_a_gate_parameter_of_the_wrong_kind_fails_to_load(tmp_path) -> None:
    from clusterpolicy.core.errors import RulePackError

    with pytest.raises(RulePackError, match="sets the severity"):
        reading(tmp_path, criteria_1_1_severity="fatal")


def test_the_largest_unaffiliated_set_is_exact_and_matches_brute_force() -> None:
    import itertools
    import random

    rng = random.Random(17)
    for _ in range(150):
        n = rng.randint(0, 11)
        names = [f"v{i:02d}" for i in range(n)]
        edges = [(a, b) for a, b in itertools.combinations(names, 2) if rng.random() < 0.3]
        found = maximum_independent_set(names, edges)
        best = max(
            (r for r in range(n + 1) for c in itertools.combinations(names, r)
             if not any((a, b) in edges for a, b in itertools.combinations(c, 2))),
            default=0,
        )
        assert found.exact and found.size == best == found.upper_bound
        assert not any((a, b) in edges for a, b in itertools.combinations(found.members, 2))


def test_a_few_hundred_participants_in_holdings_are_counted_exactly() -> None:
    names = [f"p{i:03d}" for i in range(300)]
    edges = [(a, b) for h in range(30) for a, b in itertools_pairs(names[h * 10 : h * 10 + 10])]
    edges += [(names[i], names[i + 1]) for i in range(0, 299, 7)]
    found = maximum_independent_set(names, edges)
    assert found.exact and found.size == found.upper_bound


def itertools_pairs(items):
    import itertools

    return itertools.combinations(items, 2)


def test_beyond_the_search_budget_the_count_is_bounded_not_guessed() -> None:
    import random

    rng = random.Random(3)
    names = [f"v{i:03d}" for i in range(120)]
    edges = [(rng.choice(names), rng.choice(names)) for _ in range(700)]
    found = maximum_independent_set(names, edges, budget=50)
    assert not found.exact and found.size < found.upper_bound
    exact = maximum_independent_set(names, edges)
    assert found.size <= exact.size <= found.upper_bound


def test_counts_of_both_groupings_in_the_affiliation_result() -> None:
    result = count_unaffiliated_legal_entities(_chain(5).participants, grouping="independent_set")
    assert (result.count_certain, result.counts["connected_components"].count_certain) == (10, 8)
    assert result.counts["independent_set"].exact and len(result.counts["independent_set"].participant_ids) == 10


def test_a_date_only_close_agrees_with_the_close_event_of_its_day() -> None:
    header = competition_data(1)
    header["acceptance_closes_at"] = "2017-06-08"
    header["events"] = [{"event": "acceptance_closed", "date": "2017-06-08"}]
    header["applications"] = [application_data(1)]
    report = run_competition(Competition.model_validate(header))
    assert report.acceptance_closes_at == dt.date(2017, 6, 8)
    assert report.event_date("acceptance_closed") == dt.date(2017, 6, 8)
    p15 = next(e for e in report.timeline.entries if e.limit_id == "rules-p15-completeness-check")
    assert p15.due_date == dt.date(2017, 6, 15)  # Rules p.15: 5 working days from the close day
