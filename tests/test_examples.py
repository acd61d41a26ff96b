"""The shipped examples: they load, they are realistic where it is checkable, and broken copies fail well."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from clusterpolicy.core.errors import InputError
from clusterpolicy.identifiers import bin as kz_bin
from clusterpolicy.identifiers import iin as kz_iin
from clusterpolicy.input.loading import load_competition
from clusterpolicy.input.decree535_form import Competition

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
FOLDERS = ["competition-2017", "competition-2017-stage2"]

# The six pilot clusters of 2017 (2021 vision; DOMAIN.md "The 2017 competition"):
# region, sector, key-project cost and the cluster's share, million tenge.
WINNERS = {
    "karaganda-construction": ("karaganda", "construction", "112.1", "33.6"),
    "almaty-furniture": ("almaty-city", "furniture", "110", "33"),
    "south-kazakhstan-pharmaceutical": ("south-kazakhstan", "pharmaceutical", "3070", "921"),
    "akmola-milk-processing": ("akmola", "milk processing", "372.4", "111.7"),
    "kostanay-flour-milling": ("kostanay", "flour milling", "65", "19.5"),
    "almaty-tourism": ("almaty-city", "tourism", "167", "50.1"),
}


@pytest.fixture(scope="module", params=FOLDERS)
def competition(request: pytest.FixtureRequest) -> Competition:
    return load_competition(EXAMPLES / request.param)


def _identifiers(competition: Competition) -> tuple[list[str], list[str]]:
    """Every BIN and IIN written anywhere in the competition's participants and applicants."""
    bins, iins = [], []
    for application in competition.applications:
        if application.applicant.bin:
            bins.append(application.applicant.bin)
        for participant in application.participants:
            bins += [participant.bin] if participant.bin else []
            iins += [participant.iin] if participant.iin else []
            bins += participant.controlled_by
            iins += [official.iin for official in participant.officials if official.iin]
            for owner in participant.owners:
                if owner.owner_id.isdigit():
                    (bins if owner.owner_id[4] in "456" else iins).append(owner.owner_id)
    return bins, iins


def test_every_folder_loads_with_its_applications(competition: Competition) -> None:
    assert competition.applications
    assert {application.stage for application in competition.applications} == {competition.stage}


def test_every_application_has_at_least_twelve_participants(competition: Competition) -> None:
    for application in competition.applications:
        assert len(application.participants) >= 12, application.id


def test_every_bin_and_iin_has_a_valid_check_digit(competition: Competition) -> None:
    bins, iins = _identifiers(competition)
    assert len(bins) > 100 and len(iins) > 100
    assert [number for number in bins if not kz_bin.is_valid(number)] == []
    assert [number for number in iins if not kz_iin.is_valid(number)] == []


def test_participant_identifiers_fit_their_legal_status(competition: Competition) -> None:
    attribute = {"legal_entity": "head_organisation", "branch": "branch"}
    for application in competition.applications:
        for participant in application.participants:
            if participant.legal_status == "individual_entrepreneur":
                assert participant.iin and not participant.bin, participant.name
            else:
                assert kz_bin.info(participant.bin).attribute == attribute[participant.legal_status], participant.name
            assert participant.fictional


def test_participant_bins_are_unique_within_a_folder(competition: Competition) -> None:
    numbers = [p.bin or p.iin for a in competition.applications for p in a.participants]
    assert len(numbers) == len(set(numbers))


@pytest.mark.slow
def test_the_six_winners_carry_the_published_figures() -> None:
    for folder, prefix in (("competition-2017", ""), ("competition-2017-stage2", "s2-")):
        applications = {a.id.removeprefix(prefix)[3:]: a for a in load_competition(EXAMPLES / folder).applications}
        for key, (region, sector, cost, share) in WINNERS.items():
            application = applications[key]
            assert (application.region, application.sector) == (region, sector)
            assert application.key_project_cost_mln_tenge == Decimal(cost)
            assert application.key_project_cluster_share_mln_tenge == Decimal(share)


@pytest.mark.slow
def test_stage_two_repeats_the_stage_one_participants() -> None:
    stage1 = {a.id: a for a in load_competition(EXAMPLES / "competition-2017").applications}
    for application in load_competition(EXAMPLES / "competition-2017-stage2").applications:
        if application.took_part_in_stage1:
            assert application.participants == stage1[application.id.removeprefix("s2-")].participants


@pytest.mark.slow
def test_winners_outrank_the_failing_applications_on_the_marks() -> None:
    def mean(application) -> Decimal:
        marks = [mark for sheet in application.expert_marks for mark in sheet.marks.values()]
        return sum(marks) / len(marks)

    applications = load_competition(EXAMPLES / "competition-2017").applications
    winners = [mean(a) for a in applications if a.id[3:] in WINNERS]
    others = [mean(a) for a in applications if a.id[3:] not in WINNERS]
    assert len(winners) == 6 and min(winners) > max(others)
    assert all(len(a.expert_marks) == 5 and all(len(s.marks) == 15 for s in a.expert_marks) for a in applications)


@pytest.mark.slow
def test_expected_names_every_application_and_only_those() -> None:
    expected = yaml.safe_load((EXAMPLES / "expected.yaml").read_text(encoding="utf-8"))
    assert sorted(expected) == sorted(FOLDERS)
    for folder in FOLDERS:
        ids = {application.id for application in load_competition(EXAMPLES / folder).applications}
        assert set(expected[folder]) == ids
        for outcome in expected[folder].values():
            assert outcome["status"] in {"admitted", "returned", "not_accepted"} and outcome["reason"]


# --------------------------------------------------------------------------- broken copies

FILE = "01-karaganda-construction.yaml"


def _broken_copy(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    """A copy of the stage-1 folder with ``old`` replaced once in FILE; returns it and the changed line."""
    folder = tmp_path / "competition-2017"
    shutil.copytree(EXAMPLES / "competition-2017", folder)
    path = folder / FILE
    text = path.read_text(encoding="utf-8")
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder, line


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("  paper_originals: 1\n", "  paper_originals: one\n", "submission_format.paper_originals"),
        ("  electronic_copy: true\n", "  electronic_copy: true\n  colour: red\n", "submission_format.colour"),
        ("  founded: 2006-03-14\n", "  founded: 2015-13-01\n", "participants[0].founded"),
        ("  paper_copies: 1\n", "  paper_copies: 1\n  paper_copies: 2\n", "submission_format.paper_copies"),
    ],
    ids=["wrong-type", "unknown-field", "bad-date", "duplicate-key"],
)
def test_a_broken_copy_gives_one_located_line(tmp_path: Path, old: str, new: str, field: str) -> None:
    folder, line = _broken_copy(tmp_path, old, new)
    if new.count("\n") > old.count("\n"):
        line += 1  # the added line is the faulty one
    with pytest.raises(InputError) as caught:
        load_competition(folder)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{folder / FILE}:{line}: {field}: ")


def test_invalid_yaml_gives_the_file_and_line(tmp_path: Path) -> None:
    folder, line = _broken_copy(tmp_path, "stage: 1\n", "stage: [1\n")
    with pytest.raises(InputError) as caught:
        load_competition(folder)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{folder / FILE}:") and "invalid YAML" in message
    assert caught.value.location.line is not None and caught.value.location.line >= line
