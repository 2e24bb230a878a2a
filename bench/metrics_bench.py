"""Benchmark: the full metric build at 1M and 10M complaints, side by side in one run.

    .venv/bin/python bench/metrics_bench.py [--scales 1,10] [--dir /tmp/rapor-bench]

For each scale (in millions of complaints) it reports wall time and peak memory of:
  rapor       every metric stage (cases, clocks, holder facts, officer_month, unit_month)
              of the real engine, on staged tables read from Parquet;
  handwritten one hand-written DuckDB query computing the same working-day resolution
              numbers per unit and month (received -> final resolution, judged, met,
              median and p90): what the engine itself can do, the floor;
  pandas      a straightforward pandas version (row-wise `apply` with `busday_count`
              per case), run on a sample and extrapolated linearly.
After the rapor build it also times copying every table the build stored: what storing
them costs, apart from computing them.
Each measurement runs in its own process so its peak memory (max RSS) is its own.

Data: the demo generator's city at 1M complaints, ingested once (ingestion is not part
of the metric build); 10M is the same city with ten times the volume (each source copied
ten times under new source names and keys), so every month has ten times the cases.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STAGED = ("stg_complaints", "stg_events", "stg_ratings", "ref_units", "ref_officers",
          "ref_behaviour_ratings", "calendar_days")  # fmt: skip
MEMORY_LIMIT = {1: None, 10: "3GB"}
STAGE_NAMES = ("cases", "facts", "officer_month", "unit_month", "tenant_month")

HANDWRITTEN = """
WITH final AS (
    SELECT source, source_id, arg_max(event_type, event_at) AS last_type,
           max(event_at) FILTER (WHERE event_type = 'resolved') AS resolved_at,
           arg_max(unit_code, event_at) FILTER (WHERE unit_code IS NOT NULL) AS unit_code
    FROM stg_events
    WHERE event_type IN ('resolved', 'reopened', 'archived', 'rejected', 'forwarded',
                         'reassigned')
    GROUP BY ALL
), clocked AS (
    SELECT f.unit_code, c.category, s.wd_index AS start_idx,
           CASE WHEN f.last_type = 'resolved' THEN e.wd_index END AS end_idx,
           CASE WHEN c.complaint_class = 'permintaan_informasi' THEN 5 ELSE 14 END AS due_wd,
           u.calendar_key
    FROM stg_complaints AS c
    JOIN final AS f USING (source, source_id)
    JOIN ref_units AS u ON u.unit_code = f.unit_code
    JOIN calendar_days AS s
        ON s.calendar_key = u.calendar_key AND s.day = CAST(c.received_at AS DATE)
    LEFT JOIN calendar_days AS e
        ON e.calendar_key = u.calendar_key AND e.day = CAST(f.resolved_at AS DATE)
), judged AS (
    SELECT k.*, d.day AS due_date, end_idx - start_idx AS wd
    FROM clocked AS k
    JOIN calendar_days AS d
        ON d.calendar_key = k.calendar_key AND d.wd_index = k.start_idx + k.due_wd
        AND d.is_working_day
)
SELECT unit_code, strftime(due_date, '%Y-%m') AS month, count(*) AS resolution_due,
       count(*) FILTER (WHERE wd <= due_wd) AS resolution_met,
       quantile_cont(wd, 0.5) AS wd_median, quantile_cont(wd, 0.9) AS wd_p90
