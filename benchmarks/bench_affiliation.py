"""Speed of criterion 1.1's count (the affiliation graph), by CPU time, beside baselines in the same run.

Rows (``time.process_time``, subject and baseline interleaved round by round, median of the
per-round ratios with their spread):

1. ``count_unaffiliated_legal_entities`` on 500 participants with 2,000 ownership links (a
   quarter between participants, the rest to 300 holders outside the list), 50 officials and 20
   declared affiliations, against pydantic validation of the same 500 participants.
2. ``evaluate()`` of an already validated stage-1 application of 1,000 densely linked
   participants (each held 10% by two of 50 holdings and 15% by another participant, one shared
   director per participant, a declared affiliation for one in ten), against the same
   application with no links. Target (issue 26): under 0.1 s of CPU.
3. The same evaluation under the literal reading (``affiliation_grouping: independent_set``
   deciding), against the default reading.
4. Adversarial graphs at the input limit (12,000 lean participants: id, name, BIN, status, kind
   and the links; each shape's JSON size is printed, the service takes 4 MiB): an outsider holding 10% of everyone, a chain of holdings, an odd
   cycle, a sparse random graph, a hub participant, overlapping holdings. Subject: ``evaluate()``
   with the literal reading deciding; baseline: ``evaluate()`` of the same participants with no
   links. Target (issues 26, 27): no validated input within the limits over 1 s of CPU.

Run: ``python benchmarks/bench_affiliation.py`` (``CLUSTERPOLICY_BENCH_QUICK=1``: fewer rounds).
"""

from __future__ import annotations

import json
import os
import random
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Row, cpu_paired, print_rows  # noqa: E402

from clusterpolicy import count_unaffiliated_legal_entities  # noqa: E402
from clusterpolicy.core.errors import InvalidChecksum  # noqa: E402
from clusterpolicy.evaluation import evaluate  # noqa: E402
from clusterpolicy.identifiers import calc_check_digit  # noqa: E402
from clusterpolicy.input.decree535_form import Application, Competition, Participant  # noqa: E402
from clusterpolicy.packs import load_pack  # noqa: E402
from clusterpolicy.testing import application_data, competition_data  # noqa: E402

QUICK = os.environ.get("CLUSTERPOLICY_BENCH_QUICK") == "1"
PARTICIPANTS = 500
LINKS = 2000
LIMIT = 12_000




def named(row: Row, name: str, baseline_name: str, target: str = "") -> Row:
    row.name, row.baseline_name, row.target = name, baseline_name, target
    return row


def made_up_bins(count: int) -> list[str]:
    """Valid BINs of resident head organisations (made up: registered in 2015-2016)."""
    numbers: list[str] = []
    serial = 0
    while len(numbers) < count:
        serial += 1
        first_eleven = f"{15 + serial % 2:02d}{serial % 12 + 1:02d}40{serial:05d}"
        try:
            numbers.append(first_eleven + calc_check_digit(first_eleven))
        except InvalidChecksum:
            continue
    return numbers


def application_dicts(seed: int = 535) -> list[dict]:
    rng = random.Random(seed)
    bins = made_up_bins(PARTICIPANTS)
    owners: list[list[dict]] = [[] for _ in range(PARTICIPANTS)]
    for _ in range(LINKS):
        target = rng.randrange(PARTICIPANTS)
        holder = bins[rng.randrange(PARTICIPANTS)] if rng.random() < 0.25 else f"Holder {rng.randrange(300)} LLP"
        share = Decimal(rng.choice(["2", "5", "9.99", "10", "15", "25", "51", "100"]))
        owners[target].append({"owner_id": holder, "share_percent": share})
    participants = []
    for index in range(PARTICIPANTS):
        participants.append(
            {
                "id": f"p{index:03d}",
                "name": f"Company {index} LLP",
                "bin": bins[index],
                "legal_status": "legal_entity" if index % 25 else "branch",
                "kind": "producer",
                "owners": owners[index],
                "officials": [{"name": f"Director {rng.randrange(400)}"}] if index % 10 == 0 else [],
                "declared_affiliations": [f"p{rng.randrange(PARTICIPANTS):03d}"] if index % 25 == 1 else [],
            }
        )
    return participants


