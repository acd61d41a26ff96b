"""The procedure's timeline on a 2017-like competition; rule-pack validation; .ics export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from clusterpolicy import InputError, RulePackError, UsageError, compute_timeline, read_time_limits
from clusterpolicy.core.sources import parse_yaml, read_document
from clusterpolicy.packs import load_pack
from clusterpolicy.procedure.timeline import Timeline, _fold, read_event_definitions

ROOT = Path(__file__).resolve().parents[1]
DECREE = ROOT / "rules" / "kz-2015-decree-535" / "time-limits.yaml"
D = dt.date


@dataclass
class Event:
    """Duck-typed stand-in for clusterpolicy.input.decree535_form.ProcedureEvent."""

    event: str
    date: dt.date
    application_id: str | None = None
    note: str | None = None


def decree_limits():
    return read_time_limits(read_document(DECREE))


def competition_2017() -> list[Event]:
    """The 2017 competition's dates (10 April - 8 June 2017) and plausible later steps."""
    return [
        Event("announcement", D(2017, 4, 10)),
        Event("acceptance_closed", D(2017, 6, 8)),
        Event("akimat_request_registered", D(2017, 5, 2), "KRG-construction"),
        Event("akimat_conclusion_issued", D(2017, 5, 11), "KRG-construction"),
        Event("akimat_request_registered", D(2017, 5, 15), "ALA-furniture"),
        Event("akimat_conclusion_issued", D(2017, 5, 24), "ALA-furniture"),
        Event("completeness_protocol_signed", D(2017, 6, 15)),
        Event("conclusion_request_registered", D(2017, 6, 16), "KRG-construction"),
        Event("priority_conclusions_issued", D(2017, 6, 30), "KRG-construction"),
        Event("concepts_evaluated", D(2017, 8, 4)),
        Event("review_protocol_signed", D(2017, 8, 10)),
        Event("protocol_sent_to_commission", D(2017, 8, 15)),
        Event("commission_meeting", D(2017, 8, 30)),
    ]


def by_id(timeline: Timeline, limit_id: str, application_id: str | None = None):
    [entry] = [e for e in timeline.entries if e.limit_id == limit_id and e.application_id == application_id]
    return entry


def test_packs_list_every_time_limit_of_the_decree() -> None:
    limits = decree_limits()
    assert sorted({limit.citation.provision for limit in limits}) == sorted(
        {"Decree p.2", "Rules p.5", "Rules p.6", "Rules p.15", "Rules p.17", "Rules p.20", "Rules p.23",
         "Rules p.25", "Rules p.28(1)", "Rules p.28(2)", "Rules p.31", "Rules p.37", "Rules p.39",
         "Rules p.40", "Rules p.42"}
    )
    assert len([limit for limit in limits if limit.citation.provision == "Rules p.28(1)"]) == 2
    assert not any(limit.indicative for limit in limits)
    p25 = next(limit for limit in limits if limit.id == "rules-p25-commission-protocol")
    assert p25.parameter is not None and p25.parameter.name == "rules_p25_days_unit"
    events = {event.id for event in read_event_definitions(read_document(DECREE))}
    assert {"announcement", "acceptance_closed", "akimat_request_registered", "commission_meeting"} <= events


def test_methodology_durations_are_indicative() -> None:
    # The methodology's time-limits.yaml drops the decree's limits and adds its own durations.
    limits = [limit for limit in load_pack("kz-2017-kiri-methodology").time_limits if limit.id.startswith("methodology-")]
    assert len(limits) == 6 and all(limit.indicative for limit in limits)
    timeline = compute_timeline(limits, [Event("announcement", D(2017, 4, 10)), Event("acceptance_closed", D(2017, 6, 8))])
    acceptance = by_id(timeline, "methodology-3-2-2-4-acceptance")
    assert acceptance.due_date == D(2017, 6, 12)  # 10 June 2017 is a Saturday
    assert acceptance.status == "on_time"
    assert by_id(timeline, "methodology-3-2-2-5-forwarding").due_date == D(2017, 6, 27)


