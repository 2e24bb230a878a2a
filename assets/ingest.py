"""Ingestion: every source folder's files read as text, typed, checked; bad rows quarantined."""

import dagster as dg
import polars as pl

from assets.common import WAREHOUSE_POOL, count, replace_table
from assets.fetch import fetch_sources
from assets.mapped import read_mapped_source
from assets.readers import Reporters, empty_frame, find_table_file, inventory_frame, read_table
from pipelines.engine import run_stage
from pipelines.mappings import load_mapping
from pipelines.resources import RaporHome

SOURCE_TABLES = ("complaints", "events", "ratings")
INPUT_TABLES = (
    "complaints", "events", "ratings", "units", "officers", "calendar_overrides", "case_links",
    "behaviour_ratings", "organisation_ratings",
)  # fmt: skip


def read_sources(home, inventory: list[dict] | None = None):
    """All source folders' files by table, reporter ids hashed; and the files read (each
    added to `inventory`, when given, with its format, encoding and reader). A folder with
    a `source.yaml` is read through its mapping (docs/sources.md)."""
    reporters = Reporters(home.hash_secret())
    frames: dict[str, list[pl.DataFrame]] = {t: [empty_frame(t)] for t in SOURCE_TABLES}
    files = []
    for folder in home.source_dirs():
        mapping = load_mapping(folder)
        if mapping is not None and mapping.format != "canonical":
            mapped, read = read_mapped_source(folder, mapping, reporters, inventory)
            for table, parts in mapped.items():
                frames[table].extend(parts)
            files.extend(read)
            continue
        for table in SOURCE_TABLES:
            path = find_table_file(folder, table)
            if path is not None:
                encoding = mapping.encoding if mapping is not None else "utf8"
                frames[table].append(
                    read_table(path, table, folder.name, reporters, encoding, inventory)
                )
                files.append(f"{folder.name}/{path.name}")
    return {t: pl.concat(fs) for t, fs in frames.items()}, files


@dg.asset(group_name="ingest", pool=WAREHOUSE_POOL, kinds={"duckdb"})
def source_rows(context: dg.AssetExecutionContext, rapor: RaporHome) -> dg.MaterializeResult:
    """Every row of every file in `DIR/sources/*/` as text (`raw_complaints`, `raw_events`,
    `raw_ratings`) with source, file and row number; reporter ids already hashed. Sources
    on servers (databases, Open311 endpoints) are fetched first: what changed since their
    last fetch lands in their folder (assets/fetch.py); a fetch that fails fails the run."""
    fetched = fetch_sources(rapor.home, context.log)  # logs what each source landed
    inventory: list[dict] = []
    frames, files = read_sources(rapor.home, inventory)
    with rapor.warehouse() as con:
        for table, frame in frames.items():
            replace_table(con, f"raw_{table}", frame)
        replace_table(con, "raw_files", inventory_frame(inventory))
    meta = {f"{t}_rows": f.height for t, f in frames.items()}
    context.log.info(f"read {len(files)} files: {meta}")
    fetched_meta = {
        f"fetched_{source}_{table}": n for source, counts in fetched.items()
        for table, n in counts.items()
    }  # fmt: skip
    return dg.MaterializeResult(
        metadata={**meta, **fetched_meta, "files": ", ".join(files) or "(none)",
                  "file_inventory": _inventory_md(inventory)}
    )  # fmt: skip


def _inventory_md(inventory: list[dict]) -> dg.MetadataValue:
    """The files read (`raw_files`) as a Markdown table: how each was read, how many rows."""
    lines = ["| file | table | format | encoding | reader | bytes | rows |", "|---" * 7 + "|"]
    lines += [
        f"| {e['source']}/{e['file']} | {e['input_table']} | {e['format']} | "
        f"{e['encoding'] or ''} | {e['reader']} | {e['bytes']} | {e['rows']} |"
        for e in inventory
    ]
    return dg.MetadataValue.md("\n".join(lines))


def _counts_add_up(con) -> dg.AssetCheckResult:
    rows = []
    for table in INPUT_TABLES:
        read, kept, rejected = con.execute(
            f"SELECT count(*), count(*) FILTER (WHERE reason IS NULL), "
            f"count(*) FILTER (WHERE reason IS NOT NULL) FROM checked_{table}"
        ).fetchone()
        quarantined = con.execute(
            "SELECT count(*) FROM quarantine WHERE input_table = $t", {"t": table}
        ).fetchone()[0]
        rows.append((table, read, kept, rejected, quarantined))
    bad = [r for r in rows if r[1] != r[2] + r[4] or r[3] != r[4]]
    return dg.AssetCheckResult(
        check_name="rows_add_up",
        passed=not bad,
        metadata={f"{t}": f"read {r} = staged {k} + quarantined {q}" for t, r, k, _, q in rows},
        description="every input row is either staged or quarantined",
    )


@dg.asset(
    group_name="ingest",
    deps=["source_rows", "reference_data"],
    pool=WAREHOUSE_POOL,
    kinds={"duckdb"},
    check_specs=[dg.AssetCheckSpec("rows_add_up", asset="staged_sources", blocking=True)],
)
def staged_sources(context: dg.AssetExecutionContext, rapor: RaporHome):
    """Typed, checked source tables `stg_complaints`, `stg_events`, `stg_ratings` (local
    time of the tenant) and `quarantine`: every rejected input row, with its source, file,
    row number, raw values and the reason."""
    params = rapor.sql_params()
    with rapor.warehouse() as con:
        run_stage(con, "staging", {**params, "run_id": context.run.run_id})
        staged = {t: count(con, f"stg_{t}") for t in SOURCE_TABLES}
        by_reason = con.execute(
            "SELECT input_table, reason_code, count(*) "
            "FROM quarantine GROUP BY ALL ORDER BY 3 DESC LIMIT 20"
        ).fetchall()
        quarantined = count(con, "quarantine")
        # older versions of a row a later file or fetch replaced: kept, but not faults
        superseded = count(con, "quarantine", "reason_code = 'superseded'")
        check = _counts_add_up(con)
    faults = [(t, why, n) for t, why, n in by_reason if why != "superseded"]
    if faults:
        context.log.warning(
            f"{quarantined - superseded} input rows quarantined: "
            + "; ".join(f"{t} {why.strip()} x{n}" for t, why, n in faults)
        )
    if superseded:
        context.log.info(f"{superseded} older versions superseded by newer files or fetches")
    yield dg.MaterializeResult(
        metadata={
            **{f"staged_{t}": n for t, n in staged.items()},
            "quarantined": quarantined,
            "superseded": superseded,
            "quarantine_reasons": dg.MetadataValue.md(
                "\n".join(f"- {t}: {why.strip()} ({n})" for t, why, n in by_reason) or "none"
            ),
        }
    )
    yield check
