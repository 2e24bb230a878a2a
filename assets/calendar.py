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
from pipelines.resources import RaporHome

FIRST_YEAR, LAST_YEAR = 2010, 2035
STANDARD_KIND = "tenant"  # the tenant-wide Mon-Fri calendar (admin / forwarding clock)


def calendar_key(kind: str, workweek: int) -> str:
    return f"{kind}-{workweek}d"


@functools.cache
def national_holidays(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> dict:
    """National holidays and cuti bersama (holidays, country ID), named in Bahasa Indonesia."""
    return dict(
        holidays.country_holidays(
            "ID",
            years=range(first_year, last_year + 1),
            categories=("public", "government"),
            language="id",
        )
    )


def build_calendar(
    kind: str,
    workweek: int,
    overrides: pl.DataFrame,
    national: dict | None = None,
    first_year: int = FIRST_YEAR,
    last_year: int = LAST_YEAR,
) -> pl.DataFrame:
    """Every day of the range for one calendar, with whether it is a working day and why not.

    Order of rules: the workweek, then national holidays, then the tenant's overrides whose
    `applies_to` is `all` or this unit kind (a kind-specific override beats an `all` one).
    """
    national = national_holidays(first_year, last_year) if national is None else national
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
        .then(pl.lit("akhir pekan"))
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


def build_calendars(units: pl.DataFrame, overrides: pl.DataFrame) -> pl.DataFrame:
    """One calendar per (kind, workweek) among the units, plus the tenant standard one."""
    national = national_holidays()
    pairs = {(STANDARD_KIND, 5)} | {
        (k, int(w)) for k, w in units.select("kind", "workweek").unique().iter_rows()
    }
    return pl.concat([build_calendar(k, w, overrides, national) for k, w in sorted(pairs)])


@dg.asset(group_name="reference", deps=["reference_data"], pool="warehouse", kinds={"duckdb"})
def calendar_days(context: dg.AssetExecutionContext, rapor: RaporHome) -> dg.MaterializeResult:
    """Every day 2010-2035 of every working-day calendar the tenant's units use (by unit kind
    and workweek, plus `tenant-5d`), with holiday names and the running working-day index."""
    with rapor.warehouse() as con:
        units = con.sql("SELECT kind, workweek FROM ref_units").pl()
        overrides = con.sql(
            "SELECT date, is_working_day, note, applies_to FROM ref_calendar_overrides"
        ).pl()
        frame = build_calendars(units, overrides)
        replace_table(con, "calendar_days", frame)
    keys = frame["calendar_key"].unique().sort().to_list()
    return dg.MaterializeResult(metadata={"calendars": ", ".join(keys), "days": frame.height})
