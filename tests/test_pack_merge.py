"""A pack that ``extends`` another states only what it changes, merged by key.

Each test writes a small child pack to ``tmp_path`` that extends the shipped Decree 535 pack
(or a pack that itself extends it), and checks the merged rules, parameters, time limits,
events and scoring, or the located error of a faulty merge.
"""

from __future__ import annotations

import textwrap
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from clusterpolicy.core.errors import RulePackError
from clusterpolicy.packs import load_pack, load_pack_from

RULES = Path(__file__).resolve().parents[1] / "rules"
DECREE = "kz-2015-decree-535"
METHODOLOGY = "kz-2017-kiri-methodology"

HEADER = """\
id: {id}
version: 1.0.0
extends: {extends}
title: {{kk: Сынақ, ru: Проба, en: Trial}}
act:
  kind: Order
  number: T-1
  title: {{kk: Сынақ, ru: Проба, en: Trial}}
  adopted: 2016-01-01
  in_force_from: 2016-01-01
  source_language: ru
"""


def write_pack(root: Path, pack_id: str, files: dict[str, str], extends: str = DECREE) -> Path:
    """A pack folder ``root/pack_id``; ``files["pack.yaml"]`` is appended to the header."""
    folder = root / pack_id
    folder.mkdir()
    header = HEADER.format(id=pack_id, extends=extends) + textwrap.dedent(files.pop("pack.yaml", ""))
    (folder / "pack.yaml").write_text(header, "utf-8")
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text), "utf-8")
    return folder


def line_of(folder: Path, name: str, text: str) -> int:
    """The 1-based line of the first occurrence of ``text`` in ``folder/name``."""
    content = (folder / name).read_text("utf-8")
    return content[: content.index(text)].count("\n") + 1


def error_of(folder: Path) -> RulePackError:
    with pytest.raises(RulePackError) as caught:
        load_pack_from(folder)
    return caught.value


# --------------------------------------------------------------------------- merging, section by section


def test_a_child_without_files_is_its_parent(tmp_path):
    child, decree = load_pack_from(write_pack(tmp_path, "child", {})), load_pack(DECREE)
    assert [rule.model_dump() for rule in child.rules] == [rule.model_dump() for rule in decree.rules]
    assert child.parameters == decree.parameters
    assert child.time_limits == decree.time_limits
    assert child.time_limit_events == decree.time_limit_events
    assert child.scoring == decree.scoring


def test_rules_merge_by_id_in_the_parents_order(tmp_path):
    folder = write_pack(
        tmp_path,
        "child",
        {
            "eligibility.yaml": """\
            rules:
              - id: eligibility.akimat-expedient
                override: true
                severity: return
              - id: eligibility.interconnected-companies
                drop: true
              - id: eligibility.trial-rule
                title: {kk: Сынақ, ru: Проба, en: Trial}
                citation: {provision: "Order p.1"}
                severity: warning
                stages: [1]
                check: {kind: all_stated, fields: [applicant.name]}
                message: {kk: "{missing}", ru: "{missing}", en: "{missing}"}
            """,
        },
    )
    child, decree = load_pack_from(folder), load_pack(DECREE)
    changed = child.rule("eligibility.akimat-expedient")
    assert changed.severity == "return"
    assert changed.model_dump(exclude={"severity"}) == decree.rule("eligibility.akimat-expedient").model_dump(
        exclude={"severity"}
    )
    expected_ids = [r.id for r in decree.rules if r.id != "eligibility.interconnected-companies"] + ["eligibility.trial-rule"]
    assert [r.id for r in child.rules] == expected_ids
    assert child.rule("eligibility.trial-rule").severity == "warning"
    # where each rule is written: the override and the new rule in the child, the rest in the decree
    assert child.lines["eligibility.akimat-expedient"] == (str(folder / "eligibility.yaml"), 2)
    assert child.lines["eligibility.trial-rule"][1] == line_of(folder, "eligibility.yaml", "- id: eligibility.trial-rule")
    assert child.lines["eligibility.submitted-on-time"] == decree.lines["eligibility.submitted-on-time"]
    assert "eligibility.interconnected-companies" not in child.lines
    # the decree itself is untouched
    assert decree.rule("eligibility.akimat-expedient").severity == "warning"


