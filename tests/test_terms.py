"""Legal terms: invariants (hypothesis), known terms, "at least N days before", cut-off times."""

from __future__ import annotations

import calendar as gregorian
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterpolicy import (
    UsageError,
    add_calendar_days,
    add_months,
    add_working_days,
    default_calendar,
    is_on_time,
    is_working_day,
    latest_date_before,
    working_days_between,
)
from clusterpolicy.calendar.terms import ALMATY, Rolling, Unit, cutoff, due_date, shift_months, term_end

D = dt.date
days = st.dates(min_value=D(2001, 1, 1), max_value=D(2039, 6, 30))
counts = st.integers(min_value=0, max_value=250)


# --------------------------------------------------------------------------- invariants


@given(days, st.integers(min_value=1, max_value=250))
def test_working_day_term_ends_on_a_working_day_after_exactly_n(start: dt.date, n: int) -> None:
    end = add_working_days(start, n)
    assert is_working_day(end)
    assert end > start
    assert working_days_between(start, end) == n
    # counted by hand: working days in (start, end]
    day, counted = start, 0
    while day < end:
        day += dt.timedelta(days=1)
        counted += is_working_day(day)
    assert counted == n


@given(days, counts, counts)
def test_working_day_term_is_monotone_in_n(start: dt.date, a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert add_working_days(start, low) <= add_working_days(start, high)
    # strictly later for more days; a term of 0 days from a day off ends on the next working day,
    # which is also the first working day after it (n = 1): the documented exception
    if low < high and (low > 0 or is_working_day(start)):
        assert add_working_days(start, low) < add_working_days(start, high)
    if low == 0 and not is_working_day(start):
        assert add_working_days(start, 0) == add_working_days(start, 1)


@given(days, st.integers(min_value=1, max_value=250))
def test_negative_n_counts_back(start: dt.date, n: int) -> None:
    before = add_working_days(start, -n)
    assert is_working_day(before) and before < start
    # the n-1 working days strictly between, plus the start itself if it is a working day
    assert working_days_between(before, start) == n - 1 + is_working_day(start)


@given(days, counts)
def test_calendar_day_term_never_ends_on_a_day_off(start: dt.date, n: int) -> None:
    end = add_calendar_days(start, n)
    assert is_working_day(end)
    assert end >= start + dt.timedelta(days=n)
    # only days off lie between the counted day and the end
    day = start + dt.timedelta(days=n)
    while day < end:
        assert not is_working_day(day)
        day += dt.timedelta(days=1)


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 12, 31)), st.integers(min_value=-600, max_value=600))
def test_months_keep_the_day_or_take_the_last_day(start: dt.date, n: int) -> None:
    end = shift_months(start, n)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == n
    last = gregorian.monthrange(end.year, end.month)[1]
    assert end.day == min(start.day, last)
    if start.day <= 28:
        assert end.day == start.day


@given(st.dates(min_value=D(2001, 1, 1), max_value=D(2038, 6, 30)), st.integers(min_value=0, max_value=24))
def test_month_term_ends_on_a_working_day(start: dt.date, n: int) -> None:
    end = add_months(start, n)
    assert is_working_day(end) and end >= shift_months(start, n)


@settings(max_examples=50)
@given(st.lists(days, max_size=30), st.integers(min_value=0, max_value=40))
def test_vectorised_call_matches_single_calls(starts: list[dt.date], n: int) -> None:
    assert default_calendar().add_working_days_many(starts, n) == [add_working_days(s, n) for s in starts]


@pytest.mark.slow
@given(st.dates(min_value=D(2002, 1, 1), max_value=D(2039, 12, 31)), st.integers(min_value=1, max_value=120))
def test_at_least_before_leaves_at_least_n_days(reference: dt.date, n: int) -> None:
    latest = latest_date_before(reference, n)
    assert is_working_day(latest)
    assert (reference - latest).days >= n


# --------------------------------------------------------------------------- known terms


