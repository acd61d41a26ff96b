"""Remedies (issue 24): every failed or unknown finding says what would change it, and the patch it
states does what it says.

The property: for every YAML case of the rule packs (rules/*/tests/*.yaml), evaluated under both
shipped packs, each rule that fails has a remedy whose patch, applied to the case's input, makes
that rule pass; every rule the patch makes fail (that did not fail before) is named in the
remedy's ``also_fails``; and each alternative (criterion 1.1's links ended) makes the rule pass too.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path

import pytest

from clusterpolicy import evaluate
from clusterpolicy.authoring.rule_cases import _base_data, _competition, apply_changes, discover
from clusterpolicy.checks import kinds
from clusterpolicy.checks.kinds.base import Words, _is_field
from clusterpolicy.checks.patch import apply_patch, pointer
from clusterpolicy.core.errors import UsageError
from clusterpolicy.input.decree535_form import Application, Competition
from clusterpolicy.packs import load_pack_from

RULES = Path(__file__).resolve().parents[1] / "rules"
CASES = discover(RULES)
PACKS = ("kz-2015-decree-535", "kz-2017-kiri-methodology")
FAILING = [case for case in CASES if "failed" in case.case.expect.outcomes.values()]


@lru_cache(maxsize=None)
def pack(pack_id: str):
    return load_pack_from(RULES / pack_id)


def _input(loaded):
    """The case's input as data (application, competition), before validation."""
    data = _base_data(loaded)
    apply_changes(data, loaded.case, loaded)
    competition = _competition(str(Path(loaded.file).parent / loaded.case.competition)) if loaded.case.competition else None
    return data, competition


def _evaluate(data, competition, pack_id, lang="en"):
    return evaluate(Application.model_validate(data), competition=competition, pack=pack(pack_id), lang=lang)


def _patched(data, competition, ops):
    application = apply_patch(data, ops)
    if competition is not None and any(op.document == "competition" for op in ops):
        competition = Competition.model_validate(apply_patch(competition.model_dump(mode="json"), ops, "competition"))
    return application, competition


def _reads_derived(rule):
    paths = [getattr(rule.check, key, None) for key in ("field", "timestamp", "end", "among", "collection")]
    condition = getattr(rule.check, "condition", None)
    paths += list(condition.fields()) if condition is not None else []
    return any(not _is_field({"path": pointer(path)[1], "document": pointer(path)[0]}) for path in paths if isinstance(path, str))


def _check_case(loaded, pack_id):
    data, competition = _input(loaded)
    before = _evaluate(data, competition, pack_id)
    problems, checked = [], 0
    for result in before.results:
        if result.outcome not in ("failed", "unknown"):
            assert result.remedy is None, result.rule_id
            continue
        remedy = result.remedy
        assert remedy is not None, f"{result.rule_id}: no remedy"
        assert remedy.text.startswith(result.citation.text), remedy.text  # it cites the rule
        if result.outcome == "unknown":
            assert remedy.kind == "facts" or remedy.ops, result.rule_id
            continue
        assert remedy.kind == "change", result.rule_id
        if not remedy.ops:  # only where the rule reads a value the form derives from others
            assert _reads_derived(pack(pack_id).rule(result.rule_id)), f"{result.rule_id}: a failed rule without a patch"
            continue
        for option, ops in [("remedy", remedy.ops)] + [(f"alternative {i}", alt.ops) for i, alt in enumerate(remedy.alternatives)]:
            after = _evaluate(*_patched(data, competition, ops), pack_id)
            checked += 1
            outcome = after.outcome(result.rule_id)
            if outcome != "passed":
                message = next(r.message for r in after.results if r.rule_id == result.rule_id)
                problems.append(f"{result.rule_id} ({option}): {outcome} after the patch: {message}")
            if option == "remedy":
                newly = {r.rule_id for r in after.results if r.outcome == "failed" and before.outcome(r.rule_id) != "failed"}
                if not newly <= set(remedy.also_fails):
                    problems.append(f"{result.rule_id}: the patch makes {sorted(newly - set(remedy.also_fails))} fail, unsaid")
    return problems, checked


