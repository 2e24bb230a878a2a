"""Reading input files as text rows, numbered, with reporter identities hashed on the way in.

Every row read comes out either as a row of text columns or as a file-level problem that
the staging SQL turns into one quarantine row per input row; nothing is skipped.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
from dataclasses import dataclass
from pathlib import Path

import polars as pl

COMPLAINT_COLUMNS = (
    "source_id", "channel", "received_at", "category", "complaint_class", "title",
    "description", "district", "village", "lat", "lon", "reporter_id", "is_anonymous",
    "is_confidential", "due_at",
)  # fmt: skip
EVENT_COLUMNS = ("source_id", "event_at", "event_type", "unit_code", "officer_nip", "note")
RATING_COLUMNS = ("source_id", "rated_at", "score", "resolved", "comment")
UNIT_COLUMNS = ("unit_code", "name", "kind", "parent_code", "workweek", "valid_from", "valid_to")
OFFICER_COLUMNS = ("nip", "name", "unit_code", "position", "grade", "valid_from", "valid_to")
OVERRIDE_COLUMNS = ("date", "is_working_day", "note", "applies_to")

TABLES = {
    "complaints": (COMPLAINT_COLUMNS, ("source_id", "channel", "received_at", "category")),
    "events": (EVENT_COLUMNS, ("source_id", "event_at", "event_type")),
    "ratings": (RATING_COLUMNS, ("source_id", "rated_at", "score")),
    "units": (UNIT_COLUMNS, ("unit_code", "name", "kind", "workweek")),
    "officers": (OFFICER_COLUMNS, ("nip", "name", "unit_code", "valid_from")),
    "calendar_overrides": (OVERRIDE_COLUMNS, ("date", "is_working_day", "applies_to")),
}
META = ("source", "file", "row_number", "file_problem")


@dataclass(frozen=True)
class Reporters:
    """Turns reporter identifiers into keyed hashes (HMAC-SHA256 with the tenant secret)."""

    secret: bytes

    def hash(self, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        key = value.strip().lower()
        return hmac.new(self.secret, key.encode(), hashlib.sha256).hexdigest()


def find_table_file(folder: Path, table: str) -> Path | None:
    for suffix in (".csv", ".parquet"):
        candidate = folder / f"{table}{suffix}"
        if candidate.exists():
            return candidate
    return None


def empty_frame(table: str) -> pl.DataFrame:
    columns, _ = TABLES[table]
    schema = {"source": pl.String, "file": pl.String, "row_number": pl.Int64,
              "file_problem": pl.String} | {c: pl.String for c in columns}  # fmt: skip
    return pl.DataFrame(schema=schema)


def _read_csv_strict(path: Path) -> pl.DataFrame:
    """All columns as text. Falls back to the csv module to report ragged rows one by one."""
    try:
        return pl.read_csv(
            path, infer_schema=False, missing_utf8_is_empty_string=False,
            raise_if_empty=False, encoding="utf8",
        )  # fmt: skip
    except Exception:
        return _read_csv_rows(path)


def _read_csv_rows(path: Path) -> pl.DataFrame:
    text = path.read_bytes().decode("utf-8", errors="replace")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        return pl.DataFrame()
    header, body = rows[0], rows[1:]
    width = len(header)
    records, problems = [], []
    for fields in body:
        if len(fields) != width:
            problems.append(f"malformed row: {len(fields)} fields, header has {width}")
            fields = (fields + [None] * width)[:width]
        else:
            problems.append(None)
        records.append([f if f != "" else None for f in fields])
    frame = pl.DataFrame(records, schema=dict.fromkeys(header, pl.String), orient="row")
    return frame.with_columns(pl.Series("_row_problem", problems, dtype=pl.String))


def read_table(path: Path, table: str, source: str, reporters: Reporters | None) -> pl.DataFrame:
    """One input file as text columns plus source, file, row_number and file_problem."""
    columns, required = TABLES[table]
    try:
        if path.suffix == ".parquet":
            frame = pl.read_parquet(path)
            frame = frame.with_columns(pl.all().cast(pl.String))
        else:
            frame = _read_csv_strict(path)
    except Exception as exc:
        return empty_frame(table).vstack(
            pl.DataFrame(
                {"source": [source], "file": [path.name], "row_number": [0],
                 "file_problem": [f"unreadable file: {type(exc).__name__}: {exc}"]},
            ).with_columns([pl.lit(None, pl.String).alias(c) for c in columns])
            .select(empty_frame(table).columns)
        )  # fmt: skip
    frame = frame.rename({c: c.strip().lower() for c in frame.columns})
    missing = [c for c in required if c not in frame.columns]
    row_problem = (
        pl.col("_row_problem") if "_row_problem" in frame.columns else pl.lit(None, pl.String)
    )
    file_problem = (
        pl.lit(f"file lacks required column(s): {', '.join(missing)}") if missing else row_problem
    )
    frame = frame.with_columns(
        [pl.lit(None, pl.String).alias(c) for c in columns if c not in frame.columns]
    )
    if "reporter_id" in columns:
        assert reporters is not None, "complaints need a reporter hasher"
        frame = frame.with_columns(
            pl.col("reporter_id").map_elements(reporters.hash, return_dtype=pl.String)
        )
    return frame.with_row_index("row_number", offset=1).select(
        pl.lit(source).alias("source"),
        pl.lit(path.name).alias("file"),
        pl.col("row_number").cast(pl.Int64),
        file_problem.alias("file_problem"),
        *[pl.col(c).cast(pl.String) for c in columns],
    )
