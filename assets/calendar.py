"""Working-day calendars: one per (unit kind, workweek), with a running working-day index.

wd(a, b), the working days d with date(a) < d <= date(b), is then
`index[date(b)] - index[date(a)]`: two joins and a subtraction, no row per day per case.
"""

import datetime as dt
import functools

import dagster as dg
import holidays
import polars as pl

from assets.common import replace_table
from pipelines.home import HolidaySpec
from pipelines.resources import RaporHome

# The calendars cover the years of real exports (NYC 311 from 2011, SP4N-LAPOR! from 2015)
# and a decade ahead; a complaint received before FIRST_YEAR is quarantined by staging.
FIRST_YEAR, LAST_YEAR = 2010, 2035
STANDARD_KIND = "tenant"  # the tenant-wide Mon-Fri calendar (admin / forwarding clock)
INDONESIA = HolidaySpec()  # the default: national holidays and cuti bersama
WEEKEND = {"id": "akhir pekan"}  # a weekend day's note in the holiday names' language


def calendar_key(kind: str, workweek: int) -> str:
    return f"{kind}-{workweek}d"


def holiday_language(spec: HolidaySpec) -> str | None:
    """The language the holiday names are given in: the country's own language where the
    `holidays` package has it (Bahasa Indonesia for ID), else the package's English."""
    return holidays.country_holidays(spec.country).default_language


def weekend_note(spec: HolidaySpec = INDONESIA) -> str:
    """The note of a weekend day, in the language of the holiday names."""
    return WEEKEND.get((holiday_language(spec) or "en").split("_")[0], "weekend")


@functools.cache
def national_holidays(
    first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR, spec: HolidaySpec = INDONESIA
) -> dict:
    """The public holidays of the tenant's country (and subdivision) by date, named in the
    country's language: for Indonesia (the default) the national holidays and cuti bersama
    (holidays, country ID, categories public and government), in Bahasa Indonesia."""
    return dict(
        holidays.country_holidays(
            spec.country,
            subdiv=spec.subdivision,
            years=range(first_year, last_year + 1),
            categories=spec.categories,
            language=holiday_language(spec),
        )
    )


def build_calendar(
    kind: str,
    workweek: int,
    overrides: pl.DataFrame,
    national: dict | None = None,
    first_year: int = FIRST_YEAR,
    last_year: int = LAST_YEAR,
    spec: HolidaySpec = INDONESIA,
) -> pl.DataFrame:
    """Every day of the range for one calendar, with whether it is a working day and why not.

    Order of rules: the workweek, then the public holidays of `spec` (the tenant's country;
    `national` gives them ready-made), then the tenant's overrides whose `applies_to` is
    `all` or this unit kind (a kind-specific override beats an `all` one).
    """
    if national is None:
        national = national_holidays(first_year, last_year, spec)
    days = pl.date_range(
        dt.date(first_year, 1, 1), dt.date(last_year, 12, 31), interval="1d", eager=True
    ).alias("day")
    frame = pl.DataFrame({"day": days}).with_columns(
        weekday=pl.col("day").dt.weekday(),  # Monday = 1
        holiday=pl.col("day").replace_strict(national, default=None, return_dtype=pl.String),
    )
    frame = frame.with_columns(
        is_working_day=(pl.col("weekday") <= workweek) & pl.col("holiday").is_null(),
        note=pl.when(pl.col("holiday").is_not_null())
        .then(pl.col("holiday"))
        .when(pl.col("weekday") > workweek)
        .then(pl.lit(weekend_note(spec)))
        .otherwise(None),
    )
    mine = overrides.filter(pl.col("applies_to").is_in(["all", kind]))
    if mine.height:
        # kind-specific rows sort after `all` rows, so `last` keeps them
        mine = (
            mine.with_columns(specific=pl.col("applies_to") != "all")
            .sort("date", "specific")
            .unique("date", keep="last")
            .select(
                pl.col("date").alias("day"),
                pl.col("is_working_day").alias("o_work"),
                pl.col("note").alias("o_note"),
            )
        )
        frame = frame.join(mine, on="day", how="left").with_columns(
            is_working_day=pl.coalesce("o_work", "is_working_day"),
            note=pl.when(pl.col("o_work").is_not_null())
            .then(pl.col("o_note"))
            .otherwise(pl.col("note")),
        )
    return frame.select(
        pl.lit(calendar_key(kind, workweek)).alias("calendar_key"),
        pl.lit(kind).alias("unit_kind"),
        pl.lit(workweek, dtype=pl.Int8).alias("workweek"),
        "day",
        "is_working_day",
        pl.when(pl.col("is_working_day")).then(None).otherwise(pl.col("note")).alias("note"),
        pl.col("is_working_day").cast(pl.Int32).cum_sum().alias("wd_index"),
    )


def build_calendars(
    units: pl.DataFrame, overrides: pl.DataFrame, spec: HolidaySpec = INDONESIA
) -> pl.DataFrame:
    """One calendar per (kind, workweek) among the units, plus the tenant standard one, on
    the public holidays of `spec` (the tenant's `holidays:`; Indonesia by default)."""
    national = national_holidays(FIRST_YEAR, LAST_YEAR, spec)
    pairs = {(STANDARD_KIND, 5)} | {
        (k, int(w)) for k, w in units.select("kind", "workweek").unique().iter_rows()
    }
    return pl.concat(
        [build_calendar(k, w, overrides, national, spec=spec) for k, w in sorted(pairs)]
    )


@dg.asset(group_name="reference", deps=["reference_data"], pool="warehouse", kinds={"duckdb"})
def calendar_days(context: dg.AssetExecutionContext, rapor: RaporHome) -> dg.MaterializeResult:
    """Every day 2010-2035 of every working-day calendar the tenant's units use (by unit kind
    and workweek, plus `tenant-5d`), on the public holidays of the tenant's country
    (tenant.yaml `holidays:`, Indonesia by default), with holiday names and the running
    working-day index."""
    spec = rapor.home.tenant.holidays
    with rapor.warehouse() as con:
        units = con.sql("SELECT kind, workweek FROM ref_units").pl()
        overrides = con.sql(
            "SELECT date, is_working_day, note, applies_to FROM ref_calendar_overrides"
        ).pl()
        frame = build_calendars(units, overrides, spec)
        replace_table(con, "calendar_days", frame)
    keys = frame["calendar_key"].unique().sort().to_list()
    return dg.MaterializeResult(
        metadata={"calendars": ", ".join(keys), "days": frame.height, "holidays": spec.label}
    )
