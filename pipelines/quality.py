"""Quality gates: what the staged data must satisfy before anything is published.

Each staged table has a suite of expectations, built here in code and validated with Great
Expectations (GX) on a pandas frame queried from the warehouse (only the columns tested and
those that locate a row); a fourth suite compares the complaints of the newest complete
month with the months before it. `assets/quality.py` runs the four as blocking Dagster
checks on `staged_sources`: a failed gate stops every downstream asset, so nothing is
published and the previous snapshot stays served (write, audit, publish; docs/quality.md).

Every outcome, passed or not, becomes a row of `quality_results` (run, asset, check,
family, expectation, passed, observed, expected, failing_rows, rows_checked,
failing_rows_sample, checked_at): kept in the warehouse, copied into each snapshot, and
written by the gate itself to `serving/quality.duckdb`, which the app reads even when
publication was blocked.

GX takes seconds to import: it is imported on first use (`_gx`), never when this module
is imported, so loading the Dagster code location stays fast.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import statistics
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import polars as pl

from pipelines.mappings import EVENT_TYPES  # the contract's event types, one list
from pipelines.policy import COMPLAINT_CLASSES, VolumeGate
from pipelines.warehouse import run_sql

ASSET = "staged_sources"  # the asset the gate checks
QUALITY_FILE = "quality.duckdb"  # the gate's own file in DIR/serving/
SAMPLE_ROWS = 5  # failing rows kept per expectation

CHECKS: dict[str, str] = {
    "stg_complaints_valid": "stg_complaints: columns and types; complaint_key present and "
    "unique, one row per source and source_id; received_at present and not in the future; "
    "known channels and complaint classes.",
    "stg_events_valid": "stg_events: columns and types; event_key present and unique; each "
    "event belongs to a staged complaint and is not before its receipt nor in the future "
    "(a note counts those clamped to receipt for clock skew); known event types; units "
    "and officers of the reference data; every NIP 18 digits with "
    "a real birth date, a plausible age, a plausible appointment month and sex digit 1 or 2.",
    "stg_ratings_valid": "stg_ratings: columns and types; each rating belongs to a staged "
    "complaint, is not before its receipt nor in the future; score 1 to 5.",
    "complaint_volume": "Complaints received in the newest complete month against the median "
    "of the months before it (thresholds: policy quality.volume).",
}
TABLES = {
    "stg_complaints_valid": "stg_complaints",
    "stg_events_valid": "stg_events",
    "stg_ratings_valid": "stg_ratings",
}
# the frame each table's rows are read from (a temporary view, sql/<name>.sql)
FRAMES = {
    "stg_complaints": "quality_complaints",
    "stg_events": "quality_events",
    "stg_ratings": "quality_ratings",
}

# The columns (and DuckDB types) of the staged tables that the later stages rely on. More
# columns are welcome; a missing or retyped one fails the gate.
SCHEMAS: dict[str, dict[str, str]] = {
    "stg_complaints": {
        "complaint_key": "BIGINT", "source": "VARCHAR", "source_id": "VARCHAR",
        "channel": "VARCHAR", "received_at": "TIMESTAMP", "category": "VARCHAR",
        "complaint_class": "VARCHAR", "title": "VARCHAR", "description": "VARCHAR",
        "district": "VARCHAR", "village": "VARCHAR", "lat": "DOUBLE", "lon": "DOUBLE",
        "reporter_hash": "VARCHAR", "is_anonymous": "BOOLEAN", "is_confidential": "BOOLEAN",
        "due_at": "TIMESTAMP", "file": "VARCHAR", "row_number": "BIGINT",
    },
    "stg_events": {
        "event_key": "BIGINT", "complaint_key": "BIGINT", "type_order": "INTEGER",
        "source": "VARCHAR", "source_id": "VARCHAR", "event_at": "TIMESTAMP",
        "event_type": "VARCHAR", "unit_code": "VARCHAR", "officer_nip": "VARCHAR",
        "note": "VARCHAR", "file": "VARCHAR", "row_number": "BIGINT",
    },
    "stg_ratings": {
        "complaint_key": "BIGINT", "source": "VARCHAR", "source_id": "VARCHAR",
        "rated_at": "TIMESTAMP", "score": "INTEGER", "resolved": "BOOLEAN",
        "comment": "VARCHAR", "file": "VARCHAR", "row_number": "BIGINT",
    },
}  # fmt: skip
CHANNELS = (
    "lapor",
    "city_portal",
    "whatsapp",
    "call_center",
    "email",
    "instagram",
    "facebook",
    "x",
    "mass_media",
    "walk_in",
    "sms",
    "mobile_app",
    "letter",
    "other",
)
# NIP layout: birth date YYYYMMDD, appointment YYYYMM, sex digit, serial (as sql/macros.sql)
NIP_PATTERN = r"^[0-9]{18}$"
NIP_BIRTH_YEARS = (1940, 2010)
NIP_MIN_AGE_AT_APPOINTMENT = 17  # in calendar years, as nip_problem counts them
# the columns that locate a failing row in the samples
COMPLAINT_ROW = ("complaint_key", "source", "source_id", "file", "row_number")
EVENT_ROW = ("event_key", "source", "source_id", "file", "row_number")
RATING_ROW = ("complaint_key", "source", "source_id", "file", "row_number")


@dataclass(frozen=True)
class Outcome:
    """One expectation's result: what an auditor reads in quality_results."""

    check: str
    family: str
    expectation: str  # the GX expectation and its column(s), e.g. ..._unique(complaint_key)
    passed: bool
    observed: str
    expected: str
    failing_rows: int
    rows_checked: int
    sample: list[dict[str, Any]] = field(default_factory=list)