def test_month_ends() -> None:
    assert shift_months(D(2017, 1, 31), 1) == D(2017, 2, 28)
    assert shift_months(D(2016, 1, 31), 1) == D(2016, 2, 29)
    assert shift_months(D(2017, 8, 31), 2) == D(2017, 10, 31)
    assert shift_months(D(2017, 3, 31), -1) == D(2017, 2, 28)
    # p.42: failed on 30 June 2017 -> 30 August 2017 is Constitution Day -> Thursday 31 August
    assert add_months(D(2017, 6, 30), 2) == D(2017, 8, 31)


def test_working_day_terms_across_holidays() -> None:
    # p.15 in 2017: acceptance closed Thursday 8 June -> 5 working days -> Thursday 15 June
    assert add_working_days(D(2017, 6, 8), 5) == D(2017, 6, 15)
    # across the May 2017 holidays (7 May Sunday -> 8 May off, 9 May Victory Day)
    assert add_working_days(D(2017, 5, 5), 1) == D(2017, 5, 10)
    # across the 2025 New Year: 5 January 2025 (Sunday) is a working day
    assert add_working_days(D(2024, 12, 31), 1) == D(2025, 1, 5)
    # n = 0: the start itself if working, else the next working day
    assert add_working_days(D(2017, 6, 8), 0) == D(2017, 6, 8)
    assert add_working_days(D(2017, 6, 10), 0) == D(2017, 6, 12)


def test_calendar_day_terms_move_forward() -> None:
    # p.20: 60 calendar days after 8 June 2017 -> Monday 7 August 2017 (a working day)
    assert add_calendar_days(D(2017, 6, 8), 60) == D(2017, 8, 7)
    # a term ending on Saturday 2 Sept 2017 moves past Sunday to Monday 4 Sept
    assert add_calendar_days(D(2017, 8, 30), 3) == D(2017, 9, 4)
    assert add_calendar_days(D(2017, 6, 8), 0) == D(2017, 6, 8)


def test_at_least_before_rolling_policies() -> None:
    # p.5 in 2017: close 8 June 2017 -> 60 days before = Sunday 9 April 2017
    assert latest_date_before(D(2017, 6, 8), 60) == D(2017, 4, 7)  # cautious default: Friday 7 April
    assert latest_date_before(D(2017, 6, 8), 60, rolling=Rolling.next_working_day) == D(2017, 4, 10)
    assert latest_date_before(D(2017, 6, 8), 60, rolling="no_rolling") == D(2017, 4, 9)
    # a working day needs no rolling
    assert latest_date_before(D(2017, 6, 9), 60) == D(2017, 4, 10)
    assert latest_date_before(D(2017, 6, 8), 3, Unit.working_days) == D(2017, 6, 5)
    assert latest_date_before(D(2017, 6, 12), 1, "months") == D(2017, 5, 12)
    # 8 May 2017 was a day off (Defender of the Fatherland Day moved from Sunday 7 May)
    assert latest_date_before(D(2017, 6, 8), 1, "months") == D(2017, 5, 5)


def test_due_date_carries_warnings_of_estimated_years() -> None:
    settled = due_date(D(2017, 6, 8), 5, Unit.working_days)
    assert settled.date == D(2017, 6, 15) and settled.warnings == []
    estimated = due_date(D(2025, 12, 25), 10, Unit.working_days)
    assert {w.code for w in estimated.warnings} == {"estimated_islamic_date", "transfers_not_published"}
    assert {w.year for w in estimated.warnings} == {2026}
    assert due_date(D(2017, 6, 8), 60, "calendar_days", before=True).date == D(2017, 4, 7)


def test_term_end_dispatches_on_the_unit() -> None:
    assert term_end(D(2017, 6, 8), 5, "working_days") == D(2017, 6, 15)
    assert term_end(D(2017, 6, 8), 60, Unit.calendar_days) == D(2017, 8, 7)
    assert term_end(D(2017, 6, 30), 2, Unit.months) == D(2017, 8, 31)


