"""Any calendar, any zone: a tenant outside Indonesia names its IANA time zone and its
country (and subdivision) for the `holidays` package in tenant.yaml. A New York tenant
counts working days on US-NY public holidays with no hand-written calendar overrides, and
its NYC 311 exports run end to end through `rapor run`. Indonesia stays the default."""

from __future__ import annotations

import csv
import datetime as dt
import shutil

import duckdb
import holidays
import numpy as np
import polars as pl
import pytest

from assets.calendar import INDONESIA, build_calendars, national_holidays
from pipelines.cli import main
from pipelines.home import HolidaySpec, Home, zone_label
from tests.conftest import copy_fixture, read_snapshot
from tests.test_sources import MAPPINGS, NYC_DATA, NYC_FILES

NEW_YORK_TENANT = """\
name: NYC 311 (real export, New York calendar)
code: nyc311
timezone: America/New_York
as_of: 2013-12-31
holidays:
  country: US
  subdivision: NY
"""
NO_OVERRIDES = pl.DataFrame(
    schema={"date": pl.Date, "is_working_day": pl.Boolean, "note": pl.String,
            "applies_to": pl.String}
)  # fmt: skip
US_NY = HolidaySpec(country="US", subdivision="NY", categories=("public",))


def new_york_home(target) -> Home:
    """The nyc311 fixture home with a New York tenant.yaml; its calendar_overrides.csv
    has a header and no rows."""
    home = copy_fixture("nyc311", target)
    home.tenant_file.write_text(NEW_YORK_TENANT)
    return home


def us_ny_holidays(year_from: int, year_to: int) -> np.ndarray:
    """The holidays package's own US-NY list, as numpy business-day holidays."""
    days = holidays.country_holidays("US", subdiv="NY", years=range(year_from, year_to + 1))
    return np.array(sorted(days), dtype="datetime64[D]")


# --- tenant.yaml ---------------------------------------------------------------------------


def test_new_york_tenant_is_read(tmp_path):
    tenant = new_york_home(tmp_path / "home").tenant
    assert tenant.timezone == "America/New_York"
    assert tenant.holidays == US_NY  # no categories given: the public holidays


def test_without_holidays_the_tenant_is_indonesian(uji_home):
    assert uji_home.tenant.holidays == HolidaySpec("ID", None, ("public", "government"))
    assert uji_home.tenant.holidays == INDONESIA


def test_country_and_subdivision_are_case_insensitive(tmp_path):
    home = new_york_home(tmp_path / "home")
    home.tenant_file.write_text(
        NEW_YORK_TENANT.replace("country: US", "country: us").replace("NY", "ny")
    )
    assert home.tenant.holidays == US_NY


def test_zone_labels():
    assert zone_label("Asia/Jakarta") == "Asia/Jakarta (WIB)"
    assert zone_label("Asia/Makassar") == "Asia/Makassar (WITA)"
    assert zone_label("America/New_York") == "America/New_York (EST/EDT)"
    assert zone_label("Asia/Dubai") == "Asia/Dubai"  # its abbreviation is only "+04"
    assert zone_label("UTC") == "UTC"


# --- the calendar ----------------------------------------------------------------------


def test_us_ny_calendar_marks_us_holidays():
    units = pl.DataFrame({"kind": ["dinas"], "workweek": [5]})
    cal = build_calendars(units, NO_OVERRIDES, US_NY)
    day = {
        d: (work, note)
        for d, work, note in cal.filter(pl.col("calendar_key") == "dinas-5d")
        .select("day", "is_working_day", "note")
        .iter_rows()
    }
    assert day[dt.date(2011, 7, 4)] == (False, "Independence Day")  # a Monday
    assert day[dt.date(2011, 11, 24)] == (False, "Thanksgiving Day")  # 4th Thursday
    assert day[dt.date(2011, 7, 5)] == (True, None)  # the Tuesday after
    assert day[dt.date(2011, 7, 9)] == (False, "weekend")  # weekends named in English
    # Indonesia's days are ordinary working days here: Maulid Nabi 2011-02-15 is also
    # Susan B. Anthony Day in NY, so take Idul Fitri 2011-08-30 (a Tuesday)
    assert day[dt.date(2011, 8, 30)] == (True, None)
    # the years of the data are covered: NYC 2011-2013, SP4N-LAPOR! from 2015
    assert min(day) <= dt.date(2011, 1, 1) and max(day) >= dt.date(2015, 12, 31)
    # the working days of 2011, counted independently with numpy on the package's list
    working_2011 = np.busday_count("2011-01-01", "2012-01-01", holidays=us_ny_holidays(2011, 2011))
    assert sum(w for d, (w, _) in day.items() if d.year == 2011) == working_2011