def failed(outcomes: Iterable[Outcome]) -> list[Outcome]:
    return [o for o in outcomes if not o.passed]


@dataclass(frozen=True)
class Rule:
    """One expectation of a suite: its family, what is expected in words, how to build it
    with GX (`make(gxe)`), the columns a failing row is shown with, the column that names a
    failing row in the observed text (default: the failing value itself), and optionally
    how to word what was observed (`observe(result, frame)`)."""

    family: str
    expected: str
    make: Callable[[Any], Any]
    columns: tuple[str, ...] = ()
    observe: Callable[[dict, pd.DataFrame], str] | None = None
    named_by: str | None = None


# --- Great Expectations, imported on first use ---------------------------------------
def _gx():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")  # no usage statistics sent
    import great_expectations as gx
    import great_expectations.expectations as gxe

    return gx, gxe


def _context(gx):
    """A fresh in-memory context: no files, no analytics, no progress bars."""
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def validate(
    check: str, frame: pd.DataFrame, rules: Sequence[Rule], unit: str = "rows"
) -> list[Outcome]:
    """Validate `frame` against the suite made of `rules`; one Outcome per rule, in order."""
    frame = _nanosecond_times(frame)
    gx, gxe = _gx()
    context = _context(gx)
    batch = (
        context.data_sources.add_pandas(f"{check}_frames")
        .add_dataframe_asset("frame")
        .add_batch_definition_whole_dataframe("whole")
        .get_batch(batch_parameters={"dataframe": frame})
    )
    expectations = []
    for i, rule in enumerate(rules):
        expectation = rule.make(gxe)
        expectation.meta = {**(expectation.meta or {}), "rule": i}
        expectations.append(expectation)
    suite = context.suites.add(gx.ExpectationSuite(name=check, expectations=expectations))
    result = batch.validate(
        suite, result_format={"result_format": "SUMMARY", "partial_unexpected_count": SAMPLE_ROWS}
    )
    by_rule = {int(r.expectation_config.meta["rule"]): r for r in result.results}
    outcomes = []
    for i, rule in enumerate(rules):
        r = by_rule.get(i)
        if r is not None:
            outcomes.append(_outcome(check, rule, r.expectation_config, r, frame, unit))
        else:  # never skip a rule silently: no result fails it
            label = _label(expectations[i].configuration)
            outcomes.append(Outcome(check, rule.family, label, False, "no result from GX",
                                    rule.expected, len(frame), len(frame)))  # fmt: skip
    return outcomes


