"""Cases: complaints merged across channels, their lifecycles, holders and clocks."""

import dagster as dg

from assets.common import WAREHOUSE_POOL, count
from pipelines.engine import run_stage
from pipelines.resources import RaporHome


@dg.asset(
    group_name="cases",
    deps=["staged_sources", "calendar_days"],
    pool=WAREHOUSE_POOL,
    kinds={"duckdb"},
)
def cases(context: dg.AssetExecutionContext, rapor: RaporHome) -> dg.MaterializeResult:
    """One row per case (`cases`): the same complaint through several channels counted once,
    with status, holder, resolution clock in working days and its deadline; plus the tables
    behind it: `case_members`, `case_events`, `automatic_closures` (closures the source's
    system made by itself, e.g. SP4N-LAPOR!'s at 01:00: the resolution ends at the last
    activity), `segments`, `clocks` (the clarification pauses and per-case heads in between
    are temporary tables of the run)."""
    params = rapor.sql_params()
    with rapor.warehouse() as con:
        run_stage(con, "cases", params)
        meta = {
            "cases": count(con, "cases"),
            "complaints_merged": count(con, "case_members", "NOT is_primary"),
            "resolved": count(con, "cases", "status = 'resolved'"),
            "closed_automatically": count(con, "cases", "closed_automatically"),
            "open": count(con, "cases", "status IN ('received', 'forwarded', 'in_progress')"),
            "judged_resolution_deadlines": count(con, "cases", "resolution_met IS NOT NULL"),
        }
    return dg.MaterializeResult(metadata=meta)


@dg.asset(group_name="cases", deps=["cases"], pool=WAREHOUSE_POOL, kinds={"duckdb"})
def holder_facts(context: dg.AssetExecutionContext, rapor: RaporHome) -> dg.MaterializeResult:
    """Every countable fact (segment received, deadline judged, resolution, rating, backlog
    at month end) with its month and the unit and officer it is credited to. In the
    warehouse a view: received and judged facts are rows of segments, clocks and cases;
    `holder_instants` holds the rest, whose holder is looked up at an instant."""
    with rapor.warehouse() as con:
        run_stage(con, "facts", rapor.sql_params())
        months = con.execute("SELECT min(month), max(month), count(*) FROM holder_facts").fetchone()
    return dg.MaterializeResult(
        metadata={"first_month": months[0], "last_month": months[1], "facts": months[2]}
    )


@dg.asset(group_name="cases", deps=["holder_facts"], pool=WAREHOUSE_POOL, kinds={"duckdb"})
def flags(context: dg.AssetExecutionContext, rapor: RaporHome) -> dg.MaterializeResult:
    """Gaming and anomaly signals for the inspectorate (`flags`): one row per flagged case
    and signal (closed without response text, reopen loop, rated not fixed, ping-pong,
    deadline bunching, late clarification, archived as a duplicate of nothing, bulk
    closure), with the month, officer, unit and a detail citing what was seen. Reasons to
    look, not findings."""
    with rapor.warehouse() as con:
        run_stage(con, "flags", rapor.sql_params())
        by_flag = con.execute("SELECT flag, count(*) FROM flags GROUP BY ALL ORDER BY 1").fetchall()
    return dg.MaterializeResult(
        metadata={"flags": sum(n for _, n in by_flag), **{f"flag_{f}": n for f, n in by_flag}}
    )
