"""The count of unaffiliated legal entities (Criteria 1.1) and the groups behind it."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterpolicy import AffiliationResult, count_unaffiliated_legal_entities
from clusterpolicy.checks.affiliation import count_unaffiliated_legal_entities_json, identity_key, normalise_name
from clusterpolicy.core.errors import InputError, UsageError
from clusterpolicy.identifiers import bin as kz_bin
from clusterpolicy.input.decree535_form import OwnershipLink, Participant

DATA = Path(__file__).parent / "data" / "kz-bins-real.txt"
HEAD_BINS = [
    line.strip()
    for line in DATA.read_text("utf-8").splitlines()
    if line.strip() and not line.startswith("#") and kz_bin.info(line.strip()).is_legal_entity
]
BRANCH_BIN = "181141900093"  # a real BIN with attribute digit 1


def company(number: int, *, bin: str | None = "auto", **fields) -> Participant:
    """Participant p{number:02d}, a legal entity with the number-th real BIN unless told otherwise."""
    fields.setdefault("legal_status", "legal_entity")
    return Participant(
        id=f"p{number:02d}",
        name=fields.pop("name", f"Company {number}"),
        bin=HEAD_BINS[number] if bin == "auto" else bin,
        kind="producer",
        **fields,
    )


def owned(by: str, percent: str, name: str | None = None) -> dict:
    return {"owner_id": by, "owner_name": name, "share_percent": Decimal(percent)}


def independent(count: int) -> list[Participant]:
    return [company(n) for n in range(1, count + 1)]


def group_ids(result: AffiliationResult) -> list[list[str]]:
    """Every group's members, a participant alone (a group of one, not listed in ``groups``) included."""
    return [[member.participant_id for member in members] for members in result.group_members().values()]


def facts(link) -> list[tuple]:
    """Each tie of ``link``: who holds it (as the participant stating it names the holder), its
    role, the share (owners) or position (officials), and the participant it ties."""
    return [
        (link.holder_of(tie), tie.role, tie.share_percent if tie.role == "owner" else tie.position, tie.participant_id)
        for tie in link.ties
    ]


# --------------------------------------------------------------------------- the minimum of 10


@pytest.mark.parametrize(("groups", "meets"), [(9, False), (10, True), (11, True)])
def test_boundary_nine_ten_eleven_groups(groups, meets):
    result = count_unaffiliated_legal_entities(independent(groups))
    assert result.count == result.count_certain == result.count_if_all_unknown_counted == groups
    assert result.meets_minimum(10) is meets


def test_eleven_companies_two_of_them_linked_are_ten():
    participants = independent(10) + [company(11, owners=[owned(HEAD_BINS[10], "25")])]
    result = count_unaffiliated_legal_entities(participants)
    assert result.count_certain == 10
    assert ["p10", "p11"] in group_ids(result)


# --------------------------------------------------------------------------- ownership


def test_subsidiary_chain_a_b_c_counts_once():
    a = company(1)
    b = company(2, owners=[owned(HEAD_BINS[1], "100", "A")])
    c = company(3, owners=[owned(HEAD_BINS[2], "60", "B")])
    result = count_unaffiliated_legal_entities([c, a, b, company(4)])
    assert result.count_certain == 2
    assert group_ids(result) == [["p01", "p02", "p03"], ["p04"]]
    assert [facts(link) for link in result.groups[0].every_link()] == [
        [("p01", "owner", Decimal("100"), "p02")],
        [("p02", "owner", Decimal("60"), "p03")],
    ]


def test_common_control_needs_the_threshold_in_both():
    holding = "Steppe Holding LLP"
    linked = count_unaffiliated_legal_entities(
        [company(1, owners=[owned(holding, "10")]), company(2, owners=[owned(holding, "10")])]
    )
    assert linked.count_certain == 1
    assert linked.groups[0].every_link()[0].kind == "common_owner"
    assert facts(linked.groups[0].every_link()[0]) == [
        ("Steppe Holding LLP", "owner", Decimal("10"), "p01"),
        ("Steppe Holding LLP", "owner", Decimal("10"), "p02"),
    ]

    one_below = count_unaffiliated_legal_entities(
        [company(1, owners=[owned(holding, "10")]), company(2, owners=[owned(holding, "9.99")])]
    )
    assert one_below.count_certain == 2
    assert one_below.groups == []  # two participants alone: no group of two or more

    lower_threshold = count_unaffiliated_legal_entities(
        [company(1, owners=[owned(holding, "10")]), company(2, owners=[owned(holding, "9.99")])],
        ownership_threshold_percent=Decimal("9.99"),
    )
    assert lower_threshold.count_certain == 1
    assert lower_threshold.ownership_threshold_percent == Decimal("9.99")


def test_a_direct_holding_below_the_threshold_does_not_link():
    result = count_unaffiliated_legal_entities([company(1), company(2, owners=[owned(HEAD_BINS[1], "9.99")])])
    assert result.count_certain == 2


def test_shares_of_one_holder_are_added_up():
    result = count_unaffiliated_legal_entities(
        [
            company(1, owners=[owned("Holding", "6"), owned("HOLDING ", "4")]),
            company(2, owners=[owned("holding", "10")]),
        ]
    )
    assert result.count_certain == 1
    assert result.groups[0].every_link()[0].ties[0].share_percent == Decimal("10")


