"""The largest set of vertices no two of which are adjacent (maximum independent set), exactly
for the graphs an application gives, with stated bounds where the search would be too long.

Criterion 1.1 read literally counts "unaffiliated legal entities": the largest set of legal
entities no two of which are affiliated (``checks.affiliation``, grouping ``independent_set``).
The problem is NP-hard in general; affiliation graphs of real applications (a few hundred
participants, holdings that own many of them, a few shared officials) fall apart into small
components and cliques, which this search solves exactly:

1. the graph is split into connected components, each solved on its own;
2. in a component, vertices of degree 0 are taken, and a vertex of degree 1 is taken instead
   of its neighbour (both are safe: some largest set contains them);
3. otherwise branch on a vertex of largest degree (take it and drop its neighbours, or drop
   it), pruned by an upper bound: a greedy cover of the remaining vertices by cliques (a set
   with no two adjacent vertices holds at most one vertex of each clique).

Each branch counts against :data:`SEARCH_BUDGET`. A component whose search runs out of budget
keeps the best set found (a lower bound, from a greedy start) and the clique-cover bound (an
upper bound) and is reported ``exact: False``: the count is then known to lie between the two,
and a verdict that the bounds do not settle is *unknown*, never guessed.

Everything is deterministic: vertices are handled in the order of their (sorted) names.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

SEARCH_BUDGET = 5_000
"""Branches explored per component before the search stops with bounds (a few hundred
participants in holdings and shared-official cliques need a few hundred)."""


class IndependentSet(NamedTuple):
    """A largest set found, whether it is proven largest, and the upper bound of its size."""

    members: list[str]
    exact: bool
    upper_bound: int

    @property
    def size(self) -> int:
        return len(self.members)


def maximum_independent_set(
    vertices: Iterable[str], edges: Iterable[tuple[str, str]], *, budget: int = SEARCH_BUDGET
) -> IndependentSet:
    """The largest set of ``vertices`` no two of which are joined by one of ``edges``.

    Edges whose ends are not both among ``vertices`` are ignored (the graph is the induced
    one). ``members`` are sorted; ``exact`` is False when a component ran out of ``budget``,
    and ``upper_bound`` is then the clique-cover bound (equal to the size when exact).
    """
    names = sorted(set(vertices))
    index = {name: position for position, name in enumerate(names)}
    adjacency = [0] * len(names)
    for first, second in edges:
        a, b = index.get(first), index.get(second)
        if a is None or b is None or a == b:
            continue
        adjacency[a] |= 1 << b
        adjacency[b] |= 1 << a
    chosen, exact, upper = 0, True, 0
    for component in _components(adjacency, (1 << len(names)) - 1):
        found, proven, bound = _solve(component, adjacency, budget)
        chosen |= found
        exact = exact and proven
        upper += bound
    return IndependentSet([names[i] for i in _bits(chosen)], exact, upper)


def _bits(mask: int) -> Iterable[int]:
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def _components(adjacency: list[int], remaining: int) -> list[int]:
    found = []
    while remaining:
        start = remaining & -remaining
        component, frontier = start, start
        while frontier:
            reach = 0
            for vertex in _bits(frontier):
                reach |= adjacency[vertex]
            frontier = reach & remaining & ~component
            component |= frontier
        found.append(component)
        remaining &= ~component
    return found


def _clique_cover(mask: int, adjacency: list[int]) -> int:
    """How many cliques a greedy cover of ``mask`` uses: an upper bound of any independent set in it."""
    cliques = 0
    while mask:
        first = (mask & -mask).bit_length() - 1
        candidates = mask & adjacency[first]
        clique = 1 << first
        while candidates:
            low = candidates & -candidates
            clique |= low
            candidates &= adjacency[low.bit_length() - 1]
        mask &= ~clique
        cliques += 1
    return cliques


def _greedy(mask: int, adjacency: list[int]) -> int:
    """A maximal independent set, taking a vertex of least degree each time."""
    chosen = 0
    while mask:
        vertex = min(_bits(mask), key=lambda v: ((adjacency[v] & mask).bit_count(), v))
        chosen |= 1 << vertex
        mask &= ~((1 << vertex) | adjacency[vertex])
    return chosen


def _solve(component: int, adjacency: list[int], budget: int) -> tuple[int, bool, int]:
    bound = _clique_cover(component, adjacency)
    best = _greedy(component, adjacency)
    if best.bit_count() == bound:
        return best, True, bound
    state = {"best": best, "left": budget}

    def expand(mask: int, chosen: int) -> bool:
        """Search ``mask`` with ``chosen`` taken; False when the budget ran out."""
        state["left"] -= 1
        if state["left"] < 0:
            return False
        while True:  # safe reductions: degree 0 and degree 1
            for vertex in _bits(mask):
                neighbours = adjacency[vertex] & mask
                if neighbours.bit_count() <= 1:
                    chosen |= 1 << vertex
                    mask &= ~((1 << vertex) | neighbours)
                    break
            else:
                break
        if not mask:
            if chosen.bit_count() > state["best"].bit_count():
                state["best"] = chosen
            return True
        if chosen.bit_count() + _clique_cover(mask, adjacency) <= state["best"].bit_count():
            return True
        vertex = max(_bits(mask), key=lambda v: ((adjacency[v] & mask).bit_count(), -v))
        if not expand(mask & ~((1 << vertex) | adjacency[vertex]), chosen | (1 << vertex)):
            return False
        return expand(mask & ~(1 << vertex), chosen)

    if expand(component, 0):
        return state["best"], True, state["best"].bit_count()
    return state["best"], False, bound


__all__ = ["SEARCH_BUDGET", "IndependentSet", "maximum_independent_set"]