def test_indonesia_is_still_the_default_calendar():
    units = pl.DataFrame({"kind": ["dinas"], "workweek": [5]})
    cal = build_calendars(units, NO_OVERRIDES).filter(pl.col("calendar_key") == "dinas-5d")
    notes = dict(cal.select("day", "note").iter_rows())
    assert notes[dt.date(2011, 8, 30)] == "Hari Raya Idul Fitri"  # Bahasa Indonesia
    assert notes[dt.date(2011, 7, 4)] is None  # a working Monday in Indonesia
    assert notes[dt.date(2025, 3, 22)] == "akhir pekan"  # a Saturday
    assert national_holidays()[dt.date(2025, 3, 28)] == "Cuti Bersama Hari Suci Nyepi"


def test_holiday_names_in_the_countrys_language():
    german = national_holidays(2011, 2011, HolidaySpec("DE", "BY", ("public",)))
    assert german[dt.date(2011, 10, 3)] == "Tag der Deutschen Einheit"


def test_rapor_calendar_uses_the_tenants_country(tmp_path, capsys):
    home = new_york_home(tmp_path / "home")
    assert main(["calendar", "--home", str(home.root), "--year", "2011"]) == 0
    out = capsys.readouterr().out
    assert "holidays US-NY (public)" in out
    assert "2011-07-04 Mon  Independence Day" in out
    assert "2011-11-24 Thu  Thanksgiving Day" in out
    assert "Idul Fitri" not in out
    working = np.busday_count("2011-01-01", "2012-01-01", holidays=us_ny_holidays(2011, 2011))
    assert f"{working} working days; {365 - working} non-working days" in out


# --- NYC 311 end to end with the New York tenant -----------------------------------------


@pytest.fixture(scope="module")
def ny_run(tmp_path_factory) -> Home:
    home = new_york_home(tmp_path_factory.mktemp("nyc_ny") / "home")
    with open(home.reference_dir / "calendar_overrides.csv", encoding="utf8") as f:
        assert len(f.read().splitlines()) == 1  # the header: no hand-written overrides
    for source, name in NYC_FILES.items():
        folder = home.sources_dir / source
        folder.mkdir(parents=True)
        shutil.copy(MAPPINGS / "nyc311.yaml", folder / "source.yaml")
        shutil.copy(NYC_DATA / name, folder / name)
    assert main(["run", "--home", str(home.root)]) == 0
    return home


def test_nyc_times_are_new_york_local_times(ny_run):
    # 19937896: created 03/01/2011 02:27:57 PM and closed 03/14/2011 03:59:20 PM, New
    # York wall-clock times, kept as they are; 2:27:57 PM EST (UTC-5) is 19:27:57 UTC
    got = read_snapshot(
        ny_run,
        "SELECT c.received_at, c.resolved_at, i.timezone, "
        "timezone('UTC', timezone(i.timezone, c.received_at)) "
        "FROM cases AS c, snapshot_info AS i WHERE c.case_id = 'nyc_2011:19937896'",
    )
    assert got == [(dt.datetime(2011, 3, 1, 14, 27, 57), dt.datetime(2011, 3, 14, 15, 59, 20),
                    "America/New_York", dt.datetime(2011, 3, 1, 19, 27, 57))]  # fmt: skip


def test_published_calendar_is_us_ny(ny_run):
    rows = read_snapshot(
        ny_run,
        "SELECT day, is_working_day, note FROM calendar_days WHERE calendar_key = 'dinas-5d' "
        "AND day IN ('2011-07-04', '2011-07-05', '2011-11-24') ORDER BY day",
    )
    assert rows == [(dt.date(2011, 7, 4), False, "Independence Day"),
                    (dt.date(2011, 7, 5), True, None),
                    (dt.date(2011, 11, 24), False, "Thanksgiving Day")]  # fmt: skip
    assert read_snapshot(ny_run, "SELECT holidays FROM snapshot_info") == [("US-NY (public)",)]