def test_the_same_owner_typed_twice_is_found():
    assert normalise_name("ТОО  «Қазақ\u00a0Өнім»") == normalise_name("тоо «ҚАЗАҚ ӨНІМ»")
    assert normalise_name("ӘҒҚҢӨҰҮҺІ") == "әғқңөұүһі"
    assert normalise_name("ＡＢＣ") == "abc"  # NFKC folds full-width letters
    result = count_unaffiliated_legal_entities(
        [
            company(1, owners=[owned("ТОО  «Қазақ Өнім»", "50")]),
            company(2, owners=[owned("тоо «ҚАЗАҚ\u00a0ӨНІМ»", "50")]),
        ]
    )
    assert result.count_certain == 1


def test_kazakh_letters_keep_different_names_apart():
    # "Қ" and "К", "Ө" and "О" are different letters: these are two owners.
    result = count_unaffiliated_legal_entities(
        [company(1, owners=[owned("Қазақ Өнім", "50")]), company(2, owners=[owned("Казак Оним", "50")])]
    )
    assert result.count_certain == 2


def test_an_owner_identified_by_bin_with_spaces_is_the_same():
    key = identity_key("9001 0130 0017")
    assert key == identity_key("900101300017") == "id:900101300017"
    result = count_unaffiliated_legal_entities(
        [company(1, owners=[owned("9001 0130 0017", "20")]), company(2, owners=[owned("900101300017", "20")])]
    )
    assert result.count_certain == 1


def test_an_owner_named_like_a_participant_is_that_participant():
    result = count_unaffiliated_legal_entities(
        [company(1, name="Astyq LLP"), company(2, owners=[owned("ASTYQ  llp", "30")])]
    )
    assert result.groups[0].every_link()[0].kind == "ownership"
    assert result.count_certain == 1


def test_chains_through_owners_who_are_not_participants():
    result = count_unaffiliated_legal_entities(
        [
            company(1, owners=[owned("H1", "15")]),
            company(2, owners=[owned("H1", "15"), owned("H2", "40")]),
            company(3, owners=[owned("H2", "40")]),
            company(4, owners=[owned("H3", "100")]),  # H3 owns only p04: binds nothing
        ]
    )
    assert group_ids(result) == [["p01", "p02", "p03"], ["p04"]]
    assert [link.holder for link in result.groups[0].every_link()] == ["H1", "H2"]
    assert len(result.groups) == 1  # p04 alone is a group of one: not listed


def test_control_otherwise_than_by_shares_links_whatever_the_share():
    result = count_unaffiliated_legal_entities(
        [company(1, controlled_by=["Trust Manager"]), company(2, controlled_by=["trust manager"]), company(3)]
    )
    assert result.count_certain == 2
    participant_control = count_unaffiliated_legal_entities([company(1), company(2, controlled_by=[HEAD_BINS[1]])])
    assert participant_control.groups[0].every_link()[0].kind == "control"


# --------------------------------------------------------------------------- officials, declarations


def test_shared_officials_link_only_when_included():
    director = {"name": "Сейітқали Нұрлан", "iin": "900101300017", "position": "director"}
    participants = [company(1, officials=[director]), company(2, officials=[dict(director, position="chairman")])]
    included = count_unaffiliated_legal_entities(participants)
    assert included.count_certain == 1
    assert included.groups[0].every_link()[0].kind == "shared_official"
    assert included.groups[0].every_link()[0].holder == "Сейітқали Нұрлан (900101300017)"
    assert [fact[1:] for fact in facts(included.groups[0].every_link()[0])] == [("official", "director", "p01"), ("official", "chairman", "p02")]
    excluded = count_unaffiliated_legal_entities(participants, include_shared_officials=False)
    assert excluded.count_certain == 2
    assert excluded.include_shared_officials is False


def test_an_official_of_one_who_owns_another_links_them():
    result = count_unaffiliated_legal_entities(
        [
            company(1, officials=[{"name": "A. Ospanov", "iin": "900101300017"}]),
            company(2, owners=[owned("900101300017", "12", "Ospanov")]),
        ]
    )
    assert result.count_certain == 1
    assert result.groups[0].every_link()[0].kind == "owner_and_official"


def test_officials_without_iin_are_matched_by_name_and_kept_apart_by_name():
    same = count_unaffiliated_legal_entities(
        [
            company(1, officials=[{"name": "Нұрлан  Сейітқали"}]),
            company(2, officials=[{"name": "нұрлан сейітқали", "position": "chairman"}]),
            company(3, officials=[{"name": "Нұрлан Сейітқалиев"}]),  # another person
            company(4, officials=[{"name": "Асель Омарова"}]),
        ]
    )
    assert group_ids(same) == [["p01", "p02"], ["p03"], ["p04"]]
    link = same.groups[0].every_link()[0]
    assert (link.kind, link.holder) == ("shared_official", "Нұрлан  Сейітқали")
    assert facts(link) == [
        ("Нұрлан  Сейітқали", "official", None, "p01"),
        ("нұрлан сейітқали", "official", "chairman", "p02"),  # as p02 names the same person
    ]
    assert (link.ties[0].holder, link.ties[1].holder) == (None, "нұрлан сейітқали")  # the link's holder is not repeated


def test_an_official_listed_twice_for_one_participant_is_one_tie():
    result = count_unaffiliated_legal_entities(
        [company(1, officials=[{"name": "A. Ospanov"}, {"name": "a.  OSPANOV", "position": "director"}]), company(2)]
    )
    assert result.count_certain == 2
    assert result.groups == []


