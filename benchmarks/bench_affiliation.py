"""Speed of the affiliation count (criteria 1.1), beside baselines timed in the same run.

The subject: ``count_unaffiliated_legal_entities`` on an application of 500 participants with
2,000 ownership links (a quarter of them between participants, the rest to 300 holders outside
the list), 50 officials and 20 declared affiliations. Target: well under a second.

Baselines: validating the same 500 participants into pydantic models (what loading the
application costs anyway), and building the same data as plain dicts.

Run: ``python benchmarks/bench_affiliation.py``.
"""

from __future__ import annotations

import random
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Row, paired, print_rows  # noqa: E402

from clusterpolicy import count_unaffiliated_legal_entities  # noqa: E402
from clusterpolicy.core.errors import InvalidChecksum  # noqa: E402
from clusterpolicy.identifiers import calc_check_digit  # noqa: E402
from clusterpolicy.input.decree535_form import Participant  # noqa: E402

PARTICIPANTS = 500
LINKS = 2000


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


def rows() -> list[Row]:
    data = application_dicts()
    participants = [Participant.model_validate(item) for item in data]
    result = count_unaffiliated_legal_entities(participants)
    assert sum(len(p.owners) for p in participants) == LINKS
    assert 0 < result.count_certain < PARTICIPANTS

    def subject() -> object:
        return count_unaffiliated_legal_entities(participants)

    validation = paired(subject, lambda: [Participant.model_validate(item) for item in data], number=3, rounds=7)
    plain = paired(subject, application_dicts, number=3, rounds=7)
    target = f"target well under 1 s (measured {validation.subject * 1000:.1f} ms, {result.count_certain} groups)"
    return [
        validation.row("count_unaffiliated(500 participants, 2000 links)", "pydantic validation of the 500", target),
        plain.row("count_unaffiliated(500 participants, 2000 links)", "building the same data as dicts", target),
    ]

if __name__ == "__main__":
    print_rows(rows)
