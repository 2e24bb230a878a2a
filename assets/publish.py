"""Publication: the serving snapshot the app and other tools read, swapped in atomically."""

import datetime as dt
import json
import os
import shutil
from importlib.metadata import version

import dagster as dg

import sql
from assets.common import WAREHOUSE_POOL
from pipelines.resources import RaporHome
from pipelines.warehouse import run_sql

SNAPSHOT_TABLES = (
    "cases", "officer_month", "unit_month", "tenant_month", "quarantine", "units", "officers",
    "case_events", "case_members", "segments", "clocks", "holder_facts", "calendar_days",
    "flags", "recommendations", "predikat_distribution", "quality_results", "publications",
    "published_officer_month", "published_unit_month", "published_tenant_month",
    "published_recommendations", "published_predikat_distribution", "published_flags",
    "publication_inputs", "snapshot_info",
)  # fmt: skip


@dg.asset(
    group_name="publish",
    deps=["officer_month", "unit_month", "tenant_month", "recommendations", "publications"],
    pool=WAREHOUSE_POOL,
    kinds={"duckdb", "parquet"},
)
def serving_snapshot(context: dg.AssetExecutionContext, rapor: RaporHome) -> dg.MaterializeResult:
    """The published snapshot `DIR/serving/rapor.duckdb` (and `serving/parquet/*.parquet`):
    the tables of the contract plus `snapshot_info`, and `quality_results` of the quality
    gate this publication passed. Written beside, then renamed into place, so readers see
    the old snapshot or the new one, never half of one."""
    home = rapor.home
    policy = rapor.policy()
    home.serving_dir.mkdir(parents=True, exist_ok=True)
    tmp = home.serving_dir / f".rapor.duckdb.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    parquet_new = home.serving_dir / f".parquet.{os.getpid()}.tmp"
    shutil.rmtree(parquet_new, ignore_errors=True)
    parquet_new.mkdir()
    info = {
        "tenant": home.tenant.code,
        "tenant_name": home.tenant.name,
        "timezone": home.tenant.timezone,
        "as_of_date": rapor.as_of_date(),
        "published_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
        "run_id": context.run.run_id,
        "policy_version": policy.version,
        "policy_hash": policy.hash,
        "policy_json": json.dumps(policy.raw, sort_keys=True),
        "code_version": version("rapor"),
    }
    with rapor.warehouse() as con:
        con.execute("ATTACH $path AS snap", {"path": str(tmp)})
        try:
            run_sql(con, "quality_results")  # the gate's table, empty before its first run
            # a failed gate blocks publication within a run; this also refuses a
            # publication started on its own (dg dev) after a failed gate
            failed = con.execute(sql.text("quality_latest")).fetchall()
            if failed:
                raise dg.Failure(
                    description=f"the quality gate of run {failed[0][0]} failed, so nothing is "
                    "published: " + "; ".join(f"{c} {e}: {o}" for _, c, e, o in failed[:5])
                )
            run_sql(con, "snapshot")
            con.execute(
                "CREATE TABLE snap.snapshot_info AS SELECT "
                + ", ".join(f"${k} AS {k}" for k in info),
                info,
            )
            for target in SNAPSHOT_TABLES:
                con.execute(
                    f"COPY snap.{target} TO $out (FORMAT parquet)",
                    {"out": str(parquet_new / f"{target}.parquet")},
                )
            sizes = {
                t: con.execute(f"SELECT count(*) FROM snap.{t}").fetchone()[0]
                for t in SNAPSHOT_TABLES
            }
        finally:
            con.execute("DETACH snap")
    os.replace(tmp, home.snapshot_path)
    old = home.serving_dir / f".parquet.{os.getpid()}.old"
    if home.parquet_dir.exists():
        os.replace(home.parquet_dir, old)
    os.replace(parquet_new, home.parquet_dir)
    shutil.rmtree(old, ignore_errors=True)
    context.log.info(f"published {home.snapshot_path}")
    return dg.MaterializeResult(
        metadata={"snapshot": str(home.snapshot_path), **{f"rows_{k}": v for k, v in sizes.items()}}
    )