def test_an_official_who_is_a_participant_links_directly():
    entrepreneur = Participant(
        id="p02", name="IE Abenov", iin="900101300017", legal_status="individual_entrepreneur", kind="supplier"
    )
    by_name = count_unaffiliated_legal_entities([company(1, officials=[{"name": "ie  ABENOV"}]), entrepreneur])
    by_iin = count_unaffiliated_legal_entities(
        [company(1, officials=[{"name": "Abenov", "iin": "900101300017"}]), entrepreneur]
    )
    for result in (by_name, by_iin):
        assert group_ids(result) == [["p01", "p02"]]
        assert result.groups[0].every_link()[0].kind == "official"
        assert facts(result.groups[0].every_link()[0]) == [("p02", "official", None, "p01")]


def test_an_owner_named_by_a_participants_iin_is_that_participant():
    entrepreneur = Participant(
        id="p02", name="IE Abenov", iin="900101300017", legal_status="individual_entrepreneur", kind="supplier"
    )
    result = count_unaffiliated_legal_entities([company(1, owners=[owned("9001 0130 0017", "60")]), entrepreneur])
    assert [(link.kind, link.participant_ids) for link in result.groups[0].every_link()] == [("ownership", ["p01", "p02"])]
    assert result.groups[0].every_link()[0].holder == "p02"
    assert result.groups[0].ties[0].holder == "p02"  # a tie between participants names its holder
    assert result.groups[0].links == []  # no holder outside the list


def test_shares_of_a_participant_named_by_bin_and_by_name_are_added_up():
    # 6% under its BIN and 6% under its name: 12% of p02 held by p01, at or above 10%.
    result = count_unaffiliated_legal_entities(
        [company(1, name="Astyq LLP"), company(2, owners=[owned(HEAD_BINS[1], "6"), owned("astyq llp", "6")])]
    )
    assert result.count_certain == 1
    link = result.groups[0].every_link()[0]
    assert (link.kind, link.ties[0].share_percent) == ("ownership", Decimal("12"))
    assert facts(link) == [("p01", "owner", Decimal("12"), "p02")]


def test_a_holder_outside_the_list_is_shown_with_its_name_and_number():
    result = count_unaffiliated_legal_entities(
        [
            company(1, owners=[owned("900101300017", "30", name="A. Ospanov")]),
            company(2, owners=[owned("900101300017", "30")]),
        ]
    )
    link = result.groups[0].every_link()[0]
    assert (link.kind, link.holder) == ("common_owner", "A. Ospanov (900101300017)")
    assert facts(link) == [
        ("A. Ospanov (900101300017)", "owner", Decimal("30"), "p01"),
        ("900101300017", "owner", Decimal("30"), "p02"),  # as p02 names it
    ]


def test_several_kinds_of_ties_of_one_participant_all_count():
    # p02 is owned by H (which owns p01), controlled by C (which controls p03) and directed by D
    # (who directs p04): every kind must be read, not only the last one.
    result = count_unaffiliated_legal_entities(
        [
            company(1, owners=[owned("H", "50")]),
            company(2, owners=[owned("H", "50")], controlled_by=["C"], officials=[{"name": "D"}]),
            company(3, controlled_by=["C"]),
            company(4, officials=[{"name": "D"}]),
            company(5),
        ]
    )
    assert group_ids(result) == [["p01", "p02", "p03", "p04"], ["p05"]]
    assert [(link.kind, link.holder) for link in result.groups[0].every_link()] == [
        ("common_owner", "H"),
        ("common_owner", "C"),
        ("shared_official", "D"),
    ]
    assert facts(result.groups[0].every_link()[1]) == [("C", "controller", None, "p02"), ("C", "controller", None, "p03")]


def test_an_outsider_who_owns_and_directs_one_participant_binds_nothing():
    result = count_unaffiliated_legal_entities(
        [
            company(1, owners=[owned("A. Ospanov", "60")], officials=[{"name": "A. Ospanov", "position": "director"}]),
            company(2, owners=[owned("H", "50")]),
            company(3, owners=[owned("H", "50")]),
        ]
    )
    assert group_ids(result) == [["p01"], ["p02", "p03"]]
    assert [group.number for group in result.groups] == [2]  # p01 alone is group 1, not listed
    assert [link.holder for link in result.groups[0].every_link()] == ["H"]


def test_a_bin_of_joint_entrepreneurship_does_not_count():
    joint = "150360000128"  # 5th digit 6: individual entrepreneurs in joint entrepreneurship
    result = count_unaffiliated_legal_entities(independent(9) + [company(10, bin=joint)])
    assert result.count_certain == result.count_if_all_unknown_counted == 9
    assert [(e.participant_id, e.reason) for e in result.excluded] == [("p10", "bin_joint_entrepreneurship")]
    assert "joint entrepreneurship" in result.excluded[0].message


def test_declared_affiliations_by_id_or_bin_and_outside_ones():
    result = count_unaffiliated_legal_entities(
        [
            company(1, declared_affiliations=["p02"]),
            company(2),
            company(3, declared_affiliations=[HEAD_BINS[4], "Some Outside LLP"]),
            company(4),
            company(5, declared_affiliations=["Another Outside LLP"]),
        ]
    )
    assert group_ids(result) == [["p01", "p02"], ["p03", "p04"], ["p05"]]
    assert {link.kind for group in result.groups for link in group.every_link()} == {"declared"}
    assert [(note.participant_id, note.code) for note in result.notes] == [
        ("p03", "declared_outside"),
        ("p05", "declared_outside"),
    ]
    assert result.notes[1].message == (
        "declared affiliation with Another Outside LLP, which is not a participant: no effect on the count"
    )


