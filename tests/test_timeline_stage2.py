"""Stage-2 time limits of Decree 535 (p.31, p.37, p.39, p.40), due dates counted by hand.

November 2017 has no public holiday in Kazakhstan (Labour Code art. 84, Law "On holidays"
art. 5), so each term is plain Monday-Friday arithmetic, checked here against the calendar.
"""

from __future__ import annotations

import datetime as dt

import pytest

from clusterpolicy.input.decree535_form import ProcedureEvent
from clusterpolicy.packs import load_pack
from clusterpolicy.procedure.timeline import compute_timeline

D = dt.date
EVENTS = [
    ProcedureEvent(event="stage2_acceptance_closed", date=D(2017, 10, 27)),  # Friday
    ProcedureEvent(event="stage2_completeness_protocol_signed", date=D(2017, 11, 6)),  # 6th working day: late by 1
    ProcedureEvent(event="stage2_review_protocol_signed", date=D(2017, 11, 3)),  # Friday
    ProcedureEvent(event="stage2_protocol_sent_to_commission", date=D(2017, 11, 8)),
    ProcedureEvent(event="stage2_commission_meeting", date=D(2017, 11, 20)),  # Monday
    ProcedureEvent(event="commission_protocol_received", date=D(2017, 11, 24)),  # Friday
    ProcedureEvent(event="results_published", date=D(2017, 11, 30)),
]


@pytest.fixture(scope="module")
def timeline():
    return compute_timeline(load_pack("kz-2015-decree-535").time_limits, EVENTS)


def entry(timeline, limit_id):
    return next(e for e in timeline.entries if e.limit_id == limit_id)


@pytest.mark.parametrize(
    ("limit_id", "due", "status"),
    [
        # 5 working days after Fri 27 Oct: Mon 30, Tue 31, Wed 1, Thu 2, Fri 3 Nov.
        ("rules-p31-completeness-check", D(2017, 11, 3), "late"),
        # 3 working days after Fri 3 Nov: Mon 6, Tue 7, Wed 8.
        ("rules-p37-protocol-to-commission", D(2017, 11, 8), "on_time"),
        # 3 working days after Mon 20 Nov: Tue 21, Wed 22, Thu 23; protocol not yet sent.
        ("rules-p39-commission-protocol", D(2017, 11, 23), "pending"),
        # 3 working days after Fri 24 Nov: Mon 27, Tue 28, Wed 29; published on Thu 30.
        ("rules-p40-results-published", D(2017, 11, 29), "late"),
    ],
)
def test_stage2_due_dates(timeline, limit_id, due, status):
    found = entry(timeline, limit_id)
    assert (found.due_date, found.status) == (due, status)


def test_lateness_is_counted_in_working_and_calendar_days(timeline):
    p31 = entry(timeline, "rules-p31-completeness-check")
    assert (p31.late_working_days, p31.late_calendar_days) == (1, 3)
    p40 = entry(timeline, "rules-p40-results-published")
    assert (p40.late_working_days, p40.late_calendar_days) == (1, 1)
