"""Running the pipeline in-process on a home (what `rapor run` and `rapor demo` do).

Runs go through the home's own Dagster instance (DIR/dagster), so they show up in
`dg dev` with their logs, metadata and check results.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import socket
import threading
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import polars as pl

import sql
from assets.readers import ROW_PROBLEM, TABLES, find_table_file, read_csv
from assets.reference import REFERENCE_TABLES
from pipelines.home import Home, HomeError
from pipelines.mappings import MappingError, load_mapping
from pipelines.partitions import partition_key, range_tags
from pipelines.policy import PolicyError, load_policy
from pipelines.processes import process_alive
from pipelines.resources import RaporHome
from pipelines.suggest import nearest
from pipelines.warehouse import connect

UPSTREAM = ["reference_data", "calendar_days", "source_rows", "staged_sources", "cases",
            "holder_facts", "flags"]  # fmt: skip
MONTHLY = ["officer_month", "unit_month", "tenant_month", "recommendations", "publications",
           "serving_snapshot"]  # fmt: skip
# who executes a run, so that another process can tell a live run from a dead one
PID_TAG, HOST_TAG = "rapor/pid", "rapor/host"
LOG_LEVEL = os.environ.get("RAPOR_LOG_LEVEL", "WARNING")  # what the console shows of runs


class PipelineFailed(RuntimeError):
    """A run that did not complete; the previous snapshot is still the one served."""


@dataclass
class RunSummary:
    runs: list[str]
    months: tuple[str, str]
    cases: int
    complaints_merged: int
    officers: int
    units: int
    quarantined: int
    quarantine_reasons: list[tuple[str, str, int]]
    snapshot: str
    # versions this call published: (month, version, provisional); empty when nothing moved
    publications: list[tuple[str, int, bool]] = field(default_factory=list)
    # SE MenPANRB distribution rules (docs/predikat.md): judged, and broken (a warning)
    distribution_rules: int = 0
    distribution_broken: int = 0
    # files a source folder holds that no table reads ("source/file"), quarantined as
    # "file not read"
    unread_files: list[str] = field(default_factory=list)
    # events stamped before receipt within the clock-skew tolerance, set to the receipt
    # time (a data-quality note, not quarantine; sql/stg_events.sql)
    clamped_events: int = 0
    # a source's own verdicts beside rapor's, per unit (verdict_agreement): unit_code,
    # with_verdict, compared, agree, disagree, rapor_not_judged, source_unknown, and the
    # case ids of the disagreeing cases
    verdicts: list[tuple] = field(default_factory=list)


def instance_for(home: Home) -> dg.DagsterInstance:
    home.ensure_dirs()
    os.environ["DAGSTER_HOME"] = str(home.dagster_home)
    return dg.DagsterInstance.get()


class WarehouseBusy(PipelineFailed):
    """Another run of this home is in progress; this one did not start."""


def _run_process(instance: dg.DagsterInstance, run) -> tuple[int | None, str | None]:
    """(pid, host) of the process executing `run`: rapor's own runs carry them as tags;
    for others (dg dev, the daemon) the pid on the run's first events, host unknown."""
    if run.tags.get(PID_TAG):
        return int(run.tags[PID_TAG]), run.tags.get(HOST_TAG)
    for record in instance.get_records_for_run(run.run_id, limit=20).records:
        event = record.event_log_entry.dagster_event
        if event is not None and event.pid:
            return event.pid, None
    return None, None


def release_dead_runs(home: Home, instance: dg.DagsterInstance) -> list[str]:
    """Mark runs that died without finishing (killed, machine lost) as failed and free the
    warehouse pool slot they held; otherwise the next run would wait for it forever.

    A run is dead only when the process executing it is gone: its pid no longer runs
    here, or now belongs to a process started after the run did. A run whose process is
    unknown (not started yet) or on another host is left alone, as is every live one,
    wherever it is between or inside its steps."""
    active = instance.get_runs(
        filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED])
    )
    dead = []
    for run in active:
        pid, host = _run_process(instance, run)
        if pid is None or (host is not None and host != socket.gethostname()):
            continue
        # a process started after the run did is another one that got the same pid
        started = instance.get_run_record_by_id(run.run_id).start_time
        if process_alive(pid, since=started):
            continue
        instance.report_run_failed(run, message=f"rapor: the process running it (pid {pid}) died")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        dead.append(run.run_id)
    return dead