# --------------------------------------------------------------------------- who counts


def test_a_branch_does_not_count():
    stated = count_unaffiliated_legal_entities(independent(10) + [company(11, legal_status="branch")])
    assert stated.count_certain == 10
    assert [(e.participant_id, e.reason) for e in stated.excluded] == [("p11", "branch")]
    by_bin = count_unaffiliated_legal_entities(independent(9) + [company(10, bin=BRANCH_BIN)])
    assert by_bin.count_certain == 9
    assert by_bin.meets_minimum(10) is False
    assert [(e.participant_id, e.reason) for e in by_bin.excluded] == [("p10", "bin_branch")]


def test_an_individual_entrepreneur_does_not_count():
    entrepreneur = Participant(
        id="p10", name="IE Abenov", bin=None, iin="900101300017", legal_status="individual_entrepreneur", kind="supplier"
    )
    result = count_unaffiliated_legal_entities(independent(9) + [entrepreneur])
    assert result.count_certain == result.count_if_all_unknown_counted == 9
    assert [(e.participant_id, e.reason) for e in result.excluded] == [("p10", "individual_entrepreneur")]
    assert result.identifier_problems == []


def test_a_duplicate_bin_is_flagged_and_counted_once():
    twin = company(11, bin=HEAD_BINS[3], name="Company 3 again")
    result = count_unaffiliated_legal_entities(independent(10) + [twin])
    assert result.count_certain == 10
    assert [(d.bin, d.participant_ids) for d in result.duplicates] == [(HEAD_BINS[3], ["p03", "p11"])]
    assert ["p03", "p11"] in group_ids(result)


def test_invalid_and_missing_bins_are_listed_and_decide_unknown():
    participants = independent(9) + [company(10, bin="000140001814"), company(11, bin=None)]
    result = count_unaffiliated_legal_entities(participants)
    assert result.count_certain == 9
    assert result.count_if_all_unknown_counted == 11
    assert result.meets_minimum(10) is None  # the two unverified participants decide it
    assert result.meets_minimum(9) is True
    assert result.meets_minimum(12) is False
    assert result.unverified_participant_ids == ["p10", "p11"]
    assert [(p.participant_id, p.code, p.value, p.left_out_of_count) for p in result.identifier_problems] == [
        ("p10", "invalid_checksum", "000140001814", True),
        ("p11", "missing_bin", None, True),
    ]
    assert result.identifier_problems[1].message == (
        "no BIN is given, nor the name, country of capital and founding date of its card, so the participant "
        "cannot be identified as a legal entity"
    )


def test_an_invalid_bin_repeated_by_another_participant_still_names_it():
    result = count_unaffiliated_legal_entities(
        [company(1, bin="000140001814"), company(2, owners=[owned("0001 4000 1814", "50")])]
    )
    assert result.groups[0].every_link()[0].kind == "ownership"
    assert (result.count_certain, result.count_if_all_unknown_counted) == (1, 1)


def test_an_invalid_iin_of_an_entrepreneur_is_listed_but_leaves_nothing_out():
    entrepreneur = Participant(id="p02", name="IE", iin="900101300018", legal_status="individual_entrepreneur", kind="other")
    result = count_unaffiliated_legal_entities([company(1), entrepreneur])
    assert [(p.participant_id, p.field, p.value, p.left_out_of_count) for p in result.identifier_problems] == [
        ("p02", "iin", "900101300018", False)
    ]
    assert result.count_certain == result.count_if_all_unknown_counted == 1


def test_links_through_a_participant_that_does_not_count_still_bind():
    # The branch p02 counts for nothing, but the facts it states still link p01 and p03.
    result = count_unaffiliated_legal_entities(
        [company(1), company(2, bin=BRANCH_BIN, declared_affiliations=["p01", "p03"]), company(3)]
    )
    assert result.count_certain == 1


# --------------------------------------------------------------------------- input and options


def test_duck_typed_participants_are_accepted():
    participants = [
        SimpleNamespace(id="a", name="A", bin=HEAD_BINS[1], legal_status="legal_entity",
                        owners=[SimpleNamespace(owner_id="H", share_percent=50)]),
        SimpleNamespace(id="b", name="B", bin=HEAD_BINS[2], legal_status="legal_entity",
                        owners=[SimpleNamespace(owner_id="H", share_percent="50.0")]),
    ]
    assert count_unaffiliated_legal_entities(participants).count_certain == 1


@pytest.mark.parametrize("threshold", [Decimal("0"), Decimal("100.01"), "ten", Decimal("NaN")])
def test_an_impossible_threshold_is_a_usage_error(threshold):
    with pytest.raises(UsageError, match="ownership_threshold_percent"):
        count_unaffiliated_legal_entities(independent(2), ownership_threshold_percent=threshold)


def test_the_threshold_may_be_given_as_an_int_or_a_string():
    assert count_unaffiliated_legal_entities([], ownership_threshold_percent=25).ownership_threshold_percent == 25
    assert count_unaffiliated_legal_entities([], ownership_threshold_percent="12.5").ownership_threshold_percent == Decimal("12.5")


def test_an_unknown_grouping_is_a_usage_error():
    with pytest.raises(UsageError, match="grouping"):
        count_unaffiliated_legal_entities(independent(2), grouping="maximum_independent_set")  # type: ignore[arg-type]


