"""A rule pack is checked against the input models when it loads (checks/rule.py, checks/form_types.py and each kind's check_against).

A copy of the Decree 535 pack with one fault (a misspelt field path, ``when`` field,
placeholder, document kind or enum value, a parameter of the wrong type) must fail to load,
with the file, the line of the faulty value and a "did you mean"; the unchanged copy loads and
evaluates exactly as the shipped pack.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from clusterpolicy.checks import fields, form_types, kinds
from clusterpolicy.checks.params import Params, value_type
from clusterpolicy.core.errors import RulePackError
from clusterpolicy.evaluation import evaluate, evaluate_competition
from clusterpolicy.input.loading import load_competition
from clusterpolicy.packs import load_pack, load_pack_from
from clusterpolicy.testing import break_rule, breakers, valid_application, valid_competition

ROOT = Path(__file__).resolve().parents[1]
PACK_ID = "kz-2015-decree-535"


@pytest.fixture
def copy(decree_copy: Path) -> Path:
    return decree_copy


def spoil(folder: Path, name: str, old: str, new: str) -> int:
    """Replace the first ``old`` of ``folder/name`` with ``new``; the line the change starts on."""
    file = folder / name
    text = file.read_text("utf-8")
    assert old in text, old
    index = text.index(old)
    file.write_text(text.replace(old, new, 1), "utf-8")
    return text[:index].count("\n") + 1 + old[: len(old) - len(old.lstrip("\n"))].count("\n")


FAULTS = [
    pytest.param(
        "eligibility.yaml",
        "field: concept.development_level.interconnected_companies",
        "field: concept.devlopment_level.interconnected_companies",
        "unknown_field", ("rules", 4, "check", "field"), "concept.development_level.interconnected_companies",
        id="field-path",
    ),
    pytest.param(
        "contents.yaml", "when: {field: concept, stated: true}", "when: {field: consept, stated: true}",
        "unknown_field", ("rules", 0, "when", "field"), "concept",
        id="when-field",
    ),
    pytest.param(
        "contents.yaml",
        "ru: \"Объём концепции (листов формата А4): {value}; без учёта приложений требуется от {minimum}",
        "ru: \"Объём концепции (листов формата А4): {value}; без учёта приложений требуется от {minimun}",
        "unknown_placeholder", ("rules", 0, "message", "ru"), "minimum",
        id="placeholder-ru",
    ),
    pytest.param(
        "documents.yaml", "document: roadmap}", "document: road_map}",
        "unknown_value", ("rules", 6, "check", "document"), "roadmap",
        id="document-kind",
    ),
    pytest.param(
        "eligibility.yaml",
        "{field: applicant.type, equals: cluster_association}",
        "{field: applicant.type, in: [business_association, cluster_asociation]}",
        "unknown_value", ("rules", 1, "check", "condition", "any", 1, "all", 0, "in", 1), "cluster_association",
        id="enum-value-in",
    ),
    pytest.param(
        "eligibility.yaml",
        "allowed: {param: stage1_applicant_types}",
        "allowed: [regional_chamber_of_entrepreneurs, business_asociation]",
        "unknown_value", ("rules", 0, "check", "allowed", 1), "business_association",
        id="enum-value-allowed",
    ),
    pytest.param(
        "contents.yaml",
        "check: {kind: count_at_least, collection: roadmap.activities, minimum: 1}",
        "check: {kind: count_at_least, collection: roadmap.activities, minimum: 1, where: {field: category, equals: market_stratgy}}",
        "unknown_value", ("rules", 18, "check", "where", "equals"), "market_strategy",
        id="enum-value-where",
    ),
    pytest.param(
        "documents.yaml", "unit: working_days", "unit: working_day",
        "bad_parameter", ("rules", 3, "check", "unit"), "working_days",
        id="parameter-unit",
    ),
    pytest.param(
        "contents.yaml", "fields: [legal_form, organisational_structure", "fields: [legal_from, organisational_structure",
        "unknown_field", ("rules", 14, "check", "fields", 0), "legal_form",
        id="all-stated-field",
    ),
    pytest.param(
        "contents.yaml", "        executors: [executors]", "        executors: [executor]",
        "unknown_field", ("rules", 19, "check", "elements", "executors", 0), "executors",
        id="element-field",
    ),
    pytest.param(
        "eligibility.yaml", "deadline: competition.acceptance_closes_at", "deadline: competition.acceptance_closes",
        "unknown_field", ("rules", 2, "check", "deadline"), "competition.acceptance_closes_at",
        id="competition-path",
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "code", "path", "guess"), FAULTS)
def test_a_fault_fails_to_load_at_its_file_and_line_with_a_guess(copy, name, old, new, code, path, guess):
    line = spoil(copy, name, old, new)
    with pytest.raises(RulePackError) as caught:
        load_pack_from(copy)
    error = caught.value
    assert (error.code, error.location.file, error.location.line, error.location.path) == (code, f"{copy}/{name}", line, path)
    assert f"(did you mean {guess!r}?)" in error.message
    assert str(error).startswith(f"{copy}/{name}:{line}: ")


def test_a_misspelt_parameter_name_gets_a_guess(copy):
    spoil(copy, "contents.yaml", "minimum: {param: concept_pages_min}", "minimum: {param: concept_page_min}")
    with pytest.raises(RulePackError) as caught:
        load_pack_from(copy)
    assert caught.value.code == "unknown_parameter"
    assert caught.value.message.endswith("(did you mean 'concept_pages_min'?)")


def test_a_misspelt_enum_value_in_a_parameter_is_found_where_the_rule_uses_it(copy):
    spoil(copy, "pack.yaml", "value: [regional_chamber_of_entrepreneurs,", "value: [regional_chamber_of_entrepreneur,")
    line = (copy / "eligibility.yaml").read_text("utf-8").splitlines().index("      allowed: {param: stage1_applicant_types}") + 1
    with pytest.raises(RulePackError) as caught:
        load_pack_from(copy)
    error = caught.value
    assert (error.code, error.location.file, error.location.line) == ("unknown_value", f"{copy}/eligibility.yaml", line)
    assert "from parameter 'stage1_applicant_types'" in error.message
    assert "(did you mean 'regional_chamber_of_entrepreneurs'?)" in error.message


@pytest.mark.parametrize(
    ("name", "old", "new", "path", "expected"),
    [
        ("pack.yaml", "value: 6\n", "value: six\n", ("rules", 4, "check", "minimum"), "minimum must be a number; parameter 'min_interconnected_companies' is 'six'"),
        ("documents.yaml", "collection: binding.volumes\n      minimum: 1", "collection: binding.volumes\n      minimum: 1.5",
         ("rules", 12, "check", "minimum"), "minimum must be a whole number, 0 or more; 1.5 was given"),
        ("documents.yaml", "allowed: [true]", "allowed: true", ("rules", 11, "check", "allowed"), "allowed must be a list; True was given"),
        ("documents.yaml", "amount: {param: akimat_conclusion_term_working_days}", "amount: '5'",
         ("rules", 3, "check", "amount"), "amount must be a whole number, 0 or more; '5' was given"),
    ],
)
def test_a_parameter_of_the_wrong_type_fails_to_load(copy, name, old, new, path, expected):
    spoil(copy, name, old, new)
    with pytest.raises(RulePackError) as caught:
        load_pack_from(copy)
    error = caught.value
    assert (error.code, error.location.path) == ("bad_parameter", path)
    assert error.message.endswith(expected)


@pytest.mark.parametrize(
    ("old", "new", "code", "words"),
    [
        ("when: {field: binding.volumes.1, stated: true}", "when: {field: binding.volumes.first, stated: true}",
         "unknown_field", "items are reached by number"),
        ("{kind: document_required, document: roadmap}", "{kind: document_required, document: roadmap, }", None, None),
        ("ru: \"Оригиналов на бумажном носителе: {value}; требуется {minimum}.\"", "ru: \"Оригиналов на бумажном носителе: {}; требуется {minimum}.\"",
         "bad_placeholder", "placeholder without a name"),
        ("ru: \"Оригиналов на бумажном носителе: {value}; требуется {minimum}.\"", "ru: \"Оригиналов на бумажном носителе: {value; требуется {minimum}.\"",
         "bad_placeholder", "cannot be filled in"),
        ("- {field: took_part_in_stage1, equals: true}", "- {field: took_part_in_stage1, equals: {param: paper_copies}}",
         "bad_parameter", "{param: ...} is not read here"),
        ("allowed: [true]", "allowed: [yes]", None, None),  # YAML 1.1: yes is true
        ("allowed: [true]", "allowed: [1]", "unknown_value", "it is one of: true, false"),
        ("field: submission_format.paper_copies", "field: submission_format.electronic_copy", "wrong_field_type", "not a number"),
    ],
)
def test_other_faults_of_documents_yaml(copy, old, new, code, words):
    spoil(copy, "documents.yaml", old, new)
    if code is None:
        load_pack_from(copy)
        return
    with pytest.raises(RulePackError) as caught:
        load_pack_from(copy)
    assert caught.value.code == code and words in caught.value.message


def test_a_value_that_is_no_moment_where_a_moment_is_compared_fails(copy):
    spoil(copy, "eligibility.yaml", "deadline: competition.acceptance_closes_at", "deadline: competition.minimum_score")
    with pytest.raises(RulePackError, match="'competition.minimum_score' is .*, not a moment") as caught:
        load_pack_from(copy)
    assert caught.value.code == "wrong_field_type"


def test_a_day_deadline_is_compared_with_a_moment_or_a_day(copy):
    # submitted_at and acceptance_closes_at may each be a moment or a day: on_time judges what they hold
    spoil(copy, "eligibility.yaml", "deadline: competition.acceptance_closes_at", "deadline: competition.announced_on")
    assert load_pack_from(copy).rule("eligibility.submitted-on-time").check.deadline == "competition.announced_on"


def test_placeholders_may_name_the_rules_parameters_and_observed_values(copy):
    spoil(copy, "eligibility.yaml", "(үлестестік шегі {ownership_threshold_percent}%)", "({ownership_threshold_percent}, {count})")
    assert load_pack_from(copy).rule("eligibility.unaffiliated-legal-entities")


def test_placeholders_are_plain_names_only(copy):
    """Issue 27 item 9: indexing and format specs were accepted (``{count!r:>3}``); now refused with file and line."""
    spoil(copy, "eligibility.yaml", "(үлестестік шегі {ownership_threshold_percent}%)", "({affiliation[grouping]}, {count!r:>3})")
    with pytest.raises(RulePackError, match=r"placeholder \{affiliation\[grouping\]\} is not a plain \{name\}") as caught:
        load_pack_from(copy)
    assert caught.value.code == "bad_placeholder"
    assert caught.value.location.file.endswith("eligibility.yaml") and caught.value.location.line is not None


@pytest.mark.slow
def test_the_unchanged_copy_loads_and_evaluates_as_the_shipped_pack(copy):
    shipped, copied = load_pack(PACK_ID), load_pack_from(copy)
    assert [rule.id for rule in copied.rules] == [rule.id for rule in shipped.rules]
    complete = [(valid_application(stage), lang) for stage in (1, 2) for lang in ("kk", "ru", "en")]
    broken = [(break_rule(rule_id), "ru") for rule_id in sorted(breakers())]  # every rule fails once, with its message
    for application, lang in complete + broken:
        competition = valid_competition(application.stage)
        expected = evaluate(application, competition=competition, pack=shipped, lang=lang).to_json()
        assert evaluate(application, competition=competition, pack=copied, lang=lang).to_json() == expected
    example = load_competition(ROOT / "examples" / "competition-2017")
    assert evaluate_competition(example, pack=copied).to_json() == evaluate_competition(example, pack=shipped).to_json()


def test_both_shipped_packs_load():
    load_pack.cache_clear()
    for pack_id in ("kz-2015-decree-535", "kz-2017-kiri-methodology"):
        assert load_pack(pack_id).rules


# --------------------------------------------------------------------------- what each kind reports


def _observed_keys() -> dict[str, set[str]]:
    """The keys every check kind put into its verdicts, over the shipped rules and the test applications."""
    pack = load_pack(PACK_ID)
    seen: dict[str, set[str]] = {}
    applications = [valid_application(1), valid_application(2)] + [break_rule(rule_id) for rule_id in sorted(breakers())]
    bare = {1: valid_application(1).model_copy(update={"concept": None, "akimat_conclusion": None}),
            2: valid_application(2).model_copy(update={"roadmap": None, "strategy": None, "authorized_body_conclusion": None})}
    for application in applications + list(bare.values()):
        context = fields.Context(application, valid_competition(application.stage))
        for rule in pack.rules:
            verdict = rule.check.run(context, Params(pack))
            seen.setdefault(rule.check.kind, set()).update(verdict.observed)
    empty = fields.Context({}, {})  # nothing stated: the unknown verdicts
    for rule in pack.rules:
        if rule.check.kind != "unaffiliated_legal_entities":
            seen[rule.check.kind].update(rule.check.run(empty, Params(pack)).observed)
    # An uncertain year of the calendar: within_term reports its warnings.
    term = kinds.WithinTerm(kind="within_term", start="s", end="e", amount=5, unit="working_days")
    later = term.run(fields.Context({"s": dt.date(2029, 3, 1), "e": dt.date(2029, 3, 2)}), Params(pack))
    seen["within_term"].update(later.observed)
    # A close of acceptance given as a day: on_time reports the instant the day ends.
    day_close = valid_competition(1).model_copy(update={"acceptance_closes_at": dt.date(2017, 6, 8)})
    for rule in pack.rules:
        if rule.check.kind == "on_time":
            seen["on_time"].update(rule.check.run(fields.Context(valid_application(1), day_close), Params(pack)).observed)
    return seen


@pytest.mark.slow
def test_every_kind_reports_exactly_what_it_declares():
    seen = _observed_keys()
    declared = {kind.model_fields["kind"].annotation.__args__[0]: kind.reports for kind in kinds.check_kinds()}
    assert set(seen) == set(declared), "every kind is used by a shipped rule"
    for kind, keys in seen.items():
        assert keys == declared[kind], kind


def test_every_value_a_kind_computes_with_has_a_declared_type():
    """A field that takes ``{param: name}`` is a ``Param[T]``: the pack's value is checked against ``T``."""
    for kind in kinds.check_kinds():
        for field, info in kind.model_fields.items():
            takes_param = "ParamRef" in str(info.annotation)
            assert takes_param == (value_type(info.metadata) is not None), (kind.kind_name(), field)


def test_a_path_resolves_as_at_run_time():
    from clusterpolicy.input.decree535_form import Application, Competition, DocumentKind

    assert form_types.field_type(Application, "application.concept.pages") == form_types.field_type(Application, "concept.pages")
    assert form_types.choices(form_types.field_type(Application, "documents.0.kind")) == tuple(kind.value for kind in DocumentKind)
    assert form_types.field_type(Application, "competition") is Competition
    assert form_types.field_type(Application, "participants.0.is_legal_entity") is bool
    with pytest.raises(form_types.PathProblem) as caught:
        form_types.field_type(Application, "participants.name")
    assert "reached by number" in caught.value.message