def _materialize(selection: list[str], home: Home, instance, tags=None, partition_key=None):
    warnings.filterwarnings("ignore", category=dg.BetaWarning)
    from pipelines.definitions import defs

    assets = list(defs.assets)
    result = dg.materialize(
        assets,
        selection=selection,
        instance=instance,
        resources={"rapor": RaporHome(path=str(home.root))},
        tags={**(tags or {}), PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()},
        partition_key=partition_key,
        raise_on_error=False,
        run_config={"loggers": {"console": {"config": {"log_level": LOG_LEVEL}}}},
    )
    failed_checks = [
        e.asset_check_evaluation_data.check_name
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
        and not e.asset_check_evaluation_data.passed
    ]
    if not result.success or failed_checks:
        failures = [
            f"{e.step_key}: {_root_message(e.event_specific_data.error)}"
            for e in result.all_events
            if e.is_step_failure
        ]
        detail = "; ".join(failures + [f"check failed: {c}" for c in failed_checks])
        raise PipelineFailed(f"run {result.run_id} failed: {detail or 'see dg dev'}")
    return result.run_id


def data_months(home: Home, as_of_month: str) -> tuple[str, str]:
    """First and last month with facts; months after the data cut-off wait for their turn
    (a deadline met early but falling due next month is judged next month)."""
    con = connect(home.warehouse_path, read_only=True)
    try:
        first, last = con.execute(
            "SELECT min(month), max(month) FROM holder_facts WHERE month <= $m",
            {"m": as_of_month},
        ).fetchone()
    finally:
        con.close()
    if first is None:
        raise PipelineFailed("no complaints were staged: nothing to score")
    return first, last


def _root_message(error) -> str:
    """The innermost error's message: what went wrong, not Dagster's wrapper around it."""
    while error.cause is not None:
        error = error.cause
    return error.message.strip()


class ConfigurationError(PipelineFailed):
    """A mistake in the home's configuration, found before any run started."""


def check_configuration(home: Home) -> None:
    """tenant.yaml, policy.yaml, every source's source.yaml and the reference files'
    headers are checked before any run starts, so a typo is one line naming the file, the
    key and the nearest valid one, and the last snapshot stays served. The assets check
    them again when they read (and the files a mapping lists)."""
    try:
        home.tenant  # noqa: B018 - reading it checks tenant.yaml
        load_policy(home.policy_file if home.policy_file.exists() else None)
        for folder in home.source_dirs():
            load_mapping(folder)
    except (HomeError, PolicyError, MappingError) as exc:
        raise ConfigurationError(str(exc)) from exc
    # (case_links.csv is a reviewer's file: one lacking a column is quarantined whole, row
    # by row, as docs/merging.md says, and the run goes on)
    for table in REFERENCE_TABLES:
        path = find_table_file(home.reference_dir, table)
        problem = path and header_problem(path, table)
        if problem:
            raise ConfigurationError(f"{path.relative_to(home.root)}: {problem}")


def header_problem(path: Path, table: str) -> str | None:
    """Why a reference file's header cannot be read as `table`: a required column missing,
    or a column that is a misspelling of one rapor reads (the nearest named); None if fine.
    Other columns are allowed (and ignored)."""
    try:  # read as the reference asset reads it (encodings, BOM): small files
        if path.suffix == ".parquet":
            names = list(pl.read_parquet_schema(path))
        else:
            names = [c for c in read_csv(path).frame.columns if c != ROW_PROBLEM]
    except Exception:  # the asset quarantines an unreadable file row by row, with the reason
        return None
    names = [n.strip().lower() for n in names]
    if not names:  # an empty file: the reference asset says what that means ("no units")
        return None
    columns, required = TABLES[table]
    missing = [c for c in required if c not in names]
    if missing:
        return "required column(s) missing: " + ", ".join(
            f"'{c}'" + (f" (the header has '{m[0]}': a typo?)"
                        if (m := difflib.get_close_matches(c, names, n=1, cutoff=0.75)) else "")
            for c in missing
        )  # fmt: skip
    typos = [(n, hint) for n in names if n not in columns and (hint := nearest(n, columns))]
    if typos:
        return "unknown column(s) " + ", ".join(f"'{n}'{hint}" for n, hint in typos)
    return None