def test_a_participant_id_used_twice_is_an_input_error():
    with pytest.raises(InputError, match="used twice") as caught:
        count_unaffiliated_legal_entities([company(1), company(1)])
    assert caught.value.location.path == ("participants", 1, "id")


def test_bad_duck_typed_input_is_an_input_error_with_a_path():
    bad_status = SimpleNamespace(id="a", name="A", bin=None, legal_status="company")
    with pytest.raises(InputError) as caught:
        count_unaffiliated_legal_entities([company(1), bad_status])
    assert caught.value.location.path == ("participants", 1, "legal_status")
    assert caught.value.message == (
        "legal_status 'company' is not one of legal_entity, branch, representative_office, "
        "individual_entrepreneur, individual"
    )
    bad_share = SimpleNamespace(id="a", name="A", bin=None, legal_status="legal_entity",
                                owners=[SimpleNamespace(owner_id="H", share_percent="lots")])
    with pytest.raises(InputError, match="not a number") as caught:
        count_unaffiliated_legal_entities([bad_share])
    assert caught.value.location.path == ("participants", 0, "owners", 0, "share_percent")
    no_id = SimpleNamespace(id="", name="A", bin=None, legal_status="legal_entity")
    with pytest.raises(InputError, match="needs a id"):
        count_unaffiliated_legal_entities([no_id])


def test_the_result_is_json_and_the_same_for_the_same_input():
    participants = [company(2, owners=[owned("H", "10")]), company(1, owners=[owned("H", "10")]), company(3)]
    first = count_unaffiliated_legal_entities(participants).model_dump_json()
    again = count_unaffiliated_legal_entities(list(reversed(participants))).model_dump_json()
    assert first == again
    assert AffiliationResult.model_validate_json(first).count_certain == 2


# --------------------------------------------------------------------------- invariants


@st.composite
def applications(draw):
    """Up to 14 participants with random statuses, BINs, ownership and declared links."""
    size = draw(st.integers(1, 14))
    bins = draw(st.permutations(HEAD_BINS[:30]))[:size]
    participants = []
    for index in range(size):
        status = draw(st.sampled_from(["legal_entity"] * 5 + ["branch", "individual_entrepreneur"]))
        broken = draw(st.booleans()) and draw(st.booleans())
        owners = [
            owned(
                draw(st.sampled_from(["H1", "H2", "H3", *bins])),
                str(draw(st.sampled_from(["5", "9.99", "10", "30", "100"]))),
            )
            for _ in range(draw(st.integers(0, 3)))
        ]
        participants.append(
            Participant(
                id=f"p{index:02d}",
                name=f"Company {index}",
                bin="123" if broken else bins[index],
                legal_status=status,
                kind="producer",
                owners=owners,
            )
        )
    return participants


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(applications(), st.sampled_from(["10", "25.0", "1E+1"]))
def test_the_json_form_is_the_models_json_dump(participants, threshold):
    """The engine's model-free path gives exactly what the models dump, so results match either way."""
    as_json = count_unaffiliated_legal_entities_json(participants, ownership_threshold_percent=threshold)
    result = count_unaffiliated_legal_entities(participants, ownership_threshold_percent=threshold)
    assert as_json == result.model_dump(mode="json")
    assert list(as_json) == list(result.model_dump(mode="json"))  # the same field order too


def test_the_graph_gives_each_fact_once():
    """Each participant once, with its group's number; only the groups of two or more listed; a tie
    between participants once, with its holder; a link through a holder outside the list names
    the holder once (a tie repeats it only where its participant names it otherwise); a tie
    without the values it does not have. An official still reads which participants, which ties
    and which holder: the same facts as the groups of members with every tie's holder before."""
    result = count_unaffiliated_legal_entities_json(
        [
            company(1),
            company(2, owners=[owned(HEAD_BINS[1], "60")]),
            company(3, owners=[owned("H", "10", name="Holding")]),
            company(4, owners=[owned("h", "10")]),  # the same holder, named otherwise
            company(5, officials=[{"name": "A. Ospanov"}]),
        ]
    )
    assert [(p["participant_id"], p["group"], p["counted_as"]) for p in result["participants"]] == [
        ("p01", 1, "legal_entity"), ("p02", 1, "legal_entity"), ("p03", 2, "legal_entity"),
        ("p04", 2, "legal_entity"), ("p05", 3, "legal_entity"),
    ]
    assert result["participants"][0] == {
        "participant_id": "p01", "name": "Company 1", "bin": HEAD_BINS[1], "counted_as": "legal_entity",
        "identified_by": "bin", "group": 1,
    }
    assert result["groups"] == [
        {
            "number": 1,
            "ties": [{"participant_id": "p02", "holder": "p01", "role": "owner", "share_percent": "60"}],  # between participants
            "links": [],
            "counts_certainly": True,
            "counts_if_unknown_counted": True,
        },
        {
            "number": 2,
            "ties": [],
            "links": [  # through a holder outside the list
                {
                    "kind": "common_owner",
                    "holder": "Holding (H)",
                    "ties": [
                        {"participant_id": "p03", "role": "owner", "share_percent": "10"},
                        {"participant_id": "p04", "holder": "h", "role": "owner", "share_percent": "10"},
                    ],
                }
            ],
            "counts_certainly": True,
            "counts_if_unknown_counted": True,
        },
    ]
    model = count_unaffiliated_legal_entities(
        [company(1), company(2, owners=[owned(HEAD_BINS[1], "60")])]
    )
    link = model.groups[0].every_link()[0]  # the tie between participants, as a link of its kind
    assert (link.kind, link.participant_ids, link.holder_of(link.ties[0])) == ("ownership", ["p01", "p02"], "p01")
    assert [m.participant_id for m in model.members(1)] == ["p01", "p02"]