@pytest.mark.slow
@pytest.mark.parametrize("loaded", FAILING, ids=[f"{case.pack}:{case.test_id}" for case in FAILING])
def test_applying_the_remedy_makes_the_rule_pass(loaded):
    """Each case under its own pack (both packs have their cases)."""
    problems, _ = _check_case(loaded, loaded.pack)
    assert problems == []


def test_every_kind_has_a_failing_case_whose_remedy_is_tested():
    """The property test reaches every kind the packs use (a kind without a failing case is untested)."""
    used = {rule.check.kind for pack_id in PACKS for rule in pack(pack_id).rules}
    assert {case.pack for case in FAILING} == set(PACKS)  # both packs' failing cases are reached
    reached = set()
    for loaded in FAILING:
        rules = {rule.id: rule.check.kind for rule in pack(loaded.pack).rules}
        reached |= {rules[rule_id] for rule_id, outcome in loaded.case.expect.outcomes.items() if outcome == "failed" and rule_id in rules}
    assert used - reached == set()


def test_criterion_1_1_says_how_many_to_add_and_which_links_to_end():
    loaded = next(case for case in FAILING if case.case.expect.outcomes.get("eligibility.unaffiliated-legal-entities") == "failed")
    data, competition = _input(loaded)
    result = _evaluate(data, competition, PACKS[0])
    found = next(r for r in result.results if r.rule_id == "eligibility.unaffiliated-legal-entities")
    short = found.observed["minimum"] - found.observed["count"]
    assert found.remedy.text.endswith(f"{short} more legal entities unaffiliated with the others") or "This change" in found.remedy.text
    assert [op.path for op in found.remedy.ops] == ["/participants/-"] * short
    assert f"({short} short)" in found.remedy.finding
    problems, checked = _check_case(loaded, PACKS[0])
    assert problems == [] and checked >= 1


@pytest.mark.slow
def test_the_example_remedies_read_as_the_issue_asks():
    from clusterpolicy import evaluate_competition, load_competition

    competition = load_competition(Path(__file__).resolve().parents[1] / "examples" / "competition-2017")
    texts = {
        (a.application_id, r.rule_id): r.remedy
        for a in evaluate_competition(competition, lang="en").applications
        for r in a.results
        if r.remedy is not None
    }
    late = texts[("09-almaty-region-fruit-processing", "eligibility.submitted-on-time")]
    assert late.text == "Rules p.13: time of submission was due by 2017-06-08 18:00; it is 2017-06-08 19:30"
    assert [op.model_dump() for op in late.ops] == [
        {"op": "replace", "path": "/submitted_at", "value": "2017-06-08T18:00:00+06:00", "document": "application"}
    ]
    akimat = texts[("10-mangystau-oil-and-gas-services", "documents.stage1-akimat-conclusion")]
    assert akimat.text == "Rules p.6(3): add the document: akimat conclusion (Appendix 3)"
    affiliated = texts[("08-pavlodar-chemical", "eligibility.unaffiliated-legal-entities")]
    assert affiliated.text.startswith("Criteria 1.1: 2 more legal entities unaffiliated with the others")
    assert "documents.akimat-lists-participants" in affiliated.also_fails  # the new entities are not in the akimat's table
    assert affiliated.alternatives and affiliated.alternatives[0].ops[0].op == "remove"
    ru = evaluate_competition(competition, lang="ru").applications
    assert any(r.remedy and r.remedy.text.startswith("пункт") or (r.remedy and "Критери" in r.remedy.text) for a in ru for r in a.results)


def test_patches_follow_json_pointer():
    data = {"a": {"b": [1, 2]}, "c": None}
    assert apply_patch(data, [{"op": "add", "path": "/a/b/-", "value": 3}]) == {"a": {"b": [1, 2, 3]}, "c": None}
    assert apply_patch(data, [{"op": "remove", "path": "/a/b/0"}])["a"]["b"] == [2]
    assert apply_patch(data, [{"op": "replace", "path": "/c/d", "value": True}])["c"] == {"d": True}
    assert apply_patch(data, [{"op": "replace", "path": "/x", "value": 1, "document": "competition"}]) == data
    assert data == {"a": {"b": [1, 2]}, "c": None}  # the input is left as it is
    with pytest.raises(UsageError):
        apply_patch(data, [{"op": "remove", "path": "/a/b/5"}])
    assert pointer("competition.acceptance_closes_at") == ("competition", "/acceptance_closes_at")
    assert pointer("application.applicant.type") == pointer("applicant.type") == ("application", "/applicant/type")


