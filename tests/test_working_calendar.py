"""The Kazakh working calendar: known days from the acts, overrides, warnings, errors.

The expected values below come from the acts on holidays and transfers of days off (or the
official reports of them), never from the `holidays` package under test. Sources:

- Law "On holidays in the Republic of Kazakhstan" art. 5: when a day off coincides with a
  holiday, the next working day is a day off.
- Labour Code art. 84(5): 7 January (Orthodox Christmas) and the first day of Kurban Ait are
  days off and are not moved. Art. 85(3): days off are transferred by the Government (until
  2023) or the authorized labour body (since 2024).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from clusterpolicy import CalendarError, UsageError, WorkingCalendar, default_calendar, is_working_day
from clusterpolicy.core.sources import parse_yaml
from clusterpolicy.calendar.working_calendar import (
    CalendarOverride,
    load_calendar_override,
    read_calendar_override,
    shipped_override,
)

ROOT = Path(__file__).resolve().parents[1]
D = dt.date

# (day, is a working day, source)
KNOWN_DAYS = [
    # New Year: 1 and 2 January are holidays (Law "On holidays" art. 3).
    (D(2025, 1, 1), False, "Law 'On holidays' art. 3; Ministry of Labour calendar, Kursiv 23.12.2024"),
    (D(2025, 1, 2), False, "Law 'On holidays' art. 3; Kursiv 23.12.2024"),
    # New Year 2017 on a Sunday: the day off moves to Tuesday 3 January (art. 5).
    (D(2017, 1, 3), False, "Ministry of Health and Social Development, KazTAG/Nur.kz 09.12.2016"),
    # Orthodox Christmas on a Saturday is not moved (Labour Code art. 84(5)): Monday 9 Jan 2017 works.
    (D(2017, 1, 7), False, "Labour Code art. 84(5); Tengrinews, 'В январе казахстанцы отдохнут 11 дней' (2016)"),
    (D(2017, 1, 9), True, "Labour Code art. 84(5) - 7 January is not moved; Tengrinews (2016)"),
    # Transfer 2025: day off from Sunday 5 January to Friday 3 January (Minister of Labour's order).
    (D(2025, 1, 3), False, "Order of the Minister of Labour (adilet G24G0000436); energy-city.kz, 11.2024"),
    (D(2025, 1, 5), True, "Same order: Sunday 5 January 2025 is a working day; Kursiv 23.12.2024"),
    (D(2025, 1, 7), False, "Labour Code art. 84(5): Orthodox Christmas, Tuesday 7 January 2025"),
    # Transfer 2016: Saturday 5 March works, Monday 7 March off (Government decree, P1600000067).
    (D(2016, 3, 5), True, "Government decree of Feb 2016 (adilet P1600000067); KazTAG/zona.kz 15.02.2016"),
    (D(2016, 3, 7), False, "Government decree of Feb 2016 (adilet P1600000067); KazTAG/zona.kz 15.02.2016"),
    # Nauryz: 21-23 March; in 2019 23 March was a Saturday, so Monday 25 March was off (art. 5).
    (D(2016, 3, 21), False, "Law 'On holidays' art. 3 (Nauryz 21-23 March); vkurse.kz 2016"),
    (D(2016, 3, 23), False, "Law 'On holidays' art. 3; vkurse.kz 2016"),
    (D(2016, 3, 24), True, "Thursday after Nauryz 2016; vkurse.kz 2016"),
    (D(2019, 3, 25), False, "Law 'On holidays' art. 5; kokshetau.online, calendar for 2019"),
    # Transfer 2017: Saturdays 18 March and 1 July work; Monday 20 March and Friday 7 July off.
    (D(2017, 3, 18), True, "Government decree (adilet P1700000005) p.1, quoted by Zakon.kz"),
    (D(2017, 3, 20), False, "Government decree (adilet P1700000005) p.1, quoted by Zakon.kz"),
    (D(2017, 7, 1), True, "Government decree (adilet P1700000005) p.1, quoted by Zakon.kz"),
    (D(2017, 7, 7), False, "Government decree (adilet P1700000005) p.1, quoted by Zakon.kz"),
    # Kurban Ait 2017 on Friday 1 September (Labour Code art. 84(5)); Thursday 31 August works.
    (D(2017, 9, 1), False, "Labour Code art. 84(5); Kazinform/inbusiness.kz 2017"),
    (D(2017, 8, 31), True, "Kazinform/inbusiness.kz 2017: no transfer around Constitution Day 2017"),
    # May holidays 2024: day off moved from Saturday 4 May to Wednesday 8 May (Minister's order).
    (D(2024, 5, 4), True, "Order of the Minister of Labour, Sputnik Kazakhstan 18.04.2024"),
    (D(2024, 5, 7), False, "Law 'On holidays': Defender of the Fatherland Day; Sputnik 18.04.2024"),
    (D(2024, 5, 8), False, "Order of the Minister of Labour, Sputnik Kazakhstan 18.04.2024"),
    (D(2024, 5, 9), False, "Law 'On holidays': Victory Day"),
    # Kurban Ait 2024 fell on Sunday 16 June; Monday 17 June stayed a working day.
    (D(2024, 6, 17), True, "Ministry of Labour statement of 07.06.2024 (alau.kz); Labour Code art. 84(5)"),
    # May holidays 2025: no transfer, Thursday 8 May 2025 is a working day.
    (D(2025, 5, 8), True, "Ministry of Labour's answer to Informburo.kz (2025)"),
    # Capital Day 2023: Saturday 1 July works, Friday 7 July off (Government decree, 2023).
    (D(2023, 7, 1), True, "Government decree (adilet P2300000326); Forbes.kz 28.04.2023"),
    (D(2023, 7, 7), False, "Government decree (adilet P2300000326); Forbes.kz 28.04.2023"),
    # Constitution Day 2018: Saturday 25 August works, Friday 31 August off.
    (D(2018, 8, 25), True, "Government decree (adilet P1700000864); mgorod.kz 27.07.2018"),
    (D(2018, 8, 31), False, "Government decree (adilet P1700000864); mgorod.kz 27.07.2018"),
    # Independence Day: 16 December only since 2022; Wednesday 17 December 2025 works.
    (D(2025, 12, 16), False, "Law 'On holidays'; Zakon.kz 24.11.2025 (no transfers in December 2025)"),
    (D(2025, 12, 17), True, "Zakon.kz 24.11.2025: only 16 December is a day off"),
    (D(2016, 12, 19), False, "Law 'On holidays' art. 5: 17 December 2016 (Saturday) moves to Monday 19"),
    # 2026: 30 August is no longer Constitution Day (new Constitution), so Monday 31 August works.
    (D(2026, 8, 31), True, "Ministry of Labour and Social Protection, Taspanews 18.03.2026"),
    (D(2026, 3, 9), False, "Law 'On holidays' art. 5: 8 March 2026 is a Sunday; Kazinform 02.01.2026"),
    (D(2026, 3, 24), False, "Nauryz 21-22 March 2026 on a weekend, moved to 24-25 March; Kazinform 02.01.2026"),
    (D(2026, 3, 25), False, "Kazinform 02.01.2026 (egov.kz calendar for 2026)"),
    (D(2026, 5, 11), False, "Victory Day on Saturday 9 May 2026, moved to Monday 11 May; Kazinform 02.01.2026"),
    (D(2026, 10, 26), False, "Republic Day on Sunday 25 October 2026, moved to Monday 26; Kazinform 02.01.2026"),
    (D(2026, 1, 5), True, "alau.kz 19.11.2025: 5-6 January 2026 are working days"),
]


@pytest.mark.parametrize(("day", "working", "source"), KNOWN_DAYS, ids=[str(case[0]) for case in KNOWN_DAYS])
def test_known_days_from_the_acts(day: dt.date, working: bool, source: str) -> None:
    assert is_working_day(day) is working, source


def test_at_least_fifteen_known_cases() -> None:
    assert len(KNOWN_DAYS) >= 15


def test_shipped_override_pins_the_acts_and_holidays_agrees_with_it() -> None:
    """Every pinned day gives the same answer without the shipped file (holidays 0.109 agrees)."""
    override = shipped_override()
    plain = WorkingCalendar.kazakhstan(include_shipped=False)
    pinned = [(e.date, False) for e in override.add_days_off] + [(e.date, True) for e in override.remove_days_off]
    pinned += [(e.date, True) for e in override.working_weekend_days]
    assert len(pinned) >= 15
    for day, working in pinned:
        assert default_calendar().is_working_day(day) is working, day
        if day.weekday() < 5 or working:
            assert plain.is_working_day(day) is working, f"holidays disagrees with the act on {day}"


def test_an_override_wins_over_the_base_calendar() -> None:
    """A calendar drawn up in October 2023 had Kurban Ait on 17 June 2024; the example corrects it."""
    published_2023 = CalendarOverride.model_validate(
        {
            "add_days_off": [
                {
                    "date": "2024-06-17",
                    "reason": "Kurban Ait as first published",
                    "source": {"act": "Ministry of Labour calendar for 2024", "date": "2023-10-17"},
                }
            ]
        }
    )
    stale = WorkingCalendar.kazakhstan(published_2023, include_shipped=False, first_year=2023, last_year=2025)
    assert not stale.is_working_day(D(2024, 6, 17))
    assert stale.add_working_days(D(2024, 6, 14), 1) == D(2024, 6, 18)

    fixed = WorkingCalendar.kazakhstan(
        published_2023, ROOT / "examples" / "calendar-override.yaml", include_shipped=False, first_year=2023, last_year=2025
    )
    assert fixed.is_working_day(D(2024, 6, 17))
    assert fixed.add_working_days(D(2024, 6, 14), 1) == D(2024, 6, 17)


def test_a_working_weekend_day_from_an_override() -> None:
    override = CalendarOverride.model_validate(
        {"working_weekend_days": [{"date": "2030-06-01", "reason": "test", "source": {"act": "test", "date": None}}]}
    )
    calendar = WorkingCalendar.kazakhstan(override, first_year=2030, last_year=2030)
    assert calendar.is_working_day(D(2030, 6, 1))
    assert not default_calendar().is_working_day(D(2030, 6, 1))


def test_estimated_and_unknown_years_are_flagged() -> None:
    calendar = default_calendar()
    assert calendar.warnings_for(D(2017, 1, 1), D(2025, 12, 31)) == []
    codes = {(w.year, w.code) for w in calendar.warnings_for(D(2025, 12, 1), D(2026, 1, 10))}
    assert codes == {(2026, "estimated_islamic_date"), (2026, "transfers_not_published")}
    message = calendar.warnings_for(D(2027, 5, 1))[0].message
    assert "2027" in message.kk and "2027" in message.ru and "2027" in message.en


def test_a_confirmed_year_drops_its_warnings() -> None:
    override = CalendarOverride.model_validate(
        {"confirmed_years": [{"year": 2026, "source": {"act": "Ministry of Labour calendar for 2026", "date": "2026-01-02"}}]}
    )
    calendar = WorkingCalendar.kazakhstan(override, first_year=2025, last_year=2027)
    assert calendar.warnings_for(D(2026, 1, 1), D(2026, 12, 31)) == []
    assert calendar.warnings_for(D(2027, 1, 1)) != []


def test_dates_outside_the_calendar_raise() -> None:
    calendar = WorkingCalendar.kazakhstan(first_year=2020, last_year=2021)
    with pytest.raises(CalendarError) as error:
        calendar.is_working_day(D(2022, 1, 3))
    assert error.value.code == "outside_calendar"
    with pytest.raises(CalendarError):
        calendar.add_working_days(D(2021, 12, 30), 5)
    with pytest.raises(CalendarError):
        calendar.warnings_for(D(2019, 12, 31), D(2020, 1, 2))


def test_bad_arguments_raise_usage_errors() -> None:
    with pytest.raises(UsageError):
        is_working_day("2024-01-01")  # type: ignore[arg-type]
    with pytest.raises(UsageError):
        is_working_day(dt.datetime(2024, 1, 1, 12))  # a datetime is ambiguous: use its Almaty date
    with pytest.raises(UsageError):
        default_calendar().add_working_days(dt.datetime(2024, 1, 3), 1)
    with pytest.raises(UsageError):
        default_calendar().add_working_days(D(2024, 1, 1), 1.5)  # type: ignore[arg-type]
    with pytest.raises(UsageError):
        WorkingCalendar.kazakhstan(first_year=2030, last_year=2020)


def _override(text: str) -> CalendarOverride:
    return read_calendar_override(parse_yaml(text, "override.yaml"))


def test_override_errors_are_located() -> None:
    with pytest.raises(CalendarError) as error:
        _override(
            "working_weekend_days:\n"
            "  - date: 2024-06-17\n"
            "    reason: a Monday\n"
            "    source: {act: x, date: 2024-01-01}\n"
        )
    assert error.value.code == "not_a_weekend_day"
    assert error.value.location.line == 2

    with pytest.raises(CalendarError) as error:
        _override("add_days_off:\n  - date: 2024-06-17\n    reason: x\n    sourse: {act: x, date: null}\n")
    assert error.value.location.line is not None
    assert any("sourse" in str(detail.location) for detail in error.value.details)

    with pytest.raises(CalendarError) as error:
        _override(
            "add_days_off:\n  - {date: 2024-06-18, reason: x, source: {act: x, date: null}}\n"
            "remove_days_off:\n  - {date: 2024-06-18, reason: y, source: {act: y, date: null}}\n"
        )
    assert error.value.code == "duplicate_date" and error.value.location.line == 4


def test_override_file_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("add_days_off:\n  - date: 2024-02-30\n    reason: x\n    source: {act: x, date: null}\n", "utf-8")
    with pytest.raises(CalendarError) as error:
        load_calendar_override(path)
    assert str(path) in str(error.value)
    with pytest.raises(CalendarError):
        WorkingCalendar.kazakhstan(tmp_path / "missing.yaml")


def test_override_outside_the_calendar_years_raises() -> None:
    override = CalendarOverride.model_validate(
        {"add_days_off": [{"date": "2050-01-03", "reason": "x", "source": {"act": "x", "date": None}}]}
    )
    with pytest.raises(CalendarError):
        WorkingCalendar.kazakhstan(override)


def test_example_override_file_is_valid() -> None:
    override = load_calendar_override(ROOT / "examples" / "calendar-override.yaml")
    assert [e.date for e in override.remove_days_off] == [D(2024, 6, 17)]
    assert override.remove_days_off[0].source.date == D(2024, 6, 7)


# --------------------------------------------------------------------------- edges and error codes
# Added for mutation testing (docs/mutation-testing.md): the first and last day of a calendar,
# terms that run off either end, and the stable error codes callers rely on.


def _weekdays_2017(**options) -> WorkingCalendar:
    start = D(2017, 1, 1)
    working = [(start + dt.timedelta(days=i)).weekday() < 5 for i in range(365)]
    return WorkingCalendar(working, 2017, {}, **options)


def test_custom_calendar_spans_exactly_its_days():
    calendar = _weekdays_2017()
    assert (calendar.first_day, calendar.last_day) == (D(2017, 1, 1), D(2017, 12, 31))
    assert calendar.name == "custom" and repr(calendar) == "WorkingCalendar(custom, 2017-01-01..2017-12-31)"
    assert _weekdays_2017(name="test").name == "test"
    assert calendar.covers(D(2017, 1, 1)) and calendar.covers(D(2017, 12, 31))
    assert not calendar.covers(D(2016, 12, 31)) and not calendar.covers(D(2018, 1, 1))
    assert calendar.is_working_day(D(2017, 1, 2)) and not calendar.is_working_day(D(2017, 1, 1))
    assert calendar.is_working_day(D(2017, 12, 29)) and not calendar.is_working_day(D(2017, 12, 31))
    for outside in (D(2016, 12, 31), D(2018, 1, 1)):
        with pytest.raises(CalendarError) as caught:
            calendar.is_working_day(outside)
        assert caught.value.code == "outside_calendar"
        assert "outside the working calendar (2017-01-01..2017-12-31)" in caught.value.message


def test_terms_reaching_the_first_and_last_working_day():
    calendar = _weekdays_2017()
    first, last = D(2017, 1, 2), D(2017, 12, 29)
    assert calendar.add_working_days(D(2017, 1, 1), 1) == first
    assert calendar.add_working_days(D(2017, 1, 3), -1) == first
    assert calendar.add_working_days(D(2017, 1, 1), 0) == first
    assert calendar.previous_working_day(D(2017, 1, 2)) == first
    assert calendar.add_working_days(D(2017, 12, 28), 1) == last
    assert calendar.next_working_day(D(2017, 12, 29)) == last
    assert calendar.add_working_days(last, 0) == last
    assert calendar.add_working_days_many([D(2017, 12, 28), D(2017, 1, 1)], [1, 1]) == [last, first]
    for call in (
        lambda: calendar.add_working_days(last, 1),
        lambda: calendar.add_working_days(D(2017, 12, 30), 1),
        lambda: calendar.add_working_days(first, -1),
        lambda: calendar.previous_working_day(D(2017, 1, 1)),
        lambda: calendar.next_working_day(D(2017, 12, 30)),
    ):
        with pytest.raises(CalendarError) as caught:
            call()
        assert caught.value.code == "outside_calendar"
        assert caught.value.message == "the term runs outside the working calendar (2017-01-01..2017-12-31)"


def test_working_days_between_at_the_edges():
    calendar = _weekdays_2017()
    assert calendar.working_days_between(D(2017, 1, 1), D(2017, 12, 31)) == 260
    assert calendar.working_days_between(D(2017, 12, 31), D(2017, 1, 1)) == -260


def test_error_codes_and_messages_of_bad_arguments():
    calendar = _weekdays_2017()
    cases = [
        (lambda: calendar.is_working_day(dt.datetime(2017, 1, 2)), "not_a_date", "day must be a datetime.date (got datetime)"),
        (lambda: calendar.add_working_days("2017-01-02", 1), "not_a_date", "start must be a datetime.date (got str)"),
        (lambda: calendar.working_days_between(D(2017, 1, 2), None), "not_a_date", "end must be a datetime.date (got NoneType)"),
        (lambda: calendar.add_working_days(D(2017, 1, 2), True), "not_an_integer", "the number of days must be an integer (got True)"),
        (lambda: calendar.add_working_days(D(2017, 1, 2), 1.0), "not_an_integer", "the number of days must be an integer (got 1.0)"),
        (lambda: calendar.add_working_days_many([D(2017, 1, 2)], [1, 2]), "length_mismatch", "1 start dates but 2 counts"),
        (lambda: WorkingCalendar.kazakhstan(first_year=1990, last_year=2000), "bad_years", "invalid year range 1990..2000 (1991..2100 allowed)"),
        (lambda: WorkingCalendar.kazakhstan(first_year=2000, last_year=2101), "bad_years", "invalid year range 2000..2101 (1991..2100 allowed)"),
        (lambda: WorkingCalendar.kazakhstan(first_year=2001, last_year=2000), "bad_years", "invalid year range 2001..2000 (1991..2100 allowed)"),
    ]
    for call, code, message in cases:
        with pytest.raises(UsageError) as caught:
            call()
        assert (caught.value.code, caught.value.message) == (code, message)


def test_resolve_calendar_refuses_other_objects():
    from clusterpolicy.calendar.working_calendar import resolve_calendar

    assert resolve_calendar(None) is default_calendar()
    calendar = _weekdays_2017()
    assert resolve_calendar(calendar) is calendar
    with pytest.raises(UsageError) as caught:
        resolve_calendar("KZ")
    assert (caught.value.code, caught.value.message) == ("not_a_calendar", "calendar must be a WorkingCalendar (got str)")


def test_kazakhstan_calendar_of_the_extreme_years():
    early = WorkingCalendar.kazakhstan(first_year=1991, last_year=1991)
    late = WorkingCalendar.kazakhstan(first_year=2100, last_year=2100)
    assert (early.first_day, early.last_day, early.name) == (D(1991, 1, 1), D(1991, 12, 31), "KZ")
    assert (late.first_day, late.last_day) == (D(2100, 1, 1), D(2100, 12, 31))
    assert not early.is_working_day(D(1991, 1, 1)) and early.is_working_day(D(1991, 1, 3))


def test_kazakhstan_calendar_boundaries_of_its_days():
    calendar = WorkingCalendar.kazakhstan(first_year=2017, last_year=2018)
    assert (calendar.first_day, calendar.last_day) == (D(2017, 1, 1), D(2018, 12, 31))
    assert calendar.is_working_day(D(2018, 12, 31)) is False  # a transferred day off (Government decree)
    assert calendar.is_working_day(D(2018, 12, 29)) is True  # the Saturday worked in its place
    assert calendar.is_working_day(D(2017, 1, 4)) is True
    with pytest.raises(CalendarError):
        calendar.is_working_day(D(2019, 1, 1))


def test_warnings_cover_exactly_the_uncertain_years():
    from holidays.countries.kazakhstan import KazakhstanStaticHolidays

    known = max(KazakhstanStaticHolidays.special_public_holidays)
    calendar = WorkingCalendar.kazakhstan(first_year=known, last_year=known + 1)
    codes = calendar.uncertain_years()
    assert "transfers_not_published" not in codes.get(known, ())
    assert "transfers_not_published" in codes[known + 1]
    assert set(codes) <= {known, known + 1}
    warnings = calendar.warnings_for(D(known + 1, 3, 1))
    assert [w.year for w in warnings] == [known + 1] * len(warnings)
    for warning in warnings:
        for lang in ("kk", "ru", "en"):
            assert str(known + 1) in warning.message.get(lang)
    assert calendar.warnings_for(D(known, 3, 1), D(known, 4, 1)) == [
        w for w in calendar.warnings_for(D(known, 3, 1)) if w.year == known
    ]


def _override_document(sections: dict) -> object:
    """An override document whose entries borrow the shipped file's source, with lines."""
    import yaml

    source = shipped_override().add_days_off[0].source.model_dump(mode="json")
    data = {name: [{"date": day, "reason": "test", "source": source} for day in days] for name, days in sections.items()}
    return parse_yaml(yaml.safe_dump(data, sort_keys=False, default_flow_style=None), "o.yaml", error=CalendarError)