FROM judged
WHERE end_idx IS NOT NULL OR due_date <= DATE '2026-10-31'
GROUP BY ALL
"""


def prepare(base: Path) -> Path:
    """Generate and ingest the 1M city once; write its staged tables as Parquet."""
    out = base / "1m" / "staged"
    if (out / "calendar_days.parquet").exists():
        return out
    from pipelines.demo import generate_city
    from pipelines.engine import load_home_inputs, run_stage
    from pipelines.home import Home
    from pipelines.resources import RaporHome
    from pipelines.warehouse import connect

    home = Home(base / "1m" / "home")
    home.root.mkdir(parents=True, exist_ok=True)
    if not home.tenant_file.exists():
        generate_city(home.root, complaints=1_000_000)
    con = connect(base / "1m" / "ingest.duckdb")
    load_home_inputs(home, con)
    run_stage(con, "staging", {**RaporHome(path=str(home.root)).sql_params(), "run_id": "b"})
    out.mkdir(parents=True, exist_ok=True)
    for table in STAGED:
        con.execute(f"COPY {table} TO $p (FORMAT parquet)", {"p": str(out / f"{table}.parquet")})
    con.close()
    return out


def replicate(one: Path, base: Path, times: int) -> Path:
    """The same city with `times` the volume: every complaint repeated under new ids."""
    out = base / f"{times}m" / "staged"
    if (out / "calendar_days.parquet").exists():
        return out
    import duckdb

    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    for table in STAGED:
        src, dst = str(one / f"{table}.parquet"), str(out / f"{table}.parquet")
        if table.startswith("stg_"):
            # each copy k is its own source (new complaint keys and reporters); the rest
            # of every row stays as it is
            extra = ""
            exclude = "source, complaint_key"
            if table == "stg_complaints":
                extra = ", reporter_hash || '-' || k AS reporter_hash"
                exclude += ", reporter_hash"
            if table == "stg_events":
                extra = ", event_key + (k << 40) AS event_key"
                exclude += ", event_key"
            con.execute(
                f"COPY (SELECT * EXCLUDE ({exclude}), source || '_' || k AS source, "
                f"complaint_key + (k << 40) AS complaint_key{extra} "
                f"FROM read_parquet($src), range($n) AS r(k)) TO $dst (FORMAT parquet)",
                {"src": src, "dst": dst, "n": times},
            )
        else:
            con.execute("COPY (SELECT * FROM read_parquet($src)) TO $dst (FORMAT parquet)",
                        {"src": src, "dst": dst})  # fmt: skip
    return out


def measure(kind: str, staged: Path, memory_limit: str | None) -> dict:
    """Run one measurement in a child process; returns its timings and peak memory."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--staged", str(staged),
         "--memory-limit", memory_limit or ""],
        capture_output=True, text=True,
    )  # fmt: skip
    if out.returncode:
        lines = out.stderr.strip().splitlines()
        error = next((x for x in reversed(lines) if "Error" in x), lines[-1] if lines else "?")
        progress = [x for x in lines if x.split(" ", 1)[0] in STAGE_NAMES]
        return {"kind": kind, "failed": error, "progress": progress[-1] if progress else None}
    return json.loads(out.stdout.strip().splitlines()[-1])


def child(kind: str, staged: Path, memory_limit: str) -> None:
    started = time.perf_counter()
    result: dict = {"kind": kind}
    if kind == "pandas":
        result.update(pandas_sample(staged))
        result["seconds"] = round(time.perf_counter() - started, 2)
    else:
        result.update(duckdb_build(kind, staged, memory_limit))
    result["peak_mb"] = peak_mb()
    print(json.dumps(result))


def duckdb_build(kind: str, staged: Path, memory_limit: str) -> dict:
    """Load the staged tables into a fresh warehouse file, then run rapor's stages or the
    hand-written query. The warehouse is on disk, as in production: tables written by one
    stage can leave memory, so the memory limit holds without spilling them."""
    import datetime as dt

    from pipelines.engine import MONTH_STAGES, run_stage
    from pipelines.warehouse import connect

    warehouse = staged.parent / f"bench-{kind}.duckdb"
    files = (warehouse, Path(f"{warehouse}.wal"))
    for path in files:
        path.unlink(missing_ok=True)
    con = connect(warehouse, memory_limit=memory_limit or None)
    started = time.perf_counter()
    for table in STAGED:
        con.execute(
            f"CREATE TABLE {table} AS SELECT * FROM read_parquet($p)",
            {"p": str(staged / f"{table}.parquet")},
        )
    con.execute("CHECKPOINT")
    result: dict = {"load_s": round(time.perf_counter() - started, 2)}
    started = time.perf_counter()
    if kind == "rapor":
        from pipelines.policy import load_policy

        params = {"tenant": "bench", "tz": "Asia/Jakarta", "now": dt.datetime(2026, 11, 1),
                  "as_of_date": dt.date(2026, 10, 31), **load_policy().sql_params()}  # fmt: skip
        timings: dict[str, float] = {}
        months = {**params, "month_from": "2024-11", "month_to": "2026-10"}
        for stage in ("cases", "facts", *MONTH_STAGES):
            try:
                run_stage(con, stage, months if stage in MONTH_STAGES else params, timings)
            finally:  # on failure too: which files ran shows where it failed
                print(stage, {k: round(v, 2) for k, v in timings.items()}, file=sys.stderr)
        result["stages"] = {k: round(v, 2) for k, v in timings.items()}
        result["rows"] = con.execute("SELECT count(*) FROM unit_month").fetchall()[0][0]
        result["seconds"] = round(time.perf_counter() - started, 2)
        result["write_s"] = write_floor(con)
    else:
        result["rows"] = len(con.execute(HANDWRITTEN).fetchall())
        result["seconds"] = round(time.perf_counter() - started, 2)
    con.close()
    for path in files:
        path.unlink(missing_ok=True)
    return result