def test_due_dates_of_a_2017_like_competition() -> None:
    timeline = compute_timeline(decree_limits(), competition_2017())
    assert by_id(timeline, "rules-p6-akimat-conclusion", "KRG-construction").due_date == D(2017, 5, 11)
    assert by_id(timeline, "rules-p15-completeness-check").due_date == D(2017, 6, 15)
    assert by_id(timeline, "rules-p17-priority-conclusions", "KRG-construction").due_date == D(2017, 6, 30)
    assert by_id(timeline, "rules-p20-expert-evaluation").due_date == D(2017, 8, 7)
    assert by_id(timeline, "rules-p23-protocol-to-commission").due_date == D(2017, 8, 15)
    # p.25: 3 calendar days from 30 Aug -> Sat 2 Sep, moved past Sunday 3 Sep to Monday 4 Sep
    assert by_id(timeline, "rules-p25-commission-protocol").due_date == D(2017, 9, 4)
    assert all(entry.warnings == [] for entry in timeline.entries)


def test_p5_sixty_day_rule_compares_the_announcement_with_the_close_day_itself() -> None:
    """8 June 2017 - 60 days = Sunday 9 April; the announcement on Monday 10 April was 59 days before.

    Rules p.5 («кемінде күнтізбелік 60 (алпыс) күн бұрын жарияланады»): publishing needs no
    working day, so the last permitted day is Sunday 9 April itself, not rolled (default)."""
    timeline = compute_timeline(decree_limits(), competition_2017())
    p5 = by_id(timeline, "rules-p5-announcement")
    assert (p5.due_date, p5.actual_date, p5.status) == (D(2017, 4, 9), D(2017, 4, 10), "late")
    assert (p5.late_working_days, p5.late_calendar_days) == (1, 1)
    # exactly 60 calendar days before, on a Sunday: on time (rolling to Friday made it late)
    events = [e if e.event != "announcement" else Event("announcement", D(2017, 4, 9)) for e in competition_2017()]
    assert by_id(compute_timeline(decree_limits(), events), "rules-p5-announcement").status == "on_time"
    # the act-at-an-organisation reading rolls to the earlier working day: the same Sunday is late
    cautious = compute_timeline(decree_limits(), events, parameters={"rules_p5_rolling": "earlier_working_day"})
    entry = by_id(cautious, "rules-p5-announcement")
    assert (entry.due_date, entry.status, entry.late_calendar_days) == (D(2017, 4, 7), "late", 2)
    # the lenient reading (forward roll) accepts even the 59th day: the choice is a named parameter
    lenient = compute_timeline(decree_limits(), competition_2017(), parameters={"rules_p5_rolling": "next_working_day"})
    assert by_id(lenient, "rules-p5-announcement").status == "on_time"


def test_late_step_is_reported_with_its_delay() -> None:
    events = competition_2017()
    events[5] = Event("akimat_conclusion_issued", D(2017, 5, 29), "ALA-furniture")  # due Monday 22 May
    timeline = compute_timeline(decree_limits(), events)
    late = by_id(timeline, "rules-p6-akimat-conclusion", "ALA-furniture")
    assert (late.due_date, late.status) == (D(2017, 5, 22), "late")
    assert (late.late_working_days, late.late_calendar_days) == (5, 7)
    assert by_id(timeline, "rules-p6-akimat-conclusion", "KRG-construction").status == "on_time"
    assert [(e.limit_id, e.application_id) for e in timeline.late] == [
        ("rules-p5-announcement", None),
        ("rules-p6-akimat-conclusion", "ALA-furniture"),
    ]