def test_override_problems_are_located_with_their_reason():
    with pytest.raises(CalendarError) as caught:
        read_calendar_override(_override_document({"working_weekend_days": [D(2017, 6, 5)]}))
    assert caught.value.code == "not_a_weekend_day"
    assert caught.value.message.startswith("2017-06-05 is a Monday: a working weekend day must be a Saturday or a Sunday")
    assert caught.value.location.path == ("working_weekend_days", 0, "date")
    document = _override_document({"add_days_off": [D(2017, 6, 5)], "remove_days_off": [D(2017, 6, 5)]})
    with pytest.raises(CalendarError) as caught:
        read_calendar_override(document)
    assert caught.value.code == "duplicate_date"
    assert caught.value.message == "2017-06-05 is listed twice (also in add_days_off)"
    assert caught.value.location.path == ("remove_days_off", 0, "date")
    assert caught.value.location.line == document.line_of(("remove_days_off", 0, "date"))


def test_shipped_override_names_its_file():
    from clusterpolicy.calendar.working_calendar import SHIPPED_OVERRIDE

    assert shipped_override().model_dump() == load_calendar_override(ROOT / "rules" / SHIPPED_OVERRIDE).model_dump()


def _override_of(**sections):
    source = shipped_override().add_days_off[0].source
    return CalendarOverride.model_validate(
        {name: [{"date": day, "reason": "test", "source": source} for day in days] for name, days in sections.items()}
    )