def test_an_override_merges_nested_mappings_and_replace_swaps_a_whole_value(tmp_path):
    folder = write_pack(
        tmp_path,
        "child",
        {
            "documents.yaml": """\
            rules:
              - id: eligibility.stage1-applicant-type
                override: true
                message:
                  en: "Type {value} may not apply; allowed: {allowed}."
              - id: eligibility.akimat-expedient
                override: true
                replace: [check]
                check: {kind: all_stated, fields: [applicant.name]}
            """,
        },
    )
    child, decree = load_pack_from(folder), load_pack(DECREE)
    message = child.rule("eligibility.stage1-applicant-type").message
    assert message.en == "Type {value} may not apply; allowed: {allowed}."
    assert message.ru == decree.rule("eligibility.stage1-applicant-type").message.ru
    assert child.rule("eligibility.akimat-expedient").check.kind == "all_stated"


def test_parameters_merge_by_name(tmp_path):
    folder = write_pack(
        tmp_path,
        "child",
        {
            "pack.yaml": """\
            parameters:
              min_unaffiliated_legal_entities:
                override: true
                value: 12
              min_interconnected_companies:
                drop: true
              trial_parameter:
                value: 1
                title: {kk: Сынақ, ru: Проба, en: Trial}
                citation: {provision: "Order p.2"}
            """,
            "eligibility.yaml": """\
            rules:
              - id: eligibility.interconnected-companies
                drop: true
            """,
        },
    )
    child, decree = load_pack_from(folder), load_pack(DECREE)
    assert child.parameter("min_unaffiliated_legal_entities") == 12
    assert child.parameters["min_unaffiliated_legal_entities"].citation == decree.parameters[
        "min_unaffiliated_legal_entities"
    ].citation
    assert list(child.parameters) == [n for n in decree.parameters if n != "min_interconnected_companies"] + [
        "trial_parameter"
    ]
    assert child.parameter("trial_parameter") == 1
    assert decree.parameter("min_unaffiliated_legal_entities") == 10


def test_time_limits_and_events_merge_by_id(tmp_path):
    folder = write_pack(
        tmp_path,
        "child",
        {
            "time-limits.yaml": """\
            time_limits:
              - id: rules-p5-announcement
                override: true
                amount: 45
              - id: rules-p42-reannouncement
                drop: true
              - id: trial-limit
                citation: {provision: "Order p.3"}
                title: {kk: Сынақ, ru: Проба, en: Trial}
                kind: within
                amount: 5
                unit: working_days
                start_event: announcement
                end_event: trial_event
            events:
              - id: announcement
                override: true
                title: {kk: Хабарландыру, ru: Объявление, en: Call published}
              - id: trial_event
                title: {kk: Сынақ, ru: Проба, en: Trial}
            """,
        },
    )
    child, decree = load_pack_from(folder), load_pack(DECREE)
    limits = {limit.id: limit for limit in child.time_limits}
    assert limits["rules-p5-announcement"].amount == 45
    assert limits["rules-p5-announcement"].title == decree.time_limits[1].title
    assert [limit.id for limit in child.time_limits] == [
        limit.id for limit in decree.time_limits if limit.id != "rules-p42-reannouncement"
    ] + ["trial-limit"]
    assert child.time_limit_events["announcement"].title.en == "Call published"
    assert list(child.time_limit_events) == list(decree.time_limit_events) + ["trial_event"]