@pytest.mark.parametrize("grouping", ["connected_components", "independent_set"])
def test_a_remedys_recount_is_the_count_without_the_other_reading(grouping):
    """A remedy's trials read the verdict and the graph only: the other reading's count is not made."""
    from clusterpolicy.checks.affiliation import recount_json

    participants = [company(1), company(2, owners=[owned(HEAD_BINS[1], "60")]), company(3, owners=[owned("H", "10")]),
                    company(4, owners=[owned("H", "10")])]
    whole = count_unaffiliated_legal_entities_json(participants, grouping=grouping, minimum=10)
    trial = recount_json(participants, grouping=grouping, minimum=10)
    assert list(trial["counts"]) == ["connected_components", "independent_set"][: 1 if grouping == "connected_components" else 2]
    assert {key: value for key, value in trial.items() if key != "counts"} == {key: value for key, value in whole.items() if key != "counts"}
    assert trial["counts"][grouping] == whole["counts"][grouping]


def with_extra_owner(participant: Participant, owner: dict) -> Participant:
    return participant.model_copy(update={"owners": [*participant.owners, OwnershipLink(**owner)]})


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(applications(), st.data())
def test_adding_a_link_never_raises_the_count(participants, data):
    before = count_unaffiliated_legal_entities(participants)
    target = data.draw(st.integers(0, len(participants) - 1))
    holder = data.draw(st.sampled_from(["H1", "H9", *(p.bin for p in participants if p.bin)]))
    changed = list(participants)
    changed[target] = with_extra_owner(changed[target], owned(holder, "50"))
    after = count_unaffiliated_legal_entities(changed)
    assert after.count_certain <= before.count_certain
    assert after.count_if_all_unknown_counted <= before.count_if_all_unknown_counted


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(applications(), st.randoms(use_true_random=False))
def test_the_order_of_participants_does_not_change_the_result(participants, rng):
    shuffled = list(participants)
    rng.shuffle(shuffled)
    assert (
        count_unaffiliated_legal_entities(shuffled).model_dump_json()
        == count_unaffiliated_legal_entities(participants).model_dump_json()
    )


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(applications(), st.data())
def test_removing_a_participant_that_binds_nothing_never_raises_the_count(participants, data):
    before = count_unaffiliated_legal_entities(participants)
    lonely = [members[0].participant_id for members in before.group_members().values() if len(members) == 1]
    chosen = data.draw(st.sampled_from(lonely)) if lonely else participants[0].id
    result = count_unaffiliated_legal_entities([p for p in participants if p.id != chosen])
    if lonely:
        assert result.count_certain <= before.count_certain
        assert result.count_if_all_unknown_counted <= before.count_if_all_unknown_counted


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(applications(), st.data())
def test_demoting_a_participant_never_raises_the_count(participants, data):
    """A participant found not to be a legal entity never helps (its stated links still bind)."""
    before = count_unaffiliated_legal_entities(participants)
    index = data.draw(st.integers(0, len(participants) - 1))
    demotion = data.draw(st.sampled_from([{"legal_status": "branch"}, {"legal_status": "individual"}]))
    changed = list(participants)
    changed[index] = changed[index].model_copy(update=demotion)
    after = count_unaffiliated_legal_entities(changed)
    assert after.count_certain <= before.count_certain
    assert after.count_if_all_unknown_counted <= before.count_if_all_unknown_counted


def test_removing_a_hub_participant_can_split_its_group():
    """Why "removing a participant never raises the count" holds only for participants that bind
    nothing: a participant can be the only link between two others. Here Holding H owns 10% of
    p01 and of p02, and p02 owns 10% of p03: one group of three. Without p02 the facts that bound
    p01 to p03 are gone, and p01 and p03 are in law not affiliated (H's indirect 1% in p03 is
    below any threshold): two groups."""
    p01 = company(1, owners=[owned("H", "10")])
    p02 = company(2, owners=[owned("H", "10")])
    p03 = company(3, owners=[owned(HEAD_BINS[2], "10")])
    assert count_unaffiliated_legal_entities([p01, p02, p03]).count_certain == 1
    assert count_unaffiliated_legal_entities([p01, p03]).count_certain == 2


def test_a_large_random_application_is_counted_consistently():
    rng = random.Random(535)
    participants = [
        Participant(id=f"p{n:03d}", name=f"C{n}", bin=HEAD_BINS[n % len(HEAD_BINS)] if n < len(HEAD_BINS) else None,
                    legal_status="legal_entity", kind="producer",
                    owners=[owned(f"H{rng.randrange(60)}", "20") for _ in range(rng.randrange(3))])
        for n in range(250)
    ]
    result = count_unaffiliated_legal_entities(participants)
    members = [m.participant_id for members in result.group_members().values() for m in members]
    assert sorted(members) == sorted(p.id for p in participants)  # every participant in one group
    assert result.count_certain <= result.count_if_all_unknown_counted <= len(result.group_members())
    assert all(len(result.members(group)) > 1 for group in result.groups)  # groups of two or more are listed