def test_pending_and_not_started_steps() -> None:
    timeline = compute_timeline(decree_limits(), competition_2017())
    pending = by_id(timeline, "rules-p25-commission-protocol")
    assert pending.status == "pending" and pending.actual_date is None
    assert by_id(timeline, "rules-p17-priority-conclusions", "ALA-furniture").status == "not_started"
    assert by_id(timeline, "rules-p31-completeness-check").status == "not_started"
    assert by_id(timeline, "rules-p31-completeness-check").due_date is None


def test_completed_dates_and_the_p25_parameter() -> None:
    completed = {"rules-p25-commission-protocol": D(2017, 9, 4)}
    timeline = compute_timeline(decree_limits(), competition_2017(), completed=completed)
    assert by_id(timeline, "rules-p25-commission-protocol").status == "on_time"
    working = compute_timeline(
        decree_limits(), competition_2017(), parameters={"rules_p25_days_unit": "working_days"}
    )
    entry = by_id(working, "rules-p25-commission-protocol")
    # 3 working days after 30 Aug 2017: 31 Aug, (1 Sep Kurban Ait, weekend), 4 Sep, 5 Sep
    assert (entry.unit.value, entry.due_date) == ("working_days", D(2017, 9, 5))
    with pytest.raises(UsageError):
        compute_timeline(decree_limits(), [], parameters={"rules_p25_days_unit": "weeks"})
    with pytest.raises(UsageError):
        compute_timeline(decree_limits(), [], parameters={"no_such_parameter": "x"})


def test_entry_into_force_and_months() -> None:
    events = [Event("decree_published", D(2015, 7, 20)), Event("competition_failed", D(2017, 6, 30))]
    timeline = compute_timeline(decree_limits(), events)
    in_force = by_id(timeline, "decree-p2-entry-into-force")
    assert (in_force.due_date, in_force.status) == (D(2015, 7, 31), "computed")
    assert by_id(timeline, "rules-p42-reannouncement").due_date == D(2017, 8, 31)


def test_estimated_years_are_flagged_in_the_timeline() -> None:
    timeline = compute_timeline(decree_limits(), [Event("acceptance_closed", D(2026, 5, 20))])
    p15 = by_id(timeline, "rules-p15-completeness-check")
    assert {w.code for w in p15.warnings} == {"estimated_islamic_date", "transfers_not_published"}
    assert {(w.year, w.code) for w in timeline.warnings} == {
        (2026, "estimated_islamic_date"),
        (2026, "transfers_not_published"),
    }
    assert "2026: estimated_islamic_date" in timeline.to_rows()[3]["warnings"]


def test_bad_events_raise() -> None:
    with pytest.raises(InputError):
        compute_timeline(decree_limits(), [Event("acceptance_closed", D(2017, 6, 8)), Event("acceptance_closed", D(2017, 6, 9))])
    with pytest.raises(InputError):
        compute_timeline(decree_limits(), [Event("announcement", "2017-04-10")])  # type: ignore[arg-type]
    with pytest.raises(InputError):
        compute_timeline(decree_limits(), [("announcement", D(2017, 4, 10))])


def test_rule_pack_errors_are_located() -> None:
    text = DECREE.read_text("utf-8").replace("    unit: working_days\n", "    unit: work_days\n", 1)
    with pytest.raises(RulePackError) as error:
        read_time_limits(parse_yaml(text, "time-limits.yaml"))
    assert error.value.location.file == "time-limits.yaml" and error.value.location.line is not None
    text = DECREE.read_text("utf-8").replace("end_event: concepts_evaluated", "end_event: concepts_scored", 1)
    with pytest.raises(RulePackError) as error:
        read_time_limits(parse_yaml(text, "time-limits.yaml"))
    assert error.value.code == "unknown_event"
    text = DECREE.read_text("utf-8").replace("id: rules-p15-completeness-check", "id: rules-p6-akimat-conclusion", 1)
    with pytest.raises(RulePackError) as error:
        read_time_limits(parse_yaml(text, "time-limits.yaml"))
    assert error.value.code == "duplicate_id"


