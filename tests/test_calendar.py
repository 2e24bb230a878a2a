"""Working-day calendars: national holidays, cuti bersama, workweeks, overrides, wd()."""

import datetime as dt

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assets.calendar import build_calendar, national_holidays

NO_OVERRIDES = pl.DataFrame(
    schema={"date": pl.Date, "is_working_day": pl.Boolean, "note": pl.String,
            "applies_to": pl.String}
)  # fmt: skip
NATIONAL = national_holidays()
FIVE = build_calendar("dinas", 5, NO_OVERRIDES, NATIONAL)
SIX = build_calendar("puskesmas", 6, NO_OVERRIDES, NATIONAL)
INDEX5 = dict(zip(FIVE["day"].to_list(), FIVE["wd_index"].to_list(), strict=True))
INDEX6 = dict(zip(SIX["day"].to_list(), SIX["wd_index"].to_list(), strict=True))


def wd(index: dict, a: dt.date, b: dt.date) -> int:
    """Working days d with a < d <= b, by the running index."""
    return index[b] - index[a]


def test_lebaran_2025_worked_example():
    # metrics.md: received Thu 27 Mar 2025; 1st-3rd working days after are 8, 9, 10 April
    received = dt.date(2025, 3, 27)
    assert wd(INDEX5, received, dt.date(2025, 4, 8)) == 1
    assert wd(INDEX5, received, dt.date(2025, 4, 10)) == 3
    assert wd(INDEX5, received, dt.date(2025, 4, 11)) == 4
    for day in ("2025-03-28", "2025-03-31", "2025-04-01", "2025-04-02", "2025-04-07"):
        assert not FIVE.filter(pl.col("day") == dt.date.fromisoformat(day))["is_working_day"][0]


def test_weekend_and_holiday_receipt():
    # received Saturday 14 June 2025, handled Monday 16 June: 1 working day
    assert wd(INDEX5, dt.date(2025, 6, 14), dt.date(2025, 6, 16)) == 1
    # ... but Saturday 10 May to Monday 12 May is 0: 12 May is Waisak, 13 May cuti bersama
    assert wd(INDEX5, dt.date(2025, 5, 10), dt.date(2025, 5, 12)) == 0
    assert wd(INDEX5, dt.date(2025, 5, 10), dt.date(2025, 5, 14)) == 1
    # received on Independence Day (Sun 17 Aug 2025, cuti bersama Mon 18): Tue 19 is day 1
    assert wd(INDEX5, dt.date(2025, 8, 17), dt.date(2025, 8, 19)) == 1
    # same-day action takes 0
    assert wd(INDEX5, dt.date(2025, 8, 19), dt.date(2025, 8, 19)) == 0


def test_six_day_week_counts_saturdays_but_not_holidays():
    # Mon 14 Apr .. Sat 19 Apr 2025: Good Friday 18 Apr is a holiday for everyone
    assert wd(INDEX6, dt.date(2025, 4, 14), dt.date(2025, 4, 19)) == 4
    assert wd(INDEX5, dt.date(2025, 4, 14), dt.date(2025, 4, 19)) == 3


def test_overrides_apply_to_all_or_one_kind():
    overrides = pl.DataFrame(
        {"date": [dt.date(2025, 5, 2), dt.date(2025, 5, 3), dt.date(2025, 5, 2)],
         "is_working_day": [False, True, True],
         "note": ["Hari Jadi Kota", "Sabtu kerja", "Puskesmas tetap buka"],
         "applies_to": ["all", "dinas", "puskesmas"]}
    )  # fmt: skip
    dinas = build_calendar("dinas", 5, overrides, NATIONAL).filter(
        pl.col("day").is_in([dt.date(2025, 5, 2), dt.date(2025, 5, 3)])
    )
    assert dinas.select("is_working_day", "note").rows() == [
        (False, "Hari Jadi Kota"),
        (True, None),
    ]
    puskesmas = build_calendar("puskesmas", 6, overrides, NATIONAL)
    # the kind-specific override beats the `all` one
    assert puskesmas.filter(pl.col("day") == dt.date(2025, 5, 2))["is_working_day"][0]


def test_cuti_bersama_come_from_holidays_government_category():
    names = {d: n for d, n in NATIONAL.items() if d.year == 2025}
    assert "Cuti Bersama" in names[dt.date(2025, 4, 2)]
    assert dt.date(2025, 12, 26) in names  # cuti bersama Natal


DAYS = st.dates(min_value=dt.date(2010, 1, 1), max_value=dt.date(2035, 12, 31))


@settings(max_examples=300, deadline=None)
@given(DAYS, DAYS, DAYS)
def test_wd_is_additive(a, b, c):
    a, b, c = sorted((a, b, c))
    assert wd(INDEX5, a, b) + wd(INDEX5, b, c) == wd(INDEX5, a, c)
    assert wd(INDEX6, a, b) + wd(INDEX6, b, c) == wd(INDEX6, a, c)


HOLIDAYS = np.array(sorted(NATIONAL), dtype="datetime64[D]")


@settings(max_examples=300, deadline=None)
@given(DAYS, DAYS)
def test_wd_matches_numpy_busday_count(a, b):
    a, b = sorted((a, b))
    # busday_count counts [a, b); ours counts (a, b]: shift both ends by one day
    start, end = np.datetime64(a + dt.timedelta(days=1)), np.datetime64(b + dt.timedelta(days=1))
    assert wd(INDEX5, a, b) == np.busday_count(start, end, weekmask="1111100", holidays=HOLIDAYS)
    assert wd(INDEX6, a, b) == np.busday_count(start, end, weekmask="1111110", holidays=HOLIDAYS)


@pytest.mark.parametrize("year", [2010, 2024, 2026, 2035])
def test_every_year_of_the_range_is_covered(year):
    assert FIVE.filter(pl.col("day").dt.year() == year).height in (365, 366)