# --------------------------------------------------------------------------- duck-typed input at its limits
# Added for mutation testing (docs/mutation-testing.md): the count accepts any objects with the
# participant's attributes, so it checks shares, thresholds and required fields itself.


def _duck_participants(*owners_of_each):
    from types import SimpleNamespace

    from clusterpolicy.testing import participant_data

    people = []
    for index, owners in enumerate(owners_of_each, start=1):
        data = participant_data(index)
        people.append(SimpleNamespace(**{**data, "owners": [SimpleNamespace(**owner) for owner in owners],
                                         "controlled_by": [], "officials": [], "declared_affiliations": []}))
    return people


@pytest.mark.parametrize("share, accepted", [("0.5", True), ("100", True), ("0", False), ("100.5", False), ("NaN", False), ("-1", False)])
def test_share_limits_on_duck_typed_input(share, accepted):
    from decimal import Decimal

    from clusterpolicy.core.errors import InputError

    people = _duck_participants([{"owner_id": "Holder LLP", "share_percent": Decimal(share)}], [])
    if accepted:
        assert count_unaffiliated_legal_entities(people).count_certain == 2
        return
    with pytest.raises(InputError) as caught:
        count_unaffiliated_legal_entities(people)
    assert caught.value.message == f"share_percent {share} must be above 0 and at most 100"
    assert caught.value.location.path == ("participants", 0, "owners", 0, "share_percent")


def test_share_that_is_not_a_number_on_duck_typed_input():
    from clusterpolicy.core.errors import InputError

    people = _duck_participants([], [{"owner_id": "Holder LLP", "share_percent": "a lot"}])
    with pytest.raises(InputError) as caught:
        count_unaffiliated_legal_entities(people)
    assert caught.value.message == "share_percent 'a lot' is not a number"
    assert caught.value.location.path == ("participants", 1, "owners", 0, "share_percent")


@pytest.mark.parametrize("owner_id", ["", "   ", None])
def test_owner_without_id_on_duck_typed_input(owner_id):
    from clusterpolicy.core.errors import InputError

    people = _duck_participants([{"owner_id": owner_id, "share_percent": "50"}])
    with pytest.raises(InputError) as caught:
        count_unaffiliated_legal_entities(people)
    assert caught.value.message == "an owner needs an owner_id"
    assert caught.value.location.path == ("participants", 0, "owners", 0, "owner_id")


@pytest.mark.parametrize("attribute", ["id", "name", "legal_status"])
def test_required_attributes_on_duck_typed_input(attribute):
    from clusterpolicy.core.errors import InputError

    people = _duck_participants([], [])
    setattr(people[1], attribute, "  ")
    with pytest.raises(InputError) as caught:
        count_unaffiliated_legal_entities(people)
    assert caught.value.message == f"a participant needs a {attribute}"
    assert caught.value.location.path == ("participants", 1, attribute)


@pytest.mark.parametrize("threshold, accepted", [("100", True), ("0.5", True), (10, True), ("0", False), ("100.01", False), ("NaN", False), ("ten", False)])
def test_threshold_limits(threshold, accepted):
    from clusterpolicy.core.errors import UsageError

    people = _duck_participants([], [])
    if accepted:
        assert count_unaffiliated_legal_entities(people, ownership_threshold_percent=threshold).count_certain == 2
        return
    with pytest.raises(UsageError):
        count_unaffiliated_legal_entities(people, ownership_threshold_percent=threshold)


def test_groups_are_numbered_from_one_with_their_members_bins():
    people = _duck_participants([], [], [])
    result = count_unaffiliated_legal_entities(people)
    assert [member.group for member in result.participants] == [1, 2, 3]
    assert result.groups == []  # three participants alone
    assert [member.bin for member in result.participants] == [p.bin for p in people]
    assert [member.participant_id for member in result.participants] == ["p01", "p02", "p03"]


# --------------------------------------------------------------------------- long chains


def test_union_find_takes_a_chain_of_100000_links_without_recursion():
    """Union links the larger root under the smaller key: a chain built from its far end makes the
    deepest tree, which the recursive find of version 0.1 could not walk (RecursionError)."""
    from clusterpolicy.checks.affiliation import _UnionFind

    graph = _UnionFind()
    names = [f"n{index:06d}" for index in range(100_001)]
    for first, second in zip(reversed(names[:-1]), reversed(names[1:])):
        graph.union(first, second)
    assert graph.find(names[-1]) == "n000000"  # the deepest node first: 100,000 steps up
    assert {graph.find(name) for name in names} == {"n000000"}


def test_a_chain_of_1500_joint_ventures_is_one_group():
    from clusterpolicy.testing import make_bin

    bins = [make_bin(2010, 1, 10 * number) for number in range(1500)]
    assert len(set(bins)) == 1500
    participants = [company(1, bin=bins[0])]
    for number in range(1, 1500):
        participants.append(company(number + 1, bin=bins[number], owners=[owned(bins[number - 1], "50")]))
    result = count_unaffiliated_legal_entities(list(reversed(participants)))
    assert result.count_certain == 1
    assert len(result.members(result.groups[0])) == 1500


# --------------------------------------------------------------------------- the literal reading: common holders (issue 23 b)
# Two companies with a common major shareholder are affiliated with each other (JSC Law art. 64
# p.1(5)), whether the holder is outside the list or a participant itself.


