"""Criterion 1.1 without its explanation (``evaluate(..., explain=False)``): the count alone
(:func:`clusterpolicy.checks.affiliation.count_bounds`, the kind's compiled ``outcome``) gives what
the explained count gives, on every input: both readings, unverified and missing BINs, legal
entities known by their cards, duplicate BINs, holders outside the list, officials, controllers
and declarations."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterpolicy.checks.affiliation import count_bounds, count_unaffiliated_legal_entities_json, meets_minimum
from clusterpolicy.checks.independent_set import maximum_independent_set
from clusterpolicy.checks.fields import Context
from clusterpolicy.checks.kinds.affiliation import UnaffiliatedLegalEntities
from clusterpolicy.checks.params import Params
from clusterpolicy.core.errors import InputError
from clusterpolicy.evaluation import evaluate
from clusterpolicy.input.decree535_form import Application, Competition, Participant
from clusterpolicy.packs import load_pack
from clusterpolicy.testing import application_data, competition_data

from test_affiliation import BRANCH_BIN, HEAD_BINS, company, owned

PACK = load_pack("kz-2015-decree-535")
RULE = "eligibility.unaffiliated-legal-entities"
HOLDERS = ["H1", "H2", "Holding", "holding ", "930340000016"]  # outside the list (two names of one, a number)


@st.composite
def graphs(draw):
    """Up to 16 participants with every kind of tie, identifier and status the count reads."""
    size = draw(st.integers(1, 16))
    bins = list(draw(st.permutations(HEAD_BINS[:40]))[:size])
    ids = [f"p{index:02d}" for index in range(size)]
    participants = []
    for index in range(size):
        status = draw(st.sampled_from(["legal_entity"] * 6 + ["branch", "individual_entrepreneur", "individual"]))
        identifier = draw(st.sampled_from(["bin"] * 6 + ["invalid", "missing", "card", "duplicate", "branch_bin"]))
        bin_ = {
            "bin": bins[index], "invalid": "123456789012", "missing": None, "card": None,
            "duplicate": bins[0], "branch_bin": BRANCH_BIN,
        }[identifier]
        holder = st.sampled_from([*HOLDERS, *bins, *(f"Company {n}" for n in range(size))])
        owners = [
            owned(draw(holder), draw(st.sampled_from(["5", "9.99", "10", "30", "100"])))
            for _ in range(draw(st.integers(0, 3)))
        ]
        officials = [
            {"name": draw(st.sampled_from(["A. Ospanov", "a. ospanov", "B. Nurlanov"])), "iin": draw(st.sampled_from([None, "880101300012"]))}
            for _ in range(draw(st.integers(0, 2)))
        ]
        controlled_by = draw(st.lists(st.sampled_from(["H1", "Holding", *bins[:3]]), max_size=2))
        declared = draw(st.lists(st.sampled_from([*ids, *bins[:4], "Outsider"]), max_size=2))
        participants.append(
            Participant(
                id=ids[index],
                name=f"Company {index}" if identifier != "card" else "ТОО «Card»",
                bin=bin_,
                legal_status=status,
                kind="producer",
                owners=owners,
                officials=officials,
                controlled_by=controlled_by,
                declared_affiliations=declared,
                capital_country="KZ" if identifier == "card" else None,
                founded=date(2015, 7, 16) if identifier == "card" else None,
            )
        )
    return participants


def explained(participants, **arguments) -> tuple[int, int]:
    result = count_unaffiliated_legal_entities_json(participants, **arguments)
    return result["count_certain"], result["count_if_all_unknown_counted"]


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(
    graphs(),
    st.sampled_from(["connected_components", "independent_set"]),
    st.sampled_from(["10", "30.0"]),
    st.booleans(),
    st.integers(0, 12),
)
def test_the_count_alone_is_the_explained_count(participants, grouping, threshold, officials, minimum):
    arguments = dict(ownership_threshold_percent=threshold, include_shared_officials=officials, grouping=grouping, minimum=minimum)
    low, high = explained(participants, **arguments)
    assert count_bounds(participants, **arguments) == (low, high)
    assert meets_minimum(participants, **arguments) == (True if low >= minimum else None if high >= minimum else False)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 30).flatmap(
        lambda n: st.tuples(st.just(n), st.lists(st.lists(st.integers(0, n - 1), min_size=2, max_size=5), max_size=40))
    ),
    st.integers(0, 30),
)
def test_enough_answers_at_least_target_as_the_full_count_does(graph, target):
    """``enough`` stops at the greedy set only when it reaches the target: the answer to "at least target" is the same."""
    size, cliques = graph
    vertices = [f"v{n:02d}" for n in range(size)]
    named = [[vertices[n] for n in clique] for clique in cliques]
    full = maximum_independent_set(vertices, cliques=named, target=target)
    quick = maximum_independent_set(vertices, cliques=named, target=target, enough=True)
    assert (quick.size >= target, quick.upper_bound >= target) == (full.size >= target, full.upper_bound >= target)
    if quick.size < target:
        assert quick == full


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(graphs(), st.sampled_from(["connected_components", "independent_set"]), st.integers(1, 12))
def test_the_compiled_outcome_is_the_verdicts_outcome(participants, grouping, minimum):
    check = UnaffiliatedLegalEntities.model_validate(
        {"kind": "unaffiliated_legal_entities", "minimum": minimum, "ownership_threshold_percent": 10, "grouping": grouping}
    )
    context = Context(APPLICATION.model_copy(update={"participants": participants}), COMPETITION)
    assert check.compiled().outcome(context, Params(PACK)) == check.run(context, Params(PACK)).outcome


APPLICATION = Application.model_validate(application_data(1))
COMPETITION = Competition.model_validate(competition_data(1))


def statuses(participants) -> tuple[str, str]:
    """The rule's status explained and with ``explain=False``."""
    application = APPLICATION.model_copy(update={"participants": participants})
    found = []
    for explain in (True, False):
        result = evaluate(application, competition=COMPETITION, pack=PACK, explain=explain)
        found.append(next(r.outcome for r in result.results if r.rule_id == RULE))
    return found[0], found[1]