def test_bad_terms_raise() -> None:
    with pytest.raises(UsageError):
        add_calendar_days(D(2017, 6, 8), -1)
    with pytest.raises(UsageError):
        add_months(D(2017, 6, 8), -1)
    with pytest.raises(UsageError):
        term_end(D(2017, 6, 8), 3, "weeks")
    with pytest.raises(UsageError):
        latest_date_before(D(2017, 6, 8), 3, rolling="sideways")
    with pytest.raises(UsageError):
        add_working_days(D(2017, 6, 8), True)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- cut-off times


def test_cutoff_is_midnight_or_close_of_business_in_almaty() -> None:
    assert cutoff(D(2017, 6, 15)) == dt.datetime(2017, 6, 16, 0, 0, tzinfo=ALMATY)
    assert cutoff(D(2017, 6, 15), at_organisation=True) == dt.datetime(2017, 6, 15, 18, 0, tzinfo=ALMATY)
    assert cutoff(D(2017, 6, 15), at_organisation=True, close_of_business=dt.time(17, 30)).hour == 17


def test_submission_timestamps_judged_in_almaty_time() -> None:
    due = D(2017, 6, 15)
    utc = dt.timezone.utc
    # 2017: Almaty is UTC+6. 17:59 UTC = 23:59 Almaty on the due day: on time.
    assert is_on_time(dt.datetime(2017, 6, 15, 17, 59, tzinfo=utc), due)
    assert not is_on_time(dt.datetime(2017, 6, 15, 18, 0, tzinfo=utc), due)
    # at an organisation closing at 18:00: 12:30 UTC = 18:30 Almaty is late
    assert is_on_time(dt.datetime(2017, 6, 15, 11, 59, tzinfo=utc), due, at_organisation=True)
    assert not is_on_time(dt.datetime(2017, 6, 15, 12, 30, tzinfo=utc), due, at_organisation=True)
    # since 1 March 2024 Almaty is UTC+5: 18:30 UTC = 23:30 Almaty, on time
    assert is_on_time(dt.datetime(2024, 6, 17, 18, 30, tzinfo=utc), D(2024, 6, 17))
    assert not is_on_time(dt.datetime(2024, 6, 17, 19, 0, tzinfo=utc), D(2024, 6, 17))
    # an earlier day is always on time, whatever the hour
    assert is_on_time(dt.datetime(2017, 6, 14, 23, 0, tzinfo=ALMATY), due, at_organisation=True)


def test_naive_timestamps_are_refused() -> None:
    with pytest.raises(UsageError) as error:
        is_on_time(dt.datetime(2017, 6, 15, 12, 0), D(2017, 6, 15))
    assert error.value.code == "naive_datetime"
    with pytest.raises(UsageError):
        cutoff(D(2017, 6, 15), at_organisation=True, close_of_business=dt.time(18, tzinfo=dt.timezone.utc))


# --------------------------------------------------------------------------- edges, codes and the calendar passed in
# Added for mutation testing (docs/mutation-testing.md).


def _every_day_works():
    from clusterpolicy import WorkingCalendar

    return WorkingCalendar([True] * 365, 2017, {})


def test_every_term_uses_the_calendar_it_is_given():
    calendar = _every_day_works()
    sunday = D(2017, 6, 4)
    assert add_calendar_days(D(2017, 6, 3), 1, calendar=calendar) == sunday
    assert add_calendar_days(D(2017, 6, 3), 1) == D(2017, 6, 5)
    assert add_months(D(2017, 5, 4), 1, calendar=calendar) == sunday
    assert add_months(D(2017, 5, 4), 1) == D(2017, 6, 5)
    assert add_working_days(D(2017, 6, 2), 2, calendar=calendar) == sunday
    assert add_working_days(D(2017, 6, 2), 2) == D(2017, 6, 6)
    assert term_end(D(2017, 6, 3), 1, "calendar_days", calendar=calendar) == sunday
    assert latest_date_before(D(2017, 6, 5), 1, calendar=calendar) == sunday
    assert latest_date_before(D(2017, 6, 5), 1) == D(2017, 6, 2)
    assert latest_date_before(D(2017, 6, 5), 1, "working_days", calendar=calendar) == sunday
    assert is_working_day(sunday, calendar=calendar) and not is_working_day(sunday)
    assert working_days_between(D(2017, 6, 2), D(2017, 6, 5), calendar=calendar) == 3
    assert due_date(D(2017, 6, 3), 1, "calendar_days", calendar=calendar).date == sunday
    assert due_date(D(2017, 6, 5), 1, "calendar_days", before=True, calendar=calendar).date == sunday