def test_a_participant_holding_two_participants_links_them_in_the_literal_reading():
    hub = company(1)
    held = [company(n, owners=[owned(HEAD_BINS[1], "10")]) for n in (2, 3)]
    result = count_unaffiliated_legal_entities([hub, *held, company(4)], grouping="independent_set")
    # p02 and p03 share their major shareholder p01: the largest set has one of p01, p02, p03, and p04
    assert result.count_certain == result.counts["independent_set"].count_certain == 2
    assert result.counts["independent_set"].exact
    assert result.counts["connected_components"].count_certain == 2
    assert len(result.counts["independent_set"].participant_ids) == 2 and "p04" in result.counts["independent_set"].participant_ids


def test_an_individual_entrepreneur_holding_ten_percent_of_two_companies_links_them():
    entrepreneur = Participant(
        id="p03", name="IE Abenov", iin="900101300017", legal_status="individual_entrepreneur", kind="supplier"
    )
    a = company(1, owners=[owned("900101300017", "10")])
    b = company(2, owners=[owned("900101300017", "10")])
    result = count_unaffiliated_legal_entities([a, b, entrepreneur, company(4)], grouping="independent_set")
    assert result.count_certain == 2  # p01 and p02 are affiliated through the IE; p04 is not
    below = count_unaffiliated_legal_entities(
        [company(1, owners=[owned("900101300017", "9.99")]), b, entrepreneur, company(4)], grouping="independent_set"
    )
    assert below.count_certain == 3  # 9.99% is not a major shareholding


def test_a_chain_through_a_participant_still_does_not_link_its_ends():
    # p01 holds p02, p02 holds p03: p01-p02 and p02-p03 are affiliated, p01-p03 are not (no common holder)
    participants = [company(1), company(2, owners=[owned(HEAD_BINS[1], "10")]), company(3, owners=[owned(HEAD_BINS[2], "10")])]
    assert count_unaffiliated_legal_entities(participants, grouping="independent_set").count_certain == 2


def test_a_hub_participant_tied_to_thousands_is_one_clique_not_pairs():
    hub = SimpleNamespace(id="p00000", name="Hub", bin=HEAD_BINS[0], iin=None, legal_status="legal_entity",
                          owners=[], controlled_by=[], officials=[], declared_affiliations=[])
    from clusterpolicy.testing import make_bin

    others = [
        SimpleNamespace(id=f"p{n:05d}", name=f"Company {n}", bin=make_bin(2011, 1, n), iin=None, legal_status="legal_entity",
                        owners=[SimpleNamespace(**owned(HEAD_BINS[0], "10"))], controlled_by=[], officials=[], declared_affiliations=[])
        for n in range(1, 3001)
    ]
    result = count_unaffiliated_legal_entities_json([hub, *others], grouping="independent_set", minimum=10)
    assert result["counts"]["independent_set"]["count_certain"] == result["counts"]["independent_set"]["upper_bound"] == 1


# --------------------------------------------------------------------------- the exact search only when it decides


def _spy(monkeypatch):
    from clusterpolicy.checks import affiliation

    calls = []
    real = affiliation.maximum_independent_set

    def spy(*args, **kwargs):
        found = real(*args, **kwargs)
        calls.append((kwargs.get("budget"), kwargs.get("target"), found))
        return found

    monkeypatch.setattr(affiliation, "maximum_independent_set", spy)
    return calls


def _hard_for_greedy() -> list[Participant]:
    """Five participants in an odd cycle of holdings (p01 holds p02 ... p05 holds p01): greedy and
    clique cover differ (2 against 3), so only the search settles the count."""
    return [company(n, owners=[owned(HEAD_BINS[(n - 2) % 5 + 1], "10")]) for n in range(1, 6)]


def test_the_literal_count_is_only_bounded_when_the_other_reading_decides(monkeypatch):
    calls = _spy(monkeypatch)
    result = count_unaffiliated_legal_entities(_hard_for_greedy() + [company(6, bin=None)], minimum=10)
    assert [budget for budget, _, _ in calls] == [0, 0]  # bounds only: no search, for either count
    literal = result.counts["independent_set"]
    assert literal.count_certain <= 2 <= literal.upper_bound and result.count_certain == 1


def test_the_search_runs_once_when_the_literal_reading_decides_and_the_bound_leaves_it_open(monkeypatch):
    calls = _spy(monkeypatch)
    result = count_unaffiliated_legal_entities(_hard_for_greedy(), grouping="independent_set", minimum=3)
    assert len(calls) == 1 and calls[0][:2] == (200_000, 3)
    assert result.count_certain == 2 and result.counts["independent_set"].exact  # five in a cycle: at most two


def test_an_unverified_bin_does_not_run_the_search_twice_when_the_verified_ones_settle_it(monkeypatch):
    calls = _spy(monkeypatch)
    participants = independent(10) + [company(11, bin=None), company(12, bin=None, owners=[owned(HEAD_BINS[1], "10")])]
    result = count_unaffiliated_legal_entities(participants, grouping="independent_set", minimum=10)
    assert result.meets_minimum(10) is True
    assert calls[1][0] == 0  # the wider count: bounds only, the verified entities reach 10
    assert sum(found.operations for _, _, found in calls) < 2_000


def test_without_a_minimum_the_exact_count_is_asked_for():
    result = count_unaffiliated_legal_entities(_hard_for_greedy())
    assert result.counts["independent_set"].exact and result.counts["independent_set"].count_certain == 2


def test_a_minimum_that_is_not_a_whole_number_is_refused():
    with pytest.raises(UsageError):
        count_unaffiliated_legal_entities(independent(2), minimum="10")  # type: ignore[arg-type]
