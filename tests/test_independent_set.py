"""Criterion 1.1's literal reading with bounded work (checks/independent_set.py).

The graph is given as cliques (a holder's companies), never as listed pairs; the work is counted
in operations, so these tests assert operation counts, not seconds: linear in the incidences for
the reductions and the bounds, at most the budget (plus one sweep) for the exact search.
"""

from __future__ import annotations

import itertools
import random

import pytest

from clusterpolicy.checks.independent_set import SEARCH_BUDGET, apart_cliques_set, maximum_independent_set

N = 12_000  # about the most participants a 4 MiB body holds (docs/guarantees.md)


def names(count: int) -> list[str]:
    return [f"p{i:05d}" for i in range(count)]


def brute_force(vertices: list[str], adjacent: set[tuple[str, str]]) -> int:
    return max(
        (
            r
            for r in range(len(vertices) + 1)
            for chosen in itertools.combinations(vertices, r)
            if not any((a, b) in adjacent for a, b in itertools.combinations(chosen, 2))
        ),
        default=0,
    )


def test_cliques_and_edges_match_brute_force_and_bounds_hold_on_both_sides() -> None:
    rng = random.Random(535)
    for _ in range(250):
        n = rng.randint(0, 10)
        vertices = names(n)
        edges = [(a, b) for a, b in itertools.combinations(vertices, 2) if rng.random() < rng.choice([0.1, 0.3, 0.6])]
        cliques = [rng.sample(vertices, rng.randint(1, n)) for _ in range(rng.randint(0, 3))] if n else []
        adjacent = set(edges) | {pair for clique in cliques for pair in itertools.combinations(sorted(set(clique)), 2)}
        adjacent |= {(b, a) for a, b in adjacent}
        best = brute_force(vertices, adjacent)
        found = maximum_independent_set(vertices, edges, cliques=cliques)
        assert found.exact and found.size == best == found.upper_bound
        assert not any((a, b) in adjacent for a, b in itertools.combinations(found.members, 2))
        bounds = maximum_independent_set(vertices, edges, cliques=cliques, budget=0)
        assert bounds.size <= best <= bounds.upper_bound and bounds.exact == (bounds.size == bounds.upper_bound)
        for target in range(n + 2):
            settled = maximum_independent_set(vertices, edges, cliques=cliques, target=target)
            assert settled.size <= best <= settled.upper_bound
            assert (settled.size >= target) == (best >= target) and (settled.upper_bound >= target) == (best >= target)


def test_an_outsider_tied_to_everyone_is_one_clique_linear_work() -> None:
    everyone = names(N)
    found = maximum_independent_set(everyone, cliques=[everyone])
    assert found.exact and found.size == found.upper_bound == 1
    assert found.operations <= 6 * N  # N²/2 = 72 million pairs were listed before


@pytest.mark.slow
def test_an_outsider_tied_to_everyone_with_a_chain_through_them() -> None:
    everyone = names(N)
    chain = list(itertools.pairwise(everyone))
    found = maximum_independent_set(everyone, chain, cliques=[everyone])
    assert found.exact and found.size == 1
    assert found.operations <= 6 * (N + 2 * len(chain))


def test_a_long_chain_is_solved_by_the_reductions() -> None:
    chain = names(8_000)
    found = maximum_independent_set(chain, list(itertools.pairwise(chain)))
    assert found.exact and found.size == 4_000
    assert found.operations <= 6 * 2 * 8_000


@pytest.mark.parametrize("length", [3, 5, 101, 8_001])
def test_odd_cycles_are_exact(length: int) -> None:
    cycle = names(length)
    found = maximum_independent_set(cycle, [(cycle[i], cycle[(i + 1) % length]) for i in range(length)])
    assert found.exact and found.size == found.upper_bound == length // 2


@pytest.mark.slow
def test_sparse_random_graph_at_the_input_limit_spends_at_most_its_budget() -> None:
    rng = random.Random(1)
    vertices = names(N)
    edges = [(rng.choice(vertices), rng.choice(vertices)) for _ in range(2 * N)]
    incidences = 4 * N
    bounds = maximum_independent_set(vertices, edges, budget=0)
    linear = bounds.operations
    assert linear <= 20 * incidences
    assert bounds.size <= bounds.upper_bound
    budget = 50_000
    searched = maximum_independent_set(vertices, edges, budget=budget)
    assert searched.operations <= linear + budget + 2 * N  # the budget, and at most one sweep over it
    assert bounds.size <= searched.size <= searched.upper_bound <= bounds.upper_bound
    assert maximum_independent_set(vertices, edges, target=10).operations == linear  # "at least 10": the bound settles it


def test_overlapping_holdings_dense_enough_to_need_the_search_stay_within_the_budget() -> None:
    rng = random.Random(7)
    vertices = names(3_000)
    holdings = [rng.sample(vertices, 400) for _ in range(60)]
    found = maximum_independent_set(vertices, cliques=holdings, target=60)
    incidences = 60 * 400
    assert found.operations <= 20 * incidences + SEARCH_BUDGET + 2 * 3_000
    assert found.size <= found.upper_bound


def test_a_budget_of_operations_is_machine_independent() -> None:
    rng = random.Random(3)
    vertices = names(70)
    edges = [(rng.choice(vertices), rng.choice(vertices)) for _ in range(300)]
    first = maximum_independent_set(vertices, edges, budget=1_000)
    again = maximum_independent_set(list(reversed(vertices)), list(reversed(edges)), budget=1_000)
    assert first == again  # same members, bounds and operations whatever the input order
    assert not first.exact and first.size < first.upper_bound
    exact = maximum_independent_set(vertices, edges, budget=10**8)  # a random graph no application gives
    assert exact.exact and first.size <= exact.size <= first.upper_bound


def test_a_target_stops_the_search_once_the_answer_is_settled() -> None:
    rng = random.Random(11)
    vertices = names(60)
    edges = [(a, b) for a, b in itertools.combinations(vertices, 2) if rng.random() < 0.2]
    exact = maximum_independent_set(vertices, edges)
    below = maximum_independent_set(vertices, edges, target=exact.size + 1)
    reached = maximum_independent_set(vertices, edges, target=exact.size)
    assert below.upper_bound < exact.size + 1 and reached.size >= exact.size
    assert reached.operations <= exact.operations


def test_cliques_apart_give_the_solvers_bounds_and_overlapping_ones_are_left_to_it() -> None:
    rng = random.Random(2017)
    apart = overlapping = 0
    for _ in range(2000):
        n = rng.randint(0, 12)
        vertices = names(n)
        given = vertices + [f"x{i}" for i in range(rng.randint(0, 2))]  # members outside the vertices are ignored
        cliques = [set(rng.sample(given, rng.randint(1, min(4, len(given))))) for _ in range(rng.randint(0, 4))] if given else []
        rng.shuffle(vertices)  # the order given changes nothing
        fast = apart_cliques_set(vertices, cliques)
        inside = [set(clique) & set(vertices) for clique in cliques]
        inside = [members for members in inside if len(members) > 1]
        if any(a & b for a, b in itertools.combinations(inside, 2)):
            assert fast is None
            overlapping += 1
            continue
        solver = maximum_independent_set(vertices, cliques=cliques, budget=0)
        assert fast is not None and fast[:3] == solver[:3]  # members, exact, upper bound
        apart += 1
    assert apart > 500 and overlapping > 500
