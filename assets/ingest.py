"""Ingestion: every source folder's files read as text, typed, checked; bad rows quarantined."""

import dagster as dg
import polars as pl

from assets.common import WAREHOUSE_POOL, count, replace_table
from assets.fetch import fetch_sources
from assets.mapped import is_fetched, read_mapped_source, unread_files
from assets.readers import (
    DEADLINE_COLUMNS,
    Reporters,
    empty_frame,
    file_problem_frame,
    find_table_file,
    inventory_frame,
    read_table,
)
from pipelines.engine import run_stage
from pipelines.mappings import Deadlines, MappingError, load_mapping, outside_problem
from pipelines.resources import RaporHome

SOURCE_TABLES = ("complaints", "events", "ratings")
INPUT_TABLES = (
    "complaints", "events", "ratings", "units", "officers", "calendar_overrides", "case_links",
    "behaviour_ratings", "organisation_ratings",
)  # fmt: skip


UNREAD = "file not read"  # the reason code of a file no table of its source reads


def read_sources(
    home, inventory: list[dict] | None = None
) -> tuple[dict[str, pl.DataFrame], list[str]]:
    """All source folders' files by table, reporter ids hashed; and the files read (each
    added to `inventory`, when given, with its format, encoding and reader). A folder with
    a `source.yaml` is read through its mapping (docs/sources.md). Only files inside
    their folder are read (a link out fails the run, MappingError); a file no table reads
    becomes one quarantine row, "file not read", so that none goes unseen."""
    reporters = Reporters(home.hash_secret())
    frames: dict[str, list[pl.DataFrame]] = {t: [empty_frame(t)] for t in SOURCE_TABLES}
    files = []
    for folder in home.source_dirs():
        mapping = load_mapping(folder)
        first = len(frames["complaints"])
        if mapping is not None and mapping.format != "canonical":
            mapped, read = read_mapped_source(folder, mapping, reporters, inventory)
            for table, parts in mapped.items():
                frames[table].extend(parts)
            files.extend(read)
            paths = [folder.parent / f for f in read]
            hint = "add a table's 'from:' pattern for it to source.yaml, or move it out"
            unread = unread_files(folder, paths, fetched=is_fetched(mapping))
        else:
            paths = []
            encoding = mapping.encoding if mapping is not None else "utf8"
            for table in SOURCE_TABLES:
                path = find_table_file(folder, table)
                if path is None:
                    continue
                problem = outside_problem(folder, path)
                if problem:
                    raise MappingError(f"sources/{folder.name}: {table}: refused: {problem}")
                frames[table].append(
                    read_table(path, table, folder.name, reporters, encoding, inventory)
                )
                files.append(f"{folder.name}/{path.name}")
                paths.append(path)
            hint = (
                "name it complaints.csv, events.csv or ratings.csv (or .parquet), "
                "or describe it in a source.yaml"
            )
            unread = unread_files(folder, paths)
        for path in unread:
            name = path.relative_to(folder).as_posix()
            table = _meant_for(name)
            detail = f"{UNREAD}: no table of source {folder.name} reads {name}; {hint}"
            frames[table].append(file_problem_frame(table, folder.name, name, detail))
        if mapping is not None and mapping.deadlines is not None:
            frames["complaints"][first:] = [
                _with_deadlines(f, mapping.deadlines) for f in frames["complaints"][first:]
            ]
    return {t: pl.concat(fs) for t, fs in frames.items()}, files


def _with_deadlines(frame: pl.DataFrame, deadlines: Deadlines) -> pl.DataFrame:
    """A source's complaint rows with how its `deadlines:` say they are judged
    (DEADLINE_COLUMNS: the rule and what a record without due_at gets)."""
    rule, undated = DEADLINE_COLUMNS
    return frame.with_columns(
        pl.lit(deadlines.rule, pl.String).alias(rule),
        pl.lit(deadlines.without_due_at, pl.String).alias(undated),
    )