def test_scoring_merges_by_key(tmp_path):
    folder = write_pack(
        tmp_path,
        "child",
        {
            "scoring.yaml": """\
            scoring:
              minimum_experts:
                value: 5
              blocks:
                - id: development-level
                  override: true
                  sub_criteria:
                    - id: chain-extension-projects
                      drop: true
                    - id: value-chain-group
                      override: true
                      weight: "1/2"
                    - id: business-investment
                      override: true
                      weight: "1/2"
                - id: prospects
                  override: true
                  title: {kk: Болашағы, ru: Перспективы, en: Outlook}
            """,
        },
    )
    child, decree = load_pack_from(folder).scoring, load_pack(DECREE).scoring
    assert child.minimum_experts.value == 5
    assert child.minimum_experts.note == decree.minimum_experts.note
    assert [block.id for block in child.blocks] == [block.id for block in decree.blocks]
    development = child.blocks[0]
    assert [(sub.id, sub.weight) for sub in development.sub_criteria] == [
        ("value-chain-group", Fraction(1, 2)),
        ("business-investment", Fraction(1, 2)),
    ]
    assert development.sub_criteria[0].title == decree.blocks[0].sub_criteria[0].title
    assert child.blocks[3].title.en == "Outlook"
    assert child.blocks[3].sub_criteria == decree.blocks[3].sub_criteria
    assert child.messages == decree.messages
    assert child.tie_break == decree.tie_break


def test_scoring_can_drop_a_block_and_add_one(tmp_path):
    folder = write_pack(
        tmp_path,
        "child",
        {
            "scoring.yaml": """\
            scoring:
              blocks:
                - id: significance
                  drop: true
                - id: outlook
                  number: 5
                  weight: "1/4"
                  citation: {provision: "Order p.4"}
                  title: {kk: Болашағы, ru: Перспективы, en: Outlook}
                  sub_criteria:
                    - id: trial-criterion
                      number: "5.1"
                      weight: 1
                      citation: {provision: "Order p.4(1)"}
                      title: {kk: Сынақ, ru: Проба, en: Trial}
            """,
        },
    )
    scoring = load_pack_from(folder).scoring
    assert [block.id for block in scoring.blocks] == ["development-level", "regional-conditions", "prospects", "outlook"]


def test_keyless_lists_and_scalars_replace(tmp_path):
    folder = write_pack(
        tmp_path,
        "child",
        {"scoring.yaml": "scoring:\n  tie_break:\n    value: [application_id]\n  rounding:\n    places: 1\n"},
    )
    scoring = load_pack_from(folder).scoring
    assert scoring.tie_break.value == ["application_id"]
    assert scoring.rounding.places == 1
    assert scoring.rounding.mode == load_pack(DECREE).scoring.rounding.mode


def test_a_grandchild_merges_into_the_merged_parent(tmp_path):
    write_pack(
        tmp_path,
        "middle",
        {"pack.yaml": "parameters:\n  paper_copies:\n    override: true\n    value: 3\n"},
    )
    folder = write_pack(
        tmp_path,
        "grandchild",
        {"pack.yaml": "parameters:\n  paper_copies:\n    override: true\n    note: two readings\n"},
        extends="middle",
    )
    pack = load_pack_from(folder)
    assert pack.parameter("paper_copies") == 3
    assert pack.parameters["paper_copies"].note == "two readings"
    assert pack.parameters["paper_copies"].title == load_pack(DECREE).parameters["paper_copies"].title


# --------------------------------------------------------------------------- errors, with file and line


def test_restating_an_inherited_id_without_a_mark_is_located(tmp_path):
    folder = write_pack(tmp_path, "child", {"eligibility.yaml": "rules:\n  - id: eligibility.akimat-expedient\n    severity: return\n"})
    error = error_of(folder)
    assert error.code == "inherited_id"
    assert (error.location.file, error.location.line) == (str(folder / "eligibility.yaml"), 2)
    assert "override: true" in error.message and "rules/kz-2015-decree-535/eligibility.yaml:" in error.message