@pytest.mark.parametrize("kind", kinds.KINDS, ids=lambda kind: kind.kind_name())
def test_every_kind_writes_its_own_remedy(kind):
    assert "remedy" in vars(kind)


def test_an_unknown_says_which_facts_decide_it():
    words = Words("en")
    check = kinds.ValueInSet(kind="value_in_set", field="applicant.type", allowed=["other"])
    remedy = check.remedy(kinds.Verdict("unknown", value=None, allowed=["other"]), None, None, words)
    assert (remedy.kind, remedy.needs, remedy.ops) == ("facts", ["/applicant/type"], [])
    assert remedy.text == "state applicant type"


def test_a_total_below_the_minimum_says_how_far_and_where():
    from decimal import Decimal

    from clusterpolicy import load_competition, run_competition
    from clusterpolicy.output.cli import score_shortfall

    competition = load_competition(Path(__file__).resolve().parents[1] / "examples" / "competition-2017")
    report = run_competition(competition.model_copy(update={"minimum_score": Decimal("70")}), lang="en")
    below = [entry for entry in report.outcome.ranking if entry.admitted is False]
    assert [entry.application_id for entry in below] == ["07-east-kazakhstan-machine-building"]
    entry = below[0]
    assert entry.short_of_minimum == Decimal("70") - entry.total and entry.largest_gaps
    assert all(e.short_of_minimum is None and e.largest_gaps == [] for e in report.outcome.ranking if e.admitted)
    text = score_shortfall(entry, Decimal("70"), "en")
    assert text.startswith(f"{Decimal('70') - entry.total} points short of the minimum of 70; the largest gaps are in block ")
    assert str(Decimal("70") - entry.total).replace(".", ",") in score_shortfall(entry, Decimal("70"), "ru")  # a decimal comma


def test_a_notice_states_the_requirement_and_what_was_found_never_the_change():
    from clusterpolicy import load_competition, run_competition
    from clusterpolicy.output.reports import return_notices

    competition = load_competition(Path(__file__).resolve().parents[1] / "examples" / "competition-2017")
    for lang, found in (("en", "8 were found (2 short)"), ("ru", "установлено 8 (недостаёт 2)"), ("kk", "анықталғаны 8 (2 жетпейді)")):
        text = return_notices(run_competition(competition, lang=lang)).to_markdown()
        assert found in text
        assert "legal entities unaffiliated with the others" not in text and "more legal" not in text


@pytest.mark.slow
def test_patching_the_model_equals_patching_the_json_and_validating():
    from clusterpolicy import load_competition
    from clusterpolicy.checks.patch import patch_model

    competition = load_competition(Path(__file__).resolve().parents[1] / "examples" / "competition-2017")
    header = competition.model_copy(update={"applications": []})
    for application in competition.applications:
        for result in evaluate(application, competition=header).results:
            if result.remedy is None or not result.remedy.ops:
                continue
            for ops in [result.remedy.ops, *(option.ops for option in result.remedy.alternatives)]:
                by_json = Application.model_validate(apply_patch(application.model_dump(mode="json"), ops))
                assert patch_model(application, ops) == by_json, (application.id, result.rule_id)
    with pytest.raises(UsageError):
        patch_model(competition.applications[0], [{"op": "replace", "path": "/no_such_field", "value": 1}])