def write_floor(con) -> float:
    """Seconds to write the tables the build left in the warehouse once more, as copies:
    what storing them costs, apart from computing them (a floor for any engine that keeps
    every case behind a number, as rapor must for drill-down and the audit trail)."""
    skip = {*STAGED, "stg_case_links"}
    listed = con.execute(
        "SELECT table_name FROM duckdb_tables()"
        " WHERE NOT temporary AND database_name = current_database()"
    ).fetchall()
    tables = [t for (t,) in listed if t not in skip]
    started = time.perf_counter()
    for table in tables:
        con.execute(f"CREATE TABLE copy_of_{table} AS FROM {table}")
    seconds = time.perf_counter() - started
    for table in tables:
        con.execute(f"DROP TABLE copy_of_{table}")
    return round(seconds, 2)


def peak_mb() -> int:
    """This process's peak resident memory (VmHWM: reset by exec, unlike ru_maxrss)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def pandas_sample(staged: Path, sample: int = 20_000) -> dict:
    """Row-wise pandas: for each case, busday_count from receipt to resolution."""
    import numpy as np
    import pandas as pd

    complaints = pd.read_parquet(staged / "stg_complaints.parquet")
    events = pd.read_parquet(staged / "stg_events.parquet")
    calendar = pd.read_parquet(staged / "calendar_days.parquet")
    units = pd.read_parquet(staged / "ref_units.parquet")
    total = len(complaints)
    started = time.perf_counter()
    cases = complaints.sample(n=min(sample, total), random_state=1)
    ev = events.merge(cases[["source", "source_id"]], on=["source", "source_id"])
    resolved = ev[ev.event_type == "resolved"].groupby(["source", "source_id"]).event_at.max()
    holder = ev.dropna(subset=["unit_code"]).sort_values("event_at").groupby(
        ["source", "source_id"]).unit_code.last()  # fmt: skip
    cases = (
        cases.join(resolved.rename("resolved_at"), on=["source", "source_id"])
        .join(holder.rename("unit_code"), on=["source", "source_id"])
        .merge(units[["unit_code", "calendar_key", "workweek"]], on="unit_code")
    )
    holidays = {
        key: np.array(g.loc[~g.is_working_day & (pd.to_datetime(g.day).dt.weekday < 5), "day"],
                      dtype="datetime64[D]")
        for key, g in calendar.groupby("calendar_key")
    }  # fmt: skip

    def working_days(row) -> float:
        if pd.isna(row.resolved_at):
            return np.nan
        mask = "1111110" if row.workweek == 6 else "1111100"
        start = np.datetime64(row.received_at.date()) + 1
        end = np.datetime64(row.resolved_at.date()) + 1
        return np.busday_count(start, end, weekmask=mask, holidays=holidays[row.calendar_key])

    cases["wd"] = cases.apply(working_days, axis=1)
    cases["month"] = cases.resolved_at.dt.strftime("%Y-%m")
    summary = cases.groupby(["unit_code", "month"]).wd.agg(["count", "median"])
    seconds = time.perf_counter() - started
    return {"sample": len(cases), "sample_seconds": round(seconds, 2),
            "extrapolated_seconds": round(seconds * total / len(cases), 1),
            "rows": len(summary)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="1,10")
    parser.add_argument("--dir", default="/tmp/rapor-bench")
    parser.add_argument("--child")
    parser.add_argument("--staged")
    parser.add_argument("--memory-limit", default="")
    args = parser.parse_args()
    if args.child:
        child(args.child, Path(args.staged), args.memory_limit)
        return
    base = Path(args.dir)
    one = prepare(base)
    rows = []
    for scale in (int(s) for s in args.scales.split(",")):
        staged = one if scale == 1 else replicate(one, base, scale)
        for kind in ("rapor", "handwritten", "pandas"):
            result = measure(kind, staged, MEMORY_LIMIT.get(scale))
            result["scale_m"] = scale
            rows.append(result)
            print(json.dumps(result), flush=True)
    print("\n| complaints | what | wall s | peak MB | vs handwritten |")
    print("|---|---|---|---|---|")
    for scale in sorted({r["scale_m"] for r in rows}):
        hand = next(r for r in rows if r["scale_m"] == scale and r["kind"] == "handwritten")
        for r in (r for r in rows if r["scale_m"] == scale):
            if "failed" in r:
                # progress: the stage that failed, with the seconds of the files done
                print(f"| {scale}M | {r['kind']} | failed: {r['failed']} ({r['progress']}) | | |")
                continue
            seconds = r.get("extrapolated_seconds", r["seconds"])
            note = " (extrapolated)" if r["kind"] == "pandas" else ""
            print(f"| {scale}M | {r['kind']}{note} | {seconds} | {r['peak_mb']} | "
                  f"{seconds / hand['seconds']:.1f}x |")  # fmt: skip
            if "write_s" in r:
                print(f"| {scale}M | rapor: writing its tables once more (copies) | "
                      f"{r['write_s']} | | {r['write_s'] / hand['seconds']:.1f}x |")  # fmt: skip


if __name__ == "__main__":
    main()