def test_dropping_what_does_not_exist_is_located_with_a_guess(tmp_path):
    folder = write_pack(tmp_path, "child", {"eligibility.yaml": "rules:\n  - id: eligibility.akimat-expedent\n    drop: true\n"})
    error = error_of(folder)
    assert error.code == "unknown_inherited"
    assert (error.location.file, error.location.line) == (str(folder / "eligibility.yaml"), 2)
    assert "did you mean 'eligibility.akimat-expedient'" in error.message


def test_overriding_what_does_not_exist_is_located(tmp_path):
    folder = write_pack(
        tmp_path,
        "child",
        {"scoring.yaml": "scoring:\n  blocks:\n    - id: prospect\n      override: true\n      weight: 1\n"},
    )
    error = error_of(folder)
    assert error.code == "unknown_inherited"
    assert (error.location.file, error.location.line) == (str(folder / "scoring.yaml"), 3)
    assert "block 'prospect'" in error.message and "did you mean 'prospects'" in error.message


def test_overriding_a_parameter_that_does_not_exist_is_located(tmp_path):
    folder = write_pack(tmp_path, "child", {"pack.yaml": "parameters:\n  paper_copys:\n    override: true\n    value: 3\n"})
    error = error_of(folder)
    assert error.code == "unknown_inherited"
    assert (error.location.file, error.location.line) == (str(folder / "pack.yaml"), line_of(folder, "pack.yaml", "paper_copys"))


def test_dropping_a_parameter_an_inherited_rule_uses_is_located_at_the_drop(tmp_path):
    folder = write_pack(tmp_path, "child", {"pack.yaml": "parameters:\n  paper_copies:\n    drop: true\n"})
    error = error_of(folder)
    assert error.code == "unknown_parameter"
    assert (error.location.file, error.location.line) == (str(folder / "pack.yaml"), line_of(folder, "pack.yaml", "paper_copies"))
    assert "rules/kz-2015-decree-535/documents.yaml:" in error.message


def test_malformed_marks_are_located(tmp_path):
    cases = {
        "drop: yes-please": "drop: takes true",
        "drop: true\n    severity: return": "states nothing but drop: true",
        "drop: true\n    override: true": "either dropped or overridden",
    }
    for number, (marks, expected) in enumerate(cases.items()):
        folder = write_pack(
            tmp_path, f"child{number}", {"eligibility.yaml": f"rules:\n  - id: eligibility.akimat-expedient\n    {marks}\n"}
        )
        error = error_of(folder)
        assert error.code == "merge_directive", marks
        assert expected in error.message
        assert error.location.file == str(folder / "eligibility.yaml") and error.location.line in (2, 3)


def test_replace_must_name_a_key_the_mapping_states(tmp_path):
    folder = write_pack(tmp_path, "child", {"scoring.yaml": "scoring:\n  replace: [blocks]\n  rounding: {places: 1}\n"})
    error = error_of(folder)
    assert error.code == "merge_directive"
    assert (error.location.file, error.location.line) == (str(folder / "scoring.yaml"), 2)


def test_drop_outside_a_keyed_item_is_refused(tmp_path):
    folder = write_pack(tmp_path, "child", {"scoring.yaml": "scoring:\n  rounding:\n    drop: true\n"})
    error = error_of(folder)
    assert error.code == "merge_directive"
    assert (error.location.file, error.location.line) == (str(folder / "scoring.yaml"), 3)


def test_a_child_id_written_twice_is_a_duplicate(tmp_path):
    rule = (
        "  - id: eligibility.trial-rule\n    title: {kk: a, ru: b, en: c}\n    citation: {provision: p}\n"
        "    severity: warning\n    stages: [1]\n    check: {kind: all_stated, fields: [applicant.name]}\n"
        "    message: {kk: x, ru: y, en: z}\n"
    )
    folder = write_pack(tmp_path, "child", {"eligibility.yaml": "rules:\n" + rule, "contents.yaml": "rules:\n" + rule})
    error = error_of(folder)
    assert error.code == "duplicate_id"
    assert error.location.file == str(folder / "contents.yaml")
    assert "eligibility.yaml:2" in error.message


