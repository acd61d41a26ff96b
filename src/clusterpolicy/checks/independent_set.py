"""The largest set of vertices no two of which are adjacent (maximum independent set), with work
bounded by a count of operations, for the graphs an application gives.

Criterion 1.1 read literally counts "unaffiliated legal entities": the largest set of legal
entities no two of which are affiliated (``checks.affiliation``, grouping ``independent_set``).
The problem is NP-hard in general; affiliation graphs fall apart into holdings (everyone a holder
is tied to is affiliated with everyone else it is tied to), chains and a few shared officials.

**The graph is given as cliques**, never as listed pairs: a holder tied to N participants is one
clique of N vertices (N incidences, not N²/2 edges); an edge is a clique of two. Every step below
works on the incidences (vertex, clique), so its work is linear in the size of the input:

1. **safe reductions, from a worklist**: a vertex in at most one clique (still holding two live
   vertices) is *simplicial* (its neighbours are one clique), and some largest set contains it:
   it is taken and its clique removed. Degree 0 and degree 1 are the special cases. Removing a
   vertex shrinks its cliques; a clique left with one live vertex stops binding it, and that
   vertex goes on the worklist. Chains, stars and holdings whose companies have no other tie
   are solved here, in time linear in the incidences;
2. **the greedy lower bound** on what is left (the kernel): a vertex of least degree (a priority
   queue of degrees, updated lazily) is taken, its cliques removed, the reductions run again;
3. **the clique-cover upper bound**: the kernel's cliques, largest first, each covering its
   vertices not yet covered (a set with no two adjacent vertices holds at most one of each);
4. **the exact search**, only where the bounds differ and only when asked (``budget`` above 0):
   per component of the kernel, branch and bound on bitsets (take a vertex of largest degree and
   drop its neighbours, or drop it), with the degree-0/1 reductions and the clique-cover bound at
   every node. With a ``target``, the search stops as soon as the count is settled on either side
   of it ("at least ``target``" found, or proven impossible).

**The budget counts operations, not branches**: one operation is one vertex looked at (a degree
computed, a vertex covered, an incidence read while the bitsets are built). The worst case is
therefore ``budget`` operations whatever the graph, and the same on every machine. A search that
runs out keeps the largest set found (a lower bound) and the clique-cover bound (an upper bound)
and is reported ``exact: False``: the count lies between the two, and a verdict the bounds do not
settle is *unknown*, never guessed. ``operations`` in the result says what was spent (the linear
steps 1–3 included).

Everything is deterministic: vertices are numbered in the order of their (sorted) names, and
every choice breaks ties by that number.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Iterable
from typing import NamedTuple

SEARCH_BUDGET = 200_000
"""Operations the exact search may spend in one call (steps 1–3 are linear in the input and not
counted against it). About 0.1–0.2 s of CPU at most; holdings, chains and shared officials of
real applications need none, or a few thousand."""


class IndependentSet(NamedTuple):
    """A largest set found, whether it is proven largest, the upper bound of its size, and the
    operations spent (reductions, bounds and search)."""

    members: list[str]
    exact: bool
    upper_bound: int
    operations: int = 0

    @property
    def size(self) -> int:
        return len(self.members)


def maximum_independent_set(
    vertices: Iterable[str],
    edges: Iterable[tuple[str, str]] = (),
    *,
    cliques: Iterable[Iterable[str]] = (),
    budget: int = SEARCH_BUDGET,
    target: int | None = None,
    enough: bool = False,
) -> IndependentSet:
    """The largest set of ``vertices`` no two of which are joined by one of ``edges`` or lie in
    one of ``cliques`` (every two members of a clique are adjacent).

    Edges and clique members that are not among ``vertices`` are ignored (the graph is the
    induced one). ``members`` are sorted. ``budget`` is the operations the exact search may
    spend (0: bounds only). With ``target``, the work stops as soon as the bounds settle whether
    the count reaches ``target``. ``exact`` is False when the size is not proven largest, and
    ``upper_bound`` is then the clique-cover bound (equal to the size when exact).

    ``enough`` (with ``target``): a caller that needs only whether the count reaches ``target``
    stops at the greedy set when it does, without the clique-cover bound (``upper_bound`` is then
    the set's size, not a bound, and ``exact`` False); otherwise the result is the same.
    """
    names = sorted(set(vertices))
    index = {name: position for position, name in enumerate(names)}
    graph = _Graph(len(names))
    for first, second in edges:
        graph.add((first, second), index)
    for clique in cliques:
        graph.add(clique, index)
    graph.drop_covered_pairs()
    return graph.solve(budget, target, names, enough)


def apart_cliques_set(vertices: Iterable[str], cliques: Iterable[Iterable[str]]) -> IndependentSet | None:
    """:func:`maximum_independent_set` of ``vertices`` and ``cliques`` alone (no edges) with
    ``budget=0``, without its graph, where no vertex lies in two of the cliques (each taken
    within ``vertices``, of two members or more): every vertex is then simplicial, and the
    reductions take each vertex in no clique and the first (by name) of each clique. The same
    members, ``exact`` and ``upper_bound`` (``operations`` 0: nothing of a budget is read after a
    count made with none); None where two cliques share a vertex (the solver's case)."""
    names = set(vertices)
    covered: set[str] = set()
    left_out: list[str] = []
    for clique in cliques:
        members = names.intersection(clique)
        if len(members) < 2:
            continue
        if not covered.isdisjoint(members):
            return None
        covered |= members
        first = min(members)
        left_out += [name for name in members if name != first]
    chosen = sorted(names.difference(left_out))
    return IndependentSet(chosen, True, len(chosen), 0)


class _Graph:
    """Vertices 0..n-1 and cliques of vertices; the state of the reductions and the greedy."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.cliques: list[list[int]] = []
        self.ops = 0

    def add(self, clique: Iterable[str], index: dict[str, int]) -> None:
        members = sorted({index[name] for name in clique if name in index})
        self.ops += len(members)
        if len(members) > 1:
            self.cliques.append(members)

    def drop_covered_pairs(self) -> None:
        """Pairs that lie inside a larger clique add nothing (a holder's direct tie to a company
        it holds is inside the holder's clique), and would keep a simplicial vertex from being
        seen as one: dropped. Identical cliques are kept once."""
        self.cliques.sort()  # the order they were given in changes nothing
        kept: list[list[int]] = []
        for members in self.cliques:  # sorted: an identical clique follows its twin
            if not kept or members != kept[-1]:
                kept.append(members)
        self.ops += sum(len(members) for members in kept)
        big_of: dict[int, set[int]] = {}
        for number, members in enumerate(kept):
            if len(members) > 2:
                for vertex in members:
                    big_of.setdefault(vertex, set()).add(number)
        if big_of:
            empty: set[int] = set()
            kept = [
                members
                for members in kept
                if len(members) > 2 or not (big_of.get(members[0], empty) & big_of.get(members[1], empty))
            ]
        self.cliques = kept

    # ------------------------------------------------------------------ reductions and greedy

    def _state(self) -> None:
        self.member_of: list[list[int]] = [[] for _ in range(self.size)]
        for number, members in enumerate(self.cliques):
            for vertex in members:
                self.member_of[vertex].append(number)
        self.alive = [True] * self.size
        self.live = [len(members) for members in self.cliques]  # live members; below 2: binds nothing
        self.binding = [len(cliques) for cliques in self.member_of]  # cliques binding the vertex

    def _remove(self, vertex: int, worklist: deque[int]) -> None:
        """``vertex`` leaves the graph (a neighbour was taken)."""
        self.alive[vertex] = False
        for number in self.member_of[vertex]:
            self.ops += 1
            if self.live[number] < 2:
                continue
            self.live[number] -= 1
            if self.live[number] == 1:  # one live member left: the clique binds it no more
                for other in self.cliques[number]:
                    self.ops += 1
                    if self.alive[other]:
                        self.binding[other] -= 1
                        if self.binding[other] <= 1:
                            worklist.append(other)
                        break

    def _take(self, vertex: int, chosen: list[int], worklist: deque[int]) -> None:
        chosen.append(vertex)
        self.alive[vertex] = False
        for number in self.member_of[vertex]:
            self.ops += 1
            if self.live[number] < 2:
                continue
            self.live[number] = 0  # swept: every live member goes
            for other in self.cliques[number]:
                self.ops += 1
                if self.alive[other]:
                    self._remove(other, worklist)

    def _reduce(self, worklist: deque[int], chosen: list[int]) -> None:
        """Take every vertex bound by at most one clique (simplicial), until none is left."""
        while worklist:
            vertex = worklist.popleft()
            self.ops += 1
            if self.alive[vertex] and self.binding[vertex] <= 1:
                self._take(vertex, chosen, worklist)

    def _degree(self, vertex: int) -> int:
        self.ops += len(self.member_of[vertex])
        return sum(self.live[number] - 1 for number in self.member_of[vertex] if self.live[number] > 1)

    def _greedy(self, kernel: list[int]) -> list[int]:
        """A maximal independent set of the kernel: least degree first, reductions after each take.
        Works on the state it is given (the caller keeps a copy)."""
        chosen: list[int] = []
        worklist: deque[int] = deque()
        member_of, live, alive = self.member_of, self.live, self.alive
        ops = 0
        queue = []
        for vertex in kernel:  # each vertex's degree: what :meth:`_degree` counts, on local names
            numbers = member_of[vertex]
            ops += len(numbers)
            queue.append((sum([live[number] - 1 for number in numbers if live[number] > 1]), vertex))
        heapq.heapify(queue)
        looked_again = set()
        pop, push = heapq.heappop, heapq.heappush
        while queue:
            key, vertex = pop(queue)
            ops += 1
            if not alive[vertex]:
                continue
            numbers = member_of[vertex]
            ops += len(numbers)
            degree = sum([live[number] - 1 for number in numbers if live[number] > 1])
            if degree < key and vertex not in looked_again:  # stale (degrees only fall): once more, at its degree now
                looked_again.add(vertex)
                push(queue, (degree, vertex))
                continue
            self.ops += ops
            ops = 0
            self._take(vertex, chosen, worklist)
            self._reduce(worklist, chosen)
        self.ops += ops
        return chosen

    # ------------------------------------------------------------------ the whole

    def solve(self, budget: int, target: int | None, names: list[str], enough: bool = False) -> IndependentSet:
        self._state()
        forced: list[int] = []
        self._reduce(deque(v for v in range(self.size) if self.binding[v] <= 1), forced)
        kernel = [v for v in range(self.size) if self.alive[v]]
        saved = (list(self.alive), list(self.live), list(self.binding))
        taken = self._greedy(kernel)
        if enough and target is not None and len(forced) + len(taken) >= target:  # "at least target" settled by the greedy set
            chosen = sorted(forced + taken)
            return IndependentSet([names[v] for v in chosen], False, len(chosen), self.ops)
        self.alive, self.live, self.binding = saved  # the greedy's removals undone
        components = self._components(kernel)
        greedy = set(taken)
        # per component: (vertices, best set found, upper bound, exact)
        parts = []
        for vertices in components:
            found = [v for v in vertices if v in greedy]
            bound = self._cover(vertices)
            parts.append([vertices, found, bound, len(found) == bound])
        lower = len(forced) + sum(len(part[1]) for part in parts)
        upper = len(forced) + sum(part[2] for part in parts)

        def settled() -> bool:
            return target is not None and (lower >= target or upper < target)

        spent_before = self.ops
        for part in sorted(parts, key=lambda part: (len(part[0]), part[0][0])):
            if part[3] or budget <= 0 or settled():
                continue
            left = budget - (self.ops - spent_before)
            if left <= 0:
                break
            need = None if target is None else target - (lower - len(part[1]))
            found, proven = _Search(part[0], self, left).run(part[1], need)
            lower += len(found) - len(part[1])
            part[1] = found
            if proven:
                upper -= part[2] - len(found)
                part[2], part[3] = len(found), True
        chosen = sorted(forced + [v for part in parts for v in part[1]])
        exact = all(part[3] for part in parts)
        return IndependentSet([names[v] for v in chosen], exact, upper if not exact else len(chosen), self.ops)

    def _components(self, kernel: list[int]) -> list[list[int]]:
        """The kernel's connected components, each sorted, in the order of their first vertex:
        a walk over the incidences, each live clique entered once."""
        seen = [False] * self.size
        entered = [False] * len(self.cliques)
        components = []
        for start in kernel:
            if seen[start]:
                continue
            seen[start] = True
            component, frontier = [start], [start]
            while frontier:
                vertex = frontier.pop()
                for number in self.member_of[vertex]:
                    self.ops += 1
                    if entered[number] or self.live[number] < 2:
                        continue
                    entered[number] = True
                    for other in self.cliques[number]:
                        self.ops += 1
                        if self.alive[other] and not seen[other]:
                            seen[other] = True
                            component.append(other)
                            frontier.append(other)
            components.append(sorted(component))
        return components

    def _cover(self, vertices: list[int]) -> int:
        """A greedy partition of ``vertices`` (one component of the kernel) into cliques: each time
        the clique with the most vertices not yet covered (a priority queue, its counts updated
        lazily, at most twice per clique). Its size bounds any independent set of them."""
        member_of, live, alive, cliques = self.member_of, self.live, self.alive, self.cliques
        open_ = [False] * self.size  # inside, alive and not yet covered
        for v in vertices:
            open_[v] = alive[v]
        numbers = sorted({n for v in vertices for n in member_of[v] if live[n] > 1})
        ops = sum(len(member_of[v]) for v in vertices)
        queue = []
        for number in numbers:  # nothing is covered yet
            clique = cliques[number]
            ops += len(clique)
            queue.append((-len([v for v in clique if open_[v]]), number))
        heapq.heapify(queue)
        looked_again: dict[int, int] = {}
        parts = 0
        pop = heapq.heappop
        while queue:
            key, number = pop(queue)
            clique = cliques[number]
            ops += len(clique)
            members = [v for v in clique if open_[v]]
            if not members:
                continue
            if len(members) < -key and looked_again.get(number, 0) < 2:
                looked_again[number] = looked_again.get(number, 0) + 1
                heapq.heappush(queue, (-len(members), number))
                continue
            parts += 1
            for v in members:
                open_[v] = False
        self.ops += ops
        return parts + sum(1 for v in set(vertices) if open_[v] or not alive[v])  # each vertex not covered is a part of its own


class _Search:
    """Branch and bound on one kernel component, as bitsets, spending at most ``budget`` operations."""

    def __init__(self, vertices: list[int], graph: _Graph, budget: int) -> None:
        self.graph = graph
        self.vertices = vertices
        self.local = {v: i for i, v in enumerate(vertices)}
        self.left = budget
        self.adjacency = [0] * len(vertices)

    def _spend(self, amount: int) -> bool:
        self.left -= amount
        self.graph.ops += amount
        return self.left >= 0

    def _build(self) -> bool:
        graph, local = self.graph, self.local
        numbers = sorted({n for v in self.vertices for n in graph.member_of[v] if graph.live[n] > 1})
        for number in numbers:
            members = [local[v] for v in graph.cliques[number] if v in local and graph.alive[v]]
            if not self._spend(len(graph.cliques[number]) + len(members)):
                return False
            mask = 0
            for i in members:
                mask |= 1 << i
            for i in members:
                self.adjacency[i] |= mask
        for i in range(len(self.adjacency)):
            self.adjacency[i] &= ~(1 << i)
        return True

    def run(self, start: list[int], need: int | None) -> tuple[list[int], bool]:
        """The best set found (``start`` unless bettered) and whether it is proven largest (or,
        with ``need``, whether the search settled reaching it)."""
        if not self._build():
            return start, False
        adjacency = self.adjacency
        best = 0
        for v in start:
            best |= 1 << self.local[v]
        best_count = best.bit_count()
        stack = [((1 << len(self.vertices)) - 1, 0)]
        while stack:
            mask, chosen = stack.pop()
            # reductions: degree 0 and 1, sweep after sweep while one applies
            branch, branch_degree = -1, -1
            while True:
                changed = False
                branch, branch_degree = -1, -1
                if not self._spend(mask.bit_count() + 1):
                    return self._result(best, False)
                for vertex in _bits(mask):
                    if not (mask >> vertex) & 1:
                        continue
                    neighbours = adjacency[vertex] & mask
                    degree = neighbours.bit_count()
                    if degree <= 1:
                        chosen |= 1 << vertex
                        mask &= ~((1 << vertex) | neighbours)
                        changed = True
                    elif degree > branch_degree:
                        branch, branch_degree = vertex, degree
                if not changed or not mask:
                    break
            count = chosen.bit_count()
            if not mask:
                if count > best_count:
                    best, best_count = chosen, count
                    if need is not None and best_count >= need:
                        return self._result(best, False)
                continue
            cover = self._cover(mask)
            if cover is None:
                return self._result(best, False)
            if count + cover <= best_count:
                continue
            stack.append((mask & ~(1 << branch), chosen))  # then: drop it
            stack.append((mask & ~((1 << branch) | adjacency[branch]), chosen | (1 << branch)))  # first: take it
        return self._result(best, True)

    def _cover(self, mask: int) -> int | None:
        """A greedy cover of ``mask`` by cliques; None when the budget runs out."""
        adjacency = self.adjacency
        cliques = 0
        if not self._spend(mask.bit_count()):
            return None
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

    def _result(self, best: int, proven: bool) -> tuple[list[int], bool]:
        return [self.vertices[i] for i in _bits(best)], proven


def _bits(mask: int) -> Iterable[int]:
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


__all__ = ["SEARCH_BUDGET", "IndependentSet", "apart_cliques_set", "maximum_independent_set"]