def _nanosecond_times(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its timestamp columns as datetime64[ns]: DuckDB hands pandas
    microseconds, for which GX compares a column with a bound value by value in Python
    (`is_between`, seconds on 100,000s of rows); on nanoseconds it compares whole columns.
    The values, and so every outcome, are the same."""
    times = [
        c for c in frame.columns
        if pd.api.types.is_datetime64_any_dtype(frame[c].dtype)
        and not isinstance(frame[c].dtype, pd.DatetimeTZDtype)
        and frame[c].dtype != "datetime64[ns]"
    ]  # fmt: skip
    if not times:
        return frame
    return frame.assign(**{c: frame[c].astype("datetime64[ns]") for c in times})


def _label(config) -> str:
    kwargs = config.kwargs
    if "column" in kwargs:
        columns = [kwargs["column"]]
    elif "column_A" in kwargs:
        columns = [kwargs["column_A"], kwargs["column_B"]]
    else:
        columns = list(kwargs.get("column_list") or [])
    return f"{config.type}({', '.join(columns)})"


def _error(info: Any) -> str | None:
    """The message of an exception GX caught while validating (a missing column...)."""
    if not info:
        return None
    if "raised_exception" in info:
        return str(info.get("exception_message")) if info["raised_exception"] else None
    for value in info.values():
        raised = getattr(value, "raised_exception", None)
        if raised is None and isinstance(value, Mapping):
            raised = value.get("raised_exception")
        if raised:
            message = getattr(value, "exception_message", None)
            if message is None and isinstance(value, Mapping):
                message = value.get("exception_message")
            return str(message)
    return None


def _outcome(check, rule: Rule, config, r, frame: pd.DataFrame, unit: str) -> Outcome:
    result = dict(r.result or {})
    error = _error(r.exception_info)
    total = int(result.get("element_count", len(frame)))
    bad = int(result.get("unexpected_count") or 0)
    index = list(result.get("partial_unexpected_index_list") or [])
    if error:
        observed, bad = f"could not be evaluated: {error}", total
    elif rule.observe is not None:
        observed = rule.observe(result, frame)
    elif "unexpected_count" in result:
        observed = f"{bad} of {total} {unit} fail"
        if rule.named_by and index:
            shown = frame.loc[index, rule.named_by].tolist()
        else:
            shown = list(result.get("partial_unexpected_list") or [])
        shown = [v for v in shown if not _missing(v)]
        if bad and shown:
            observed += ", e.g. " + "; ".join(text(v) for v in shown[:3])
    else:
        observed = text(result.get("observed_value"))
    wanted = dict.fromkeys(rule.columns or tuple(frame.columns))  # in order, each once
    columns = [c for c in wanted if c in frame.columns]
    sample = records(frame.loc[index[:SAMPLE_ROWS], columns]) if index else []
    return Outcome(
        check=check,
        family=rule.family,
        expectation=_label(config),
        passed=bool(r.success) and not error,
        observed=observed,
        expected=rule.expected,
        failing_rows=bad,
        rows_checked=total,
        sample=sample,
    )


# --- values as text and JSON ---------------------------------------------------------
def _missing(v: Any) -> bool:
    if v is None or v is pd.NaT or v is pd.NA:
        return True
    return isinstance(v, float) and math.isnan(v)


def plain(v: Any) -> Any:
    """A value as JSON holds it: timestamps as 'YYYY-MM-DD HH:MM:SS', NaN/NA/NaT as None."""
    if isinstance(v, tuple | list):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if _missing(v) or (isinstance(v, np.datetime64) and np.isnat(v)):
        return None
    if isinstance(v, pd.Timestamp | dt.datetime | np.datetime64):
        return pd.Timestamp(v).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, np.generic):
        v = v.item()  # a numpy number or bool
    if isinstance(v, int | float) and not isinstance(v, bool):
        if isinstance(v, float) and v.is_integer():
            return int(v)
        return v
    if isinstance(v, bool | str):
        return v
    if _missing_like(v):
        return None
    return str(v)


def _missing_like(v: Any) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def text(v: Any) -> str:
    value = plain(v)
    if isinstance(value, list):
        return "(" + ", ".join(text(x) for x in value) + ")"
    if isinstance(value, dict):
        return " ".join(f"{k}={text(x)}" for k, x in value.items())
    return "(empty)" if value is None else str(value)


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


# --- the suites ------------------------------------------------------------------------
def _when(now: dt.datetime) -> str:
    return now.strftime("%Y-%m-%d %H:%M:%S")


def _not_null(gxe, column: str):
    return gxe.ExpectColumnValuesToNotBeNull(column=column)


def _present(family: str, column: str, row: tuple[str, ...]) -> Rule:
    return Rule(family, f"{column} present on every row", lambda g: _not_null(g, column), row)


def _key_rules(key: str, row: tuple[str, ...]) -> list[Rule]:
    return [
        _present("keys", key, row),
        Rule("keys", f"{key} unique", lambda g: g.ExpectColumnValuesToBeUnique(column=key), row),
    ]


def _not_in_future(column: str, now: dt.datetime, row: tuple[str, ...]) -> Rule:
    return Rule(
        "timestamps",
        f"{column} not after the run's now ({_when(now)}, local time)",
        lambda g: g.ExpectColumnValuesToBeBetween(column=column, max_value=now),
        (*row, column),
    )


def _after_receipt(column: str, row: tuple[str, ...]) -> Rule:
    return Rule(
        "timestamps",
        f"{column} on or after the complaint's received_at",
        lambda g: g.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=column,
            column_B="complaint_received_at",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
        ),
        (*row, column, "complaint_received_at"),
    )


def _complaint_staged(row: tuple[str, ...]) -> Rule:
    return Rule(
        "references",
        "complaint_key of a staged complaint (its received_at found)",
        lambda g: _not_null(g, "complaint_received_at"),
        (*row, "complaint_key"),
    )


def _one_of(family: str, column: str, values: Iterable[str], what: str, row) -> Rule:
    allowed = sorted(set(values))
    return Rule(
        family,
        what,
        lambda g: g.ExpectColumnValuesToBeInSet(column=column, value_set=allowed),
        (*row, column),
    )


def check_schema(check: str, table: str, columns: Mapping[str, str]) -> list[Outcome]:
    """The table's columns and their DuckDB types (`columns`: name -> type, as the catalog
    has them) against SCHEMAS[table]: every expected column there, with its type. GX sees
    one row per column, `column_spec` = 'name TYPE'."""
    expected = SCHEMAS[table]
    frame = pd.DataFrame({"column_spec": [f"{c} {t}" for c, t in columns.items()]})
    wanted = [f"{c} {t}" for c, t in expected.items()]
    wrong = [c for c, t in expected.items() if columns.get(c) != t]

    def observe(result: dict, frame: pd.DataFrame) -> str:
        if not wrong:
            return f"all {len(expected)} columns with their types"
        missing = ", ".join(f"{c} {expected[c]}" for c in wrong)
        found = ", ".join(f"{c} {columns[c]}" if c in columns else f"{c} absent" for c in wrong)
        return f"missing {missing}; found {found}"

    rule = Rule(
        "schema",
        "columns with types: " + ", ".join(wanted),
        lambda g: g.ExpectColumnDistinctValuesToContainSet(column="column_spec", value_set=wanted),
        observe=observe,
    )
    (outcome,) = validate(check, frame, [rule], unit="columns")
    sample = [{"column": c, "expected_type": expected[c], "type": columns.get(c)} for c in wrong]
    return [
        replace(
            outcome,
            failing_rows=len(wrong),
            rows_checked=len(expected),
            sample=sample[:SAMPLE_ROWS],
        )
    ]


def check_complaints(frame: pd.DataFrame, *, now: dt.datetime) -> list[Outcome]:
    """The staged complaints (columns of sql/quality_complaints.sql)."""
    row = COMPLAINT_ROW
    rules = [
        *_key_rules("complaint_key", row),
        Rule(
            "keys",
            "one staged row per source and source_id",
            lambda g: g.ExpectCompoundColumnsToBeUnique(column_list=["source", "source_id"]),
            row,
        ),
        _present("timestamps", "received_at", row),
        _not_in_future("received_at", now, row),
        _one_of("values", "channel", CHANNELS, "a channel of the contract", row),
        _one_of(
            "values", "complaint_class", COMPLAINT_CLASSES, "a complaint class of the contract", row
        ),
    ]
    return validate("stg_complaints_valid", frame, rules)


def check_events(
    frame: pd.DataFrame, *, now: dt.datetime, units: Iterable[str], officers: Iterable[str]
) -> list[Outcome]:
    """The staged events (columns of sql/quality_events.sql) against the reference units
    and officers; each distinct NIP once (nip_frame)."""
    row = EVENT_ROW
    rules = [
        *_key_rules("event_key", row),
        _present("keys", "complaint_key", row),
        _complaint_staged(row),
        _present("timestamps", "event_at", row),
        _not_in_future("event_at", now, row),
        _after_receipt("event_at", row),
        _one_of("values", "event_type", EVENT_TYPES, "an event type of the contract", row),
        _one_of("references", "unit_code", units, "a unit of the reference data (ref_units)", row),
    ]
    outcomes = validate("stg_events_valid", frame, rules)
    outcomes += clock_skew_note(frame)
    return outcomes + check_nips(nip_frame(frame["officer_nip"]), now=now, officers=officers)


CLOCK_SKEW_NOTE = "note: event_at_recorded before receipt, within the clock-skew tolerance"


def clock_skew_note(frame: pd.DataFrame) -> list[Outcome]:
    """A data-quality note, not a failure: the events stamped before their complaint's
    receipt by no more than the policy's events.clock_skew_tolerance_minutes, whose event_at
    sql/stg_events.sql set to the receipt time (the stamp kept in event_at_recorded). None
    when there are no such events."""
    if "event_at_recorded" not in frame.columns:
        return []
    moved = frame[frame["event_at_recorded"].notna()]
    if moved.empty:
        return []
    ahead = (moved["complaint_received_at"] - moved["event_at_recorded"]).dt.total_seconds()
    sample = records(
        moved.head(SAMPLE_ROWS)[[*EVENT_ROW, "event_type", "event_at_recorded", "event_at"]]
    )
    return [
        Outcome(
            "stg_events_valid",
            "notes",
            CLOCK_SKEW_NOTE,
            True,
            f"{len(moved)} events stamped {text(ahead.min())}-{text(ahead.max())} s before "
            "receipt: event_at set to the receipt time",
            "clock skew within policy events.clock_skew_tolerance_minutes is noted, not "
            "quarantined; further before receipt is quarantined",
            len(moved),
            len(frame),
            sample,
        )
    ]


def nip_frame(nips: pd.Series) -> pd.DataFrame:
    """One row per distinct NIP with the number of rows carrying it and its parts: birth
    date text (YYYYMMDD), birth year, appointment text (YYYYMM), appointment month, age at
    appointment in calendar years, sex digit. The parts are empty unless the NIP is 18
    digits, and the derived numbers empty unless the part is a real date: each defect then
    fails exactly one expectation."""
    counts = nips.dropna().astype(str).value_counts(sort=False)
    nip = pd.Series(counts.index, dtype="str")
    well = nip.str.fullmatch(NIP_PATTERN[1:-1]).fillna(False).astype(bool)
    birth_text = nip.str.slice(0, 8).where(well)
    appointment_text = nip.str.slice(8, 14).where(well)
    birth = pd.to_datetime(birth_text, format="%Y%m%d", errors="coerce")
    appointment = pd.to_datetime(appointment_text, format="%Y%m", errors="coerce")
    return pd.DataFrame(
        {
            "officer_nip": nip,
            "rows": counts.to_numpy(),
            "nip_birth_date": birth_text,
            "nip_birth_year": birth.dt.year.astype("Int64"),
            "nip_appointment": appointment_text,
            "nip_appointment_month": appointment,
            "nip_age_at_appointment": (appointment.dt.year - birth.dt.year).astype("Int64"),
            "nip_sex_digit": nip.str.slice(14, 15).where(well),
        }
    )


def check_nips(nips: pd.DataFrame, *, now: dt.datetime, officers: Iterable[str]) -> list[Outcome]:
    """Each distinct NIP of the events (a nip_frame): format, plausibility, known officer."""
    low, high = NIP_BIRTH_YEARS
    month = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    shown = ("officer_nip", "rows")
    rules = [
        Rule(
            "nip",
            "18 digits",
            lambda g: g.ExpectColumnValuesToMatchRegex(column="officer_nip", regex=NIP_PATTERN),
            shown,
        ),
        _one_of(
            "references",
            "officer_nip",
            officers,
            "a NIP of the reference officers (ref_officers)",
            shown,
        ),
        Rule(
            "nip",
            "birth date (digits 1-8, YYYYMMDD) a real date",
            lambda g: g.ExpectColumnValuesToMatchStrftimeFormat(
                column="nip_birth_date", strftime_format="%Y%m%d"
            ),
            (*shown, "nip_birth_date"),
        ),
        Rule(
            "nip",
            f"born {low} to {high}",
            lambda g: g.ExpectColumnValuesToBeBetween(
                column="nip_birth_year", min_value=low, max_value=high
            ),
            (*shown, "nip_birth_year"),
        ),
        Rule(
            "nip",
            "appointment (digits 9-14, YYYYMM) a real month",
            lambda g: g.ExpectColumnValuesToMatchStrftimeFormat(
                column="nip_appointment", strftime_format="%Y%m"
            ),
            (*shown, "nip_appointment"),
        ),
        Rule(
            "nip",
            f"appointment month not after the run's month ({month:%Y-%m})",
            lambda g: g.ExpectColumnValuesToBeBetween(
                column="nip_appointment_month", max_value=month
            ),
            (*shown, "nip_appointment"),
        ),
        Rule(
            "nip",
            f"appointed at {NIP_MIN_AGE_AT_APPOINTMENT} or older (calendar years)",
            lambda g: g.ExpectColumnValuesToBeBetween(
                column="nip_age_at_appointment", min_value=NIP_MIN_AGE_AT_APPOINTMENT
            ),
            (*shown, "nip_birth_date", "nip_appointment", "nip_age_at_appointment"),
        ),
        _one_of(
            "nip",
            "nip_sex_digit",
            ("1", "2"),
            "sex digit (digit 15) 1 or 2",
            (*shown, "nip_sex_digit"),
        ),
    ]
    rules = [replace(rule, named_by="officer_nip") for rule in rules]
    return validate("stg_events_valid", nips, rules, unit="NIPs")


def check_ratings(frame: pd.DataFrame, *, now: dt.datetime) -> list[Outcome]:
    """The staged ratings (columns of sql/quality_ratings.sql)."""
    row = RATING_ROW
    rules = [
        _present("keys", "complaint_key", row),
        _complaint_staged(row),
        _present("timestamps", "rated_at", row),
        _not_in_future("rated_at", now, row),
        _after_receipt("rated_at", row),
        _present("scores", "score", row),
        Rule(
            "scores",
            "score a whole number 1 to 5",
            lambda g: g.ExpectColumnValuesToBeBetween(column="score", min_value=1, max_value=5),
            (*row, "score"),
        ),
    ]
    return validate("stg_ratings_valid", frame, rules)


def volume_frame(monthly: pd.DataFrame, gate: VolumeGate) -> pd.DataFrame:
    """The newest complete month of `monthly` (month, complaints: every month from the
    first with data, oldest first, as sql/quality_volume.sql makes it) with the median of
    the months before it and their ratio; the ratio is empty when not judged (too little
    history or too few complaints), and `note` says why."""
    months = monthly.sort_values("month").reset_index(drop=True)
    if months.empty:
        return pd.DataFrame(
            {
                "month": [None],
                "complaints": [None],
                "baseline": [""],
                "baseline_months": [0],
                "median": [None],
                "ratio_to_median": [None],
                "note": ["no complaint staged"],
            }
        )
    newest = months.iloc[-1]
    base = months.iloc[max(len(months) - 1 - gate.baseline_months, 0) : len(months) - 1]
    median = float(statistics.median(base["complaints"])) if len(base) else None
    note = ""
    if len(base) < gate.min_baseline_months:
        note = (
            f"not judged: {len(base)} month(s) of history before {newest['month']}, "
            f"needs {gate.min_baseline_months}"
        )
    elif median is None or median < gate.min_baseline_median or median <= 0:
        note = (
            f"not judged: median {text(median)} complaints a month, below "
            f"{text(gate.min_baseline_median)}"
        )
    ratio = None if note else int(newest["complaints"]) / median
    span = f"{base['month'].iloc[0]}..{base['month'].iloc[-1]}" if len(base) else ""
    return pd.DataFrame(
        {
            "month": [newest["month"]],
            "complaints": [int(newest["complaints"])],
            "baseline": [span],
            "baseline_months": [len(base)],
            "median": [median],
            "ratio_to_median": pd.array([ratio], dtype="Float64"),
            "note": [note],
        }
    )


def _pct(x: float) -> str:
    return f"{100 * x:.0f} %"


def check_volume(monthly: pd.DataFrame, gate: VolumeGate) -> list[Outcome]:
    """Complaints of the newest complete month within [min_ratio, max_ratio] x the median
    of the `baseline_months` months before it (policy quality.volume)."""
    frame = volume_frame(monthly, gate)
    row = frame.iloc[0]

    def observe(result: dict, frame: pd.DataFrame) -> str:
        if row["note"]:
            return row["note"]
        return (
            f"{row['month']}: {row['complaints']} complaints, "
            f"{_pct(row['ratio_to_median'])} of the median {text(row['median'])} "
            f"of {row['baseline']}"
        )

    rule = Rule(
        "volume",
        f"complaints of the newest complete month between {_pct(gate.min_ratio)} and "
        f"{_pct(gate.max_ratio)} of the median of the {gate.baseline_months} months before it",
        lambda g: g.ExpectColumnValuesToBeBetween(
            column="ratio_to_median", min_value=gate.min_ratio, max_value=gate.max_ratio
        ),
        ("month", "complaints", "baseline", "median", "ratio_to_median"),
        observe=observe,
    )
    (outcome,) = validate("complaint_volume", frame, [rule], unit="months")
    # the sample of a failure: the month judged, then the months it was judged against
    months = monthly.sort_values("month", ascending=False).head(gate.baseline_months + 1)
    sample = [] if outcome.passed else records(months[["month", "complaints"]])
    return [
        replace(
            outcome,
            rows_checked=len(months),
            failing_rows=0 if outcome.passed else 1,
            sample=sample,
        )
    ]


# --- the gate on the warehouse ---------------------------------------------------------
def table_columns(con, table: str) -> dict[str, str]:
    """name -> DuckDB type of the columns of warehouse table `table` ({} if it is absent)."""
    rows = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_catalog = current_database() AND table_schema = 'main' "
        "AND table_name = $t ORDER BY ordinal_position",
        {"t": table},
    ).fetchall()
    return dict(rows)


def _values(con, query: str) -> list:
    return [r[0] for r in con.execute(query).fetchall()]


def _broken(check: str, exc: Exception) -> list[Outcome]:
    """A suite that could not run at all fails the gate, saying why."""
    return [
        Outcome(
            check,
            "gate",
            "(suite did not run)",
            False,
            f"{type(exc).__name__}: {exc}",
            "the suite runs to the end",
            0,
            0,
        )
    ]


def run_gate(
    con, *, now: dt.datetime, as_of: dt.date, volume: VolumeGate, timings: dict | None = None
) -> dict[str, list[Outcome]]:
    """Every suite on the warehouse's staged tables: check name -> outcomes. `now` is the
    run's local time; `timings` (optional) gets seconds per check, and `import` for GX."""
    timings = {} if timings is None else timings
    started = time.perf_counter()
    _gx()
    timings["import"] = time.perf_counter() - started
    results: dict[str, list[Outcome]] = {}
    schema_ok: dict[str, bool] = {}
    for check, table in TABLES.items():
        started = time.perf_counter()
        try:
            outcomes = check_schema(check, table, table_columns(con, table))
            schema_ok[table] = not failed(outcomes)
            if schema_ok[table]:
                view = FRAMES[table]
                run_sql(con, view)
                frame = con.sql(f"SELECT * FROM {view}").df()
                if table == "stg_complaints":
                    outcomes += check_complaints(frame, now=now)
                elif table == "stg_events":
                    outcomes += check_events(
                        frame,
                        now=now,
                        units=_values(con, "SELECT unit_code FROM ref_units"),
                        officers=_values(con, "SELECT nip FROM ref_officers"),
                    )
                else:
                    outcomes += check_ratings(frame, now=now)
        except Exception as exc:  # recorded as a failed gate: it blocks publication
            outcomes = _broken(check, exc)
        results[check] = outcomes
        timings[check] = time.perf_counter() - started
    started = time.perf_counter()
    try:
        if not schema_ok.get("stg_complaints"):
            raise ValueError("stg_complaints does not have the expected columns")
        run_sql(con, "quality_volume", {"as_of_date": as_of})
        monthly = con.sql("SELECT month, complaints FROM quality_volume ORDER BY month").df()
        results["complaint_volume"] = check_volume(monthly, volume)
    except Exception as exc:
        results["complaint_volume"] = _broken("complaint_volume", exc)
    timings["complaint_volume"] = time.perf_counter() - started
    return results