def _chained(n: int, holding: bool = False) -> Application:
    """An application of ``n`` legal entities: each held 50 % by the one before it (a chain of
    pairs), or (``holding``) all but two held by one holding that is not a participant."""
    from clusterpolicy.testing import application_data

    data = application_data(1, participants=n, activities=5)
    people = data["participants"]
    for before, after in zip(people, people[1:]):
        after["owners"] = [{"owner_id": before["bin"], "owner_name": before["name"], "share_percent": 50}]
    if holding:
        for participant in people[2:]:
            participant["owners"] = [{"owner_id": "070540961237", "owner_name": "АО «Холдинг»", "share_percent": 100}]
    return Application.model_validate(data)


def _count_rule(result):
    if not hasattr(result, "results"):
        result = evaluate(result, pack=pack(PACKS[0]))
    return next(r for r in result.results if r.rule_id == "eligibility.unaffiliated-legal-entities")


def test_links_that_cannot_reach_the_minimum_are_not_recounted(monkeypatch):
    """A chain of 12 pairs: ending any of its links gains one entity at most, so five links (the
    most a remedy names) cannot add the 9 missing: no alternative, and no recount to find it out."""
    from clusterpolicy.checks.kinds.affiliation import UnaffiliatedLegalEntities as UnaffiliatedCount

    recounts = []
    counted = UnaffiliatedCount._counted
    monkeypatch.setattr(UnaffiliatedCount, "_counted", lambda self, *args: recounts.append(1) or counted(self, *args))
    chain = _count_rule(_chained(12))
    assert chain.outcome == "failed" and chain.remedy.text.startswith("Criteria 1.1: 9 more legal entities")
    assert chain.remedy.alternatives == [] and recounts == []
    # one holding over all but two (p01 still holds p02): the pair's link gains one, then the
    # holding's, which may gain 11, is recounted: it suffices; two recounts in all
    held = _count_rule(_chained(14, holding=True))
    [ended] = held.remedy.alternatives
    assert ended.text.startswith("these links ended: p03–p04") and len(recounts) == 2
    changed = Application.model_validate(apply_patch(_chained(14, holding=True).model_dump(mode="json"), ended.ops))
    assert _count_rule(changed).outcome == "passed"



def test_a_link_whose_group_stays_whole_without_it_is_not_recounted(monkeypatch):
    """30 legal entities, each held 10 % by two of three holdings outside the list (by turns):
    ending any one holding's link leaves the group in one piece (the other two still bind
    everyone), so no link can gain anything: no alternative, found without a single recount
    (before, each of the three links was recounted in full)."""
    from clusterpolicy.checks.kinds.affiliation import UnaffiliatedLegalEntities as UnaffiliatedCount
    from clusterpolicy.testing import application_data

    data = application_data(1, participants=30, activities=5)
    holdings = ["Holding A LLP", "Holding B LLP", "Holding C LLP"]
    for index, participant in enumerate(data["participants"]):
        participant["owners"] = [{"owner_id": holdings[(index + turn) % 3], "share_percent": 10} for turn in (0, 1)]
    recounts = []
    counted = UnaffiliatedCount._counted
    monkeypatch.setattr(UnaffiliatedCount, "_counted", lambda self, *args: recounts.append(1) or counted(self, *args))
    rule = _count_rule(Application.model_validate(data))
    assert rule.outcome == "failed" and rule.observed["count"] == 1
    assert rule.remedy.text.startswith("Criteria 1.1: 9 more legal entities")
    assert rule.remedy.alternatives == [] and recounts == []


# --------------------------------------------------------------------------- remedies in the notebook and the service

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "competition-2017"
PAVLODAR = EXAMPLE / "08-pavlodar-chemical.yaml"
ADD_TWO = {
    "kk": "Өлшемшарттардың 1.1-тармағы: қалғандарымен үлестес емес тағы 2 заңды тұлға.",
    "ru": "пункт 1.1 Критериев: ещё 2 юридических лица, не аффилированных с остальными.",
    "en": "Criteria 1.1: 2 more legal entities unaffiliated with the others.",
}


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_notebook_frame_has_each_findings_remedy_in_the_readers_language(lang):
    pytest.importorskip("pandas")
    from clusterpolicy import load_application, load_competition
    from clusterpolicy.output.notebook import to_dataframe

    competition = load_competition(EXAMPLE).model_copy(update={"applications": []})
    result = evaluate(load_application(PAVLODAR), competition=competition, lang=lang)
    frame = to_dataframe(result).set_index("rule_id")
    remedy = frame.loc["eligibility.unaffiliated-legal-entities", "remedy"]
    assert ADD_TWO[lang] in remedy and remedy == _count_rule(result).remedy.text
    passed = frame[frame["outcome"] == "passed"]
    assert passed["remedy"].isna().all()  # only a failed or unknown finding has one