def _meant_for(name: str) -> str:
    """The table an unread file was most likely meant for, by its name (Events.CSV,
    ratings-2025.xlsx); complaints otherwise. Only where its quarantine row is filed."""
    lowered = name.lower()
    return next((t for t in ("events", "ratings") if t.rstrip("s") in lowered), "complaints")


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
    unread = [
        f"{source}/{file}"
        for frame in frames.values()
        for source, file in frame.filter(pl.col("file_problem").str.starts_with(UNREAD))
        .select("source", "file")
        .iter_rows()
    ]
    if unread:
        context.log.warning(f"{len(unread)} file(s) no table reads: {', '.join(unread)}")
    fetched_meta = {
        f"fetched_{source}_{table}": n for source, counts in fetched.items()
        for table, n in counts.items()
    }  # fmt: skip
    return dg.MaterializeResult(
        metadata={
            **meta,
            **fetched_meta,
            "files": ", ".join(files) or "(none)",
            "files_not_read": ", ".join(unread) or "(none)",
            "file_inventory": _inventory_md(inventory),
        }
    )


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
    """Every input row is staged or quarantined, file by file: for each input table,
    source and file, the rows read (raw_<table>) = the rows staged (stg_<table> for the
    source tables; the checked rows without a reason for reference data) + the rows
    quarantined, and the rows staging rejected = the rows quarantined. The files that do
    not add up are named in the metadata."""
    rows, bad = [], []
    for table in INPUT_TABLES:
        # table names from INPUT_TABLES, not values
        staged = (
            f"SELECT source, file, count(*) AS n FROM stg_{table} GROUP BY ALL"
            if table in SOURCE_TABLES
            else f"SELECT source, file, count(*) AS n FROM checked_{table} "
            "WHERE reason IS NULL GROUP BY ALL"
        )
        files = con.execute(
            f"""
            WITH read AS (SELECT source, file, count(*) AS n FROM raw_{table} GROUP BY ALL),
            staged AS ({staged}),
            rejected AS (SELECT source, file, count(*) AS n FROM checked_{table}
                         WHERE reason IS NOT NULL GROUP BY ALL),
            quarantined AS (SELECT source, file, count(*) AS n FROM quarantine
                            WHERE input_table = $t GROUP BY ALL),
            files AS (SELECT source, file FROM read UNION SELECT source, file FROM staged
                      UNION SELECT source, file FROM quarantined)
            SELECT f.source, f.file, coalesce(r.n, 0), coalesce(s.n, 0), coalesce(j.n, 0),
                   coalesce(q.n, 0)
            FROM files AS f
            LEFT JOIN read AS r USING (source, file)
            LEFT JOIN staged AS s USING (source, file)
            LEFT JOIN rejected AS j USING (source, file)
            LEFT JOIN quarantined AS q USING (source, file)
            ORDER BY ALL
            """,
            {"t": table},
        ).fetchall()
        for source, file, read, kept, rejected, quarantined in files:
            rows.append((table, read, kept, quarantined))
            if read != kept + quarantined or rejected != quarantined:
                bad.append(
                    f"{table} {source}/{file}: read {read} != staged {kept} + "
                    f"quarantined {quarantined}"
                    + (f" (staging rejected {rejected})" if rejected != quarantined else "")
                )
    totals = {}
    for table, read, kept, quarantined in rows:
        r, k, q = totals.get(table, (0, 0, 0))
        totals[table] = (r + read, k + kept, q + quarantined)
    metadata = {
        t: f"read {r} {'=' if r == k + q else '!='} staged {k} + quarantined {q}"
        for t, (r, k, q) in totals.items()
    } | {"files_checked": len(rows), "files_not_adding_up": "; ".join(bad) or "none"}
    return dg.AssetCheckResult(
        check_name="rows_add_up",
        passed=not bad,
        metadata=metadata,
        description="every input row is either staged or quarantined, file by file",
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