def test_resolution_clock_across_us_holidays(ny_run):
    """19944918 (DOT): created Sun 6 Feb 2011 2:02 PM, closed Thu 3 Mar 2011 3:00 PM.
    By hand: the weekdays 7 Feb .. 3 Mar are 19 (5 + 5 + 5 + 4); NY's holidays among them
    are Lincoln's Birthday observed (Fri 11 Feb), Susan B. Anthony Day (Tue 15 Feb) and
    Washington's Birthday (Mon 21 Feb): 16 working days."""
    with open(NYC_DATA / NYC_FILES["nyc_micro"], newline="", encoding="utf8") as f:
        row = next(r for r in csv.DictReader(f) if r["Unique Key"] == "19944918")
    assert (row["Created Date"], row["Closed Date"], row["Agency"]) == (
        "02/06/2011 02:02:42 PM", "03/03/2011 03:00:35 PM", "DOT")  # fmt: skip
    # numpy: working days d with 6 Feb < d <= 3 Mar, i.e. in [7 Feb, 4 Mar)
    expected = np.busday_count("2011-02-07", "2011-03-04", holidays=us_ny_holidays(2011, 2011))
    assert expected == 19 - 3 == 16
    got = read_snapshot(
        ny_run,
        "SELECT received_at, resolved_at, resolution_wd FROM cases "
        "WHERE case_id = 'nyc_micro:19944918'",
    )
    assert got == [(dt.datetime(2011, 2, 6, 14, 2, 42), dt.datetime(2011, 3, 3, 15, 0, 35),
                    16)]  # fmt: skip
    con = duckdb.connect(str(ny_run.warehouse_path), read_only=True)
    try:
        (calendar,) = con.execute(
            "SELECT k.calendar_key FROM clocks AS k JOIN cases AS c USING (case_key) "
            "WHERE c.case_id = 'nyc_micro:19944918' AND k.clock = 'resolution'"
        ).fetchone()
    finally:
        con.close()
    assert calendar == "dinas-5d"


def test_engine_load_home_inputs_uses_the_tenants_country(tmp_path):
    """The engine's one-go loader (tests, benchmarks) builds the same US-NY calendars."""
    from pipelines.engine import load_home_inputs
    from pipelines.warehouse import connect

    home = new_york_home(tmp_path / "home")
    con = connect(tmp_path / "w.duckdb")
    try:
        load_home_inputs(home, con)
        rows = con.execute(
            "SELECT calendar_key, is_working_day, note FROM calendar_days "
            "WHERE day = DATE '2011-11-24' ORDER BY calendar_key"
        ).fetchall()
    finally:
        con.close()
    assert rows == [("dinas-5d", False, "Thanksgiving Day"),
                    ("tenant-5d", False, "Thanksgiving Day")]  # fmt: skip


# --- the app and the exports say which zone the times are in ------------------------------


def test_app_labels_times_with_the_new_york_zone(ny_run, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.test_app import APP, TIMEOUT

    monkeypatch.setenv("RAPOR_HOME", str(ny_run.root))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception, [e.message for e in at.exception]
    footer = " ".join(c.value for c in at.sidebar.caption)
    assert "Zona waktu: America/New_York (EST/EDT)" in footer
    assert "WIB" not in footer


def test_exports_name_the_new_york_zone(ny_run, tmp_path):
    import json
    import re
    import zipfile

    import openpyxl

    from app import exports
    from tests.test_export import pdf_pages

    snap = ny_run.snapshot_path
    exports.export_xlsx(snap, "2011-03", tmp_path / "m.xlsx", lang="en")
    book = openpyxl.load_workbook(tmp_path / "m.xlsx")
    summary = {r[0]: r[1] for r in book["ringkasan"].iter_rows(min_row=4, values_only=True)}
    assert summary["Time zone"] == "America/New_York (EST/EDT)"
    assert re.fullmatch(r"\S+ \S+ UTC", summary["Published"])
    exports.export_pdf(snap, "2011-03", tmp_path / "m.pdf")
    text = " ".join(pdf_pages((tmp_path / "m.pdf").read_bytes()))
    assert "Zona waktu America/New_York (EST/EDT)" in text
    assert "WIB" not in text
    exports.export_csv(snap, "2011-03", tmp_path / "m.zip")
    with zipfile.ZipFile(tmp_path / "m.zip") as archive:
        assert json.loads(archive.read("metadata.json"))["timezone"] == "America/New_York"


def test_the_monthly_schedule_runs_in_the_tenants_zone(tmp_path, monkeypatch):
    from pipelines.schedules import schedule_zone

    monkeypatch.setenv("RAPOR_HOME", str(new_york_home(tmp_path / "home").root))
    assert schedule_zone() == "America/New_York"
    monkeypatch.setenv("RAPOR_HOME", str(tmp_path / "not-a-home"))
    assert schedule_zone() == "Asia/Jakarta"
    monkeypatch.delenv("RAPOR_HOME")
    assert schedule_zone() == "Asia/Jakarta"