def linked(n: int, shape: str, seed: int = 535, *, lean: bool = False) -> dict[str, Any]:
    """A stage-1 application of ``n`` participants (``testing.application_data``) linked as
    ``shape``; ``lean``: participants with only id, name, BIN, legal status and kind (what fits
    12,000 of them in the service's 4 MiB)."""
    data = application_data(1, participants=n if not lean else 12, activities=5)
    if lean:
        data["participants"] = [
            {"id": f"p{i:05d}", "name": f"Company {i} LLP", "bin": bin_, "legal_status": "legal_entity", "kind": "producer"}
            for i, bin_ in enumerate(made_up_bins(n))
        ]
    people = data["participants"]
    rng = random.Random(seed)

    def hold(index: int, owner: str, share: str = "10") -> None:
        people[index].setdefault("owners", []).append({"owner_id": owner, "share_percent": share})

    for index, person in enumerate(people):
        if shape == "dense":
            hold(index, f"Holding {rng.randrange(max(1, n // 20))} LLP")
            hold(index, f"Holding {rng.randrange(max(1, n // 20))} LLP")
            hold(index, people[rng.randrange(n)]["bin"], "15")
            person["officials"] = [{"name": f"Director {rng.randrange(max(1, n // 4))}", "position": "director"}]
            if index % 10 == 1:
                person["declared_affiliations"] = [people[rng.randrange(n)]["id"]]
        elif shape == "outsider tied to everyone":
            hold(index, "Steppe Holding LLP")
        elif shape == "chain of holdings" and index:
            hold(index, people[index - 1]["bin"])
        elif shape == "odd cycle":
            hold(index, people[index - 1]["bin"])  # people[-1] holds people[0]; n odd
        elif shape == "sparse random":
            hold(index, people[rng.randrange(n)]["bin"])
            hold(index, people[rng.randrange(n)]["bin"])
        elif shape == "hub participant" and index:
            hold(index, people[0]["bin"])
        elif shape == "overlapping holdings":
            for _ in range(3):
                hold(index, f"Holding {rng.randrange(30)} LLP")
    return data


def rows() -> list[Row]:
    out: list[Row] = []
    rounds = 3 if QUICK else 7
    data = application_dicts()
    participants = [Participant.model_validate(item) for item in data]
    result = count_unaffiliated_legal_entities(participants)
    assert sum(len(p.owners) for p in participants) == LINKS
    assert 0 < result.count_certain < PARTICIPANTS
    out.append(
        named(
            cpu_paired(lambda: count_unaffiliated_legal_entities(participants),
                       lambda: [Participant.model_validate(item) for item in data], rounds=rounds),
            "count_unaffiliated(500 participants, 2000 links)", "pydantic validation of the 500", "well under 1 s",
        )
    )

    pack = load_pack("kz-2015-decree-535")
    literal = _literal_pack(pack)
    competition = Competition.model_validate(competition_data(1))
    dense = Application.model_validate(linked(1000, "dense"))
    plain = Application.model_validate(application_data(1, participants=1000, activities=5))
    row = cpu_paired(lambda: evaluate(dense, competition=competition, pack=pack),
                     lambda: evaluate(plain, competition=competition, pack=pack), rounds=rounds)
    out.append(named(row, "evaluate(1,000 densely linked), validated", "evaluate(1,000 unlinked)",
                     f"target < 0.1 s CPU (measured {row.subject_seconds * 1000:.0f} ms)"))
    row = cpu_paired(lambda: evaluate(dense, competition=competition, pack=pack, explain=False),
                     lambda: evaluate(plain, competition=competition, pack=pack, explain=False), rounds=rounds)
    out.append(named(row, "  the same, explain=False (no explanation, no remedy)", "evaluate(1,000 unlinked, explain=False)",
                     f"target < 0.1 s CPU (measured {row.subject_seconds * 1000:.0f} ms)"))
    row = cpu_paired(lambda: evaluate(dense, competition=competition, pack=literal),
                     lambda: evaluate(dense, competition=competition, pack=pack), rounds=rounds)
    out.append(named(row, "  the same, literal reading deciding", "the default reading deciding",
                     f"target < 0.1 s CPU (measured {row.subject_seconds * 1000:.0f} ms)"))

    baseline = Application.model_validate(linked(LIMIT, "none", lean=True))
    worst = 0.0
    for shape in ("outsider tied to everyone", "chain of holdings", "odd cycle", "sparse random", "hub participant",
                  "overlapping holdings"):
        n = LIMIT + 1 if shape == "odd cycle" else LIMIT
        raw = linked(n, shape, lean=True)
        size = len(json.dumps(raw, ensure_ascii=False, default=str).encode())
        application = Application.model_validate(raw)
        row = cpu_paired(lambda: evaluate(application, competition=competition, pack=literal),
                         lambda: evaluate(baseline, competition=competition, pack=literal), rounds=3 if QUICK else 5)
        worst = max(worst, row.subject_seconds)
        out.append(named(row, f"evaluate, literal reading: {shape} ({n:,}, {size / 2**20:.1f} MiB)",
                         f"evaluate({LIMIT:,} unlinked)", f"target < 1 s CPU (measured {row.subject_seconds:.2f} s)"))
    out.append(Row(f"the worst of the shapes above: {worst:.2f} s CPU", worst, "1 s", 1.0, "target ratio < 1"))
    return out


def _literal_pack(pack: Any) -> Any:
    """The decree's pack with the literal reading deciding (as a YAML case's ``parameters`` does)."""
    import dataclasses

    parameters = dict(pack.header.parameters)
    parameters["affiliation_grouping"] = parameters["affiliation_grouping"].model_copy(update={"value": "independent_set"})
    return dataclasses.replace(pack, header=pack.header.model_copy(update={"parameters": parameters}), rendered={})


if __name__ == "__main__":
    print_rows(rows)