def test_zero_terms():
    sunday = D(2017, 6, 4)
    assert latest_date_before(sunday, 0, "working_days") == D(2017, 6, 2)
    assert latest_date_before(D(2017, 6, 6), 0, "working_days") == D(2017, 6, 6)
    assert latest_date_before(sunday, 0) == D(2017, 6, 2)
    assert latest_date_before(sunday, 0, rolling="next_working_day") == D(2017, 6, 5)
    assert latest_date_before(sunday, 0, rolling="no_rolling") == sunday
    assert add_calendar_days(sunday, 0) == D(2017, 6, 5)
    assert add_months(sunday, 0) == D(2017, 6, 5)
    assert term_end(sunday, 0, "working_days") == D(2017, 6, 5)


@pytest.mark.parametrize(
    "call, code, message",
    [
        (lambda: add_calendar_days(D(2017, 6, 5), -1), "negative_term", "a term cannot be negative (use latest_date_before for 'N days before')"),
        (lambda: add_months(D(2017, 6, 5), -1), "negative_term", "a term cannot be negative (use latest_date_before for 'N months before')"),
        (lambda: term_end(D(2017, 6, 5), -1, "working_days"), "negative_term", "a term cannot be negative"),
        (lambda: term_end(D(2017, 6, 5), -1, "calendar_days"), "negative_term", "a term cannot be negative (use latest_date_before for 'N days before')"),
        (lambda: term_end(D(2017, 6, 5), -1, "months"), "negative_term", "a term cannot be negative (use latest_date_before for 'N months before')"),
        (lambda: latest_date_before(D(2017, 6, 5), -1), "negative_term", "the number of days before cannot be negative"),
        (lambda: shift_months(D(9999, 12, 1), 1), "bad_months", "1 months from 9999-12-01 is outside the Gregorian calendar"),
        (lambda: shift_months(D(1, 1, 31), -1), "bad_months", "-1 months from 0001-01-31 is outside the Gregorian calendar"),
        (lambda: add_calendar_days("2017-06-05", 1), "not_a_date", "start must be a datetime.date (got str)"),
        (lambda: shift_months(dt.datetime(2017, 6, 5), 1), "not_a_date", "start must be a datetime.date (got datetime)"),
        (lambda: latest_date_before(None, 1), "not_a_date", "reference must be a datetime.date (got NoneType)"),
        (lambda: cutoff("2017-06-05"), "not_a_date", "due must be a datetime.date (got str)"),
        (lambda: cutoff(D(2017, 6, 5), close_of_business=dt.time(18, tzinfo=ALMATY)), "bad_time",
         "close_of_business must be a naive datetime.time (local Almaty time)"),
        (lambda: cutoff(D(2017, 6, 5), close_of_business="18:00"), "bad_time",
         "close_of_business must be a naive datetime.time (local Almaty time)"),
        (lambda: is_on_time(dt.datetime(2017, 6, 5, 9), D(2017, 6, 5)), "naive_datetime",
         "submitted_at must be a timezone-aware datetime (a naive time is ambiguous: Kazakhstan changed from UTC+6 to UTC+5 on 1 March 2024)"),
        (lambda: term_end(D(2017, 6, 5), 1, "weeks"), "bad_unit", "unknown unit 'weeks' (use one of ['working_days', 'calendar_days', 'months'])"),
        (lambda: latest_date_before(D(2017, 6, 5), 1, rolling="later"), "bad_rolling",
         "unknown rolling policy 'later' (use one of ['earlier_working_day', 'next_working_day', 'no_rolling'])"),
    ],
)
def test_error_codes_and_messages(call, code, message):
    with pytest.raises(UsageError) as caught:
        call()
    assert (caught.value.code, caught.value.message) == (code, message)


