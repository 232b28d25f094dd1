"""Bank holidays and working-day counts, checked against the calendar published on gov.uk."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.domain.workdays import add_working_days, bank_holidays, working_days_between

D = dt.date


def test_2026_bank_holidays_match_the_published_calendar():
    # gov.uk, England and Wales 2026; Boxing Day is a Saturday, so its substitute is Monday 28 Dec.
    assert bank_holidays(2026) == {
        D(2026, 1, 1),  # New Year's Day
        D(2026, 4, 3),  # Good Friday
        D(2026, 4, 6),  # Easter Monday
        D(2026, 5, 4),  # Early May bank holiday
        D(2026, 5, 25),  # Spring bank holiday
        D(2026, 8, 31),  # Summer bank holiday
        D(2026, 12, 25),  # Christmas Day
        D(2026, 12, 28),  # Boxing Day (substitute day)
    }


def test_2022_bank_holidays_include_the_jubilee_and_the_state_funeral():
    # gov.uk 2022: spring holiday moved to Thu 2 Jun, extra Fri 3 Jun, extra Mon 19 Sep; Christmas
    # on a Sunday moves to Tue 27 Dec because Boxing Day already holds Mon 26 Dec.
    assert bank_holidays(2022) == {
        D(2022, 1, 3),  # New Year's Day (substitute day; 1 Jan was a Saturday)
        D(2022, 4, 15),  # Good Friday
        D(2022, 4, 18),  # Easter Monday
        D(2022, 5, 2),  # Early May bank holiday
        D(2022, 6, 2),  # Spring bank holiday (moved)
        D(2022, 6, 3),  # Platinum Jubilee bank holiday
        D(2022, 8, 29),  # Summer bank holiday
        D(2022, 9, 19),  # State Funeral of Queen Elizabeth II
        D(2022, 12, 26),  # Boxing Day
        D(2022, 12, 27),  # Christmas Day (substitute day)
    }
    assert D(2022, 5, 30) not in bank_holidays(2022)  # the usual last Monday of May


def test_2020_early_may_bank_holiday_moved_to_ve_day():
    assert D(2020, 5, 8) in bank_holidays(2020)
    assert D(2020, 5, 4) not in bank_holidays(2020)


def test_2023_has_the_coronation_as_well_as_early_may():
    assert {D(2023, 5, 1), D(2023, 5, 8)} <= bank_holidays(2023)


def test_2012_diamond_jubilee_moved_the_spring_holiday():
    assert {D(2012, 6, 4), D(2012, 6, 5)} <= bank_holidays(2012)
    assert D(2012, 5, 28) not in bank_holidays(2012)


def test_weekend_christmas_and_boxing_day_are_substituted_in_order():
    # 2021: Christmas on Saturday → Mon 27; Boxing Day on Sunday → Tue 28.
    assert {D(2021, 12, 27), D(2021, 12, 28)} <= bank_holidays(2021)
    assert not {D(2021, 12, 25), D(2021, 12, 26)} & bank_holidays(2021)


def test_new_year_on_a_sunday_moves_to_monday():
    assert D(2017, 1, 2) in bank_holidays(2017)
    assert D(2017, 1, 1) not in bank_holidays(2017)


@pytest.mark.parametrize(
    ("year", "good_friday", "easter_monday"),
    [
        (2019, D(2019, 4, 19), D(2019, 4, 22)),
        (2024, D(2024, 3, 29), D(2024, 4, 1)),
        (2025, D(2025, 4, 18), D(2025, 4, 21)),
        (2027, D(2027, 3, 26), D(2027, 3, 29)),
    ],
)
def test_easter_holidays_follow_the_gregorian_computus(year, good_friday, easter_monday):
    assert {good_friday, easter_monday} <= bank_holidays(year)


def test_a_bank_holiday_free_range_counts_weekdays():
    # Mon 9 Nov 2026 → Mon 23 Nov 2026: 9–13 Nov (5) + 16–20 Nov (5) = 10; the end day is excluded.
    assert working_days_between(D(2026, 11, 9), D(2026, 11, 23)) == 10


def test_friday_to_the_next_monday_is_one_working_day():
    # Counts Fri 20 Nov only: Sat and Sun are not working days and Mon 23 is the end.
    assert working_days_between(D(2026, 11, 20), D(2026, 11, 23)) == 1


def test_easter_weekend_is_skipped():
    # Thu 2 Apr 2026 → Tue 7 Apr 2026: Thu 2 counts; Fri 3 (Good Friday), Sat, Sun and Mon 6
    # (Easter Monday) do not; Tue 7 is the end. = 1
    assert working_days_between(D(2026, 4, 2), D(2026, 4, 7)) == 1


def test_christmas_and_the_boxing_day_substitute_are_skipped_across_new_year():
    # Wed 23 Dec 2026 → Tue 5 Jan 2027 counts Wed 23, Thu 24, Tue 29, Wed 30, Thu 31 Dec and
    # Mon 4 Jan = 6; it skips Fri 25 Dec, Mon 28 Dec (Boxing Day substitute) and Fri 1 Jan 2027.
    assert working_days_between(D(2026, 12, 23), D(2027, 1, 5)) == 6


def test_the_2020_ve_day_move_changes_a_count():
    # Mon 4 May 2020 → Mon 11 May 2020: Mon 4 (an ordinary day that year), Tue 5, Wed 6, Thu 7 = 4;
    # Fri 8 May was the bank holiday.
    assert working_days_between(D(2020, 5, 4), D(2020, 5, 11)) == 4


def test_a_whole_year_of_working_days():
    # 2026 has 261 weekdays (52 weeks + Thu 31 Dec) and all 8 bank holidays fall on weekdays: 253.
    assert working_days_between(D(2026, 1, 1), D(2027, 1, 1)) == 253


def test_earlier_end_counts_negative():
    # Mon 23 Nov → Fri 20 Nov 2026 is minus (Fri 20 → Mon 23) = −1.
    assert working_days_between(D(2026, 11, 23), D(2026, 11, 20)) == -1
    # Tue 7 Apr → Thu 2 Apr 2026 is minus the Easter count above = −1.
    assert working_days_between(D(2026, 4, 7), D(2026, 4, 2)) == -1


def test_reversed_weekend_start_is_exactly_the_negation():
    # Sat 21 Nov → Fri 20 Nov 2026 is minus (Fri 20 → Sat 21) = −1. numpy.busday_count alone
    # would say 0 here, because it counts the reversed range from the other end.
    assert working_days_between(D(2026, 11, 21), D(2026, 11, 20)) == -1


def test_swapping_the_dates_only_flips_the_sign():
    days = [D(2026, 12, 18) + dt.timedelta(days=offset) for offset in range(25)]
    for start in days:
        for end in days:
            assert working_days_between(start, end) == -working_days_between(end, start)


@pytest.mark.parametrize("day", [D(2026, 11, 23), D(2026, 11, 21), D(2026, 12, 25)])
def test_same_day_is_zero(day):
    assert working_days_between(day, day) == 0


def test_datetimes_count_by_their_date():
    # Fri 20 Nov 2026 at 17:30 → Mon 23 Nov 2026 = 1, as for the dates.
    assert working_days_between(dt.datetime(2026, 11, 20, 17, 30), D(2026, 11, 23)) == 1


def test_add_working_days_steps_over_easter_both_ways():
    # Thu 2 Apr 2026 + 1 working day skips Good Friday, the weekend and Easter Monday.
    assert add_working_days(D(2026, 4, 2), 1) == D(2026, 4, 7)
    assert add_working_days(D(2026, 4, 7), -1) == D(2026, 4, 2)


def test_add_working_days_from_a_weekend_rolls_forward_first():
    # Sat 21 Nov 2026 rolls to Mon 23 Nov; minus one from there is Fri 20 Nov.
    assert add_working_days(D(2026, 11, 21), 0) == D(2026, 11, 23)
    assert add_working_days(D(2026, 11, 21), 1) == D(2026, 11, 24)
    assert add_working_days(D(2026, 11, 21), -1) == D(2026, 11, 20)


def test_add_working_days_undoes_working_days_between():
    for offset in range(0, 40):
        day = D(2026, 12, 1) + dt.timedelta(days=offset)
        for n in (-600, -7, -1, 0, 1, 5, 600):
            assert working_days_between(day, add_working_days(day, n)) == n