# --------------------------------------------------------------------------- exports


def test_rows_and_markdown() -> None:
    timeline = compute_timeline(decree_limits(), competition_2017())
    rows = timeline.to_rows("ru")
    assert rows[1]["limit"] == "rules-p5-announcement" and rows[1]["due"] == "2017-04-09"
    assert rows[1]["title"].startswith("Объявление")
    markdown = timeline.to_markdown()
    assert markdown.splitlines()[0].startswith("| limit | application |")
    assert len(markdown.splitlines()) == len(rows) + 2


def _unfold(data: bytes) -> list[str]:
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")


def test_ics_is_valid_and_deterministic() -> None:
    style = load_pack("kz-2015-decree-535").citation_style  # provisions as the act writes them in Kazakh
    first = compute_timeline(decree_limits(), competition_2017()).to_ics("kk", style=style)
    second = compute_timeline(decree_limits(), list(competition_2017())).to_ics("kk", style=style)
    assert first == second
    assert first.endswith(b"\r\n") and b"\n" not in first.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in first.split(b"\r\n"))
    lines = _unfold(first)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    events = lines.count("BEGIN:VEVENT")
    assert events == lines.count("END:VEVENT") == sum(
        1 for e in compute_timeline(decree_limits(), competition_2017()).entries if e.due_date
    )
    uids = [line for line in lines if line.startswith("UID:")]
    assert len(set(uids)) == len(uids)
    assert "UID:rules-p6-akimat-conclusion--KRG-construction@clusterpolicy" in uids
    assert "DTSTART;VALUE=DATE:20170409" in lines
    assert set(line for line in lines if line.startswith("DTSTAMP:")) == {"DTSTAMP:20170830T000000Z"}
    description = next(line for line in lines if line.startswith("DESCRIPTION:Қағидалардың 5-тармағы"))
    assert "\\," in description and "\\n" in description
    summary = next(line for line in lines if line.startswith("SUMMARY:Қағидалардың 5-тармағы"))
    assert "кемінде" in summary  # Kazakh text folded without splitting a character


def test_ics_escaping_and_folding() -> None:
    assert _fold("A" * 75) == b"A" * 75 + b"\r\n"
    folded = _fold("S:" + "ж" * 80)
    assert all(len(part) <= 75 for part in folded.split(b"\r\n"))
    assert folded.replace(b"\r\n ", b"").decode("utf-8") == "S:" + "ж" * 80 + "\r\n"
    timeline = compute_timeline(
        decree_limits(), [Event("akimat_request_registered", D(2017, 5, 2), "A;B,C\\D")]
    )
    lines = _unfold(timeline.to_ics())
    assert "UID:rules-p6-akimat-conclusion--A%3BB%2CC%5CD@clusterpolicy" in lines
    assert any(line.startswith("SUMMARY:") and line.endswith("[A\\;B\\,C\\\\D]") for line in lines)


def test_ics_text_has_no_control_characters_and_a_lone_cr_is_a_line_break():
    from clusterpolicy.procedure.timeline import _escape

    escaped = _escape("a\rb\x1b[2Jc\x00d\te,f;g\r\nh")
    assert escaped == "a\\nb[2Jcd\te\\,f\\;g\\nh"
    assert not any(ord(char) < 32 and char != "\t" for char in escaped)


@pytest.mark.parametrize("text", ["x" * 200_003, "ж" * 100_001, "x" + "ә" * 77])
def test_ics_folding_keeps_every_octet_and_lines_short(text):
    """Folding is linear now (it copied the rest of the line for each piece); what it writes is the same."""
    folded = _fold(text)
    lines = folded.split(b"\r\n")
    assert lines[-1] == b""
    assert all(len(line) <= 75 for line in lines)
    assert b"".join(line[1:] if index else line for index, line in enumerate(lines)).decode("utf-8") == text
