"""The metric engine without orchestration: the SQL stages in order, on one connection.

The Dagster assets run these same stages one asset at a time; tests and benchmarks run
them here directly, so what they measure is exactly what the assets compute.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from pipelines.warehouse import run_sql

STAGES: dict[str, list[str]] = {
    "reference": [
        "stg_units",
        "stg_officers",
        "stg_calendar_overrides",
        "stg_hr_ratings",
    ],
    "staging": ["stg_complaints", "stg_events", "stg_ratings", "stg_case_links", "quarantine"],
    "cases": [
        "case_members",
        "case_events",
        "automatic_closures",
        "case_pauses",
        "segments",
        "case_heads",
        "clocks",
        "cases",
        "verdicts",
    ],
    "facts": ["holder_facts"],
    "flags": ["flags"],
    "recommendations": ["recommendations", "predikat_distribution"],
    "officer_month": ["month_measures", "officer_month"],
    "unit_month": ["month_measures", "unit_month"],
    "tenant_month": ["month_measures", "tenant_month"],
}
MONTH_STAGES = ("officer_month", "unit_month", "tenant_month")


# tables of an older warehouse that are views now: dropped before the view is created
NOW_VIEWS = {"facts": ["holder_facts"]}


def run_stage(con, stage: str, params: dict, timings: dict | None = None) -> None:
    """Run one stage's SQL files; with `timings`, record seconds per file."""
    for name in NOW_VIEWS.get(stage, []):
        kind = con.execute(
            "SELECT table_type FROM information_schema.tables"
            " WHERE table_catalog = current_database() AND table_schema = 'main'"
            " AND table_name = $name",
            {"name": name},
        ).fetchall()
        if kind == [("BASE TABLE",)]:
            con.execute(f"DROP TABLE main.{name}")  # a name from NOW_VIEWS, not a value
    for name in STAGES[stage]:
        started = time.perf_counter()
        run_sql(con, name, params)
        if timings is not None:
            timings[name] = timings.get(name, 0.0) + time.perf_counter() - started


def build(
    con,
    params: dict,
    load_inputs: Callable[[object], None],
    timings: dict | None = None,
) -> None:
    """Everything from input rows to the month tables, for every month up to
    the data cut-off. `load_inputs(con)` writes the raw_* and calendar tables."""
    load_inputs(con)
    for stage in ("staging", "cases", "facts", "flags"):
        run_stage(con, stage, params, timings)
    first, last = con.execute(
        "SELECT min(month), max(month) FROM holder_facts WHERE month <= $m",
        {"m": params["as_of_date"].strftime("%Y-%m")},
    ).fetchone()
    months = {**params, "month_from": first, "month_to": last}
    for stage in MONTH_STAGES:
        run_stage(con, stage, months, timings)
    run_stage(con, "recommendations", params, timings)


def load_home_inputs(home, con) -> None:
    """Read a home's reference data, calendars and sources into the raw_* tables (what the
    reference_data, calendar_days and source_rows assets do, in one go)."""
    from assets.calendar import build_calendars
    from assets.common import replace_table
    from assets.ingest import read_sources
    from assets.reference import read_reference

    for table, frame in read_reference(home).items():
        replace_table(con, f"raw_{table}", frame)
    run_stage(con, "reference", {"now": home.tenant.now_local()})
    units = con.sql("SELECT kind, workweek FROM ref_units").pl()
    overrides = con.sql(
        "SELECT date, is_working_day, note, applies_to FROM ref_calendar_overrides"
    ).pl()
    replace_table(con, "calendar_days", build_calendars(units, overrides, home.tenant.holidays))
    frames, _ = read_sources(home)
    for table, frame in frames.items():
        replace_table(con, f"raw_{table}", frame)
