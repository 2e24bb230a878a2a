"""Publication: the serving snapshot the app and other tools read, swapped in atomically."""

import datetime as dt
import json
import os
import re
import shutil
from importlib.metadata import version

import dagster as dg

import sql
from assets.common import WAREHOUSE_POOL
from pipelines.home import Home
from pipelines.processes import process_alive
from pipelines.quality import QUALITY_FILE
from pipelines.resources import RaporHome
from pipelines.warehouse import run_sql

SNAPSHOT_TABLES = (
    "cases", "officer_month", "unit_month", "tenant_month", "quarantine", "units", "officers",
    "case_events", "case_members", "segments", "clocks", "holder_facts", "calendar_days",
    "flags", "recommendations", "predikat_distribution", "quality_results", "publications",
    "source_verdicts", "verdict_agreement",
    "published_officer_month", "published_unit_month", "published_tenant_month",
    "published_recommendations", "published_predikat_distribution", "published_flags",
    "publication_inputs", "snapshot_info",
)  # fmt: skip


def _temp_name(home: Home) -> re.Pattern:
    """The names publishing gives its files in serving/ while it writes them, each with
    the writer's pid: `.rapor.duckdb.<pid>.tmp` (and DuckDB's `.wal` beside it),
    `.parquet.<pid>.tmp/`, `.parquet.<pid>.old/` and `.quality.duckdb.<pid>.tmp`."""
    bases = "|".join(re.escape(n) for n in (home.snapshot_path.name, home.parquet_dir.name,
                                             QUALITY_FILE))  # fmt: skip
    return re.compile(rf"^\.(?P<base>{bases})\.(?P<pid>\d+)\.(?P<kind>tmp|old)(\.wal)?$")


def clean_dead_publish_files(home: Home) -> list[str]:
    """Remove what publishes killed midway left in serving/ (they would pile up, one set
    per kill); a file of a publish whose process still runs is left alone. Returns the
    names removed, with their size. If a kill fell between the two renames of the Parquet
    folder, the folder it had finished writing is moved into place first."""
    serving, pattern = home.serving_dir, _temp_name(home)
    if not serving.is_dir():
        return []
    # a process started after the file last changed cannot be its writer (a reused pid)
    dead = [
        (path, match)
        for path in sorted(serving.iterdir())
        if (match := pattern.match(path.name))
        and not process_alive(int(match["pid"]), since=path.lstat().st_mtime)
    ]
    if not home.parquet_dir.exists():
        for _, match in dead:  # `.old` exists only once the new folder is complete
            new = serving / f".{home.parquet_dir.name}.{match['pid']}.tmp"
            if match["base"] == home.parquet_dir.name and match["kind"] == "old" and new.is_dir():
                os.replace(new, home.parquet_dir)
                break
    removed = []
    for path, _ in dead:
        if not path.exists() and not path.is_symlink():
            continue
        if path.is_dir() and not path.is_symlink():
            size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
            shutil.rmtree(path)
        else:
            size = path.lstat().st_size
            path.unlink()
        removed.append(f"{path.name} ({size / 1e6:.1f} MB)")
    return removed


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
    cleaned = clean_dead_publish_files(home)
    if cleaned:
        context.log.warning(
            f"removed {len(cleaned)} leftover(s) of killed publishes: " + ", ".join(cleaned)
        )
    tmp = home.serving_dir / f".rapor.duckdb.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    tmp.with_name(f"{tmp.name}.wal").unlink(missing_ok=True)  # never replay a stale log
    parquet_new = home.serving_dir / f".parquet.{os.getpid()}.tmp"
    shutil.rmtree(parquet_new, ignore_errors=True)
    parquet_new.mkdir()
    info = {
        "tenant": home.tenant.code,
        "tenant_name": home.tenant.name,
        "timezone": home.tenant.timezone,
        "holidays": home.tenant.holidays.label,  # whose public holidays the calendars use
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
        metadata={
            "snapshot": str(home.snapshot_path),
            "cleaned_leftovers": ", ".join(cleaned) or "none",
            **{f"rows_{k}": v for k, v in sizes.items()},
        }
    )