def test_an_invalid_value_in_a_merged_item_names_the_childs_line(tmp_path):
    folder = write_pack(
        tmp_path,
        "child",
        {"scoring.yaml": "scoring:\n  blocks:\n    - id: prospects\n      override: true\n      weight: lots\n"},
    )
    error = error_of(folder)
    assert (error.location.file, error.location.line) == (str(folder / "scoring.yaml"), 5)
    assert error.location.path == ("scoring", "blocks", 0, "weight")


def test_an_error_the_merge_causes_in_inherited_data_names_the_parents_line(tmp_path):
    # Dropping a sub-criterion leaves the block's weights summing to 2/3: the list is the child's.
    folder = write_pack(
        tmp_path,
        "child",
        {
            "scoring.yaml": """\
            scoring:
              blocks:
                - id: development-level
                  override: true
                  sub_criteria:
                    - id: business-investment
                      drop: true
            """
        },
    )
    error = error_of(folder)
    assert "sum to 2/3" in error.message
    assert (error.location.file, error.location.line) == (str(folder / "scoring.yaml"), 5)
    # An inherited value that the child's change makes invalid is shown where the parent wrote it:
    # dropping an event leaves the decree's time limit that starts from it pointing at nothing.
    folder = write_pack(tmp_path, "child2", {"time-limits.yaml": "events:\n  - id: decree_published\n    drop: true\n"})
    error = error_of(folder)
    assert error.code == "unknown_event"
    decree = RULES / DECREE / "time-limits.yaml"
    assert error.location.file == f"rules/{DECREE}/time-limits.yaml"
    assert error.location.line == line_of(decree.parent, decree.name, "start_event: decree_published")


# --------------------------------------------------------------------------- the shipped methodology pack


def test_the_methodology_states_only_what_differs_from_the_decree():
    parent = yaml.safe_load((RULES / DECREE / "scoring.yaml").read_text("utf-8"))["scoring"]
    child = yaml.safe_load((RULES / METHODOLOGY / "scoring.yaml").read_text("utf-8"))["scoring"]
    assert set(child) == {
        "look_back_years", "minimum_compliant_participants", "reannouncement_months", "replace", "blocks",
        # issue 23: KIRI's team marks (no experience rule), the shares the weights move, one stage's message
        "minimum_experience_years", "weights_note", "messages",
    }
    assert set(child["messages"]) == {"admission_undetermined"}
    for name in ("look_back_years", "minimum_compliant_participants", "reannouncement_months"):
        assert set(child[name]) == {"citation", "note"}  # the note changes; the citation stays with it
        assert child[name]["note"] != parent[name]["note"]
    assert child["replace"] == ["blocks"]
    # The blocks are the methodology's own grouping, each citing the methodology.
    parent_blocks = {block["id"]: block for block in parent["blocks"]}
    for block in child["blocks"]:
        assert block != parent_blocks.get(block["id"])
        assert block["citation"]["provision"].startswith("Methodology §3.2.1")
        assert all(sub["citation"]["provision"].startswith("Methodology §3.2.1") for sub in block["sub_criteria"])
    events = yaml.safe_load((RULES / METHODOLOGY / "time-limits.yaml").read_text("utf-8"))["events"]
    parent_events = {event["id"]: event for event in yaml.safe_load((RULES / DECREE / "time-limits.yaml").read_text("utf-8"))["events"]}
    for event in events:
        if event["id"] in parent_events:
            assert event.get("override") is True and event["title"] != parent_events[event["id"]]["title"]