@pytest.mark.parametrize("lang", [pytest.param("kk", marks=pytest.mark.slow), "ru", pytest.param("en", marks=pytest.mark.slow)])
def test_the_service_gives_the_remedy_and_its_patch_makes_the_rule_pass(lang):
    pytest.importorskip("fastapi")
    import json

    from _server import call, encode, plain
    from clusterpolicy.output import service

    app = service.create_app()
    competition = plain(EXAMPLE / "competition.yaml")
    application = plain(PAVLODAR)
    answer = call(app, "POST", "/v1/evaluate", encode({"application": application, "competition": competition, "lang": lang})).json()
    found = next(r for r in answer["results"] if r["rule_id"] == "eligibility.unaffiliated-legal-entities")
    assert ADD_TWO[lang] in found["remedy"]["text"] and found["remedy"]["kind"] == "change"
    assert found["remedy"]["also_fails"] == ["documents.akimat-lists-participants"]
    # a program applies the patch to the JSON it sent and asks again: the rule passes
    changed = apply_patch(json.loads(json.dumps(application, default=str)), found["remedy"]["ops"])
    again = call(app, "POST", "/v1/evaluate", encode({"application": changed, "competition": competition, "lang": lang})).json()
    assert next(r for r in again["results"] if r["rule_id"] == found["rule_id"])["outcome"] == "passed"


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "state the time: time of submission"), ("ru", "указать время: время подачи"), ("kk", "уақытын көрсету қажет: ")],
)
def test_a_day_against_an_hour_asks_for_the_time(lang, text):
    """The submission is dated the very day acceptance closes at 18:00, without an hour: on time or not
    depends on the hour, which the remedy asks for (the field's own name is not repeated)."""
    check = kinds.OnTime(kind="on_time", timestamp="submitted_at", deadline="competition.acceptance_closes_at")
    verdict = kinds.Verdict("unknown", timestamp="2017-06-08", deadline="2017-06-08T18:00:00+06:00")
    remedy = check.remedy(verdict, None, None, Words(lang))
    assert (remedy.kind, remedy.needs) == ("facts", ["/submitted_at"])
    assert remedy.text.startswith(text) and "time of time" not in remedy.text


def _judged_whole(monkeypatch) -> list[bool]:
    """Make every rule be judged on the whole patched list; returns where the shortcut would have been taken."""
    from clusterpolicy import evaluation

    taken: list[bool] = []
    real = evaluation._judged_on
    monkeypatch.setattr(evaluation, "_judged_on",
                        lambda rule, outcome, appended, after: taken.append(real(rule, outcome, appended, after) is not after) or after)
    return taken


def test_a_per_item_rule_judged_on_the_appended_items_alone_says_what_the_whole_list_says(monkeypatch):
    """A remedy that appends items (criterion 1.1's new entities) is judged, by a rule of a per-item
    kind that passed on that list (the participants' cards), on the new items alone: the same
    remedy, ``also_fails`` included, as on the whole patched list."""
    chain = _chained(12)
    quick = _count_rule(chain).remedy
    taken = _judged_whole(monkeypatch)
    assert _count_rule(chain).remedy == quick and any(taken)


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["competition-2017", "competition-2017-stage2"])
def test_the_examples_remedies_are_the_same_with_the_per_item_shortcut(folder, monkeypatch):
    from clusterpolicy import evaluate_competition, load_competition

    competition = load_competition(Path(__file__).resolve().parents[1] / "examples" / folder)
    quick = [r.remedy for a in evaluate_competition(competition).applications for r in a.results if r.remedy]
    _judged_whole(monkeypatch)
    assert quick == [r.remedy for a in evaluate_competition(competition).applications for r in a.results if r.remedy]