def _import_gx_meanwhile() -> None:
    """Start importing Great Expectations in a thread: it takes seconds of mostly Python
    work, and the quality gate needs it only after reading and staging, whose Polars and
    DuckDB work leaves the GIL free, so on two cores the import costs the run little. The
    gate's own import waits for this one (the import lock); a failure here only means
    the gate imports it itself."""
    from pipelines.quality import _gx

    def quietly():
        with contextlib.suppress(Exception):  # the gate imports it again and says why
            _gx()

    threading.Thread(target=quietly, name="rapor-import-gx", daemon=True).start()


def run_pipeline(home: Home, month: str | None = None) -> RunSummary:
    """Ingest everything, then recompute `month` (YYYY-MM) or every month with data, audit,
    and publish. Raises PipelineFailed, leaving the last snapshot in place, on failure."""
    check_configuration(home)
    instance = instance_for(home)
    release_dead_runs(home, instance)
    busy = instance.get_runs(
        filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED])
    )
    if busy:  # two runs would take turns at the single-writer warehouse and break each other
        raise WarehouseBusy(
            f"another run of {home.root} is in progress ({', '.join(r.run_id for r in busy)}); "
            "try again when it has finished"
        )
    _import_gx_meanwhile()
    if month:
        run = _materialize(UPSTREAM + MONTHLY, home, instance, partition_key=partition_key(month))
        runs, months = [run], (month, month)
    else:
        first_run = _materialize(UPSTREAM, home, instance)
        as_of = RaporHome(path=str(home.root)).as_of_date()
        months = data_months(home, as_of.strftime("%Y-%m"))
        second_run = _materialize(MONTHLY, home, instance, tags=range_tags(*months))
        runs = [first_run, second_run]
    return summarize(home, runs, months)


def summarize(home: Home, runs: list[str], months: tuple[str, str]) -> RunSummary:
    con = connect(home.snapshot_path, read_only=True)
    try:
        one = lambda q: con.execute(q).fetchone()[0]  # noqa: E731
        reasons = con.execute(
            "SELECT input_table, reason_code, count(*) "
            "FROM quarantine GROUP BY ALL ORDER BY 3 DESC, 1, 2"
        ).fetchall()
        return RunSummary(
            runs=runs,
            months=months,
            cases=one("SELECT count(*) FROM cases"),
            complaints_merged=one("SELECT count(*) FROM case_members WHERE NOT is_primary"),
            officers=one("SELECT count(DISTINCT officer_nip) FROM officer_month"),
            units=one("SELECT count(DISTINCT unit_code) FROM unit_month"),
            quarantined=one("SELECT count(*) FROM quarantine"),
            quarantine_reasons=[(t, w.strip(), n) for t, w, n in reasons],
            snapshot=str(home.snapshot_path),
            publications=con.execute(
                "SELECT month, version, provisional FROM publications "
                "WHERE list_contains($runs, run_id) ORDER BY month, version",
                {"runs": runs},
            ).fetchall(),
            distribution_rules=one("SELECT count(*) FROM predikat_distribution"),
            distribution_broken=one("SELECT count(*) FROM predikat_distribution WHERE NOT passed"),
            unread_files=[
                f"{source}/{file}"
                for source, file in con.execute(
                    "SELECT DISTINCT source, file FROM quarantine "
                    "WHERE reason_code = 'file not read' ORDER BY ALL"
                ).fetchall()
            ],
            clamped_events=one("SELECT coalesce(sum(clamped_events), 0) FROM cases"),
            verdicts=con.execute(sql.text("verdict_summary")).fetchall(),
        )
    finally:
        con.close()