def test_the_merged_methodology_scoring_is_pinned():
    methodology, decree = load_pack(METHODOLOGY).scoring, load_pack(DECREE).scoring
    grouping = [(b.id, b.number, b.weight, [(s.id, s.number, s.weight) for s in b.sub_criteria]) for b in methodology.blocks]
    sixth, third, half = Fraction(1, 6), Fraction(1, 3), Fraction(1, 2)
    assert grouping == [
        ("value-chain-development", 1, Fraction(1, 4), [
            ("value-chain-group", "1.1", sixth), ("raw-materials", "1.2", sixth), ("human-resources", "1.3", sixth),
            ("production-capacity", "1.4", sixth), ("innovation-infrastructure", "1.5", sixth),
            ("education-infrastructure", "1.6", sixth),
        ]),
        ("regional-environment", 2, Fraction(1, 4), [
            ("energy-infrastructure", "2.1", third), ("transport-infrastructure", "2.2", third),
            ("financial-resources", "2.3", third),
        ]),
        ("socio-economic-impact", 3, Fraction(1, 4), [("regional-significance", "3.1", half), ("sector-significance", "3.2", half)]),
        ("prospects", 4, Fraction(1, 4), [("economic-effect", "4.1", half), ("market-prospects", "4.2", half)]),
    ]
    # Everything else is the decree's, but for three notes that say the values are carried over, the
    # markers' experience (KIRI's team), the weights' note and the message on the minimum score.
    changed = {"blocks", "look_back_years", "minimum_compliant_participants", "reannouncement_months",
               "minimum_experience_years", "weights_note"}
    same = methodology.model_dump(exclude=changed)
    theirs = decree.model_dump(exclude=changed)
    assert same["messages"].pop("admission_undetermined") != theirs["messages"].pop("admission_undetermined")
    assert same == theirs
    for name in ("look_back_years", "minimum_compliant_participants", "reannouncement_months"):
        mine, theirs = getattr(methodology, name), getattr(decree, name)
        assert (mine.value, mine.citation) == (theirs.value, theirs.citation)
        assert mine.note != theirs.note
    events = load_pack(METHODOLOGY).time_limit_events
    assert events["announcement"].title.en == "Selection announced"
    assert list(events)[: len(load_pack(DECREE).time_limit_events)] == list(load_pack(DECREE).time_limit_events)


def test_the_methodology_read_from_its_folder_equals_the_shipped_one():
    shipped, reread = load_pack(METHODOLOGY), load_pack_from(RULES / METHODOLOGY)
    assert reread.scoring == shipped.scoring
    assert reread.time_limits == shipped.time_limits
    assert reread.time_limit_events == shipped.time_limit_events
    assert reread.parameters == shipped.parameters
    assert [rule.id for rule in reread.rules] == [rule.id for rule in shipped.rules]


def _pack_folder(root, name, extends):
    from conftest import copy_pack_into

    folder = copy_pack_into(root, name=name)
    text = (folder / "pack.yaml").read_text("utf-8").replace("id: kz-2015-decree-535\n", f"id: {name}\nextends: {extends}\n", 1)
    (folder / "pack.yaml").write_text(text, "utf-8")
    return folder


@pytest.mark.parametrize(
    ("chain", "code", "words"),
    [
        ({"a": "a"}, "extends_cycle", "a -> a"),
        ({"a": "b", "b": "a"}, "extends_cycle", "a -> b -> a"),
        ({"a": "kz-2015-decree-53"}, "unknown_pack", "did you mean 'kz-2015-decree-535'?"),
    ],
)
def test_extends_itself_a_circle_or_an_unknown_pack_is_located(tmp_path, chain, code, words):
    """They were "nesting deeper than 64 levels", or an unknown pack with no pack.yaml line."""
    for name, parent in chain.items():
        _pack_folder(tmp_path, name, parent)
    with pytest.raises(RulePackError) as caught:
        load_pack_from(tmp_path / "a")
    assert caught.value.code == code and words in caught.value.message
    assert caught.value.location.file.endswith("pack.yaml") and caught.value.location.line is not None
