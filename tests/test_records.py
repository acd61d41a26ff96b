"""The procedure's own records: in the timeline, in the outcome, checked against the competition.

The rules on the records (rules/kz-2015-decree-535/records.yaml) have their YAML cases in
rules/kz-2015-decree-535/tests/records.yaml; this file tests what the whole competition does
with them: the timeline's events dated by the records (procedure.yaml ``record_events``), the
record findings of the report (p.21 points, p.38 winners), and the load-time checks.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from clusterpolicy.competition import record_events, run_competition
from clusterpolicy.core.errors import InputError
from clusterpolicy.input.loading import load_competition
from clusterpolicy.input.decree535_form import Application, Competition
from clusterpolicy.packs import load_pack

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PACK = load_pack("kz-2015-decree-535")


def _changed(folder: str, change) -> Competition:
    """An example competition, changed as plain data and validated again."""
    data = load_competition(EXAMPLES / folder).model_dump(mode="json", exclude_none=True)
    change(data)
    return Competition.model_validate(data)


def _entry(report, limit_id, application_id=None):
    return next(e for e in report.timeline.entries if e.limit_id == limit_id and e.application_id == application_id)


@pytest.mark.slow  # runs a whole example competition
def test_the_records_date_the_events_the_competition_does_not_give():
    def only_records(data):
        data["events"] = [e for e in data["events"] if e["event"] not in ("commission_meeting", "commission_protocol_drawn_up",
                                                                            "conclusion_request_registered", "priority_conclusions_issued")]

    report = run_competition(_changed("competition-2017", only_records))
    meeting = _entry(report, "rules-p25-commission-protocol")
    assert (meeting.start_date, meeting.actual_date, meeting.status) == (dt.date(2017, 8, 24), dt.date(2017, 8, 28), "on_time")  # 3 days end on a Sunday
    conclusions = _entry(report, "rules-p17-priority-conclusions", "01-karaganda-construction")
    assert (conclusions.start_date, conclusions.actual_date, conclusions.status) == (dt.date(2017, 6, 7), dt.date(2017, 6, 16), "on_time")
    derived = {(e.event, e.application_id): e.note for e in report.events if e.note and e.note.startswith("records.")}
    assert derived[("commission_meeting", None)] == "records.stage1_decision.meeting_on"
    assert derived[("priority_conclusions_issued", "01-karaganda-construction")] in (
        "records.sector_conclusion.date", "records.regional_conclusion.date"
    )
    # an application returned before the conclusions has no records, so no p.17 entry starts
    assert _entry(report, "rules-p17-priority-conclusions", "08-pavlodar-chemical").status == "not_started"


@pytest.mark.slow  # runs a whole example competition
def test_the_events_the_competition_gives_win_over_the_records():
    def later_protocol(data):
        data["records"]["stage1_decision"]["protocol_date"] = "2017-09-15"

    report = run_competition(_changed("competition-2017", later_protocol))
    assert report.event_date("commission_protocol_drawn_up") == dt.date(2017, 8, 28)  # the event as given


def test_the_earliest_request_and_the_latest_conclusion_stand_for_p17():
    def two_days(data):
        for application in data["applications"]:
            if application["id"] == "01-karaganda-construction":
                application["records"]["sector_conclusion"]["request_registered_on"] = "2017-06-05"
                application["records"]["regional_conclusion"]["date"] = "2017-06-20"

    competition = _changed("competition-2017", two_days)
    found = {(e.event, e.application_id): e.date for e in record_events(competition, PACK)}
    assert found[("conclusion_request_registered", "01-karaganda-construction")] == dt.date(2017, 6, 5)
    assert found[("priority_conclusions_issued", "01-karaganda-construction")] == dt.date(2017, 6, 20)
    assert found[("concepts_evaluated", None)] == dt.date(2017, 8, 4)


@pytest.mark.slow  # runs a whole example competition
def test_the_shipped_records_agree_with_the_marks_and_the_completeness_check():
    for folder in ("competition-2017", "competition-2017-stage2"):
        report = run_competition(load_competition(EXAMPLES / folder))
        assert report.record_findings == []
    stage2 = run_competition(load_competition(EXAMPLES / "competition-2017-stage2"))
    assert len(stage2.records.stage2_decision.winners) == 6


@pytest.mark.slow  # runs a whole example competition
def test_an_expert_conclusion_whose_points_differ_from_the_marks_is_a_finding():
    def other_points(data):
        for application in data["applications"]:
            if application["id"] == "03-south-kazakhstan-pharmaceutical":
                application["records"]["expert_conclusion"]["points"] = "89.50"

    report = run_competition(_changed("competition-2017", other_points), lang="ru")
    assert [(f.code, f.provision, f.application_id) for f in report.record_findings] == [
        ("points_differ", "Rules p.21", "03-south-kazakhstan-pharmaceutical")
    ]
    message = report.record_findings[0].message  # in Russian: decimal commas, the application by number and cluster
    assert "89,50" in message and "88,50" in message
    assert "по заявке № КО-2017/003 Фармацевтический кластер Южно-Казахстанской области" in message and "03-south" not in message
    assert message.startswith("п.21 Правил")


@pytest.mark.slow  # runs a whole example competition
def test_a_winner_the_organiser_returned_and_a_recommendation_without_a_win_are_findings():
    def contradicting(data):
        decision = data["records"]["stage2_decision"]
        decision["winners"] = ["s2-01-karaganda-construction", "s2-07-east-kazakhstan-machine-building"]
        decision["cofinancing_recommended"] = ["s2-01-karaganda-construction", "s2-02-almaty-furniture"]

    report = run_competition(_changed("competition-2017-stage2", contradicting), lang="kk")
    assert [(f.code, f.provision, f.application_id) for f in report.record_findings] == [
        ("winner_not_admitted", "Rules p.38", "s2-07-east-kazakhstan-machine-building"),
        ("recommended_not_winner", "Rules p.38", "s2-02-almaty-furniture"),
    ]
    assert report.record_findings[0].message.startswith("Қағидалардың 38-тармағы")
    assert "s2-07" not in report.record_findings[0].message and "s2-02" not in report.record_findings[1].message


def test_a_winner_that_is_not_an_application_of_the_competition_is_refused_when_loaded(tmp_path):
    folder = tmp_path / "competition"
    folder.mkdir()
    for file in (EXAMPLES / "competition-2017-stage2").glob("*.yaml"):
        text = file.read_text("utf-8")
        if file.name == "competition.yaml":
            text = text.replace("winners: [s2-01-karaganda-construction,", "winners: [s2-01-karaganda-constructoin,", 1)
        (folder / file.name).write_text(text, "utf-8")
    with pytest.raises(InputError, match="s2-01-karaganda-constructoin") as raised:
        load_competition(folder)
    assert raised.value.location.path[:3] == ("records", "stage2_decision", "winners")


def test_the_last_amendment_is_the_one_the_close_is_compared_with():
    application = Application.model_validate(
        {**load_competition(EXAMPLES / "competition-2017").applications[1].model_dump(mode="json", exclude_none=True)}
    )
    assert application.records.last_amended_at == dt.datetime(2017, 6, 7, 11, 30, tzinfo=dt.timezone(dt.timedelta(hours=6)))
    assert Application.model_validate(
        {**application.model_dump(mode="json", exclude_none=True), "records": {}}
    ).records.last_amended_at is None


@pytest.mark.slow  # runs a whole example competition through the command line
def test_the_command_line_names_the_commissions_winners_with_their_paragraph():
    import contextlib
    import io

    from clusterpolicy.output.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["evaluate", str(EXAMPLES / "competition-2017-stage2"), "--lang", "kk"])
    winners = [line for line in out.getvalue().splitlines() if line.startswith("Комиссия айқындаған жеңімпаздар")]
    assert winners == [
        # in Kazakh, each winner by its registration number and cluster, never by its file's id
        "Комиссия айқындаған жеңімпаздар (Қағидалардың 38-тармағы): № КО2-2017/001 Қарағанды облысының құрылыс кластері; "
        "№ КО2-2017/002 Алматы қаласының жиһаз кластері; № КО2-2017/003 Оңтүстік Қазақстан облысының фармацевтика кластері; "
        "№ КО2-2017/004 Ақмола облысының сүт өңдеу кластері; № КО2-2017/005 Қостанай облысының ұн тарту кластері; "
        "№ КО2-2017/006 Алматы қаласы мен Алматы облысының туристік кластері"
    ]
    assert "Процедура жазбаларындағы қайшылықтар" not in out.getvalue()  # the shipped records agree