def test_override_days_at_the_calendar_edges():
    first_day = _override_of(working_weekend_days=[D(2017, 1, 1)])
    calendar = WorkingCalendar.kazakhstan(first_day, first_year=2017, last_year=2017, include_shipped=False)
    assert calendar.is_working_day(D(2017, 1, 1)) is True
    last_day = _override_of(working_weekend_days=[D(2017, 12, 31)])
    assert WorkingCalendar.kazakhstan(last_day, first_year=2017, last_year=2017).is_working_day(D(2017, 12, 31)) is True
    for day in (D(2018, 1, 1), D(2016, 12, 31)):
        with pytest.raises(CalendarError) as caught:
            WorkingCalendar.kazakhstan(_override_of(add_days_off=[day]), first_year=2017, last_year=2017)
        assert caught.value.code == "outside_calendar"
        assert caught.value.message.startswith(
            f"the day {day.isoformat()} of this calendar override is outside the years the working calendar covers (2017 to 2017)"
        )


def test_removing_a_holiday_on_a_saturday_leaves_a_day_off():
    """2 January 2016 was a Saturday: removing the holiday does not make a weekend day a working day."""
    calendar = WorkingCalendar.kazakhstan(_override_of(remove_days_off=[D(2016, 1, 2)]), first_year=2016, last_year=2016)
    assert calendar.is_working_day(D(2016, 1, 2)) is False
    weekday = WorkingCalendar.kazakhstan(_override_of(remove_days_off=[D(2016, 5, 9)]), first_year=2016, last_year=2016)
    assert weekday.is_working_day(D(2016, 5, 9)) is True


def test_warning_texts_are_in_their_own_language():
    (warning, *_) = WorkingCalendar.kazakhstan(first_year=2029, last_year=2029).warnings_for(D(2029, 3, 1))
    assert "жыл" in warning.message.kk and "год" in warning.message.ru and "2029" in warning.message.en
    assert warning.message.kk != warning.message.en != warning.message.ru


def test_argument_names_in_range_questions():
    calendar = default_calendar()
    for call, message in [
        (lambda: calendar.warnings_for("2017-01-01"), "start must be a datetime.date (got str)"),
        (lambda: calendar.warnings_for(D(2017, 1, 1), "2017-01-02"), "end must be a datetime.date (got str)"),
        (lambda: calendar.working_days_between("2017-01-01", D(2017, 1, 2)), "start must be a datetime.date (got str)"),
    ]:
        with pytest.raises(UsageError) as caught:
            call()
        assert caught.value.message == message