def test_ten_unaffiliated_pass_without_the_explanation():
    assert statuses([company(n) for n in range(1, 11)]) == ("passed", "passed")


def test_ten_with_two_under_one_holder_fail_without_the_explanation():
    participants = [company(n) for n in range(1, 9)] + [company(n, owners=[owned("H", "50")]) for n in (9, 10)]
    assert statuses(participants) == ("failed", "failed")


def test_an_unverified_bin_that_decides_is_unknown_without_the_explanation():
    participants = [company(n) for n in range(1, 10)] + [company(10, bin="123456789012")]
    assert statuses(participants) == ("unknown", "unknown")


def test_the_count_alone_raises_the_explained_counts_input_errors():
    for bad in (
        [company(1), company(1)],
        [SimpleNamespace(id="a", name="A", bin=None, legal_status="legal_entity",
                         owners=[SimpleNamespace(owner_id="H", share_percent="lots")])],
    ):
        with pytest.raises(InputError) as alone:
            count_bounds(bad)
        with pytest.raises(InputError) as full:
            count_unaffiliated_legal_entities_json(bad)
        assert (alone.value.message, alone.value.location) == (full.value.message, full.value.location)


def test_a_dense_literal_reading_is_settled_by_its_bounds():
    """200 participants, 20 holdings of 10 each: the greedy bound settles "at least 10" alone."""
    participants = [
        Participant(id=f"p{n:03d}", name=f"C{n}", bin=None, capital_country="KZ", founded=date(2015, 1, 1),
                    legal_status="legal_entity", kind="producer", owners=[owned(f"H{n % 20}", "50")])
        for n in range(200)
    ]
    arguments = dict(grouping="independent_set", minimum=10)
    assert count_bounds(participants, **arguments) == explained(participants, **arguments) == (20, 20)
    assert meets_minimum(participants, **arguments) is True
