"""Reference data: units, officers (with their postings over time), calendar overrides, and
the reviewed merge overrides (case links)."""

import dagster as dg
import polars as pl

from assets.common import WAREHOUSE_POOL, count, replace_table
from assets.readers import empty_frame, find_table_file, read_table
from pipelines.engine import run_stage
from pipelines.resources import RaporHome

REFERENCE_TABLES = (
    "units", "officers", "calendar_overrides", "behaviour_ratings", "organisation_ratings",
)  # fmt: skip
# read with the reference data, but checked against the staged complaints, so in the staging
# stage (sql/stg_case_links.sql); rejected rows are quarantined there
LATE_CHECKED_TABLES = ("case_links",)


def read_reference(home) -> dict[str, pl.DataFrame]:
    frames = {}
    for table in (*REFERENCE_TABLES, *LATE_CHECKED_TABLES):
        path = find_table_file(home.reference_dir, table)
        frames[table] = read_table(path, table, "reference", None) if path else empty_frame(table)
    return frames


@dg.asset(group_name="reference", pool=WAREHOUSE_POOL, kinds={"duckdb"})
def reference_data(context: dg.AssetExecutionContext, rapor: RaporHome) -> dg.MaterializeResult:
    """Typed reference tables `ref_units`, `ref_officers`, `ref_calendar_overrides` and,
    from HR when supplied, `ref_behaviour_ratings` and `ref_organisation_ratings`, from
    `DIR/reference/*.csv`; rejected rows wait in `checked_*` for the quarantine. Also
    reads `reference/case_links.csv` (`raw_case_links`), checked when sources are staged."""
    frames = read_reference(rapor.home)
    if frames["units"].height == 0:
        raise dg.Failure(f"no units: {rapor.home.reference_dir}/units.csv is missing or empty")
    with rapor.warehouse() as con:
        for table, frame in frames.items():
            replace_table(con, f"raw_{table}", frame)
        run_stage(con, "reference", {"now": rapor.now_local()})
        meta = {
            "units": count(con, "ref_units"),
            "officers": count(con, "ref_officers"),
            "calendar_overrides": count(con, "ref_calendar_overrides"),
            "behaviour_ratings": count(con, "ref_behaviour_ratings"),
            "organisation_ratings": count(con, "ref_organisation_ratings"),
            "case_links_read": count(con, "raw_case_links"),
            "rejected": sum(
                count(con, f"checked_{t}", "reason IS NOT NULL") for t in REFERENCE_TABLES
            ),
        }
    context.log.info(f"reference data: {meta}")
    return dg.MaterializeResult(metadata=meta)