def test_months_at_the_ends_of_the_gregorian_calendar():
    assert shift_months(D(9999, 11, 30), 1) == D(9999, 12, 30)
    assert shift_months(D(1, 2, 28), -1) == D(1, 1, 28)
    assert shift_months(D(2017, 1, 31), 1) == D(2017, 2, 28)
    assert shift_months(D(2016, 3, 31), -1) == D(2016, 2, 29)
    assert shift_months(D(2017, 12, 15), 1) == D(2018, 1, 15)


def test_close_of_business_is_the_organisations_cut_off():
    due = D(2017, 6, 8)
    five_pm = dt.time(17, 0)
    assert cutoff(due, at_organisation=True, close_of_business=five_pm) == dt.datetime(2017, 6, 8, 17, 0, tzinfo=ALMATY)
    at = dt.datetime(2017, 6, 8, 17, 30, tzinfo=ALMATY)
    assert is_on_time(at, due, at_organisation=True) is True
    assert is_on_time(at, due, at_organisation=True, close_of_business=five_pm) is False
    assert is_on_time(at, due, close_of_business=five_pm) is True
    assert is_on_time(dt.datetime(2017, 6, 8, 16, 59, 59, tzinfo=ALMATY), due, at_organisation=True, close_of_business=five_pm)


def test_due_date_before_keeps_its_unit_and_warns_for_every_year_it_spans():
    assert due_date(D(2017, 6, 5), 2, "working_days", before=True).date == D(2017, 6, 1)
    assert due_date(D(2017, 6, 5), 2, "calendar_days", before=True).date == D(2017, 6, 2)
    across = due_date(D(2026, 12, 25), 10, "working_days")
    assert across.date == D(2027, 1, 13)
    assert sorted({warning.year for warning in across.warnings}) == [2026, 2027]
    assert term_end(D(2017, 5, 4), 1, "months", calendar=_every_day_works()) == D(2017, 6, 4)


@pytest.mark.parametrize(
    ("call", "args"),
    [
        ("add_calendar_days", (dt.date.max, 1)),
        ("add_calendar_days", (dt.date(2017, 1, 1), 10**10)),
        ("latest_date_before", (dt.date.min, 5)),
        ("is_on_time", (dt.datetime(2017, 1, 1, tzinfo=dt.timezone.utc), dt.date.max)),
    ],
)
def test_terms_at_the_ends_of_the_calendar_raise_the_librarys_error(call, args):
    """They raised OverflowError, which no caller expects of the library."""
    import clusterpolicy
    from clusterpolicy.core.errors import CalendarError

    with pytest.raises(CalendarError, match="outside the Gregorian calendar"):
        getattr(clusterpolicy, call)(*args)


def test_almaty_comes_from_the_tzdata_package_and_knows_the_2024_change():
    """A host zone from before tzdata 2024a would shift a 2024 close by an hour."""
    from clusterpolicy.core.tz import ALMATY as ZONE, TZDATA_VERSION

    assert TZDATA_VERSION != "system" and TZDATA_VERSION >= "2024a"
    assert dt.datetime(2024, 2, 29, 12, tzinfo=ZONE).utcoffset() == dt.timedelta(hours=6)
    assert dt.datetime(2024, 3, 2, 12, tzinfo=ZONE).utcoffset() == dt.timedelta(hours=5)


def test_results_record_the_time_zone_data_they_were_computed_with():
    from clusterpolicy import evaluate
    from clusterpolicy.core.tz import TZDATA_VERSION
    from clusterpolicy.testing import valid_application

    result = evaluate(valid_application(), pack="kz-2015-decree-535")
    assert result.tzdata_version == TZDATA_VERSION and '"tzdata_version": "' + TZDATA_VERSION + '"' in result.to_json()