RESULT_SCHEMA = {
    "run": pl.String, "asset": pl.String, "check": pl.String, "family": pl.String,
    "expectation": pl.String, "passed": pl.Boolean, "observed": pl.String,
    "expected": pl.String, "failing_rows": pl.Int64, "rows_checked": pl.Int64,
    "failing_rows_sample": pl.String, "checked_at": pl.Datetime("us"),
}  # fmt: skip


def result_frame(outcomes: Iterable[Outcome], *, run: str, checked_at: dt.datetime):
    """Outcomes as quality_results rows (a polars frame)."""
    rows = [
        {
            "run": run,
            "asset": ASSET,
            "check": o.check,
            "family": o.family,
            "expectation": o.expectation,
            "passed": o.passed,
            "observed": o.observed,
            "expected": o.expected,
            "failing_rows": o.failing_rows,
            "rows_checked": o.rows_checked,
            "failing_rows_sample": json.dumps(o.sample, ensure_ascii=False),
            "checked_at": checked_at,
        }
        for o in outcomes
    ]
    return pl.DataFrame(rows, schema=RESULT_SCHEMA, orient="row")


def store(con, frame: pl.DataFrame) -> None:
    """Add a gate run's rows to the warehouse table quality_results."""
    run_sql(con, "quality_results")
    con.register("_quality_rows", frame.to_arrow())
    try:
        con.execute("INSERT INTO quality_results BY NAME SELECT * FROM _quality_rows")
    finally:
        con.unregister("_quality_rows")


def publish_file(con, serving_dir: Path, run: str) -> Path:
    """Write the gate run `run`'s rows to serving/quality.duckdb: beside it first, then
    renamed into place, so a reader sees the previous gate's file or this one."""
    serving_dir.mkdir(parents=True, exist_ok=True)
    path = serving_dir / QUALITY_FILE
    tmp = serving_dir / f".{QUALITY_FILE}.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    con.execute("ATTACH $path AS quality_out", {"path": str(tmp)})
    try:
        run_sql(con, "quality_serving", {"run_id": run})
    finally:
        con.execute("DETACH quality_out")
    os.replace(tmp, path)
    return path
